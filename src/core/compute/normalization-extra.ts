/**
 * The Normalization preprocessing layer and the SpectralNormalization wrapper.
 *
 * Normalization: `(x − mean) / max(sqrt(variance), 1e-7)`, or with `invert` `mean + x · max(sqrt(variance),
 * 1e-7)`. The statistics are the adapted `mean` / `variance` weights, or the config's `mean` / `variance`
 * values broadcast (numpy rules, right-aligned) over the kept axes; either way reshaped onto the input's kept
 * `axis` (None: a single scalar). Keras 3 passes the mask on; tf-keras does not.
 *
 * SpectralNormalization(layer): at inference the wrapped layer runs with its stored kernel. In training, as
 * Keras does before calling the layer, `power_iterations` power steps from `vector_u` estimate the kernel's
 * largest singular value σ (v = normalize(u·Wᵀ), u = normalize(v·W) on the kernel reshaped to (−1, last);
 * σ = v·W·uᵀ), the kernel becomes kernel / σ (kept when it is all zeros) and u the new estimate; both are
 * assigned, and the layer runs with the new kernel (its gradient reaches the kernel unchanged, as Keras's
 * assign-then-read gives). normalize: Keras 3 `x · min(rsqrt(Σx²), 1e7)`, tf-keras `x · rsqrt(max(Σx², 1e-12))`.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type Json, isArray} from '../json.js'
import {pyTruthy} from '../layers/args.js'
import {asFloat, axisList, broadcastShape, num, requireWeight, resolveAxes, trainingOf} from './normalization-common.js'
import type {ComputeCall, ComputeOutput, ComputeWeight, LayerCompute} from './types.js'

/** A config value (number or nested list of numbers) as a tensor, or undefined when it is anything else. */
function constant(c: ComputeCall, value: Json): Tensor | undefined {
  const numeric = (v: Json): boolean => typeof v === 'number' || (isArray(v) && v.every(numeric))
  return numeric(value) ? c.tf.tensor(value as number | number[], undefined, 'float32') : undefined
}

/** The config's `mean` / `variance` broadcast to the kept axes' dims, then reshaped onto the input's axes. */
function givenStatistic(c: ComputeCall, key: 'mean' | 'variance', kept: number[], shape: number[]): Tensor {
  const value = constant(c, c.config[key] ?? null)
  const target = kept.map((a) => shape[a] ?? 1)
  const fits = value !== undefined && value.rank <= target.length && value.shape.every((d, i) => d === 1 || d === target[target.length - value.rank + i])
  if (value === undefined || !fits) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class Normalization: argument '${key}' = ${JSON.stringify(c.config[key] ?? null)} does not broadcast to the kept axes' shape ${JSON.stringify(target)}.`, {hint: 'Keras refuses this layer too.'})
  }
  return c.tf.reshape(c.tf.broadcastTo(value, target), broadcastShape(shape, kept))
}

function normalizationLayer(c: ComputeCall): ComputeOutput {
  const {tf} = c
  const x = asFloat(tf, c.inputs[0] as Tensor)
  const kept = c.config.axis === null ? [] : [...resolveAxes(c, axisList(c.config.axis, [-1]), x.rank)].sort((a, b) => a - b)
  const param = broadcastShape(x.shape, kept)
  const given = c.config.mean !== undefined && c.config.mean !== null
  const mean = given ? givenStatistic(c, 'mean', kept, x.shape) : tf.reshape(requireWeight(c, 'mean').value, param)
  const variance = given ? givenStatistic(c, 'variance', kept, x.shape) : tf.reshape(requireWeight(c, 'variance').value, param)
  const spread = tf.maximum(tf.sqrt(variance), 1e-7)
  const y = pyTruthy(c.config.invert ?? false) ? tf.add(mean, tf.mul(x, spread)) : tf.div(tf.sub(x, mean), spread)
  return {outputs: [y], masks: [c.generation === 'keras3' ? c.masks[0] ?? null : null]}
}

/** L2 normalization over all elements, per generation. */
function normalizeAll(c: ComputeCall, x: Tensor): Tensor {
  const {tf} = c
  const squares = tf.sum(tf.square(x))
  return c.generation === 'keras3' ? tf.mul(x, tf.minimum(tf.rsqrt(squares), 1 / 1e-7)) : tf.mul(x, tf.rsqrt(tf.maximum(squares, 1e-12)))
}

/** The spectrally normalized kernel and the new u (normalized_weights / normalize_weights). */
function spectral(c: ComputeCall, kernel: Tensor, u0: Tensor): {kernel: Tensor; u: Tensor} {
  const {tf} = c
  const iterations = num(c.config.power_iterations, 1)
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class SpectralNormalization: argument 'power_iterations' = ${JSON.stringify(c.config.power_iterations)} must be an integer ≥ 1.`, {hint: 'Keras refuses this layer too.'})
  }
  const last = kernel.shape[kernel.rank - 1] ?? 1
  const w = tf.reshape(kernel, [-1, last])
  let u = tf.reshape(u0, [1, last])
  let v = u
  for (let i = 0; i < iterations; i++) {
    v = normalizeAll(c, tf.matMul(u, w, false, true))
    u = normalizeAll(c, tf.matMul(v, w))
  }
  const sigma = tf.matMul(tf.matMul(v, w), u, false, true)
  const normalized = tf.reshape(tf.div(w, sigma), kernel.shape)
  const zero = tf.all(tf.equal(kernel, 0))
  return {
    kernel: tf.where(tf.broadcastTo(zero, kernel.shape), kernel, normalized),
    u: tf.where(tf.broadcastTo(zero, u.shape), tf.reshape(u0, u.shape), u),
  }
}

/** `normalized` forward, the gradient of the kernel variable passed straight through (Keras's assign, then read). */
function straightThrough(c: ComputeCall, kernel: Tensor, normalized: Tensor): Tensor {
  const {tf} = c
  const op = tf.customGrad((...args) => {
    const [k, n] = args as [Tensor, Tensor]
    return {value: tf.mul(n, 1), gradFunc: (dy: Tensor) => [dy, tf.zerosLike(k)]}
  })
  return op(kernel, normalized)
}

function spectralNormalization(c: ComputeCall): ComputeOutput {
  const inner: ComputeWeight[] = c.weights.filter((w) => w.info.name !== 'vector_u')
  if (!trainingOf(c)) return {outputs: c.inner(c.config.layer, c.inputs, {weights: inner}).outputs, masks: [null]}
  const at = inner.findIndex((w) => w.info.name === 'kernel' || w.info.name === 'embeddings')
  const kernel = inner[at]
  if (kernel === undefined) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', "Layer class SpectralNormalization: the wrapped layer has no 'kernel' nor 'embeddings' weight.", {hint: 'Keras refuses this layer too.'})
  const vectorU = requireWeight(c, 'vector_u')
  const next = spectral(c, kernel.value, vectorU.value)
  c.assign(vectorU, c.tf.reshape(next.u, vectorU.value.shape))
  c.assign(kernel, next.kernel)
  const weights = inner.map((w, i) => (i === at ? {info: w.info, value: straightThrough(c, w.value, next.kernel)} : w))
  return {outputs: c.inner(c.config.layer, c.inputs, {weights}).outputs, masks: [null]}
}

/** The Normalization preprocessing layer (masks handled per generation in `call`). */
export const NORMALIZATION_LAYER: LayerCompute = {call: normalizationLayer}

/** SpectralNormalization: no mask leaves it. */
export const SPECTRAL_NORMALIZATION: LayerCompute = {call: spectralNormalization}
