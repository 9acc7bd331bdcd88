/**
 * MultiHeadAttention and Keras 3's GroupQueryAttention / GroupedQueryAttention, called as (query, value, key)
 * positionally or by keyword (tf-keras saves `value` / `key` as keyword tensors), key defaulting to value.
 *
 * MultiHeadAttention: query, key and value are EinsumDense-projected to (batch, …, heads, key_dim / value_dim);
 * the scores are (query / √key_dim) · keyᵀ over the attention axes (default: every axis between batch and
 * features); the attention mask is the AND of the query mask (…, T, 1), the value and key masks (…, 1, S), the
 * causal mask (`use_causal_mask`), Keras 3's `sliding_window` band and the `attention_mask` call tensor; the
 * masked softmax is the generation's (attention-parts.ts); the weighted values go through the
 * `attention_output` projection (Keras 3 `use_gate`: × sigmoid(gate projection of the query) first).
 * Keras 3 computes rank-3 inputs without dropout and without returned scores through `dot_product_attention`
 * instead: the scale multiplies the logits, masked logits become -0.7 × 3.38953e38 and fully masked rows
 * attend uniformly. The query's mask passes to the output.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type Json, isArray} from '../json.js'
import {pyInt, pyTruthy} from '../layers/args.js'
import type {Core} from '../backend/runtime.js'
import {type AttentionCall, attentionCall} from './attention-call.js'
import {
  andMasks, causalMask, expandToRank, num, projectNamed, slidingMask, softmaxKeras2, softmaxKeras3,
  trainingDropout,
} from './attention-parts.js'
import type {ComputeCall, ComputeOutput, ComputeTable} from './types.js'

/**
 * The attention mask Keras builds from the input masks, the causal and sliding-window masks and the
 * `attention_mask` tensor (Keras 3 casts it to bool; tf-keras only when it joins other masks).
 */
function attentionMask(c: ComputeCall, x: AttentionCall, window: number | null): Tensor | null {
  const {tf} = c
  const [tq = 1, tv = 1] = [x.query.shape[1], x.value.shape[1]]
  const auto = andMasks(tf, [
    x.masks.query === null ? null : tf.expandDims(x.masks.query, -1),
    x.masks.value === null ? null : tf.expandDims(x.masks.value, -2),
    x.masks.key === null ? null : tf.expandDims(x.masks.key, -2),
    x.causal ? causalMask(tf, tq, tv) : null,
    window === null ? null : slidingMask(tf, tq, tv, window),
  ])
  const given = x.attentionMask
  if (given === null) return auto
  if (auto === null) return c.generation === 'keras3' && c.class_name === 'MultiHeadAttention' ? tf.cast(given, 'bool') : given
  return tf.logicalAnd(tf.cast(given, 'bool'), auto)
}

