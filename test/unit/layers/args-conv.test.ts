// Schemas and shape refusals of the convolution and pooling families. Every expectation is what the real Keras
// did in the oracle venv (Keras 3.15 / tf-keras 2.21, model_from_json of a Sequential([Input(shape), Layer(...)])
// document), probed for issue #12; the comment on each line says what Keras did.
import {describe, expect, it} from 'vitest'
import type {Json, JsonObject} from '../../../src/core/json.js'
import type {ClassArgs, Generation} from '../../../src/core/layers/args.js'
import {CONV_ARGS} from '../../../src/core/layers/conv.js'
import {POOLING_ARGS} from '../../../src/core/layers/pooling.js'
import {out, params, run} from './builders.js'

const BASE: Record<string, JsonObject> = {
  Conv1D: {filters: 2, kernel_size: 3},
  Conv2D: {filters: 2, kernel_size: 3},
  Conv2DTranspose: {filters: 2, kernel_size: 3},
  Conv1DTranspose: {filters: 2, kernel_size: 3},
  SeparableConv1D: {filters: 2, kernel_size: 3},
  SeparableConv2D: {filters: 2, kernel_size: 3},
  DepthwiseConv1D: {kernel_size: 3},
  DepthwiseConv2D: {kernel_size: 3},
  LocallyConnected1D: {filters: 2, kernel_size: 3},
  MaxPooling2D: {pool_size: 2},
  MaxPooling1D: {pool_size: 2},
}

/** True when the schema of `className` accepts the base config with `edit` applied, in `generation`. */
function accepts(className: string, edit: JsonObject, generation: Generation): boolean {
  const schema: ClassArgs | undefined = CONV_ARGS[className] ?? POOLING_ARGS[className]
  const config: JsonObject = {...BASE[className], ...edit}
  const ctx = {generation, className, config}
  for (const [key, check] of Object.entries(schema?.args ?? {})) {
    if (Object.hasOwn(config, key) && check(config[key] as Json, ctx) !== undefined) return false
  }
  return (schema?.cross ?? []).every((cross) => cross(config, ctx) === undefined)
}
const both = (className: string, edit: JsonObject): [boolean, boolean] => [accepts(className, edit, 'keras3'), accepts(className, edit, 'keras2')]

describe('tuples (standardize_tuple / normalize_tuple)', () => {
  it('booleans and floats', () => {
    expect(both('Conv2D', {kernel_size: [true, true]})).toEqual([true, false]) // K3 builds a 1x1 kernel; tf-keras: mixed types to Tensor
    expect(both('Conv2D', {kernel_size: true})).toEqual([true, false])
    expect(both('Conv2D', {strides: [2.5, 1]})).toEqual([true, false]) // K3 (None, 2, 4, 2); tf-keras: Dimension value must be integer
    expect(both('Conv2D', {dilation_rate: [2.5, 1]})).toEqual([true, false])
    expect(both('Conv2D', {strides: [true, true]})).toEqual([true, true])
    expect(both('Conv2DTranspose', {strides: [1.5, 1]})).toEqual([false, false]) // K3: Cannot convert (None, 7.5, 6, 2) to a shape
    expect(both('SeparableConv2D', {strides: [1.5, 1]})).toEqual([true, true])
    expect(both('SeparableConv2D', {dilation_rate: [1.5, 1]})).toEqual([true, false]) // tf-keras: Expected int32, got 1.5
    expect(both('DepthwiseConv2D', {dilation_rate: [1.5, 1]})).toEqual([true, false])
    expect(both('Conv2D', {kernel_size: [2.5, 3]})).toEqual([false, false])
    expect(both('Conv2D', {strides: 2.5})).toEqual([false, false]) // a scalar float is not a tuple
  })
  it('strings, None and wrong lengths', () => {
    expect(both('Conv2D', {kernel_size: ['3', '3']})).toEqual([false, false]) // '<=' between str and int
    expect(both('Conv1D', {kernel_size: '3'})).toEqual([false, false])
    expect(both('Conv2D', {dilation_rate: null})).toEqual([false, false])
    expect(both('Conv2D', {strides: [1]})).toEqual([false, false])
  })
})

