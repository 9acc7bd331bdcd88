/**
 * Helpers shared by the preprocessing compute files: the call's effective `training` flag (a saved
 * `training=` call argument overrides the run's mode, as in Keras), the refusals with the class and argument
 * named, float casts where Keras casts to the compute dtype, and the (B, H, W, C) view of an image tensor
 * (Keras image layers take a rank-3 tensor as one unbatched image and honour `data_format`).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type Json, type JsonObject, isArray, isObject} from '../json.js'
import type {ComputeCall} from './types.js'

/** The call's training flag: the saved `training=` keyword when it is a boolean, else the run's mode. */
export function trainingOf(c: ComputeCall): boolean {
  const saved = c.call_kwargs.training
  return typeof saved === 'boolean' ? saved : c.training
}

/** KM_BACKEND_UNSUPPORTED_ARGUMENT for a config value kmodel does not compute (or Keras rejects at call time). */
export function refuseArgument(cls: string, arg: string, value: Json | undefined, reason: string, hint?: string): BackendError {
  return new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${cls}: argument '${arg}' = ${JSON.stringify(value ?? null)} is not computed by kmodel (${reason}).`, {
    hint: hint ?? 'summary and to-json still work; computing needs a value kmodel supports.',
  })
}

/** The refusal of a training step through a layer whose training-time transform kmodel does not compute. */
export function refuseTraining(cls: string, why = 'Keras draws a random transform there, which kmodel cannot reproduce'): BackendError {
  return new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${cls}: training through this layer is not computed by kmodel (${why}).`, {
    hint: `Remove the ${cls} layer from the model for kmodel train (augment the data beforehand instead); predict and evaluate compute it.`,
  })
}

/** A refusal for input data Keras itself rejects at call time (kmodel checks the values it is given). */
export function refuseInput(cls: string, message: string): BackendError {
  return new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${cls}: ${message}`, {hint: 'Keras raises on these inputs too; check the input values.'})
}

/** The tensor as float32 (Keras's cast to the float compute dtype). */
export function asFloat(c: ComputeCall, x: Tensor): Tensor {
  return x.dtype === 'float32' ? x : c.tf.cast(x, 'float32')
}

/** The first positional input, or a refusal naming the class. */
export function firstInput(c: ComputeCall): Tensor {
  const x = c.inputs[0]
  if (x === undefined) throw refuseInput(c.class_name, 'the layer was called without an input tensor.')
  return x
}

/** `data_format` of a Keras 3 image layer (Keras 1's `dim_ordering: "th"` too). */
export function isChannelsFirst(cfg: JsonObject): boolean {
  return cfg.data_format === 'channels_first' || cfg.dim_ordering === 'th'
}

/**
 * Runs `fn` on the (B, H, W, C) view of an image tensor: rank 3 is one unbatched image (Keras's
 * transform_single_image), channels_first is transposed there and back. Other ranks are refused, as Keras does.
 */
export function onImages(c: ComputeCall, x: Tensor, channelsFirst: boolean, fn: (nhwc: Tensor) => Tensor): Tensor {
  const tf = c.tf
  if (x.rank !== 3 && x.rank !== 4) throw refuseInput(c.class_name, `expected rank 3 (one image) or rank 4 (a batch of images), received shape [${x.shape.join(', ')}].`)
  const batched = x.rank === 4 ? x : tf.expandDims(x, 0)
  const nhwc = channelsFirst ? tf.transpose(batched, [0, 2, 3, 1]) : batched
  const y = fn(nhwc)
  const back = channelsFirst ? tf.transpose(y, [0, 3, 1, 2]) : y
  return x.rank === 4 ? back : tf.squeeze(back, [0])
}

/** A number, a (nested) list of numbers, or Keras 3's serialized numpy array `{"class_name": "__numpy__", …}`. */
export function numericValue(value: Json | undefined): number | Json[] | undefined {
  if (typeof value === 'number') return value
  if (isArray(value)) return value
  if (isObject(value) && value.class_name === '__numpy__' && isObject(value.config)) return numericValue(value.config.value)
  if (isObject(value) && value.class_name === '__tensor__' && isObject(value.config)) return numericValue(value.config.value)
  return undefined
}

/** True when a nested list holds only finite numbers. */
export function allNumbers(value: Json): boolean {
  return isArray(value) ? value.every(allNumbers) : typeof value === 'number' && Number.isFinite(value)
}

/** A two-number `value_range` (Keras default (0, 255)), sorted as Keras sorts it when `sorted` is set. */
export function valueRange(cfg: JsonObject, sorted = true): [number, number] {
  const v = cfg.value_range
  const pair: [number, number] = isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number' ? [v[0], v[1]] : [0, 255]
  return sorted && pair[0] > pair[1] ? [pair[1], pair[0]] : pair
}

/**
 * Keras 3's `_transform_value_range` (base_image_preprocessing_layer.py): the identity when the ranges match,
 * else `(x − from_lo) / (from_hi − from_lo) · (to_hi − to_lo) + to_lo` in float32.
 */
export function transformRange(c: ComputeCall, x: Tensor, from: [number, number], to: [number, number]): Tensor {
  if (from[0] === to[0] && from[1] === to[1]) return x
  const tf = c.tf
  const unit = tf.div(tf.sub(asFloat(c, x), tf.scalar(from[0])), tf.scalar(Math.fround(from[1]) - Math.fround(from[0])))
  return tf.add(tf.mul(unit, tf.scalar(Math.fround(to[1]) - Math.fround(to[0]))), tf.scalar(to[0]))
}
