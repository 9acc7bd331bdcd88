/**
 * BatchNormalization (and tf-keras's SyncBatchNormalization, BatchNormalizationV1 / V2).
 *
 * Inference: `tf.nn.batch_normalization` with the moving statistics — `x · inv + (β − mean · inv)` where
 * `inv = rsqrt(moving_variance + ε) · γ`. tf-keras's fused kernel (rank 4 with axis 1 or 3, rank 5 with axis 1
 * or 4, when nothing rules it out) computes `(x − mean) · (rsqrt(var + ε) · γ) + β` instead.
 *
 * Training (a training step, or `training=True` saved with the call; never when the layer is frozen by
 * `trainable=False`, except tf-keras's BatchNormalizationV1): the batch's mean and biased variance over every
 * axis but `axis` (masked steps left out), the moving statistics updated through `ComputeCall.assign`:
 * - Keras 3: `moving · momentum + batch · (1 − momentum)`.
 * - tf-keras, not fused: `moving − (moving − batch) · (1 − momentum)`.
 * - tf-keras, fused: `(1 − f) · moving + f · batch` with f = 1 − momentum, the variance's batch value being the
 *   unbiased one (× n / (n − 1)).
 * - `synchronized` (Keras 3) / SyncBatchNormalization (tf-keras): the variance as E[x²] − E[x]², floored at 0.
 * - `renorm`: Keras's batch renormalization (r, d corrections from renorm_mean / renorm_stddev, clipped by
 *   `renorm_clipping`; moving_variance derived from moving_stddev).
 * Refused: tf-keras `virtual_batch_size` and `adjustment`, Keras 1 `mode` 1 / 2, and training a file of Keras 1 or
 * standalone Keras 2.0–2.2 (their moving-variance update differed between releases).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type JsonObject} from '../json.js'
import {pyTruthy, pyIntCast} from '../layers/args.js'
import {variableDtype} from '../layers/config.js'
import {
  asFloat, axisList, broadcastShape, num, requireWeight, resolveAxes, tfBatchNorm, trainingOf,
} from './normalization-common.js'
import {renormTraining} from './normalization-renorm.js'
import {type BatchNormSetup, assignTo, batchMoments, movingAverage} from './normalization-stats.js'
import type {ComputeCall, ComputeOutput, ComputeWeight, LayerCompute} from './types.js'

const refuse = (c: ComputeCall, message: string, hint: string): BackendError =>
  new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: ${message}`, {hint})

/** Files written by Keras 1 or standalone Keras 2.0–2.2 (not tf.keras's `-tf` builds). */
const legacyKeras = (c: ComputeCall): boolean => /^(1\.|2\.[0-2]\.)/.test(c.keras_version ?? '') && !(c.keras_version ?? '').includes('tf')

/** tf-keras's choice of the fused kernel (`_fused_can_be_used`, `build`) for this config and input rank. */
function usesFused(c: ComputeCall, axes: number[], rank: number, synchronized: boolean): boolean {
  const cfg = c.config
  if (c.generation !== 'keras2' || synchronized || legacyKeras(c) || cfg.fused === false) return false
  const raw = axisList(cfg.axis, [-1]) ?? []
  const canUse = !pyTruthy(cfg.renorm ?? false) && raw.length === 1 && [-4, -3, -1, 1, 3, 4].includes(raw[0] ?? 0) &&
    (cfg.virtual_batch_size ?? null) === null && (cfg.adjustment ?? null) === null && ['float32', 'float16', 'bfloat16'].includes(variableDtype(cfg))
  if (!canUse || (rank !== 4 && rank !== 5)) return false
  const axis = axes[0]
  return axes.length === 1 && (axis === 1 || (rank === 4 && axis === 3) || (rank === 5 && axis === 4))
}

/** Refusals of configs kmodel does not compute. */
function checkConfig(c: ComputeCall): void {
  const cfg = c.config
  if ((cfg.virtual_batch_size ?? null) !== null) {
    throw refuse(c, `argument 'virtual_batch_size' = ${JSON.stringify(cfg.virtual_batch_size)} is not computed by kmodel (ghost batches reshape the batch and its weights).`, 'Re-save the model without virtual_batch_size to compute it.')
  }
  if ((cfg.adjustment ?? null) !== null) throw refuse(c, "argument 'adjustment' is Python code, which kmodel never runs.", 'Re-save the model without adjustment to compute it.')
  const mode = cfg.mode ?? 0
  if (mode !== 0) {
    throw refuse(c, `argument 'mode' = ${JSON.stringify(mode)} (Keras 1 ${mode === 1 ? 'sample-wise' : 'batch-statistics'} normalization) is not computed by kmodel.`, 'Keras 1 BatchNormalization computes in kmodel with mode=0 only.')
  }
}

