// Argument schemas and build refusals of the attention and normalization layers. Every expectation below is what
// the real Keras did in the oracle venv (Keras 3.15 `keras`, tf-keras 2.21 `tf_keras`, model_from_json + build),
// probed on the validation suite's base models (/tmp probes, not committed); the comment names the case.
import {describe, expect, it} from 'vitest'
import type {Json, JsonObject} from '../../../src/core/json.js'
import type {Generation} from '../../../src/core/layers/args.js'
import {argProblem, run} from './builders.js'

const accepts = (c: string, cfg: JsonObject, g: Generation): boolean => argProblem(c, cfg, g) === undefined
/** MultiHeadAttention with its two required arguments given (num_heads 2, key_dim 2) unless `cfg` sets them. */
const mhaAccepts = (cfg: JsonObject, g: Generation): boolean => accepts('MultiHeadAttention', {num_heads: 2, key_dim: 2, ...cfg}, g)
const version = (g: Generation): string => (g === 'keras3' ? '3.15.1' : '2.21.0')
/** The refusal of the shape rule, or undefined when the call builds. */
const refusal = (c: string, cfg: JsonObject, inputs: Array<Array<number | null>>, g: Generation, named = {}): string | undefined =>
  run(c, cfg, inputs, {dialect: g, version: version(g), named}).error

describe('BatchNormalization', () => {
  it('axis: Keras 3 int(axis), tf-keras an int or a list', () => {
    expect(accepts('BatchNormalization', {axis: ' 1 '}, 'keras3')).toBe(true) // keras3 accepted axis=" 1 "
    expect(accepts('BatchNormalization', {axis: ' 1 '}, 'keras2')).toBe(false) // tf-keras TypeError
    expect(accepts('BatchNormalization', {axis: [1, 2]}, 'keras3')).toBe(false) // int(list) TypeError
    expect(accepts('BatchNormalization', {axis: [1, 2]}, 'keras2')).toBe(true) // tf-keras accepted
    expect(accepts('BatchNormalization', {axis: []}, 'keras2')).toBe(false) // tf-keras axis[0] IndexError
  })

  it('momentum / epsilon: Keras 3 float(), tf-keras adds epsilon to a tensor', () => {
    expect(accepts('BatchNormalization', {momentum: '0.5', epsilon: 'nan'}, 'keras3')).toBe(true) // accepted
    expect(accepts('BatchNormalization', {momentum: null}, 'keras3')).toBe(false) // float(None)
    expect(accepts('BatchNormalization', {momentum: null, epsilon: [1]}, 'keras2')).toBe(true) // accepted
    expect(accepts('BatchNormalization', {epsilon: '0.1'}, 'keras2')).toBe(false) // AddV2 string
    expect(accepts('BatchNormalization', {epsilon: null}, 'keras2')).toBe(false) // None values not supported
  })

  it('renorm_clipping only matters with renorm', () => {
    expect(accepts('BatchNormalization', {renorm: false, renorm_clipping: {x: 1}}, 'keras3')).toBe(true)
    expect(accepts('BatchNormalization', {renorm: true, renorm_clipping: {rmax: 1, rmin: 2}}, 'keras3')).toBe(false)
    expect(accepts('BatchNormalization', {renorm: true, renorm_clipping: {rmax: 1, rmin: 2}}, 'keras2')).toBe(true)
    expect(accepts('BatchNormalization', {renorm: true, renorm_clipping: {dmax: -1}}, 'keras3')).toBe(false)
    expect(accepts('BatchNormalization', {renorm: true, renorm_clipping: ['rmax']}, 'keras2')).toBe(true)
    expect(accepts('BatchNormalization', {renorm: true, renorm_clipping: 'rmax'}, 'keras2')).toBe(false)
    expect(accepts('BatchNormalization', {renorm: true, renorm_clipping: 5}, 'keras2')).toBe(false)
  })

  it('tf-keras fused / virtual_batch_size', () => {
    expect(refusal('BatchNormalization', {fused: true, axis: 1}, [[null, 4, 3]], 'keras2')).toMatch(/4D or 5D/) // refused
    expect(refusal('BatchNormalization', {fused: true, axis: -1}, [[null, 4, 4, 3]], 'keras2')).toBeUndefined()
    expect(accepts('BatchNormalization', {virtual_batch_size: 0}, 'keras2')).toBe(false) // refused
    expect(accepts('BatchNormalization', {virtual_batch_size: 2}, 'keras2')).toBe(true) // accepted
  })

  it('the axis must exist and have a defined size', () => {
    for (const g of ['keras3', 'keras2'] as const) {
      expect(refusal('BatchNormalization', {axis: 0}, [[null, 4, 3]], g)).toBeDefined() // None-sized gamma / undefined axis dim
      expect(refusal('BatchNormalization', {axis: -3}, [[null, 4, 3]], g)).toBeDefined()
      expect(refusal('BatchNormalization', {axis: 3}, [[null, 4, 3]], g)).toBeDefined() // out of range
      expect(refusal('BatchNormalization', {axis: 1}, [[null, 4, null]], g)).toBeUndefined() // accepted
      expect(refusal('BatchNormalization', {axis: -1}, [[null, 0]], g)).toBeUndefined() // (None, 0) accepted
    }
    expect(refusal('BatchNormalization', {axis: [1, 1]}, [[null, 4, 3]], 'keras2')).toMatch(/Duplicate/) // refused
  })
})

