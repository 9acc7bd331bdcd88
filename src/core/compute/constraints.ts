/**
 * Keras's weight constraints (`kernel_constraint`, `bias_constraint`, `recurrent_constraint`,
 * `depthwise_constraint`, `pointwise_constraint`, `embeddings_constraint`, `gamma_constraint`, `beta_constraint`,
 * `alpha_constraint`; Keras 1 `W_constraint`, `b_constraint`, `U_constraint`): projections Keras's optimizers
 * assign to a variable right after each update (`variable.assign(variable.constraint(variable))`). Only training
 * needs them; predict never reads them.
 *
 * With `norms = sqrt(Σ_axis w²)` (keepdims, summed over `axis`, default 0; null sums every axis) and ε = 1e-7
 * (Keras's `backend.epsilon()`), each generation computes:
 * - MaxNorm(max_value = 2; Keras 1 `m`): `w · (clip(norms, 0, max_value) / (ε + norms))`;
 * - NonNeg: Keras 3 `maximum(w, 0)`, Keras 1/2 `w · cast(w ≥ 0)`;
 * - UnitNorm: `w / (ε + norms)`;
 * - MinMaxNorm(min_value = 0, max_value = 1, rate = 1): `w · ((rate·clip(norms, min, max) + (1 − rate)·norms) / (ε + norms))`;
 * - Constraint (the base class): `w` unchanged.
 * `clip(x, lo, hi)` is `max(min(x, hi), lo)` (tf.clip_by_value; tf-keras's `max := min` when max < min gives
 * the same). Spellings: strings (`"max_norm"`, `"MaxNorm"`, tf-keras / Keras 1 also `"maxnorm"`, `"nonneg"`,
 * `"unitnorm"`), `{"class_name", "config"}` (with or without Keras 3's `module`), Keras 1 `{"name", …args}`.
 * RadialConstraint and custom constraints are refused (BackendError KM_BACKEND_CONSTRAINT).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type Json, type JsonObject, isObject} from '../json.js'
import type {Core} from '../backend/runtime.js'
import type {Dialect} from '../model/spec.js'
import {regularizerConfig, weightArgOf} from './regularizers.js'

/** Keras's `backend.epsilon()` default. */
const EPSILON = 1e-7

/** A parsed constraint: its kind and arguments (axis null: every axis). */
export type Constraint =
  | {kind: 'identity'}
  | {kind: 'non_neg'}
  | {kind: 'max_norm'; maxValue: number; axis: number[] | null}
  | {kind: 'unit_norm'; axis: number[] | null}
  | {kind: 'min_max_norm'; minValue: number; maxValue: number; rate: number; axis: number[] | null}

/** Class names per kind; `legacy` spellings are accepted by tf-keras and Keras 1/2 only. */
const NAMES: Record<Constraint['kind'], {keras3: string[]; legacy: string[]}> = {
  identity: {keras3: ['Constraint', 'constraint'], legacy: []},
  max_norm: {keras3: ['MaxNorm', 'max_norm'], legacy: ['maxnorm']},
  non_neg: {keras3: ['NonNeg', 'non_neg'], legacy: ['nonneg']},
  unit_norm: {keras3: ['UnitNorm', 'unit_norm'], legacy: ['unitnorm']},
  min_max_norm: {keras3: ['MinMaxNorm', 'min_max_norm'], legacy: []},
}

function kindOf(name: string, generation: Dialect): Constraint['kind'] | undefined {
  for (const [kind, names] of Object.entries(NAMES) as Array<[Constraint['kind'], {keras3: string[]; legacy: string[]}]>) {
    if (names.keras3.includes(name) || (generation === 'keras2' && names.legacy.includes(name))) return kind
  }
  return undefined
}

/** An axis argument: an integer, a list of integers, or null (every axis); undefined when malformed. */
function axisOf(value: Json | undefined): number[] | null | undefined {
  if (value === undefined) return [0]
  if (value === null) return null
  if (typeof value === 'number' && Number.isInteger(value)) return [value]
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v))) return value as number[]
  return undefined
}

/** The class name and arguments of a saved constraint, or undefined when it has no recognisable form. */
function nameAndConfig(value: Json): {name: string; config: JsonObject} | undefined {
  if (typeof value === 'string') return {name: value, config: {}}
  if (!isObject(value)) return undefined
  if (typeof value.class_name === 'string') return {name: value.class_name, config: isObject(value.config) ? value.config : {}}
  if (typeof value.name === 'string') return {name: value.name, config: value} // Keras 1: {"name": "MaxNorm", "m": 2, …}
  return undefined
}

/**
 * The constraint a layer's config saved for one weight (`value`), or null for none. `owner` names the weight
 * and layer in the error thrown for a constraint kmodel does not compute (custom, RadialConstraint, or
 * malformed arguments).
 */
