/**
 * The reshaping compute functions (src/core/compute/reshaping*.ts) on what the compute oracle does not reach:
 * UpSampling2D's TensorFlow resize kernels on a non-square image with unequal factors (every interpolation of
 * each generation, to 1e-6 of Keras), Python slicing with tf-keras's negative crop, Keras 1 spellings, and the
 * refusals. Expected numbers were printed by Keras 3.15 and tf-keras 2.21 for the same inputs.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {beforeAll, describe, expect, it} from 'vitest'
import type {Core} from '../../../src/core/backend/runtime.js'
import {bicubicTaps, nearestIndices} from '../../../src/core/compute/image-resize-kernels.js'
import {RESHAPING_COMPUTE} from '../../../src/core/compute/reshaping.js'
import {cpuCore, expectValues, pattern as keras, runOne} from './call.js'
import type {JsonObject} from '../../../src/core/json.js'

let tf: Core

beforeAll(async () => {
  tf = await cpuCore()
})

/** Keras's test pattern (call.ts) on this file's tfjs. */
const pattern = (shape: number[]): Tensor => keras(tf, shape)

function run(className: string, config: JsonObject, x: Tensor, generation: 'keras2' | 'keras3' = 'keras3'): Tensor {
  return runOne(RESHAPING_COMPUTE, tf, className, config, x, {generation})
}


/** UpSampling2D(size=(3, 2)) of pattern([1, 3, 2, 1]) as Keras computes it, per generation and interpolation. */
const RESIZED: Array<['keras2' | 'keras3', string, number[]]> = [
  ['keras3', 'bilinear', [-2, -1.8125, -1.4375, -1.25, -2, -1.8125, -1.4375, -1.25, -1.5, -1.3125, -0.93749994, -0.74999994, -0.999999881, -0.812499881, -0.437499881, -0.249999881, -0.5, -0.3125, 0.0625, 0.25, 5.96046448e-08, 0.18750006, 0.56250006, 0.75000006, 0.500000119, 0.687500119, 1.06250012, 1.25000012, 1, 1.1875, 1.5625, 1.75, 1, 1.1875, 1.5625, 1.75]],
  ['keras3', 'bicubic', [-2.22398591, -2.00245214, -1.56316662, -1.34163308, -2.06617665, -1.84464288, -1.40535712, -1.18382359, -1.70456219, -1.48302865, -1.04374278, -0.822209179, -1.15486526, -0.933331609, -0.494045913, -0.272512287, -0.566176534, -0.344642878, 0.0946428627, 0.316176504, 0.0225122496, 0.244045854, 0.683331609, 0.904865265, 0.572209179, 0.793742716, 1.23302841, 1.45456207, 0.933823586, 1.15535712, 1.59464288, 1.81617665, 1.09163296, 1.3131665, 1.75245214, 1.97398579]],
  ['keras3', 'lanczos3', [-2.3120358, -2.0057745, -1.6050806, -1.2988193, -2.13160825, -1.82534695, -1.42465305, -1.11839175, -1.86641979, -1.56015849, -1.15946448, -0.853203058, -1.38726616, -1.08100486, -0.680310965, -0.374049544, -0.631608248, -0.325346947, 0.0753469691, 0.381608278, 0.124049827, 0.430311173, 0.831005096, 1.13726652, 0.603203177, 0.909464478, 1.31015849, 1.61641967, 0.868391633, 1.17465305, 1.57534695, 1.88160825, 1.04881942, 1.35508084, 1.75577486, 2.06203604]],
  ['keras3', 'lanczos5', [-2.21384311, -1.86543524, -1.48118281, -1.13277507, -2.16553402, -1.81712615, -1.43287385, -1.08446598, -1.98876607, -1.64035833, -1.25610602, -0.907698274, -1.50990629, -1.16149843, -0.777246118, -0.428838342, -0.6655339, -0.317126155, 0.0671261773, 0.4155339, 0.178838745, 0.527246475, 0.911498904, 1.25990677, 0.657698214, 1.00610602, 1.39035845, 1.73876619, 0.8344661, 1.18287385, 1.56712615, 1.91553402, 0.882775187, 1.23118281, 1.61543524, 1.96384311]],
  ['keras3', 'area', [-2, -2, -1.25, -1.25, -2, -2, -1.25, -1.25, -1.99999988, -1.99999988, -1.24999988, -1.24999988, -0.50000006, -0.50000006, 0.25000003, 0.25000003, -0.5, -0.5, 0.25, 0.25, -0.499999881, -0.499999881, 0.24999994, 0.24999994, 1.00000048, 1.00000048, 1.75000083, 1.75000083, 1, 1, 1.75000012, 1.75000012, 0.999999762, 0.999999762, 1.74999952, 1.74999952]],
  ['keras2', 'nearest', [-2, -2, -1.25, -1.25, -2, -2, -1.25, -1.25, -2, -2, -1.25, -1.25, -0.5, -0.5, 0.25, 0.25, -0.5, -0.5, 0.25, 0.25, -0.5, -0.5, 0.25, 0.25, 1, 1, 1.75, 1.75, 1, 1, 1.75, 1.75, 1, 1, 1.75, 1.75]],
  ['keras2', 'gaussian', [-1.91276288, -1.74662614, -1.40003824, -1.23390162, -1.78562605, -1.61948931, -1.27290154, -1.10676491, -1.45556521, -1.28942835, -0.942840517, -0.776703954, -0.927033842, -0.7608971, -0.414309263, -0.248172626, -0.464430571, -0.298293889, 0.0482939482, 0.2144306, -0.00182722881, 0.164309442, 0.510897338, 0.67703402, 0.526704073, 0.692840636, 1.03942847, 1.20556521, 0.856765032, 1.02290154, 1.36948943, 1.53562617, 0.98390168, 1.15003824, 1.49662614, 1.662763]],
  ['keras2', 'mitchellcubic', [-2.0961175, -1.8879565, -1.50793982, -1.29977882, -1.93493378, -1.7267729, -1.34675622, -1.1385951, -1.58691335, -1.37875247, -0.998735666, -0.790574551, -1.07850087, -0.87033987, -0.490323097, -0.28216207, -0.523169339, -0.315008402, 0.0650083721, 0.273169339, 0.0321624316, 0.240323409, 0.620340228, 0.828501105, 0.540574968, 0.748736024, 1.12875271, 1.3369137, 0.888595104, 1.0967561, 1.4767729, 1.68493378, 1.0497787, 1.2579397, 1.6379565, 1.84611738]],
]

