/**
 * Keras 3's adaptive pooling (AdaptiveMax/AveragePooling 1D–3D, `output_size` fixed, keras/src/backend/{tensorflow,jax}/nn.py):
 * along each spatial axis of length L, output i pools the window starting at floor(i·L/out) whose length is
 * ceil((i+1)·L/out) − start — always ceil(L/out) or one more, which is exactly Keras's "two-pool gather" (a
 * window of the small and one of the big size at every offset, the right one picked per output). Averages are
 * the window sum divided by its length; axes are pooled one after the other (separable, as Keras does).
 *
 * Where the big window is longer than the axis (output_size 1, or an axis of length 1), Keras 3's TensorFlow
 * kernel dies with a floating-point exception; its JAX and PyTorch backends compute these windows, and so
 * does kmodel.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import {inChannelsLast, intTuple, isChannelsFirst, unsupported} from './reshaping-common.js'
import type {ComputeCall, ComputeTable, LayerCompute} from './types.js'

type Kind = 'max' | 'avg'

/** One output position along an axis: the first input index of its window and the window's length. */
export interface AdaptiveWindow {
  start: number
  size: number
}

/** The windows of adaptive pooling from `length` input steps to `outSize` outputs, as Keras picks them. */
export function adaptiveWindows(length: number, outSize: number): AdaptiveWindow[] {
  const small = Math.ceil(length / outSize)
  return Array.from({length: outSize}, (_, i) => {
    const start = Math.min(Math.floor((i * length) / outSize), length - 1)
    const end = Math.min(Math.ceil(((i + 1) * length) / outSize), length)
    return {start, size: end - start === small + 1 ? small + 1 : small}
  })
}

/** Pools one axis of `x` to `outSize` entries. */
function poolAxis(tf: Core, x: Tensor, axis: number, outSize: number, kind: Kind): Tensor {
  const length = x.shape[axis] ?? 1
  const parts = adaptiveWindows(length, outSize).map(({start, size}) => {
    const begin = x.shape.map((_, i) => (i === axis ? start : 0))
    const extent = x.shape.map((d, i) => (i === axis ? size : d))
    const window = tf.slice(x, begin, extent)
    return kind === 'max' ? tf.max(window, axis, true) : tf.div(tf.sum(window, axis, true), tf.scalar(size, 'float32'))
  })
  return parts.length === 1 ? (parts[0] as Tensor) : tf.concat(parts, axis)
}

/** Adaptive{Max,Average}Pooling{n}D. */
function adaptive(kind: Kind, n: 1 | 2 | 3): LayerCompute {
  return {
    call: (c: ComputeCall) => {
      if (c.config.output_size === undefined || c.config.output_size === null) throw unsupported(c, 'output_size', c.config.output_size, 'Keras requires an output size')
      const sizes = intTuple(c, 'output_size', n, [], {min: 1})
      const input = c.inputs[0] as Tensor
      const x = kind === 'avg' && input.dtype !== 'float32' ? c.tf.cast(input, 'float32') : input
      const pooled = inChannelsLast(c.tf, x, n, isChannelsFirst(c.config), (t) =>
        sizes.reduce((acc, size, i) => poolAxis(c.tf, acc, i + 1, size, kind), t),
      )
      return {outputs: [pooled]}
    },
  }
}

/** Adaptive pooling compute functions by class name. */
export const ADAPTIVE_POOLING_COMPUTE: ComputeTable = Object.fromEntries(
  ([1, 2, 3] as const).flatMap((n) => [
    [`AdaptiveMaxPooling${n}D`, adaptive('max', n)],
    [`AdaptiveAveragePooling${n}D`, adaptive('avg', n)],
  ]),
)
