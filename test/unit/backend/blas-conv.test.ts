import {describe, expect, it} from 'vitest'
import type * as TfCore from '@tensorflow/tfjs-core'
import {loadBlasAddon} from '../../../src/core/backend/blas/addon.js'
import {geometry} from '../../../src/core/backend/blas/common.js'
import {both, random, relativeError, rng, skipReason, tf} from './blas-helpers.js'

const TOL = 1e-4
type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]]

/** [name, x shape, filter shape, strides, pad, dilations] */
const CASES: Array<[string, number[], number[], [number, number], Pad, [number, number]]> = [
  ['3x3 valid', [2, 9, 9, 3], [3, 3, 3, 4], [1, 1], 'valid', [1, 1]],
  ['3x3 same', [2, 8, 7, 2], [3, 3, 2, 5], [1, 1], 'same', [1, 1]],
  ['stride 2 same, odd size', [3, 11, 9, 4], [3, 3, 4, 6], [2, 2], 'same', [1, 1]],
  ['non-square filter and strides', [2, 10, 12, 3], [2, 5, 3, 4], [2, 3], 'valid', [1, 1]],
  ['explicit pads', [2, 7, 8, 2], [3, 2, 2, 3], [1, 2], [[0, 0], [1, 2], [0, 1], [0, 0]], [1, 1]],
  ['numeric pad', [1, 6, 6, 2], [3, 3, 2, 2], [1, 1], 1, [1, 1]],
  ['1x1 pointwise', [2, 5, 6, 8], [1, 1, 8, 3], [1, 1], 'valid', [1, 1]],
  ['1x1 stride 2', [2, 5, 6, 8], [1, 1, 8, 3], [2, 2], 'same', [1, 1]],
  ['CNN first layer', [4, 28, 28, 1], [3, 3, 1, 32], [1, 1], 'valid', [1, 1]],
  // Over 4M multiply-adds: with more than one OpenBLAS thread (the default on a multi-core machine) the images
  // are shared out among threads in chunks (7 + 2 here), and the filter gradient sums per-thread partials.
  ['CNN second layer, batch split over threads', [9, 13, 13, 32], [3, 3, 32, 64], [1, 1], 'valid', [1, 1]],
]
const DILATED: typeof CASES = [
  ['dilation 2 same', [2, 9, 9, 3], [3, 3, 3, 4], [1, 1], 'same', [2, 2]],
  ['dilation 2x3 valid', [2, 12, 13, 2], [2, 3, 2, 3], [1, 1], 'valid', [2, 3]],
]

/** A fixed random weighting of the output, so the gradient's dy is not all ones. */
const weighted = (y: TfCore.Tensor): TfCore.Scalar => tf.sum(tf.mul(y, random(y.shape, 99)))

