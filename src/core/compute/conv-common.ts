/**
 * What the convolution family's compute functions share: Keras's padding arithmetic (TensorFlow's SAME split,
 * extra padding after), moving channels_first tensors to tfjs's channels-last layout and back, the windowed op
 * runner that covers what tfjs-core's kernels lack (strides and dilation together, 3-D SAME with a stride wider
 * than the window), and the layer's tail: bias on the channel axis, then the activation.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import {BackendError} from '../errors.js'
import {activationFn} from './activations.js'
import type {ComputeCall} from './types.js'

/** Padding modes the windowed ops take (causal is turned into a left pad and "valid" before them). */
export type Padding = 'valid' | 'same'

/** Strides, dilation and padding of one windowed op over n spatial axes. */
export interface Window {
  strides: number[]
  dilation: number[]
  padding: Padding
}

/** [before, after] padding of each spatial axis (negative: crop). */
export type Pads = Array<[number, number]>

/** BackendError KM_BACKEND_UNSUPPORTED_ARGUMENT naming the layer class and argument. */
export function unsupported(c: ComputeCall, arg: string, value: unknown, reason: string, hint = 'Keras itself refuses this configuration, so there is no number to compute.'): BackendError {
  return new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument '${arg}' = ${JSON.stringify(value)} is not computed by kmodel (${reason}).`, {hint})
}

/** The padding of a layer as its windowed op takes it ("causal" only where `causal` says Keras accepts it). */
export function paddingOf(c: ComputeCall, padding: string, causal: boolean): Padding | 'causal' {
  if (padding === 'valid' || padding === 'same' || (causal && padding === 'causal')) return padding
  throw unsupported(c, 'padding', padding, `Keras's ${c.class_name} takes ${causal ? '"valid", "same" or "causal"' : '"valid" or "same"'}`)
}

/** Positive integer strides and dilation rates, as Keras's constructors demand. */
export function checkWindow(c: ComputeCall, strides: readonly number[], dilation: readonly number[]): void {
  if (!strides.every((s) => Number.isInteger(s) && s >= 1)) throw unsupported(c, 'strides', strides, 'strides must be positive integers')
  if (!dilation.every((d) => Number.isInteger(d) && d >= 1)) throw unsupported(c, 'dilation_rate', dilation, 'dilation rates must be positive integers')
}

/** The weight the shape rule names `name`, or undefined (no bias with `use_bias` false). */
export function weightOf(c: ComputeCall, name: string): Tensor | undefined {
  return c.weights.find((w) => w.info.name === name)?.value
}

/** The weight the shape rule names `name`; a BackendError when the layer has none. */
export function requiredWeight(c: ComputeCall, name: string): Tensor {
  const w = weightOf(c, name)
  if (w === undefined) throw new BackendError('KM_BACKEND_WEIGHTS', `Layer class ${c.class_name}: the weight '${name}' is missing.`, {hint: 'Load the layer\'s weights from the file Keras saved.'})
  return w
}

/** The first input as float32; Keras refuses a convolution over an integer tensor (its kernel is float). */
export function floatInput(c: ComputeCall): Tensor {
  const x = c.inputs[0]
  if (x === undefined) throw new BackendError('KM_BACKEND_INPUT', `Layer class ${c.class_name}: called without an input.`)
  if (x.dtype !== 'float32') throw unsupported(c, 'inputs', x.dtype, 'a convolution of a non-float tensor, which Keras refuses', 'Cast the input to float32 in the model (the kernel is float32).')
  return x
}

/** channels_first (batch, channels, spatial…) → channels-last (batch, spatial…, channels); unchanged otherwise. */
export function toChannelsLast(tf: Core, x: Tensor, cf: boolean): Tensor {
  if (!cf) return x
  const r = x.rank
  return tf.transpose(x, [0, ...Array.from({length: r - 2}, (_, i) => i + 2), 1])
}

/** The inverse of toChannelsLast. */
export function fromChannelsLast(tf: Core, y: Tensor, cf: boolean): Tensor {
  if (!cf) return y
  const r = y.rank
  return tf.transpose(y, [0, r - 1, ...Array.from({length: r - 2}, (_, i) => i + 1)])
}

/** TensorFlow's SAME padding of one axis: ceil(length / stride) outputs, the odd pixel after. */
export function samePads(length: number, kernel: number, stride: number, dilation: number): [number, number] {
  const span = (kernel - 1) * dilation + 1
  const out = Math.ceil(length / stride)
  const total = Math.max((out - 1) * stride + span - length, 0)
  const before = Math.floor(total / 2)
  return [before, total - before]
}

