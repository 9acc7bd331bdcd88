/** Builders for the backend tests: tiny functional models, seeded values, one forward pass. */
import {loadBackend} from '../../../src/core/backend/select.js'
import {loadTfjs} from '../../../src/core/backend/runtime.js'
import {type WeightValue, buildComputeModel} from '../../../src/core/compute/model.js'
import {fnLayer, functional, readDoc} from '../../helpers/read.js'

/** mulberry32: a seeded uniform generator in [-1, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1
  }
}

/** `n` seeded values. */
export const values = (n: number, next: () => number): number[] => Array.from({length: n}, next)

/** A weight value from a plain array. */
export const w = (shape: number[], data: number[]): WeightValue => ({shape, data: Float32Array.from(data)})

/**
 * Builds `input(s) → layer` as a Keras 2 functional model (through readModel and buildComputeModel), sets the layer's
 * weights, runs one forward pass (cpu unless `backend` says wasm) and returns the output values and shape.
 */
export async function forward(layer: {cls: string; config: Record<string, unknown>}, inputShapes: number[][], xs: number[][], weights: WeightValue[] = [], backend: 'cpu' | 'wasm' = 'cpu'): Promise<{shape: number[]; data: number[]}> {
  await loadBackend(backend)
  const names = inputShapes.map((_, i) => `x${i}`)
  const inputs = inputShapes.map((s, i) => fnLayer('InputLayer', names[i] ?? '', [], {batch_input_shape: [null, ...s.slice(1)]}))
  const doc = functional([...inputs, fnLayer(layer.cls, 'layer', names.map((n) => [n, 0, 0] as [string, number, number]), layer.config)], names, ['layer'])
  const {model} = await readDoc(doc)
  const {core} = await loadTfjs()
  const built = buildComputeModel(core, model)
  try {
    if (weights.length > 0) built.setWeights(new Map([['layer', weights]]))
    const y = core.tidy(() => built.apply(xs.map((x, i) => core.tensor(x, inputShapes[i])), {training: false}).outputs[0])
    if (y === undefined) throw new Error('the model has no output')
    const out = {shape: y.shape, data: Array.from(await y.data())}
    y.dispose()
    return out
  } finally {
    built.dispose()
  }
}

/** Element-wise closeness for float32 results. */
export function expectClose(actual: number[], expected: number[], tol = 1e-5): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`)
  actual.forEach((a, i) => {
    const e = expected[i] ?? NaN
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) throw new Error(`element ${i}: ${a} ≠ ${e}\nactual   ${actual.join(', ')}\nexpected ${expected.join(', ')}`)
  })
}