/** Reads the config, axes and weights of one call. */
export function batchNormSetup(c: ComputeCall, x: Tensor): BatchNormSetup {
  checkConfig(c)
  const cfg: JsonObject = c.config
  const raw = c.generation === 'keras3' ? [pyIntCast(cfg.axis ?? -1) ?? -1] : axisList(cfg.axis, [-1])
  const axes = resolveAxes(c, raw, x.rank)
  const synchronized = c.class_name === 'SyncBatchNormalization' || pyTruthy(cfg.synchronized ?? false)
  const param = broadcastShape(x.shape, axes)
  const as = (w: ComputeWeight): Tensor => c.tf.reshape(w.value, param)
  return {
    axes, param, reduce: x.shape.map((_, i) => i).filter((i) => !axes.includes(i)),
    epsilon: num(cfg.epsilon, 1e-3), momentum: num(cfg.momentum, 0.99),
    gamma: pyTruthy(cfg.scale ?? true) ? as(requireWeight(c, 'gamma')) : null,
    beta: pyTruthy(cfg.center ?? true) ? as(requireWeight(c, 'beta')) : null,
    movingMean: requireWeight(c, 'moving_mean'), movingVariance: requireWeight(c, 'moving_variance'),
    fused: usesFused(c, axes, x.rank, synchronized), synchronized,
  }
}

/** The fused kernel's formula: `(x − mean) · (rsqrt(var + ε) · γ) + β`. */
function fusedNorm(c: ComputeCall, s: BatchNormSetup, x: Tensor, mean: Tensor, variance: Tensor): Tensor {
  const {tf} = c
  let factor = tf.rsqrt(tf.add(variance, s.epsilon))
  if (s.gamma !== null) factor = tf.mul(factor, s.gamma)
  const y = tf.mul(tf.sub(x, mean), factor)
  return s.beta === null ? y : tf.add(y, s.beta)
}

/** Training step without renorm: normalize with the batch statistics and move the moving ones. */
function trainStep(c: ComputeCall, s: BatchNormSetup, x: Tensor): Tensor {
  const {tf} = c
  const {mean, variance} = batchMoments(c, s, x)
  if (s.fused) {
    const f = 1 - s.momentum
    const n = x.size / mean.size
    const unbiased = tf.mul(variance, n / Math.max(n - 1, 1))
    const step = (w: ComputeWeight, batch: Tensor): Tensor => tf.add(tf.mul(tf.reshape(w.value, batch.shape), 1 - f), tf.mul(batch, f))
    assignTo(c, s.movingMean, step(s.movingMean, mean))
    assignTo(c, s.movingVariance, step(s.movingVariance, unbiased))
    return fusedNorm(c, s, x, mean, variance)
  }
  assignTo(c, s.movingMean, movingAverage(c, s.movingMean, mean, s.momentum))
  assignTo(c, s.movingVariance, movingAverage(c, s.movingVariance, variance, s.momentum))
  return tfBatchNorm(tf, x, mean, variance, s.beta, s.gamma, s.epsilon)
}

/** Whether this call uses batch statistics (`training and trainable`; tf-keras V1 ignores `trainable`). */
function usesBatchStatistics(c: ComputeCall): boolean {
  if (!trainingOf(c)) return false
  if (c.class_name === 'BatchNormalizationV1' && c.generation === 'keras2') return true
  return c.config.trainable !== false
}

function call(c: ComputeCall): ComputeOutput {
  const {tf} = c
  const x = asFloat(tf, c.inputs[0] as Tensor)
  const mask = c.masks[0] ?? null
  if (c.generation === 'keras3' && mask !== null && mask.rank !== x.rank - 1) {
    throw refuse(c, `the mask has shape ${JSON.stringify(mask.shape)}, one axis short of the input's ${JSON.stringify(x.shape)} is required.`, 'Keras refuses this call too.')
  }
  const s = batchNormSetup(c, x)
  if (usesBatchStatistics(c)) {
    if (legacyKeras(c)) throw refuse(c, `training is not computed by kmodel for a Keras ${c.keras_version ?? ''} file (its moving-variance update differed between releases).`, 'Predict and evaluate compute; re-save the model with tf.keras or Keras 3 to train it.')
    const out = pyTruthy(c.config.renorm ?? false) ? renormTraining(c, s, x) : trainStep(c, s, x)
    return {outputs: [out]}
  }
  const mean = tf.reshape(s.movingMean.value, s.param)
  const variance = tf.reshape(s.movingVariance.value, s.param)
  return {outputs: [s.fused ? fusedNorm(c, s, x, mean, variance) : tfBatchNorm(tf, x, mean, variance, s.beta, s.gamma, s.epsilon)]}
}

/** BatchNormalization and its aliases: passes the input's mask on. */
export const BATCH_NORMALIZATION: LayerCompute = {call, passMask: true}
