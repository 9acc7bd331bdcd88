/**
 * The geometric image layers: Rescaling (`x · scale + offset` in float32, both modes), Resizing
 * (tf.image.resize, with Keras 3's crop_to_aspect_ratio / pad_to_aspect_ratio and Keras 2's smart_resize),
 * CenterCrop (a centered crop, or Keras's smart_resize when the image is smaller than the crop) and RandomCrop
 * (at inference Keras 2 smart-resizes to the crop size while Keras 3 returns the image unchanged; a random
 * crop in training is refused).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {isArray} from '../json.js'
import {bool, int, str} from '../layers/config.js'
import {
  allNumbers, asFloat, firstInput, isChannelsFirst, numericValue, onImages, refuseArgument, refuseInput,
  refuseTraining, trainingOf,
} from './preprocessing-common.js'
import {RESIZE_METHODS, type ResizeMethod, resizeImages} from './image-resize.js'
import type {ComputeCall, ComputeOutput, ComputeTable} from './types.js'

const f = Math.fround

/** Keras 3's ops.image.resize interpolations (RESIZE_INTERPOLATIONS); tf-keras also takes gaussian and mitchellcubic. */
const KERAS3_METHODS: readonly string[] = ['bilinear', 'nearest', 'lanczos3', 'lanczos5', 'bicubic', 'area']

/** A (B, H, W, C) slice of rows [top, top + h) and columns [left, left + w), clamped to the image like Python slicing. */
function cropBox(c: ComputeCall, x: Tensor, top: number, left: number, h: number, w: number): Tensor {
  const [b = 0, hi = 0, wi = 0, ch = 0] = x.shape
  const t = Math.min(Math.max(top, 0), hi)
  const l = Math.min(Math.max(left, 0), wi)
  return c.tf.slice(x, [0, t, l, 0], [b, Math.max(0, Math.min(t + h, hi) - t), Math.max(0, Math.min(l + w, wi) - l), ch])
}

/**
 * The largest centered window of the target aspect ratio (smart_resize): `float32` is TensorFlow's float32
 * arithmetic (tf-keras, Keras 3's resize crop) rather than Python's doubles (Keras 3's static smart_resize);
 * `atLeastOne` is Keras 3's max(…, 1).
 */
function aspectWindow(h: number, w: number, th: number, tw: number, float32: boolean, atLeastOne: boolean): [number, number, number, number] {
  const r = float32 ? f : (v: number): number => v
  const lo = atLeastOne ? 1 : 0
  const cropH = Math.max(Math.min(h, Math.trunc(r(r(w * th) / tw))), lo)
  const cropW = Math.max(Math.min(w, Math.trunc(r(r(h * tw) / th))), lo)
  return [Math.trunc(r(h - cropH) / 2), Math.trunc(r(w - cropW) / 2), cropH, cropW]
}

/** smart_resize of a (B, H, W, C) batch: crop to the target aspect ratio, then resize. */
function smartResize(c: ComputeCall, x: Tensor, th: number, tw: number, method: ResizeMethod, keras3: boolean, float32: boolean): Tensor {
  const [top, left, ch, cw] = aspectWindow(x.shape[1] ?? 0, x.shape[2] ?? 0, th, tw, float32, keras3)
  return resizeImages(c.tf, cropBox(c, x, top, left, ch, cw), th, tw, method)
}

/** Keras 3's pad_to_aspect_ratio: `fill_value` rows (or columns) on both sides, then the resize. */
function padToAspect(c: ComputeCall, x: Tensor, th: number, tw: number, fill: number): Tensor {
  const [, h = 0, w = 0] = x.shape
  const padH = Math.max(h, Math.trunc(f(f(w * th) / tw)))
  const padW = Math.max(w, Math.trunc(f(f(h * tw) / th)))
  const top = Math.trunc(f(padH - h) / 2)
  const left = Math.trunc(f(padW - w) / 2)
  const fillValue = x.dtype === 'int32' ? Math.trunc(fill) : f(fill)
  const rows = top > 0 ? c.tf.pad(x, [[0, 0], [top, top], [0, 0], [0, 0]], fillValue) : x
  return left > 0 ? c.tf.pad(rows, [[0, 0], [0, 0], [left, left], [0, 0]], fillValue) : rows
}

function resizeMethod(c: ComputeCall): ResizeMethod {
  const raw = str(c.config, 'interpolation', 'bilinear')
  const name = c.generation === 'keras3' ? raw : raw.toLowerCase()
  const known = c.generation === 'keras3' ? KERAS3_METHODS : RESIZE_METHODS
  if (!known.includes(name)) throw refuseArgument(c.class_name, 'interpolation', raw, `Keras ${c.generation === 'keras3' ? 3 : 2} raises on it: the interpolations are ${known.join(', ')}`)
  return name as ResizeMethod
}

/** Keras 3 Resizing on an integer image rounds (half to even) and saturates back to the input dtype. */
function backToInput(c: ComputeCall, resized: Tensor, input: Tensor): Tensor {
  if (resized.dtype === input.dtype || input.dtype !== 'int32') return resized
  return c.tf.cast(c.tf.clipByValue(c.tf.round(resized), -2147483648, 2147483647), 'int32')
}

