/**
 * BatchNormalization's statistics: what one call reads from its config and weights, the batch's mean and
 * variance as each generation and config computes them, and the moving-average step each generation writes.
 * - Not synchronized: `tf.nn.moments` (biased variance); with a mask, tf-keras's `tf.nn.weighted_moments` or
 *   Keras 3's masked sums divided by (count + 1e-7).
 * - Synchronized (Keras 3 `synchronized=True` without a mask, tf-keras SyncBatchNormalization): E[x²] − E[x]²
 *   floored at 0, with divide-by-zero giving 0.
 * - Moving averages: Keras 3 `moving · momentum + batch · (1 − momentum)`, tf-keras `moving − (moving − batch) ·
 *   (1 − momentum)`.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {moments, weightedMoments} from './normalization-common.js'
import type {ComputeCall, ComputeWeight} from './types.js'

/** What one call of a BatchNormalization needs, read from its config, input and weights. */
export interface BatchNormSetup {
  axes: number[]
  /** Shape the parameters broadcast with: the input's dims on `axes`, 1 elsewhere. */
  param: number[]
  reduce: number[]
  epsilon: number
  momentum: number
  gamma: Tensor | null
  beta: Tensor | null
  movingMean: ComputeWeight
  movingVariance: ComputeWeight
  fused: boolean
  synchronized: boolean
}

/** The batch's mean and variance (broadcast shape) as this generation and config compute them. */
export function batchMoments(c: ComputeCall, s: BatchNormSetup, x: Tensor): {mean: Tensor; variance: Tensor} {
  const {tf} = c
  const mask = s.fused ? null : c.masks[0] ?? null
  if (s.synchronized && (c.generation === 'keras2' || mask === null)) {
    const w = mask === null ? tf.onesLike(x) : tf.add(tf.expandDims(tf.cast(mask, 'float32'), -1), tf.zerosLike(x))
    const y = mask === null ? x : tf.mul(x, w)
    const count = tf.sum(w, s.reduce, true)
    const safe = (a: Tensor): Tensor => tf.where(tf.equal(count, 0), tf.zerosLike(a), tf.div(a, count))
    const mean = safe(tf.sum(y, s.reduce, true))
    const variance = tf.maximum(tf.sub(safe(tf.sum(tf.square(y), s.reduce, true)), tf.square(mean)), 0)
    return {mean, variance}
  }
  if (mask === null) return moments(tf, x, s.reduce)
  if (c.generation === 'keras2') return weightedMoments(tf, x, s.reduce, tf.expandDims(tf.cast(mask, 'float32'), -1))
  const keep = tf.broadcastTo(tf.expandDims(mask, -1), x.shape)
  const weights = tf.sum(tf.cast(keep, 'float32'), s.reduce, true)
  const mean = tf.div(tf.sum(tf.where(keep, x, tf.zerosLike(x)), s.reduce, true), tf.add(weights, 1e-7))
  const spread = tf.sum(tf.square(tf.where(keep, tf.sub(x, mean), tf.zerosLike(x))), s.reduce, true)
  return {mean, variance: tf.div(spread, tf.add(weights, 1e-7))}
}

/** Sets a moving statistic to `value` (reshaped to the weight's own shape). */
export const assignTo = (c: ComputeCall, w: ComputeWeight, value: Tensor): void => c.assign(w, c.tf.reshape(value, w.value.shape))

/** One moving-average step of `w` toward `batch` as this generation writes it. */
export function movingAverage(c: ComputeCall, w: ComputeWeight, batch: Tensor, momentum: number): Tensor {
  const {tf} = c
  const moving = tf.reshape(w.value, batch.shape)
  if (c.generation === 'keras3') return tf.add(tf.mul(moving, momentum), tf.mul(batch, 1 - momentum))
  return tf.sub(moving, tf.mul(tf.sub(moving, batch), 1 - momentum))
}

