import {describe, expect, it} from 'vitest'
import {summarize} from '../../../src/core/graph/summarize.js'
import {functionalGraph, input, kerasTensor, layer, model, nested, node, sequentialGraph} from './builders.js'

describe('Sequential', () => {
  it('hides the InputLayer row and totals trainable / non-trainable with bytes', () => {
    const s = summarize(model('Sequential', 'sequential', sequentialGraph([
      input('dense_input', [null, 4]),
      layer('Dense', 'dense', {units: 3}),
      layer('BatchNormalization', 'bn', {axis: -1}),
    ])))
    expect(s.rows.map((r) => r.name)).toEqual(['dense', 'bn'])
    expect(s.rows.map((r) => r.output_shape)).toEqual([[null, 3], [null, 3]])
    expect([s.total_params, s.trainable_params, s.non_trainable_params]).toEqual([27, 21, 6])
    expect([s.total_bytes, s.trainable_bytes, s.non_trainable_bytes]).toEqual([108, 84, 24])
    expect(s.sequential_like).toBe(true)
    expect(s.params_exact).toBe(true)
    expect(s.rows[0]?.connected_to).toEqual([])
  })

  it('takes the input from the first layer: batch_input_shape, input_shape, input_dim, Keras 1 input_length', () => {
    const first = (cfg: Record<string, unknown>) => summarize(model('Sequential', 's', sequentialGraph([
      layer('Dense', 'd', {units: 2, ...cfg} as never),
    ]))).total_params
    expect(first({batch_input_shape: [null, 5]})).toBe(12)
    expect(first({input_shape: [5]})).toBe(12)
    expect(first({input_dim: 5})).toBe(12)
    const lstm = summarize(model('Sequential', 's', sequentialGraph([layer('LSTM', 'l', {units: 3, input_dim: 2, input_length: 10, return_sequences: true})])))
    expect(lstm.rows[0]?.output_shape).toEqual([null, 10, 3])
    const emb = summarize(model('Sequential', 's', sequentialGraph([layer('Embedding', 'e', {input_dim: 50, output_dim: 4, input_length: 7}), layer('Flatten', 'f')])))
    expect(emb.rows[1]?.output_shape).toEqual([null, 28])
  })

  it('falls back to build_input_shape and Keras 3 build_config', () => {
    const built = summarize(model('Sequential', 's', sequentialGraph([layer('Dense', 'd', {units: 2})]), {build_input_shape: [null, 5]}))
    expect(built.total_params).toBe(12)
    const k3 = summarize(model('Sequential', 's', sequentialGraph([layer('Dense', 'd', {units: 2})]), {}, {dialect: 'keras3', extra: {build_config: {input_shape: [null, 5]}}}))
    expect(k3.total_params).toBe(12)
  })

  it('an unbuilt Sequential has unknown params and says the totals are a lower bound', () => {
    const s = summarize(model('Sequential', 's', sequentialGraph([layer('Dense', 'd', {units: 2}), layer('Dropout', 'x', {rate: 0.5})])))
    expect(s.rows[0]?.params).toBeNull()
    expect(s.rows[0]?.output_shape).toBeNull()
    expect(s.rows[1]?.params).toBe(0)
    expect(s.params_exact).toBe(false)
    expect(s.total_params).toBe(0)
  })

  it('a frozen model makes every weight non-trainable', () => {
    const s = summarize(model('Sequential', 's', sequentialGraph([input('in', [null, 4]), layer('Dense', 'd', {units: 3})]), {trainable: false}))
    expect([s.trainable_params, s.non_trainable_params]).toEqual([0, 15])
  })
})

