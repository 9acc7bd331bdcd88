/**
 * IntegerLookup with its vocabulary in the config (Keras's IndexLookup over int64 keys). Indices: the mask
 * index 0 when a `mask_token` is set and the output is `int`, then `num_oov_indices` OOV indices, then the
 * vocabulary in order (a vocabulary that starts with those special tokens has them stripped first). A value
 * not in the vocabulary gets the single OOV index, or with several OOV indices `floormod(value, n)` (Keras 3's
 * `oov_method="farmhash"`: the decimal string hashed as Hashing does); with none, Keras raises. The mask
 * token maps to 0 (`int`) or to no bin (encodings). `invert` maps indices back to tokens (the OOV token for an
 * unknown index, the mask token for 0). `one_hot` / `multi_hot` / `count` / `tf_idf` encode the indices over
 * the vocabulary size (or `max_tokens` when padded), `tf_idf` weighting the counts by the configured
 * `idf_weights` (padded as Keras pads them). A vocabulary kept only in an asset file or the layer's weights
 * (an adapted layer) is refused: kmodel reads configs, not assets.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {type Json, isArray, isInt} from '../json.js'
import {bool, int, str} from '../layers/config.js'
import {encodeIds, encodeMode} from './preprocessing-categorical.js'
import {firstInput, refuseArgument, refuseInput} from './preprocessing-common.js'
import {hashBuckets, integerValues, saltOf} from './preprocessing-hashing.js'
import type {ComputeCall, ComputeOutput, ComputeTable} from './types.js'

/** The lookup settings read from the config. */
interface Lookup {
  mode: string
  mask: number | null
  oov: number
  numOov: number
  tokens: number[]
  /** Whether the vocabulary listed the special tokens first (they are stripped). */
  withSpecials: boolean
  oovStart: number
  tokenStart: number
}

/** A config value under its current name or tf-keras's deprecated one (`mask_value`, `oov_value`). */
const either = (c: ComputeCall, key: string, legacy: string): Json | undefined => (c.config[key] !== undefined ? c.config[key] : c.config[legacy])

function optionalInt(c: ComputeCall, key: string, legacy: string, fallback: number | null): number | null {
  const v = either(c, key, legacy)
  if (v === undefined) return fallback
  if (v === null || isInt(v)) return v
  throw refuseArgument(c.class_name, key, v, 'IntegerLookup takes an integer here')
}

function readLookup(c: ComputeCall): Lookup {
  const mode = encodeMode(c, 'int', ['tf_idf'])
  const vocab = c.config.vocabulary
  if (!isArray(vocab) || !vocab.every(isInt)) {
    const reason = typeof vocab === 'string'
      ? 'the vocabulary is a file path; kmodel reads vocabularies from the config only'
      : 'the vocabulary is not in the config (an adapted layer keeps it in an asset file or the layer\'s weights), so kmodel cannot compute the lookup'
    throw refuseArgument(c.class_name, 'vocabulary', typeof vocab === 'string' ? vocab : null, reason)
  }
  const mask = optionalInt(c, 'mask_token', 'mask_value', null)
  const numOov = int(c.config, 'num_oov_indices', 1)
  const oovStart = mask !== null && mode === 'int' ? 1 : 0
  const tokenStart = oovStart + numOov
  const oov = optionalInt(c, 'oov_token', 'oov_value', -1) ?? -1
  const specials = [...Array<number>(oovStart).fill(mask ?? 0), ...Array<number>(numOov).fill(oov)]
  const withSpecials = specials.every((s, i) => vocab[i] === s) && vocab.length >= specials.length
  const tokens = (withSpecials ? vocab.slice(tokenStart) : vocab) as number[]
  if (new Set(tokens).size !== tokens.length) throw refuseArgument(c.class_name, 'vocabulary', null, 'Keras raises on a vocabulary with a repeated term')
  if (mask !== null && tokens.includes(mask)) throw refuseArgument(c.class_name, 'mask_token', mask, 'Keras raises when the mask token is inside the vocabulary')
  const maxTokens = optionalInt(c, 'max_tokens', 'max_values', null)
  if (maxTokens !== null && tokenStart + tokens.length > maxTokens) throw refuseArgument(c.class_name, 'max_tokens', maxTokens, 'Keras raises: the vocabulary is larger than max_tokens')
  return {mode, mask, oov, numOov, tokens, withSpecials, oovStart, tokenStart}
}

