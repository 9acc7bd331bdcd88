// Argument schemas and build refusals of the reshaping and merge layers. Every expectation below is what the real
// Keras did in the oracle venv (Keras 3.15 `keras`, tf-keras 2.21 `tf_keras`): `Class.from_config(cfg)` called on
// `Input(batch_shape=…)` (/tmp probes, not committed); the comment after each case gives Keras's answer.
import {describe, expect, it} from 'vitest'
import {argProblem} from './builders.js'
import type {Json, JsonObject} from '../../../src/core/json.js'
import type {Generation} from '../../../src/core/layers/args.js'
import {evaluateLayer} from '../../../src/core/layers/index.js'
import type {Shape} from '../../../src/core/layers/index.js'

const accepts = (c: string, cfg: JsonObject, g: Generation): boolean => argProblem(c, cfg, g) === undefined

/** Evaluates one call as a file of generation `g` would (optionally with Keras 3 `build_config` shapes). */
function call(c: string, cfg: JsonObject, inputs: Shape[], g: Generation, build?: Shape[]) {
  return evaluateLayer({
    class_name: c, config: cfg, inputs, dialect: g, keras_version: g === 'keras3' ? '3.15.1' : '2.21.0',
    ...(build === undefined ? {} : {build_shapes: build}),
  })
}
/** True when Keras builds the call (argument schema and shape rule both accept). */
const builds = (c: string, cfg: JsonObject, inputs: Shape[], g: Generation): boolean =>
  accepts(c, cfg, g) && call(c, cfg, inputs, g).error === undefined
const out = (c: string, cfg: JsonObject, inputs: Shape[], g: Generation): Shape | null | undefined => call(c, cfg, inputs, g).outputs?.[0]

describe('Reshape', () => {
  it('Keras 3 checks int entries only and sizes only when all are known', () => {
    expect(builds('Reshape', {target_shape: [true, 6]}, [[null, 2, 3]], 'keras3')).toBe(true) // (None, 1, 6)
    expect(builds('Reshape', {target_shape: [6, false]}, [[null, 2, 3]], 'keras3')).toBe(false) // total size must be unchanged
    expect(builds('Reshape', {target_shape: [null, 5]}, [[null, 2, 3]], 'keras3')).toBe(true) // (None, None, 5)
    expect(out('Reshape', {target_shape: [null, -1]}, [[null, 2, 3]], 'keras3')).toEqual([null, null, null]) // (None, None, None)
    expect(builds('Reshape', {target_shape: {a: 1}}, [[null, 2, 3]], 'keras3')).toBe(true) // tuple(dict) → (None, None)
    expect(builds('Reshape', {target_shape: [5]}, [[null, null, 3]], 'keras3')).toBe(true) // (None, 5)
    expect(builds('Reshape', {target_shape: [-1, 0]}, [[null, 2, 3]], 'keras3')).toBe(false) // cannot be divided
    expect(builds('Reshape', {target_shape: [-2, -1]}, [[null, 2, 3]], 'keras3')).toBe(false) // must be non-negative or -1
    expect(builds('Reshape', {target_shape: null}, [[null, 2, 3]], 'keras3')).toBe(false) // NoneType not iterable
  })

  it('tf-keras: int32 entries, any negative is the unknown one, tf.reshape on unknown inputs', () => {
    expect(builds('Reshape', {target_shape: [null, 2]}, [[null, 2, 3]], 'keras2')).toBe(false) // None values not supported
    expect(builds('Reshape', {target_shape: ['6']}, [[null, 2, 3]], 'keras2')).toBe(false) // Expected int32
    expect(builds('Reshape', {target_shape: [true, 6]}, [[null, 2, 3]], 'keras2')).toBe(true) // (None, 1, 6)
    expect(out('Reshape', {target_shape: [-3, 3]}, [[null, 2, 3]], 'keras2')).toEqual([null, 2, 3]) // (None, 2, 3)
    expect(builds('Reshape', {target_shape: [-2, -2]}, [[null, 2, 3]], 'keras2')).toBe(false) // at most one unknown
    expect(builds('Reshape', {target_shape: [-2, 3]}, [[null, null, 3]], 'keras2')).toBe(false) // Dimension -2 must be >= 0
    expect(builds('Reshape', {target_shape: [-1, -1]}, [[null, null, 3]], 'keras2')).toBe(true) // (None, None, None)
  })
})

