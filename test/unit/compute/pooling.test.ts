/**
 * The pooling compute functions (src/core/compute/pooling.ts, pooling-adaptive.ts) on what the compute oracle
 * does not reach: GlobalAveragePooling1D under a mask (keepdims, channels_first, a masked inf: Keras 2
 * multiplies it into a NaN, Keras 3 selects it away), adaptive pooling with uneven windows and with a window
 * longer than the axis, Keras 1 spellings, and the refusals. Expected numbers were printed by Keras 3.15 and
 * tf-keras 2.21 for the same inputs.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {beforeAll, describe, expect, it} from 'vitest'
import type {Core} from '../../../src/core/backend/runtime.js'
import {adaptiveWindows} from '../../../src/core/compute/pooling-adaptive.js'
import {POOLING_COMPUTE} from '../../../src/core/compute/pooling.js'
import {cpuCore, expectValues, pattern as keras, runOne} from './call.js'
import type {JsonObject} from '../../../src/core/json.js'

let tf: Core

beforeAll(async () => {
  tf = await cpuCore()
})

/** Keras's test pattern (call.ts) on this file's tfjs. */
const pattern = (shape: number[]): Tensor => keras(tf, shape)

function run(className: string, config: JsonObject, x: Tensor, options: {generation?: 'keras2' | 'keras3'; mask?: Tensor} = {}): Tensor {
  return runOne(POOLING_COMPUTE, tf, className, config, x, {generation: options.generation ?? 'keras3', masks: [options.mask ?? null]})
}

describe('GlobalAveragePooling1D with a mask averages the unmasked steps only', () => {
  const mask = (): Tensor => tf.tensor([[1, 0, 1, 1], [0, 1, 1, 0]], [2, 4], 'bool')
  const averaged = [-1.08333337, -0.333333343, 0.416666657, -0.25, 0.5, -0.875]

  it('channels_last, keepdims false and true', () => {
    expectValues(run('GlobalAveragePooling1D', {}, pattern([2, 4, 3]), {mask: mask()}), averaged, [2, 3])
    expectValues(run('GlobalAvgPool1D', {keepdims: true}, pattern([2, 4, 3]), {mask: mask()}), averaged, [2, 1, 3])
  })

  it('channels_first reads the mask along the last axis (both generations)', () => {
    const x = tf.transpose(pattern([2, 4, 3]), [0, 2, 1])
    for (const generation of ['keras2', 'keras3'] as const) {
      expectValues(run('GlobalAveragePooling1D', {data_format: 'channels_first'}, x, {mask: mask(), generation}), averaged, [2, 3])
    }
  })

  it('a masked inf: Keras 3 selects it away, Keras 2 multiplies it into NaN', () => {
    const data = Array.from(pattern([2, 4, 3]).dataSync())
    data[3] = Infinity
    const x = tf.tensor(data, [2, 4, 3])
    expectValues(run('GlobalAveragePooling1D', {}, x, {mask: mask()}), averaged)
    expectValues(run('GlobalAveragePooling1D', {}, x, {mask: mask(), generation: 'keras2'}), [NaN, ...averaged.slice(1)])
  })

  it('without a mask it is the plain mean, and GlobalMaxPooling1D ignores a mask', () => {
    expectValues(run('GlobalAveragePooling1D', {}, pattern([1, 4, 1])), [(-2 - 1.25 - 0.5 + 0.25) / 4])
    expectValues(run('GlobalMaxPooling1D', {}, pattern([1, 4, 1]), {mask: tf.tensor([[1, 0, 0, 0]], [1, 4], 'bool')}), [0.25])
  })
})

