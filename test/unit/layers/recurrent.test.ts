import {describe, expect, it} from 'vitest'
import {entry, frozen, out, params, run, shapes} from './builders.js'

describe('SimpleRNN / LSTM / GRU', () => {
  it('GRU(5) on 4 features: 150 without reset_after, 165 with (bias (2, 15))', () => {
    expect(params(run('GRU', {units: 5, reset_after: false}, [[null, 10, 4]]))).toBe(150)
    const r = run('GRU', {units: 5, reset_after: true}, [[null, 10, 4]])
    expect(params(r)).toBe(165)
    expect(shapes(r)[2]).toEqual(['bias', [2, 15]])
  })

  it('LSTM(3) on 2 features: 4·(3·(2+3)+3) = 72, gates stacked on the last axis', () => {
    const r = run('LSTM', {units: 3}, [[null, 10, 2]])
    expect(shapes(r)).toEqual([['kernel', [2, 12]], ['recurrent_kernel', [3, 12]], ['bias', [12]]])
    expect(params(r)).toBe(72)
    expect(out(r)).toEqual([null, 3])
  })

  it('return_sequences and return_state', () => {
    expect(out(run('LSTM', {units: 3, return_sequences: true}, [[null, 10, 2]]))).toEqual([null, 10, 3])
    expect(run('LSTM', {units: 3, return_state: true}, [[null, 10, 2]]).outputs).toEqual([[null, 3], [null, 3], [null, 3]])
    expect(run('GRU', {units: 3, return_state: true, return_sequences: true}, [[null, 10, 2]]).outputs).toEqual([[null, 10, 3], [null, 3]])
    expect(out(run('SimpleRNN', {units: 3, return_sequences: true, time_major: true}, [[10, null, 2]]))).toEqual([10, null, 3])
  })

  it('SimpleRNN(4) on 3 features: 12 + 16 + 4', () => {
    expect(params(run('SimpleRNN', {units: 4}, [[null, 5, 3]]))).toBe(32)
  })

  it('CuDNNLSTM / CuDNNGRU carry doubled biases (8u / 6u)', () => {
    expect(shapes(run('CuDNNLSTM', {units: 3}, [[null, 5, 2]]))[2]).toEqual(['bias', [24]])
    expect(params(run('CuDNNGRU', {units: 5}, [[null, 5, 4]]))).toBe(60 + 75 + 30)
  })

  it('tf.keras 2.4+ names variables inside the cell scope; Keras 2.2/2.3-tf and Keras 3 do not', () => {
    expect(shapes(run('GRU', {units: 2}, [[null, 3, 1]], {version: '2.4.0'})).map(([n]) => n)).toEqual(['gru_cell/kernel', 'gru_cell/recurrent_kernel', 'gru_cell/bias'])
    expect(shapes(run('LSTM', {units: 2}, [[null, 3, 1]], {version: '2.2.4-tf'}))[0]?.[0]).toBe('kernel')
    expect(shapes(run('LSTM', {units: 2}, [[null, 3, 1]], {version: '3.4.1'}))[0]?.[0]).toBe('kernel')
    const bi = run('Bidirectional', {layer: entry('LSTM', {name: 'lstm', units: 2})}, [[null, 3, 1]], {version: '2.12.0'})
    expect(shapes(bi)[0]?.[0]).toBe('forward_lstm/lstm_cell/kernel')
  })

  it('Keras 1 output_dim is read as units', () => {
    expect(params(run('LSTM', {output_dim: 3}, [[null, 10, 2]]))).toBe(72)
  })
})

describe('RNN with cells', () => {
  it('RNN(LSTMCell) equals LSTM', () => {
    expect(params(run('RNN', {cell: entry('LSTMCell', {units: 3, name: 'c'})}, [[null, 10, 2]]))).toBe(72)
  })

  it('StackedRNNCells chain their units', () => {
    const cell = entry('StackedRNNCells', {cells: [entry('LSTMCell', {units: 3}), entry('GRUCell', {units: 2, reset_after: true})]})
    const r = run('RNN', {cell, return_sequences: true}, [[null, 10, 2]])
    expect(params(r)).toBe(72 + 42)
    expect(out(r)).toEqual([null, 10, 2])
    expect(run('RNN', {cell, return_state: true}, [[null, 10, 2]]).outputs?.length).toBe(1 + 3)
  })

  it('a custom cell is opaque', () => {
    expect(run('RNN', {cell: entry('MinimalRNNCell', {units: 3})}, [[null, 10, 2]])).toEqual({outputs: null, weights: null})
  })
})

