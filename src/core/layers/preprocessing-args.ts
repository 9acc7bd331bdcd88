/**
 * Argument schemas of the image preprocessing and augmentation layers (Rescaling, Resizing, CenterCrop,
 * RandomCrop, RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomContrast, RandomBrightness,
 * RandomHeight, RandomWidth), per generation, as Keras 3 (keras/src/layers/preprocessing/image_preprocessing/…)
 * and tf-keras 2.x (tf_keras/src/layers/preprocessing/image_preprocessing.py) check them in `__init__` and on the
 * first (symbolic) call. The categorical layers live in preprocessing-args-categorical.ts.
 */
import {type Json, isArray, isObject} from '../json.js'
import {
  type ArgCheck, type ArgTable, type Generation, nullable, only, oneOf, oneOfLower, perGeneration,
  pyInt, pyNumber, pyTruthy,
} from './args.js'

const num = (v: Json): number => Number(v)

/** Keras 3 `standardize_data_format`: None, or either format in any case (tf-keras has no such argument). */
export const dataFormat = only('keras3', nullable(oneOfLower('channels_first', 'channels_last')))

/** Keras 3 `SeedGenerator(seed)`: None or a non-bool int; tf-keras hands the seed to TensorFlow (no strings, no dicts). */
export const seed: ArgCheck = perGeneration({
  keras3: (v) => (v === null || (typeof v === 'number' && Number.isInteger(v)) ? undefined : 'null or an integer'),
  keras2: (v) => (typeof v === 'string' || isObject(v) ? 'null, an integer or a list of integers' : undefined),
})

/**
 * A crop / resize size. Keras 3 builds the output shape from it: None (an unknown size) or an int ≥ 0 (bools
 * as 0 / 1). tf-keras hands it to TensorFlow: CenterCrop / RandomCrop need an int > 0, Resizing any int.
 */
const size = (keras2Min: number | undefined): ArgCheck => perGeneration({
  keras3: (v) => (v === null || (pyInt(v) && num(v) >= 0) ? undefined : 'null or an integer ≥ 0'),
  keras2: (v) => (pyInt(v) && (keras2Min === undefined || num(v) >= keras2Min) ? undefined : keras2Min === undefined ? 'an integer' : 'a positive integer'),
})