/** The resolved attention axes of a projected rank, as each generation resolves negative axes. */
function attentionAxes(c: ComputeCall, rank: number): number[] {
  const raw: Json | undefined = c.config.attention_axes
  const given = raw === undefined || raw === null ? null : pyInt(raw) ? [Number(raw)] : isArray(raw) && raw.every(pyInt) ? raw.map(Number) : null
  if (given === null) return Array.from({length: Math.max(0, rank - 3)}, (_v, i) => i + 1)
  const axes = given.map((a) => (a >= 0 ? a : c.generation === 'keras3' ? rank - 1 + a : rank + a))
  if (axes.some((a) => a < 0 || a >= rank - 1) || new Set(axes).size !== axes.length) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument 'attention_axes' = ${JSON.stringify(raw)} does not name distinct axes of the projected rank ${rank} (Keras raises here).`, {hint: 'Use axes between 1 and the rank of the query minus 1.'})
  }
  return axes
}

/** Sizes of `t` at `axes`. */
const sizes = (t: Tensor, axes: readonly number[]): number[] => axes.map((a) => t.shape[a] ?? 1)
const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1)

/**
 * The einsum attention of a projected (batch, …, heads, channels) query / key / value over `axes`, as batched
 * matrix products: scores (batch dims…, query axes…, key axes…) = query · keyᵀ, then the masked softmax over
 * the key axes, then scores · value laid out as the query.
 */
function einsumAttention(c: ComputeCall, q: Tensor, k: Tensor, v: Tensor, axes: number[], mask: Tensor | null): {out: Tensor; scores: Tensor} {
  const {tf} = c
  const rank = q.rank
  const batch = Array.from({length: rank}, (_v, i) => i).filter((i) => !axes.includes(i) && i !== rank - 1)
  const perm = [...batch, ...axes, rank - 1]
  const [bs, qs, ks] = [sizes(q, batch), sizes(q, axes), sizes(k, axes)]
  const flat = (t: Tensor, attn: number[]): Tensor => tf.reshape(tf.transpose(t, perm), [product(bs), product(attn), t.shape[rank - 1] ?? 1])
  let scores = tf.reshape(tf.matMul(flat(q, qs), flat(k, ks), false, true), [...bs, ...qs, ...ks])
  const expanded = mask === null ? null : expandToRank(tf, mask, scores.rank, -axes.length * 2 - 1)
  scores = c.generation === 'keras3'
    ? softmaxKeras3(tf, scores, expanded, axes.length)
    : softmaxKeras2(tf, scores, expanded, axes.length, pyTruthy(c.config.softmax_robust_masking ?? false))
  const dropped = trainingDropout(c, scores, num(c.config.dropout, 0))
  const combined = tf.matMul(tf.reshape(dropped, [product(bs), product(qs), product(ks)]), flat(v, ks))
  const laid = tf.reshape(combined, [...bs, ...qs, v.shape[rank - 1] ?? 1])
  const inverse = perm.map((_p, i) => perm.indexOf(i))
  return {out: tf.transpose(laid, inverse), scores}
}

/** Keras 3's large negative for masked logits in `dot_product_attention` (float32). */
const LARGE_NEGATIVE = 3.38953e38 * -0.7

/**
 * Keras 3 `ops.dot_product_attention` on (batch, T, heads, channels) tensors: logits · scale, masked logits
 * replaced by a large negative (causal: lower band), softmax, · value.
 */
function dotProductAttention(tf: Core, q: Tensor, k: Tensor, v: Tensor, scale: number, mask: Tensor | null, causal: boolean): Tensor {
  const bnth = [0, 2, 1, 3]
  let logits = tf.mul(tf.matMul(tf.transpose(q, bnth), tf.transpose(k, bnth), false, true), tf.scalar(scale))
  const [t = 1, s = 1] = logits.shape.slice(2)
  const band = causal ? tf.reshape(causalMask(tf, t, s), [1, 1, t, s]) : null
  const keep = andMasks(tf, [mask, band])
  if (keep !== null) logits = tf.where(keep, logits, tf.scalar(LARGE_NEGATIVE))
  return tf.transpose(tf.matMul(tf.softmax(logits, -1), tf.transpose(v, bnth)), bnth)
}

/** The attention core shared by both classes: (output before the output projection, scores or null). */
function attend(c: ComputeCall, p: {q: Tensor; k: Tensor; v: Tensor}, axes: number[], mask: Tensor | null, causalOnly: boolean, scale: number, wantScores: boolean): {out: Tensor; scores: Tensor | null} {
  const {tf} = c
  if (c.generation === 'keras3' && !(num(c.config.dropout, 0) > 0) && !wantScores && p.q.rank === 4) {
    const m = mask === null ? null : tf.cast(expandToRank(tf, mask, 4, -axes.length * 2 - 1), 'bool')
    return {out: dotProductAttention(tf, p.q, p.k, p.v, scale, m, causalOnly), scores: null}
  }
  const full = causalOnly ? causalMask(tf, p.q.shape[1] ?? 1, p.v.shape[1] ?? 1) : mask
  const q = tf.mul(p.q, tf.scalar(scale))
  return einsumAttention(c, q, p.k, p.v, axes, full)
}

/** Keras 3: the plain causal case (no other mask) takes the backend's causal path. */
function causalOnlyOf(c: ComputeCall, x: AttentionCall, window: number | null): boolean {
  return c.generation === 'keras3' && x.causal && window === null && x.attentionMask === null &&
    x.masks.query === null && x.masks.value === null && x.masks.key === null
}

/** True for a config value other than absent / None. */
const hasValue = (v: Json | undefined): boolean => v !== undefined && v !== null

/** A positive-integer config value, or refuse naming it. */
function dim(c: ComputeCall, key: string, fallback?: number): number {
  const v = c.config[key]
  const n = v === undefined || v === null ? fallback : typeof v === 'boolean' ? Number(v) : v
  if (typeof n === 'number' && Number.isInteger(n) && n > 0) return n
  throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument '${key}' = ${JSON.stringify(v)} is not computed by kmodel (a positive integer is needed).`, {hint: 'Keras refuses this value too.'})
}

