/**
 * Compute functions of the recurrent family (see types.ts), from Keras's own layers: SimpleRNN, LSTM, GRU
 * (reset_after either way), CuDNNLSTM / CuDNNGRU (cuDNN's bias layout, Keras's gate order), RNN over a built-in
 * cell or a list / StackedRNNCells of them, the cells called directly as layers (one step), and
 * ConvLSTM1D/2D/3D. The cells are in rnn-cells.ts and conv-lstm.ts, the time loop in rnn-loop.ts, the layer
 * around it (states, masks, outputs) in rnn-layer.ts.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {convLstmCell} from './conv-lstm.js'
import {cellFromEntry, layerCell} from './rnn-cells.js'
import {type Cell, WeightCursor} from './rnn-common.js'
import {cudnnGru, cudnnLstm} from './rnn-cudnn.js'
import {keywordTensors, layerOptions, runRecurrent} from './rnn-layer.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute, RefusalTable} from './types.js'

/** A recurrent layer whose cell is built from the layer's own config (SimpleRNN, LSTM, GRU, CuDNN*). */
function recurrentLayer(kind: string): LayerCompute {
  return {
    call: (c) => {
      const w = new WeightCursor(c.weights, c.class_name)
      const cudnn = kind === 'CuDNNLSTM' ? cudnnLstm : kind === 'CuDNNGRU' ? cudnnGru : undefined
      const cell = cudnn === undefined ? layerCell(c, kind, c.config, w, c.class_name) : cudnn(c, c.config, w)
      return runRecurrent(c, cell, layerOptions(c, c.config, c.class_name, cudnn !== undefined))
    },
  }
}

/** RNN: the `cell` entry (or a Keras 3 list of cells) run by the generic layer. */
const rnn: LayerCompute = {
  call: (c) => {
    const cell = cellFromEntry(c, c.config.cell, new WeightCursor(c.weights, c.class_name), c.class_name)
    return runRecurrent(c, cell, layerOptions(c, c.config, c.class_name))
  },
}

/** ConvLSTM1D/2D/3D: the convolutional LSTM cell run by the generic layer. */
function convLstmLayer(rank: number): LayerCompute {
  return {
    call: (c) => runRecurrent(c, convLstmCell(c, rank), layerOptions(c, c.config, c.class_name)),
  }
}

/**
 * The states of a cell called directly: Keras 3 passes them positionally after the input (flattened by the
 * executor), Keras 2 by the `states` keyword.
 */
function cellStates(c: ComputeCall, cell: Cell, first: Tensor[]): Tensor[] {
  const positional = c.inputs.slice(1)
  const given = positional.length > 0 ? positional : keywordTensors(c, 'states')
  if (given.length === 0) return cell.zeros(first)
  if (given.length !== cell.stateCount) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: the cell has ${cell.stateCount} states but was passed ${given.length}.`)
  }
  return given
}

/**
 * A cell called as a layer: one step, `cell(x, states)` → (output, new states). Keras returns the output then
 * the new states (flattened); the executor gets as many of them as the shape rule lists.
 */
const cellAsLayer: LayerCompute = {
  call: (c): ComputeOutput => {
    const cell = cellFromEntry(c, {class_name: c.class_name, config: c.config}, new WeightCursor(c.weights, c.class_name), c.class_name)
    const x = c.inputs[0]
    if (x === undefined) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: the call has no input.`)
    const projected = cell.project(x)
    const result = cell.step(projected, cellStates(c, cell, projected))
    const outputs = [result.output, ...result.states].slice(0, Math.max(1, c.output_shapes.length))
    return {outputs, masks: outputs.map(() => null)}
  },
}

/** Every recurrent class kmodel computes, by class name. */
export const RECURRENT_COMPUTE: ComputeTable = {
  SimpleRNN: recurrentLayer('SimpleRNN'),
  LSTM: recurrentLayer('LSTM'),
  GRU: recurrentLayer('GRU'),
  CuDNNLSTM: recurrentLayer('CuDNNLSTM'),
  CuDNNGRU: recurrentLayer('CuDNNGRU'),
  RNN: rnn,
  SimpleRNNCell: cellAsLayer,
  LSTMCell: cellAsLayer,
  GRUCell: cellAsLayer,
  PeepholeLSTMCell: cellAsLayer,
  StackedRNNCells: cellAsLayer,
  ConvLSTM1D: convLstmLayer(1),
  ConvLSTM2D: convLstmLayer(2),
  ConvLSTM3D: convLstmLayer(3),
}

/** Recurrent classes Keras has and kmodel refuses to compute. */
export const RECURRENT_REFUSED: RefusalTable = {
  ConvRNN2D: 'a Keras 2.1–2.3 base class whose weights kmodel cannot lay out (no shape rule); Keras writes its ConvLSTM2D, which kmodel computes, as ConvLSTM2D',
  ConvLSTM2DCell: 'a Keras 2.1–2.3 cell that runs only inside ConvRNN2D, which kmodel does not compute; ConvLSTM2D computes the same cell',
}