describe('LayerNormalization / UnitNormalization', () => {
  it('Keras 3 accepts empty and duplicate axes, tf-keras does not', () => {
    expect(refusal('LayerNormalization', {axis: [1, 1]}, [[null, 4, 3]], 'keras3')).toBeUndefined()
    expect(refusal('LayerNormalization', {axis: [-1, 2]}, [[null, 4, 3]], 'keras2')).toMatch(/Duplicate/)
    expect(accepts('LayerNormalization', {axis: []}, 'keras3')).toBe(true)
    expect(accepts('LayerNormalization', {axis: []}, 'keras2')).toBe(false) // IndexError
    expect(refusal('UnitNormalization', {axis: [1, 1]}, [[null, 4, 3]], 'keras3')).toBeUndefined()
    expect(refusal('UnitNormalization', {axis: [1, 1]}, [[null, 4, 3]], 'keras2')).toMatch(/Duplicate/)
  })

  it('LayerNormalization needs defined sizes; UnitNormalization does not', () => {
    expect(refusal('LayerNormalization', {axis: -1}, [[null, 4, null]], 'keras3')).toBeDefined()
    expect(refusal('LayerNormalization', {axis: 1}, [[null, null, 3]], 'keras2')).toBeDefined()
    expect(refusal('UnitNormalization', {axis: -1}, [[null, 4, null]], 'keras3')).toBeUndefined()
    expect(refusal('UnitNormalization', {axis: 0}, [[null, 4, 3]], 'keras2')).toBeUndefined() // accepted
    expect(refusal('UnitNormalization', {axis: -4}, [[null, 4, 3]], 'keras3')).toBeDefined() // out of bounds
  })

  it('epsilon: unchecked by Keras 3, compared by tf-keras', () => {
    expect(accepts('LayerNormalization', {epsilon: null}, 'keras3')).toBe(true)
    expect(accepts('LayerNormalization', {epsilon: [1]}, 'keras2')).toBe(false)
    expect(accepts('LayerNormalization', {epsilon: true}, 'keras2')).toBe(true)
  })

  it('UnitNormalization list items: Keras 3 lets floats through, not strings', () => {
    expect(accepts('UnitNormalization', {axis: [1.5]}, 'keras3')).toBe(true)
    expect(accepts('UnitNormalization', {axis: ['1']}, 'keras3')).toBe(false)
    expect(accepts('UnitNormalization', {axis: [1.5]}, 'keras2')).toBe(false)
  })
})

describe('GroupNormalization', () => {
  it('groups: Keras 3 a positive int or -1; tf-keras any number that divides', () => {
    expect(accepts('GroupNormalization', {groups: true}, 'keras3')).toBe(true)
    expect(accepts('GroupNormalization', {groups: -2}, 'keras3')).toBe(false)
    expect(accepts('GroupNormalization', {groups: '2'}, 'keras2')).toBe(false)
    expect(refusal('GroupNormalization', {groups: -2}, [[null, 3, 4]], 'keras2')).toBeUndefined() // 4 % -2 == 0: accepted
    expect(refusal('GroupNormalization', {groups: false}, [[null, 3, 4]], 'keras2')).toBeDefined() // modulo by zero
  })

  it('channel axis defined, groups ≤ and dividing the channels', () => {
    for (const g of ['keras3', 'keras2'] as const) {
      expect(refusal('GroupNormalization', {groups: 2, axis: 1}, [[null, 3, 4]], g)).toMatch(/multiple/)
      expect(refusal('GroupNormalization', {groups: -1, axis: 1}, [[null, 3, 4]], g)).toBeUndefined()
      expect(refusal('GroupNormalization', {groups: 4}, [[null, 3, null]], g)).toMatch(/defined dimension/)
      expect(refusal('GroupNormalization', {groups: -1}, [[null, 3, 0]], g)).toBeDefined() // ZeroDivisionError
    }
  })

  it('axis: an int only (tf-keras refuses bools at call)', () => {
    expect(accepts('GroupNormalization', {axis: [1]}, 'keras3')).toBe(false)
    expect(accepts('GroupNormalization', {axis: true}, 'keras3')).toBe(true)
    expect(accepts('GroupNormalization', {axis: true}, 'keras2')).toBe(false)
  })
})

