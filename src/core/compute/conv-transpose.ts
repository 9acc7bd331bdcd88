/**
 * Conv1DTranspose / Conv2DTranspose / Conv3DTranspose (Convolution*Transpose, Keras 1's Deconvolution2D/3D,
 * Deconv2D/3D), from Keras 3's `BaseConvTranspose.call` and tf-keras's Conv*Transpose:
 *
 *     outputs = activation(conv_transpose(inputs, kernel) + bias)
 *
 * `conv_transpose` is the adjoint of the convolution: input position i, kernel tap t add x[i] · w[t] into output
 * position i · stride + t · dilation − pad, for a (k…, filters, in) kernel. The output length is Keras's
 * `deconv_output_length` (with `output_padding` when given); `pad` is TensorFlow's for that length (SAME:
 * half of max((in − 1) · stride + span − out, 0), rounded down; VALID: 0). tf-keras's Conv3DTranspose ignores
 * `dilation_rate` (it neither computes nor saves it); its Conv2DTranspose refuses unequal rates.
 */
import type {Tensor, Tensor4D} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import {deconvLength, convParams} from '../layers/conv.js'
import {tuple} from '../layers/config.js'
import {BackendError} from '../errors.js'
import type {JsonObject} from '../json.js'
import {type Pads, checkWindow, finish, floatInput, padSpatial, paddingOf, requiredWeight, spatialOf, toChannelsLast, unsupported, weightOf} from './conv-common.js'
import {convND} from './conv-ops.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute} from './types.js'

/** One spatial axis of a transposed convolution: input length, kernel, stride, dilation, output length, pad before. */
interface Axis {
  length: number
  kernel: number
  stride: number
  dilation: number
  out: number
  before: number
}

/** `output_padding`: null (Keras infers the length) or one value per axis. */
function outputPadding(cfg: JsonObject, n: number): number[] | null {
  return cfg.output_padding === null || cfg.output_padding === undefined ? null : tuple(cfg, 'output_padding', n, 0)
}

/**
 * The axes of the call, checked as TensorFlow's Conv*BackpropInput checks them: the forward convolution of the
 * output must give back the input length (SAME with an even window and `output_padding` 0 does not, and
 * TensorFlow raises there).
 */
function axesOf(c: ComputeCall, x: Tensor, kernel: readonly number[], strides: readonly number[], dilation: readonly number[], padding: 'valid' | 'same'): Axis[] {
  const pads = outputPadding(c.config, kernel.length)
  return spatialOf(x).map((length, i) => {
    const k = kernel[i] ?? 1
    const s = strides[i] ?? 1
    const d = dilation[i] ?? 1
    const span = (k - 1) * d + 1
    const out = deconvLength(length, k, padding, s, d, pads?.[i] ?? null) ?? 0
    const forward = padding === 'same' ? Math.ceil(out / s) : Math.floor((out - span) / s) + 1
    if (forward !== length || out <= 0) {
      throw unsupported(c, 'output_padding', c.config.output_padding ?? null, `an output of length ${out} does not convolve back to the input length ${length}, and TensorFlow refuses the call ("Conv2DCustomBackpropInput: Size of out_backprop doesn't match computed")`)
    }
    const before = padding === 'same' ? Math.floor(Math.max((length - 1) * s + span - out, 0) / 2) : 0
    return {length, kernel: k, stride: s, dilation: d, out, before}
  })
}

/** tfjs's VALID 2-D transposed convolution over the full reach ((in − 1) · stride + kernel) of each axis. */
function fullTranspose2D(tf: Core, x: Tensor, kernel: Tensor, axes: readonly Axis[]): Tensor {
  const full = axes.map((a) => (a.length - 1) * a.stride + a.kernel)
  const shape = [x.shape[0] ?? 0, ...full, kernel.shape[2] ?? 0] as [number, number, number, number]
  return tf.conv2dTranspose(x as Tensor4D, kernel as Tensor4D, shape, axes.map((a) => a.stride) as [number, number], 'valid')
}

/** Inserts stride − 1 zeros between the positions of axis 1 (length L → (L − 1) · stride + 1). */
function spreadAxis1(tf: Core, y: Tensor, stride: number): Tensor {
  if (stride === 1) return y
  const [batch = 0, length = 0, ...rest] = y.shape
  const spread = tf.pad(tf.expandDims(y, 2), [[0, 0], [0, 0], [0, stride - 1], ...rest.map((): [number, number] => [0, 0])])
  return tf.slice(tf.reshape(spread, [batch, length * stride, ...rest]), [0, 0, ...rest.map(() => 0)], [-1, (length - 1) * stride + 1, ...rest.map(() => -1)])
}

/**
 * The 3-D full transposed convolution as a sum over the kernel's depth taps of 2-D ones (each depth slice of the
 * input through the tap's (kh, kw, filters, in) kernel), each spread along depth by the stride and shifted by
 * the tap. Exact (no products with inserted zeros); tfjs's own Conv3DBackpropInputV2 is wrong on its wasm
 * backend with more than one channel.
 */