function resizing(c: ComputeCall): ComputeOutput {
  const x = firstInput(c)
  const [th, tw] = [int(c.config, 'height', 0), int(c.config, 'width', 0)]
  const method = resizeMethod(c)
  const crop = bool(c.config, 'crop_to_aspect_ratio', false)
  if (c.generation === 'keras2') {
    return {outputs: [onImages(c, asFloat(c, x), false, (im) => (crop ? smartResize(c, im, th, tw, method, false, true) : resizeImages(c.tf, im, th, tw, method)))]}
  }
  const pad = bool(c.config, 'pad_to_aspect_ratio', false)
  const fillMode = str(c.config, 'fill_mode', 'constant')
  if (fillMode !== 'constant') throw refuseArgument(c.class_name, 'fill_mode', fillMode, "Keras 3 raises on it: only 'constant' is supported")
  if (pad && crop) throw refuseArgument(c.class_name, 'pad_to_aspect_ratio', true, 'Keras 3 raises when both pad_to_aspect_ratio and crop_to_aspect_ratio are set')
  const antialias = bool(c.config, 'antialias', false)
  const fill = typeof c.config.fill_value === 'number' ? c.config.fill_value : 0
  const y = onImages(c, x, isChannelsFirst(c.config), (im) => {
    if (crop) {
      const [top, left, ch, cw] = aspectWindow(im.shape[1] ?? 0, im.shape[2] ?? 0, th, tw, true, true)
      return resizeImages(c.tf, cropBox(c, im, top, left, ch, cw), th, tw, method, antialias)
    }
    return resizeImages(c.tf, pad ? padToAspect(c, im, th, tw, fill) : im, th, tw, method, antialias)
  })
  return {outputs: [backToInput(c, y, x)]}
}

function centerCrop(c: ComputeCall): ComputeOutput {
  const x = asFloat(c, firstInput(c))
  const [th, tw] = [int(c.config, 'height', 0), int(c.config, 'width', 0)]
  const keras3 = c.generation === 'keras3'
  const y = onImages(c, x, keras3 && isChannelsFirst(c.config), (im) => {
    const [dh, dw] = [(im.shape[1] ?? 0) - th, (im.shape[2] ?? 0) - tw]
    if (dh >= 0 && dw >= 0) return cropBox(c, im, Math.floor(dh / 2), Math.floor(dw / 2), th, tw)
    return smartResize(c, im, th, tw, 'bilinear', keras3, !keras3)
  })
  return {outputs: [y]}
}

/**
 * RandomCrop: Keras 2 smart-resizes to the crop size at inference (and in training when the image is not larger
 * than the crop); Keras 3 returns the image unchanged at inference and, in training, crops the center when the
 * image is not larger than the crop (then resizes to the crop size). A random crop is refused.
 */
function randomCrop(c: ComputeCall): ComputeOutput {
  const x = firstInput(c)
  const [th, tw] = [int(c.config, 'height', 0), int(c.config, 'width', 0)]
  const training = trainingOf(c)
  if (c.generation === 'keras3' && !training) return {outputs: [x]}
  const keras3 = c.generation === 'keras3'
  const y = onImages(c, asFloat(c, x), keras3 && isChannelsFirst(c.config), (im) => {
    const [h, w] = [im.shape[1] ?? 0, im.shape[2] ?? 0]
    const random = keras3 ? h > th && w > tw : h >= th && w >= tw
    if (training && random) throw refuseTraining(c.class_name, 'Keras crops at a random position there, which kmodel cannot reproduce')
    if (!keras3) return smartResize(c, im, th, tw, 'bilinear', false, true)
    const [top, left] = aspectWindow(h, w, th, tw, false, true)
    const cropped = cropBox(c, im, top, left, th, tw)
    return cropped.shape[1] === th && cropped.shape[2] === tw ? cropped : resizeImages(c.tf, cropped, th, tw, 'bilinear')
  })
  return {outputs: [y]}
}

/** The broadcastable tensor of Rescaling's `scale` / `offset` (a number, a list, or a serialized array). */
function rescaleTerm(c: ComputeCall, key: string, fallback: number): Tensor {
  const raw = c.config[key]
  const value = raw === undefined || raw === null ? fallback : numericValue(raw)
  if (value === undefined || (isArray(value) && !allNumbers(value))) throw refuseArgument(c.class_name, key, raw, 'it is not a number or a list of numbers')
  return typeof value === 'number' ? c.tf.scalar(value) : c.tf.tensor(value as number[], undefined, 'float32')
}

function rescaling(c: ComputeCall): ComputeOutput {
  const x = asFloat(c, firstInput(c))
  const y = c.tf.add(c.tf.mul(x, rescaleTerm(c, 'scale', 1)), rescaleTerm(c, 'offset', 0))
  return {outputs: [y], masks: [c.generation === 'keras3' ? c.masks[0] ?? null : null]}
}

/** Compute functions of the geometric image layers. */
export const IMAGE_COMPUTE: ComputeTable = {
  Rescaling: {call: rescaling},
  Resizing: {call: resizing},
  CenterCrop: {call: centerCrop},
  RandomCrop: {call: randomCrop},
}
