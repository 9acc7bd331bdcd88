/**
 * Argument schemas of the Keras 3.6+ image augmentation layers (AugMix, RandAugment, CutMix, MixUp, RandomHue,
 * RandomSaturation, RandomSharpness, RandomShear, RandomColorJitter, RandomColorDegeneration, RandomGrayscale,
 * RandomInvert, RandomPosterization, Solarization, RandomPerspective, RandomElasticTransform, RandomGaussianBlur,
 * RandomErasing, Equalization, AutoContrast, MaxNumBoundingBoxes, ContrastLimitedAdaptiveHistogramEqualization),
 * as Keras 3 (keras/src/layers/preprocessing/image_preprocessing/…) checks them in `__init__` and on the first
 * (symbolic) call. These classes exist only in Keras 3, so the checks are the same in both generations.
 */
import {type Json, isArray} from '../json.js'
import {type ArgCheck, type ArgTable, type ClassArgs, type CrossCheck, nullable, oneOf, pyIntCast, pyNumber} from './args.js'
import {dataFormat, keras3Factor, seed} from './preprocessing-args.js'

const num = (v: Json): number => Number(v)

/** `_set_factor` with the class's `_FACTOR_BOUNDS` (the factor is the class's own argument: None refused). */
const factorIn = (lo: number, hi: number): ArgCheck => keras3Factor(lo, hi, false)
/** The base layer's `factor` keyword (classes that take none of their own): `factor or 0.0` in [-1, 1]. */
const baseFactor = keras3Factor(-1, 1, true)

/** AutoContrast / Solarization (`_USE_BASE_FACTOR = False`): "Layer X does not take a `factor` argument". */
const noFactor: ArgCheck = (v, ctx) => (v === null ? undefined : `null (${ctx.className} does not take a factor)`)

/**
 * `_set_value_range`: a list of exactly two items that `sorted()` can order (two numbers, two strings, two
 * lists); a scalar, None, or a mixed pair raises.
 */
const valueRange: ArgCheck = (v) => {
  if (isArray(v) && v.length === 2) {
    const [a = null, b = null] = v
    if ((pyNumber(a) && pyNumber(b)) || (typeof a === 'string' && typeof b === 'string') || (isArray(a) && isArray(b))) return undefined
  }
  return 'a list of two numbers'
}

/** RandomShear / Solarization `_check_factor_range` on a number or on each of a list of two: in [0, 1] (NaN passes). */
const unitPair: ArgCheck = (v) => {
  const ok = (x: Json): boolean => pyNumber(x) && !(num(x) > 1 || num(x) < 0)
  return (isArray(v) ? v.length === 2 && v.every(ok) : ok(v)) ? undefined : 'a number or a list of two numbers in [0, 1]'
}

/** `value < 0 or value > 1` on a number (RandomGrayscale `factor`, RandomPerspective `scale`): NaN passes. */
const unitNumber: ArgCheck = (v) => (pyNumber(v) && !(num(v) < 0 || num(v) > 1) ? undefined : 'a number in [0, 1]')

/** RandomGaussianBlur `_set_kernel_size`: a number or a list of two, none with `value % 2 == 0`. */
const oddKernel: ArgCheck = (v) => {
  const ok = (x: Json): boolean => pyNumber(x) && num(x) % 2 !== 0
  return (isArray(v) ? v.length === 2 && v.every(ok) : ok(v)) ? undefined : 'an odd number or a list of two odd numbers'
}

/** MaxNumBoundingBoxes `int(value)`. */
const intCast: ArgCheck = (v) => (pyIntCast(v) === undefined ? 'an integer (or a value `int()` takes)' : undefined)

/**
 * AugMix / RandAugment `factor`: `_set_factor` in [0, 1], then the sorted pair is handed to RandomShear (each
 * bound in [0, 1]) and `int(8 * upper)` to RandomPosterization (a NaN upper bound raises).
 */
const compositeFactor: ArgCheck = (v) => {
  const phrase = 'a number or a list of two numbers in [0, 1]'
  const out = (x: number): boolean => x < 0 || x > 1
  if (!isArray(v)) return pyNumber(v) && num(v) >= 0 && num(v) <= 1 ? undefined : phrase
  const [a = null, b = null] = v
  if (v.length !== 2 || !pyNumber(a) || !pyNumber(b)) return phrase
  const [lower, upper] = num(b) < num(a) ? [num(b), num(a)] : [num(a), num(b)]
  return out(lower) || out(upper) || Number.isNaN(upper) ? phrase : undefined
}