describe('Flatten / Permute / RepeatVector', () => {
  it('Flatten: data_format in any case; Keras 3 wants rank ≥ 1', () => {
    expect(accepts('Flatten', {data_format: 'CHANNELS_LAST'}, 'keras3')).toBe(true) // accepted
    expect(accepts('Flatten', {data_format: null}, 'keras2')).toBe(true) // accepted
    expect(builds('Flatten', {}, [[]], 'keras3')).toBe(false) // expected min_ndim=1, found ndim=0
    expect(builds('Flatten', {}, [[]], 'keras2')).toBe(true) // (None, None)
  })

  it('Permute: bools count as ints; the input rank must be len(dims) + 1', () => {
    expect(out('Permute', {dims: [true, 2]}, [[null, 4, 3]], 'keras3')).toEqual([null, 4, 3]) // (None, 4, 3)
    expect(builds('Permute', {dims: []}, [[null]], 'keras2')).toBe(true) // (None,)
    expect(builds('Permute', {dims: []}, [[null, 3]], 'keras2')).toBe(false) // expected ndim=1
    expect(accepts('Permute', {dims: 1}, 'keras3')).toBe(false) // int not iterable
  })

  it('RepeatVector: Keras 3 a positive non-bool int; tf-keras any int ≥ -1', () => {
    expect(accepts('RepeatVector', {n: true}, 'keras3')).toBe(false) // got <class 'bool'>
    expect(out('RepeatVector', {n: -1}, [[null, 4]], 'keras2')).toEqual([null, null, 4]) // (None, None, 4)
    expect(out('RepeatVector', {n: false}, [[null, 4]], 'keras2')).toEqual([null, 0, 4]) // (None, 0, 4)
    expect(accepts('RepeatVector', {n: -2}, 'keras2')).toBe(false) // Invalid value in tensor used for shape: -2
    expect(builds('RepeatVector', {n: 3}, [[null, 4, 2]], 'keras2')).toBe(false) // expected ndim=2
  })
})

describe('Cropping', () => {
  it('a bare negative int: Keras 3 refuses, tf-keras slices', () => {
    expect(accepts('Cropping2D', {cropping: -1}, 'keras3')).toBe(false) // `cropping` cannot be negative
    expect(out('Cropping2D', {cropping: -1}, [[null, 6, 6, 1]], 'keras2')).toEqual([null, 0, 0, 1]) // (None, 0, 0, 1)
    expect(out('Cropping2D', {cropping: -4}, [[null, 6, 6, 1]], 'keras2')).toEqual([null, 2, 2, 1]) // (None, 2, 2, 1)
  })

  it('crops that leave nothing; tf-keras Cropping3D never checks', () => {
    expect(builds('Cropping3D', {cropping: 2}, [[null, 4, 4, 4, 1]], 'keras3')).toBe(false) // must be smaller
    expect(out('Cropping3D', {cropping: 2}, [[null, 4, 4, 4, 1]], 'keras2')).toEqual([null, 0, 0, 0, 1]) // accepted
    expect(builds('Cropping2D', {cropping: [[0, 0], [3, 3]]}, [[null, 6, null, 1]], 'keras3')).toBe(true) // unknown axis
    expect(builds('Cropping1D', {cropping: [4, 4]}, [[null, null, 2]], 'keras2')).toBe(true) // (None, None, 2)
    expect(builds('Cropping2D', {cropping: [3, 0], data_format: 'channels_first'}, [[null, 1, 6, 6]], 'keras2')).toBe(false)
  })

  it('fractions, strings and bools', () => {
    expect(builds('Cropping1D', {cropping: [1.5, 1]}, [[null, 8, 2]], 'keras3')).toBe(false) // invalid dimension 5.5
    expect(builds('Cropping1D', {cropping: [1.5, 1]}, [[null, 8, 2]], 'keras2')).toBe(false) // slicing with a float
    expect(accepts('Cropping1D', {cropping: ['1', 1]}, 'keras2')).toBe(false) // '<' not supported
    expect(accepts('Cropping2D', {cropping: '11'}, 'keras3')).toBe(false) // 1st entry must be a tuple of 2
    expect(out('Cropping1D', {cropping: [true, false]}, [[null, 8, 2]], 'keras3')).toEqual([null, 7, 2]) // (None, 7, 2)
  })
})

