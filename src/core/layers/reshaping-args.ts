/**
 * Argument schemas of the reshaping layers (Reshape, Flatten, Permute, RepeatVector, Cropping / ZeroPadding /
 * UpSampling 1D–3D), mirroring their `__init__` checks in Keras 3 (keras/src/layers/reshaping/…) and tf-keras
 * (tf_keras/src/layers/reshaping/…). What depends on the input shape (sizes, ranks, a fractional amount against
 * a known dimension) is refused by the shape rules in reshaping.ts.
 */
import {type Json, isArray, isObject} from '../json.js'
import {type ArgCheck, type ArgTable, intValue, nullable, oneOfLower, perGeneration, pyInt, pyIntCast, sizeTuple} from './args.js'

/** `standardize_tuple(value, n, name, allow_zero)` of both generations, fractions passed on to the shape rules. */
const standardTuple = (n: number, min: 0 | 1): ArgCheck => sizeTuple(n, {min, floats: true})

/**
 * `cropping` / `padding` of the 2D and 3D layers: an int, or a list of `n` entries, each an int or a pair
 * (`standardize_tuple(entry, 2, allow_zero=True)`). `negativeInt` says whether a bare negative int is accepted:
 * Keras 3 Cropping refuses it in `__init__`, tf-keras ZeroPadding when padding; Keras 3 ZeroPadding only when
 * the output would be negative (a shape refusal), tf-keras Cropping never.
 */
const amountsArg = (n: number, negativeInt: boolean): ArgCheck => (v, ctx) => {
  if (pyInt(v)) return negativeInt || intValue(v) >= 0 ? undefined : 'a non-negative integer'
  const entry = standardTuple(2, 0)
  if (isArray(v) && v.length === n && v.every((e) => entry(e, ctx) === undefined)) return undefined
  return `an integer, a list of ${n} non-negative integers, or a list of ${n} pairs of them`
}

/** Reshape's `target_shape`: Keras 3 validates its int entries (≥ -1, one -1 at most); tf-keras needs int32 entries. */
const targetShape: ArgCheck = perGeneration({
  keras3: (v) => {
    if (typeof v === 'string' || isObject(v)) return undefined
    if (!isArray(v)) return 'a list of integers'
    const ints = v.filter(pyInt).map(intValue)
    if (ints.some((d) => d < -1)) return 'a list of non-negative integers with at most one -1'
    return ints.filter((d) => d === -1).length > 1 ? 'a list of integers with at most one -1' : undefined
  },
  keras2: (v) => {
    if (isObject(v) && Object.keys(v).length === 0) return undefined
    const int32 = (d: Json): boolean => pyInt(d) && Math.abs(intValue(d)) <= 2 ** 31 - 1
    return isArray(v) && v.every(int32) ? undefined : 'a list of integers'
  },
})

/** Permute's `dims`: `sorted(dims) == [1, …, n]` (bools count as 0/1; an empty string or dict is the empty pattern). */
const permutation: ArgCheck = (v) => {
  if (v === '' || (isObject(v) && Object.keys(v).length === 0)) return undefined
  if (isArray(v) && v.every(pyInt)) {
    const sorted = v.map(intValue).sort((a, b) => a - b)
    if (sorted.every((d, i) => d === i + 1)) return undefined
  }
  return 'a permutation of 1, …, n (the input axes after the batch axis)'
}

/** RepeatVector's `n`: Keras 3 wants a positive non-bool int; tf-keras any int, failing at call below -1. */
const repeats: ArgCheck = perGeneration({
  keras3: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? undefined : 'a positive integer'),
  keras2: (v) => (pyInt(v) && intValue(v) >= -1 ? undefined : 'an integer ≥ -1'),
})

/** UpSampling1D's `size`: Keras 3 wants a positive non-bool int; tf-keras casts `int(size)`. */
const size1D: ArgCheck = perGeneration({
  keras3: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? undefined : 'a positive integer'),
  keras2: (v) => (pyIntCast(v) !== undefined ? undefined : 'an integer'),
})

const TF_INTERPOLATIONS = ['bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'lanczos5', 'gaussian', 'mitchellcubic']

/** UpSampling2D's `interpolation`: a string (Keras 3 lower-cases it); tf-keras also checks it case-insensitively. */
const interpolation: ArgCheck = perGeneration({
  keras3: (v) => (typeof v === 'string' ? undefined : 'a string'),
  keras2: (v) =>
    typeof v === 'string' && TF_INTERPOLATIONS.includes(v.toLowerCase()) ? undefined : `one of ${TF_INTERPOLATIONS.map((s) => JSON.stringify(s)).join(', ')}`,
})

/** `standardize_data_format` / `normalize_data_format`: None, or either format in any case. */
const format = {data_format: nullable(oneOfLower('channels_first', 'channels_last'))}

/** Argument schemas of the reshaping family, by class name. */
export const RESHAPING_ARGS: ArgTable = {
  Reshape: {required: ['target_shape'], args: {target_shape: targetShape}},
  Flatten: {args: format},
  Permute: {required: ['dims'], args: {dims: permutation}},
  RepeatVector: {required: ['n'], args: {n: repeats}},
  Cropping1D: {args: {cropping: standardTuple(2, 0)}},
  Cropping2D: {args: {...format, cropping: perGeneration({keras3: amountsArg(2, false), keras2: amountsArg(2, true)})}},
  Cropping3D: {args: {...format, cropping: perGeneration({keras3: amountsArg(3, false), keras2: amountsArg(3, true)})}},
  ZeroPadding1D: {args: {...format, padding: standardTuple(2, 0)}},
  ZeroPadding2D: {args: {...format, padding: perGeneration({keras3: amountsArg(2, true), keras2: amountsArg(2, false)})}},
  ZeroPadding3D: {args: {...format, padding: perGeneration({keras3: amountsArg(3, true), keras2: amountsArg(3, false)})}},
  UpSampling1D: {args: {size: size1D}},
  UpSampling2D: {args: {...format, size: standardTuple(2, 1), interpolation}},
  UpSampling3D: {args: {...format, size: standardTuple(3, 1)}},
}
