/**
 * Argument schemas and build-time refusals of BatchNormalization, LayerNormalization, GroupNormalization and
 * UnitNormalization, per generation, as Keras 3 (keras/src/layers/normalization/…) and tf-keras 2.x
 * (tf_keras/src/layers/normalization/…) check them in `__init__`, `build` and the first call.
 */
import {type Json, type JsonObject, isArray, isObject} from '../json.js'
import type {Shape} from './types.js'
import {
  type ArgCheck, type ArgTable, type CrossCheck, type Generation, perGeneration, pyFloatCast, pyInt, pyIntCast,
  pyNumber, pyTruthy,
} from './args.js'
import {constraint, initializer, regularizer} from './identifiers.js'

// ---- argument checks ----

/** Keras 3 BatchNormalization `int(axis)`. */
const intCastable: ArgCheck = (v) => (pyIntCast(v) === undefined ? 'an integer' : undefined)
/** Keras 3 BatchNormalization `float(momentum)` / `float(epsilon)`. */
const floatCastable: ArgCheck = (v) => (pyFloatCast(v) === undefined ? 'a number' : undefined)
/** A Python int (bool included). */
const pyIntArg: ArgCheck = (v) => (pyInt(v) ? undefined : 'an integer')
/** A Python int or float (bool included): the value is compared or added to a tensor. */
const numberArg: ArgCheck = (v) => (pyNumber(v) ? undefined : 'a number')
/** tf-keras adds `epsilon` to a tensor: a number, or a list TensorFlow converts. */
const tensorNumber: ArgCheck = (v) => (pyNumber(v) || (isArray(v) && v.every(pyNumber)) ? undefined : 'a number')

/** `axis` as an int or a list/tuple of ints (`nonEmpty`: tf-keras indexes `axis[0]` / `axis[-1]`). */
const axisList = (nonEmpty: boolean, items: (x: Json) => boolean = pyInt): ArgCheck => (v) => {
  if (pyInt(v)) return undefined
  if (isArray(v) && v.every(items) && (!nonEmpty || v.length > 0)) return undefined
  return nonEmpty ? 'an integer or a non-empty list of integers' : 'an integer or a list of integers'
}

/** tf-keras BatchNormalization with `fused=True` (`_raise_if_fused_cannot_be_used`). */
const fusedCheck: CrossCheck = (cfg, ctx) => {
  if (ctx.generation !== 'keras2') return undefined
  if (pyTruthy(cfg.synchronized ?? false) && pyTruthy(cfg.fused ?? null)) return {key: 'fused', message: '`fused=True` is not supported when `synchronized=True`'}
  if (!pyTruthy(cfg.fused ?? null) || pyTruthy(cfg.synchronized ?? false)) return undefined
  const axis = cfg.axis ?? -1
  const list = isArray(axis) ? axis : [axis]
  if (pyTruthy(cfg.renorm ?? false)) return {key: 'fused', message: 'Passing both `fused=True` and `renorm=True` is not supported'}
  if (list.length !== 1 || !pyInt(list[0] ?? null) || ![-4, -3, -1, 1, 3, 4].includes(Number(list[0]))) {
    return {key: 'fused', message: `Passing \`fused=True\` is only supported when axis is 1 or 3 for input rank = 4 (got axis ${JSON.stringify(axis)})`}
  }
  for (const key of ['virtual_batch_size', 'adjustment']) {
    if ((cfg[key] ?? null) !== null) return {key: 'fused', message: `Passing \`fused=True\` is not supported when \`${key}\` is specified`}
  }
  return undefined
}

/** tf-keras `virtual_batch_size`: > 0, and not with `adjustment`. */
const virtualBatchCheck: CrossCheck = (cfg, ctx) => {
  const vbs = cfg.virtual_batch_size ?? null
  if (ctx.generation !== 'keras2' || vbs === null) return undefined
  if (!pyNumber(vbs) || Number(vbs) <= 0) return {key: 'virtual_batch_size', message: `\`virtual_batch_size\` must be a positive integer, found ${JSON.stringify(vbs)}`}
  if ((cfg.adjustment ?? null) !== null) return {key: 'adjustment', message: 'When using `virtual_batch_size`, adjustment cannot be specified'}
  return undefined
}

/** Python `a < b` for JSON scalars; undefined where Python raises TypeError. */
function pyLess(a: Json, b: Json): boolean | undefined {
  if (pyNumber(a) && pyNumber(b)) return Number(a) < Number(b)
  if (typeof a === 'string' && typeof b === 'string') return a < b
  return undefined
}

