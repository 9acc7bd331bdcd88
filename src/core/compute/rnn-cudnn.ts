/**
 * CuDNNLSTM and CuDNNGRU (tf-keras's cudnn_lstm.py / cudnn_gru.py, Keras 2.0–2.3's cudnn_recurrent.py), as the
 * CudnnRNN op computes them from the layer's variables:
 * - The kernels are (input, gates·units) and (units, gates·units) with Keras's gate order (LSTM i, f, c, o;
 *   GRU z, r, h), but each gate's block is handed to cuDNN flattened and read back as a (units, rows) matrix
 *   that multiplies the input (`canonical_to_params` without `transpose_weights`): the matrix in effect is
 *   reshape(block, [units, rows])ᵀ. Keras's own CuDNN → LSTM/GRU weight converter undoes exactly this.
 * - Two biases per gate: input ones then recurrent ones (8·units, 6·units). LSTM adds both inside every gate;
 *   GRU applies the recurrent h bias inside the reset product (reset_after).
 * - Activations are fixed: tanh, and sigmoid for the gates.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {JsonObject} from '../json.js'
import {type Cell, type WeightCursor, gateBlocks, gateProjections, unitsOf} from './rnn-common.js'
import {gruStep, lstmStep} from './rnn-cells.js'
import type {ComputeCall} from './types.js'

/** The matrices cuDNN multiplies with, gate by gate: reshape(block, [units, rows])ᵀ. */
function cudnnBlocks(c: ComputeCall, kernel: Tensor, gates: number, units: number): Tensor[] {
  const rows = kernel.shape[0] ?? 0
  return gateBlocks(c.tf, kernel, gates).map((g) => c.tf.transpose(c.tf.reshape(g, [units, rows])))
}

const zeros = (c: ComputeCall, units: number, count: number) => (p: Tensor[]): Tensor[] =>
  Array.from({length: count}, () => c.tf.zeros([p[0]?.shape[0] ?? 0, units]))

/** CuDNNLSTM: gates i, f, c, o; bias (8u) = input biases then recurrent biases, added together. */
export function cudnnLstm(c: ComputeCall, cfg: JsonObject, w: WeightCursor): Cell {
  const tf = c.tf
  const u = unitsOf(cfg)
  const kernels = cudnnBlocks(c, w.next('kernel'), 4, u)
  const recurrent = cudnnBlocks(c, w.next('recurrent_kernel'), 4, u)
  const [input, rec] = tf.split(w.next('bias'), 2) as [Tensor, Tensor]
  const biases = gateBlocks(tf, tf.add(input, rec), 4)
  return {
    stateCount: 2,
    project: (x) => gateProjections(tf, x, kernels, biases),
    step: lstmStep(c, (x) => tf.tanh(x), (x) => tf.sigmoid(x), recurrent, null),
    zeros: zeros(c, u, 2),
  }
}

/** CuDNNGRU: gates z, r, h; bias (6u) = input biases then recurrent biases; the reset applies after. */
export function cudnnGru(c: ComputeCall, cfg: JsonObject, w: WeightCursor): Cell {
  const tf = c.tf
  const u = unitsOf(cfg)
  const kernels = cudnnBlocks(c, w.next('kernel'), 3, u)
  const recurrent = cudnnBlocks(c, w.next('recurrent_kernel'), 3, u)
  const [input, rec] = tf.split(w.next('bias'), 2) as [Tensor, Tensor]
  return {
    stateCount: 1,
    project: (x) => gateProjections(tf, x, kernels, gateBlocks(tf, input, 3)),
    step: gruStep(c, {act: (x) => tf.tanh(x), rec: (x) => tf.sigmoid(x), recurrent, recurrentBias: gateBlocks(tf, rec, 3), resetAfter: true}),
    zeros: zeros(c, u, 1),
  }
}