describe('ConvLSTM', () => {
  it('ConvLSTM2D(4, 3x3) on 10x10x1 frames', () => {
    const r = run('ConvLSTM2D', {filters: 4, kernel_size: [3, 3]}, [[null, 5, 10, 10, 1]])
    expect(out(r)).toEqual([null, 8, 8, 4])
    expect(params(r)).toBe(144 + 576 + 16)
    expect(out(run('ConvLSTM2D', {filters: 4, kernel_size: 3, padding: 'same', return_sequences: true}, [[null, 5, 10, 10, 1]]))).toEqual([null, 5, 10, 10, 4])
  })

  it('ConvLSTM1D and ConvLSTM3D', () => {
    expect(params(run('ConvLSTM1D', {filters: 2, kernel_size: 3}, [[null, 4, 10, 3]]))).toBe(3 * 3 * 8 + 3 * 2 * 8 + 8)
    expect(out(run('ConvLSTM3D', {filters: 2, kernel_size: 1}, [[null, 4, 3, 3, 3, 1]]))).toEqual([null, 3, 3, 3, 2])
  })
})

describe('Bidirectional and TimeDistributed', () => {
  const lstm = entry('LSTM', {name: 'lstm', units: 3})

  it('concat doubles the units and the weights (forward first)', () => {
    const r = run('Bidirectional', {layer: lstm, merge_mode: 'concat'}, [[null, 10, 2]])
    expect(out(r)).toEqual([null, 6])
    expect(params(r)).toBe(144)
    expect(shapes(r).map(([n]) => n)).toEqual([
      'forward_lstm/kernel', 'forward_lstm/recurrent_kernel', 'forward_lstm/bias',
      'backward_lstm/kernel', 'backward_lstm/recurrent_kernel', 'backward_lstm/bias',
    ])
  })

  it('sum keeps the units; None returns both directions', () => {
    expect(out(run('Bidirectional', {layer: lstm, merge_mode: 'sum'}, [[null, 10, 2]]))).toEqual([null, 3])
    expect(run('Bidirectional', {layer: lstm, merge_mode: null}, [[null, 10, 2]]).outputs).toEqual([[null, 3], [null, 3]])
  })

  it('return_state adds forward then backward states after the merged output', () => {
    const withState = entry('LSTM', {name: 'lstm', units: 3, return_state: true, return_sequences: true})
    expect(run('Bidirectional', {layer: withState}, [[null, 10, 2]]).outputs).toEqual([[null, 10, 6], [null, 3], [null, 3], [null, 3], [null, 3]])
  })

  it('a distinct backward_layer config is used', () => {
    const r = run('Bidirectional', {layer: lstm, backward_layer: entry('GRU', {name: 'backward_gru', units: 2, reset_after: false})}, [[null, 10, 2]])
    expect(out(r)).toEqual([null, 5])
    expect(params(r)).toBe(72 + 3 * (2 * 4 + 2))
  })

  it('Bidirectional of a frozen wrapper freezes both directions', () => {
    expect(frozen(run('Bidirectional', {layer: lstm, trainable: false}, [[null, 10, 2]]))).toBe(144)
  })

  it('TimeDistributed(Dense(5)) on (10, 4)', () => {
    const r = run('TimeDistributed', {layer: entry('Dense', {units: 5})}, [[null, 10, 4]])
    expect(out(r)).toEqual([null, 10, 5])
    expect(params(r)).toBe(25)
    expect(out(run('TimeDistributed', {layer: entry('Conv2D', {filters: 2, kernel_size: 3})}, [[null, 4, 8, 8, 1]]))).toEqual([null, 4, 6, 6, 2])
  })
})