/**
 * `renorm_clipping` when `renorm` is truthy: Keras 3 reads it as a dict of `rmax` / `rmin` / `dmax` with
 * rmax ≥ rmin and dmax ≥ 0; tf-keras only checks `set(renorm_clipping)` ⊆ those keys.
 */
const renormCheck: CrossCheck = (cfg, ctx) => {
  if (!pyTruthy(cfg.renorm ?? false)) return undefined
  const raw = cfg.renorm_clipping ?? null
  const clip: Json = pyTruthy(raw) ? raw : {}
  const keys = ['rmax', 'rmin', 'dmax']
  const bad = {key: 'renorm_clipping', message: `\`renorm_clipping\` must be a dict with keys among ${JSON.stringify(keys)}, found ${JSON.stringify(raw)}`}
  if (ctx.generation === 'keras2') {
    const members = isObject(clip) ? Object.keys(clip) : isArray(clip) ? clip : typeof clip === 'string' ? [...clip] : undefined
    return members === undefined || members.some((k) => typeof k !== 'string' || !keys.includes(k)) ? bad : undefined
  }
  if (!isObject(clip) || Object.keys(clip).some((k) => !keys.includes(k))) return bad
  const rmax = clip.rmax ?? null
  const rmin = clip.rmin ?? null
  const dmax = clip.dmax ?? null
  if (rmax !== null && rmin !== null && pyLess(rmax, rmin) !== false) return {key: 'renorm_clipping', message: `rmax should be greater than rmin in the \`renorm_clipping\` argument (rmax=${JSON.stringify(rmax)}, rmin=${JSON.stringify(rmin)})`}
  if (dmax !== null && pyLess(dmax, 0) !== false) return {key: 'renorm_clipping', message: `dmax should be non-negative in the \`renorm_clipping\` argument (dmax=${JSON.stringify(dmax)})`}
  return undefined
}

/** Keras 3 GroupNormalization: a positive int, or -1 (instance normalization). */
const groupsCheck: ArgCheck = perGeneration({
  keras3: (v) => (pyInt(v) && (Number(v) > 0 || Number(v) === -1) ? undefined : 'a positive integer or -1'),
  keras2: numberArg,
})

const affine = (prefix: string[]): Record<string, ArgCheck> => Object.fromEntries(prefix.flatMap((p) => [
  [`${p}_initializer`, initializer], [`${p}_regularizer`, regularizer], [`${p}_constraint`, constraint],
]))

/** Argument schemas of the normalization layers this module covers. */
export const NORMALIZATION_ARG_TABLE: ArgTable = {
  BatchNormalization: {
    args: {
      axis: perGeneration({keras3: intCastable, keras2: axisList(false)}),
      momentum: perGeneration({keras3: floatCastable, keras2: () => undefined}),
      epsilon: perGeneration({keras3: floatCastable, keras2: tensorNumber}),
      ...affine(['beta', 'gamma']),
      moving_mean_initializer: initializer,
      moving_variance_initializer: initializer,
    },
    cross: [
      renormCheck, fusedCheck, virtualBatchCheck,
      (cfg, ctx) => ctx.generation === 'keras2' && isArray(cfg.axis ?? null) && (cfg.axis as Json[]).length === 0 && cfg.fused !== false
        ? {key: 'axis', message: 'An empty `axis` list cannot be used (tf-keras reads axis[0])'} : undefined,
    ],
  },
  LayerNormalization: {
    args: {
      axis: perGeneration({keras3: axisList(false), keras2: axisList(true)}),
      epsilon: perGeneration({keras3: () => undefined, keras2: numberArg}),
      ...affine(['beta', 'gamma']),
    },
  },
  GroupNormalization: {
    args: {
      groups: groupsCheck,
      axis: perGeneration({keras3: pyIntArg, keras2: (v) => (typeof v === 'number' && Number.isInteger(v) ? undefined : 'an integer')}),
      epsilon: perGeneration({keras3: () => undefined, keras2: tensorNumber}),
      ...affine(['beta', 'gamma']),
    },
  },
  UnitNormalization: {
    args: {axis: perGeneration({keras3: axisList(false, pyNumber), keras2: axisList(false)})},
  },
}

// ---- build-time refusals (shape rules) ----

