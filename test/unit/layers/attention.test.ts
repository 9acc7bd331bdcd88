import {describe, expect, it} from 'vitest'
import {out, params, run, shapes} from './builders.js'

describe('Attention / AdditiveAttention', () => {
  it('dot-product attention: (batch, Tq, dim_v), weightless by default', () => {
    const r = run('Attention', {use_scale: false}, [[null, 3, 4], [null, 5, 4]])
    expect(out(r)).toEqual([null, 3, 4])
    expect(params(r)).toBe(0)
  })

  it('use_scale and score_mode concat add scalars; return_attention_scores adds (batch, Tq, Tv)', () => {
    expect(params(run('Attention', {use_scale: true, score_mode: 'concat'}, [[null, 3, 4], [null, 5, 4]]))).toBe(2)
    const r = run('Attention', {}, [[null, 3, 4], [null, 5, 4]], {kwargs: {return_attention_scores: true}})
    expect(r.outputs).toEqual([[null, 3, 4], [null, 3, 5]])
  })

  it('AdditiveAttention has a scale vector of the feature size', () => {
    expect(shapes(run('AdditiveAttention', {use_scale: true}, [[null, 3, 4], [null, 5, 4]]))).toEqual([['scale', [4]]])
  })
})

describe('MultiHeadAttention', () => {
  const q = [null, 5, 8]
  const v = [null, 6, 8]

  it('query/key/value/attention_output weights: 54 + 54 + 54 + 56', () => {
    const r = run('MultiHeadAttention', {num_heads: 2, key_dim: 3, value_dim: null, use_bias: true}, [q, v])
    expect(out(r)).toEqual([null, 5, 8])
    expect(shapes(r)).toEqual([
      ['query/kernel', [8, 2, 3]], ['query/bias', [2, 3]],
      ['key/kernel', [8, 2, 3]], ['key/bias', [2, 3]],
      ['value/kernel', [8, 2, 3]], ['value/bias', [2, 3]],
      ['attention_output/kernel', [2, 3, 8]], ['attention_output/bias', [8]],
    ])
    expect(params(r)).toBe(218)
  })

  it('output_shape, value_dim and use_bias', () => {
    const shaped = run('MultiHeadAttention', {num_heads: 2, key_dim: 3, output_shape: 10}, [q, v])
    expect(out(shaped)).toEqual([null, 5, 10])
    expect(params(shaped)).toBe(54 * 3 + 70)
    expect(params(run('MultiHeadAttention', {num_heads: 2, key_dim: 3, use_bias: false}, [q, v]))).toBe(192)
    expect(params(run('MultiHeadAttention', {num_heads: 2, key_dim: 3, value_dim: 4}, [q, v]))).toBe(54 + 54 + 72 + 72)
  })

  it('a separate key input sizes the key projection; scores add (batch, heads, Tq, Tk)', () => {
    const r = run('MultiHeadAttention', {num_heads: 2, key_dim: 3}, [q, v, [null, 6, 4]], {kwargs: {return_attention_scores: true}})
    expect(shapes(r)[2]).toEqual(['key/kernel', [4, 2, 3]])
    expect(r.outputs).toEqual([[null, 5, 8], [null, 2, 5, 6]])
  })

  it('tensors passed by keyword are matched by name, not position', () => {
    const r = run('MultiHeadAttention', {num_heads: 2, key_dim: 3}, [q], {named: {attention_mask: [null, 5, 6], value: [null, 6, 4]}})
    expect(shapes(r)[4]).toEqual(['value/kernel', [4, 2, 3]])
    expect(shapes(r)[2]).toEqual(['key/kernel', [4, 2, 3]])
  })

  it('Keras 3 use_gate adds a gate projection (query dim, heads, value_dim) before value', () => {
    const r = run('MultiHeadAttention', {num_heads: 2, key_dim: 3, value_dim: 4, use_gate: true}, [q, v], {dialect: 'keras3'})
    expect(shapes(r).map(([n]) => n).slice(4, 6)).toEqual(['gate/kernel', 'gate/bias'])
    expect(params(r)).toBe(54 + 54 + 72 + 72 + 72)
  })

  it('GroupQueryAttention', () => {
    const r = run('GroupQueryAttention', {head_dim: 2, num_query_heads: 4, num_key_value_heads: 2, use_bias: false}, [q, v], {dialect: 'keras3'})
    expect(out(r)).toEqual(q)
    expect(params(r)).toBe(8 * 8 + 8 * 4 + 8 * 4 + 8 * 8)
    expect(params(run('GroupQueryAttention', {head_dim: 2, num_query_heads: 4, num_key_value_heads: 2, use_bias: false, use_gate: true}, [q, v]))).toBe(64 + 32 + 64 + 32 + 64)
  })
})
