/**
 * Cropping / ZeroPadding / UpSampling in 1, 2 and 3 spatial dimensions, from Keras's semantics: Cropping slices
 * `x[start : -end]` per axis with Python's slice rules (an end of 0 keeps the axis to its end), ZeroPadding pads
 * zeros before and after each axis (TensorFlow refuses negative amounts, and so does kmodel), UpSampling1D/3D
 * repeat every step `size` times (nearest neighbour), UpSampling2D resizes with the interpolation named
 * (reshaping-resize.ts, over image-resize.ts). The 1D layers read no `data_format`, except Keras 3's ZeroPadding1D.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {type Json, isArray} from '../json.js'
import {inChannelsLast, intTuple, isChannelsFirst, repeatAxis, unsupported} from './reshaping-common.js'
import {upSampleImages} from './reshaping-resize.js'
import type {ComputeCall, ComputeTable, LayerCompute} from './types.js'

type Rank = 1 | 2 | 3
type Pair = [number, number]

/** Keras's default amounts: Cropping1D (1, 1), Cropping2D none, Cropping3D and every ZeroPadding 1 per side. */
const DEFAULTS: Record<'cropping' | 'padding', Record<Rank, number>> = {cropping: {1: 1, 2: 0, 3: 1}, padding: {1: 1, 2: 1, 3: 1}}

const numberOf = (v: Json | undefined): number | undefined => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined)

/** One axis's `[before, after]`: an int (both sides) or a pair. */
function pairOf(v: Json | undefined): Pair | undefined {
  const one = numberOf(v)
  if (one !== undefined) return [one, one]
  const [a, b] = isArray(v) && v.length === 2 ? [numberOf(v[0]), numberOf(v[1])] : []
  return a !== undefined && b !== undefined ? [a, b] : undefined
}

/**
 * `cropping` / `padding` as `[before, after]` per spatial axis: an int for every side, `(a, b)` (1D), or a list
 * of n ints (symmetric per axis) or pairs. Keras 1's 4-tuples and dicts are refused, as are fractions.
 */
function amounts(c: ComputeCall, key: 'cropping' | 'padding', n: Rank): Pair[] {
  const raw = c.config[key]
  if (raw === undefined || raw === null) return Array.from({length: n}, () => [DEFAULTS[key][n], DEFAULTS[key][n]])
  const whole = numberOf(raw)
  const pairs = whole !== undefined ? Array.from({length: n}, () => pairOf(whole)) : n === 1 ? [pairOf(raw)] : isArray(raw) && raw.length === n ? raw.map(pairOf) : []
  if (pairs.length !== n || pairs.some((p) => p === undefined)) throw unsupported(c, key, raw, `an integer, or ${n === 1 ? 'a pair' : `a list of ${n} integers or pairs`} of integers is expected`)
  const out = pairs as Pair[]
  if (out.flat().some((v) => !Number.isInteger(v))) throw unsupported(c, key, raw, 'Keras needs whole numbers here')
  return out
}

/** `len(range(d)[start:stop])` and its first index, by Python's slice rules. */
function pySlice(d: number, start: number, stop: number): {begin: number; size: number} {
  const clamp = (i: number): number => (i < 0 ? Math.max(i + d, 0) : Math.min(i, d))
  const begin = clamp(start)
  return {begin, size: Math.max(clamp(stop) - begin, 0)}
}

/** Cropping{n}D: `x[:, a0:-b0, a1:-b1, …]` (`b = 0` keeps to the end) in the layer's data format. */
function cropping(n: Rank): LayerCompute {
  return {
    call: (c) => {
      const pairs = amounts(c, 'cropping', n)
      if (c.generation === 'keras3' && pairs.flat().some((v) => v < 0)) throw unsupported(c, 'cropping', c.config.cropping, 'Keras 3 takes non-negative amounts only')
      const x = c.inputs[0] as Tensor
      const cf = n > 1 && isChannelsFirst(c.config)
      const first = cf ? 2 : 1
      const begin = x.shape.map(() => 0)
      const size = [...x.shape]
      pairs.forEach(([a, b], i) => {
        const d = x.shape[first + i] ?? 0
        const s = pySlice(d, a, b === 0 ? d : -b)
        begin[first + i] = s.begin
        size[first + i] = s.size
      })
      return {outputs: [c.tf.slice(x, begin, size)]}
    },
  }
}

/** ZeroPadding{n}D: zeros before and after each spatial axis. */
function zeroPadding(n: Rank): LayerCompute {
  return {
    call: (c) => {
      const pairs = amounts(c, 'padding', n)
      if (pairs.flat().some((v) => v < 0)) throw unsupported(c, 'padding', c.config.padding, 'TensorFlow pads by non-negative amounts only')
      const x = c.inputs[0] as Tensor
      const cf = (n > 1 || c.generation === 'keras3') && isChannelsFirst(c.config)
      const spec: Pair[] = cf ? [[0, 0], [0, 0], ...pairs] : [[0, 0], ...pairs, [0, 0]]
      return {outputs: [c.tf.pad(x, spec)]}
    },
  }
}

/** UpSampling1D: every step repeated `size` times (Keras 1 `length`; tf-keras casts `int(size)`). */
const upSampling1D: LayerCompute = {
  call: (c) => {
    const key = c.config.size === undefined && c.config.length !== undefined ? 'length' : 'size'
    const [k] = intTuple(c, key, 1, [2], {min: 1, truncate: c.generation === 'keras2'})
    return {outputs: [repeatAxis(c.tf, c.inputs[0] as Tensor, k ?? 2, 1)]}
  },
}

/** UpSampling3D: every voxel repeated `size` times along depth, height and width. */
const upSampling3D: LayerCompute = {
  call: (c) => {
    const sizes = intTuple(c, 'size', 3, [2, 2, 2], {min: 1})
    const first = isChannelsFirst(c.config) ? 2 : 1
    const y = sizes.reduce((acc, k, i) => repeatAxis(c.tf, acc, k, first + i), c.inputs[0] as Tensor)
    return {outputs: [y]}
  },
}

/** UpSampling2D: resize by integer factors with `interpolation` (tf-keras truncates fractional factors). */
const upSampling2D: LayerCompute = {
  call: (c) => {
    const [h, w] = intTuple(c, 'size', 2, [2, 2], {min: 1, truncate: c.generation === 'keras2'})
    const raw = c.config.interpolation ?? 'nearest'
    if (typeof raw !== 'string') throw unsupported(c, 'interpolation', raw, 'a string is expected')
    const method = raw.toLowerCase()
    const x = c.inputs[0] as Tensor
    const y = inChannelsLast(c.tf, x, 2, isChannelsFirst(c.config), (t) => upSampleImages(c, t, h ?? 2, w ?? 2, method))
    return {outputs: [y]}
  },
}

/** The spatial reshaping compute functions by class name. */
export const SPATIAL_RESHAPING_COMPUTE: ComputeTable = {
  ...Object.fromEntries(([1, 2, 3] as const).flatMap((n) => [
    [`Cropping${n}D`, cropping(n)],
    [`ZeroPadding${n}D`, zeroPadding(n)],
  ])),
  UpSampling1D: upSampling1D,
  UpSampling2D: upSampling2D,
  UpSampling3D: upSampling3D,
}
