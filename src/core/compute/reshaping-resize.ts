/**
 * UpSampling2D's resize of a channels-last batch by integer factors, per Keras generation:
 * - Keras 3 (`UpSampling2D._resize_images`): "nearest" repeats rows and columns; "bilinear", "bicubic",
 *   "lanczos3", "lanczos5" and "area" call `tf.image.resize` (no antialiasing); any other name raises.
 * - Keras 2 (`backend.resize_images`): every method goes through `tf.image.resize` — the six above plus
 *   "gaussian" and "mitchellcubic"; "nearest" is TensorFlow's half-pixel nearest neighbour.
 * The resize itself is kmodel's one tf.image.resize (image-resize.ts).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {type ResizeMethod, resizeImages} from './image-resize.js'
import {repeatAxis, unsupported} from './reshaping-common.js'
import type {ComputeCall} from './types.js'

const KERAS3_METHODS: readonly ResizeMethod[] = ['nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5', 'area']
const KERAS2_METHODS: readonly ResizeMethod[] = [...KERAS3_METHODS, 'gaussian', 'mitchellcubic']

/**
 * UpSampling2D of a channels-last batch by (h, w) with `method` (lower-cased), as the call's Keras generation
 * computes it; an interpolation that generation does not know is refused.
 */
export function upSampleImages(c: ComputeCall, x: Tensor, h: number, w: number, method: string): Tensor {
  const tf = c.tf
  const known = c.generation === 'keras3' ? KERAS3_METHODS : KERAS2_METHODS
  const resize = known.find((m) => m === method)
  if (resize === undefined) {
    throw unsupported(c, 'interpolation', c.config.interpolation, `${c.generation === 'keras3' ? 'Keras 3' : 'Keras 2'} resizes with ${known.map((m) => `"${m}"`).join(', ')} only`)
  }
  if (c.generation === 'keras3' && resize === 'nearest') return repeatAxis(tf, repeatAxis(tf, x, h, 1), w, 2)
  // Kept from the former UpSampling2D resize: a bilinear resize to the same size returns the input as is.
  if (resize === 'bilinear' && h === 1 && w === 1) return x.dtype === 'float32' ? x : tf.cast(x, 'float32')
  return resizeImages(tf, x, (x.shape[1] ?? 1) * h, (x.shape[2] ?? 1) * w, resize)
}
