/**
 * Compute functions of the reshaping family, from Keras's semantics (keras/src/layers/reshaping, tf_keras/src/
 * layers/reshaping): Reshape (row-major, one -1 inferred), Flatten (channels_first input is first moved to
 * channels-last, so the flat order is Keras's whatever the format), Permute, RepeatVector, and the spatial layers
 * of reshaping-spatial.ts (Cropping / ZeroPadding / UpSampling 1D–3D). None of them passes a mask on: in both
 * generations these classes do not support masking, so a mask stops at them.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {isArray} from '../json.js'
import {isChannelsFirst, toChannelsLast, unsupported} from './reshaping-common.js'
import {SPATIAL_RESHAPING_COMPUTE} from './reshaping-spatial.js'
import type {ComputeCall, ComputeTable, LayerCompute, RefusalTable} from './types.js'

const input = (c: ComputeCall): Tensor => c.inputs[0] as Tensor

/** Reshape: `x.reshape((batch,) + target_shape)`, a single -1 (Keras 3 also None) inferred from the size. */
const reshape: LayerCompute = {
  call: (c) => {
    const key = c.config.target_shape === undefined && c.config.dims !== undefined ? 'dims' : 'target_shape'
    const raw = c.config[key]
    if (!isArray(raw)) throw unsupported(c, key, raw, 'a list of integers is expected')
    const target = raw.map((d) => (d === null ? -1 : typeof d === 'boolean' ? Number(d) : d))
    if (!target.every((d): d is number => typeof d === 'number' && Number.isInteger(d) && d >= -1)) throw unsupported(c, key, raw, 'every entry must be a non-negative integer or -1')
    if (target.filter((d) => d === -1).length > 1) throw unsupported(c, key, raw, 'at most one entry can be inferred (-1)')
    const x = input(c)
    const known = target.filter((d) => d >= 0).reduce((a, b) => a * b, 1)
    const size = x.shape.slice(1).reduce((a, b) => a * b, 1)
    const fits = target.includes(-1) ? known !== 0 && size % known === 0 : known === size
    if (!fits) throw unsupported(c, key, raw, `the input's ${size} values per sample cannot take this shape`)
    return {outputs: [c.tf.reshape(x, [x.shape[0] ?? -1, ...target])]}
  },
}

/** Flatten: (batch, everything else) in row-major order, after moving channels last for channels_first. */
const flatten: LayerCompute = {
  call: (c) => {
    const x = input(c)
    const rank = x.shape.length
    if (rank === 0) throw unsupported(c, 'input', null, 'Flatten needs an input with a batch axis')
    const last = isChannelsFirst(c.config) && rank > 2 ? toChannelsLast(c.tf, x, rank - 2) : x
    const rest = x.shape.slice(1).reduce((a, b) => a * b, 1)
    return {outputs: [c.tf.reshape(last, [x.shape[0] ?? -1, rest])]}
  },
}

/** Permute: `transpose(x, (0,) + dims)` with `dims` a permutation of 1…n. */
const permute: LayerCompute = {
  call: (c) => {
    const dims = c.config.dims
    const x = input(c)
    const n = x.shape.length - 1
    const valid = isArray(dims) && dims.length === n && [...dims].map(Number).sort((a, b) => a - b).every((d, i) => d === i + 1)
    if (!valid) throw unsupported(c, 'dims', dims, `a permutation of 1…${n} (the input axes after the batch axis) is expected`)
    return {outputs: [c.tf.transpose(x, [0, ...dims.map(Number)])]}
  },
}

/** RepeatVector: (batch, features) → (batch, n, features), the vector repeated n times. */
const repeatVector: LayerCompute = {
  call: (c) => {
    const n = c.config.n ?? 1
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw unsupported(c, 'n', n, 'a non-negative integer is expected')
    const x = input(c)
    if (x.shape.length !== 2) throw unsupported(c, 'input', x.shape, 'RepeatVector takes (batch, features) inputs')
    return {outputs: [c.tf.tile(c.tf.expandDims(x, 1), [1, n, 1])]}
  },
}

/** Reshaping compute functions by class name. */
export const RESHAPING_COMPUTE: ComputeTable = {
  Reshape: reshape,
  Flatten: flatten,
  Permute: permute,
  RepeatVector: repeatVector,
  ...SPATIAL_RESHAPING_COMPUTE,
}

/** Reshaping classes kmodel refuses: none. */
export const RESHAPING_REFUSED: RefusalTable = {}
