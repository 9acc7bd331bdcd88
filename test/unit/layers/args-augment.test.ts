// Argument schemas of the Keras 3.6+ augmentation layers (preprocessing-args-augment.ts). Every expectation is
// what the real Keras 3.15 did in the oracle venv: `keras.layers.X.from_config({...})` then a call on
// `keras.Input((8, 8, 3))`; the comment says what it did ("built" or the exception it raised).
import {describe, expect, it} from 'vitest'
import type {JsonObject} from '../../../src/core/json.js'
import {argProblem, run} from './builders.js'

const ok = (c: string, cfg: JsonObject): boolean => argProblem(c, cfg, 'keras3') === undefined
const call = (c: string, cfg: JsonObject, shape: Array<number | null>) => run(c, cfg, [shape], {dialect: 'keras3', version: '3.15.1'})

describe('factor ranges (_set_factor with the class bounds)', () => {
  it('RandomHue / RandomInvert / RandomSharpness / CutMix: [0, 1], a pair with factor[0] ≤ 1 and factor[1] ≥ 0', () => {
    expect(ok('RandomHue', {factor: 0.5})).toBe(true) // built
    expect(ok('RandomHue', {factor: -0.5})).toBe(false) // ValueError "in the range [0, 1]"
    expect(ok('RandomHue', {factor: 1.5})).toBe(false) // ValueError
    expect(ok('RandomHue', {factor: NaN})).toBe(true) // built: NaN fails every comparison
    expect(ok('RandomHue', {factor: Infinity})).toBe(false) // ValueError
    expect(ok('RandomHue', {factor: [-2, 0.5]})).toBe(true) // built: only factor[0] ≤ 1 and factor[1] ≥ 0 are checked
    expect(ok('RandomHue', {factor: [255, 0]})).toBe(false) // ValueError: factor[0] > 1
    expect(ok('RandomHue', {factor: [1]})).toBe(false) // ValueError: not two
    expect(ok('RandomHue', {factor: null})).toBe(false) // ValueError: None is no number
    expect(ok('RandomHue', {factor: '0.5'})).toBe(false) // ValueError
    expect(ok('RandomInvert', {factor: true})).toBe(true) // built (bool is an int)
    expect(ok('CutMix', {factor: {}})).toBe(false) // ValueError
    expect(ok('RandomSharpness', {factor: -1})).toBe(false) // ValueError
    expect(ok('RandomHue', {})).toBe(false) // TypeError: missing 'factor'
  })

  it('RandomSaturation / RandomColorDegeneration: [-1, 1]; RandomPosterization: [1, 8]', () => {
    expect(ok('RandomSaturation', {factor: -1})).toBe(true) // built
    expect(ok('RandomColorDegeneration', {factor: 1.5})).toBe(false) // ValueError
    expect(ok('RandomPosterization', {factor: 8})).toBe(true) // built
    expect(ok('RandomPosterization', {factor: 9})).toBe(false) // ValueError "in the range [1, 8]"
    expect(ok('RandomPosterization', {factor: false})).toBe(false) // ValueError: False is 0
    expect(ok('RandomPosterization', {factor: [0.5, 2]})).toBe(true) // built
    expect(ok('RandomPosterization', {factor: [0.1, 0.2]})).toBe(false) // ValueError: factor[1] < 1
  })

  it('the base `factor` keyword: `factor or 0.0` in [-1, 1]; AutoContrast / Solarization take none', () => {
    expect(ok('Equalization', {factor: null})).toBe(true) // built
    expect(ok('MixUp', {factor: {}})).toBe(true) // built: {} is falsy → 0.0
    expect(ok('MixUp', {factor: 2})).toBe(false) // ValueError
    expect(ok('MaxNumBoundingBoxes', {max_number: 3, factor: 1.5})).toBe(false) // ValueError
    expect(ok('AutoContrast', {factor: null})).toBe(true) // built
    expect(ok('AutoContrast', {factor: 0.5})).toBe(false) // ValueError "does not take a `factor` argument"
    expect(ok('Solarization', {factor: 0})).toBe(false) // ValueError
  })

  it('AugMix / RandAugment: the sorted factor must suit RandomShear ([0, 1] each) and int(8 * upper)', () => {
    expect(ok('AugMix', {factor: 1})).toBe(true) // built
    expect(ok('AugMix', {factor: NaN})).toBe(false) // ValueError: cannot convert float NaN to integer
    expect(ok('AugMix', {factor: [0.2, 0.1]})).toBe(true) // built
    expect(ok('RandAugment', {factor: [-2, 0.5]})).toBe(false) // ValueError from RandomShear
    expect(ok('RandAugment', {factor: [NaN, 1]})).toBe(true) // built: sorted keeps [nan, 1]
    expect(ok('RandAugment', {factor: [0, NaN]})).toBe(false) // ValueError: int(8 * nan)
    expect(ok('AugMix', {factor: null})).toBe(false) // ValueError
    expect(ok('AugMix', {interpolation: 'x'})).toBe(false) // NotImplementedError from RandomShear
    expect(ok('AugMix', {num_chains: 'x', chain_depth: -1, alpha: null, all_ops: 'x'})).toBe(true) // built: unchecked
  })
})