describe('functional', () => {
  it('lists InputLayers, connections as name[node][tensor], and is not sequential-like with two inputs', () => {
    const s = summarize(model('Functional', 'm', functionalGraph([
      input('a', [null, 2]),
      input('b', [null, 3]),
      layer('Concatenate', 'cat', {axis: -1}, [node([['a', 0, 0], ['b', 0, 0]])]),
      layer('Dense', 'out', {units: 1}, [node([['cat', 0, 0]])]),
    ], [['a', 0, 0], ['b', 0, 0]], [['out', 0, 0]])))
    expect(s.rows.map((r) => [r.name, r.output_shape, r.params, r.connected_to])).toEqual([
      ['a', [null, 2], 0, []],
      ['b', [null, 3], 0, []],
      ['cat', [null, 5], 0, ['a[0][0]', 'b[0][0]']],
      ['out', [null, 1], 6, ['cat[0][0]']],
    ])
    expect(s.sequential_like).toBe(false)
  })

  it('a chain is sequential-like', () => {
    const s = summarize(model('Functional', 'm', functionalGraph([
      input('x', [null, 4]),
      layer('Dense', 'd1', {units: 3}, [node([['x', 0, 0]])]),
      layer('Dense', 'd2', {units: 2}, [node([['d1', 0, 0]])]),
    ], [['x', 0, 0]], [['d2', 0, 0]])))
    expect(s.sequential_like).toBe(true)
    expect(s.total_params).toBe(15 + 8)
  })

  it('a shared layer is one row, counted once, multiple when its calls differ', () => {
    const shared = layer('Dense', 'shared', {units: 2}, [node([['a', 0, 0]]), node([['b', 0, 0]])])
    const s = summarize(model('Functional', 'm', functionalGraph([
      input('a', [null, 4]),
      input('b', [null, 3, 4]),
      shared,
    ], [['a', 0, 0], ['b', 0, 0]], [['shared', 0, 0], ['shared', 1, 0]])))
    const row = s.rows.find((r) => r.name === 'shared')
    expect(row?.output_shape).toBe('multiple')
    expect(row?.connected_to).toEqual(['a[0][0]', 'b[0][0]'])
    expect(s.total_params).toBe(10)
    expect(s.sequential_like).toBe(false)
  })

  it('a shared layer with equal call shapes shows the shape', () => {
    const s = summarize(model('Functional', 'm', functionalGraph([
      input('a', [null, 4]),
      input('b', [null, 4]),
      layer('Dense', 'shared', {units: 2}, [node([['a', 0, 0]]), node([['b', 0, 0]])]),
      layer('Add', 'add', {}, [node([['shared', 0, 0], ['shared', 1, 0]])]),
    ], [['a', 0, 0], ['b', 0, 0]], [['add', 0, 0]])))
    expect(s.rows.find((r) => r.name === 'shared')?.output_shape).toEqual([null, 2])
    expect(s.rows.find((r) => r.name === 'add')?.output_shape).toEqual([null, 2])
  })

  it('tensors passed by keyword feed the call by name; connections list them sorted by argument', () => {
    const s = summarize(model('Functional', 'm', functionalGraph([
      input('q', [null, 5, 8]),
      input('v', [null, 6, 8]),
      input('m', [null, 5, 6]),
      layer('MultiHeadAttention', 'mha', {num_heads: 2, key_dim: 3}, [node([['q', 0, 0]], {value: ['v', 0, 0], attention_mask: ['m', 0, 0]})]),
    ], [['q', 0, 0], ['v', 0, 0], ['m', 0, 0]], [['mha', 0, 0]])))
    const row = s.rows.find((r) => r.name === 'mha')
    expect(row?.params).toBe(218)
    expect(row?.connected_to).toEqual(['q[0][0]', 'm[0][0]', 'v[0][0]'])
  })

  it('Keras 3 keyword tensors are matched by name', () => {
    const mha = layer('MultiHeadAttention', 'mha', {num_heads: 2, key_dim: 3}, [{
      inputs: [{layer: 'q', node_index: 0, tensor_index: 0}], kwarg_inputs: [{layer: 'v', node_index: 0, tensor_index: 0}],
      raw: {args: [kerasTensor(['q', 0, 0], [null, 5, 8])], kwargs: {value: kerasTensor(['v', 0, 0], [null, 6, 4])}},
    }])
    const s = summarize(model('Functional', 'm', functionalGraph([input('q', [null, 5, 8]), input('v', [null, 6, 4]), mha],
      [['q', 0, 0], ['v', 0, 0]], [['mha', 0, 0]]), {}, {dialect: 'keras3'}))
    expect(s.rows[2]?.weights?.find((w) => w.name === 'value/kernel')?.shape).toEqual([4, 2, 3])
  })

  it('multi-output layers give a list of shapes and tensor indices pick one', () => {
    const s = summarize(model('Functional', 'm', functionalGraph([
      input('x', [null, 10, 2]),
      layer('LSTM', 'lstm', {units: 3, return_state: true}, [node([['x', 0, 0]])]),
      layer('Dense', 'd', {units: 1}, [node([['lstm', 0, 2]])]),
    ], [['x', 0, 0]], [['d', 0, 0]])))
    expect(s.rows[1]?.output_shape).toEqual([[null, 3], [null, 3], [null, 3]])
    expect(s.rows[2]?.output_shape).toEqual([null, 1])
  })
})

describe('opaque layers', () => {
  it('a custom layer has unknown params; its shape is taken from a Keras 3 tensor recorded downstream', () => {
    const consumer = layer('Dense', 'd', {units: 2}, [{
      inputs: [{layer: 'custom', node_index: 0, tensor_index: 0}], kwarg_inputs: [],
      raw: {args: [kerasTensor(['custom', 0, 0], [null, 7])], kwargs: {}},
    }])
    const s = summarize(model('Functional', 'm', functionalGraph([
      input('x', [null, 4]),
      layer('MyLayer', 'custom', {}, [node([['x', 0, 0]])]),
      consumer,
    ], [['x', 0, 0]], [['d', 0, 0]]), {}, {dialect: 'keras3'}))
    expect(s.rows[1]).toMatchObject({output_shape: [null, 7], params: null, weights: null})
    expect(s.rows[2]?.params).toBe(16)
    expect(s.params_exact).toBe(false)
    expect(s.total_params).toBe(16)
  })

  it('a Lambda without output_shape hides the next Dense input: lower bound', () => {
    const s = summarize(model('Sequential', 's', sequentialGraph([
      input('in', [null, 4]),
      layer('Lambda', 'l', {function: ['code', null, null]}),
      layer('Dense', 'd', {units: 2}),
    ])))
    expect(s.rows.map((r) => r.params)).toEqual([0, null])
    expect(s.rows[0]?.output_shape).toBeNull()
    expect(s.params_exact).toBe(false)
  })

  it('uses build_config.input_shape of the next layer (tf.keras 2.13+ / Keras 3)', () => {
    const s = summarize(model('Sequential', 's', sequentialGraph([
      input('in', [null, 4]),
      layer('Lambda', 'l', {function: ['code', null, null]}),
      layer('Dense', 'd', {units: 2}, [], {build_config: {input_shape: [null, 9]}}),
    ])))
    expect(s.rows.map((r) => [r.output_shape, r.params])).toEqual([[[null, 9], 0], [[null, 2], 20]])
    expect(s.params_exact).toBe(true)
  })
})