export function parseConstraint(value: Json | undefined, generation: Dialect, owner: string): Constraint | null {
  if (value === undefined || value === null) return null
  const parsed = nameAndConfig(value)
  const kind = parsed === undefined ? undefined : kindOf(parsed.name, generation)
  const cfg = parsed?.config ?? {}
  const num = (key: string, fallback: number): number | undefined => {
    const v = cfg[key]
    return v === undefined ? fallback : typeof v === 'number' ? v : undefined
  }
  const axis = axisOf(cfg.axis)
  let out: Constraint | undefined
  if (kind === 'identity' || kind === 'non_neg') out = {kind}
  else if (kind === 'max_norm') {
    const m = num('m', 2) // Keras 1's name of max_value
    const maxValue = m === undefined ? undefined : num('max_value', m)
    if (maxValue !== undefined && axis !== undefined) out = {kind, maxValue, axis}
  } else if (kind === 'unit_norm') {
    if (axis !== undefined) out = {kind, axis}
  } else if (kind === 'min_max_norm') {
    const [minValue, maxValue, rate] = [num('min_value', 0), num('max_value', 1), num('rate', 1)]
    if (minValue !== undefined && maxValue !== undefined && rate !== undefined && axis !== undefined) out = {kind, minValue, maxValue, rate, axis}
  }
  if (out === undefined) {
    throw new BackendError('KM_BACKEND_CONSTRAINT', `The constraint ${JSON.stringify(value)} of ${owner} is not one kmodel computes, so training would give other weights than Keras.`, {
      hint: 'predict and evaluate do not need it; to train, remove the constraint or use MaxNorm, NonNeg, UnitNorm or MinMaxNorm.',
    })
  }
  return out
}

/** `sqrt(Σ_axis w²)` with kept dimensions. */
function norms(tf: Core, w: Tensor, axis: number[] | null): Tensor {
  return tf.sqrt(tf.sum(tf.square(w), axis ?? undefined, true))
}

/** tf.clip_by_value: `max(min(x, hi), lo)`. */
function clip(tf: Core, x: Tensor, lo: number, hi: number): Tensor {
  return tf.maximum(tf.minimum(x, hi), lo)
}

/** The projected value of `w` under constraint `c`, computed as `generation`'s Keras does (float32). */
export function applyConstraint(tf: Core, w: Tensor, c: Constraint, generation: Dialect): Tensor {
  switch (c.kind) {
    case 'identity':
      return w
    case 'non_neg':
      return generation === 'keras3' ? tf.maximum(w, 0) : tf.mul(w, tf.cast(tf.greaterEqual(w, 0), 'float32'))
    case 'max_norm': {
      const n = norms(tf, w, c.axis)
      return tf.mul(w, tf.div(clip(tf, n, 0, c.maxValue), tf.add(EPSILON, n)))
    }
    case 'unit_norm':
      return tf.div(w, tf.add(EPSILON, norms(tf, w, c.axis)))
    case 'min_max_norm': {
      const n = norms(tf, w, c.axis)
      const desired = tf.add(tf.mul(c.rate, clip(tf, n, c.minValue, c.maxValue)), tf.mul(1 - c.rate, n))
      return tf.mul(w, tf.div(desired, tf.add(EPSILON, n)))
    }
  }
}

/** A layer as constraintOf reads it. */
export interface ConstrainedLayer {
  name: string
  class_name: string
  config: JsonObject
}

/**
 * True when Keras 1 reduced a norm over another kernel layout than the one kmodel holds: a 'th'-ordered
 * convolution kernel (Keras 1 `(filters, in, rows, cols)`), or a Convolution1D kernel (Keras 1
 * `(length, 1, in, filters)`) reduced over another axis than 0.
 */
function keras1Layout(layer: ConstrainedLayer, rank: number, c: Constraint): boolean {
  if (!('axis' in c) || c.axis === null || rank < 3) return false
  if (layer.config.data_format === 'channels_first' || layer.config.dim_ordering === 'th') return true
  return ['Conv1D', 'Convolution1D', 'AtrousConvolution1D'].includes(layer.class_name) && !(c.axis.length === 1 && c.axis[0] === 0)
}

/**
 * The constraint of `weight` of `layer` (a wrapped weight reads the wrapped layer's config, as regularizers
 * do), or null; throws for one kmodel does not compute, naming layer and weight. `keras1`: the model was saved
 * by Keras 1, whose norm constraints on convolution kernels kmodel computes only where the layouts agree.
 */
export function constraintOf(layer: ConstrainedLayer, weight: {name: string; shape: ReadonlyArray<number | null>}, generation: Dialect, keras1 = false): Constraint | null {
  const owner = `weight '${weight.name}' of layer '${layer.name}'`
  const value = weightArgOf(regularizerConfig(layer.config, weight.name), weight.name, 'constraint')
  const c = parseConstraint(value, generation, owner)
  const rank = weight.shape.length
  if (c !== null && 'axis' in c && c.axis !== null && c.axis.some((a) => a < -rank || a >= rank)) {
    throw new BackendError('KM_BACKEND_CONSTRAINT', `The constraint ${JSON.stringify(value)} of ${owner} reduces over an axis the weight (rank ${rank}) does not have; Keras fails at the first training step.`, {
      hint: 'Give the constraint an axis within the weight\'s rank.',
    })
  }
  if (c !== null && keras1 && keras1Layout(layer, rank, c)) {
    throw new BackendError('KM_BACKEND_CONSTRAINT', `The constraint ${JSON.stringify(value)} of ${owner} reduces over Keras 1's own kernel layout, which kmodel does not hold, so kmodel does not train it.`, {
      hint: 'predict and evaluate do not need it; to train, remove the constraint or use axis null.',
    })
  }
  return c
}