describe('other arguments', () => {
  it('value_range: a list of two sortable items where _set_value_range runs', () => {
    expect(ok('AutoContrast', {value_range: [255, 0]})).toBe(true) // built (sorted)
    expect(ok('AutoContrast', {value_range: ['a', 'b']})).toBe(true) // built
    expect(ok('Equalization', {value_range: [1, 'a']})).toBe(false) // TypeError: '<' not supported
    expect(ok('RandomSaturation', {factor: 0.5, value_range: [0, 1, 2]})).toBe(false) // ValueError
    expect(ok('Solarization', {value_range: null})).toBe(false) // ValueError
    expect(ok('RandAugment', {value_range: 'x'})).toBe(false) // ValueError from Solarization
    expect(ok('RandomHue', {factor: 0.5, value_range: 'x'})).toBe(true) // built: RandomHue does not check it
    expect(ok('RandomErasing', {value_range: null})).toBe(true) // built
  })

  it('RandomColorJitter checks value_range only through the layers its factors build', () => {
    expect(ok('RandomColorJitter', {value_range: 'x'})).toBe(true) // built: no factor, no sub-layer
    expect(ok('RandomColorJitter', {brightness_factor: 0.5, value_range: 'x'})).toBe(false) // ValueError (RandomBrightness)
    expect(ok('RandomColorJitter', {saturation_factor: 0.5, value_range: 'x'})).toBe(false) // ValueError (RandomSaturation)
    expect(ok('RandomColorJitter', {contrast_factor: 0.5, value_range: 'x'})).toBe(true) // built
    expect(ok('RandomColorJitter', {hue_factor: 0.5, value_range: 'x'})).toBe(true) // built
    expect(ok('RandomColorJitter', {contrast_factor: -0.5})).toBe(false) // ValueError (RandomContrast [0, 1])
    expect(ok('RandomColorJitter', {saturation_factor: -0.5})).toBe(true) // built ([-1, 1])
  })

  it('Solarization / RandomShear factors: each in [0, 1]', () => {
    expect(ok('Solarization', {addition_factor: [0.2, 0.1]})).toBe(true) // built
    expect(ok('Solarization', {threshold_factor: [-0.5, 0.5]})).toBe(false) // ValueError
    expect(ok('RandomShear', {x_factor: 1.5})).toBe(false) // ValueError
    expect(ok('RandomShear', {y_factor: [0, NaN]})).toBe(true) // built
    expect(ok('RandomShear', {fill_mode: 'wrap'})).toBe(true) // built
    expect(ok('RandomShear', {fill_mode: 'mirror'})).toBe(false) // NotImplementedError
    expect(ok('RandomElasticTransform', {fill_mode: 'mirror'})).toBe(true) // built: its set has mirror
    expect(ok('RandomElasticTransform', {interpolation: 'bicubic'})).toBe(false) // NotImplementedError
  })

  it('RandomGrayscale factor / RandomPerspective scale: one number in [0, 1]', () => {
    expect(ok('RandomGrayscale', {factor: NaN})).toBe(true) // built
    expect(ok('RandomGrayscale', {factor: [0.1, 0.2]})).toBe(false) // TypeError: list < int
    expect(ok('RandomPerspective', {scale: 1.5})).toBe(false) // ValueError
    expect(ok('RandomPerspective', {scale: null})).toBe(false) // TypeError
  })

  it('RandomGaussianBlur kernel_size: odd (value % 2 != 0); sigma in [0, 1]', () => {
    expect(ok('RandomGaussianBlur', {kernel_size: 3})).toBe(true) // built
    expect(ok('RandomGaussianBlur', {kernel_size: 4})).toBe(false) // ValueError "must be an odd number"
    expect(ok('RandomGaussianBlur', {kernel_size: 0.5})).toBe(true) // built: 0.5 % 2 != 0
    expect(ok('RandomGaussianBlur', {kernel_size: [3, 5]})).toBe(true) // built
    expect(ok('RandomGaussianBlur', {kernel_size: [2, 4]})).toBe(false) // ValueError
    expect(ok('RandomGaussianBlur', {kernel_size: '%d'})).toBe(false) // ValueError
    expect(ok('RandomGaussianBlur', {sigma: 2})).toBe(false) // ValueError
  })

  it('MaxNumBoundingBoxes int(max_number) / int(fill_value); seeds; data_format', () => {
    expect(ok('MaxNumBoundingBoxes', {max_number: '3'})).toBe(true) // built
    expect(ok('MaxNumBoundingBoxes', {max_number: '3.5'})).toBe(false) // ValueError: invalid literal for int()
    expect(ok('MaxNumBoundingBoxes', {max_number: 2.5, fill_value: -1})).toBe(true) // built
    expect(ok('MaxNumBoundingBoxes', {max_number: 3, fill_value: NaN})).toBe(false) // ValueError
    expect(ok('MaxNumBoundingBoxes', {})).toBe(false) // TypeError: missing 'max_number'
    expect(ok('MixUp', {seed: true})).toBe(false) // SeedGenerator refuses a bool
    expect(ok('CutMix', {seed: 0.5})).toBe(false) // SeedGenerator refuses a float
    expect(ok('RandomInvert', {seed: -1})).toBe(true) // built
    expect(ok('AugMix', {data_format: 'CHANNELS_FIRST'})).toBe(true) // built: lower-cased
    expect(ok('Equalization', {data_format: 'x'})).toBe(false) // ValueError
  })

  it('RandomColorDegeneration compute_output_shape: 3 channels', () => {
    expect(call('RandomColorDegeneration', {factor: 0.5}, [null, 8, 8, 3]).error).toBeUndefined() // built
    expect(call('RandomColorDegeneration', {factor: 0.5, data_format: 'channels_first'}, [null, 8, 8, 3]).error).toMatch(/3 channels/) // ValueError: 8 channels
    expect(call('RandomHue', {factor: 0.5, data_format: 'channels_first'}, [null, 8, 8, 3]).error).toBeUndefined() // built
  })
})
