/**
 * Compute functions of the convolution family (see types.ts), written from Keras 3's `BaseConv.call` /
 * `Conv1D.call` and tf-keras's `Conv.call`:
 *
 *     outputs = activation(conv(inputs, kernel) + bias)
 *
 * with `conv` TensorFlow's cross-correlation (`padding` "valid" or "same", SAME putting the odd pixel after;
 * Conv1D's "causal" pads (kernel − 1) × dilation zeros before the time axis, then runs "valid"), `strides`,
 * `dilation_rate` and `groups` (the (k…, in / groups, filters) kernel convolves each block of channels with its
 * own block of filters). channels_first inputs are transposed to tfjs's channels-last layout and back; the
 * kernel is channels-last in every data format. tf-keras also convolves inputs with extra leading batch axes.
 *
 * The transposed, depthwise / separable and locally connected classes live in conv-transpose.ts,
 * conv-separable.ts and conv-local.ts; this file joins them into CONV_COMPUTE with every alias.
 */
import type {Tensor, Tensor4D} from '@tensorflow/tfjs-core'
import {activationName} from './activations.js'
import {convParams} from '../layers/conv.js'
import {BackendError} from '../errors.js'
import {checkWindow, finish, floatInput, padSpatial, paddingOf, requiredWeight, toChannelsLast, unsupported, weightOf} from './conv-common.js'
import {groupedConv} from './conv-ops.js'
import {LOCAL_COMPUTE} from './conv-local.js'
import {SEPARABLE_COMPUTE} from './conv-separable.js'
import {TRANSPOSE_COMPUTE} from './conv-transpose.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute, RefusalTable} from './types.js'

/** tf-keras's leading batch axes beyond the first, folded into one for the op and restored after. */
function foldBatch(c: ComputeCall, rank: number): {x: Tensor; unfold: (y: Tensor) => Tensor} {
  const x = floatInput(c)
  const extra = x.rank - rank
  if (extra < 0) throw new BackendError('KM_BACKEND_INPUT', `Layer class ${c.class_name}: the input has rank ${x.rank}; Keras expects at least ${rank}.`)
  if (extra === 0) return {x, unfold: (y) => y}
  if (c.generation === 'keras3') throw unsupported(c, 'inputs', x.shape, `Keras 3 refuses an input of rank ${x.rank} ("Kernel shape must have the same length as input")`)
  const lead = x.shape.slice(0, extra + 1)
  return {x: c.tf.reshape(x, [-1, ...x.shape.slice(extra + 1)]), unfold: (y) => c.tf.reshape(y, [...lead, ...y.shape.slice(1)])}
}

/**
 * A channels-last Conv2D with a bias and a relu or linear activation as one fused op (the cpu backend's
 * OpenBLAS FusedConv2D kernel: the same convolution, `+ bias` and `max(·, 0)` in one pass over the output, so
 * the same numbers); undefined when the window needs windowed()'s explicit padding or subsampling.
 */
function fusedConv2d(c: ComputeCall, x: Tensor, kernel: Tensor, bias: Tensor | undefined, w: {strides: number[]; dilation: number[]; padding: string}): Tensor | undefined {
  // activationName gives a layer object's class name (`ReLU` with its arguments), so only the plain functions pass.
  const activation = activationName(c.config.activation, c.generation)
  if (bias === undefined || (activation !== 'relu' && activation !== 'linear')) return undefined
  if (w.padding !== 'valid' && w.padding !== 'same') return undefined
  if (w.strides.some((s) => s > 1) && w.dilation.some((d) => d > 1)) return undefined
  return c.tf.fused.conv2d({
    x: x as Tensor4D, filter: kernel as Tensor4D, strides: w.strides as [number, number], pad: w.padding, dataFormat: 'NHWC',
    dilations: w.dilation as [number, number], bias, activation,
  })
}

/** Conv1D / Conv2D / Conv3D (n spatial axes). */
function conv(n: number): LayerCompute {
  return {
    call(c: ComputeCall): ComputeOutput {
      const tf = c.tf
      const p = convParams(c.config, n)
      checkWindow(c, p.strides, p.dilation)
      const kernel = requiredWeight(c, 'kernel')
      const {x: folded, unfold} = foldBatch(c, n + 2)
      let x = toChannelsLast(tf, folded, p.cf)
      let padding = paddingOf(c, p.padding, n === 1)
      if (padding === 'causal') {
        x = padSpatial(tf, x, [[((kernel.shape[0] ?? 1) - 1) * (p.dilation[0] ?? 1), 0]])
        padding = 'valid'
      }
      const channels = x.shape[n + 1] ?? 0
      const perGroup = kernel.shape[n] ?? 0
      const filters = kernel.shape[n + 1] ?? 0
      const groups = perGroup > 0 ? channels / perGroup : 0
      if (!Number.isInteger(groups) || groups < 1 || filters % groups !== 0) {
        throw new BackendError('KM_BACKEND_INPUT', `Layer class ${c.class_name}: ${channels} input channels do not fit the kernel ${JSON.stringify(kernel.shape)} (the input channels must be a multiple of the kernel's input depth, and the filters of the groups).`)
      }
      const bias = weightOf(c, 'bias')
      const fused = n === 2 && groups === 1 && !p.cf ? fusedConv2d(c, x, kernel, bias, {strides: p.strides, dilation: p.dilation, padding}) : undefined
      if (fused !== undefined) return {outputs: [unfold(fused)]}
      const y = groupedConv(tf, x, kernel, {strides: p.strides, dilation: p.dilation, padding})
      return {outputs: [unfold(finish(c, y, bias, p.cf))]}
    },
  }
}

const CONV1D = conv(1)
const CONV2D = conv(2)
const CONV3D = conv(3)

/** Every class of the convolution family, by Keras class name (Keras 1 / 2 aliases included). */
export const CONV_COMPUTE: ComputeTable = {
  Conv1D: CONV1D,
  Conv2D: CONV2D,
  Conv3D: CONV3D,
  Convolution1D: CONV1D,
  Convolution2D: CONV2D,
  Convolution3D: CONV3D,
  ...TRANSPOSE_COMPUTE,
  ...SEPARABLE_COMPUTE,
  ...LOCAL_COMPUTE,
}

/** The convolution family computes every class its shape rules list; none is refused outright. */
export const CONV_REFUSED: RefusalTable = {}
