/**
 * Hashing and HashedCrossing on integer inputs, bit for bit as TensorFlow hashes them.
 *
 * Hashing: each value is written in decimal (`tf.as_string`; Keras 3 first truncates floats to int64, tf-keras
 * refuses them) and hashed with Fingerprint64 (`to_hash_bucket_fast`) or, with a `salt`, SipHash-2-4 keyed by
 * the salt pair (`to_hash_bucket_strong`), modulo `num_bins`; with a `mask_value`, that value gets bin 0 and
 * the others are hashed into bins 1 … num_bins − 1. HashedCrossing: per row, FingerprintCat64 chained from
 * 0xDECAFCAFFE over the inputs' int64 values (`tf.sparse.cross_hashed`), modulo `num_bins`. Both then encode
 * like CategoryEncoding. String inputs never reach kmodel (its tensors are numeric).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {isArray, isInt} from '../json.js'
import {int} from '../layers/config.js'
import {asUint64, fingerprint64, fingerprintCat64, sipHash24} from './preprocessing-fingerprint.js'
import {encodeIds, encodeMode} from './preprocessing-categorical.js'
import {firstInput, refuseArgument, refuseInput} from './preprocessing-common.js'
import type {ComputeCall, ComputeOutput, ComputeTable} from './types.js'

const INT64_LIMIT = 2 ** 63

/** A salt of `to_hash_bucket_strong` (an int or a pair), or null for the fast hash. */
export function saltOf(c: ComputeCall): [bigint, bigint] | null {
  const s = c.config.salt
  if (s === undefined || s === null) return null
  if (isInt(s)) return [asUint64(BigInt(s)), asUint64(BigInt(s))]
  if (isArray(s) && s.length === 2 && s.every(isInt)) return [asUint64(BigInt(s[0] as number)), asUint64(BigInt(s[1] as number))]
  throw refuseArgument(c.class_name, 'salt', s, 'Keras takes an integer or a pair of integers')
}

/** The input's values as decimal integers (Keras 3 truncates floats to int64; tf-keras hashes integer tensors only). */
export function integerValues(c: ComputeCall, x: Tensor, allowFloat: boolean): bigint[] {
  if (x.dtype !== 'int32' && !allowFloat) throw refuseInput(c.class_name, `the input is ${x.dtype}; this Keras version hashes integer (or string) tensors only.`)
  return Array.from(x.dataSync(), (v) => {
    if (!Number.isFinite(v) || Math.abs(v) >= INT64_LIMIT) throw refuseInput(c.class_name, `the value ${v} has no int64 value to hash.`)
    return BigInt(Math.trunc(v))
  })
}

/** `to_hash_bucket_fast` / `to_hash_bucket_strong` of the decimal strings of `values`, into `bins` buckets. */
export function hashBuckets(values: readonly bigint[], bins: number, salt: [bigint, bigint] | null): number[] {
  const n = BigInt(bins)
  return values.map((v) => Number((salt === null ? fingerprint64(v.toString()) : sipHash24(salt, v.toString())) % n))
}

function hashing(c: ComputeCall): ComputeOutput {
  const mode = encodeMode(c, 'int')
  const bins = int(c.config, 'num_bins', 0)
  if (bins < 1) throw refuseArgument(c.class_name, 'num_bins', c.config.num_bins, 'Keras needs num_bins ≥ 1')
  let x = firstInput(c)
  if (c.generation === 'keras3' && mode === 'one_hot' && x.shape[x.rank - 1] === 1) x = c.tf.squeeze(x, [x.rank - 1])
  const mask = c.config.mask_value
  if (mask !== undefined && mask !== null && typeof mask !== 'number') throw refuseArgument(c.class_name, 'mask_value', mask, 'a string mask value needs string inputs, which kmodel does not compute')
  const masked = typeof mask === 'number' && bins > 1
  const raw = Array.from(x.dataSync())
  const buckets = hashBuckets(integerValues(c, x, c.generation === 'keras3'), masked ? bins - 1 : bins, saltOf(c))
  const ids = masked ? buckets.map((b, i) => (raw[i] === mask ? 0 : b + 1)) : buckets
  return {outputs: [encodeIds(c, c.tf.tensor(ids, x.shape, 'int32'), mode, bins)]}
}

function hashedCrossing(c: ComputeCall): ComputeOutput {
  const mode = encodeMode(c, 'int')
  const bins = int(c.config, 'num_bins', 0)
  if (bins < 1) throw refuseArgument(c.class_name, 'num_bins', c.config.num_bins, 'Keras needs num_bins ≥ 1')
  const xs = c.inputs
  const first = xs[0]
  if (first === undefined || xs.length < 2) throw refuseInput(c.class_name, 'HashedCrossing needs at least two inputs.')
  const shape = first.shape
  if (first.rank > 2 || (first.rank === 2 && shape[1] !== 1) || xs.some((t) => t.shape.join() !== shape.join())) {
    throw refuseInput(c.class_name, 'all inputs must have the same shape (), (batch_size) or (batch_size, 1), as Keras requires.')
  }
  const columns = xs.map((t) => integerValues(c, t, false))
  const n = BigInt(bins)
  const ids = (columns[0] ?? []).map((_, row) => Number(columns.reduce((h, col) => fingerprintCat64(h, asUint64(col[row] ?? 0n)), 0xdecafcaffen) % n))
  return {outputs: [encodeIds(c, c.tf.tensor(ids, shape, 'int32'), mode, bins)]}
}

/** Compute functions of Hashing and HashedCrossing. */
export const HASHING_COMPUTE: ComputeTable = {
  Hashing: {call: hashing},
  HashedCrossing: {call: hashedCrossing},
}
