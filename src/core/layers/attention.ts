/**
 * Attention layers: Attention (dot-product; `use_scale` / `score_mode: concat` scalars), AdditiveAttention
 * (a `scale` vector), MultiHeadAttention (query / key / [gate] / value / attention_output EinsumDense weights,
 * `output_shape`, `attention_axes`, Keras 3 `use_gate`) and Keras 3's GroupQueryAttention.
 */
import {isInt} from '../json.js'
import type {WeightInfo} from '../graph/summary-types.js'
import {bool, dimList, int, optInt} from './config.js'
import {type LayerRule, type RuleInput, type RuleTable, type Shape, UNKNOWN, refuse, single, weight} from './types.js'
import {type ArgTable, generationFor} from './args.js'
import {ATTENTION_ARG_TABLE, denseAttentionRefusal, mhaRefusal} from './attention-args.js'

/** True when the call asked for attention scores (`return_attention_scores=True` kwarg or config). */
function wantsScores(input: RuleInput): boolean {
  return input.call_kwargs.return_attention_scores === true || input.config.return_attention_scores === true
}

/**
 * [query, value, key?] of an attention call, positional (`[q, v]` list, Keras 3 args) or by keyword
 * (tf.keras `mha(q, value=v)`, stored as `{"value": ["v", 0, 0]}`); key defaults to value.
 */
function qkv(input: RuleInput): {q: Shape | null; v: Shape | null; k: Shape | null; keyGiven: boolean} {
  const named = input.kwarg_inputs
  const q = named.query ?? input.inputs[0] ?? null
  const v = named.value ?? input.inputs[1] ?? null
  const k = named.key ?? input.inputs[2] ?? null
  return {q, v, k: k ?? v, keyGiven: k !== null}
}

/** tf-keras runs dense attention on the graph: its refusal for these shapes (Keras 3 checks none). */
function denseRefusal(input: RuleInput, additive: boolean): string | undefined {
  const {q, v, k} = qkv(input)
  if (q === null || v === null || k === null) return undefined
  if (generationFor(input.keras_version, input.dialect) !== 'keras2') return undefined
  return denseAttentionRefusal(input.config, additive, q, v, k)
}

const dotAttention: LayerRule = (input) => {
  const {q, v} = qkv(input)
  const problem = denseRefusal(input, false)
  if (problem !== undefined) return refuse(problem)
  const weights: WeightInfo[] = []
  if (bool(input.config, 'use_scale', false)) weights.push(weight('scale', [], input.dtype))
  if (input.config.score_mode === 'concat') weights.push(weight('concat_score_weight', [], input.dtype))
  if (q === null || v === null) return {outputs: null, weights}
  const out = [...q.slice(0, -1), v.at(-1) ?? null]
  const scores = [...q.slice(0, -1), v.at(-2) ?? null]
  return {outputs: wantsScores(input) ? [out, scores] : [out], weights}
}

const additiveAttention: LayerRule = (input) => {
  const {q, v} = qkv(input)
  const problem = denseRefusal(input, true)
  if (problem !== undefined) return refuse(problem)
  const dim = q?.at(-1) ?? null
  const weights = bool(input.config, 'use_scale', true) ? [weight('scale', [dim], input.dtype)] : []
  if (q === null || v === null) return {outputs: null, weights}
  return {outputs: [[...q.slice(0, -1), v.at(-1) ?? null]], weights}
}

/** One EinsumDense projection of an attention layer: kernel then (if used) bias. */
function projection(name: string, kernel: Shape, bias: Shape, input: RuleInput): WeightInfo[] {
  const out = [weight(`${name}/kernel`, kernel, input.dtype)]
  if (bool(input.config, 'use_bias', true)) out.push(weight(`${name}/bias`, bias, input.dtype))
  return out
}

/** The per-head scores shape (batch, heads, query positions…, key positions…) for default attention axes. */
function scoresShape(q: Shape, k: Shape, heads: number): Shape {
  return [q[0] ?? null, heads, ...q.slice(1, -1), ...k.slice(1, -1)]
}

const multiHeadAttention: LayerRule = (input) => {
  const {q, v, k, keyGiven} = qkv(input)
  const cfg = input.config
  const problem = q && v && k ? mhaRefusal(cfg, generationFor(input.keras_version, input.dialect), q, v, k, keyGiven) : undefined
  if (problem !== undefined) return refuse(problem)
  const heads = int(cfg, 'num_heads', 1)
  const keyDim = int(cfg, 'key_dim', 0)
  const valueDim = optInt(cfg, 'value_dim') ?? keyDim
  const rawOut = cfg.output_shape
  if (q === null || v === null || k === null) return UNKNOWN
  const outDims: Shape = isInt(rawOut) ? [rawOut] : dimList(rawOut) ?? [q.at(-1) ?? null]
  const gate = bool(cfg, 'use_gate', false) ? projection('gate', [q.at(-1) ?? null, heads, valueDim], [heads, valueDim], input) : []
  const weights = [
    ...projection('query', [q.at(-1) ?? null, heads, keyDim], [heads, keyDim], input),
    ...projection('key', [k.at(-1) ?? null, heads, keyDim], [heads, keyDim], input),
    ...gate,
    ...projection('value', [v.at(-1) ?? null, heads, valueDim], [heads, valueDim], input),
    ...projection('attention_output', [heads, valueDim, ...outDims], outDims, input),
  ]
  const out = [...q.slice(0, -1), ...outDims]
  return {outputs: wantsScores(input) ? [out, scoresShape(q, k, heads)] : [out], weights}
}

const groupQueryAttention: LayerRule = (input) => {
  const {q, v, k} = qkv(input)
  const cfg = input.config
  const headDim = int(cfg, 'head_dim', 0)
  const hq = int(cfg, 'num_query_heads', 1)
  const hkv = int(cfg, 'num_key_value_heads', 1)
  if (q === null || v === null || k === null) return UNKNOWN
  const dim = q.at(-1) ?? null
  const gate = bool(cfg, 'use_gate', false) ? projection('gate', [dim, hq, headDim], [hq, headDim], input) : []
  const weights = [
    ...projection('query', [dim, hq, headDim], [hq, headDim], input),
    ...projection('key', [k.at(-1) ?? null, hkv, headDim], [hkv, headDim], input),
    ...gate,
    ...projection('value', [v.at(-1) ?? null, hkv, headDim], [hkv, headDim], input),
    ...projection('attention_output', [hq, headDim, dim], [dim], input),
  ]
  return single(q, weights)
}

/** Rules of this family. */
export const ATTENTION_RULES: RuleTable = {
  Attention: dotAttention,
  AdditiveAttention: additiveAttention,
  MultiHeadAttention: multiHeadAttention,
  GroupQueryAttention: groupQueryAttention,
  GroupedQueryAttention: groupQueryAttention,
}

/** Argument schemas of this family (layers/args.ts), by class name. */
export const ATTENTION_ARGS: ArgTable = ATTENTION_ARG_TABLE