describe('filters, groups, depth_multiplier', () => {
  it('filters per generation', () => {
    expect(both('Conv2D', {filters: true})).toEqual([true, false]) // K3: 1 filter; tf-keras: Expected an int, got a boolean
    expect(both('Conv2D', {filters: 2.5})).toEqual([false, true]) // tf-keras: int(2.5) = 2
    expect(both('Conv2D', {filters: 0.5})).toEqual([false, false]) // tf-keras: int(0.5) = 0 → strictly positive
    expect(both('Conv2D', {filters: null})).toEqual([false, false]) // built with a None dimension
    expect(both('Conv2D', {filters: 4.7, groups: 2})).toEqual([false, true]) // tf-keras: int(4.7) = 4, 4 % 2 == 0
  })
  it('groups', () => {
    expect(both('Conv2D', {groups: null})).toEqual([false, true]) // tf-keras: groups or 1
    expect(both('Conv2D', {groups: false})).toEqual([false, true])
    expect(both('Conv2D', {groups: true})).toEqual([true, true])
    expect(both('Conv2D', {groups: '1'})).toEqual([false, false])
    expect(both('Conv2D', {groups: -2})).toEqual([false, false]) // tf-keras: Dimension -1 must be >= 0
    expect(accepts('Conv2DTranspose', {groups: 2}, 'keras2')).toBe(true) // tf-keras only checks filters % groups
    expect(accepts('Conv2DTranspose', {groups: 3}, 'keras2')).toBe(false)
    expect(accepts('SeparableConv2D', {groups: -2}, 'keras2')).toBe(true)
    expect(accepts('SeparableConv2D', {filters: 3, groups: 2}, 'keras2')).toBe(false)
  })
  it('depth_multiplier', () => {
    expect(both('DepthwiseConv2D', {depth_multiplier: 0})).toEqual([false, true]) // tf-keras builds (None, 4, 4, 0)
    expect(both('SeparableConv2D', {depth_multiplier: 0})).toEqual([false, false]) // tf-keras: Depth of filter must not be 0
    expect(both('DepthwiseConv2D', {depth_multiplier: true})).toEqual([true, false])
    expect(both('DepthwiseConv2D', {depth_multiplier: null})).toEqual([false, false])
  })
})

describe('padding and data_format', () => {
  it('case and causal per class', () => {
    expect(both('Conv2D', {padding: 'SAME'})).toEqual([true, true])
    expect(both('Conv2D', {padding: ['valid']})).toEqual([false, false])
    expect(both('Conv1D', {padding: 'CAUSAL'})).toEqual([true, true])
    expect(both('SeparableConv1D', {padding: 'causal'})).toEqual([false, true]) // K3: only Conv1D allows causal
    expect(both('DepthwiseConv1D', {padding: 'causal'})).toEqual([false, false])
    expect(both('Conv1DTranspose', {padding: 'causal'})).toEqual([false, false]) // tf-keras: AssertionError at call
    expect(both('MaxPooling2D', {padding: 'Same'})).toEqual([false, true]) // K3 compares as is at call
    expect(both('MaxPooling1D', {padding: 'causal'})).toEqual([false, false]) // tf-keras: Invalid padding: causal
    expect(both('Conv2D', {data_format: 'Channels_Last'})).toEqual([true, true])
    expect(both('Conv2D', {data_format: null})).toEqual([true, true])
  })
})

describe('cross checks', () => {
  it('strides with dilation', () => {
    expect(both('Conv2D', {strides: [1, 2], dilation_rate: [2, 1]})).toEqual([false, false])
    expect(both('SeparableConv2D', {strides: 2, dilation_rate: 2})).toEqual([true, false]) // K3 builds (None, 3, 3, 2)
    expect(both('DepthwiseConv2D', {strides: 2, dilation_rate: 2})).toEqual([true, false])
    expect(both('Conv2DTranspose', {strides: 2, dilation_rate: 2})).toEqual([false, false])
  })
  it('output_padding below strides', () => {
    expect(both('Conv2DTranspose', {strides: 2, output_padding: [1, 0]})).toEqual([true, true])
    expect(both('Conv2DTranspose', {strides: 2, output_padding: true})).toEqual([true, true])
    expect(both('Conv2DTranspose', {strides: [2, 1], output_padding: [1, 1]})).toEqual([false, false])
    expect(both('Conv2DTranspose', {strides: 2, output_padding: [1.5, 1]})).toEqual([false, false])
    expect(both('Conv1DTranspose', {strides: 2, output_padding: 2})).toEqual([false, false])
  })
  it('LocallyConnected (tf-keras)', () => {
    expect(accepts('LocallyConnected1D', {padding: 'same'}, 'keras2')).toBe(false) // only "valid" with implementation 1
    expect(accepts('LocallyConnected1D', {padding: 'same', implementation: 2}, 'keras2')).toBe(true)
    expect(accepts('LocallyConnected1D', {implementation: 4}, 'keras2')).toBe(false) // Unrecognized implementation mode
    expect(accepts('LocallyConnected1D', {filters: 0}, 'keras2')).toBe(true) // builds (None, 6, 0)
    expect(accepts('LocallyConnected1D', {filters: 2.5}, 'keras2')).toBe(false)
  })
  it('pooling windows', () => {
    expect(both('MaxPooling2D', {pool_size: [2.5, 2]})).toEqual([true, true])
    expect(both('MaxPooling2D', {strides: [0.5, 1]})).toEqual([true, false]) // tf-keras: Stride must be > 0
    expect(both('MaxPooling2D', {strides: 0})).toEqual([false, false]) // K3: division by zero at call
    expect(both('MaxPooling2D', {pool_size: true})).toEqual([true, true])
  })
})

