/**
 * Compute cases, normalization and attention: BatchNormalization (axis, center / scale off, epsilon),
 * LayerNormalization (axis lists), GroupNormalization, UnitNormalization, Normalization with a given mean and
 * variance, RMSNormalization (Keras 3.9+), SpectralNormalization, tf-keras's SyncBatchNormalization; Attention,
 * AdditiveAttention, MultiHeadAttention, GroupQueryAttention (Keras 3) as functional models.
 */
import type {Generation} from '../harness.js'
import {type Args, type ComputeCase, graph, idOf, type InputSpec, nested, one} from './compute-build.js'

function batchNorm(g: Generation): ComputeCase[] {
  const cases = [
    one('BatchNormalization', {}, [4]),
    one('BatchNormalization', {axis: 1}, [3, 4]),
    one('BatchNormalization', {}, [3, 3, 2], {}, ' on rank 4'),
    one('BatchNormalization', {axis: 1}, [2, 3, 3], {}, ' channels_first'),
    one('BatchNormalization', {center: false}, [4]),
    one('BatchNormalization', {scale: false}, [4]),
    one('BatchNormalization', {epsilon: 0.1, center: false, scale: false}, [3, 4]),
  ]
  if (g === 'keras2') cases.push(one('SyncBatchNormalization', {}, [4]), one('SyncBatchNormalization', {axis: 1, epsilon: 0.01}, [3, 4]))
  return cases
}

function otherNorms(g: Generation): ComputeCase[] {
  const cases = [
    one('LayerNormalization', {}, [3, 4]),
    one('LayerNormalization', {axis: [1, 2]}, [3, 4]),
    one('LayerNormalization', {axis: 1}, [3, 4]),
    one('LayerNormalization', {center: false}, [5]),
    one('LayerNormalization', {scale: false, epsilon: 0.1}, [5]),
    one('LayerNormalization', {axis: [-2, -1], center: false, scale: false}, [2, 3, 2]),
    one('GroupNormalization', {groups: 2}, [3, 4]),
    one('GroupNormalization', {groups: -1}, [3, 4]),
    one('GroupNormalization', {groups: 1, epsilon: 0.1}, [3, 4]),
    one('GroupNormalization', {groups: 2, axis: 1}, [4, 3]),
    one('GroupNormalization', {groups: 2, center: false, scale: false}, [2, 2, 4]),
    one('UnitNormalization', {}, [4]),
    one('UnitNormalization', {axis: [1, 2]}, [3, 2]),
    one('Normalization', {mean: [0.5, -0.5, 1], variance: [2, 0.5, 1]}, [3]),
    one('Normalization', {axis: 1, mean: [0.1, 0.2], variance: [1.5, 0.25]}, [2, 3]),
    one('Normalization', {mean: [0.5, -0.5, 1], variance: [2, 0.5, 1], invert: true}, [3]),
  ]
  if (g === 'keras3') {
    // tf-keras 2.21 cannot build SpectralNormalization at all ("Layer input_spec must be an instance of
    // InputSpec. Got: InputSpec(...)"): no Keras 2 answer (see NOT_GENERATED).
    cases.push(
      one('SpectralNormalization', {layer: nested('Dense', {units: 3})}, [4]),
      one('SpectralNormalization', {layer: nested('Conv2D', {filters: 2, kernel_size: 2}), power_iterations: 2}, [3, 3, 2]),
      one('LayerNormalization', {rms_scaling: true}, [3, 4]),
      one('RMSNormalization', {}, [3, 4]),
      one('RMSNormalization', {axis: [1, 2], epsilon: 0.1}, [3, 4]),
    )
  }
  return cases
}

const Q: InputSpec = {name: 'q', shape: [3, 4]}
const V: InputSpec = {name: 'v', shape: [2, 4]}
const K: InputSpec = {name: 'k', shape: [2, 4]}