const show = (shape: Shape): string => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`

/** The axes of `axis` as ints (bools as 0/1), or undefined when not ints (the argument check reports it). */
function axisValues(value: Json | undefined, fallback: number, castInt = false): number[] | undefined {
  const v = value === undefined ? fallback : value
  if (castInt) {
    const n = pyIntCast(v)
    return n === undefined ? undefined : [n]
  }
  if (pyInt(v)) return [Number(v)]
  if (isArray(v) && v.every(pyInt)) return v.map(Number)
  return undefined
}

/**
 * Resolves axes against the input rank as `tf_utils.validate_axis` (tf-keras: range, duplicates) or Keras 3's
 * indexing (`input_shape[axis]`: range only), and requires a defined size on each: the weights are built from it.
 */
function checkAxes(ax: number[], shape: Shape, generation: Generation, needDims: boolean): string | undefined {
  const rank = shape.length
  const resolved = ax.map((a) => (a < 0 ? a + rank : a))
  if (resolved.some((a) => a < 0 || a >= rank)) {
    return `Invalid value for \`axis\` argument: expected -${rank} <= axis < ${rank} for an input of shape ${show(shape)}, received axis=${JSON.stringify(ax)}`
  }
  if (generation === 'keras2' && new Set(resolved).size !== resolved.length) return `Duplicate axis: ${JSON.stringify(resolved)}`
  if (needDims && resolved.some((a) => shape[a] === null)) {
    return `Input has undefined \`axis\` dimension: shape ${show(shape)}, axis=${JSON.stringify(ax)} (the weights need a defined size)`
  }
  return undefined
}

/** BatchNormalization: axis in range with a defined size; tf-keras fused / virtual batch constraints. */
export function batchNormRefusal(cfg: JsonObject, shape: Shape, generation: Generation): string | undefined {
  const ax = axisValues(cfg.axis, -1, generation === 'keras3')
  if (ax === undefined) return undefined
  const problem = checkAxes(ax, shape, generation, true)
  if (problem !== undefined || generation === 'keras3') return problem
  const rank = shape.length
  const resolved = ax.map((a) => (a < 0 ? a + rank : a))
  if ((cfg.virtual_batch_size ?? null) !== null && resolved.includes(0)) return 'When using `virtual_batch_size`, the batch dimension must be 0 and thus axis cannot include 0'
  if (pyTruthy(cfg.fused ?? null) && !pyTruthy(cfg.synchronized ?? false)) {
    if (rank !== 4 && rank !== 5) return `Batch normalization layers with \`fused=True\` only support 4D or 5D input tensors, found shape ${show(shape)}`
    if (rank === 4 && !(resolved.length === 1 && (resolved[0] === 1 || resolved[0] === 3))) return `Unsupported axis: \`fused=True\` is only possible with axis=1 or axis=3 for 4D inputs, found axis=${JSON.stringify(resolved)}`
  }
  return undefined
}

/** LayerNormalization: every axis in range with a defined size (tf-keras: no duplicates). */
export function layerNormRefusal(cfg: JsonObject, shape: Shape, generation: Generation): string | undefined {
  const ax = axisValues(cfg.axis, -1)
  return ax === undefined ? undefined : checkAxes(ax, shape, generation, true)
}

/** UnitNormalization: every (integer) axis in range (tf-keras: no duplicates). */
export function unitNormRefusal(cfg: JsonObject, shape: Shape, generation: Generation): string | undefined {
  const raw = cfg.axis === undefined ? -1 : cfg.axis
  const list = isArray(raw) ? raw : [raw]
  const ints = list.filter((a) => pyInt(a) || (typeof a === 'number' && Number.isInteger(a))).map(Number)
  if (ints.length !== list.length && generation === 'keras2') return undefined
  return checkAxes(ints, shape, generation, false)
}

/** Python's `a % b` (sign of the divisor). */
const pyMod = (a: number, b: number): number => ((a % b) + b) % b

/** GroupNormalization: a defined channel axis, groups ≤ channels and dividing them. */
export function groupNormRefusal(cfg: JsonObject, shape: Shape, generation: Generation): string | undefined {
  const axis = cfg.axis === undefined ? -1 : cfg.axis
  const groupsRaw = cfg.groups === undefined ? 32 : cfg.groups
  if (!pyInt(axis) || !pyNumber(groupsRaw)) return undefined
  const a = Number(axis)
  const problem = checkAxes([a], shape, generation, false)
  if (problem !== undefined) return problem
  const dim = shape[a < 0 ? a + shape.length : a] ?? null
  if (dim === null) return `Axis ${a} of input tensor should have a defined dimension but the layer received an input with shape ${show(shape)}`
  const groups = Number(groupsRaw) === -1 ? dim : Number(groupsRaw)
  if (dim < groups) return `Number of groups (${groups}) cannot be more than the number of channels (${dim})`
  if (groups === 0) return `Number of groups is 0 for ${dim} channels (integer modulo by zero)`
  if (pyMod(dim, groups) !== 0) return `Number of groups (${groups}) must be a multiple of the number of channels (${dim})`
  return undefined
}
