/**
 * `tf.image.resize` (TensorFlow 2's resize_images_v2, which Keras's Resizing, CenterCrop, RandomCrop,
 * smart_resize and UpSampling2D call) computed as TensorFlow's CPU kernels compute it: the float32 taps of
 * image-resize-kernels.ts applied in the kernels' order of operations:
 *
 * - `bilinear`: ResizeBilinear (half-pixel centers), lerping along the width then the height;
 * - `nearest`: ResizeNearestNeighbor (half-pixel centers), a gather, so the input dtype is kept;
 * - `bicubic`: ResizeBicubic (Keys' cubic, a = −0.5), four taps along the height then the width;
 * - `area`: ResizeArea, summed along the width, then the height, then scaled by 1 / (scale_h · scale_w);
 * - `lanczos3`, `lanczos5`, `gaussian`, `mitchellcubic`, and `bilinear` / `bicubic` with antialias (the
 *   triangle / Keys cubic kernels): ScaleAndTranslate along the height then the width, its kernel widened by
 *   in/out when antialiasing a downscale.
 *
 * Every method but `nearest` returns float32, as TensorFlow does. This is kmodel's one tf.image.resize;
 * callers keep their own Keras-level rules (crop / pad to aspect ratio, int rounding, UpSampling2D's methods).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import {type AxisLerp, type AxisTaps, SAMPLING_KERNELS, type SamplingKernel, areaNorm, areaTaps, bicubicTaps, bilinearTaps, nearestIndices, scaleTranslateTaps} from './image-resize-kernels.js'

/** The interpolations tf.image.resize knows (ResizeMethod values). */
export const RESIZE_METHODS = ['bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'lanczos5', 'gaussian', 'mitchellcubic'] as const
/** One of RESIZE_METHODS. */
export type ResizeMethod = typeof RESIZE_METHODS[number]

/** A per-output-position vector shaped to broadcast along `axis` of a rank-4 tensor. */
function along(tf: Core, values: number[], axis: number): Tensor {
  const shape = [1, 1, 1, 1]
  shape[axis] = values.length
  return tf.tensor(values, shape, 'float32')
}

const indexTensor = (tf: Core, indices: number[]): Tensor => tf.tensor1d(indices, 'int32')

/** Σ_t w_t · x[idx_t] along `axis`, accumulated tap by tap in float32. */
function applyTaps(tf: Core, x: Tensor, axis: number, taps: AxisTaps): Tensor {
  let acc: Tensor | undefined
  taps.indices.forEach((indices, t) => {
    const term = tf.mul(tf.gather(x, indexTensor(tf, indices), axis), along(tf, taps.weights[t] ?? [], axis))
    acc = acc === undefined ? term : tf.add(acc, term)
  })
  return acc ?? x
}

/** a + (b − a) · t along `axis` (TensorFlow's bilinear lerp). */
function applyLerp(tf: Core, x: Tensor, axis: number, lerp: AxisLerp): Tensor {
  const a = tf.gather(x, indexTensor(tf, lerp.lower), axis)
  const b = tf.gather(x, indexTensor(tf, lerp.upper), axis)
  return tf.add(a, tf.mul(tf.sub(b, a), along(tf, lerp.lerp, axis)))
}

/** The ScaleAndTranslate kernel of a method: its own, or triangle / keyscubic for antialiased bilinear / bicubic. */
function samplingKernel(method: ResizeMethod): SamplingKernel {
  const name = method === 'bilinear' ? 'triangle' : method === 'bicubic' ? 'keyscubic' : method
  const kernel = SAMPLING_KERNELS[name]
  if (kernel === undefined) throw new Error(`no resize kernel ${method}`)
  return kernel
}

/**
 * tf.image.resize of a channels-last batch (B, H, W, C) to (height, width) with `method` and `antialias`
 * (antialias changes bilinear, bicubic and the ScaleAndTranslate kernels only, as in TensorFlow).
 */
export function resizeImages(tf: Core, images: Tensor, height: number, width: number, method: ResizeMethod, antialias = false): Tensor {
  const [inH, inW] = [images.shape[1] ?? 1, images.shape[2] ?? 1]
  if (method === 'nearest') {
    const rows = tf.gather(images, indexTensor(tf, nearestIndices(inH, height)), 1)
    return tf.gather(rows, indexTensor(tf, nearestIndices(inW, width)), 2)
  }
  const x = images.dtype === 'float32' ? images : tf.cast(images, 'float32')
  if (method === 'bilinear' && !antialias) return applyLerp(tf, applyLerp(tf, x, 2, bilinearTaps(inW, width)), 1, bilinearTaps(inH, height))
  if (method === 'bicubic' && !antialias) return applyTaps(tf, applyTaps(tf, x, 1, bicubicTaps(inH, height)), 2, bicubicTaps(inW, width))
  if (method === 'area') {
    const summed = applyTaps(tf, applyTaps(tf, x, 2, areaTaps(inW, width)), 1, areaTaps(inH, height))
    return tf.mul(summed, tf.scalar(areaNorm(inH, height, inW, width), 'float32'))
  }
  const kernel = samplingKernel(method)
  return applyTaps(tf, applyTaps(tf, x, 1, scaleTranslateTaps(kernel, inH, height, antialias)), 2, scaleTranslateTaps(kernel, inW, width, antialias))
}