function fullTranspose3D(tf: Core, x: Tensor, kernel: Tensor, axes: readonly Axis[]): Tensor {
  const [batch = 0, depth = 0, ...rest] = x.shape
  const [d, ...plane] = axes as [Axis, Axis, Axis]
  const planes = tf.reshape(x, [batch * depth, ...rest])
  const fullDepth = (d.length - 1) * d.stride + d.kernel
  const taps = Array.from({length: d.kernel}, (_, a) => {
    const y = fullTranspose2D(tf, planes, tf.squeeze(tf.slice(kernel, a, 1), [0]), plane)
    const spread = spreadAxis1(tf, tf.reshape(y, [batch, depth, ...y.shape.slice(1)]), d.stride)
    return padSpatial(tf, spread, [[a, fullDepth - a - ((d.length - 1) * d.stride + 1)], [0, 0], [0, 0]])
  })
  return taps.length === 1 ? (taps[0] as Tensor) : tf.addN(taps)
}

/** The full transposed convolution ((in − 1) · stride + kernel per axis), 1-D as 2-D of height 1. */
function fullTranspose(tf: Core, x: Tensor, kernel: Tensor, axes: readonly Axis[]): Tensor {
  if (axes.length === 3) return fullTranspose3D(tf, x, kernel, axes)
  if (axes.length === 2) return fullTranspose2D(tf, x, kernel, axes)
  const unit: Axis = {length: 1, kernel: 1, stride: 1, dilation: 1, out: 1, before: 0}
  return tf.squeeze(fullTranspose2D(tf, tf.expandDims(x, 1), tf.expandDims(kernel, 0), [unit, ...axes]), [1])
}

/** Undilated: the full transposed convolution, then the output window [pad, pad + out) (zeros past its reach). */
function stridedTranspose(tf: Core, x: Tensor, kernel: Tensor, axes: readonly Axis[]): Tensor {
  const y = fullTranspose(tf, x, kernel, axes)
  const pads: Pads = axes.map((a) => [-a.before, a.out - ((a.length - 1) * a.stride + a.kernel) + a.before])
  return padSpatial(tf, y, pads)
}

/**
 * Dilated (Keras refuses strides > 1 with it, so every stride is 1): the same sums as a forward convolution
 * with the spatially reversed kernel (its last two axes swapped), dilated, over the input padded by
 * span − 1 − pad before and out − in + pad after.
 */
function dilatedTranspose(tf: Core, x: Tensor, kernel: Tensor, axes: readonly Axis[]): Tensor {
  const n = axes.length
  const spatialAxes = Array.from({length: n}, (_, i) => i)
  const flipped = tf.transpose(tf.reverse(kernel, spatialAxes), [...spatialAxes, n + 1, n])
  const pads: Pads = axes.map((a) => [(a.kernel - 1) * a.dilation - a.before, a.out - a.length + a.before])
  const ones = axes.map(() => 1)
  return convND(tf, padSpatial(tf, x, pads), flipped, {strides: ones, dilation: axes.map((a) => a.dilation), padding: 'valid'})
}

/** The dilation the generation computes with (tf-keras's Conv3DTranspose has none), checked as Keras checks it. */
function dilationOf(c: ComputeCall, n: number, dilation: number[], strides: readonly number[]): number[] {
  if (c.generation === 'keras2' && n === 3) return [1, 1, 1]
  if (c.generation === 'keras2' && n === 2 && dilation[0] !== dilation[1]) {
    throw unsupported(c, 'dilation_rate', dilation, 'tf-keras requires the 2 dimensions of the dilation_rate argument to be equal to each other')
  }
  if (dilation.some((d) => d > 1) && strides.some((s) => s > 1)) {
    throw unsupported(c, 'dilation_rate', dilation, '`strides > 1` not supported in conjunction with `dilation_rate > 1`')
  }
  return dilation
}

function transpose(n: number): LayerCompute {
  return {
    call(c: ComputeCall): ComputeOutput {
      const tf = c.tf
      const p = convParams(c.config, n)
      checkWindow(c, p.strides, p.dilation)
      const dilation = dilationOf(c, n, p.dilation, p.strides)
      const kernel = requiredWeight(c, 'kernel')
      const input = floatInput(c)
      if (input.rank !== n + 2) throw new BackendError('KM_BACKEND_INPUT', `Layer class ${c.class_name}: the input has rank ${input.rank}; Keras expects ${n + 2}.`)
      const x = toChannelsLast(tf, input, p.cf)
      if (x.shape[n + 1] !== kernel.shape[n + 1]) {
        throw new BackendError('KM_BACKEND_INPUT', `Layer class ${c.class_name}: ${String(x.shape[n + 1])} input channels do not fit the kernel ${JSON.stringify(kernel.shape)}.`)
      }
      const padding = paddingOf(c, p.padding, false) as 'valid' | 'same'
      const axes = axesOf(c, x, kernel.shape.slice(0, n), p.strides, dilation, padding)
      const y = dilation.some((d) => d > 1) ? dilatedTranspose(tf, x, kernel, axes) : stridedTranspose(tf, x, kernel, axes)
      return {outputs: [finish(c, y, weightOf(c, 'bias'), p.cf)]}
    },
  }
}

const T1 = transpose(1)
const T2 = transpose(2)
const T3 = transpose(3)

/** The transposed convolutions, with their Keras 1 / 2 aliases. */
export const TRANSPOSE_COMPUTE: ComputeTable = {
  Conv1DTranspose: T1,
  Conv2DTranspose: T2,
  Conv3DTranspose: T3,
  Convolution1DTranspose: T1,
  Convolution2DTranspose: T2,
  Convolution3DTranspose: T3,
  Deconvolution2D: T2,
  Deconvolution3D: T3,
  Deconv2D: T2,
  Deconv3D: T3,
}
