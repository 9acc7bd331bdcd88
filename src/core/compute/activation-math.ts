/**
 * The tensor math Keras's activation functions and activation layers share, written over tfjs-core from each
 * generation's definitions (Keras 3.15 `keras/src/backend/tensorflow/nn.py` and `activations`, tf-keras 2.21
 * `backend.py`): ReLU with negative slope / max value / threshold in each generation's operation order, ELU with
 * alpha, softmax along any axis or axes (tfjs's own only reduces the last), TensorFlow's logsumexp, an accurate
 * expm1, Keras 3's sparsemax (as Keras computes it) and GLU; plus the four advanced-activation layers as plain
 * functions of their config, for use both as layers and as `activation=` objects.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Json, JsonObject} from '../json.js'
import {BackendError} from '../errors.js'
import type {Core} from '../backend/runtime.js'
import type {Dialect} from '../model/spec.js'

/** One activation: tensor in, tensor out. */
export type ActivationFn = (x: Tensor) => Tensor

/** A BackendError for an argument Keras would reject at call time (or kmodel cannot compute exactly). */
export function argError(cls: string, key: string, value: unknown, reason: string): BackendError {
  return new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${cls}: argument '${key}' = ${JSON.stringify(value)} is not computed by kmodel (${reason}).`, {
    hint: 'Keras fails on this value too, or computes it in a way kmodel does not reproduce; fix the config.',
  })
}

/**
 * A float argument: a number, or where `strings` (Keras 2's `cast_to_floatx`) a numeric string; `fallback` when
 * absent. A null is returned only when `nullable` (ReLU's `max_value`); anything else is an error naming it.
 */
export function floatArg(cfg: JsonObject, key: string, fallback: number | null, cls: string, nullable = false, strings = false): number | null {
  const v = cfg[key]
  if (v === undefined) return fallback
  if (v === null && nullable) return null
  if (typeof v === 'number') return v
  if (strings && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  throw argError(cls, key, v, 'a number is needed')
}

/** `axis` resolved against `rank`, or a BackendError (TensorFlow raises on an axis out of range). */
export function axisIn(axis: number, rank: number, what: string): number {
  const a = axis < 0 ? axis + rank : axis
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `${what}: axis ${axis} is out of range for an input of rank ${rank}.`, {hint: 'Keras raises on this axis too.'})
  }
  return a
}

/**
 * Keras 3 `ReLU.static_call`: the negative part is relu(threshold − x) (or relu(−x)); x becomes where(x >
 * threshold, x, 0), else relu6 when max_value is 6, else relu; then clip to [0, max_value]; then x − slope ×
 * negative part. A slope alone is TensorFlow's leaky_relu.
 */
export function reluKeras3(tf: Core, x: Tensor, slope: number, maxValue: number | null, threshold: number): Tensor {
  if (slope !== 0 && maxValue === null && threshold === 0) return tf.leakyRelu(x, slope)
  const negative = slope === 0 ? undefined : tf.relu(threshold !== 0 ? tf.add(tf.neg(x), threshold) : tf.neg(x))
  let clip = maxValue !== null
  let y: Tensor
  if (threshold !== 0) y = tf.where(tf.greater(x, threshold), x, tf.zerosLike(x))
  else if (maxValue === 6) {
    y = tf.relu6(x)
    clip = false
  } else y = tf.relu(x)
  if (clip && maxValue !== null) y = tf.clipByValue(y, 0, maxValue)
  return negative === undefined ? y : tf.sub(y, tf.mul(tf.scalar(slope), negative))
}

/**
 * tf-keras `backend.relu(x, alpha, max_value, threshold)`: as Keras 3's, except the thresholded part is
 * x × cast(x > threshold) (a multiplication, not a select).
 */
export function reluKeras2(tf: Core, x: Tensor, alpha: number, maxValue: number | null, threshold: number): Tensor {
  if (alpha !== 0 && maxValue === null && threshold === 0) return tf.leakyRelu(x, alpha)
  const negative = alpha === 0 ? undefined : tf.relu(threshold !== 0 ? tf.add(tf.neg(x), threshold) : tf.neg(x))
  let clip = maxValue !== null
  let y: Tensor
  if (threshold !== 0) y = tf.mul(x, tf.cast(tf.greater(x, threshold), 'float32'))
  else if (maxValue === 6) {
    y = tf.relu6(x)
    clip = false
  } else y = tf.relu(x)
  if (clip && maxValue !== null) y = tf.clipByValue(y, 0, maxValue)
  return negative === undefined ? y : tf.sub(y, tf.mul(tf.scalar(alpha), negative))
}

/** ELU with alpha, both generations: elu(x), and where alpha ≠ 1, where(x > 0, elu, alpha × elu). */
export function eluAlpha(tf: Core, x: Tensor, alpha: number): Tensor {
  const res = tf.elu(x)
  return alpha === 1 ? res : tf.where(tf.greater(x, 0), res, tf.mul(tf.scalar(alpha), res))
}

/** `fn` (tfjs reduces the last axis) applied along `axis`: the axis is swapped to the end and back. */
function alongAxis(tf: Core, x: Tensor, axis: number, name: string, fn: (t: Tensor) => Tensor): Tensor {
  const a = axisIn(axis, x.rank, name)
  if (a === x.rank - 1) return fn(x)
  const perm = [...Array(x.rank).keys()]
  perm[a] = x.rank - 1
  perm[x.rank - 1] = a
  return tf.transpose(fn(tf.transpose(x, perm)), perm)
}

/** Softmax along one axis (TensorFlow's `exp(x − max) / sum`). */
export function softmaxAxis(tf: Core, x: Tensor, axis: number): Tensor {
  return alongAxis(tf, x, axis, 'softmax', (t) => tf.softmax(t))
}

/** Log-softmax along one axis (TensorFlow's `x − max − log(sum(exp(x − max)))`). */
export function logSoftmaxAxis(tf: Core, x: Tensor, axis: number): Tensor {
  return alongAxis(tf, x, axis, 'log_softmax', (t) => tf.logSoftmax(t))
}

/** Softmax over every element (Keras's `axis=None`): flattened, normalised, reshaped. */
export function softmaxAll(tf: Core, x: Tensor): Tensor {
  return tf.reshape(tf.softmax(tf.reshape(x, [-1])), x.shape)
}

/** TensorFlow's `reduce_logsumexp(x, axes, keepdims=True)`: a non-finite max is replaced by 0 before the shift. */
export function logSumExp(tf: Core, x: Tensor, axes: number[]): Tensor {
  const raw = tf.max(x, axes, true)
  const m = tf.where(tf.isFinite(raw), raw, tf.zerosLike(raw))
  return tf.add(tf.log(tf.sum(tf.exp(tf.sub(x, m)), axes, true)), m)
}

/** Softmax over several axes at once (both generations' Softmax layer): exp(x − logsumexp(x, axes)). */
export function softmaxAxes(tf: Core, x: Tensor, axes: number[]): Tensor {
  const resolved = axes.map((a) => axisIn(a, x.rank, 'softmax'))
  return tf.exp(tf.sub(x, logSumExp(tf, x, resolved)))
}

/**
 * expm1 to float32 accuracy (tfjs has none; exp(x) − 1 loses the digits near 0): Kahan's (u − 1)·x / log u with
 * u = exp(x), exact where u rounds to 1 or 0.
 */
export function expm1(tf: Core, x: Tensor): Tensor {
  const u = tf.exp(x)
  const um1 = tf.sub(u, 1)
  const one = tf.equal(u, 1)
  const logU = tf.where(one, tf.onesLike(u), tf.log(u))
  const ratio = tf.div(tf.mul(um1, x), logU)
  return tf.where(one, x, tf.where(tf.equal(um1, -1), tf.fill(x.shape, -1), ratio))
}

/**
 * Keras 3 sparsemax along the last axis, as its TensorFlow backend computes it: sort descending, support =
 * sorted − (cumsum − 1) / r > 0, k = |support|, τ = (Σ over the support of the cumsums − 1) / k (Keras sums
 * the running sums, not the last one), output max(x − τ, 0).
 */
export function sparsemax(tf: Core, x: Tensor): Tensor {
  const n = x.shape.at(-1) ?? 0
  const sorted = tf.topk(x, n, true).values
  const cumsum = tf.cumsum(sorted, x.rank - 1)
  const r = tf.range(1, n + 1, 1, 'float32')
  const support = tf.greater(tf.sub(sorted, tf.div(tf.sub(cumsum, 1), r)), 0)
  const safe = tf.where(support, cumsum, tf.zerosLike(cumsum))
  const k = tf.sum(tf.cast(support, 'float32'), -1, true)
  const tau = tf.div(tf.sub(tf.sum(safe, -1, true), 1), k)
  return tf.maximum(tf.sub(x, tau), 0)
}

/** Keras 3 GLU along the last axis: the halves a, b; a × sigmoid(b). An odd size raises in Keras. */
export function glu(tf: Core, x: Tensor): Tensor {
  const n = x.shape.at(-1) ?? 0
  if (n % 2 !== 0) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `The activation "glu" splits the last axis in two halves; it has size ${n}.`, {hint: 'Keras raises on an odd size too ("axis size must be divisible by 2").'})
  }
  const [a, b] = tf.split(x, 2, -1)
  if (a === undefined || b === undefined) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', 'glu: the split failed.')
  return tf.mul(a, tf.sigmoid(b))
}

/** Softmax per a Softmax layer's `axis`: an int, a list (one axis: as an int; more: jointly), or null (all). */
export function softmaxLayer(tf: Core, x: Tensor, axis: Json | undefined, generation: Dialect): Tensor {
  if (Array.isArray(axis) && axis.length > 1 && axis.every((a) => typeof a === 'number')) return softmaxAxes(tf, x, axis as number[])
  const single = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis
  if (generation === 'keras2' && x.rank <= 1) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Keras 2 cannot apply softmax to a tensor of rank ${x.rank}.`, {hint: 'tf-keras raises "Cannot apply softmax to a tensor that is 1D".'})
  }
  if (single === null) return softmaxAll(tf, x)
  if (single === undefined) return softmaxAxis(tf, x, -1)
  if (typeof single !== 'number') throw argError('Softmax', 'axis', axis, 'an integer, a list of integers or null is needed')
  return softmaxAxis(tf, x, single)
}

