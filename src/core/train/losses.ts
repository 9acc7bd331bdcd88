/**
 * Keras's losses and metric functions written in tfjs-core ops (no tfjs-layers loss strings: their names and
 * semantics differ from Keras's, e.g. crossentropy clipping, label conversion for hinge). Each function maps
 * (y_true, y_pred) to one value per sample and position — the last axis reduced — as Keras's loss functions do;
 * the caller averages (Keras's `sum_over_batch_size` reduction). ε is Keras's `epsilon()` = 1e-7.
 *
 * Crossentropy on an activation's output: when the prediction is the very tensor a sigmoid or softmax activation
 * returned (a Dense / Conv / Activation / Softmax layer's output reaching the loss unchanged), Keras computes the
 * binary, categorical and sparse categorical crossentropy — losses and metrics alike — from that activation's
 * logits, as if `from_logits` were true (tf-keras and Keras 3 `_get_logits`: `output._keras_logits`). It does so
 * whichever of the two activations it was (a softmax's logits feed binary crossentropy's sigmoid formula too) and
 * whatever the softmax axis; a saturated output then gives the true, unclipped loss and a non-zero gradient.
 *
 * From probabilities, tf-keras's binary crossentropy adds ε inside each log (−[t·log(p + ε) + (1 − t)·log(1 − p
 * + ε)] on p clipped to [ε, 1 − ε]); Keras 3's does not.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import {kerasLogits} from '../compute/activations.js'
import type {Dialect} from '../model/spec.js'
import type {LossSpec, MetricSpec} from './compile.js'
import {LOSS_NAMES, type LossName} from './names.js'

const EPS = 1e-7

/** A per-sample function of (y_true, y_pred); `generation` picks tf-keras's or Keras 3's formula where they differ. */
export type PairFn = (tf: Core, y: Tensor, p: Tensor, generation?: Dialect) => Tensor

/** Options of the crossentropies and Huber. */
interface Options {
  fromLogits: boolean
  labelSmoothing: number
  delta: number
}

const clip = (tf: Core, t: Tensor, lo = EPS, hi = 1 - EPS): Tensor => tf.clipByValue(t, lo, hi)
/** Keras's l2_normalize over the last axis. */
const l2n = (tf: Core, t: Tensor): Tensor => tf.mul(t, tf.rsqrt(tf.maximum(tf.sum(tf.square(t), -1, true), 1e-12)))
/** Hinge labels: {0, 1} are taken to mean {−1, 1}, as Keras converts them. */
function signLabels(tf: Core, y: Tensor): Tensor {
  const binary = tf.all(tf.logicalOr(tf.equal(y, 0), tf.equal(y, 1))).dataSync()[0] === 1
  return binary ? tf.sub(tf.mul(y, 2), 1) : y
}

/** Keras's `_get_logits`: the activation's logits when `p` carries them (then from_logits holds), else `p` as given. */
function logitsOf(p: Tensor, fromLogits: boolean): {x: Tensor; fromLogits: boolean} {
  const found = kerasLogits(p)
  return found === undefined ? {x: p, fromLogits} : {x: found.logits, fromLogits: true}
}

function binaryCrossentropy(tf: Core, y: Tensor, p: Tensor, o: Options, generation: Dialect): Tensor {
  const t = o.labelSmoothing > 0 ? tf.add(tf.mul(y, 1 - o.labelSmoothing), 0.5 * o.labelSmoothing) : y
  const {x, fromLogits} = logitsOf(p, o.fromLogits)
  if (fromLogits) {
    // max(x, 0) − x·z + log(1 + e^−|x|): the stable form of sigmoid crossentropy
    return tf.mean(tf.add(tf.sub(tf.relu(x), tf.mul(x, t)), tf.log1p(tf.exp(tf.neg(tf.abs(x))))), -1)
  }
  const q = clip(tf, x)
  const [pos, neg] = generation === 'keras2' ? [tf.add(q, EPS), tf.add(tf.sub(1, q), EPS)] : [q, tf.sub(1, q)]
  return tf.mean(tf.neg(tf.add(tf.mul(t, tf.log(pos)), tf.mul(tf.sub(1, t), tf.log(neg)))), -1)
}

function categoricalCrossentropy(tf: Core, y: Tensor, p: Tensor, o: Options): Tensor {
  const classes = p.shape[p.shape.length - 1] ?? 1
  const t = o.labelSmoothing > 0 ? tf.add(tf.mul(y, 1 - o.labelSmoothing), o.labelSmoothing / classes) : y
  const {x, fromLogits} = logitsOf(p, o.fromLogits)
  if (fromLogits) return tf.neg(tf.sum(tf.mul(t, tf.logSoftmax(x)), -1))
  const q = clip(tf, tf.div(x, tf.sum(x, -1, true)))
  return tf.neg(tf.sum(tf.mul(t, tf.log(q)), -1))
}

/** Labels are class indices: y has the prediction's shape without its class axis (or with a class axis of 1). */
function sparseCrossentropy(tf: Core, y: Tensor, p: Tensor, o: Options): Tensor {
  const classes = p.shape[p.shape.length - 1] ?? 1
  const labels = y.rank === p.rank ? tf.squeeze(y, [-1]) : y
  const onehot = tf.oneHot(tf.cast(labels, 'int32'), classes)
  const {x, fromLogits} = logitsOf(p, o.fromLogits)
  // Keras takes log(clip(p)) as logits for probabilities, so predictions that do not sum to 1 are normalised
  const logp = fromLogits ? tf.logSoftmax(x) : tf.logSoftmax(tf.log(clip(tf, x)))
  return tf.neg(tf.sum(tf.mul(onehot, logp), -1))
}