/** The output projection (after the Keras 3 gate) and the outputs with the query's mask on the first. */
function finish(c: ComputeCall, x: AttentionCall, out: Tensor, scores: Tensor | null): ComputeOutput {
  const gated = pyTruthy(c.config.use_gate ?? false) ? c.tf.mul(out, c.tf.sigmoid(projectNamed(c, 'gate', x.query, 1))) : out
  const result = projectNamed(c, 'attention_output', gated, 2)
  if (!x.returnScores) return {outputs: [result], masks: [x.outputMask]}
  if (scores === null) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: no attention scores were computed.`)
  return {outputs: [result, scores], masks: [x.outputMask, null]}
}

/** Refuses what Keras refuses whatever the backend: flash attention with returned scores. */
function checkFlash(c: ComputeCall, x: AttentionCall): void {
  if (c.generation === 'keras3' && pyTruthy(c.config.flash_attention ?? false) && x.returnScores) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument 'return_attention_scores' = true with flash_attention is not computed by kmodel (Keras raises: flash attention returns no scores).`, {hint: 'Set flash_attention to false to get the scores.'})
  }
}

/** One call of MultiHeadAttention. */
function multiHeadAttention(c: ComputeCall): ComputeOutput {
  const x = attentionCall(c)
  checkFlash(c, x)
  const window = c.generation === 'keras3' && hasValue(c.config.sliding_window) ? dim(c, 'sliding_window') : null
  const causalOnly = causalOnlyOf(c, x, window)
  const mask = causalOnly ? null : attentionMask(c, x, window)
  const p = {q: projectNamed(c, 'query', x.query, 1), k: projectNamed(c, 'key', x.key, 1), v: projectNamed(c, 'value', x.value, 1)}
  const axes = attentionAxes(c, p.q.rank)
  const {out, scores} = attend(c, p, axes, mask, causalOnly, 1 / Math.sqrt(dim(c, 'key_dim')), x.returnScores)
  return finish(c, x, out, scores)
}

/** NumPy `repeat(t, r, axis=2)` of a (batch, S, heads, channels) tensor: each head r times in a row. */
function repeatHeads(tf: Core, t: Tensor, r: number): Tensor {
  if (r === 1) return t
  const [b = 1, s = 1, h = 1, d = 1] = t.shape
  return tf.reshape(tf.tile(tf.expandDims(t, 3), [1, 1, 1, r, 1]), [b, s, h * r, d])
}

/** One call of Keras 3's GroupQueryAttention: key / value heads repeated to the query heads. */
function groupQueryAttention(c: ComputeCall): ComputeOutput {
  const x = attentionCall(c)
  checkFlash(c, x)
  if (x.query.rank !== 3 || x.key.rank !== 3 || x.value.rank !== 3) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: inputs of rank ${x.query.rank} are not computed by kmodel (Keras's projections take (batch, T, features)).`, {hint: 'Keras raises on these shapes too.'})
  }
  const hq = dim(c, 'num_query_heads')
  const hkv = dim(c, 'num_key_value_heads')
  if (hq % hkv !== 0) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument 'num_query_heads' = ${hq} is not a multiple of num_key_value_heads = ${hkv} (Keras raises).`)
  const window = hasValue(c.config.sliding_window) ? dim(c, 'sliding_window') : null
  const causalOnly = causalOnlyOf(c, x, window)
  const mask = causalOnly ? null : attentionMask(c, x, window)
  const p = {
    q: projectNamed(c, 'query', x.query, 1),
    k: repeatHeads(c.tf, projectNamed(c, 'key', x.key, 1), hq / hkv),
    v: repeatHeads(c.tf, projectNamed(c, 'value', x.value, 1), hq / hkv),
  }
  const {out, scores} = attend(c, p, [1], mask, causalOnly, 1 / Math.sqrt(dim(c, 'head_dim')), x.returnScores)
  return finish(c, x, out, scores)
}

/** MultiHeadAttention and GroupQueryAttention (both spellings), by class name. */
export const MHA_COMPUTE: ComputeTable = {
  MultiHeadAttention: {call: multiHeadAttention},
  GroupQueryAttention: {call: groupQueryAttention},
  GroupedQueryAttention: {call: groupQueryAttention},
}
