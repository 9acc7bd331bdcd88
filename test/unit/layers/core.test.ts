import {describe, expect, it} from 'vitest'
import {declaredInputShape} from '../../../src/core/layers/index.js'
import {frozen, out, params, run, shapes} from './builders.js'

describe('InputLayer and declared input shapes', () => {
  it('reads every spelling of an input shape', () => {
    expect(declaredInputShape({batch_input_shape: [null, 28, 28, 1]})).toEqual([null, 28, 28, 1])
    expect(declaredInputShape({batch_shape: [null, 8]})).toEqual([null, 8])
    expect(declaredInputShape({input_shape: [5], batch_size: 32})).toEqual([32, 5])
    expect(declaredInputShape({input_dim: 4})).toEqual([null, 4])
    expect(declaredInputShape({input_dim: 4, input_length: 10}, 'LSTM')).toEqual([null, 10, 4])
    expect(declaredInputShape({input_dim: 4}, 'LSTM')).toEqual([null, null, 4])
    expect(declaredInputShape({input_dim: 1000, input_length: 20}, 'Embedding')).toEqual([null, 20])
    expect(declaredInputShape({units: 3})).toBeUndefined()
  })

  it('InputLayer outputs its declared shape and has no weights', () => {
    const r = run('InputLayer', {batch_shape: [null, 3], dtype: 'float32'}, [])
    expect(out(r)).toEqual([null, 3])
    expect(params(r)).toBe(0)
  })
})

describe('Dense', () => {
  it('Dense(3) on 4 features: kernel (4, 3) + bias (3) = 15', () => {
    const r = run('Dense', {units: 3}, [[null, 4]])
    expect(out(r)).toEqual([null, 3])
    expect(shapes(r)).toEqual([['kernel', [4, 3]], ['bias', [3]]])
    expect(params(r)).toBe(15)
  })

  it('applies to the last axis of a 3-D input; use_bias false drops the bias', () => {
    expect(out(run('Dense', {units: 3}, [[null, 5, 4]]))).toEqual([null, 5, 3])
    expect(params(run('Dense', {units: 3, use_bias: false}, [[null, 4]]))).toBe(12)
  })

  it('trainable false makes every weight non-trainable, order unchanged', () => {
    const r = run('Dense', {units: 3, trainable: false}, [[null, 4]])
    expect(frozen(r)).toBe(15)
    expect(shapes(r).map(([n]) => n)).toEqual(['kernel', 'bias'])
  })

  it('takes the variable dtype from the policy: float16 stays, mixed_float16 keeps float32', () => {
    expect(run('Dense', {units: 1, dtype: 'float16'}, [[null, 2]]).weights?.[0]?.dtype).toBe('float16')
    const policy = {module: 'keras', class_name: 'DTypePolicy', config: {name: 'mixed_float16'}, registered_name: null}
    expect(run('Dense', {units: 1, dtype: policy}, [[null, 2]]).weights?.[0]?.dtype).toBe('float32')
  })

  it('has unknown params when the input is unknown', () => {
    const r = run('Dense', {units: 3}, [null])
    expect(out(r)).toBeNull()
    expect(params(r)).toBeNull()
  })
})

describe('Keras 3 LoRA', () => {
  it('lora_rank freezes the base matrix and adds two trainable factors', () => {
    const r = run('Dense', {units: 3, lora_rank: 2}, [[null, 4]], {dialect: 'keras3'})
    expect(shapes(r)).toEqual([['kernel', [4, 3]], ['bias', [3]], ['lora_kernel_a', [4, 2]], ['lora_kernel_b', [2, 3]]])
    expect(frozen(r)).toBe(12)
    expect(params(r)).toBe(15 + 8 + 6)
    expect(shapes(run('Embedding', {input_dim: 10, output_dim: 4, lora_rank: 1}, [[null, 3]]))).toEqual([
      ['embeddings', [10, 4]], ['lora_embeddings_a', [10, 1]], ['lora_embeddings_b', [1, 4]],
    ])
    expect(shapes(run('EinsumDense', {equation: 'abc,cde->abde', output_shape: [null, 2, 3], lora_rank: 2}, [[null, 5, 8]])).slice(1)).toEqual([
      ['lora_kernel_a', [8, 2, 2]], ['lora_kernel_b', [2, 3]],
    ])
  })
})

