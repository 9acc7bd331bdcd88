/**
 * The regularization layers' training behaviour (all are the identity at inference, and pass masks through):
 * Dropout (inverted dropout: keep where uniform ≥ rate, scale by 1 / (1 − rate), over `noise_shape`),
 * SpatialDropout1D/2D/3D (whole channels: the noise is (batch, 1…, channels), or (batch, channels, 1…) for
 * channels_first), GaussianNoise (x + N(0, stddev)), GaussianDropout (x × N(1, √(rate / (1 − rate)))),
 * AlphaDropout (SELU-preserving: dropped units set to −αλ, then a·x + b), and ActivityRegularization (adds
 * l1·Σ|x| + l2·Σx² to the loss, divided by the batch size where that Keras version does so).
 *
 * An explicit `training` call argument (Keras's Monte Carlo dropout, `Dropout(…)(x, training=True)`) wins over
 * the run's mode, as in Keras. Random draws come from `c.seed()`. Rates where Keras raises in training (Keras 3
 * GaussianDropout / AlphaDropout rate 1, tf-keras Dropout rate 1) are BackendErrors.
 */
import type {Dialect} from '../model/spec.js'
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {isArray} from '../json.js'
import {channelsFirst} from '../layers/config.js'
import type {ComputeCall, ComputeTable, LayerCompute} from './types.js'
import {argError, floatArg} from './activation-math.js'

/** True when the Keras version that wrote the file is at least major.minor (an unknown version counts as the newest). */
export function versionAtLeast(version: string | null, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '')
  if (m === null) return true
  const [maj, min] = [Number(m[1]), Number(m[2])]
  return maj > major || (maj === major && min >= minor)
}

/** Standalone Keras 1.x / 2.0–2.3 (not tf.keras, whose versions carry "-tf" or are ≥ 2.4). */
function standaloneKeras(version: string | null): boolean {
  return version !== null && (/^1\./.test(version) || (/^2\.[0-3]\./.test(version) && !version.includes('tf')))
}

/** Training mode: the call's explicit `training` argument if saved, else the run's. */
export function isTraining(c: ComputeCall): boolean {
  const t = c.call_kwargs.training
  return typeof t === 'boolean' ? t : c.training
}

