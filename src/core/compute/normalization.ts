/**
 * Compute functions of the normalization family (see types.ts). BatchNormalization lives in
 * normalization-batch.ts, the Normalization preprocessing layer and SpectralNormalization in
 * normalization-extra.ts; this file holds LayerNormalization, GroupNormalization, UnitNormalization,
 * RMSNormalization and the family's tables.
 *
 * - LayerNormalization: mean and biased variance over `axis` (per sample), then `tf.nn.batch_normalization`'s
 *   `x · inv + (β − mean · inv)`. tf-keras uses its fused kernel when the axes are the trailing ones and
 *   ε ≥ 1.001e-5: `((x − mean) · rsqrt(var + ε)) · γ + β`. Keras 3's deprecated `rms_scaling` divides by
 *   sqrt(variance + ε) (not the root mean square) and multiplies by γ, with no β. γ and β of a multi-axis norm are
 *   reshaped (not transposed) onto the input's axes, as Keras does.
 * - GroupNormalization: channels on `axis` split into `groups` (-1: one per channel), mean and variance per
 *   sample and group over every other axis; tf-keras weighs them by the input mask.
 * - UnitNormalization: x / ‖x‖ over `axis`: Keras 3 `x · min(rsqrt(Σx²), 1e12)`, tf-keras `x · rsqrt(max(Σx²,
 *   1e-12))`.
 * - RMSNormalization (Keras 3.9+): `x · rsqrt(mean(x²) + ε) · scale`.
 * All but RMSNormalization pass the input's mask on.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {pyTruthy} from '../layers/args.js'
import {variableDtype} from '../layers/config.js'
import {BATCH_NORMALIZATION} from './normalization-batch.js'
import {
  asFloat, axisList, broadcastShape, moments, num, requireWeight, resolveAxes, tfBatchNorm, weightedMoments,
} from './normalization-common.js'
import {NORMALIZATION_LAYER, SPECTRAL_NORMALIZATION} from './normalization-extra.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute, RefusalTable} from './types.js'

/** γ (or β) reshaped onto the input's axes when it is not already of the input's rank. */
function onAxes(c: ComputeCall, name: string, shape: number[], present: boolean): Tensor | null {
  if (!present) return null
  const w = requireWeight(c, name).value
  return w.rank === shape.length ? w : c.tf.reshape(w, shape)
}

/** tf-keras LayerNormalization's `_fused_can_be_used`: trailing contiguous axes, ε ≥ 1.001e-5, float32 weights. */
function layerNormFused(c: ComputeCall, axes: number[], rank: number, epsilon: number): boolean {
  const sorted = [...axes].sort((a, b) => a - b)
  const last = sorted[sorted.length - 1] ?? -1
  return last === rank - 1 && last - (sorted[0] ?? 0) === sorted.length - 1 && epsilon >= 1.001e-5 && variableDtype(c.config) === 'float32'
}

function layerNorm(c: ComputeCall): ComputeOutput {
  const {tf} = c
  const x = asFloat(tf, c.inputs[0] as Tensor)
  const axes = resolveAxes(c, axisList(c.config.axis, [-1]), x.rank)
  const epsilon = num(c.config.epsilon, 1e-3)
  const rms = c.generation === 'keras3' && pyTruthy(c.config.rms_scaling ?? false)
  const shape = broadcastShape(x.shape, axes)
  const gamma = onAxes(c, 'gamma', shape, pyTruthy(c.config.scale ?? true) || rms)
  const beta = onAxes(c, 'beta', shape, pyTruthy(c.config.center ?? true) && !rms)
  if (rms) {
    const {variance} = moments(tf, x, axes)
    const y = tf.mul(x, tf.rsqrt(tf.add(variance, epsilon)))
    return {outputs: [gamma === null ? y : tf.mul(y, gamma)]}
  }
  const {mean, variance} = moments(tf, x, axes)
  if (c.generation === 'keras2' && layerNormFused(c, axes, x.rank, epsilon)) {
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)))
    const scaled = gamma === null ? normed : tf.mul(normed, gamma)
    return {outputs: [beta === null ? scaled : tf.add(scaled, beta)]}
  }
  return {outputs: [tfBatchNorm(tf, x, mean, variance, beta, gamma, epsilon)]}
}

