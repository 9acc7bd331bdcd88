/**
 * BatchNormalization's training step with `renorm=True` (batch renormalization), as Keras 3 and tf-keras compute
 * it: with the batch's mean and variance and σ = sqrt(variance + ε), the corrections r = σ / max(renorm_stddev,
 * sqrt(ε)) and d = (mean − renorm_mean) / max(renorm_stddev, sqrt(ε)) (from the values before this step, clipped
 * by `renorm_clipping`'s rmin / rmax / dmax) turn γ, β into r·γ and d·γ + β. Then renorm_mean and renorm_stddev
 * move toward mean and σ with `renorm_momentum`, moving_mean toward mean and moving_stddev toward σ with
 * `momentum`, and moving_variance becomes relu(moving_stddev² − ε). Each moving average is written as the
 * generation writes it (normalization-stats.ts `movingAverage`).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {isObject} from '../json.js'
import {type BatchNormSetup, assignTo, batchMoments, movingAverage} from './normalization-stats.js'
import {num, requireWeight, tfBatchNorm} from './normalization-common.js'
import type {ComputeCall} from './types.js'

/** `renorm_clipping`'s bound `key`, or undefined when absent / None. */
function bound(c: ComputeCall, key: string): number | undefined {
  const clip = c.config.renorm_clipping
  const v = isObject(clip) ? clip[key] : undefined
  return typeof v === 'number' ? v : undefined
}

/** The r and d corrections from the batch statistics and the renorm statistics before this step. */
function corrections(c: ComputeCall, s: BatchNormSetup, mean: Tensor, stddev: Tensor): {r: Tensor; d: Tensor} {
  const {tf} = c
  const renormMean = tf.reshape(requireWeight(c, 'renorm_mean').value, mean.shape)
  const renormStddev = tf.maximum(tf.reshape(requireWeight(c, 'renorm_stddev').value, mean.shape), Math.sqrt(s.epsilon))
  let r = tf.div(stddev, renormStddev)
  let d = tf.div(tf.sub(mean, renormMean), renormStddev)
  const [rmin, rmax, dmax] = [bound(c, 'rmin'), bound(c, 'rmax'), bound(c, 'dmax')]
  if (rmin !== undefined) r = tf.maximum(r, rmin)
  if (rmax !== undefined) r = tf.minimum(r, rmax)
  if (dmax !== undefined) d = tf.minimum(tf.maximum(d, -dmax), dmax)
  return {r, d}
}

/** One renorm training step: the normalized output; the five statistics are assigned. */
export function renormTraining(c: ComputeCall, s: BatchNormSetup, x: Tensor): Tensor {
  const {tf} = c
  const {mean, variance} = batchMoments(c, s, x)
  const stddev = tf.sqrt(tf.add(variance, s.epsilon))
  const {r, d} = corrections(c, s, mean, stddev)
  const gamma = s.gamma === null ? r : tf.mul(r, s.gamma)
  let beta = s.gamma === null ? d : tf.mul(d, s.gamma)
  if (s.beta !== null) beta = tf.add(beta, s.beta)
  const renormMomentum = num(c.config.renorm_momentum, 0.99)
  const renormMean = requireWeight(c, 'renorm_mean')
  const renormStddev = requireWeight(c, 'renorm_stddev')
  const movingStddev = requireWeight(c, 'moving_stddev')
  assignTo(c, renormMean, movingAverage(c, renormMean, mean, renormMomentum))
  assignTo(c, renormStddev, movingAverage(c, renormStddev, stddev, renormMomentum))
  assignTo(c, s.movingMean, movingAverage(c, s.movingMean, mean, s.momentum))
  const newStddev = movingAverage(c, movingStddev, stddev, s.momentum)
  assignTo(c, movingStddev, newStddev)
  assignTo(c, s.movingVariance, tf.relu(tf.sub(tf.mul(newStddev, newStddev), s.epsilon)))
  return tfBatchNorm(tf, x, mean, variance, beta, gamma, s.epsilon)
}
