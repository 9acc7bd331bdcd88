/**
 * Compute functions of the pooling family, from Keras's semantics (keras/src/layers/pooling, tf_keras/src/layers/
 * pooling): Max/AveragePooling 1D–3D are TensorFlow's max_pool / avg_pool (strides default to the pool size;
 * "same" padding pads evenly, the extra cell after, and an average counts only the cells inside the input),
 * 1D pooling being the 2D kernel over a unit width. Global pooling reduces the spatial axes (`keepdims` keeps
 * them as 1s). GlobalAveragePooling1D consumes a mask: the average over the unmasked steps only (Keras 3 zeroes
 * masked steps with `where`, Keras 2 multiplies by the mask, so a masked NaN / inf propagates only in Keras 2).
 * Keras 3's adaptive pooling is in pooling-adaptive.ts. No pooling layer passes a mask on.
 */
import type {Tensor, Tensor4D, Tensor5D} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import {ADAPTIVE_POOLING_COMPUTE} from './pooling-adaptive.js'
import {inChannelsLast, intTuple, isChannelsFirst, unsupported} from './reshaping-common.js'
import type {ComputeCall, ComputeTable, LayerCompute, RefusalTable} from './types.js'

type Kind = 'max' | 'avg'
type Rank = 1 | 2 | 3

/** `padding` (Keras 1 `border_mode`), lower-cased as TensorFlow's pooling upper-cases it: valid or same. */
function paddingOf(c: ComputeCall): 'valid' | 'same' {
  const key = c.config.padding === undefined && c.config.border_mode !== undefined ? 'border_mode' : 'padding'
  const raw = c.config[key] ?? 'valid'
  const padding = typeof raw === 'string' ? raw.toLowerCase() : raw
  if (padding === 'valid' || padding === 'same') return padding
  throw unsupported(c, key, raw, 'pooling pads "valid" or "same" only')
}

/** Window and strides: `pool_size` (Keras 1 `pool_length`), `strides` (Keras 1 `stride`), None → the window. */
function windowOf(c: ComputeCall, n: Rank, kind: Kind): {pool: number[]; strides: number[]} {
  const cfg = c.config
  const poolKey = cfg.pool_size === undefined && cfg.pool_length !== undefined ? 'pool_length' : 'pool_size'
  if (kind === 'avg' && c.generation === 'keras3' && (cfg[poolKey] === undefined || cfg[poolKey] === null)) {
    throw unsupported(c, 'pool_size', cfg[poolKey], "Keras 3's AveragePooling has no default pool_size")
  }
  const pool = intTuple(c, poolKey, n, Array.from({length: n}, () => 2), {min: 1})
  const strideKey = cfg.strides === undefined && cfg.stride !== undefined ? 'stride' : 'strides'
  const strides = intTuple(c, strideKey, n, pool, {min: 1})
  return {pool, strides}
}

/** TensorFlow's pooling of a channels-last tensor with n spatial axes (1D: the 2D kernel over a unit width). */
function poolLast(tf: Core, x: Tensor, kind: Kind, n: Rank, pool: number[], strides: number[], padding: 'valid' | 'same'): Tensor {
  const at = (values: number[], i: number): number => values[i] ?? 1
  if (n === 3) {
    const window: [number, number, number] = [at(pool, 0), at(pool, 1), at(pool, 2)]
    const steps: [number, number, number] = [at(strides, 0), at(strides, 1), at(strides, 2)]
    const x5 = x as Tensor5D
    return kind === 'max' ? tf.maxPool3d(x5, window, steps, padding) : tf.avgPool3d(x5, window, steps, padding)
  }
  const x4 = (n === 1 ? tf.expandDims(x, 2) : x) as Tensor4D
  const window: [number, number] = [at(pool, 0), n === 1 ? 1 : at(pool, 1)]
  const steps: [number, number] = [at(strides, 0), n === 1 ? 1 : at(strides, 1)]
  const y = kind === 'max' ? tf.maxPool(x4, window, steps, padding) : tf.avgPool(x4, window, steps, padding)
  return n === 1 ? tf.squeeze(y, [2]) : y
}

/** Max/AveragePooling{n}D. */
function pooling(kind: Kind, n: Rank): LayerCompute {
  return {
    call: (c) => {
      const {pool, strides} = windowOf(c, n, kind)
      const padding = paddingOf(c)
      const x = c.inputs[0] as Tensor
      return {outputs: [inChannelsLast(c.tf, x, n, isChannelsFirst(c.config), (t) => poolLast(c.tf, t, kind, n, pool, strides, padding))]}
    },
  }
}

/** The spatial axes of an input of n spatial dims in the layer's data format. */
function spatialAxes(c: ComputeCall, n: Rank): number[] {
  const first = isChannelsFirst(c.config) ? 2 : 1
  return Array.from({length: n}, (_, i) => first + i)
}

/**
 * GlobalAveragePooling1D over the unmasked steps: sum(x · mask) / sum(mask) along the steps axis, the mask
 * broadcast over the features (Keras 3 selects with `where`, Keras 2 multiplies).
 */
function maskedAverage(c: ComputeCall, x: Tensor, mask: Tensor, keepdims: boolean): Tensor {
  const tf = c.tf
  const cf = isChannelsFirst(c.config)
  const steps = cf ? 2 : 1
  const expanded = tf.expandDims(mask, cf ? 1 : 2)
  const weights = tf.cast(expanded, 'float32')
  const kept = c.generation === 'keras3'
    ? tf.where(tf.broadcastTo(tf.cast(expanded, 'bool'), x.shape), x, tf.zerosLike(x))
    : tf.mul(x, weights)
  return tf.div(tf.sum(kept, steps, keepdims), tf.sum(weights, steps, keepdims))
}

/** GlobalMax/AveragePooling{n}D: a max or a mean (sum, then divided by the count) over the spatial axes. */
function globalPooling(kind: Kind, n: Rank): LayerCompute {
  return {
    call: (c) => {
      const tf = c.tf
      const input = c.inputs[0] as Tensor
      const x = kind === 'avg' && input.dtype !== 'float32' ? tf.cast(input, 'float32') : input
      const keepdims = c.config.keepdims === true
      const axes = spatialAxes(c, n)
      if (kind === 'max') return {outputs: [tf.max(x, axes, keepdims)]}
      const mask = c.masks[0]
      if (n === 1 && mask !== null && mask !== undefined) return {outputs: [maskedAverage(c, x, mask, keepdims)]}
      const count = axes.reduce((p, a) => p * (x.shape[a] ?? 1), 1)
      return {outputs: [tf.div(tf.sum(x, axes, keepdims), tf.scalar(count, 'float32'))]}
    },
  }
}

/** Pooling compute functions by class name, every Keras alias spelled out. */
export const POOLING_COMPUTE: ComputeTable = {
  ...Object.fromEntries(([1, 2, 3] as const).flatMap((n) => [
    [`MaxPooling${n}D`, pooling('max', n)],
    [`MaxPool${n}D`, pooling('max', n)],
    [`AveragePooling${n}D`, pooling('avg', n)],
    [`AvgPool${n}D`, pooling('avg', n)],
    [`GlobalMaxPooling${n}D`, globalPooling('max', n)],
    [`GlobalMaxPool${n}D`, globalPooling('max', n)],
    [`GlobalAveragePooling${n}D`, globalPooling('avg', n)],
    [`GlobalAvgPool${n}D`, globalPooling('avg', n)],
  ])),
  ...ADAPTIVE_POOLING_COMPUTE,
}

/** Pooling classes kmodel refuses: none. */
export const POOLING_REFUSED: RefusalTable = {}