/** Pads (or, for negative amounts, crops) the spatial axes of a channels-last tensor with zeros. */
export function padSpatial(tf: Core, x: Tensor, pads: Pads): Tensor {
  const crop = pads.map(([b, a]) => [Math.max(-b, 0), Math.max(-a, 0)] as [number, number])
  let y = x
  if (crop.some(([b, a]) => b > 0 || a > 0)) {
    const begin = [0, ...crop.map(([b]) => b), 0]
    const size = [-1, ...crop.map(([b, a], i) => (x.shape[i + 1] ?? 0) - b - a), -1]
    y = tf.slice(y, begin, size)
  }
  const grow = pads.map(([b, a]) => [Math.max(b, 0), Math.max(a, 0)] as [number, number])
  if (grow.some(([b, a]) => b > 0 || a > 0)) y = tf.pad(y, [[0, 0], ...grow, [0, 0]])
  return y
}

/** Every `step`-th position of each spatial axis of a channels-last tensor, from the first. */
export function subsample(tf: Core, y: Tensor, steps: readonly number[]): Tensor {
  if (steps.every((s) => s === 1)) return y
  return tf.stridedSlice(y, y.shape.map(() => 0), y.shape, [1, ...steps, 1])
}

/** One windowed tfjs op over a channels-last tensor: strides, padding ('valid' / 'same') and dilation. */
export type WindowOp = (x: Tensor, strides: number[], padding: Padding, dilation: number[]) => Tensor

/**
 * Runs a windowed op with Keras's (TensorFlow's) semantics where tfjs-core's kernels lack them: strides and
 * dilation together (a dilated stride-1 op on the SAME-padded input, then every stride-th output, as Keras 3
 * decomposes depthwise / separable convolutions) and, for 3-D ops, SAME padding written out (tfjs's 3-D SAME
 * goes negative when the stride exceeds the window).
 */
export function windowed(tf: Core, x: Tensor, kernel: readonly number[], w: Window, op: WindowOp): Tensor {
  const both = w.strides.some((s) => s > 1) && w.dilation.some((d) => d > 1)
  const explicitSame = w.padding === 'same' && (both || kernel.length === 3)
  if (!both && !explicitSame) return op(x, w.strides, w.padding, w.dilation)
  const spatial = x.shape.slice(1, -1)
  const pads: Pads = spatial.map((len, i) => (w.padding === 'same' ? samePads(len, kernel[i] ?? 1, w.strides[i] ?? 1, w.dilation[i] ?? 1) : [0, 0]))
  const padded = explicitSame ? padSpatial(tf, x, pads) : x
  if (!both) return op(padded, w.strides, 'valid', w.dilation)
  return subsample(tf, op(padded, w.strides.map(() => 1), 'valid', w.dilation), w.strides)
}

/**
 * Keras 3 on TensorFlow adds a bias with `ops.add(outputs, reshape(bias, (1, filters, 1, …)))`, and its
 * TensorFlow `add` turns any addend that squeezes to a vector of the length of the output's axis 1 or last axis
 * into `tf.nn.bias_add`, along the *last* axis whenever that axis has the vector's length
 * (keras/src/backend/tensorflow/numpy.py `add`). So a channels_first output whose last spatial axis is as long
 * as the filter count (more than one) gets the bias along that spatial axis. kmodel computes what Keras 3 on
 * TensorFlow computes.
 */
function keras3WidthBias(c: ComputeCall, y: Tensor, bias: Tensor, cf: boolean): boolean {
  return c.generation === 'keras3' && cf && bias.size > 1 && y.rank >= 3 && y.shape[y.rank - 2] === bias.size
}

/**
 * The layer's tail on a channels-last result: `+ bias` on the channel axis (when the layer has one), back to
 * the layer's data format, then the activation (on the output as Keras holds it: softmax takes its last axis).
 */
export function finish(c: ComputeCall, y: Tensor, bias: Tensor | undefined, cf: boolean): Tensor {
  const tf = c.tf
  const act = activationFn(tf, c.generation, c.config.activation)
  if (bias !== undefined && keras3WidthBias(c, y, bias, cf)) return act(tf.add(fromChannelsLast(tf, y, cf), tf.reshape(bias, [-1])))
  return act(fromChannelsLast(tf, bias === undefined ? y : tf.add(y, bias), cf))
}

/** The spatial dims of a channels-last tensor. */
export function spatialOf(x: Tensor): number[] {
  return x.shape.slice(1, -1)
}