describe('Attention / AdditiveAttention', () => {
  it('dropout must compare with 0; Keras 3 seeds a generator when it is > 0', () => {
    expect(accepts('Attention', {dropout: null}, 'keras2')).toBe(false)
    expect(accepts('Attention', {dropout: true}, 'keras3')).toBe(true)
    expect(accepts('Attention', {dropout: 0.5, seed: 'x'}, 'keras3')).toBe(false)
    expect(accepts('Attention', {dropout: 0.5, seed: 'x'}, 'keras2')).toBe(true)
    expect(accepts('AdditiveAttention', {dropout: 'x'}, 'keras3')).toBe(false)
  })

  it('tf-keras runs the products: sizes must multiply / broadcast; Keras 3 checks none', () => {
    const q = [null, 3, 4]
    expect(refusal('Attention', {}, [q, [null, 5, 1]], 'keras2')).toMatch(/4 and 1/)
    expect(refusal('Attention', {score_mode: 'concat'}, [q, [null, 5, 1]], 'keras2')).toBeUndefined()
    expect(refusal('Attention', {score_mode: 'concat'}, [q, [null, 5, 3]], 'keras2')).toBeDefined()
    expect(refusal('Attention', {}, [q, [null, 2, 5, 4]], 'keras2')).toBeUndefined()
    expect(refusal('AdditiveAttention', {use_scale: false}, [[null, 3, 1], [null, 5, 4]], 'keras2')).toBeUndefined()
    expect(refusal('AdditiveAttention', {use_scale: false}, [q, [null, 5, 3]], 'keras2')).toBeDefined()
    expect(refusal('Attention', {}, [q, [null, 5, 3]], 'keras3')).toBeUndefined()
  })
})

describe('MultiHeadAttention', () => {
  const q = [null, 3, 4]
  const v = [null, 5, 4]
  const mha = (cfg: JsonObject, g: Generation, value = v): string | undefined =>
    refusal('MultiHeadAttention', {num_heads: 1, key_dim: 2, ...cfg}, [q], g, {value})

  it('dimensions: Keras 3 positive ints (bools too); tf-keras non-bool ints, num_heads 0 and a falsy value_dim allowed', () => {
    expect(mhaAccepts({key_dim: true, value_dim: true}, 'keras3')).toBe(true)
    expect(mhaAccepts({key_dim: true}, 'keras2')).toBe(false)
    expect(mhaAccepts({value_dim: false}, 'keras3')).toBe(false)
    expect(mhaAccepts({value_dim: false, num_heads: 0}, 'keras2')).toBe(true)
    expect(mhaAccepts({sliding_window: 0}, 'keras3')).toBe(false)
  })

  it('dropout and flash attention', () => {
    expect(mhaAccepts({dropout: '0.5'}, 'keras3')).toBe(false)
    expect(mhaAccepts({dropout: '0.5'}, 'keras2')).toBe(true)
    expect(mhaAccepts({dropout: Number.NaN}, 'keras2')).toBe(false)
    expect(mhaAccepts({flash_attention: true, dropout: 0.5}, 'keras3')).toBe(false)
    expect(mhaAccepts({flash_attention: true}, 'keras3')).toBe(true)
  })

  it('output_shape: falsy means the default; sizes ≥ 0 (Keras 3 takes true as 1)', () => {
    for (const g of ['keras3', 'keras2'] as const) {
      for (const ok of [0, false, [], '', [2, 3], [0]]) expect(mhaAccepts({output_shape: ok}, g)).toBe(true)
      for (const bad of [2.5, [null], [2.5], 'xy', {a: 1}]) expect(mhaAccepts({output_shape: bad}, g)).toBe(false)
    }
    expect(mhaAccepts({output_shape: true}, 'keras3')).toBe(true)
    expect(mhaAccepts({output_shape: true}, 'keras2')).toBe(false)
  })

  it('attention_axes against the projected rank (4 for rank-3 inputs)', () => {
    for (const ok of [[], [2], [3], [-1], [-5], [1, 1], true, false, 0]) expect(mha({attention_axes: ok}, 'keras3')).toBeUndefined()
    for (const bad of [[4], [-8]]) expect(mha({attention_axes: bad}, 'keras3')).toBeDefined()
    expect(mha({attention_axes: true}, 'keras2')).toBeUndefined()
    for (const bad of [[], [2], [3], [4], [-1], [-2], [-5], [1, 1], false, 0]) expect(mha({attention_axes: bad}, 'keras2')).toBeDefined()
    expect(mhaAccepts({attention_axes: ['x']}, 'keras3')).toBe(false)
  })

  it('key / value / query shapes', () => {
    expect(mha({}, 'keras3', [null, 5])).toBeUndefined() // Keras 3 accepted a rank-2 value
    expect(mha({}, 'keras2', [null, 5])).toBeDefined() // tf-keras IndexError
    expect(mha({}, 'keras2', [null, 5, 4, 1])).toBeDefined() // rank 3 vs 4
    const key = (k: Array<number | null>, g: Generation): string | undefined =>
      refusal('MultiHeadAttention', {num_heads: 1, key_dim: 2}, [q], g, {value: v, key: k})
    expect(key([null, 6, 4], 'keras3')).toMatch(/except the last one/)
    expect(key([null, null, 4], 'keras3')).toBeDefined() // Keras 3 compares (5,) with (None,) exactly
    expect(key([null, 5, 7], 'keras3')).toBeUndefined()
  })
})