/** tf-keras `image_utils.get_interpolation`: a string whose lower-case form TensorFlow resizes with. */
const tfInterpolation = oneOfLower('bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'lanczos5', 'gaussian', 'mitchellcubic')

/** The affine layers' `fill_mode` / `interpolation` (exact, both generations). */
const fillMode = oneOf('reflect', 'wrap', 'constant', 'nearest')
const affineInterpolation = oneOf('nearest', 'bilinear')
/** tf-keras adds `fill_value` to a float tensor: None and strings fail. */
const fillValue = only('keras2', (v) => (v === null || typeof v === 'string' || isObject(v) ? 'a number' : undefined))

/** A `[lower, upper]` pair as Keras reads it (first two items of a list), or undefined when not numbers. */
function bounds(v: Json, scalar: (f: number) => [number, number], minLength = 2): [number, number] | undefined {
  if (isArray(v)) {
    const [a = null, b = null] = v
    if (v.length < minLength || !pyNumber(a) || !pyNumber(b)) return undefined
    return [num(a), num(b)]
  }
  return pyNumber(v) ? scalar(num(v)) : undefined
}

/**
 * Keras 3 `_set_factor`: a number in [lo, hi] or a list of exactly two numbers with `factor[0] <= hi` and
 * `factor[1] >= lo` (NaN passes every comparison). `orZero`: the base layer's `factor or 0.0` (falsy → 0).
 */
export const keras3Factor = (lo: number, hi: number, orZero: boolean): ArgCheck => (v) => {
  const value = orZero && !pyTruthy(v) ? 0 : v
  const phrase = `a number or a list of two numbers in [${lo}, ${hi}]`
  if (isArray(value)) {
    const [a = null, b = null] = value
    if (value.length !== 2 || !pyNumber(a) || !pyNumber(b)) return phrase
    return num(a) > hi || num(b) < lo ? phrase : undefined
  }
  if (!pyNumber(value)) return phrase
  return num(value) < lo || num(value) > hi ? phrase : undefined
}

/** Keras 3 RandomZoom / RandomTranslation `_check_factor_range` on each bound: in (-1, 1] or [-1, 1]. */
const keras3Range = (lowOpen: boolean): ArgCheck => (v) => {
  const phrase = `a number or a list of two numbers in ${lowOpen ? '(' : '['}-1, 1]`
  const ok = (x: Json): boolean => pyNumber(x) && !(num(x) > 1 || (lowOpen ? num(x) <= -1 : num(x) < -1))
  if (isArray(v)) return v.length === 2 && v.every(ok) ? undefined : phrase
  return ok(v) ? undefined : phrase
}

/** tf-keras `[lower, upper]` = the list's first two, or `[-f, f]`; `problem` says what the layer refuses. */
const keras2Factor = (phrase: string, problem: (lower: number, upper: number) => boolean): ArgCheck => (v) => {
  const b = bounds(v, (f) => [-f, f])
  return b === undefined || problem(b[0], b[1]) ? phrase : undefined
}

/** tf-keras RandomTranslation: lower ≤ upper, both in [-1, 1]. */
const translationFactor = keras2Factor('a number or a list of two ascending numbers in [-1, 1]', (l, u) => u < l || Math.abs(l) > 1 || Math.abs(u) > 1)
/** tf-keras RandomHeight / RandomWidth: lower ≤ upper, both ≥ -1. */
const stretchFactor = keras2Factor('a number ≥ 0 or a list of two ascending numbers ≥ -1', (l, u) => u < l || l < -1 || u < -1)

/**
 * tf-keras RandomContrast: `[lower, upper]` (a scalar is both) with 0 ≤ lower ≤ 1 and upper ≥ 0, and the
 * call's `stateless_random_contrast(1 - lower, 1 + upper)` needs lower + upper > 0.
 */
const keras2Contrast: ArgCheck = (v) => {
  const b = bounds(v, (f) => [f, f])
  const phrase = 'a number in (0, 1] or a list of two numbers ≥ 0 whose sum is > 0'
  if (b === undefined) return phrase
  const [l, u] = b
  if (l < 0 || u < 0 || l > 1) return phrase
  return 1 + u <= 1 - l ? phrase : undefined
}

/** tf-keras RandomBrightness: a number in [-1, 1] or a list of exactly two of them. */
const keras2Brightness: ArgCheck = (v) => {
  const ok = (x: Json): boolean => pyNumber(x) && !(num(x) > 1 || num(x) < -1)
  return (isArray(v) ? v.length === 2 && v.every(ok) : ok(v)) ? undefined : 'a number or a list of two numbers in [-1, 1]'
}

/** RandomBrightness `value_range`: a list of two; Keras 3 sorts it (comparable items), tf-keras subtracts them. */
const valueRange: ArgCheck = (v, ctx) => {
  if (!isArray(v) || v.length !== 2) return 'a list of two numbers'
  const numbers = v.every(pyNumber)
  if (numbers || (ctx.generation === 'keras3' && v.every((x) => typeof x === 'string'))) return undefined
  return 'a list of two numbers'
}

/** tf-keras Rescaling multiplies / adds `scale` / `offset` as tensors: None and dicts fail. */
const tensorValue = only('keras2', (v) => (v === null || isObject(v) ? 'a number or a list of numbers' : undefined))

/** The arguments every Random* layer shares. */
const random = (extra: Record<string, ArgCheck> = {}): Record<string, ArgCheck> => ({seed, data_format: dataFormat, ...extra})

const affine = {fill_mode: fillMode, interpolation: affineInterpolation, fill_value: fillValue}

/** A check per generation, named for readability in the table. */
const gen = (keras3: ArgCheck, keras2: ArgCheck): ArgCheck => perGeneration({keras3, keras2} as Record<Generation, ArgCheck>)

/** Argument schemas of the image preprocessing layers. */
export const IMAGE_ARG_TABLE: ArgTable = {
  Rescaling: {
    required: ['scale'],
    args: {scale: tensorValue, offset: tensorValue},
    // Keras 3 `from_config` reads config["offset"]: a file without it raises KeyError
    cross: [(cfg, ctx) => (ctx.generation === 'keras3' && !Object.hasOwn(cfg, 'offset') ? {key: 'offset', message: 'Keras 3 requires `offset` in the config (KeyError: \'offset\')'} : undefined)],
  },
  CenterCrop: {required: ['height', 'width'], args: {height: size(1), width: size(1), data_format: dataFormat}},
  RandomCrop: {required: ['height', 'width'], args: {height: size(1), width: size(1), ...random()}},
  Resizing: {
    required: ['height', 'width'],
    args: {height: size(undefined), width: size(undefined), interpolation: only('keras2', tfInterpolation), data_format: dataFormat},
  },
  RandomFlip: {args: random({mode: only('keras2', oneOf('horizontal', 'vertical', 'horizontal_and_vertical'))})},
  RandomRotation: {
    required: ['factor'],
    args: random({...affine, factor: gen(keras3Factor(-1, 1, true), keras2Factor('a number ≥ 0 or a list of two ascending numbers', (l, u) => u < l))}),
  },
  RandomZoom: {
    required: ['height_factor'],
    args: random({
      ...affine,
      height_factor: gen(keras3Range(true), keras2Factor('a number or a list of two numbers in [-1, 1]', (l, u) => Math.abs(l) > 1 || Math.abs(u) > 1)),
      width_factor: nullable(gen(keras3Range(true), keras2Factor('a number or a list of two numbers ≥ -1', (l, u) => l < -1 || u < -1))),
    }),
  },
  RandomTranslation: {
    required: ['height_factor', 'width_factor'],
    args: random({...affine, height_factor: gen(keras3Range(false), translationFactor), width_factor: gen(keras3Range(false), translationFactor)}),
  },
  RandomContrast: {required: ['factor'], args: random({factor: gen(keras3Factor(0, 1, false), keras2Contrast)})},
  RandomBrightness: {required: ['factor'], args: random({factor: gen(keras3Factor(-1, 1, true), keras2Brightness), value_range: valueRange})},
  RandomHeight: {required: ['factor'], args: random({factor: stretchFactor, interpolation: tfInterpolation})},
  RandomWidth: {required: ['factor'], args: random({factor: stretchFactor, interpolation: tfInterpolation})},
}