/** The input mask as tf-keras's GroupNormalization weighs it: broadcast to the input's shape (numpy rules). */
function groupMask(c: ComputeCall, x: Tensor): Tensor | null {
  const mask = c.masks[0] ?? null
  if (mask === null || c.generation !== 'keras2') return null
  const m = c.tf.cast(mask, 'float32')
  const fits = m.rank <= x.rank && m.shape.every((d, i) => d === 1 || d === x.shape[x.rank - m.rank + i])
  if (!fits) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class GroupNormalization: the input mask of shape ${JSON.stringify(mask.shape)} does not broadcast to the input's ${JSON.stringify(x.shape)}.`, {hint: 'tf-keras fails on this call too (tf.broadcast_to).'})
  }
  return c.tf.broadcastTo(m, x.shape)
}

function groupNorm(c: ComputeCall): ComputeOutput {
  const {tf} = c
  const x = asFloat(tf, c.inputs[0] as Tensor)
  const [axis] = resolveAxes(c, axisList(c.config.axis, [-1]), x.rank) as [number]
  const channels = x.shape[axis] ?? 0
  const raw = num(c.config.groups, 32)
  const groups = raw === -1 ? channels : raw
  if (groups <= 0 || channels % groups !== 0) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class GroupNormalization: argument 'groups' = ${raw} does not divide the ${channels} channels.`, {hint: 'Keras refuses this layer too.'})
  }
  const grouped = [...x.shape]
  grouped.splice(axis, 1, groups, channels / groups)
  const reduce = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== axis)
  const param = x.shape.map(() => 1)
  param.splice(axis, 1, groups, channels / groups)
  const xs = tf.reshape(x, grouped)
  const mask = groupMask(c, x)
  const {mean, variance} = mask === null ? moments(tf, xs, reduce) : weightedMoments(tf, xs, reduce, tf.reshape(mask, grouped))
  const gamma = pyTruthy(c.config.scale ?? true) ? tf.reshape(requireWeight(c, 'gamma').value, param) : null
  const beta = pyTruthy(c.config.center ?? true) ? tf.reshape(requireWeight(c, 'beta').value, param) : null
  return {outputs: [tf.reshape(tfBatchNorm(tf, xs, mean, variance, beta, gamma, num(c.config.epsilon, 1e-3)), x.shape)]}
}

function unitNorm(c: ComputeCall): ComputeOutput {
  const {tf} = c
  const x = asFloat(tf, c.inputs[0] as Tensor)
  const axes = resolveAxes(c, axisList(c.config.axis, [-1]), x.rank)
  const squares = tf.sum(tf.square(x), axes, true)
  if (c.generation === 'keras3') return {outputs: [tf.mul(x, tf.minimum(tf.rsqrt(squares), 1 / 1e-12))]}
  return {outputs: [tf.mul(x, tf.rsqrt(tf.maximum(squares, 1e-12)))]}
}

function rmsNorm(c: ComputeCall): ComputeOutput {
  const {tf} = c
  const x = asFloat(tf, c.inputs[0] as Tensor)
  const axes = resolveAxes(c, axisList(c.config.axis, [-1]), x.rank)
  const rrms = tf.rsqrt(tf.add(tf.mean(tf.square(x), axes, true), num(c.config.epsilon, 1e-6)))
  const scale = requireWeight(c, 'scale').value
  const fits = scale.rank <= x.rank && scale.shape.every((d, i) => d === 1 || d === x.shape[x.rank - scale.rank + i])
  if (!fits) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class RMSNormalization: argument 'axis' = ${JSON.stringify(c.config.axis ?? -1)} gives a scale of shape ${JSON.stringify(scale.shape)}, which does not broadcast against the input's ${JSON.stringify(x.shape)}.`, {hint: 'Keras fails on this call too.'})
  }
  return {outputs: [tf.mul(tf.mul(x, rrms), scale)], masks: [null]}
}

const passing = (call: (c: ComputeCall) => ComputeOutput): LayerCompute => ({call, passMask: true})

/** Compute functions of this family, by class name. */
export const NORMALIZATION_COMPUTE: ComputeTable = {
  BatchNormalization: BATCH_NORMALIZATION,
  SyncBatchNormalization: BATCH_NORMALIZATION,
  BatchNormalizationV1: BATCH_NORMALIZATION,
  BatchNormalizationV2: BATCH_NORMALIZATION,
  LayerNormalization: passing(layerNorm),
  GroupNormalization: passing(groupNorm),
  UnitNormalization: passing(unitNorm),
  RMSNormalization: {call: rmsNorm},
  Normalization: NORMALIZATION_LAYER,
  SpectralNormalization: SPECTRAL_NORMALIZATION,
}

/** Normalization classes kmodel refuses: none (unsupported options are refused per call, by argument). */
export const NORMALIZATION_REFUSED: RefusalTable = {}
