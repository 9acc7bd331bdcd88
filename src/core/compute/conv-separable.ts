/**
 * DepthwiseConv1D/2D and SeparableConv1D/2D (SeparableConvolution1D/2D), from Keras 3's
 * `BaseDepthwiseConv.call` / `BaseSeparableConv.call` and tf-keras's DepthwiseConv* / SeparableConv*:
 *
 *     depthwise:  activation(depthwise_conv(inputs, depthwise_kernel) + bias)
 *     separable:  activation(conv1x1(depthwise_conv(inputs, depthwise_kernel), pointwise_kernel) + bias)
 *
 * The depthwise step convolves each input channel with its own `depth_multiplier` filters (output channel
 * `c * depth_multiplier + m`), with the layer's strides, padding and dilation; the pointwise step mixes the
 * channels with a 1×1 kernel. Keras 3 accepts strides and dilation together (it runs the dilated op at stride
 * 1, then keeps every stride-th output); tf-keras's SeparableConv1D also takes "causal" padding.
 */
import {convParams} from '../layers/conv.js'
import {BackendError} from '../errors.js'
import type {Tensor} from '@tensorflow/tfjs-core'
import {type Padding, checkWindow, finish, floatInput, padSpatial, paddingOf, requiredWeight, toChannelsLast, weightOf} from './conv-common.js'
import {convND, depthwiseND} from './conv-ops.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute} from './types.js'

/** The depthwise step of either class on the layer's input, channels-last; also says the data format. */
function depthwiseStep(c: ComputeCall, n: number, causal: boolean): {y: Tensor; cf: boolean} {
  const tf = c.tf
  const p = convParams(c.config, n)
  checkWindow(c, p.strides, p.dilation)
  const kernel = requiredWeight(c, 'depthwise_kernel')
  const input = floatInput(c)
  if (input.rank !== n + 2) throw new BackendError('KM_BACKEND_INPUT', `Layer class ${c.class_name}: the input has rank ${input.rank}; Keras expects ${n + 2}.`)
  let x = toChannelsLast(tf, input, p.cf)
  let padding: Padding | 'causal' = paddingOf(c, p.padding, causal)
  if (padding === 'causal') {
    x = padSpatial(tf, x, [[((kernel.shape[0] ?? 1) - 1) * (p.dilation[0] ?? 1), 0]])
    padding = 'valid'
  }
  if (x.shape[n + 1] !== kernel.shape[n]) {
    throw new BackendError('KM_BACKEND_INPUT', `Layer class ${c.class_name}: ${String(x.shape[n + 1])} input channels do not fit the depthwise kernel ${JSON.stringify(kernel.shape)}.`)
  }
  return {y: depthwiseND(tf, x, kernel, {strides: p.strides, dilation: p.dilation, padding}), cf: p.cf}
}

function depthwise(n: number): LayerCompute {
  return {
    call(c: ComputeCall): ComputeOutput {
      const {y, cf} = depthwiseStep(c, n, false)
      return {outputs: [finish(c, y, weightOf(c, 'bias'), cf)]}
    },
  }
}

function separable(n: number): LayerCompute {
  return {
    call(c: ComputeCall): ComputeOutput {
      const causal = n === 1 && c.generation === 'keras2'
      const {y, cf} = depthwiseStep(c, n, causal)
      const pointwise = requiredWeight(c, 'pointwise_kernel')
      const ones = Array.from({length: n}, () => 1)
      const mixed = convND(c.tf, y, pointwise, {strides: ones, dilation: ones, padding: 'valid'})
      return {outputs: [finish(c, mixed, weightOf(c, 'bias'), cf)]}
    },
  }
}

const DEPTHWISE1D = depthwise(1)
const DEPTHWISE2D = depthwise(2)
const SEPARABLE1D = separable(1)
const SEPARABLE2D = separable(2)

/** The depthwise and separable classes, with their aliases. */
export const SEPARABLE_COMPUTE: ComputeTable = {
  DepthwiseConv1D: DEPTHWISE1D,
  DepthwiseConv2D: DEPTHWISE2D,
  SeparableConv1D: SEPARABLE1D,
  SeparableConv2D: SEPARABLE2D,
  SeparableConvolution1D: SEPARABLE1D,
  SeparableConvolution2D: SEPARABLE2D,
}