describe('Keras 3 quantized policies', () => {
  const policy = (name: string) => ({module: 'keras', class_name: 'QuantizedDTypePolicy', config: {name, source_name: 'float32'}, registered_name: null})

  it('int8 Dense: int8 kernel, kernel_scale, bias; Embedding: int8 embeddings + per-row scale', () => {
    const r = run('Dense', {units: 3, dtype: policy('int8_from_float32')}, [[null, 4]], {dialect: 'keras3'})
    expect(r.weights?.map((w) => [w.name, w.shape, w.dtype, w.trainable])).toEqual([
      ['kernel', [4, 3], 'int8', false], ['kernel_scale', [3], 'float32', false], ['bias', [3], 'float32', true],
    ])
    expect(shapes(run('Embedding', {input_dim: 10, output_dim: 4, dtype: policy('int8_from_float32')}, [[null, 3]]))).toEqual([
      ['embeddings', [10, 4]], ['embeddings_scale', [10]],
    ])
  })

  it('other modes and layers are unknown rather than guessed; weightless layers stay known', () => {
    expect(run('Dense', {units: 3, dtype: policy('int4_from_float32')}, [[null, 4]]).weights).toBeNull()
    expect(run('EinsumDense', {equation: 'ab,bc->ac', output_shape: 3, dtype: policy('int8_from_float32')}, [[null, 4]]).weights).toBeNull()
    expect(params(run('Dropout', {rate: 0.1, dtype: policy('int8_from_float32')}, [[null, 4]]))).toBe(0)
  })
})

describe('Embedding', () => {
  it('embeddings (input_dim, output_dim); output adds an axis', () => {
    const r = run('Embedding', {input_dim: 100, output_dim: 8}, [[null, 10]])
    expect(out(r)).toEqual([null, 10, 8])
    expect(params(r)).toBe(800)
  })

  it('fills an unknown length from tf.keras input_length', () => {
    expect(out(run('Embedding', {input_dim: 10, output_dim: 2, input_length: 5}, [[null, null]]))).toEqual([null, 5, 2])
  })
})

describe('EinsumDense', () => {
  it('ab,bc->ac with bias c', () => {
    const r = run('EinsumDense', {equation: 'ab,bc->ac', output_shape: 64, bias_axes: 'c'}, [[null, 32]])
    expect(out(r)).toEqual([null, 64])
    expect(shapes(r)).toEqual([['kernel', [32, 64]], ['bias', [64]]])
  })

  it('abc,cd->abd keeps the configured None for the sequence axis, as Keras does', () => {
    const r = run('EinsumDense', {equation: 'abc,cd->abd', output_shape: [null, 64], bias_axes: 'd'}, [[null, 10, 32]])
    expect(out(r)).toEqual([null, null, 64])
    expect(params(r)).toBe(32 * 64 + 64)
  })

  it('left ellipsis keeps the elided axes', () => {
    const r = run('EinsumDense', {equation: '...b,bc->...c', output_shape: 16, bias_axes: null}, [[null, 5, 8]])
    expect(out(r)).toEqual([null, 5, 16])
    expect(shapes(r)).toEqual([['kernel', [8, 16]]])
  })

  it('multi-head projection abc,cde->abde', () => {
    const r = run('EinsumDense', {equation: 'abc,cde->abde', output_shape: [null, 2, 3], bias_axes: 'de'}, [[null, 5, 8]])
    expect(out(r)).toEqual([null, null, 2, 3])
    expect(shapes(r)).toEqual([['kernel', [8, 2, 3]], ['bias', [2, 3]]])
  })
})

describe('opaque and identity layers', () => {
  it('Lambda: shape from output_shape when given, never weights', () => {
    expect(out(run('Lambda', {output_shape: [7]}, [[null, 3]]))).toEqual([null, 7])
    const r = run('Lambda', {function: ['b64', null, null]}, [[null, 3]])
    expect(r.outputs).toBeNull()
    expect(params(r)).toBe(0)
    expect(run('TFOpLambda', {function: 'expand_dims'}, [[null, 3]]).outputs).toBeNull()
  })

  it('unknown classes are opaque: output and params unknown', () => {
    const r = run('ClusteringLayer', {n_clusters: 10}, [[null, 10]])
    expect(r).toEqual({outputs: null, weights: null})
  })

  it('Activation / Masking / Identity keep the shape', () => {
    for (const c of ['Activation', 'Masking', 'Identity']) expect(out(run(c, {}, [[null, 4, 2]]))).toEqual([null, 4, 2])
  })
})
