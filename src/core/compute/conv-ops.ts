/**
 * The convolution primitives of the conv family over channels-last tensors, on tfjs-core's own kernels
 * (conv2d / conv3d / depthwiseConv2d, OpenBLAS-backed on the cpu backend where registered):
 * - a regular n-D cross-correlation with a (k…, in, out) kernel, as TensorFlow's `tf.nn.convolution`;
 * - a grouped one (TensorFlow splits the channels into `groups` blocks, each convolved with its own block of
 *   filters, the results concatenated in group order);
 * - a depthwise one with a (k…, in, multiplier) kernel, output channel `c * multiplier + m`.
 * 1-D ops run as 2-D ops of height 1, as Keras itself runs them.
 */
import type {Tensor, Tensor4D, Tensor5D} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import {type Window, windowed} from './conv-common.js'

type Pair = [number, number]
type Triple = [number, number, number]

/** A channels-last op lifted from 1-D to 2-D: a height-1 axis on the input, the kernel and the window. */
function lift1D(tf: Core, x: Tensor, kernel: Tensor, w: Window, op: (tf: Core, x: Tensor, k: Tensor, w: Window) => Tensor): Tensor {
  const lifted: Window = {strides: [1, ...w.strides], dilation: [1, ...w.dilation], padding: w.padding}
  return tf.squeeze(op(tf, tf.expandDims(x, 1), tf.expandDims(kernel, 0), lifted), [1])
}

/** The n-D convolution (n = 1, 2, 3) of a channels-last tensor with a (k…, in, out) kernel. */
export function convND(tf: Core, x: Tensor, kernel: Tensor, w: Window): Tensor {
  const n = x.rank - 2
  if (n === 1) return lift1D(tf, x, kernel, w, convND)
  const k = kernel.shape.slice(0, n)
  return windowed(tf, x, k, w, (xi, strides, padding, dilation) => (n === 2
    ? tf.conv2d(xi as Tensor4D, kernel as Tensor4D, strides as Pair, padding, 'NHWC', dilation as Pair)
    : tf.conv3d(xi as Tensor5D, kernel as Tensor5D, strides as Triple, padding, 'NDHWC', dilation as Triple)))
}

/** The depthwise convolution (n = 1, 2) of a channels-last tensor with a (k…, in, multiplier) kernel. */
export function depthwiseND(tf: Core, x: Tensor, kernel: Tensor, w: Window): Tensor {
  const n = x.rank - 2
  if (n === 1) return lift1D(tf, x, kernel, w, depthwiseND)
  return windowed(tf, x, kernel.shape.slice(0, n), w, (xi, strides, padding, dilation) =>
    tf.depthwiseConv2d(xi as Tensor4D, kernel as Tensor4D, strides as Pair, padding, 'NHWC', dilation as Pair))
}

/**
 * The grouped convolution of a channels-last tensor with a (k…, in / groups, out) kernel, `groups` being
 * in ÷ the kernel's input depth. One input channel per group (and n ≤ 2) is a depthwise convolution with
 * out / in filters per channel; otherwise each group is convolved on its own and the results concatenated.
 */
export function groupedConv(tf: Core, x: Tensor, kernel: Tensor, w: Window): Tensor {
  const n = x.rank - 2
  const channels = x.shape[n + 1] ?? 0
  const perGroup = kernel.shape[n] ?? 0
  const filters = kernel.shape[n + 1] ?? 0
  const groups = perGroup === 0 ? 1 : channels / perGroup
  if (groups === 1) return convND(tf, x, kernel, w)
  if (perGroup === 1 && n <= 2) return depthwiseND(tf, x, tf.reshape(kernel, [...kernel.shape.slice(0, n), channels, filters / channels]), w)
  const xs = tf.split(x, groups, n + 1)
  const ks = tf.split(kernel, groups, n + 1)
  return tf.concat(xs.map((xi, i) => convND(tf, xi, ks[i] as Tensor, w)), n + 1)
}
