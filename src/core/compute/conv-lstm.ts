/**
 * The ConvLSTM cell (ConvLSTM1D/2D/3D), from Keras's ConvLSTMCell.call (keras/src/layers/rnn/conv_lstm.py,
 * tf_keras/src/layers/rnn/base_conv_lstm.py): the LSTM gates (i, f, c, o: the kernel's last axis in four)
 * with the products replaced by convolutions: the input convolution uses the layer's strides, padding and
 * dilation plus the bias; the recurrent one is stride 1, "same" padding, no dilation.
 * c = f·c₋₁ + i·activation(x_c + h_c); h = o·activation(c). kmodel convolves channels-last; a channels_first
 * layer's states and outputs are transposed in and out, so they keep Keras's layout.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {convParams} from '../layers/conv.js'
import {activationFn} from './activations.js'
import {type Cell, WeightCursor, gateBlocks, recurrentActivationValue, refuseTrainingDropout, truthy} from './rnn-common.js'
import type {ComputeCall} from './types.js'

type Conv = (x: Tensor, kernel: Tensor) => Tensor

/** An n-D convolution of channels-last x (N, spatial…, C) with a (k…, C, F) kernel. */
function convolution(c: ComputeCall, rank: number, strides: number[], padding: 'valid' | 'same', dilation: number[]): Conv {
  const tf = c.tf
  if (rank === 1) return (x, k) => tf.conv1d(x as never, k as never, strides[0] ?? 1, padding, 'NWC', dilation[0] ?? 1)
  if (rank === 2) return (x, k) => tf.conv2d(x as never, k as never, strides as [number, number], padding, 'NHWC', dilation as [number, number])
  return (x, k) => tf.conv3d(x as never, k as never, strides as [number, number, number], padding, 'NDHWC', dilation as [number, number, number])
}

/** Permutations between channels_first and channels_last for a tensor of rank `rank + 2`. */
function permutations(rank: number): {toLast: number[]; toFirst: number[]} {
  const spatial = Array.from({length: rank}, (_, i) => i + 2)
  return {toLast: [0, ...spatial, 1], toFirst: [0, rank + 1, ...spatial.map((a) => a - 1)]}
}

/** The padding argument ("valid" / "same"; Keras 1 `border_mode`). */
function paddingOf(c: ComputeCall, padding: string): 'valid' | 'same' {
  if (padding === 'valid' || padding === 'same') return padding
  throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument 'padding' = ${JSON.stringify(padding)} is not computed by kmodel (Keras's ConvLSTM takes "valid" or "same").`)
}

/** The ConvLSTM cell of a ConvLSTM{rank}D layer config (see the module comment). */
export function convLstmCell(c: ComputeCall, rank: number): Cell {
  const cfg = c.config
  const layer = c.class_name
  refuseTrainingDropout(c, cfg, layer)
  const tf = c.tf
  const p = convParams(cfg, rank)
  const act = activationFn(tf, c.generation, cfg.activation === undefined ? 'tanh' : cfg.activation)
  const rec = activationFn(tf, c.generation, recurrentActivationValue(c, cfg, layer))
  const w = new WeightCursor(c.weights, layer)
  const kernels = gateBlocks(tf, w.next('kernel'), 4)
  const recurrent = gateBlocks(tf, w.next('recurrent_kernel'), 4)
  const biases = truthy(cfg, 'use_bias', true) ? gateBlocks(tf, w.next('bias'), 4) : null
  const inputConv = convolution(c, rank, p.strides, paddingOf(c, p.padding), p.dilation)
  const recurrentConv = convolution(c, rank, p.strides.map(() => 1), 'same', p.strides.map(() => 1))
  const {toLast, toFirst} = permutations(rank)
  const inLayout = (t: Tensor): Tensor => (p.cf ? tf.transpose(t, toLast) : t)
  const outLayout = (t: Tensor): Tensor => (p.cf ? tf.transpose(t, toFirst) : t)
  return {
    stateCount: 2,
    project: (x) => {
      const xl = inLayout(x)
      return kernels.map((k, g) => {
        const y = inputConv(xl, k)
        return biases === null ? y : tf.add(y, biases[g] as Tensor)
      })
    },
    step: (projected, [hPrev, cPrev]) => {
      const h = inLayout(hPrev as Tensor)
      const carry = inLayout(cPrev as Tensor)
      const gate = (g: number): Tensor => tf.add(projected[g] as Tensor, recurrentConv(h, recurrent[g] as Tensor))
      const i = rec(gate(0))
      const f = rec(gate(1))
      const cNew = tf.add(tf.mul(f, carry), tf.mul(i, act(gate(2))))
      const hNew = tf.mul(rec(gate(3)), act(cNew))
      const out = outLayout(hNew)
      return {output: out, states: [out, outLayout(cNew)]}
    },
    zeros: (projected) => {
      const zero = outLayout(tf.zerosLike(projected[0] as Tensor))
      return [zero, zero]
    },
  }
}