/** One attention layer called on [query, value(, key)] (list-call classes) or as (query, value, key=) kwargs. */
function attention(className: string, args: Args, ins: InputSpec[], o: {kwargs?: Args; listCall?: boolean; outputs?: number; label?: string} = {}): ComputeCase {
  const names = ins.map((i) => i.name)
  const listCall = o.listCall ?? true
  const outputs = Array.from({length: o.outputs ?? 1}, (_v, i) => `y${i}`)
  const id = `${idOf(className, args)}${o.label ?? ''} on ${names.join(',')}`
  const node = listCall
    ? {layer: 'l', inputs: names, kwargs: o.kwargs ?? {}, output: outputs.length === 1 ? 'y0' : outputs}
    : {layer: 'l', inputs: names[0] ?? 'q', extra_args: names.slice(1), kwargs: o.kwargs ?? {}, output: outputs.length === 1 ? 'y0' : outputs}
  const unique = ins.filter((i, n) => ins.findIndex((j) => j.name === i.name) === n)
  return graph(id, unique, [{name: 'l', class_name: className, args}], [node], outputs)
}

function dotAttention(): ComputeCase[] {
  return [
    attention('Attention', {}, [Q, V]),
    attention('Attention', {use_scale: true}, [Q, V]),
    attention('Attention', {score_mode: 'concat'}, [Q, V]),
    attention('Attention', {score_mode: 'concat', use_scale: true}, [Q, V, K]),
    attention('Attention', {dropout: 0.5}, [Q, V, K]),
    attention('Attention', {}, [Q, Q], {kwargs: {use_causal_mask: true}, label: ',use_causal_mask=true'}),
    attention('Attention', {}, [Q, V], {kwargs: {return_attention_scores: true}, outputs: 2, label: ',return_attention_scores=true'}),
    attention('AdditiveAttention', {}, [Q, V]),
    attention('AdditiveAttention', {use_scale: false}, [Q, V, K]),
    attention('AdditiveAttention', {}, [Q, Q], {kwargs: {use_causal_mask: true}, label: ',use_causal_mask=true'}),
  ]
}

/** MultiHeadAttention is called as (query, value, key): extra_args after the query. */
function multiHead(g: Generation): ComputeCase[] {
  const mha = (args: Args, ins: InputSpec[], o: {kwargs?: Args; outputs?: number; label?: string} = {}): ComputeCase =>
    attention('MultiHeadAttention', args, ins, {...o, listCall: false})
  const h = {num_heads: 2, key_dim: 2}
  const Q4: InputSpec = {name: 'q', shape: [2, 3, 4]}
  const cases = [
    mha(h, [Q, V]),
    mha(h, [Q, V, K]),
    mha({...h, value_dim: 3}, [Q, V]),
    mha({...h, output_shape: 5}, [Q, V]),
    mha({...h, use_bias: false}, [Q, Q]),
    mha({...h, dropout: 0.5}, [Q, Q], {kwargs: {use_causal_mask: true}, label: ',use_causal_mask=true'}),
    mha(h, [Q, V], {kwargs: {return_attention_scores: true}, outputs: 2, label: ',return_attention_scores=true'}),
    mha({...h, attention_axes: [2]}, [Q4, Q4]),
    mha({...h, attention_axes: [1, 2]}, [Q4, Q4]),
  ]
  if (g === 'keras3') {
    const gqa = (args: Args, ins: InputSpec[]): ComputeCase => attention('GroupQueryAttention', args, ins, {listCall: false})
    cases.push(
      mha({...h, output_shape: [3, 2]}, [Q, V]),
      gqa({head_dim: 2, num_query_heads: 2, num_key_value_heads: 1}, [Q, V]),
      gqa({head_dim: 2, num_query_heads: 4, num_key_value_heads: 2, use_bias: false}, [Q, V, K]),
    )
  }
  return cases
}

/** The normalization and attention family for one generation. */
export function normCases(g: Generation): ComputeCase[] {
  return [...batchNorm(g), ...otherNorms(g), ...dotAttention(), ...multiHead(g)]
}