describe('ZeroPadding', () => {
  it('negative bare ints: Keras 3 until a size goes negative; tf-keras never', () => {
    expect(out('ZeroPadding2D', {padding: -2}, [[null, 4, 4, 1]], 'keras3')).toEqual([null, 0, 0, 1]) // (None, 0, 0, 1)
    expect(builds('ZeroPadding2D', {padding: -3}, [[null, 4, 4, 1]], 'keras3')).toBe(false) // negative dimensions
    expect(builds('ZeroPadding3D', {padding: -1}, [[null, 4, 4, 4, 1]], 'keras2')).toBe(false) // Paddings must be non-negative
    expect(accepts('ZeroPadding1D', {padding: -1}, 'keras3')).toBe(false) // value >= 0
  })

  it('fractions refuse; Keras 3 ZeroPadding1D reads data_format', () => {
    expect(builds('ZeroPadding2D', {padding: [[1.5, 1], [1, 1]]}, [[null, 4, 4, 1]], 'keras3')).toBe(false) // 6.5
    expect(builds('ZeroPadding1D', {padding: [1.5, 2]}, [[null, 4, 2]], 'keras2')).toBe(false) // float paddings
    expect(out('ZeroPadding1D', {padding: 1, data_format: 'channels_first'}, [[null, 4, 2]], 'keras3')).toEqual([null, 4, 4])
  })
})

describe('UpSampling', () => {
  it('UpSampling1D: Keras 3 a positive non-bool int; tf-keras int(size)', () => {
    expect(accepts('UpSampling1D', {size: true}, 'keras3')).toBe(false) // got <class 'bool'>
    expect(out('UpSampling1D', {size: ' 3 '}, [[null, 4, 2]], 'keras2')).toEqual([null, 12, 2]) // (None, 12, 2)
    expect(out('UpSampling1D', {size: 2.9}, [[null, 4, 2]], 'keras2')).toEqual([null, 8, 2]) // (None, 8, 2)
    expect(builds('UpSampling1D', {size: 0}, [[null, null, 2]], 'keras2')).toBe(true) // (None, None, 2)
    expect(accepts('UpSampling1D', {size: [2]}, 'keras2')).toBe(false) // int(list)
  })

  it('UpSampling2D/3D: fractional factors and interpolation per generation', () => {
    expect(out('UpSampling2D', {size: [2.5, 2]}, [[null, 3, 3, 1]], 'keras2')).toEqual([null, 6, 6, 1]) // (None, 6, 6, 1)
    expect(builds('UpSampling2D', {size: [2.5, 2]}, [[null, 3, 3, 1]], 'keras3')).toBe(false) // invalid dimension 7.5
    expect(builds('UpSampling3D', {size: [1.5, 2, 2]}, [[null, 3, 3, 3, 1]], 'keras2')).toBe(false) // float repeat
    expect(out('UpSampling2D', {size: [true, 2]}, [[null, 3, 3, 1]], 'keras3')).toEqual([null, 3, 6, 1]) // (None, 3, 6, 1)
    expect(accepts('UpSampling2D', {size: ['2', 2]}, 'keras3')).toBe(false) // '<=' not supported
    expect(accepts('UpSampling2D', {interpolation: 'foo'}, 'keras3')).toBe(true) // not checked until call
    expect(accepts('UpSampling2D', {interpolation: 'foo'}, 'keras2')).toBe(false) // Value not recognized
    expect(accepts('UpSampling2D', {interpolation: 'Lanczos3'}, 'keras2')).toBe(true) // lower-cased
  })
})

