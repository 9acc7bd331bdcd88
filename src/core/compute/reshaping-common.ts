/**
 * Config readers and layout helpers shared by the pooling and reshaping compute functions: the integer tuples
 * Keras standardizes (`pool_size`, `strides`, `size`, `cropping`, `padding`), `data_format` as Keras reads it
 * (any case; Keras 1's `dim_ordering: "th"`), and the transposes between channels-first and channels-last.
 * A value Keras could not call the layer with is a BackendError naming the class and argument, never a guess.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import {BackendError} from '../errors.js'
import {type Json, type JsonObject, isArray} from '../json.js'
import type {ComputeCall} from './types.js'

/** KM_BACKEND_UNSUPPORTED_ARGUMENT for one argument value of the called class. */
export function unsupported(c: ComputeCall, arg: string, value: Json | undefined, reason: string, hint?: string): BackendError {
  const shown = value === undefined ? 'absent' : JSON.stringify(value)
  return new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument '${arg}' = ${shown} is not computed by kmodel (${reason}).`, {
    hint: hint ?? 'Keras cannot call the layer with this value either; correct the argument in the model file.',
  })
}

/** Keras's `data_format` (standardized to lower case), or Keras 1's `dim_ordering: "th"`: true for channels_first. */
export function isChannelsFirst(cfg: JsonObject): boolean {
  const format = cfg.data_format
  if (typeof format === 'string') return format.toLowerCase() === 'channels_first'
  return cfg.dim_ordering === 'th'
}

/** A Python int (bools count as 0 / 1) from a JSON value, or undefined. */
function pyNumber(v: Json | undefined): number | undefined {
  if (typeof v === 'boolean') return Number(v)
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** Options of intTuple. */
export interface TupleOptions {
  /** The smallest value Keras computes with (1 for sizes and strides, 0 for amounts). */
  min: number
  /** tf-keras casts with `int(...)`: a fractional value is truncated instead of refused. */
  truncate?: boolean
}

/**
 * `standardize_tuple(value, n)` of both generations: an int repeated n times, or a list of n ints. Absent or
 * null gives `fallback`; anything else (a fraction, a value below `min`, a list of another length) is refused.
 */
export function intTuple(c: ComputeCall, key: string, n: number, fallback: readonly number[], options: TupleOptions): number[] {
  const raw = c.config[key]
  if (raw === undefined || raw === null) return [...fallback]
  const one = pyNumber(raw)
  const list = one !== undefined ? Array.from({length: n}, () => one) : isArray(raw) && raw.length === n ? raw.map(pyNumber) : []
  if (list.length !== n || list.some((v) => v === undefined)) throw unsupported(c, key, raw, `an integer or a list of ${n} integers is expected`)
  const values = (list as number[]).map((v) => (options.truncate === true ? Math.trunc(v) : v))
  if (values.some((v) => !Number.isInteger(v))) throw unsupported(c, key, raw, 'Keras needs whole numbers here')
  if (values.some((v) => v < options.min)) throw unsupported(c, key, raw, `every value must be at least ${options.min}`)
  return values
}

/** `[0, 2, …, n + 1, 1]`: channels-first → channels-last for n spatial axes. */
export function toChannelsLast(tf: Core, x: Tensor, n: number): Tensor {
  return tf.transpose(x, [0, ...Array.from({length: n}, (_, i) => i + 2), 1])
}

/** `[0, n + 1, 1, …, n]`: channels-last → channels-first for n spatial axes. */
export function toChannelsFirst(tf: Core, x: Tensor, n: number): Tensor {
  return tf.transpose(x, [0, n + 1, ...Array.from({length: n}, (_, i) => i + 1)])
}

/** Runs `fn` on the channels-last layout of `x` and returns the result in the layer's own layout. */
export function inChannelsLast(tf: Core, x: Tensor, n: number, channelsFirst: boolean, fn: (x: Tensor) => Tensor): Tensor {
  if (!channelsFirst) return fn(x)
  return toChannelsFirst(tf, fn(toChannelsLast(tf, x, n)), n)
}

/** `ops.repeat(x, k, axis)`: every entry along `axis` repeated k times in place (`[a, b]` → `[a, a, b, b]`). */
export function repeatAxis(tf: Core, x: Tensor, k: number, axis: number): Tensor {
  if (k === 1) return x
  const shape = x.shape
  const expanded = tf.expandDims(x, axis + 1)
  const reps = shape.map(() => 1)
  reps.splice(axis + 1, 0, k)
  const out = [...shape]
  out[axis] = (shape[axis] ?? 0) * k
  return tf.reshape(tf.tile(expanded, reps), out)
}