describe('UpSampling2D resizes as TensorFlow does', () => {
  it.each(RESIZED)('%s interpolation=%s, size (3, 2) on a 3×2 image', (generation, interpolation, expected) => {
    expectValues(run('UpSampling2D', {size: [3, 2], interpolation}, pattern([1, 3, 2, 1]), generation), expected, [1, 9, 4, 1])
  })

  it('channels_first resizes the same image', () => {
    const last = run('UpSampling2D', {size: [3, 2], interpolation: 'bicubic'}, pattern([1, 3, 2, 1]))
    const first = run('UpSampling2D', {size: [3, 2], interpolation: 'bicubic', data_format: 'channels_first'}, tf.transpose(pattern([1, 3, 2, 1]), [0, 3, 1, 2]))
    expectValues(tf.transpose(first, [0, 2, 3, 1]), Array.from(last.dataSync()))
  })

  it('bicubic weights come from the 1024-entry table, border taps zeroed and renormalized', () => {
    const taps = bicubicTaps(3, 9)
    expect(taps.indices.map((t) => t[0])).toEqual([0, 0, 0, 1])
    const [w0, w1, w2, w3] = taps.weights.map((t) => t[0] ?? NaN)
    expect([w0, w1]).toEqual([0, 0])
    expect(w2).toBeCloseTo(1.1052063, 6)
    expect((w2 ?? 0) + (w3 ?? 0)).toBeCloseTo(1, 6)
    expect(nearestIndices(3, 9)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2])
  })

  it('refuses an interpolation the generation does not have', () => {
    expect(() => run('UpSampling2D', {interpolation: 'gaussian'}, pattern([1, 2, 2, 1]))).toThrow(/argument 'interpolation' = "gaussian" is not computed by kmodel \(Keras 3 resizes with/)
    expect(() => run('UpSampling2D', {interpolation: 'cubic'}, pattern([1, 2, 2, 1]), 'keras2')).toThrow(/Keras 2 resizes with/)
  })
})