const input = (c: ComputeCall): Tensor => {
  const x = c.inputs[0]
  if (x === undefined) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name} was called without an input.`)
  return x
}

/** A float argument under its name or its Keras 1 name (`p`, `sigma`). */
const rateArg = (c: ComputeCall, key: string, keras1: string): number =>
  floatArg(c.config, key, floatArg(c.config, keras1, 0, c.class_name) ?? 0, c.class_name) ?? 0

/** Inverted dropout over a noise shape (broadcast against x): x × 1/(1 − rate) × (uniform ≥ rate). */
function dropout(c: ComputeCall, x: Tensor, rate: number, noise: number[]): Tensor {
  const {tf} = c
  const keep = tf.greaterEqual(tf.randomUniform(noise, 0, 1, 'float32', c.seed()), rate)
  return tf.mul(tf.mul(x, 1 / (1 - rate)), tf.cast(keep, 'float32'))
}

/** Dropout's `noise_shape`: each null (None) takes the input's dimension at that index, as Keras fills it. */
function noiseShape(c: ComputeCall, x: Tensor): number[] {
  const raw = c.config.noise_shape
  if (raw === undefined || raw === null) return x.shape
  if (!isArray(raw) || !raw.every((d) => d === null || typeof d === 'number')) throw argError(c.class_name, 'noise_shape', raw, 'a list of integers or nulls is needed')
  if (c.generation === 'keras2' && c.class_name === 'AlphaDropout' && raw.includes(null)) throw argError(c.class_name, 'noise_shape', raw, 'tf-keras AlphaDropout does not fill None dimensions')
  return raw.map((d, i) => (typeof d === 'number' ? d : x.shape[i] ?? 1))
}

/** The noise shape of SpatialDropout1D/2D/3D: one draw per sample and channel. */
function spatialNoise(c: ComputeCall, x: Tensor): number[] {
  const batch = x.shape[0] ?? 1
  const ones = Array<number>(x.rank - 2).fill(1)
  const cf = c.class_name !== 'SpatialDropout1D' && channelsFirst(c.config)
  return cf ? [batch, x.shape[1] ?? 1, ...ones] : [batch, ...ones, x.shape.at(-1) ?? 1]
}

/**
 * The Dropout family (spatial ones with their channel-wise noise): rate 0 is the identity, Keras 3 rate 1 gives
 * zeros. tf-keras returns `tf.identity(inputs)` when it drops nothing — a new tensor, so a loss no longer sees the
 * logits of a sigmoid / softmax before it (activations.ts kerasLogits); Keras 3 returns the input itself.
 */
function dropoutCall(c: ComputeCall): Tensor {
  const x = input(c)
  const same = (): Tensor => (c.generation === 'keras2' ? c.tf.clone(x) : x)
  if (!isTraining(c)) return same()
  const rate = rateArg(c, 'rate', 'p')
  if (rate <= 0) return same()
  if (rate >= 1) {
    if (c.generation === 'keras3') return c.tf.zerosLike(x)
    if (standaloneKeras(c.keras_version)) return x
    throw argError(c.class_name, 'rate', rate, 'tf-keras raises in training for a rate of 1 ("rate must be in [0, 1)")')
  }
  return dropout(c, x, rate, c.class_name === 'Dropout' ? noiseShape(c, x) : spatialNoise(c, x))
}

/** GaussianNoise: x + N(0, stddev) in training (Keras 3 only when stddev > 0). */
function gaussianNoise(c: ComputeCall): Tensor {
  const x = input(c)
  if (!isTraining(c)) return x
  const stddev = rateArg(c, 'stddev', 'sigma')
  if (c.generation === 'keras3' && stddev <= 0) return x
  return c.tf.add(x, c.tf.randomNormal(x.shape, 0, stddev, 'float32', c.seed()))
}

/** A rate Keras 3 divides by 1 − rate in training (GaussianDropout, AlphaDropout): 1 raises ZeroDivisionError. */
function activeRate(c: ComputeCall, rate: number): boolean {
  if (c.generation === 'keras2') return rate > 0 && rate < 1
  if (rate >= 1) throw argError(c.class_name, 'rate', rate, 'Keras 3 divides by 1 − rate in training and raises ZeroDivisionError')
  return rate > 0
}

/** GaussianDropout: x × N(1, √(rate / (1 − rate))) in training. */
function gaussianDropout(c: ComputeCall): Tensor {
  const x = input(c)
  if (!isTraining(c) || !activeRate(c, rateArg(c, 'rate', 'p'))) return x
  const rate = rateArg(c, 'rate', 'p')
  return c.tf.mul(x, c.tf.randomNormal(x.shape, 1, Math.sqrt(rate / (1 - rate)), 'float32', c.seed()))
}

/** AlphaDropout: kept = uniform ≥ rate; x·kept + α′·(1 − kept), then a·x + b with SELU's α′ = −αλ. */
function alphaDropout(c: ComputeCall): Tensor {
  const {tf} = c
  const x = input(c)
  if (!isTraining(c) || !activeRate(c, rateArg(c, 'rate', 'p'))) return x
  const rate = rateArg(c, 'rate', 'p')
  const alphaP = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946
  const kept = tf.cast(tf.greaterEqual(tf.randomUniform(noiseShape(c, x), 0, 1, 'float32', c.seed()), rate), 'float32')
  const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5
  const b = -a * alphaP * rate
  const dropped = tf.add(tf.mul(x, kept), tf.mul(alphaP, tf.sub(1, kept)))
  return tf.add(tf.mul(a, dropped), b)
}

/** Whether this Keras divides activity losses by the batch size: tf.keras, Keras 1.0/1.1 (a batch mean), Keras 3 ≥ 3.14. */
export function activityDividedByBatch(generation: Dialect, v: string | null): boolean {
  if (generation === 'keras3') return versionAtLeast(v, 3, 14)
  if (v !== null && /^1\.[01]\./.test(v)) return true
  return !standaloneKeras(v)
}

const dividesByBatch = (c: ComputeCall): boolean => activityDividedByBatch(c.generation, c.keras_version)

/** ActivityRegularization's loss: Keras 3 l1·Σ|x| + l2·Σx²; tf-keras l1·Σ|x| + 2·l2·(Σx² / 2); each only when nonzero. */
export function activityLoss(c: ComputeCall, x: Tensor): Tensor {
  const {tf} = c
  const l1 = floatArg(c.config, 'l1', 0, c.class_name, true) ?? 0
  const l2 = floatArg(c.config, 'l2', 0, c.class_name, true) ?? 0
  let loss: Tensor = tf.scalar(0)
  if (l1 !== 0) loss = tf.add(loss, tf.mul(l1, tf.sum(tf.abs(x))))
  if (l2 !== 0) {
    const l2Loss = c.generation === 'keras2' && !standaloneKeras(c.keras_version) ? tf.mul(2 * l2, tf.div(tf.sum(tf.square(x)), 2)) : tf.mul(l2, tf.sum(tf.square(x)))
    loss = tf.add(loss, l2Loss)
  }
  const batch = x.shape[0] ?? 0
  if (!dividesByBatch(c) || x.rank === 0) return loss
  return batch === 0 ? tf.zerosLike(loss) : tf.div(loss, batch)
}

/** ActivityRegularization: the identity; its loss joins the model's (the executor counts it in train and evaluate). */
export const activityRegularization: LayerCompute = {
  passMask: true,
  call: (c) => {
    const x = input(c)
    c.addLoss(activityLoss(c, x))
    return {outputs: [x]}
  },
}

const layer = (fn: (c: ComputeCall) => Tensor): LayerCompute => ({passMask: true, call: (c) => ({outputs: [fn(c)]})})

/** The random regularization layers, by class name. */
export const DROPOUT_COMPUTE: ComputeTable = {
  Dropout: layer(dropoutCall),
  SpatialDropout1D: layer(dropoutCall),
  SpatialDropout2D: layer(dropoutCall),
  SpatialDropout3D: layer(dropoutCall),
  GaussianNoise: layer(gaussianNoise),
  GaussianDropout: layer(gaussianDropout),
  AlphaDropout: layer(alphaDropout),
}
