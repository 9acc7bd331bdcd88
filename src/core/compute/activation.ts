/**
 * Compute functions of the activation family (see types.ts): the advanced activations (ReLU, LeakyReLU, ELU,
 * ThresholdedReLU, PReLU, Softmax with its optional mask) and the regularization layers, which are the identity
 * at inference and random in training (Dropout, SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout,
 * AlphaDropout; training-mode code in activation-train.ts) or add a loss (ActivityRegularization). Every one of
 * them sets Keras's `supports_masking`, so the input mask passes through.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type Json, isArray} from '../json.js'
import {rememberLogits} from './activations.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute, RefusalTable} from './types.js'
import {layerActivation, softmaxLayer} from './activation-math.js'
import {DROPOUT_COMPUTE, activityRegularization, versionAtLeast} from './activation-train.js'

const first = (c: ComputeCall): Tensor => {
  const x = c.inputs[0]
  if (x === undefined) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name} was called without an input.`)
  return x
}

/**
 * A layer that applies its config's activation function elementwise (activation-math.ts layerActivation): ReLU,
 * LeakyReLU, ELU (alpha) and ThresholdedReLU, each as its generation computes it.
 */
const elementwise: LayerCompute = {
  passMask: true,
  call: (c) => {
    const fn = layerActivation(c.tf, c.generation, c.class_name, c.config)
    if (fn === undefined) throw new BackendError('KM_BACKEND_UNSUPPORTED_LAYER', `No activation layer ${c.class_name}.`)
    return {outputs: [fn(first(c))]}
  },
}

/** PReLU: relu(x) + (−alpha) × relu(−x), alpha broadcast over the `shared_axes`. */
const prelu: LayerCompute = {
  passMask: true,
  call: (c) => {
    const {tf} = c
    const x = first(c)
    const alpha = c.weights[0]?.value
    if (alpha === undefined) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', 'Layer class PReLU has no alpha weight.')
    return {outputs: [tf.add(tf.relu(x), tf.mul(tf.neg(alpha), tf.relu(tf.neg(x))))]}
  },
}

/** True when `mask` broadcasts (NumPy rules, right-aligned) to exactly `shape`. */
function broadcastsTo(mask: readonly number[], shape: readonly number[]): boolean {
  if (mask.length > shape.length) return false
  return mask.every((d, i) => d === 1 || d === shape[shape.length - mask.length + i])
}

/**
 * Softmax's mask (the `mask` keyword, else the input's mask, as Keras passes it) as each version applies it:
 * Keras 3 ≥ 3.13 and tf-keras `robust_masking` keep x where the mask is true (> 0.5 if not bool) and put −1e9
 * elsewhere; older versions add (1 − mask) × −1e9. Keras 3 ≥ 3.13 then zeroes the masked outputs, 3.10–3.12
 * multiplies the outputs by the mask, earlier versions and tf-keras leave them.
 */
function maskedSoftmax(c: ComputeCall, x: Tensor, mask: Tensor): Tensor {
  const {tf} = c
  if (!broadcastsTo(mask.shape, x.shape)) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class Softmax: the mask of shape [${mask.shape.join(', ')}] does not broadcast to the input's shape [${x.shape.join(', ')}].`, {
      hint: 'Keras raises on this mask too ("The `mask` must be broadcastable to `inputs`").',
    })
  }
  const keras3 = c.generation === 'keras3'
  const robust = keras3 ? versionAtLeast(c.keras_version, 3, 13) : c.config.robust_masking === true
  const keep = mask.dtype === 'bool' ? mask : tf.greater(mask, 0.5)
  const shifted = robust
    ? tf.where(tf.broadcastTo(keep, x.shape), x, tf.fill(x.shape, -1e9))
    : tf.add(x, tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -1e9))
  const out = withLogits(softmaxLayer(tf, shifted, c.config.axis, c.generation), shifted, c.config.axis)
  if (!keras3 || !versionAtLeast(c.keras_version, 3, 10)) return out
  if (robust) return tf.where(tf.broadcastTo(keep, x.shape), out, tf.zerosLike(out))
  return tf.mul(out, tf.cast(mask, 'float32'))
}

/**
 * The Softmax layer calls Keras's softmax activation for one axis (an int, a one-element list) or null, so its
 * output carries the logits a crossentropy loss uses (activations.ts rememberLogits); over several axes it does not.
 */
function withLogits(out: Tensor, logits: Tensor, axis: Json | undefined): Tensor {
  const single = axis === undefined || axis === null || typeof axis === 'number' || (isArray(axis) && axis.length === 1)
  return single ? rememberLogits(out, 'softmax', logits) : out
}

/**
 * Softmax over `axis` (an int, a list of axes, or null for all), with the optional mask: the `mask` keyword, a
 * second positional tensor (`Softmax()(x, mask)`), else the input's own mask as Keras passes it implicitly.
 */
const softmax: LayerCompute = {
  passMask: true,
  call: (c): ComputeOutput => {
    const x = first(c)
    const mask = c.kwargs.mask ?? c.inputs[1] ?? c.masks[0] ?? null
    return {outputs: [mask === null ? withLogits(softmaxLayer(c.tf, x, c.config.axis, c.generation), x, c.config.axis) : maskedSoftmax(c, x, mask)]}
  },
}

/** Compute functions of this family, by class name. */
export const ACTIVATION_COMPUTE: ComputeTable = {
  ReLU: elementwise,
  LeakyReLU: elementwise,
  ThresholdedReLU: elementwise,
  ELU: elementwise,
  PReLU: prelu,
  Softmax: softmax,
  ...DROPOUT_COMPUTE,
  ActivityRegularization: activityRegularization,
}

/** This family computes every class it has. */
export const ACTIVATION_REFUSED: RefusalTable = {}
