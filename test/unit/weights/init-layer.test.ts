import {describe, expect, it} from 'vitest'
import type {WeightInfo} from '../../../src/core/graph/summary-types.js'
import {freshLayerWeights} from '../../../src/core/weights/init-layer.js'
import {float16Bits, makeRng} from '../../../src/core/weights/init.js'

const w = (name: string, shape: Array<number | null>, dtype = 'float32', trainable = true): WeightInfo => ({name, shape, dtype, trainable})
const arr = (t: {data: ArrayLike<number | bigint>}): number[] => Array.from(t.data, Number)

describe('freshLayerWeights', () => {
  it('maps kernel / bias to the layer\'s initializers, with Keras 3 dict forms', () => {
    const dense = {class_name: 'Dense', config: {name: 'd', units: 2, kernel_initializer: {module: 'keras.initializers', class_name: 'Ones', config: {}, registered_name: null}, bias_initializer: {class_name: 'Constant', config: {value: 0.5}}}}
    const [k, b] = freshLayerWeights(dense, [w('kernel', [3, 2]), w('bias', [2])], makeRng(1))
    expect(k).toMatchObject({name: 'kernel', shape: [3, 2], dtype: 'float32'})
    expect(arr(k ?? {data: []})).toEqual([1, 1, 1, 1, 1, 1])
    expect(arr(b ?? {data: []})).toEqual([0.5, 0.5])
  })

  it('uses Keras defaults when the config has no initializer (glorot_uniform kernel, zeros bias)', () => {
    const [k, b] = freshLayerWeights({class_name: 'Dense', config: {name: 'd'}}, [w('kernel', [30, 20]), w('bias', [20])], makeRng(1))
    const limit = Math.sqrt(6 / 50)
    expect(arr(k ?? {data: []}).every((x) => Math.abs(x) <= limit)).toBe(true)
    expect(arr(k ?? {data: []}).some((x) => x !== 0)).toBe(true)
    expect(arr(b ?? {data: []})).toEqual(new Array(20).fill(0))
  })

  it('LSTM: orthogonal recurrent kernel and forget-gate bias of ones (unit_forget_bias)', () => {
    const lstm = {class_name: 'LSTM', config: {name: 'lstm', units: 3}}
    const [, rk, bias] = freshLayerWeights(lstm, [w('lstm_cell/kernel', [4, 12]), w('lstm_cell/recurrent_kernel', [3, 12]), w('lstm_cell/bias', [12])], makeRng(2))
    expect(arr(bias ?? {data: []})).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    const m = arr(rk ?? {data: []})
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let dot = 0
        for (let j = 0; j < 12; j++) dot += (m[a * 12 + j] ?? 0) * (m[b * 12 + j] ?? 0)
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 5)
      }
    }
    const off = freshLayerWeights({class_name: 'LSTM', config: {units: 3, unit_forget_bias: false}}, [w('bias', [12])], makeRng(2))
    expect(arr(off[0] ?? {data: []})).toEqual(new Array(12).fill(0))
    const cudnn = freshLayerWeights({class_name: 'CuDNNLSTM', config: {units: 1}}, [w('bias', [8])], makeRng(2))
    expect(arr(cudnn[0] ?? {data: []})).toEqual([0, 0, 0, 0, 0, 1, 0, 0])
  })

  it('Bidirectional: weights come from the wrapped layer, backward_* from backward_layer', () => {
    const bi = {class_name: 'Bidirectional', config: {
      name: 'bi',
      layer: {class_name: 'LSTM', config: {name: 'lstm', units: 1, kernel_initializer: 'ones', recurrent_initializer: 'zeros'}},
      backward_layer: {class_name: 'LSTM', config: {name: 'back', units: 1, kernel_initializer: 'zeros', recurrent_initializer: 'zeros'}},
    }}
    const out = freshLayerWeights(bi, [w('forward_lstm/lstm_cell/kernel', [2, 4]), w('forward_lstm/lstm_cell/bias', [4]), w('backward_back/lstm_cell/kernel', [2, 4])], makeRng(3))
    expect(out.map(arr)).toEqual([[1, 1, 1, 1, 1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]])
  })

  it('BatchNormalization, Embedding, PReLU, separable conv and attention weights', () => {
    const bn = freshLayerWeights({class_name: 'BatchNormalization', config: {}}, ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((n) => w(n, [2])), makeRng(1))
    expect(bn.map(arr)).toEqual([[1, 1], [0, 0], [0, 0], [1, 1]])
    const [emb] = freshLayerWeights({class_name: 'Embedding', config: {}}, [w('embeddings', [100, 8])], makeRng(1))
    expect(arr(emb ?? {data: []}).every((x) => Math.abs(x) <= 0.05)).toBe(true)
    expect(arr(freshLayerWeights({class_name: 'PReLU', config: {}}, [w('alpha', [3])], makeRng(1))[0] ?? {data: []})).toEqual([0, 0, 0])
    const sep = freshLayerWeights({class_name: 'SeparableConv2D', config: {depthwise_initializer: 'ones', pointwise_initializer: 'zeros'}}, [w('depthwise_kernel', [1, 1, 2, 1]), w('pointwise_kernel', [1, 1, 2, 3])], makeRng(1))
    expect(sep.map(arr)).toEqual([[1, 1], [0, 0, 0, 0, 0, 0]])
    const mha = freshLayerWeights({class_name: 'MultiHeadAttention', config: {kernel_initializer: 'ones'}}, [w('query/kernel', [2, 1, 1]), w('query/bias', [1, 1])], makeRng(1))
    expect(mha.map(arr)).toEqual([[1, 1], [0]])
    expect(arr(freshLayerWeights({class_name: 'Attention', config: {use_scale: true}}, [w('scale', [])], makeRng(1))[0] ?? {data: []})).toEqual([1])
  })

  it('writes the requested dtype: float64 at full precision, float16 as bits, int64 counts', () => {
    const [d, h, c] = freshLayerWeights({class_name: 'Dense', config: {kernel_initializer: {class_name: 'Constant', config: {value: 0.1}}}},
      [w('kernel', [1], 'float64'), w('kernel', [1], 'float16')], makeRng(1)).concat(
      freshLayerWeights({class_name: 'Normalization', config: {}}, [w('count', [], 'int64', false)], makeRng(1)))
    expect(d?.data).toEqual(Float64Array.of(0.1))
    expect(h?.data).toEqual(Uint16Array.of(float16Bits(0.1)))
    expect(c?.data).toEqual(BigInt64Array.of(0n))
  })

  it('is deterministic per layer and weight name, whatever else is initialised', () => {
    const cfg = {class_name: 'Dense', config: {name: 'dense'}}
    const one = freshLayerWeights(cfg, [w('kernel', [4, 4])], makeRng(9))
    const two = freshLayerWeights(cfg, [w('bias', [4]), w('kernel', [4, 4])], makeRng(9))
    expect(two[1]?.data).toEqual(one[0]?.data)
    expect(freshLayerWeights({...cfg, config: {name: 'other'}}, [w('kernel', [4, 4])], makeRng(9))[0]?.data).not.toEqual(one[0]?.data)
  })

  it('refuses unknown dimensions, dtypes and weight names', () => {
    expect(() => freshLayerWeights({class_name: 'Dense', config: {name: 'd'}}, [w('kernel', [null, 3])], makeRng(1))).toThrow(/unknown dimension: \[None, 3\]/)
    expect(() => freshLayerWeights({class_name: 'Dense', config: {}}, [w('kernel', [3], 'complex64')], makeRng(1))).toThrow(/dtype 'complex64'/)
    expect(() => freshLayerWeights({class_name: 'MyLayer', config: {}}, [w('thing', [3])], makeRng(1))).toThrow(/No initializer is known for weight 'thing' of a MyLayer layer/)
    expect(freshLayerWeights({class_name: 'MyLayer', config: {thing_initializer: 'ones'}}, [w('thing', [2])], makeRng(1)).map(arr)).toEqual([[1, 1]])
  })
})
