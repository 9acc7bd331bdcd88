// Argument schemas and call refusals of the preprocessing family. The oracle suite has no cases here: every
// expectation is what the real Keras did in the oracle venv (Keras 3.15 `keras`, tf-keras 2.21 `tf_keras`),
// probed with `keras.layers.X.from_config({...})` then a call on `keras.Input(...)`; the comment says what it did.
import {describe, expect, it} from 'vitest'
import type {Json, JsonObject} from '../../../src/core/json.js'
import type {Generation} from '../../../src/core/layers/args.js'
import {argProblem, out, run} from './builders.js'

const ok = (c: string, cfg: JsonObject, g: Generation): boolean => argProblem(c, cfg, g) === undefined
const both = (c: string, cfg: JsonObject): [boolean, boolean] => [ok(c, cfg, 'keras3'), ok(c, cfg, 'keras2')]
const version = (g: Generation): string => (g === 'keras3' ? '3.15.1' : '2.21.0')
const call = (c: string, cfg: JsonObject, shape: Array<number | null>, g: Generation) => run(c, cfg, [shape], {dialect: g, version: version(g)})

describe('image sizes', () => {
  it('CenterCrop / RandomCrop height: Keras 3 None or ≥ 0, tf-keras > 0', () => {
    expect(both('CenterCrop', {height: null, width: 4})).toEqual([true, false]) // k3 (None, None, 4, 3); tf "None values not supported"
    expect(both('CenterCrop', {height: 0, width: 4})).toEqual([true, false]) // k3 (None, 0, 4, 3); tf "target_height must be > 0"
    expect(both('CenterCrop', {height: false, width: 4})).toEqual([true, false]) // same as 0
    expect(both('CenterCrop', {height: true, width: 4})).toEqual([true, true]) // (None, 1, 4, 3)
    expect(both('RandomCrop', {height: -1, width: 4})).toEqual([false, false]) // k3 "Negative dimensions"; tf "> 0"
    expect(both('CenterCrop', {height: 2.5, width: 4})).toEqual([false, false]) // invalid dimension / Expected int32
    expect(both('CenterCrop', {height: 100, width: 4})).toEqual([true, true]) // larger than the input: accepted
  })

  it('Resizing: tf-keras takes a negative size (an unknown dim), Keras 3 refuses it', () => {
    expect(both('Resizing', {height: -1, width: 4})).toEqual([false, true]) // tf (None, None, 4, 3)
    expect(out(call('Resizing', {height: -1, width: 4}, [null, 8, 8, 3], 'keras2'))).toEqual([null, null, 4, 3])
    expect(both('Resizing', {height: 0, width: 4})).toEqual([true, true]) // (None, 0, 4, 3) in both
    expect(both('Resizing', {height: null, width: 4})).toEqual([true, false]) // tf "'size' must be a 1-D int32 Tensor"
  })

  it('Resizing interpolation: tf-keras lower-cases into its table, Keras 3 does not check', () => {
    expect(both('Resizing', {height: 4, width: 4, interpolation: 'BILINEAR'})).toEqual([true, true])
    expect(both('Resizing', {height: 4, width: 4, interpolation: 'x'})).toEqual([true, false]) // tf NotImplementedError
    expect(both('Resizing', {height: 4, width: 4, interpolation: null})).toEqual([true, false]) // tf None.lower()
    expect(both('Resizing', {height: 4, width: 4, data_format: 'CHANNELS_LAST'})).toEqual([true, true]) // k3 lower-cases
    expect(ok('Resizing', {height: 4, width: 4, data_format: 'x'}, 'keras3')).toBe(false)
  })
})

describe('Rescaling', () => {
  it('Keras 3 never checks scale/offset but its from_config reads config["offset"]', () => {
    expect(both('Rescaling', {scale: 'x', offset: 0})).toEqual([true, true]) // both built (None, 8, 8, 3)
    expect(both('Rescaling', {scale: null, offset: 0})).toEqual([true, false]) // tf "None values not supported"
    expect(both('Rescaling', {scale: {}, offset: 0})).toEqual([true, false]) // tf "Failed to convert elements of {}"
    expect(both('Rescaling', {scale: 2})).toEqual([false, true]) // k3 KeyError: 'offset'
  })
  it('tf-keras: a list must broadcast against the last axis', () => {
    expect(call('Rescaling', {scale: [1, 2], offset: 0}, [null, 8, 8, 3], 'keras2').error).toMatch(/Dimensions must be equal/) // tf refused
    expect(call('Rescaling', {scale: [1, 2], offset: 0}, [null, 8, 8, 3], 'keras3').error).toBeUndefined() // k3 built
    expect(call('Rescaling', {scale: [1, 2, 3], offset: [1]}, [null, 8, 8, 3], 'keras2').error).toBeUndefined() // tf built
  })
})

