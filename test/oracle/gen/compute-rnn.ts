/**
 * Compute cases, recurrent family: SimpleRNN / LSTM / GRU × return_sequences, go_backwards, unroll, activations,
 * return_state (a multi-output functional model), GRU reset_after both ways; RNN over each cell and over
 * stacked cells; Bidirectional × merge_mode; masks from Masking and Embedding(mask_zero); TimeDistributed;
 * ConvLSTM1D/2D/3D. Beyond those (extras): masked steps with go_backwards / unroll / return_sequences (what a
 * masked step outputs, and Bidirectional's zero_output_for_mask, also unrolled), return_state through
 * Bidirectional, masks through TimeDistributed, and tf-keras's time_major and initial states passed as inputs.
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

/** A one-layer functional model whose layer returns several tensors (return_state, merge_mode None). */
function multiOut(className: string, args: Args, outputs: string[], shape: number[] = SEQ): ComputeCase {
  return graph(idOf(className, args), [{name: 'x', shape}], [{name: 'l', class_name: className, args}], [{layer: 'l', inputs: 'x', output: outputs}], outputs)
}

/** Masked steps through the loop's variants: held outputs, zeroed outputs (Bidirectional), unrolled. */
function maskedExtras(): ComputeCase[] {
  const masked = (id: string, layer: readonly [string, Args]): ComputeCase => stack(id, SEQ, [['Masking', {mask_value: 0}], layer], {set: MASKED_STEPS(0)})
  const seqs = {...U, return_sequences: true}
  return [
    masked('Masking+LSTM/go_backwards=true,return_sequences=true', ['LSTM', {...seqs, go_backwards: true}]),
    masked('Masking+GRU/unroll=true,return_sequences=true', ['GRU', {...seqs, unroll: true}]),
    masked('Masking+SimpleRNN/unroll=true,go_backwards=true,return_sequences=true', ['SimpleRNN', {...seqs, unroll: true, go_backwards: true}]),
    masked('Masking+RNN/cell=LSTMCell,zero_output_for_mask=true,return_sequences=true', ['RNN', {cell: nested('LSTMCell', U), zero_output_for_mask: true, return_sequences: true}]),
    masked('Masking+Bidirectional(LSTM)/return_sequences=true', ['Bidirectional', {layer: nested('LSTM', seqs)}]),
    masked('Masking+Bidirectional(GRU)/unroll=true,return_sequences=true', ['Bidirectional', {layer: nested('GRU', {...seqs, unroll: true}), merge_mode: 'sum'}]),
    masked('Masking+Bidirectional(SimpleRNN)/unroll=true', ['Bidirectional', {layer: nested('SimpleRNN', {...U, unroll: true})}]),
    stack('Masking+TimeDistributed(Dense)+LSTM/mask_value=0', SEQ, [['Masking', {mask_value: 0}], ['TimeDistributed', {layer: nested('Dense', {units: 2})}], ['LSTM', seqs]], {set: MASKED_STEPS(0)}),
    stack('Embedding+LSTM+GRU/mask_zero=true', [5], [['Embedding', {input_dim: 4, output_dim: 3, mask_zero: true}], ['LSTM', seqs], ['GRU', U]], {dtype: 'int32', range: [0, 4]}),
  ]
}

/** return_state and merge_mode None through Bidirectional; other cell and layer variants. */
function extras(): ComputeCase[] {
  return [
    multiOut('Bidirectional', {layer: nested('LSTM', {...U, return_state: true})}, ['y', 'hf', 'cf', 'hb', 'cb']),
    multiOut('Bidirectional', {layer: nested('GRU', {...U, return_state: true, return_sequences: true}), merge_mode: null}, ['f', 'b', 'hf', 'hb']),
    one('LSTM', {...U, implementation: 1, return_sequences: true}, SEQ),
    one('GRU', {...U, implementation: 1, reset_after: false}, SEQ),
    one('RNN', {cell: nested('GRUCell', {units: 3, reset_after: false}), return_sequences: true}, SEQ),
    multiOut('RNN', {cell: nested('StackedRNNCells', {cells: [nested('GRUCell', {units: 3}), nested('SimpleRNNCell', {units: 2})]}), return_state: true}, ['y', 'h1', 'h2']),
    one('TimeDistributed', {layer: nested('LSTM', {units: 2})}, [2, 4, 3]),
    one('Bidirectional', {layer: nested('LSTM', {...U, go_backwards: true}), backward_layer: nested('LSTM', {units: 2})}, SEQ),
  ]
}

/**
 * tf-keras only: `time_major` (the batch axis of the model input is the time axis), and initial states passed
 * as extra inputs of the call (`layer([x, h, c])`, which tf-keras saves as positional inputs).
 */
function keras2Extras(): ComputeCase[] {
  const states = (className: string, args: Args, names: string[]): ComputeCase => graph(
    `${idOf(className, args)}+initial_state`,
    [{name: 'x', shape: SEQ}, ...names.map((name) => ({name, shape: [3]}))],
    [{name: 'l', class_name: className, args}],
    [{layer: 'l', inputs: ['x', ...names], output: 'y'}],
    ['y'],
  )
  return [
    one('LSTM', {...U, time_major: true, return_sequences: true}, SEQ),
    one('GRU', {...U, time_major: true, go_backwards: true}, SEQ),
    one('Bidirectional', {layer: nested('LSTM', {...U, time_major: true, return_sequences: true})}, SEQ),
    states('LSTM', {...U, return_sequences: true}, ['h', 'c']),
    states('GRU', U, ['h']),
    states('Bidirectional', {layer: nested('LSTM', U)}, ['hf', 'cf', 'hb', 'cb']),
  ]
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
    ...maskedExtras(),
    ...extras(),
    ...(g === 'keras2' ? keras2Extras() : []),
  ]
}
