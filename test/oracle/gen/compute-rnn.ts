/**
 * Compute cases, recurrent family: SimpleRNN / LSTM / GRU × return_sequences, go_backwards, unroll, activations,
 * return_state (a multi-output functional model), GRU reset_after both ways; RNN over each cell and over
 * stacked cells; Bidirectional × merge_mode; masks from Masking and Embedding(mask_zero); TimeDistributed;
 * ConvLSTM1D/2D/3D.
 */
import type {Generation} from '../harness.js'
import {type Args, type ComputeCase, graph, idOf, nested, one, stack} from './compute-build.js'
import {CPU_CHANNELS_FIRST_REFUSED} from './compute-conv.js'
import {MASKED_STEPS} from './compute-shape.js'

const SEQ = [4, 3]
const U = {units: 3}

function basics(className: string): ComputeCase[] {
  const gated = className !== 'SimpleRNN'
  const cases = [
    one(className, U, SEQ),
    one(className, {...U, return_sequences: true}, SEQ),
    one(className, {...U, go_backwards: true, return_sequences: true}, SEQ),
    one(className, {...U, unroll: true, return_sequences: true}, SEQ),
    one(className, {...U, activation: 'relu', use_bias: false}, SEQ),
    one(className, {...U, dropout: 0.5, recurrent_dropout: 0.5}, SEQ),
  ]
  if (gated) cases.push(one(className, {...U, recurrent_activation: 'hard_sigmoid'}, SEQ), one(className, {...U, activation: 'softsign', recurrent_activation: 'tanh'}, SEQ))
  return cases
}

/** return_state: the output and every state as outputs of a functional model. */
function withState(className: string, extra: Args = {}): ComputeCase {
  const args = {...U, return_state: true, ...extra}
  const states = className === 'LSTM' ? ['h', 'c'] : ['h']
  return graph(idOf(className, args), [{name: 'x', shape: SEQ}], [{name: 'l', class_name: className, args}], [{layer: 'l', inputs: 'x', output: ['y', ...states]}], ['y', ...states])
}

function rnnOverCells(): ComputeCase[] {
  const cell = (name: string): {class_name: string; args: Args} => nested(name, {units: 3})
  return [
    one('RNN', {cell: cell('SimpleRNNCell')}, SEQ),
    one('RNN', {cell: cell('LSTMCell'), return_sequences: true}, SEQ),
    one('RNN', {cell: cell('GRUCell'), go_backwards: true}, SEQ),
    one('RNN', {cell: [cell('LSTMCell'), nested('GRUCell', {units: 2})]}, SEQ),
    one('RNN', {cell: nested('StackedRNNCells', {cells: [cell('SimpleRNNCell'), nested('LSTMCell', {units: 2})]}), return_sequences: true}, SEQ),
  ]
}

function bidirectional(): ComputeCase[] {
  const cases: ComputeCase[] = []
  for (const merge_mode of ['concat', 'sum', 'mul', 'ave']) cases.push(one('Bidirectional', {layer: nested('LSTM', U), merge_mode}, SEQ))
  // merge_mode None: the forward and backward outputs are two outputs.
  const none = {layer: nested('LSTM', {...U, return_sequences: true}), merge_mode: null}
  cases.push(graph(idOf('Bidirectional', none), [{name: 'x', shape: SEQ}], [{name: 'l', class_name: 'Bidirectional', args: none}], [{layer: 'l', inputs: 'x', output: ['f', 'b']}], ['f', 'b']))
  cases.push(
    one('Bidirectional', {layer: nested('GRU', {...U, return_sequences: true})}, SEQ),
    one('Bidirectional', {layer: nested('SimpleRNN', U), merge_mode: 'sum'}, SEQ),
    one('Bidirectional', {layer: nested('LSTM', U), backward_layer: nested('GRU', {...U, go_backwards: true})}, SEQ),
  )
  return cases
}

function masked(): ComputeCase[] {
  const INT = {dtype: 'int32', range: [0, 4] as [number, number]}
  const emb = (extra: Args = {}): readonly [string, Args] => ['Embedding', {input_dim: 4, output_dim: 3, mask_zero: true, ...extra}]
  return [
    stack('Masking+LSTM/mask_value=0', SEQ, [['Masking', {mask_value: 0}], ['LSTM', U]], {set: MASKED_STEPS(0)}),
    stack('Masking+GRU/return_sequences=true', SEQ, [['Masking', {mask_value: 0}], ['GRU', {...U, return_sequences: true}]], {set: MASKED_STEPS(0)}),
    stack('Masking+SimpleRNN/go_backwards=true', SEQ, [['Masking', {mask_value: 0}], ['SimpleRNN', {...U, go_backwards: true}]], {set: MASKED_STEPS(0)}),
    stack('Embedding+LSTM/mask_zero=true', [5], [emb(), ['LSTM', U]], INT),
    stack('Embedding+LSTM/mask_zero=true,return_sequences=true', [5], [emb(), ['LSTM', {...U, return_sequences: true}]], INT),
    stack('Embedding+Bidirectional(GRU)/mask_zero=true', [5], [emb(), ['Bidirectional', {layer: nested('GRU', U)}]], INT),
  ]
}

function timeDistributed(): ComputeCase[] {
  return [
    one('TimeDistributed', {layer: nested('Dense', {units: 2, activation: 'relu'})}, [3, 4]),
    one('TimeDistributed', {layer: nested('Conv2D', {filters: 2, kernel_size: 2})}, [2, 4, 4, 2]),
    one('TimeDistributed', {layer: nested('Flatten', {})}, [2, 2, 3]),
  ]
}

function convLstm(g: Generation): ComputeCase[] {
  const k = {filters: 2, kernel_size: 2}
  const cases = [
    one('ConvLSTM1D', k, [3, 5, 2]),
    one('ConvLSTM1D', {...k, padding: 'same', return_sequences: true}, [3, 5, 2]),
    one('ConvLSTM2D', k, [2, 4, 4, 2]),
    one('ConvLSTM2D', {...k, padding: 'same', return_sequences: true, go_backwards: true}, [2, 4, 4, 2]),
    one('ConvLSTM2D', {...k, strides: 2, recurrent_activation: 'hard_sigmoid'}, [2, 5, 5, 1]),
    one('ConvLSTM3D', k, [2, 3, 3, 3, 1]),
  ]
  for (const name of ['ConvLSTM1D', 'ConvLSTM2D']) {
    if (CPU_CHANNELS_FIRST_REFUSED[g].has(name)) continue
    cases.push(one(name, {...k, data_format: 'channels_first'}, name === 'ConvLSTM1D' ? [3, 2, 5] : [2, 2, 4, 4]))
  }
  return cases
}

/** The recurrent family for one generation. */
export function recurrentCases(g: Generation): ComputeCase[] {
  return [
    ...['SimpleRNN', 'LSTM', 'GRU'].flatMap(basics),
    withState('SimpleRNN'), withState('LSTM'), withState('GRU'), withState('LSTM', {return_sequences: true, go_backwards: true}),
    one('GRU', {...U, reset_after: false}, SEQ),
    one('GRU', {...U, reset_after: false, return_sequences: true, go_backwards: true}, SEQ),
    withState('GRU', {reset_after: false}),
    ...rnnOverCells(),
    ...bidirectional(),
    ...masked(),
    ...timeDistributed(),
    ...convLstm(g),
  ]
}