describe('merge layers', () => {
  it('element-wise: broadcasting from the right, batch sizes, Subtract on two', () => {
    expect(builds('Add', {}, [[null, 5], [null, 4, 5]], 'keras3')).toBe(true) // (None, 4, 5)
    expect(builds('Add', {}, [[null, 4], [null, 4, 5]], 'keras2')).toBe(false) // incompatible (4, 5) and (4,)
    expect(builds('Add', {}, [[2, 4], [3, 4]], 'keras3')).toBe(false) // different batch sizes
    expect(builds('Average', {}, [[null, 4], [null, 3], [null, 1]], 'keras2')).toBe(false) // (4,) and (3,)
    expect(builds('Subtract', {}, [[null, 4], [null, 4], [null, 4]], 'keras3')).toBe(false) // exactly 2 inputs
  })

  it('Concatenate: axis range, a lone input, Keras 3 build_config', () => {
    expect(out('Concatenate', {axis: true}, [[null, 2, 4], [null, 3, 4]], 'keras3')).toEqual([null, 5, 4]) // (None, 5, 4)
    expect(builds('Concatenate', {axis: 3}, [[null, 2, 4], [null, 2, 4]], 'keras3')).toBe(false) // index out of range
    expect(builds('Concatenate', {axis: 5}, [[null, 2, 4]], 'keras3')).toBe(true) // (None, 2, 4)
    expect(builds('Concatenate', {axis: 5}, [[null, 2, 4]], 'keras2')).toBe(false) // list assignment index out of range
    expect(builds('Concatenate', {axis: -1}, [[null, 2, 4], [null, null, 5]], 'keras2')).toBe(true) // (None, 2, 9)
    // Keras 3 builds on build_config.input_shape, so a mismatch there refuses and one only in the call does not
    // (validation suite: Concatenate/y.batch_shape=[null, 3, 4] accepted by Keras 3, refused by tf-keras).
    expect(call('Concatenate', {axis: -1}, [[null, 2, 4], [null, 3, 4]], 'keras3', [[null, 2, 4], [null, 2, 4]]).error).toBeUndefined()
    expect(call('Concatenate', {axis: -1}, [[null, 2, 4], [null, 3, 4]], 'keras3')).toHaveProperty('error')
  })

  it('Dot: axes forms, sizes (None only equals None), wrapped negative ints', () => {
    expect(accepts('Dot', {axes: [true, 1]}, 'keras2')).toBe(true) // (None, 1)
    expect(accepts('Dot', {axes: ['1', 1]}, 'keras3')).toBe(false) // list elements should be integers
    expect(builds('Dot', {axes: 1}, [[null, null], [null, 4]], 'keras3')).toBe(false) // None != 4
    expect(builds('Dot', {axes: 1}, [[null, null], [null, null]], 'keras2')).toBe(true) // (None, 1)
    expect(out('Dot', {axes: -5}, [[null, 4], [null, 4]], 'keras3')).toEqual([null, 1]) // -5 % 2 == 1: (None, 1)
    expect(builds('Dot', {axes: [-3, -1]}, [[null, 3, 4], [null, 4]], 'keras2')).toBe(false) // None != 4
    expect(builds('Dot', {axes: 2}, [[null, 3, 4], [null, 4]], 'keras3')).toBe(false) // tuple index out of range
  })
})
