import {describe, expect, it} from 'vitest'
import type * as TfCore from '@tensorflow/tfjs-core'
import {both, random, relativeError, skipReason, tf} from './blas-helpers.js'

const TOL = 1e-4
type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]]

/** [name, x shape, filter shape [kH, kW, C, multiplier], strides, pad, dilations] */
const CASES: Array<[string, number[], number[], [number, number], Pad, [number, number]]> = [
  ['3x3 same, multiplier 1', [2, 8, 8, 4], [3, 3, 4, 1], [1, 1], 'same', [1, 1]],
  ['3x3 valid, multiplier 3', [2, 9, 7, 2], [3, 3, 2, 3], [1, 1], 'valid', [1, 1]],
  ['stride 2 same, odd size', [3, 11, 9, 5], [3, 3, 5, 2], [2, 2], 'same', [1, 1]],
  ['non-square 5x2', [2, 10, 12, 3], [5, 2, 3, 1], [1, 1], 'valid', [1, 1]],
  ['explicit pads', [2, 7, 8, 2], [3, 3, 2, 2], [1, 1], [[0, 0], [2, 0], [1, 1], [0, 0]], [1, 1]],
]
const DILATED: typeof CASES = [['dilation 2 same', [2, 9, 9, 3], [3, 3, 3, 2], [1, 1], 'same', [2, 2]]]

const weighted = (y: TfCore.Tensor): TfCore.Scalar => tf.sum(tf.mul(y, random(y.shape, 99)))

describe.skipIf(skipReason !== undefined)('BLAS depthwise and separable convolutions', () => {
  it.each([...CASES, ...DILATED])('forward %s matches the cpu kernel', (_name, xs, ws, strides, pad, dil) => {
    const x = random(xs, 1) as TfCore.Tensor4D
    const w = random(ws, 2) as TfCore.Tensor4D
    const {reference, blas, calls} = both(() => tf.depthwiseConv2d(x, w, strides, pad, 'NHWC', dil))
    expect(relativeError(blas, reference)).toBeLessThan(TOL)
    expect(calls).toEqual(['depthwise'])
  })

  it.each(CASES)('gradients %s match via tf.grads', (_name, xs, ws, strides, pad) => {
    const f = (a: TfCore.Tensor, b: TfCore.Tensor): TfCore.Scalar => weighted(tf.depthwiseConv2d(a as TfCore.Tensor4D, b as TfCore.Tensor4D, strides, pad))
    const {reference, blas, calls} = both(() => tf.grads(f)([random(xs, 3), random(ws, 4)]))
    expect(calls).toEqual(expect.arrayContaining(['depthwiseBackpropFilter', 'depthwiseBackpropInput']))
    reference.forEach((r, i) => expect(relativeError(blas[i] as TfCore.Tensor, r)).toBeLessThan(TOL))
  })

  it('fused depthwise with bias and relu matches', () => {
    const x = random([2, 6, 6, 3], 5) as TfCore.Tensor4D
    const w = random([3, 3, 3, 2], 6) as TfCore.Tensor4D
    const bias = random([6], 7)
    const {reference, blas} = both(() => tf.fused.depthwiseConv2d({x, filter: w, strides: 1, pad: 'same', bias, activation: 'relu'}))
    expect(relativeError(blas, reference)).toBeLessThan(TOL)
  })

  it('separableConv2d forward and gradients match', () => {
    const x = random([2, 8, 7, 3], 8)
    const dw = random([3, 3, 3, 2], 9)
    const pw = random([1, 1, 6, 4], 10)
    const f = (a: TfCore.Tensor, b: TfCore.Tensor, c: TfCore.Tensor): TfCore.Scalar =>
      weighted(tf.separableConv2d(a as TfCore.Tensor4D, b as TfCore.Tensor4D, c as TfCore.Tensor4D, 1, 'same'))
    const {reference, blas} = both(() => tf.grads(f)([x, dw, pw]))
    reference.forEach((r, i) => expect(relativeError(blas[i] as TfCore.Tensor, r)).toBeLessThan(TOL))
  })
})