describe('spatial reshaping', () => {
  it('tf-keras Cropping2D(-1) slices x[:, -1:1, -1:1] (empty), as Python does', () => {
    expect(run('Cropping2D', {cropping: -1}, pattern([1, 5, 4, 1]), 'keras2').shape).toEqual([1, 0, 0, 1])
    expect(() => run('Cropping2D', {cropping: -1}, pattern([1, 5, 4, 1]))).toThrow(/Keras 3 takes non-negative amounts only/)
  })

  it('Cropping1D keeps to the end when the after-amount is 0; Cropping3D crops channels_first', () => {
    expectValues(run('Cropping1D', {cropping: [2, 0]}, pattern([1, 4, 1])), [-0.5, 0.25], [1, 2, 1])
    expect(run('Cropping3D', {cropping: [[1, 0], [0, 1], 1], data_format: 'channels_first'}, pattern([1, 2, 3, 3, 4])).shape).toEqual([1, 2, 2, 2, 2])
  })

  it('ZeroPadding refuses negative amounts (TensorFlow: "Paddings must be non-negative") and Keras 1 4-tuples', () => {
    expect(() => run('ZeroPadding2D', {padding: -1}, pattern([1, 3, 3, 1]))).toThrow(/argument 'padding' = -1/)
    expect(() => run('ZeroPadding2D', {padding: [1, 1, 2, 2]}, pattern([1, 3, 3, 1]), 'keras2')).toThrow(/argument 'padding' = \[1,1,2,2\]/)
  })

  it('Keras 3 ZeroPadding1D reads data_format, tf-keras ZeroPadding1D does not', () => {
    expect(run('ZeroPadding1D', {padding: [1, 2], data_format: 'channels_first'}, pattern([1, 2, 3])).shape).toEqual([1, 2, 6])
    expect(run('ZeroPadding1D', {padding: [1, 2], data_format: 'channels_first'}, pattern([1, 2, 3]), 'keras2').shape).toEqual([1, 5, 3])
  })

  it('UpSampling1D reads Keras 1 `length`; tf-keras truncates a fractional size', () => {
    expectValues(run('UpSampling1D', {length: 3}, pattern([1, 2, 1]), 'keras2'), [-2, -2, -2, -1.25, -1.25, -1.25], [1, 6, 1])
    expect(run('UpSampling1D', {size: 2.7}, pattern([1, 2, 1]), 'keras2').shape).toEqual([1, 4, 1])
    expect(() => run('UpSampling1D', {size: 2.7}, pattern([1, 2, 1]))).toThrow(/argument 'size' = 2.7/)
  })
})

describe('Reshape, Flatten, Permute, RepeatVector', () => {
  it('Reshape infers the -1 entry and refuses a size change', () => {
    expect(run('Reshape', {target_shape: [-1, 2]}, pattern([2, 3, 4])).shape).toEqual([2, 6, 2])
    expect(() => run('Reshape', {target_shape: [5]}, pattern([2, 3, 4]))).toThrow(/cannot take this shape/)
  })

  it('Flatten moves channels last first for channels_first (Keras 1 dim_ordering has no say)', () => {
    const x = pattern([1, 2, 2, 2])
    expectValues(run('Flatten', {data_format: 'channels_first'}, x), Array.from(tf.transpose(x, [0, 2, 3, 1]).dataSync()), [1, 8])
    expectValues(run('Flatten', {}, x), Array.from(x.dataSync()), [1, 8])
  })

  it('Permute and RepeatVector', () => {
    expect(run('Permute', {dims: [3, 1, 2]}, pattern([1, 2, 3, 4])).shape).toEqual([1, 4, 2, 3])
    expectValues(run('RepeatVector', {n: 2}, pattern([1, 2])), [-2, -1.25, -2, -1.25], [1, 2, 2])
  })
})