const interpolation = oneOf('nearest', 'bilinear')

/** Seed and data format, which every layer here takes. */
const common = (extra: Record<string, ArgCheck> = {}): Record<string, ArgCheck> => ({seed, data_format: dataFormat, ...extra})

/** A colour layer with a required factor in [lo, hi] and a checked `value_range`. */
const colour = (lo: number, hi: number): ClassArgs => ({required: ['factor'], args: common({factor: factorIn(lo, hi), value_range: valueRange})})

/** AugMix / RandAugment: the sub-layers they build check `factor`, `value_range` and `interpolation`. */
const composite = (): ClassArgs => ({args: common({factor: compositeFactor, value_range: valueRange, interpolation})})

/**
 * RandomColorJitter hands `value_range` to the layers it builds
 * for each factor that is not None; RandomBrightness and RandomSaturation check it (RandomContrast and RandomHue do not).
 */
const jitterRange: CrossCheck = (cfg, ctx) => {
  const used = ['brightness_factor', 'saturation_factor'].filter((k) => cfg[k] !== undefined && cfg[k] !== null)
  const v = cfg.value_range
  if (used.length === 0 || v === undefined || valueRange(v, ctx) === undefined) return undefined
  return {key: 'value_range', message: `The \`value_range\` argument should be a list of two numbers (${used[0]} builds a layer that checks it). Received: value_range=${JSON.stringify(v)}`}
}

/** Argument schemas of the Keras 3 augmentation layers. */
export const AUGMENT_ARG_TABLE: ArgTable = {
  AugMix: composite(),
  RandAugment: composite(),
  AutoContrast: {args: {factor: noFactor, value_range: valueRange, data_format: dataFormat}},
  Equalization: {args: {factor: baseFactor, value_range: valueRange, data_format: dataFormat}},
  ContrastLimitedAdaptiveHistogramEqualization: {args: {factor: baseFactor, data_format: dataFormat}},
  MaxNumBoundingBoxes: {required: ['max_number'], args: {max_number: intCast, fill_value: intCast, factor: baseFactor, data_format: dataFormat}},
  CutMix: {args: common({factor: factorIn(0, 1)})},
  MixUp: {args: common({factor: baseFactor})},
  RandomColorDegeneration: colour(-1, 1),
  RandomSaturation: colour(-1, 1),
  RandomSharpness: colour(0, 1),
  RandomPosterization: colour(1, 8),
  RandomHue: {required: ['factor'], args: common({factor: factorIn(0, 1)})},
  RandomInvert: {args: common({factor: factorIn(0, 1)})},
  RandomGrayscale: {args: common({factor: unitNumber})},
  RandomColorJitter: {
    args: common({
      factor: baseFactor,
      brightness_factor: nullable(baseFactor),
      contrast_factor: nullable(factorIn(0, 1)),
      saturation_factor: nullable(factorIn(-1, 1)),
      hue_factor: nullable(factorIn(0, 1)),
    }),
    cross: [jitterRange],
  },
  Solarization: {args: common({factor: noFactor, addition_factor: unitPair, threshold_factor: unitPair, value_range: valueRange})},
  RandomShear: {
    args: common({x_factor: unitPair, y_factor: unitPair, interpolation, fill_mode: oneOf('reflect', 'wrap', 'constant', 'nearest')}),
  },
  RandomPerspective: {args: common({factor: factorIn(0, 1), scale: unitNumber, interpolation})},
  RandomElasticTransform: {
    args: common({
      factor: factorIn(0, 1), scale: factorIn(0, 1), interpolation,
      fill_mode: oneOf('constant', 'nearest', 'wrap', 'mirror', 'reflect'),
    }),
  },
  RandomErasing: {args: common({factor: factorIn(0, 1), scale: factorIn(0, 1)})},
  RandomGaussianBlur: {args: common({factor: factorIn(0, 1), kernel_size: oddKernel, sigma: factorIn(0, 1)})},
}
