import {describe, expect, it} from 'vitest'
import {summarize} from '../../../src/core/graph/summarize.js'
import {functionalGraph, input, layer, model, nested, node, sequentialGraph} from './builders.js'

/** Inner Sequential: InputLayer, Dense(3), BatchNormalization, Dense(2) on 4 features. */
function inner(name: string, calls: ReturnType<typeof node>[], config = {}) {
  return nested('Sequential', name, sequentialGraph([
    input(`${name}_input`, [null, 4]),
    layer('Dense', `${name}_d1`, {units: 3}),
    layer('BatchNormalization', `${name}_bn`),
    layer('Dense', `${name}_d2`, {units: 2}),
  ]), calls, config)
}

describe('nested models', () => {
  it('a nested Sequential starting with an InputLayer is referenced as node 1 (Keras 2) and sums its sublayers', () => {
    const s = summarize(model('Functional', 'outer', functionalGraph([
      input('x', [null, 4]),
      inner('seq', [node([['x', 0, 0]])]),
      layer('Dense', 'head', {units: 1}, [node([['seq', 1, 0]])]),
    ], [['x', 0, 0]], [['head', 0, 0]])))
    const row = s.rows[1]
    expect(row?.output_shape).toEqual([null, 2])
    expect(row?.params).toBe(15 + 12 + 8)
    expect(row?.non_trainable_params).toBe(6)
    expect(row?.children?.map((c) => c.name)).toEqual(['seq_d1', 'seq_bn', 'seq_d2'])
    expect(row?.weights?.map((w) => w.name)).toEqual([
      'seq_d1/kernel', 'seq_d1/bias', 'seq_bn/gamma', 'seq_bn/beta', 'seq_d2/kernel', 'seq_d2/bias',
      'seq_bn/moving_mean', 'seq_bn/moving_variance',
    ])
    // Printed as the live model numbers the call (real tf_keras 2.18 output), not as the file saves it (1).
    expect(s.rows[2]?.connected_to).toEqual(['seq[0][0]'])
    expect(s.total_params).toBe(35 + 3)
    expect(s.non_trainable_params).toBe(6)
  })

  it('a frozen nested model moves all its weights to non-trainable, keeping the order', () => {
    const s = summarize(model('Functional', 'outer', functionalGraph([
      input('x', [null, 4]),
      inner('seq', [node([['x', 0, 0]])], {trainable: false}),
    ], [['x', 0, 0]], [['seq', 1, 0]])))
    expect([s.trainable_params, s.non_trainable_params]).toEqual([0, 35])
    expect(s.rows[1]?.weights?.every((w) => !w.trainable)).toBe(true)
    expect(s.rows[1]?.trainable).toBe(false)
  })

  it('a nested Sequential without InputLayer takes its input from the call (node 0)', () => {
    const seq = nested('Sequential', 'seq', sequentialGraph([layer('Dense', 'd', {units: 3})]), [node([['x', 0, 0]])])
    const s = summarize(model('Functional', 'outer', functionalGraph([input('x', [null, 5]), seq], [['x', 0, 0]], [['seq', 0, 0]])))
    expect(s.rows[1]?.output_shape).toEqual([null, 3])
    expect(s.total_params).toBe(18)
  })

  it('a nested functional model shared by two inputs is counted once', () => {
    const enc = nested('Functional', 'enc', functionalGraph([
      input('enc_in', [null, 4]),
      layer('Dense', 'enc_d', {units: 2}, [node([['enc_in', 0, 0]])]),
    ], [['enc_in', 0, 0]], [['enc_d', 0, 0]]), [node([['a', 0, 0]]), node([['b', 0, 0]])])
    const s = summarize(model('Functional', 'siamese', functionalGraph([
      input('a', [null, 4]),
      input('b', [null, 4]),
      enc,
      layer('Subtract', 'diff', {}, [node([['enc', 1, 0], ['enc', 2, 0]])]),
    ], [['a', 0, 0], ['b', 0, 0]], [['diff', 0, 0]])))
    expect(s.rows.find((r) => r.name === 'enc')).toMatchObject({output_shape: [null, 2], params: 10, connected_to: ['a[0][0]', 'b[0][0]']})
    expect(s.rows.find((r) => r.name === 'diff')?.output_shape).toEqual([null, 2])
    expect(s.total_params).toBe(10)
  })

  it('a nested Sequential at the root of a Sequential (Keras 2.0 list-style models)', () => {
    const s = summarize(model('Sequential', 'outer', sequentialGraph([
      nested('Sequential', 'body', sequentialGraph([layer('Dense', 'b1', {units: 3, batch_input_shape: [null, 6]})]), []),
      layer('Dense', 'head', {units: 1}),
    ])))
    expect(s.rows.map((r) => [r.name, r.output_shape, r.params])).toEqual([['body', [null, 3], 21], ['head', [null, 1], 4]])
  })

  it('a model inside a wrapper config (TimeDistributed(Sequential)) is evaluated per step', () => {
    const perFrame = {class_name: 'Sequential', config: {name: 'frame', layers: [
      {class_name: 'Conv2D', config: {name: 'c', filters: 2, kernel_size: [3, 3]}},
      {class_name: 'Flatten', config: {name: 'f'}},
    ]}}
    const s = summarize(model('Functional', 'video', functionalGraph([
      input('clip', [null, 4, 8, 8, 1]),
      layer('TimeDistributed', 'td', {layer: perFrame}, [node([['clip', 0, 0]])]),
    ], [['clip', 0, 0]], [['td', 0, 0]])))
    expect(s.rows[1]).toMatchObject({output_shape: [null, 4, 72], params: 20})
    expect(s.rows[1]?.weights?.map((w) => w.name)).toEqual(['c/kernel', 'c/bias'])
  })

  it('a nested model declaring None dims takes them from the call', () => {
    const enc = nested('Functional', 'enc', functionalGraph([
      input('enc_in', [null, null, 4]),
      layer('LSTM', 'enc_lstm', {units: 2, return_sequences: true}, [node([['enc_in', 0, 0]])]),
    ], [['enc_in', 0, 0]], [['enc_lstm', 0, 0]]), [node([['x', 0, 0]])])
    const s = summarize(model('Functional', 'outer', functionalGraph([input('x', [null, 20, 4]), enc], [['x', 0, 0]], [['enc', 1, 0]])))
    expect(s.rows[1]?.output_shape).toEqual([null, 20, 2])
    expect(s.rows[1]?.children?.[0]?.output_shape).toEqual([null, 20, 4])
  })
})