function huber(tf: Core, y: Tensor, p: Tensor, delta: number): Tensor {
  const err = tf.abs(tf.sub(p, y))
  const quadratic = tf.minimum(err, delta)
  return tf.mean(tf.add(tf.mul(tf.square(quadratic), 0.5), tf.mul(tf.sub(err, quadratic), delta)), -1)
}

const simple: Record<Exclude<LossName, 'binary_crossentropy' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy' | 'huber'>, PairFn> = {
  mean_squared_error: (tf, y, p) => tf.mean(tf.squaredDifference(y, p), -1),
  mean_absolute_error: (tf, y, p) => tf.mean(tf.abs(tf.sub(y, p)), -1),
  mean_absolute_percentage_error: (tf, y, p) => tf.mul(tf.mean(tf.abs(tf.div(tf.sub(y, p), tf.maximum(tf.abs(y), EPS))), -1), 100),
  mean_squared_logarithmic_error: (tf, y, p) => tf.mean(tf.squaredDifference(tf.log1p(tf.maximum(p, EPS)), tf.log1p(tf.maximum(y, EPS))), -1),
  log_cosh: (tf, y, p) => {
    const x = tf.sub(p, y)
    return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.LN2), -1)
  },
  hinge: (tf, y, p) => tf.mean(tf.relu(tf.sub(1, tf.mul(signLabels(tf, y), p))), -1),
  squared_hinge: (tf, y, p) => tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(signLabels(tf, y), p)))), -1),
  categorical_hinge: (tf, y, p) => tf.relu(tf.add(tf.sub(tf.max(tf.mul(tf.sub(1, y), p), -1), tf.sum(tf.mul(y, p), -1)), 1)),
  kl_divergence: (tf, y, p) => {
    const t = clip(tf, y, EPS, 1)
    return tf.sum(tf.mul(t, tf.log(tf.div(t, clip(tf, p, EPS, 1)))), -1)
  },
  poisson: (tf, y, p) => tf.mean(tf.sub(p, tf.mul(y, tf.log(tf.add(p, EPS)))), -1),
  cosine_similarity: (tf, y, p) => tf.neg(tf.sum(tf.mul(l2n(tf, y), l2n(tf, p)), -1)),
}

/** The per-sample function of a loss (or of a metric that is a loss function). */
export function pairFn(name: LossName, options: Options): PairFn {
  switch (name) {
    case 'binary_crossentropy': return (tf, y, p, generation = 'keras3') => binaryCrossentropy(tf, y, p, options, generation)
    case 'categorical_crossentropy': return (tf, y, p) => categoricalCrossentropy(tf, y, p, options)
    case 'sparse_categorical_crossentropy': return (tf, y, p) => sparseCrossentropy(tf, y, p, options)
    case 'huber': return (tf, y, p) => huber(tf, y, p, options.delta)
    default: return simple[name]
  }
}

const isLossName = (name: string): name is LossName => (LOSS_NAMES as readonly string[]).includes(name)

/** A loss spec's function. */
export const lossFn = (spec: LossSpec): PairFn => pairFn(spec.name, spec)

/** True when the loss takes class indices as labels. */
export const takesSparseLabels = (name: string): boolean => name.startsWith('sparse_')

/** Metric functions that are not losses. Accuracy values are 0/1 per sample. */
function accuracyFn(spec: MetricSpec): PairFn | undefined {
  switch (spec.name) {
    case 'binary_accuracy': return (tf, y, p) => tf.mean(tf.cast(tf.equal(y, tf.cast(tf.greater(p, spec.threshold), 'float32')), 'float32'), -1)
    case 'categorical_accuracy': return (tf, y, p) => tf.cast(tf.equal(tf.argMax(y, -1), tf.argMax(p, -1)), 'float32')
    case 'sparse_categorical_accuracy': return (tf, y, p) => tf.cast(tf.equal(tf.cast(y.rank === p.rank ? tf.squeeze(y, [-1]) : y, 'int32'), tf.argMax(p, -1)), 'float32')
    case 'top_k_categorical_accuracy': return (tf, y, p) => topK(tf, tf.argMax(y, -1), p, spec.k)
    case 'sparse_top_k_categorical_accuracy': return (tf, y, p) => topK(tf, tf.cast(y.rank === p.rank ? tf.squeeze(y, [-1]) : y, 'int32'), p, spec.k)
    default: return undefined
  }
}

/** 1 where the label's score is among the k largest of its row. */
function topK(tf: Core, labels: Tensor, p: Tensor, k: number): Tensor {
  const classes = p.shape[p.shape.length - 1] ?? 1
  const {indices} = tf.topk(p, Math.min(k, classes))
  return tf.cast(tf.any(tf.equal(indices, tf.expandDims(labels, -1)), -1), 'float32')
}

/** A resolved metric's per-sample function (the metric's name must already be resolved: no `accuracy`). */
export function metricFn(spec: MetricSpec): PairFn {
  const acc = accuracyFn(spec)
  if (acc !== undefined) return acc
  const name = spec.name
  if (!isLossName(name)) throw new Error(`metric '${spec.key}' (${name}) was not resolved to a variant`)
  // Keras's cosine_similarity *metric* is the positive cosine; the loss is its negative
  if (name === 'cosine_similarity') return (tf, y, p) => tf.neg(simple.cosine_similarity(tf, y, p))
  return pairFn(name, {fromLogits: spec.fromLogits, labelSmoothing: 0, delta: 1})
}
