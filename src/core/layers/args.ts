/**
 * Argument schemas: what each Keras class's constructor (and `build`) accepts, per generation — the part of a
 * layer's definition that the validation pass (model/validate.ts) runs. A schema mirrors the checks in the
 * class's `__init__` in Keras 3 (keras/src/layers/…) and tf-keras 2.x (tf_keras/src/layers/…), including their
 * leniencies: Python's `True` is an int (`units: true` builds a 1-unit Dense in Keras 3), tf-keras casts
 * `int(units)` (so `"3"` and `2.5` pass there), RNN dropouts are clipped to [0, 1] rather than refused.
 *
 * JSON values reach a check as the file has them (after Python-JSON parsing: NaN / Infinity are numbers, `1e400`
 * is Infinity, `null` is Python's None). One limit of JavaScript numbers: `3.0` and `3` are the same value here,
 * so a check cannot tell Python's float 3.0 from the int 3.
 */
import {type Json, type JsonObject, isArray, isObject} from '../json.js'
import {generationOf} from '../model/spec.js'

/** The Keras generation whose rules apply: Keras 3 (`keras`), or Keras 2 (tf.keras / tf-keras / Keras ≤ 2.3). */
export type Generation = 'keras2' | 'keras3'

/** What a check knows besides the value. */
export interface ArgContext {
  generation: Generation
  className: string
  /** The whole layer config (for checks that depend on another argument). */
  config: JsonObject
}

/**
 * One argument's check: undefined when Keras accepts the value, else what Keras expects, phrased to follow
 * "'units' of Dense layer 'd' must be …" (e.g. `a positive integer`).
 */
export type ArgCheck = (value: Json, ctx: ArgContext) => string | undefined

/**
 * A check of several arguments together (`filters` divisible by `groups`): undefined, or one problem with the
 * argument it is reported at and a full sentence (without the layer prefix) such as
 * "The number of filters must be evenly divisible by the number of groups (filters=2, groups=3)".
 */
export type CrossCheck = (config: JsonObject, ctx: ArgContext) => {key: string; message: string} | undefined

/** A class's argument schema. Keys absent from the config are not checked (Keras uses its default). */
export interface ClassArgs {
  args?: Readonly<Record<string, ArgCheck>>
  /** Arguments the constructor cannot do without (a missing one is Python's "missing required argument"). */
  required?: readonly string[]
  cross?: readonly CrossCheck[]
}

/** Schemas of one family, by canonical class name (aliases resolve through the catalogue). */
export type ArgTable = Readonly<Record<string, ClassArgs>>

// ---- value predicates (Python's view of a JSON value) ----

/** Python `isinstance(v, int)`: JSON integers and booleans (bool is an int subclass). */
export const pyInt = (v: Json): v is number | boolean => typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))
/** The int value Python would use (`True` → 1). */
export const intValue = (v: number | boolean): number => (typeof v === 'boolean' ? Number(v) : v)
/** Python `isinstance(v, (int, float))` (bool included). */
export const pyNumber = (v: Json): v is number | boolean => typeof v === 'number' || typeof v === 'boolean'
/** The number Python would use. */
export const numberValue = (v: number | boolean): number => (typeof v === 'boolean' ? Number(v) : v)

/**
 * Python's `int(v)` on a JSON value: ints and bools as is, finite floats truncated, strings of an integer
 * (`"3"`, `" 3 "`); undefined where `int()` raises (NaN, inf, `"ten"`, `"2.5"`, None, lists).
 */
export function pyIntCast(v: Json): number | undefined {
  if (typeof v === 'boolean') return Number(v)
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined
  if (typeof v === 'string') {
    const t = v.trim().replace(/_/g, '')
    return /^[+-]?\d+$/.test(t) ? Number(t) : undefined
  }
  return undefined
}

/**
 * Python's `float(v)`: numbers and bools, strings of a number (`"0.5"`, `"nan"`, `"inf"`); undefined where
 * `float()` raises.
 */
export function pyFloatCast(v: Json): number | undefined {
  if (typeof v === 'boolean') return Number(v)
  if (typeof v === 'number') return v
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase()
    if (/^[+-]?(nan)$/.test(t)) return Number.NaN
    if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity
    return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t) ? Number(t) : undefined
  }
  return undefined
}

// ---- combinators ----

/** Accepts None as well as whatever `check` accepts. */
export const nullable = (check: ArgCheck): ArgCheck => (v, ctx) => (v === null ? undefined : check(v, ctx))

/** Applies `check` in one generation only (the other accepts anything here). */
export const only = (generation: Generation, check: ArgCheck): ArgCheck => (v, ctx) => (ctx.generation === generation ? check(v, ctx) : undefined)

/** A different check per generation. */
export const perGeneration = (checks: Readonly<Record<Generation, ArgCheck>>): ArgCheck => (v, ctx) => checks[ctx.generation](v, ctx)

/** The first problem any of `checks` finds. */
export const all = (...checks: ArgCheck[]): ArgCheck => (v, ctx) => {
  for (const check of checks) {
    const problem = check(v, ctx)
    if (problem !== undefined) return problem
  }
  return undefined
}