describe('adaptive pooling (Keras 3)', () => {
  it('picks Keras windows: floor(i·L/out) for ceil(L/out) or one more steps', () => {
    expect(adaptiveWindows(5, 3)).toEqual([{start: 0, size: 2}, {start: 1, size: 3}, {start: 3, size: 2}])
    expect(adaptiveWindows(3, 5)).toEqual([{start: 0, size: 1}, {start: 0, size: 2}, {start: 1, size: 1}, {start: 1, size: 2}, {start: 2, size: 1}])
    expect(adaptiveWindows(4, 1)).toEqual([{start: 0, size: 4}])
  })

  it('1D and 2D outputs match Keras on uneven windows', () => {
    expectValues(run('AdaptiveAveragePooling1D', {output_size: [3]}, pattern([1, 7, 2])), [-0.5, 0.25, -0.333333343, 0.416666657, -0.166666672, 0.583333313], [1, 3, 2])
    expectValues(run('AdaptiveMaxPooling1D', {output_size: 3}, pattern([1, 7, 2])), [1, 1.75, 1, 1.75, 1.25, 2])
    expectValues(run('AdaptiveAveragePooling2D', {output_size: [3, 5]}, pattern([1, 5, 3, 2])), [
      -1.875, -1.125, -1.125, -0.375, -0.375, 0.375, 0.375, 1.125, 1.125, 1.875, -1.5, -0.75, -0.75, 0, 0, 0.75, 0.75, 0.0833333433, 1.5,
      -0.583333313, -1.125, -0.375, -0.375, 0.375, 0.375, 1.125, 1.125, -0.25, 1.875, -1.625,
    ], [1, 3, 5, 2])
    expectValues(run('AdaptiveMaxPooling2D', {output_size: [3, 5]}, pattern([1, 5, 3, 2])), [
      -1.75, -1, -0.25, 0.5, -0.25, 0.5, 1.25, 2, 1.25, 2, -1.25, -0.5, 0.25, 1, 0.25, 1, 1.75, 2, 1.75, 2, -1, -0.25, 0.5, 1.25, 0.5, 1.25, 2, 1.25, 2, -1.5,
    ])
  })

  it('output_size 1 pools the whole axis (Keras\'s JAX / PyTorch result; its TensorFlow kernel crashes)', () => {
    expectValues(run('AdaptiveAveragePooling1D', {output_size: 1, data_format: 'channels_first'}, pattern([1, 1, 4])), [(-2 - 1.25 - 0.5 + 0.25) / 4], [1, 1, 1])
    expectValues(run('AdaptiveMaxPooling3D', {output_size: 1}, pattern([1, 2, 2, 2, 1])), [1.75])
  })

  it('refuses a missing output_size', () => {
    expect(() => run('AdaptiveMaxPooling1D', {}, pattern([1, 4, 1]))).toThrow(/argument 'output_size' = absent/)
  })
})

describe('local pooling', () => {
  it("tf-keras AveragePooling1D 'same' counts only the cells inside the input", () => {
    expectValues(run('AveragePooling1D', {pool_size: 3, strides: 2, padding: 'same'}, pattern([1, 7, 2]), {generation: 'keras2'}),
      [-1.25, -0.5, -0.416666657, 0.333333343, -0.25, 0.5, -0.125, 0.625], [1, 4, 2])
  })

  it('reads Keras 1 spellings: pool_length, stride, border_mode', () => {
    const keras1 = run('MaxPooling1D', {pool_length: 3, stride: 2, border_mode: 'same'}, pattern([1, 7, 2]), {generation: 'keras2'})
    const keras2 = run('MaxPooling1D', {pool_size: 3, strides: 2, padding: 'same'}, pattern([1, 7, 2]), {generation: 'keras2'})
    expectValues(keras1, Array.from(keras2.dataSync()), [1, 4, 2])
  })

  it('Keras 1 dim_ordering "th" pools channels-first input', () => {
    const y = run('MaxPooling2D', {pool_size: [2, 2], dim_ordering: 'th'}, pattern([1, 1, 2, 2]), {generation: 'keras2'})
    expectValues(y, [0.25], [1, 1, 1, 1])
  })

  it('refuses what TensorFlow cannot pool: causal padding, zero strides, Keras 3 AveragePooling without pool_size', () => {
    expect(() => run('MaxPooling1D', {pool_size: 2, padding: 'causal'}, pattern([1, 4, 1]))).toThrow(/argument 'padding' = "causal" is not computed by kmodel/)
    expect(() => run('MaxPooling2D', {pool_size: 2, strides: 0}, pattern([1, 4, 4, 1]))).toThrow(/argument 'strides' = 0/)
    expect(() => run('AveragePooling2D', {}, pattern([1, 4, 4, 1]))).toThrow(/argument 'pool_size' = absent/)
  })
})