/**
 * The advanced-activation layers as functions of their config (used as layers and as `activation=` objects):
 * ReLU (max_value, negative_slope, threshold), LeakyReLU (Keras 3 negative_slope, default 0.3, or alpha; Keras
 * 2 alpha), ELU (alpha), ThresholdedReLU (x × (x > theta)), Softmax (axis; masks are the layer's business).
 * Undefined for any other class.
 */
export function layerActivation(tf: Core, generation: Dialect, cls: string, cfg: JsonObject): ActivationFn | undefined {
  const strings = generation === 'keras2'
  const f = (key: string, fallback: number): number => floatArg(cfg, key, fallback, cls, false, strings) ?? fallback
  switch (cls) {
    case 'ReLU': {
      const maxValue = floatArg(cfg, 'max_value', null, cls, true, strings)
      const slope = f('negative_slope', 0)
      const threshold = f('threshold', 0)
      return generation === 'keras3'
        ? (x) => reluKeras3(tf, x, slope, maxValue, threshold)
        : (x) => reluKeras2(tf, x, slope, maxValue, threshold)
    }
    case 'LeakyReLU': {
      // Keras 3 pops a given `alpha` over `negative_slope`; tf-keras knows `alpha` only.
      const slope = f('alpha', f('negative_slope', 0.3))
      return generation === 'keras3' ? (x) => tf.leakyRelu(x, slope) : (x) => reluKeras2(tf, x, slope, null, 0)
    }
    case 'ELU': {
      const alpha = f('alpha', 1)
      return (x) => eluAlpha(tf, x, alpha)
    }
    case 'ThresholdedReLU': {
      const theta = f('theta', 1)
      return (x) => tf.mul(x, tf.cast(tf.greater(x, theta), 'float32'))
    }
    case 'Softmax':
      return (x) => softmaxLayer(tf, x, cfg.axis, generation)
    default:
      return undefined
  }
}
