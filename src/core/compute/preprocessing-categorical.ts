/**
 * CategoryEncoding and Discretization, and the categorical encoding shared with the lookup and hashing layers
 * (Keras's `encode_categorical_inputs`): `one_hot` adds a depth axis (replacing a last axis of 1); `multi_hot`
 * and `count` count the values of each row (a rank-1 input is counted as one row, as Keras does) into `depth`
 * bins, values at or past `depth` falling outside. Inputs are truncated to integers as Keras casts them.
 * Discretization buckets each value by its float32 bin boundaries (the number of boundaries ≤ the value,
 * NaN past the last, as TensorFlow's Bucketize).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {isArray} from '../json.js'
import {int, str} from '../layers/config.js'
import {firstInput, refuseArgument, refuseInput} from './preprocessing-common.js'
import type {ComputeCall, ComputeOutput, ComputeTable} from './types.js'

/** An output mode of the categorical layers (`binary` is Keras's old name of `multi_hot`). */
export type EncodeMode = 'int' | 'one_hot' | 'multi_hot' | 'count'

/** The output_mode of a categorical layer, normalized; a mode the class does not know is refused. */
export function encodeMode(c: ComputeCall, fallback: EncodeMode, extra: readonly string[] = []): string {
  const raw = str(c.config, 'output_mode', fallback)
  const mode = raw === 'binary' ? 'multi_hot' : raw === 'tf-idf' ? 'tf_idf' : raw
  if (!['int', 'one_hot', 'multi_hot', 'count', ...extra].includes(mode)) throw refuseArgument(c.class_name, 'output_mode', raw, 'Keras raises on this output mode')
  if (mode !== 'int' && c.config.sparse === true) throw refuseArgument(c.class_name, 'sparse', true, 'the output is a SparseTensor; kmodel computes dense tensors only')
  return mode
}

/** The smallest value of an integer tensor (read back to check what Keras's kernels reject). */
const minOf = (c: ComputeCall, x: Tensor): number => (x.size === 0 ? 0 : c.tf.min(x).dataSync()[0] ?? 0)

/** bincount of each row (tf.math.bincount axis=-1), minlength = maxlength = depth; `weights` weighs `count`. */
function bincount(c: ComputeCall, ids: Tensor, depth: number, binary: boolean, weights?: Tensor): Tensor {
  const tf = c.tf
  if (minOf(c, ids) < 0) throw refuseInput(c.class_name, 'an input value is negative; Keras\'s bincount raises "Input arr must be non-negative".')
  let hot = tf.oneHot(ids, depth, 1, 0, 'float32')
  if (weights !== undefined) hot = tf.mul(hot, tf.expandDims(tf.cast(weights, 'float32'), -1))
  const axis = ids.rank === 1 ? 0 : ids.rank - 1
  return binary ? tf.max(hot, axis) : tf.sum(hot, axis)
}

/**
 * encode_categorical_inputs of integer ids (int32) into `mode` with `depth` bins, per generation. Keras 3 counts
 * rank ≤ 2 inputs per row but a higher rank along axis 1, unlike its declared shape: refused. tf-keras refuses
 * encoded outputs of rank > 2 (as kmodel's shape rule does).
 */
export function encodeIds(c: ComputeCall, ids: Tensor, mode: string, depth: number, weights?: Tensor): Tensor {
  const tf = c.tf
  if (mode === 'int') return ids
  if (c.generation === 'keras3' && mode === 'one_hot') {
    const squeezed = ids.rank > 1 && ids.shape[ids.rank - 1] === 1 ? tf.squeeze(ids, [ids.rank - 1]) : ids
    return tf.oneHot(squeezed, depth, 1, 0, 'float32')
  }
  const rows = mode === 'one_hot' && ids.shape[ids.rank - 1] !== 1 ? tf.expandDims(ids, -1) : ids
  if (rows.rank > 2) {
    throw refuseArgument(c.class_name, 'output_mode', mode, c.generation === 'keras3'
      ? `an input of rank ${ids.rank}: Keras 3 counts it along axis 1, not the last axis its output shape declares`
      : `an input of rank ${ids.rank}: tf-keras raises "maximum supported output rank is 2"`)
  }
  return bincount(c, rows, depth, mode !== 'count', weights)
}

/** The input as int32 ids, truncated toward zero as Keras's integer cast does. */
export function asIds(c: ComputeCall, x: Tensor): Tensor {
  return x.dtype === 'int32' ? x : c.tf.cast(x, 'int32')
}

function categoryEncoding(c: ComputeCall): ComputeOutput {
  const mode = encodeMode(c, 'multi_hot')
  if (mode === 'int') throw refuseArgument(c.class_name, 'output_mode', 'int', 'CategoryEncoding has no int mode')
  const depth = int(c.config, 'num_tokens', 0)
  if (depth < 1) throw refuseArgument(c.class_name, 'num_tokens', c.config.num_tokens, 'Keras needs num_tokens ≥ 1')
  const x = firstInput(c)
  const weights = c.kwargs.count_weights
  if (weights !== undefined && mode !== 'count') throw refuseArgument(c.class_name, 'count_weights', null, 'Keras raises when count_weights is passed outside count mode')
  if (c.generation === 'keras2' && x.size > 0) {
    const [lo, hi] = [c.tf.min(x).dataSync()[0] ?? 0, c.tf.max(x).dataSync()[0] ?? 0]
    if (lo < 0 || hi >= depth) throw refuseInput(c.class_name, `Input values must be in the range 0 <= values < num_tokens with num_tokens=${depth} (tf-keras asserts it); received values from ${lo} to ${hi}.`)
  }
  return {outputs: [encodeIds(c, asIds(c, x), mode, depth, weights)]}
}

/** TensorFlow's Bucketize: per value, how many float32 boundaries are ≤ it (NaN: all of them). */
function bucketize(c: ComputeCall, x: Tensor, boundaries: number[]): Tensor {
  const tf = c.tf
  const v = x.dtype === 'float32' ? x : tf.cast(x, 'float32')
  if (boundaries.length === 0) return tf.zerosLike(tf.cast(v, 'int32'))
  const b = tf.tensor1d(boundaries, 'float32')
  const count = tf.sum(tf.cast(tf.greaterEqual(tf.expandDims(v, -1), b), 'int32'), -1)
  return tf.where(tf.isNaN(v), tf.fill(v.shape, boundaries.length, 'int32'), count)
}

function discretization(c: ComputeCall): ComputeOutput {
  const raw = c.config.bin_boundaries
  if (!isArray(raw) || !raw.every((v) => typeof v === 'number')) {
    const reason = c.generation === 'keras2'
      ? 'the bin boundaries were learned by adapt() and live in the layer\'s summary weight, which kmodel does not read'
      : 'the layer has no bin boundaries (Keras raises until adapt() is called)'
    throw refuseArgument(c.class_name, 'bin_boundaries', raw ?? null, reason)
  }
  const boundaries = raw as number[]
  const mode = encodeMode(c, 'int')
  return {outputs: [encodeIds(c, bucketize(c, firstInput(c), boundaries), mode, boundaries.length + 1)]}
}

/** Compute functions of CategoryEncoding and Discretization. */
export const CATEGORICAL_COMPUTE: ComputeTable = {
  CategoryEncoding: {call: categoryEncoding},
  Discretization: {call: discretization},
}