/** The OOV index of each unknown value (floormod, or Keras 3's farmhash method). */
function oovIndices(c: ComputeCall, l: Lookup, values: readonly bigint[]): number[] {
  if (c.generation === 'keras3' && str(c.config, 'oov_method', 'floormod') === 'farmhash') return hashBuckets(values, l.numOov, saltOf(c))
  const n = BigInt(l.numOov)
  return values.map((v) => Number(((v % n) + n) % n))
}

/** Token → index (or index → token when inverting) for every input value. */
function lookupValues(c: ComputeCall, l: Lookup, x: Tensor, invert: boolean, depth: number): number[] {
  const values = integerValues(c, x, true)
  if (invert) {
    return values.map((v) => {
      if (l.mask !== null && v === 0n) return l.mask
      const i = Number(v) - l.tokenStart
      return i >= 0 && i < l.tokens.length ? l.tokens[i] ?? l.oov : l.oov
    })
  }
  const table = new Map(l.tokens.map((t, i) => [BigInt(t), l.tokenStart + i]))
  const hashed = l.numOov > 1 ? oovIndices(c, l, values) : []
  return values.map((v, i) => {
    if (l.mask !== null && v === BigInt(l.mask)) return l.mode === 'int' ? 0 : depth
    const found = table.get(v)
    if (found !== undefined) return found
    if (l.numOov === 0) throw refuseInput(c.class_name, `the value ${v} is not in the vocabulary and num_oov_indices=0 (Keras raises "all inputs should be in vocabulary").`)
    return l.numOov === 1 ? l.oovStart : l.oovStart + (hashed[i] ?? 0)
  })
}

/** Keras's idf weight vector: the configured weights, front-padded with their mean unless the vocabulary listed the special tokens, back-padded with zeros to max_tokens when padding. */
function idfWeights(c: ComputeCall, l: Lookup, depth: number): number[] {
  const raw = c.config.idf_weights
  if (!isArray(raw) || !raw.every((v) => typeof v === 'number')) throw refuseArgument(c.class_name, 'idf_weights', raw ?? null, 'tf_idf needs the idf weights in the config')
  const weights = raw as number[]
  const front = l.withSpecials ? [] : Array<number>(l.tokenStart).fill(weights.reduce((a, b) => a + b, 0) / weights.length)
  const padded = [...front, ...weights]
  return [...padded, ...Array<number>(Math.max(0, depth - padded.length)).fill(0)]
}

function integerLookup(c: ComputeCall): ComputeOutput {
  const l = readLookup(c)
  const invert = bool(c.config, 'invert', false)
  if (invert && l.mode !== 'int') throw refuseArgument(c.class_name, 'output_mode', l.mode, 'Keras raises: invert needs output_mode int')
  const pad = bool(c.config, 'pad_to_max_tokens', false)
  const depth = pad ? int(c.config, 'max_tokens', 0) : l.tokenStart + l.tokens.length
  const x = firstInput(c)
  const ids = c.tf.tensor(lookupValues(c, l, x, invert, depth), x.shape, 'int32')
  if (l.mode !== 'tf_idf') return {outputs: [encodeIds(c, ids, l.mode, depth)]}
  const counts = encodeIds(c, ids, 'count', depth)
  return {outputs: [c.tf.mul(counts, c.tf.tensor1d(idfWeights(c, l, depth), 'float32'))]}
}

/** Compute function of IntegerLookup. */
export const LOOKUP_COMPUTE: ComputeTable = {
  IntegerLookup: {call: integerLookup},
}