describe('random augmentation factors', () => {
  it('RandomRotation: Keras 3 `factor or 0.0` then bounds [-1, 1]; tf-keras only lower ≤ upper', () => {
    expect(both('RandomRotation', {factor: null})).toEqual([true, false]) // k3 None → 0.0; tf -None
    expect(both('RandomRotation', {factor: -1})).toEqual([true, false]) // tf "cannot have a negative value"
    expect(both('RandomRotation', {factor: 1.5})).toEqual([false, true]) // k3 out of [-1, 1]; tf no upper bound
    expect(both('RandomRotation', {factor: [0.2, 0.1]})).toEqual([true, false]) // k3 sorts; tf upper < lower
    expect(both('RandomRotation', {factor: [-2, 0]})).toEqual([true, true]) // k3 only compares factor[0] ≤ 1, factor[1] ≥ -1
    expect(both('RandomRotation', {factor: [0.1, 0.2, 0.3]})).toEqual([false, true]) // k3 needs exactly two
    expect(both('RandomRotation', {factor: Number.NaN})).toEqual([true, true]) // NaN passes every comparison
    expect(both('RandomRotation', {factor: ['a', 'b']})).toEqual([false, false]) // k3 TypeError; tf "can't multiply sequence"
  })
  it('RandomContrast: tf-keras needs lower + upper > 0 at call', () => {
    expect(both('RandomContrast', {factor: 0})).toEqual([true, false]) // tf "upper must be > lower"
    expect(both('RandomContrast', {factor: [0, 0]})).toEqual([true, false]) // same
    expect(both('RandomContrast', {factor: [-1, 1]})).toEqual([true, false]) // k3 compares factor[0] ≤ 1, factor[1] ≥ 0
    expect(both('RandomContrast', {factor: null})).toEqual([false, false]) // no `or 0.0` here
  })
  it('RandomZoom / RandomTranslation / RandomBrightness', () => {
    expect(both('RandomZoom', {height_factor: -1})).toEqual([false, true]) // k3 (-1, 1]; tf abs ≤ 1
    expect(both('RandomZoom', {height_factor: 0.1, width_factor: [0, 2]})).toEqual([false, true]) // tf width only ≥ -1
    expect(both('RandomTranslation', {height_factor: -0.5, width_factor: 0.1})).toEqual([true, false]) // tf upper < lower
    expect(both('RandomBrightness', {factor: []})).toEqual([true, false]) // k3 [] or 0.0
    expect(both('RandomBrightness', {factor: [0, 2]})).toEqual([true, false]) // tf each in [-1, 1]
    expect(both('RandomBrightness', {factor: 0.1, value_range: ['a', 'b']})).toEqual([true, false]) // tf str - str
    expect(both('RandomBrightness', {factor: 0.1, value_range: [0]})).toEqual([false, false])
  })
  it('RandomHeight / RandomWidth (tf-keras only)', () => {
    expect(ok('RandomHeight', {factor: -0.5}, 'keras2')).toBe(false) // upper < lower
    expect(ok('RandomHeight', {factor: [0, 2]}, 'keras2')).toBe(true)
    expect(ok('RandomWidth', {factor: 0.1, interpolation: 'AREA'}, 'keras2')).toBe(true) // lower-cased
  })
})

describe('random layer enums and seeds', () => {
  it('RandomFlip mode: only tf-keras checks it', () => {
    expect(both('RandomFlip', {mode: 'HORIZONTAL'})).toEqual([true, false])
    expect(both('RandomFlip', {mode: null})).toEqual([true, false])
  })
  it('fill_mode / interpolation are exact in both; fill_value only matters to tf-keras', () => {
    expect(both('RandomRotation', {factor: 0.1, fill_mode: 'REFLECT'})).toEqual([false, false])
    expect(both('RandomZoom', {height_factor: 0.1, interpolation: 'bicubic'})).toEqual([false, false])
    expect(both('RandomZoom', {height_factor: 0.1, fill_value: null})).toEqual([true, false]) // tf "None values not supported"
  })
  it('seed: Keras 3 SeedGenerator wants a non-bool int; tf-keras refuses strings and dicts', () => {
    expect(both('RandomFlip', {seed: true})).toEqual([false, true])
    expect(both('RandomFlip', {seed: 2.5})).toEqual([false, true])
    expect(both('RandomCrop', {height: 2, width: 2, seed: [1, 2]})).toEqual([false, true])
    expect(both('RandomRotation', {factor: 0.1, seed: '7'})).toEqual([false, false]) // tf Cast string
    expect(both('RandomRotation', {factor: 0.1, seed: -1})).toEqual([true, true])
  })
})

