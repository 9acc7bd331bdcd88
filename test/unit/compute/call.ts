/** Test support: a ComputeCall for running one compute function outside a model, with inert defaults. */
import type {Tensor} from '@tensorflow/tfjs-core'
import {expect} from 'vitest'
import {type Core, loadTfjs} from '../../../src/core/backend/runtime.js'
import {loadBackend} from '../../../src/core/backend/select.js'
import type {ComputeCall, ComputeTable} from '../../../src/core/compute/types.js'
import type {JsonObject} from '../../../src/core/json.js'

/** tfjs-core on the cpu backend (for a `beforeAll`). */
export async function cpuCore(): Promise<Core> {
  await loadBackend('cpu')
  return (await loadTfjs()).core
}

/** Runs `className` from `table` on one input tensor; its first output. */
export function runOne(table: ComputeTable, tf: Core, className: string, config: JsonObject, x: Tensor, fields: Partial<ComputeCall> = {}): Tensor {
  const fn = table[className]
  if (fn === undefined) throw new Error(`no compute for ${className}`)
  const out = fn.call(computeCall({tf, class_name: className, config, inputs: [x], ...fields})).outputs[0]
  if (out === undefined) throw new Error('no output')
  return out
}

/** `y` has `expected` values (≤ 1e-6 relative to max(1, |expected|); NaN where NaN) and, when given, `shape`. */
export function expectValues(y: Tensor, expected: number[], shape?: number[]): void {
  if (shape !== undefined) expect(y.shape).toEqual(shape)
  const got = Array.from(y.dataSync())
  expect(got).toHaveLength(expected.length)
  got.forEach((v, i) => {
    const want = expected[i] ?? 0
    if (Number.isNaN(want)) expect(v, `element ${i}`).toBeNaN()
    else expect(Math.abs(v - want), `element ${i}: ${v} vs ${want}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)))
  })
}

/** The call `fields` describe; what they leave out gets a default that fails loudly when a function uses it. */
export function computeCall(fields: Partial<ComputeCall> & Pick<ComputeCall, 'tf' | 'class_name' | 'config' | 'inputs'>): ComputeCall {
  return {
    generation: 'keras3', keras_version: null, masks: fields.inputs.map(() => null), kwargs: {}, kwarg_masks: {}, call_kwargs: {}, call_args: [],
    weights: [], training: false, input_shapes: fields.inputs.map((x) => [null, ...x.shape.slice(1)]), output_shapes: [null],
    inner: () => { throw new Error('no inner layer in this test') },
    assign: () => { throw new Error('no assign in this test') },
    addLoss: () => { throw new Error('no addLoss in this test') },
    state: {get: () => undefined, set: () => undefined},
    seed: () => 1,
    ...fields,
  }
}

/** Keras's test pattern: ((k · 37) mod 17) / 4 − 2 over the flat index k. */
export function pattern(tf: Core, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1)
  return tf.tensor(Array.from({length: n}, (_, k) => ((k * 37) % 17) / 4 - 2), shape, 'float32')
}