describe('shape refusals', () => {
  const k3 = {dialect: 'keras3' as const}
  it('input rank', () => {
    expect(run('Conv2D', BASE.Conv2D ?? {}, [[null, 6, 6]]).error).toMatch(/min_ndim=4/) // both: expected min_ndim=4
    expect(run('Conv2D', BASE.Conv2D ?? {}, [[null, 2, 6, 6, 2]]).error).toBeUndefined() // tf-keras builds (None, 2, 4, 4, 2)
    expect(run('Conv2D', BASE.Conv2D ?? {}, [[null, 2, 6, 6, 2]], k3).error).toMatch(/Kernel shape/) // K3 refuses
    expect(run('DepthwiseConv2D', {kernel_size: 3}, [[null, 1, 6, 6, 2]]).error).toMatch(/ndim=4/) // both refuse
    expect(run('MaxPooling2D', {pool_size: 2}, [[null, 6, 6, 2, 1]]).error).toMatch(/ndim=4/)
    expect(run('GlobalMaxPooling2D', {}, [[null, 6, 6]]).error).toMatch(/ndim=4/)
  })
  it('windows larger than the input', () => {
    expect(run('Conv2D', {filters: 2, kernel_size: 3, dilation_rate: 3}, [[null, 6, 7, 2]]).error).toMatch(/zero or negative/)
    expect(out(run('Conv2D', {filters: 2, kernel_size: 3, dilation_rate: 3}, [[null, 7, 7, 2]]))).toEqual([null, 1, 1, 2])
    expect(out(run('Conv1D', {filters: 2, kernel_size: 9, padding: 'causal'}, [[null, 8, 3]]))).toEqual([null, 8, 2])
    expect(run('Conv2D', {filters: 2, kernel_size: 3}, [[null, null, null, 2]]).error).toBeUndefined()
    expect(run('MaxPooling2D', {pool_size: 3, strides: 2}, [[null, 2, 3, 2]]).error).toMatch(/zero or negative/)
    expect(out(run('MaxPooling2D', {pool_size: 7, padding: 'same'}, [[null, 6, 6, 2]]))).toEqual([null, 1, 1, 2])
    expect(run('LocallyConnected1D', {filters: 2, kernel_size: 9}, [[null, 8, 3]]).error).toMatch(/zero or negative/)
  })
  it('groups against input channels', () => {
    expect(run('Conv2D', {filters: 4, kernel_size: 3, groups: 2}, [[null, 6, 6, 3]]).error).toMatch(/input channels/)
    const r = run('Conv2D', {filters: 2, kernel_size: 3, groups: 0}, [[null, 6, 6, 2]]) // tf-keras: groups or 1
    expect(r.error).toBeUndefined()
    expect(params(r)).toBe(3 * 3 * 2 * 2 + 2)
  })
  it('use_bias truthiness and tf-keras float filters', () => {
    expect(params(run('Conv2D', {filters: 2, kernel_size: 3, use_bias: 0}, [[null, 6, 6, 2]]))).toBe(36) // no bias
    expect(out(run('Conv2D', {filters: 2.5, kernel_size: 3}, [[null, 6, 6, 2]]))).toEqual([null, 4, 4, 2]) // int(2.5)
  })
  it('tf-keras global pooling over a zero-length axis', () => {
    expect(run('GlobalMaxPooling1D', {}, [[null, 0, 3]]).error).toMatch(/dimension 0/) // tf-keras refuses
    expect(run('GlobalMaxPooling1D', {}, [[null, 0, 3]], k3).error).toBeUndefined() // Keras 3 builds (None, 3)
  })
})
