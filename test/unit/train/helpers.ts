/** Small models and seeded data for the train tests: Keras 2 JSON built inline, data made by the test. */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {writeNpy, writeNpz} from '../../../src/core/io/npy.js'
import type {ModelSpec} from '../../../src/core/model/spec.js'
import {readModel} from '../../../src/core/read.js'
import {makeRng} from '../../../src/core/weights/init.js'

type Layer = {class_name: string; config: Record<string, unknown>}
const init = {kernel_initializer: {class_name: 'GlorotUniform', config: {seed: null}}, bias_initializer: {class_name: 'Zeros', config: {}}}

/** A Dense layer config. */
export const dense = (name: string, units: number, activation = 'linear'): Layer => ({class_name: 'Dense', config: {name, units, activation, use_bias: true, ...init}})
/** A Conv2D layer config. */
export const conv = (name: string, filters: number, activation = 'relu'): Layer => ({class_name: 'Conv2D', config: {name, filters, kernel_size: [3, 3], strides: [1, 1], padding: 'same', activation, use_bias: true, ...init}})

/** A Keras 2 Sequential document with an InputLayer of `shape`. */
export function sequential(name: string, shape: number[], layers: Layer[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {class_name: 'Sequential', config: {name, layers: [{class_name: 'InputLayer', config: {name: `${name}_input`, batch_input_shape: [null, ...shape], dtype: 'float32'}}, ...layers]}, keras_version: '2.12.0', backend: 'tensorflow', ...extra}
}

/** Reads a document as kmodel reads a file. */
export async function specOf(doc: Record<string, unknown>): Promise<ModelSpec> {
  return (await readModel({bytes: new TextEncoder().encode(JSON.stringify(doc)), name: 'model.json'})).model
}

/** The MLP of the tests: 4 → 16 relu → 3 softmax. */
export const mlpDoc = (): Record<string, unknown> => sequential('mlp', [4], [dense('hidden', 16, 'relu'), dense('out', 3, 'softmax')])

/** Three Gaussian blobs in 4-D, well apart: a separable 3-class problem. Labels as class indices. */
export function blobs(samples: number, seed = 1): {x: Float32Array; labels: Int32Array; onehot: Float32Array} {
  const rng = makeRng(seed)
  const x = new Float32Array(samples * 4)
  const labels = new Int32Array(samples)
  const onehot = new Float32Array(samples * 3)
  for (let i = 0; i < samples; i++) {
    const c = Math.floor(rng.uniform() * 3)
    labels[i] = c
    onehot[i * 3 + c] = 1
    for (let k = 0; k < 4; k++) x[i * 4 + k] = (k === c ? 2.5 : k === 3 ? (c - 1) * 1.5 : 0) + rng.normal() * 0.6
  }
  return {x, labels, onehot}
}

/** 8×8×1 images: class 0 bright on the left half, class 1 on the right; noise added. */
export function halves(samples: number, seed = 2): {x: Float32Array; labels: Int32Array} {
  const rng = makeRng(seed)
  const x = new Float32Array(samples * 64)
  const labels = new Int32Array(samples)
  for (let i = 0; i < samples; i++) {
    const c = rng.uniform() < 0.5 ? 0 : 1
    labels[i] = c
    for (let r = 0; r < 8; r++) for (let col = 0; col < 8; col++) x[i * 64 + r * 8 + col] = ((col < 4) === (c === 0) ? 1 : 0) + rng.normal() * 0.3
  }
  return {x, labels}
}

/** A fresh temp folder. */
export const tmp = (): string => mkdtempSync(join(tmpdir(), 'kmodel-train-'))

/** Writes a float32 .npy and returns its path. */
export function npy(dir: string, name: string, shape: number[], data: Float32Array | Int32Array): string {
  const path = join(dir, name)
  writeFileSync(path, writeNpy({dtype: data instanceof Int32Array ? 'int32' : 'float32', shape, data}))
  return path
}

/** Writes an .npz of named float32 arrays and returns its path. */
export function npz(dir: string, name: string, arrays: Record<string, {shape: number[]; data: Float32Array}>): string {
  const path = join(dir, name)
  writeFileSync(path, writeNpz(Object.entries(arrays).map(([k, a]) => [k, {dtype: 'float32' as const, ...a}] as [string, {dtype: 'float32'; shape: number[]; data: Float32Array}])))
  return path
}

/** Writes a JSON model file and returns its path. */
export function modelFile(dir: string, doc: Record<string, unknown>, name = 'model.json'): string {
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify(doc))
  return path
}
