/**
 * Pieces the normalization layers share, each written as TensorFlow computes it (Keras 3 and tf-keras both
 * call these TF ops): `tf.nn.moments` (mean, then the mean of squared differences: the biased variance),
 * `tf.nn.weighted_moments` (sums times the reciprocal of the weight sum), `tf.nn.batch_normalization`
 * (`inv = rsqrt(var + ε) · γ`, `x · inv + (β − mean · inv)`), plus config readers. Squared differences are
 * written square(x − mean): tfjs's squaredDifference gradient does not reduce a broadcast operand.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type Json, isArray} from '../json.js'
import type {Core} from '../backend/runtime.js'
import type {ComputeCall, ComputeWeight} from './types.js'

/** The weight the shape rule named `name` (`gamma`, `moving_mean`, …), if the layer has it. */
export function weightNamed(c: ComputeCall, name: string): ComputeWeight | undefined {
  return c.weights.find((w) => w.info.name === name || w.info.name.endsWith(`/${name}`))
}

/** A weight the layer must have; InternalError-like BackendError when the shape rule gave none. */
export function requireWeight(c: ComputeCall, name: string): ComputeWeight {
  const w = weightNamed(c, name)
  if (w === undefined) throw new BackendError('KM_BACKEND_WEIGHTS', `Layer class ${c.class_name}: the weight '${name}' Keras computes with is missing.`)
  return w
}

/**
 * Whether this call trains. tf-keras: a `training=` saved with the call wins over the run's mode. Keras 3: the
 * model's own `training` (always given by predict / fit / evaluate) overrides the saved one (`operation_fn`).
 */
export function trainingOf(c: ComputeCall): boolean {
  const given = c.call_kwargs.training
  return c.generation === 'keras2' && typeof given === 'boolean' ? given : c.training
}

/** A number from the config, or `fallback` (bools count as 0 / 1, as Python's arithmetic does). */
export function num(value: Json | undefined, fallback: number): number {
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return Number(value)
  return fallback
}

/** Axes from an int or a list of ints; undefined for anything else. */
export function axisList(value: Json | undefined, fallback: number[]): number[] | undefined {
  if (value === undefined) return fallback
  if (typeof value === 'number' && Number.isInteger(value)) return [value]
  if (typeof value === 'boolean') return [Number(value)]
  if (isArray(value) && value.every((v) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean')) return value.map(Number)
  return undefined
}

/** Resolves axes against a rank (negative counts from the end); BackendError when one is out of range. */
export function resolveAxes(c: ComputeCall, axes: number[] | undefined, rank: number, key = 'axis'): number[] {
  const out = axes?.map((a) => (a < 0 ? a + rank : a))
  if (out === undefined || out.some((a) => a < 0 || a >= rank)) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument '${key}' = ${JSON.stringify(c.config[key] ?? null)} does not fit an input of rank ${rank}.`, {hint: 'Keras refuses this call too.'})
  }
  return out
}

/** `[1, …, d, …, 1]`: the input's dims on `axes`, 1 elsewhere. */
export const broadcastShape = (shape: readonly number[], axes: readonly number[]): number[] => shape.map((d, i) => (axes.includes(i) ? d : 1))

/** `tf.nn.moments(x, axes, keepdims=True)`: mean and biased variance. */
export function moments(tf: Core, x: Tensor, axes: number[]): {mean: Tensor; variance: Tensor} {
  const mean = tf.mean(x, axes, true)
  return {mean, variance: tf.mean(tf.square(tf.sub(x, mean)), axes, true)}
}

/** `tf.nn.weighted_moments(x, axes, frequency_weights=w, keepdims=True)`. */
export function weightedMoments(tf: Core, x: Tensor, axes: number[], w: Tensor): {mean: Tensor; variance: Tensor} {
  const sumOfWeights = tf.sum(tf.add(w, tf.zerosLike(x)), axes, true)
  const divisor = tf.reciprocal(sumOfWeights)
  const mean = tf.mul(tf.sum(tf.mul(w, x), axes, true), divisor)
  const distsq = tf.sum(tf.mul(w, tf.square(tf.sub(x, mean))), axes, true)
  return {mean, variance: tf.mul(distsq, divisor)}
}

/** `tf.nn.batch_normalization(x, mean, variance, offset, scale, ε)`. */
export function tfBatchNorm(tf: Core, x: Tensor, mean: Tensor, variance: Tensor, offset: Tensor | null, scale: Tensor | null, epsilon: number): Tensor {
  let inv = tf.rsqrt(tf.add(variance, epsilon))
  if (scale !== null) inv = tf.mul(inv, scale)
  const shift = offset !== null ? tf.sub(offset, tf.mul(mean, inv)) : tf.neg(tf.mul(mean, inv))
  return tf.add(tf.mul(x, inv), shift)
}

/** A float32 copy of the input (integer model inputs reach normalization layers as int32). */
export const asFloat = (tf: Core, x: Tensor): Tensor => (x.dtype === 'float32' ? x : tf.cast(x, 'float32'))