describe('categorical layers', () => {
  it('CategoryEncoding num_tokens / output_mode', () => {
    expect(both('CategoryEncoding', {})).toEqual([false, false]) // num_tokens must be set
    expect(both('CategoryEncoding', {num_tokens: true})).toEqual([true, true]) // (None, 1)
    expect(both('CategoryEncoding', {num_tokens: 2.5})).toEqual([false, false]) // float shape at call
    expect(both('CategoryEncoding', {num_tokens: 3, output_mode: 'binary'})).toEqual([true, true])
    expect(both('CategoryEncoding', {num_tokens: 3, output_mode: 'int'})).toEqual([false, false])
  })
  it('tf-keras refuses encoded outputs of rank > 2', () => {
    expect(call('CategoryEncoding', {num_tokens: 3, output_mode: 'one_hot'}, [null, 4], 'keras2').error).toMatch(/rank is 2/)
    expect(out(call('CategoryEncoding', {num_tokens: 3, output_mode: 'one_hot'}, [null, 4], 'keras3'))).toEqual([null, 4, 3])
    expect(call('CategoryEncoding', {num_tokens: 3}, [null, 4, 1], 'keras2').error).toMatch(/rank is 2/) // multi_hot (None, 4, 3)
    expect(call('Hashing', {num_bins: 3, output_mode: 'one_hot'}, [null, 1], 'keras2').error).toBeUndefined() // (None, 3)
  })
  it('Hashing', () => {
    expect(both('Hashing', {num_bins: Number.NaN})).toEqual([true, false]) // tf "Expected int for num_buckets"
    expect(both('Hashing', {num_bins: 2.5})).toEqual([true, true])
    expect(both('Hashing', {num_bins: 3, sparse: 1})).toEqual([false, false]) // sparse with int mode
    expect(both('Hashing', {num_bins: 3, salt: ['a', 'b']})).toEqual([true, false])
    expect(both('Hashing', {num_bins: 3, output_mode: 'binary'})).toEqual([false, false])
    expect(both('Hashing', {num_bins: 3, dtype: 'float32'})).toEqual([false, true]) // tf switches to int64
  })
  it('Discretization', () => {
    expect(both('Discretization', {})).toEqual([false, true]) // k3 "set either num_bins or bin_boundaries"
    expect(both('Discretization', {num_bins: 3, bin_boundaries: [0.5]})).toEqual([true, false])
    expect(both('Discretization', {bin_boundaries: ['a']})).toEqual([true, false]) // tf "Expected float"
    expect(both('Discretization', {num_bins: -1})).toEqual([false, false])
  })
  it('StringLookup / IntegerLookup', () => {
    expect(both('StringLookup', {max_tokens: true})).toEqual([false, false]) // True ≤ 1
    expect(both('StringLookup', {max_tokens: 2.5})).toEqual([true, true])
    expect(both('StringLookup', {pad_to_max_tokens: 1})).toEqual([false, false])
    expect(both('StringLookup', {vocabulary: ['a', 'b'], output_mode: 'tf_idf'})).toEqual([false, false]) // idf_weights needed
    expect(both('StringLookup', {vocabulary: ['[UNK]', 'a', '[UNK]']})).toEqual([true, true]) // special prefix stripped
    expect(both('StringLookup', {vocabulary: ['a', ''], mask_token: ''})).toEqual([false, false])
    expect(both('StringLookup', {vocabulary: ['', '[UNK]', 'a'], mask_token: ''})).toEqual([true, true])
    expect(both('StringLookup', {oov_method: 'FLOORMOD'})).toEqual([false, true]) // tf-keras: unknown argument instead
    expect(both('IntegerLookup', {vocabulary_dtype: 'int32'})).toEqual([false, false])
    expect(both('IntegerLookup', {vocabulary: [1, 2], oov_token: 'x'})).toEqual([true, false])
  })
  it('TextVectorization', () => {
    const base = {standardize: 'lower', split: 'whitespace', ngrams: null}
    expect(both('TextVectorization', {split: 'whitespace', ngrams: null})).toEqual([false, false]) // KeyError 'standardize'
    expect(both('TextVectorization', {standardize: null, split: null})).toEqual([false, true]) // k3 KeyError 'ngrams'
    expect(both('TextVectorization', {...base, output_mode: 'one_hot'})).toEqual([true, false])
    expect(both('TextVectorization', {...base, output_mode: null})).toEqual([false, true])
    expect(both('TextVectorization', {...base, ngrams: [1, 2]})).toEqual([true, false])
    expect(both('TextVectorization', {...base, ragged: true, output_sequence_length: 4})).toEqual([true, false])
    expect(both('TextVectorization', {...base, output_sequence_length: -1})).toEqual([false, false])
  })
})

describe('Normalization', () => {
  it('arguments and build', () => {
    expect(both('Normalization', {axis: 2.5})).toEqual([false, false])
    expect(both('Normalization', {mean: 1})).toEqual([false, false]) // both mean and variance
    expect(both('Normalization', {mean: [1, 2, 3], variance: 1})).toEqual([false, true]) // k3 same shape
    expect(call('Normalization', {axis: 0}, [null, 8, 8, 3], 'keras3').error).toMatch(/known shape/)
    expect(call('Normalization', {axis: -4}, [null, 8, 8, 3], 'keras2').error).toMatch(/known shape/)
    expect(call('Normalization', {axis: [1, 1]}, [null, 8, 8, 3], 'keras2').error).toMatch(/Duplicate/)
    expect(call('Normalization', {axis: [1, 2]}, [null, 8, 8, 3], 'keras3').error).toBeUndefined()
  })
})