describe.skipIf(skipReason !== undefined)('BLAS Conv2D and its gradients', () => {
  it.each([...CASES, ...DILATED])('forward %s matches the cpu kernel', (_name, xs, ws, strides, pad, dil) => {
    const x = random(xs, 1) as TfCore.Tensor4D
    const w = random(ws, 2) as TfCore.Tensor4D
    const {reference, blas, calls} = both(() => tf.conv2d(x, w, strides, pad, 'NHWC', dil))
    expect(relativeError(blas, reference)).toBeLessThan(TOL)
    expect(calls).toContain('conv2d')
  })

  it.each(CASES)('gradients (input and filter) %s match via tf.grads', (_name, xs, ws, strides, pad) => {
    const x = random(xs, 3)
    const w = random(ws, 4)
    const f = (a: TfCore.Tensor, b: TfCore.Tensor): TfCore.Scalar => weighted(tf.conv2d(a as TfCore.Tensor4D, b as TfCore.Tensor4D, strides, pad))
    const {reference, blas, calls} = both(() => tf.grads(f)([x, w]))
    expect(calls).toEqual(expect.arrayContaining(['conv2d', 'conv2dBackpropFilter', 'conv2dBackpropInput']))
    expect(relativeError(blas[0] as TfCore.Tensor, reference[0] as TfCore.Tensor)).toBeLessThan(TOL)
    expect(relativeError(blas[1] as TfCore.Tensor, reference[1] as TfCore.Tensor)).toBeLessThan(TOL)
  })

  const activations = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu'] as const
  it.each(activations)('fused conv2d with bias and %s matches', (activation) => {
    const x = random([2, 7, 6, 3], 5) as TfCore.Tensor4D
    const w = random([3, 3, 3, 4], 6) as TfCore.Tensor4D
    const bias = random([4], 7)
    const {reference, blas, calls} = both(() => tf.fused.conv2d({x, filter: w, strides: 1, pad: 'same', bias, activation, leakyreluAlpha: 0.1}))
    expect(relativeError(blas, reference)).toBeLessThan(TOL)
    expect(calls).toEqual(['biasActivation', 'conv2d'])
  })

  it('fused conv2d gradients (linear, as tfjs-layers uses under a tape) match', () => {
    const x = random([2, 6, 6, 2], 8)
    const w = random([3, 3, 2, 3], 9)
    const bias = random([3], 10)
    const f = (a: TfCore.Tensor, b: TfCore.Tensor, c: TfCore.Tensor): TfCore.Scalar =>
      weighted(tf.fused.conv2d({x: a as TfCore.Tensor4D, filter: b as TfCore.Tensor4D, strides: 1, pad: 'valid', bias: c}))
    const {reference, blas} = both(() => tf.grads(f)([x, w, bias]))
    reference.forEach((r, i) => expect(relativeError(blas[i] as TfCore.Tensor, r)).toBeLessThan(TOL))
  })

  it('NCHW falls back to the cpu kernel', () => {
    const x = random([1, 2, 5, 5], 11) as TfCore.Tensor4D
    const w = random([3, 3, 2, 2], 12) as TfCore.Tensor4D
    const {reference, blas, calls} = both(() => tf.conv2d(x, w, 1, 'same', 'NCHW'))
    expect(relativeError(blas, reference)).toBeLessThan(TOL)
    expect(calls).not.toContain('conv2d')
  })
})

/** <a, b> in float64. */
function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number)
  return s
}

const randomArray = (n: number, seed: number): Float32Array => {
  const next = rng(seed)
  return Float32Array.from({length: n}, () => next() * 2 - 1)
}

describe.skipIf(skipReason !== undefined)('BLAS conv gradients with dilations (adjoint identities)', () => {
  // tfjs' gradients refuse dilations > 1, so the two backprop kernels are checked against the forward kernel:
  // <conv(x, w), dy> = <x, backpropInput(dy, w)> = <w, backpropFilter(x, dy)>.
  const addon = loadBlasAddon().addon
  it.each([...DILATED, ...CASES.slice(0, 5)])('%s', (_name, xs, ws, strides, pad, dil) => {
    if (addon === undefined) return
    for (const depthwise of [false, true]) {
      const filterShape = depthwise ? [ws[0] ?? 1, ws[1] ?? 1, xs[3] ?? 1, 2] : ws
      const info = tf.backend_util.computeConv2DInfo(xs as [number, number, number, number], filterShape as [number, number, number, number], strides, dil, pad, undefined, depthwise)
      const g = geometry(info)
      const x = randomArray(xs.reduce((p, q) => p * q), 1)
      const w = randomArray(filterShape.reduce((p, q) => p * q), 2)
      const y = new Float32Array(info.batchSize * info.outHeight * info.outWidth * info.outChannels)
      const dy = randomArray(y.length, 3)
      const dx = new Float32Array(x.length)
      const dw = new Float32Array(w.length)
      if (depthwise) {
        addon.depthwise(x, w, y, g)
        addon.depthwiseBackpropInput(dy, w, dx, g)
        addon.depthwiseBackpropFilter(x, dy, dw, g)
      } else {
        addon.conv2d(x, w, y, g)
        addon.conv2dBackpropInput(dy, w, dx, g)
        addon.conv2dBackpropFilter(x, dy, dw, g)
      }
      const forward = dot(y, dy)
      expect(Math.abs(dot(x, dx) - forward)).toBeLessThan(1e-4 * Math.max(1, Math.abs(forward)))
      expect(Math.abs(dot(w, dw) - forward)).toBeLessThan(1e-4 * Math.max(1, Math.abs(forward)))
    }
  })

  it('rejects arrays shorter than the geometry instead of reading past them', () => {
    if (addon === undefined) return
    const info = tf.backend_util.computeConv2DInfo([1, 4, 4, 1], [3, 3, 1, 1], 1, 1, 'valid')
    expect(() => addon.conv2d(new Float32Array(3), new Float32Array(9), new Float32Array(4), geometry(info))).toThrow(/shorter/)
  })
})
