/**
 * Compute of the attention family (see types.ts). This module: the dense attention layers, called on
 * `[query, value]` or `[query, value, key]` (key defaults to value), with the inputs' masks `[query_mask,
 * value_mask]` or, in their place, an explicit `mask=[…]` call argument:
 * - Attention: scores = query · keyᵀ (× `scale` when `use_scale`), or with `score_mode="concat"`
 *   `concat_score_weight` × Σ tanh(scale × (query_i + key_j)).
 * - AdditiveAttention: scores = Σ `scale` × tanh(query_i + key_j) (the `scale` vector when `use_scale`).
 * Then masked value positions and, with `use_causal_mask` (a call argument; tf.keras ≤ 2.9's config `causal`)
 * later positions get -1e9, softmax over the value axis (dropout only in training), output = weights · value,
 * zeroed where the query is masked; `return_attention_scores` adds the weights as a second output. The query's
 * mask passes to the first output. MultiHeadAttention and GroupQueryAttention: attention-mha.ts.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {pyTruthy} from '../layers/args.js'
import {MHA_COMPUTE} from './attention-mha.js'
import {andMasks, callFlag, causalMask, explicitMaskList, num, trainingDropout, weightNamed} from './attention-parts.js'
import type {ComputeCall, ComputeOutput, ComputeTable, RefusalTable} from './types.js'

/** A scalar weight saved with shape () or (1,), as the scalar Keras multiplies by. */
function scalarWeight(c: ComputeCall, name: string): Tensor | undefined {
  const w = weightNamed(c, name)
  return w === undefined ? undefined : c.tf.reshape(w, [])
}

/** Attention's scores (batch…, Tq, Tv) in its score mode. */
function dotScores(c: ComputeCall, q: Tensor, k: Tensor): Tensor {
  const {tf} = c
  const scale = pyTruthy(c.config.use_scale ?? false) ? scalarWeight(c, 'scale') : undefined
  if (c.config.score_mode !== 'concat') {
    const scores = tf.matMul(q, k, false, true)
    return scale === undefined ? scores : tf.mul(scores, scale)
  }
  const sum = tf.add(tf.expandDims(q, -2), tf.expandDims(k, -3))
  const inner = tf.tanh(scale === undefined ? sum : tf.mul(scale, sum))
  const weight = scalarWeight(c, 'concat_score_weight')
  if (weight === undefined) {
    throw new BackendError('KM_BACKEND_WEIGHTS', "Layer class Attention: score_mode 'concat' needs the weight 'concat_score_weight'.", {hint: 'The weights file must hold the layer\'s concat_score_weight.'})
  }
  return tf.mul(weight, tf.sum(inner, -1))
}

/** AdditiveAttention's scores: Σ over features of scale × tanh(query_i + key_j). */
function additiveScores(c: ComputeCall, q: Tensor, k: Tensor): Tensor {
  const {tf} = c
  const tanh = tf.tanh(tf.add(tf.expandDims(q, -2), tf.expandDims(k, -3)))
  const scale = pyTruthy(c.config.use_scale ?? true) ? weightNamed(c, 'scale') : undefined
  return tf.sum(scale === undefined ? tanh : tf.mul(scale, tanh), -1)
}

/** [query, value, key] of a list call, checked as Keras's `_validate_inputs` does. */
function denseInputs(c: ComputeCall): [Tensor, Tensor, Tensor] {
  const [q, v, k = v] = c.inputs
  if (q === undefined || v === undefined || k === undefined || c.inputs.length > 3) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: the call takes [query, value] or [query, value, key], got ${c.inputs.length} input(s).`, {hint: 'Keras raises on this call too.'})
  }
  return [q, v, k]
}

/**
 * The score mask (the value mask over the key axis, AND the causal mask) or null. tf-keras always inserts the
 * query axis into the value mask; Keras 3 does when causal or when the value mask has rank 2.
 */
function scoreMask(c: ComputeCall, scores: Tensor, valueMask: Tensor | null): Tensor | null {
  const {tf} = c
  const causal = callFlag(c, 'use_causal_mask') || (c.generation === 'keras2' && pyTruthy(c.config.causal ?? false))
  const [tq = 1, tv = 1] = scores.shape.slice(-2)
  const vm = valueMask === null ? null : tf.cast(valueMask, 'bool')
  const expand = vm !== null && (c.generation === 'keras2' || causal || vm.rank === 2)
  const v = vm !== null && expand ? tf.expandDims(vm, -2) : vm
  return andMasks(tf, [v, causal ? causalMask(tf, tq, tv) : null])
}

/** One call of Attention / AdditiveAttention. */
function denseAttention(c: ComputeCall, scoresOf: (c: ComputeCall, q: Tensor, k: Tensor) => Tensor): ComputeOutput {
  const {tf} = c
  const [q, v, k] = denseInputs(c)
  const masks = explicitMaskList(c) ?? c.masks
  const queryMask = masks[0] ?? null
  let scores = scoresOf(c, q, k)
  const mask = scoreMask(c, scores, masks[1] ?? null)
  if (mask !== null) {
    // Keras 3: where(¬mask, scores - 1e9, scores); tf-keras: scores - 1e9 × (1 - mask): the same floats.
    scores = c.generation === 'keras3'
      ? tf.where(mask, scores, tf.sub(scores, tf.scalar(1e9)))
      : tf.sub(scores, tf.mul(tf.scalar(1e9), tf.cast(tf.logicalNot(mask), 'float32')))
  }
  const weights = trainingDropout(c, tf.softmax(scores, -1), num(c.config.dropout, 0))
  let out = tf.matMul(weights, v)
  if (queryMask !== null) {
    const qm = tf.expandDims(tf.cast(queryMask, 'bool'), -1)
    out = c.generation === 'keras3' ? tf.where(qm, out, tf.scalar(0)) : tf.mul(out, tf.cast(qm, 'float32'))
  }
  const outMask = queryMask === null ? null : tf.cast(queryMask, 'bool')
  if (callFlag(c, 'return_attention_scores')) return {outputs: [out, weights], masks: [outMask, null]}
  return {outputs: [out], masks: [outMask]}
}

/** Compute functions of the attention family, by Keras class name. */
export const ATTENTION_COMPUTE: ComputeTable = {
  Attention: {call: (c) => denseAttention(c, dotScores)},
  AdditiveAttention: {call: (c) => denseAttention(c, additiveScores)},
  ...MHA_COMPUTE,
}

/** Attention classes kmodel refuses to compute: none (every class of the shape engine's family computes). */
export const ATTENTION_REFUSED: RefusalTable = {}