/** A Python int (bool included) ≥ `min`. */
export const intAtLeast = (min: number): ArgCheck => (v) =>
  pyInt(v) && intValue(v) >= min ? undefined : min === 1 ? 'a positive integer' : `an integer ≥ ${min}`

/** A Python bool. */
export const boolean: ArgCheck = (v) => (typeof v === 'boolean' ? undefined : 'true or false')

/** One of the given strings (exact, case-sensitive, as Keras compares them). */
export const oneOf = (...options: readonly string[]): ArgCheck => (v) =>
  typeof v === 'string' && options.includes(v) ? undefined : `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`

/**
 * An int or a list of `n` ints, each ≥ `min` (Keras's `standardize_tuple`): `3` or `[3, 3]` for n = 2.
 * `what` names the argument in the phrase ("a tuple of 2 integers").
 */
export const intTuple = (n: number, min = 1): ArgCheck => (v) => {
  const ok = (x: Json): boolean => pyInt(x) && intValue(x) >= min
  if (pyInt(v)) return ok(v) ? undefined : `an integer ≥ ${min} or a tuple of ${n} of them`
  if (isArray(v) && v.length === n && v.every(ok)) return undefined
  return `an integer ≥ ${min} or a tuple of ${n} of them`
}

/** A JSON object (`{class_name, config}` serialisations and dicts). */
export const object: ArgCheck = (v) => (isObject(v) ? undefined : 'an object')

// ---- Python truthiness, tuples, case-insensitive enums ----

/** Python truthiness of a JSON value (`if value:`): None, False, 0, "", [] and {} are false; NaN is true. */
export function pyTruthy(v: Json): boolean {
  if (v === null || v === false || v === 0 || v === '') return false
  if (isArray(v)) return v.length > 0
  if (isObject(v)) return Object.keys(v).length > 0
  return true
}

/** The generation whose rules apply to a file (model/spec.ts `generationOf`), for shape rules. */
export function generationFor(kerasVersion: string | null, dialect: Generation): Generation {
  return generationOf({keras_version: kerasVersion, dialect})
}

/** What `sizeTuple` lets through besides Python ints. */
export interface TupleOptions {
  /** 1: each value > 0 (the default); 0: each value ≥ 0 (`allow_zero=True`). */
  min?: 0 | 1
  /** Finite floats inside a list pass (Keras 3 strides; pool sizes): `int(v)` works and `v > 0` holds. */
  floats?: boolean
  /** Booleans pass as 1 / 0 (default); false where tf-keras hands them to TensorFlow as a shape (kernel sizes). */
  bools?: boolean
}

/**
 * Keras 3 `standardize_tuple` / tf-keras `conv_utils.normalize_tuple`: a Python int (a scalar float raises),
 * or a list of exactly `n` values each `int()`-convertible and > 0 (≥ 0 with `min: 0`); strings fail the
 * comparison, None and NaN fail `int()`. `floats` / `bools` mirror what the layer then builds with.
 */
export const sizeTuple = (n: number, {min = 1, floats = false, bools = true}: TupleOptions = {}): ArgCheck => (v) => {
  const ok = (x: Json, list: boolean): boolean => {
    if (typeof x === 'boolean') return bools && Number(x) >= min
    if (typeof x !== 'number' || !Number.isFinite(x) || !((list && floats) || Number.isInteger(x))) return false
    return min === 1 ? x > 0 : x >= 0
  }
  if (isArray(v) ? v.length === n && v.every((x) => ok(x, true)) : ok(v, false)) return undefined
  return `an integer ${min === 1 ? '> 0' : '≥ 0'} or a list of ${n} of them`
}

/** The numbers a valid `sizeTuple` value stands for (`3` → [3, 3]; booleans as 1 / 0), else undefined. */
export function tupleValues(v: Json | undefined, n: number): number[] | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return Array.from({length: n}, () => Number(v))
  if (isArray(v) && v.length === n && v.every((x) => typeof x === 'number' || typeof x === 'boolean')) return v.map(Number)
  return undefined
}

/** A string whose lower-case form is one of `options` (Keras lower-cases `padding` / `data_format`). */
export const oneOfLower = (...options: readonly string[]): ArgCheck => (v) =>
  typeof v === 'string' && options.includes(v.toLowerCase()) ? undefined : `one of ${options.map((o) => JSON.stringify(o)).join(', ')} (any case)`

// ---- Python equality, numbers ----

/**
 * Python `a == b` on two JSON values (missing = `fallback`): bools equal the numbers 1 / 0 (`True == 1.0`),
 * strings only strings, None only None, lists and dicts element by element; NaN equals nothing.
 */
export function pyEquals(a: Json | undefined, b: Json | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  if (pyNumber(a) && pyNumber(b)) return numberValue(a) === numberValue(b)
  if (isArray(a) && isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]))
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]))
  }
  return a === b
}

/** A Python int or float (bool included): what `min(1.0, max(0.0, v))` and other comparisons with a float take. */
export const number: ArgCheck = (v) => (pyNumber(v) ? undefined : 'a number')
