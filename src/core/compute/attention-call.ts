/**
 * The call arguments of MultiHeadAttention and GroupQueryAttention, bound as Keras binds them:
 * - Keras 3: `call(query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
 *   return_attention_scores=False, training=None, use_causal_mask=False)`; each `*_mask` left None is filled
 *   with that input's Keras mask, and MultiHeadAttention then takes the query's mask from the query itself
 *   (an explicit `query_mask` is overwritten), GroupQueryAttention keeps the argument.
 * - tf-keras: `call(query, value, key=None, attention_mask=None, return_attention_scores=False, training=None,
 *   use_causal_mask=False)` (a saved functional node holds everything after the query as keywords); the masks
 *   are those of query, value and key (key defaults to value).
 * Positional arguments are the saved call's (`call_args`, None slots included), so masks passed positionally bind
 * to the right parameters.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import type {Json} from '../json.js'
import {pyTruthy} from '../layers/args.js'
import {type Arg, isTensor, positionalArgs} from './ops-args.js'
import type {ComputeCall} from './types.js'

const KERAS3 = ['query', 'value', 'key', 'query_mask', 'value_mask', 'key_mask', 'attention_mask', 'return_attention_scores', 'training', 'use_causal_mask']
const KERAS2 = ['query', 'value', 'key', 'attention_mask', 'return_attention_scores', 'training', 'use_causal_mask']

/** A bound MultiHeadAttention / GroupQueryAttention call. */
export interface AttentionCall {
  query: Tensor
  value: Tensor
  key: Tensor
  /** The Keras masks that enter the attention mask (bool), after Keras's filling rules. */
  masks: {query: Tensor | null; value: Tensor | null; key: Tensor | null}
  attentionMask: Tensor | null
  /** The mask Keras gives the output: the query tensor's own (an explicit query_mask never reaches it). */
  outputMask: Tensor | null
  returnScores: boolean
  causal: boolean
}

/** One bound argument and, for a tensor, its Keras mask. */
interface Bound {value: Arg | undefined; mask: Tensor | null}

/** Binds the call: positional slots first, then keyword tensors and values by name. */
function bind(c: ComputeCall): Map<string, Bound> {
  const sig = c.generation === 'keras3' ? KERAS3 : KERAS2
  const args = positionalArgs(c)
  const out = new Map<string, Bound>()
  sig.forEach((name, i) => {
    if (i < args.length) {
      const v = args[i]
      const at = isTensor(v) ? c.inputs.indexOf(v) : -1
      out.set(name, {value: v, mask: at >= 0 ? c.masks[at] ?? null : null})
    } else if (c.kwargs[name] !== undefined) {
      out.set(name, {value: c.kwargs[name], mask: c.kwarg_masks[name] ?? null})
    } else {
      out.set(name, {value: c.call_kwargs[name] as Json | undefined, mask: null})
    }
  })
  return out
}

/** The tensor of a bound argument, or null (None or absent). */
function tensorOf(c: ComputeCall, b: Bound | undefined, name: string): Tensor | null {
  const v = b?.value
  if (v === undefined || v === null) return null
  if (isTensor(v)) return v
  throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument '${name}' = ${JSON.stringify(v)} is not a tensor (Keras raises).`)
}

const asBool = (c: ComputeCall, m: Tensor | null): Tensor | null => (m === null ? null : c.tf.cast(m, 'bool'))

/** The bound call of a MultiHeadAttention / GroupQueryAttention layer. */
export function attentionCall(c: ComputeCall): AttentionCall {
  const b = bind(c)
  const query = tensorOf(c, b.get('query'), 'query')
  const value = tensorOf(c, b.get('value'), 'value')
  if (query === null || value === null) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: the call needs a query and a value tensor.`, {hint: 'Keras raises on this call too.'})
  }
  const key = tensorOf(c, b.get('key'), 'key')
  const auto = {query: b.get('query')?.mask ?? null, value: b.get('value')?.mask ?? null, key: key === null ? null : b.get('key')?.mask ?? null}
  const masks = c.generation === 'keras3'
    ? {
      query: c.class_name === 'MultiHeadAttention' ? auto.query : tensorOf(c, b.get('query_mask'), 'query_mask') ?? auto.query,
      value: tensorOf(c, b.get('value_mask'), 'value_mask') ?? auto.value,
      key: tensorOf(c, b.get('key_mask'), 'key_mask') ?? auto.key,
    }
    : auto
  const flag = (name: string): boolean => pyTruthy((b.get(name)?.value as Json | undefined) ?? c.config[name] ?? false)
  return {
    query, value, key: key ?? value,
    masks: {query: asBool(c, masks.query), value: asBool(c, masks.value), key: asBool(c, masks.key)},
    attentionMask: tensorOf(c, b.get('attention_mask'), 'attention_mask'),
    outputMask: asBool(c, auto.query),
    returnScores: flag('return_attention_scores'),
    causal: flag('use_causal_mask'),
  }
}