describe.skipIf(skipReason !== undefined)('BLAS max pooling', () => {
  const cases: Array<[string, number[], [number, number], [number, number], 'valid' | 'same']> = [
    ['2x2 stride 2', [3, 8, 8, 5], [2, 2], [2, 2], 'valid'],
    ['3x3 stride 2 same, odd size', [2, 9, 7, 3], [3, 3], [2, 2], 'same'],
    ['3x2 stride 1 valid', [2, 6, 7, 4], [3, 2], [1, 1], 'valid'],
  ]
  it.each(cases)('%s forward and gradient match', (_name, xs, size, strides, pad) => {
    const f = (a: TfCore.Tensor): TfCore.Tensor => tf.maxPool(a as TfCore.Tensor4D, size, strides, pad)
    const x = random(xs, 11)
    const {reference, blas, calls} = both(() => [f(x), tf.grad((a: TfCore.Tensor) => weighted(f(a)))(x)])
    expect(calls).toEqual(expect.arrayContaining(['maxPool', 'maxPoolGrad']))
    reference.forEach((r, i) => expect(relativeError(blas[i] as TfCore.Tensor, r)).toBeLessThan(TOL))
  })

  it('ties, NaN and all -Infinity windows send the gradient where the cpu backend does', () => {
    const x = tf.tensor4d([1, 1, 1, 1, 2, 2, Number.NaN, 2, 3, 3, -Infinity, -Infinity, 0, 0, -Infinity, -Infinity], [1, 4, 4, 1])
    const {reference, blas} = both(() => tf.grad((a: TfCore.Tensor) => weighted(tf.maxPool(a as TfCore.Tensor4D, 2, 2, 'valid')))(x))
    expect(Array.from(blas.dataSync())).toEqual(Array.from(reference.dataSync()))
  })
})

describe.skipIf(skipReason !== undefined)('BLAS elementwise, Sum, GatherV2, UnsortedSegmentSum', () => {
  const pairs: Array<[string, number[], number[]]> = [
    ['same shape', [4, 5], [4, 5]],
    ['bias row', [6, 5], [5]],
    ['scalar right', [3, 4], []],
    ['scalar left', [], [3, 4]],
    ['[1, N] left', [1, 5], [3, 5]],
    ['middle broadcast (falls back)', [3, 1, 4], [3, 5, 4]],
    ['both broadcast (falls back)', [3, 1], [1, 4]],
  ]
  it.each(pairs)('Add, Sub and Multiply with %s match', (_name, as, bs) => {
    const a = random(as, 1)
    const b = random(bs, 2)
    const {reference, blas} = both(() => [tf.add(a, b), tf.sub(a, b), tf.mul(a, b)])
    reference.forEach((r, i) => expect(relativeError(blas[i] as TfCore.Tensor, r)).toBeLessThan(1e-6))
  })

  it('Relu and Step (the ReLU gradient) match, NaN included', () => {
    const x = tf.concat([random([50], 3), tf.tensor1d([Number.NaN, 0, -0])])
    const {reference, blas} = both(() => [tf.relu(x), tf.step(x, 0.25), tf.grad((a: TfCore.Tensor) => weighted(tf.relu(a)))(x)])
    reference.forEach((r, i) => expect(Array.from((blas[i] as TfCore.Tensor).dataSync())).toEqual(Array.from(r.dataSync())))
  })

  const axes: Array<[string, number[], number | number[] | undefined, boolean]> = [
    ['all', [4, 5, 6], undefined, false],
    ['leading axes (bias gradient)', [8, 5, 5, 3], [0, 1, 2], false],
    ['last axis, keepDims', [4, 5, 6], -1, true],
    ['middle axis', [4, 5, 6], 1, false],
    ['non-contiguous (falls back)', [4, 5, 6], [0, 2], true],
  ]
  it.each(axes)('Sum over %s matches', (_name, shape, axis, keepDims) => {
    const x = random(shape, 4)
    const {reference, blas} = both(() => tf.sum(x, axis, keepDims))
    expect(relativeError(blas, reference)).toBeLessThan(1e-6)
  })

  it('GatherV2 on every axis and UnsortedSegmentSum (the Embedding gradient) match', () => {
    const x = random([5, 4, 3], 5)
    const idx = tf.tensor2d([[4, 0], [2, 2]], [2, 2], 'int32')
    const table = random([10, 3], 6)
    const ids = tf.tensor1d([3, 9, 3, 0, 12, -1], 'int32')
    const rows = random([6, 3], 7)
    const {reference, blas} = both(() => [
      tf.gather(x, idx, 0), tf.gather(x, tf.tensor1d([3, 1], 'int32'), 1), tf.gather(x, tf.tensor2d([[2, 0], [1, 1]], [2, 2], 'int32'), 2),
      tf.gather(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), tf.tensor1d([1], 'int32')),
      tf.unsortedSegmentSum(rows, ids, 10),
      tf.grad((t: TfCore.Tensor) => weighted(tf.gather(t, tf.tensor1d([1, 7, 1, 3], 'int32'))))(table),
    ])
    reference.forEach((r, i) => expect(relativeError(blas[i] as TfCore.Tensor, r)).toBeLessThan(1e-6))
    expect(blas[3]?.dtype).toBe('int32')
  })
})
