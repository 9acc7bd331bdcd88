/**
 * Compute cases, normalization and attention: BatchNormalization (axis, center / scale off, epsilon, the fused
 * ranks, renorm, `training=True` saved with the call), LayerNormalization (axis lists, tf-keras's unfused
 * epsilon), GroupNormalization, UnitNormalization, Normalization with a given mean and variance (scalar,
 * lower-rank, axis=None), RMSNormalization (Keras 3.9+), SpectralNormalization, tf-keras's
 * SyncBatchNormalization; the merge layers' harder cases (inputs of different ranks, Dot on rank 3–4 with mixed
 * axes, masks through Maximum / Minimum / Multiply / Add / Concatenate); Attention, AdditiveAttention,
 * MultiHeadAttention, GroupQueryAttention (Keras 3) as functional models.
 */
import type {Generation} from '../harness.js'
import {type Args, type ComputeCase, graph, idOf, type InputSpec, type ModelSpecCase, nested, one} from './compute-build.js'

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
  cases.push(
    one('BatchNormalization', {epsilon: 1e-6}, [3, 3, 2], {}, ' on rank 4'),
    one('BatchNormalization', {center: false, scale: false}, [2, 3, 2], {}, ' on rank 4'),
    one('BatchNormalization', {axis: 1}, [2, 2, 2, 3], {}, ' on rank 5'),
    one('BatchNormalization', {axis: 2}, [2, 2, 3, 2], {}, ' on rank 5'),
    one('BatchNormalization', {renorm: true}, [4]),
    graph('BatchNormalization/default,training=true', [{name: 'x', shape: [3, 4]}], [{name: 'l', class_name: 'BatchNormalization', args: {}}], [{layer: 'l', inputs: 'x', kwargs: {training: true}, output: 'y'}], ['y']),
  )
  if (g === 'keras2') cases.push(one('BatchNormalization', {axis: [1, 2]}, [3, 4]))
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
    one('Normalization', {axis: null, mean: 0.5, variance: 2}, [2, 3]),
    one('Normalization', {axis: [1, 2], mean: [0.1, 0.2, 0.3], variance: [1.5, 0.25, 2]}, [2, 3]),
    one('LayerNormalization', {epsilon: 1e-6}, [3, 4]),
    one('LayerNormalization', {axis: [2, 1]}, [3, 4]),
    one('UnitNormalization', {axis: 1}, [3, 4]),
    one('GroupNormalization', {groups: 3, axis: -2}, [2, 6, 2]),
  ]
  if (g === 'keras3') {
    // tf-keras 2.21 cannot build SpectralNormalization at all ("Layer input_spec must be an instance of
    // InputSpec. Got: InputSpec(...)"): no Keras 2 answer (see NOT_GENERATED).
    cases.push(
      one('SpectralNormalization', {layer: nested('Dense', {units: 3})}, [4]),
      one('SpectralNormalization', {layer: nested('Conv2D', {filters: 2, kernel_size: 2}), power_iterations: 2}, [3, 3, 2]),
      graph('SpectralNormalization/layer=Dense(units=3),training=true', [{name: 'x', shape: [4]}], [{name: 'l', class_name: 'SpectralNormalization', args: {layer: nested('Dense', {units: 3})}}], [{layer: 'l', inputs: 'x', kwargs: {training: true}, output: 'y'}], ['y']),
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

/** Query / value / key with whole timesteps at 0: Masking(mask_value=0) masks them (a different set in each). */
const QM: InputSpec = {...Q, set: [{index: [0, 1], value: 0}, {index: [1, 2], value: 0}]}
const VM: InputSpec = {...V, set: [{index: [1, 0], value: 0}]}
const KM: InputSpec = {...K, set: [{index: [0, 1], value: 0}]}
/** A value whose every timestep of sample 0 is masked (a fully masked attention row). */
const VF: InputSpec = {...V, set: [{index: [0, 0], value: 0}, {index: [0, 1], value: 0}]}

type AttentionOptions = {kwargs?: Args; listCall?: boolean; outputs?: number; label?: string; pool?: boolean}

/** `attention()` with Masking layers on the inputs named in `masked` (their masks reach the attention layer). */
function maskedAttention(className: string, args: Args, ins: InputSpec[], masked: string[], o: AttentionOptions = {}): ComputeCase {
  const base = attention(className, args, ins, o)
  const rename = (n: string): string => (masked.includes(n) ? `${n}_m` : n)
  const node = base.model.nodes?.[0]
  if (node === undefined) return base
  const call = {...node, inputs: Array.isArray(node.inputs) ? node.inputs.map(rename) : rename(node.inputs), ...(node.extra_args === undefined ? {} : {extra_args: node.extra_args.map(rename)})}
  const layers = [...masked.map((n) => ({name: `m_${n}`, class_name: 'Masking', args: {}})), ...base.model.layers]
  const nodes = [...masked.map((n) => ({layer: `m_${n}`, inputs: n, output: `${n}_m`})), call]
  const pooled = o.pool === true ? '+GlobalAveragePooling1D' : ''
  const id = `${idOf(className, args)}${o.label ?? ''} on ${ins.map((i) => `${masked.includes(i.name) ? 'masked ' : ''}${i.name}`).join(',')}${pooled}`
  if (o.pool === true) {
    // The output carries the query's mask: a mask-aware pooling shows it.
    layers.push({name: 'p', class_name: 'GlobalAveragePooling1D', args: {}})
    nodes.push({layer: 'p', inputs: 'y0', output: 'z'})
  }
  return graph(id, base.model.inputs, layers, nodes, o.pool === true ? ['z'] : base.model.outputs ?? [])
}

const causalOf = (): AttentionOptions => ({kwargs: {use_causal_mask: true}, label: ',use_causal_mask=true'})

/**
 * Attention on Embedding(mask_zero) outputs of tokens in [1, 4) with some set to 0: a masked query step, a
 * value whose every step is masked in sample 0 (fully masked rows) and one masked value step in sample 1.
 */
function embeddedAttention(className: string, args: Args, o: AttentionOptions = {}): ComputeCase {
  const listCall = o.listCall ?? true
  const outputs = Array.from({length: o.outputs ?? 1}, (_v, i) => `y${i}`)
  const inputs: InputSpec[] = [
    {name: 't', shape: [3], dtype: 'int32', range: [1, 4], set: [{index: [1, 2], value: 0}]},
    {name: 'u', shape: [2], dtype: 'int32', range: [1, 4], set: [{index: [0, 0], value: 0}, {index: [0, 1], value: 0}, {index: [1, 1], value: 0}]},
  ]
  const embedding = {input_dim: 4, output_dim: 4, mask_zero: true}
  const layers = [{name: 'e_t', class_name: 'Embedding', args: embedding}, {name: 'e_u', class_name: 'Embedding', args: embedding}, {name: 'l', class_name: className, args}]
  const output = outputs.length === 1 ? 'y0' : outputs
  const call = listCall ? {layer: 'l', inputs: ['a', 'b'], kwargs: o.kwargs ?? {}, output} : {layer: 'l', inputs: 'a', extra_args: ['b'], kwargs: o.kwargs ?? {}, output}
  const nodes = [{layer: 'e_t', inputs: 't', output: 'a'}, {layer: 'e_u', inputs: 'u', output: 'b'}, call]
  return graph(`${idOf(className, args)}${o.label ?? ''} on Embedding(mask_zero) q,v`, inputs, layers, nodes, outputs)
}

/** Masked-input and fully-masked-row cases of Attention and AdditiveAttention. */
function maskedDotAttention(): ComputeCase[] {
  const causal = causalOf()
  return [
    maskedAttention('Attention', {}, [QM, VM], ['q', 'v']),
    maskedAttention('Attention', {}, [QM, QM], ['q'], causal),
    maskedAttention('Attention', {}, [QM, VM], ['q', 'v'], {kwargs: {return_attention_scores: true}, outputs: 2, label: ',return_attention_scores=true'}),
    maskedAttention('Attention', {}, [Q, VF], ['v']),
    maskedAttention('Attention', {}, [QM, VM, KM], ['q', 'v', 'k']),
    maskedAttention('Attention', {}, [QM, VM], ['q', 'v'], {pool: true}),
    embeddedAttention('Attention', {}),
    embeddedAttention('AdditiveAttention', {}, causalOf()),
    maskedAttention('AdditiveAttention', {}, [QM, VM, KM], ['q', 'v', 'k']),
    maskedAttention('AdditiveAttention', {use_scale: false}, [QM, VF], ['q', 'v'], causal),
  ]
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
  return [...cases, ...maskedMultiHead(g)]
}

/** MultiHeadAttention / GroupQueryAttention with masked inputs, causal masks and attention_mask tensors. */
function maskedMultiHead(g: Generation): ComputeCase[] {
  const h = {num_heads: 2, key_dim: 2}
  const mha = (args: Args, ins: InputSpec[], masked: string[], o: AttentionOptions = {}): ComputeCase =>
    maskedAttention('MultiHeadAttention', args, ins, masked, {...o, listCall: false})
  const causal = {kwargs: {use_causal_mask: true}, label: ',use_causal_mask=true'}
  const cases = [
    mha(h, [QM, VM], ['q', 'v']),
    mha({...h, dropout: 0.5}, [QM, VM], ['q', 'v']),
    mha(h, [QM, VM], ['q', 'v'], {kwargs: {return_attention_scores: true}, outputs: 2, label: ',return_attention_scores=true'}),
    mha(h, [Q, Q], [], causal),
    mha(h, [QM, QM], ['q'], causal),
    mha(h, [QM, VF, KM], ['q', 'v', 'k']),
    mha(h, [QM, VM], ['q', 'v'], {pool: true}),
    attentionMaskCase(g, {}),
    attentionMaskCase(g, {dropout: 0.5}),
    embeddedAttention('MultiHeadAttention', h, {listCall: false}),
    embeddedAttention('MultiHeadAttention', {...h, dropout: 0.5}, {listCall: false}),
    embeddedAttention('MultiHeadAttention', h, {listCall: false, kwargs: {return_attention_scores: true}, outputs: 2, label: ',return_attention_scores=true'}),
  ]
  if (g === 'keras2') cases.push(mha({...h, softmax_robust_masking: true}, [QM, QM], ['q'], causal))
  if (g === 'keras3') {
    const gqa = (args: Args, ins: InputSpec[], masked: string[], o: AttentionOptions = {}): ComputeCase =>
      maskedAttention('GroupQueryAttention', args, ins, masked, {...o, listCall: false})
    const g2 = {head_dim: 2, num_query_heads: 2, num_key_value_heads: 1}
    cases.push(
      mha({...h, use_gate: true}, [Q, V], []),
      mha({...h, sliding_window: 2}, [Q, Q], []),
      mha({...h, sliding_window: 2, dropout: 0.5}, [QM, QM], ['q'], causal),
      gqa(g2, [QM, VM], ['q', 'v']),
      gqa(g2, [QM, VM], ['q', 'v'], {pool: true}),
      gqa({...g2, dropout: 0.5}, [Q, Q], [], causal),
      gqa({...g2, use_gate: true, sliding_window: 1}, [QM, Q], ['q']),
    )
  }
  return cases
}

/**
 * MultiHeadAttention given explicit mask tensors (int inputs of 0 / 1): tf-keras `(query, value, key,
 * attention_mask)`, Keras 3 `(query, value, key, query_mask, value_mask, key_mask, attention_mask)`, positionally.
 */
function attentionMaskCase(g: Generation, extra: Args): ComputeCase {
  const args = {num_heads: 2, key_dim: 2, ...extra}
  const bits = (name: string, shape: number[]): InputSpec => ({name, shape, dtype: 'int32', range: [0, 2]})
  const masks = g === 'keras3' ? [bits('qmask', [3]), bits('vmask', [2]), bits('kmask', [2]), bits('am', [3, 2])] : [bits('am', [3, 2])]
  const ins = [QM, V, ...masks]
  const names = ['v', 'v', ...masks.map((m) => m.name)]
  const id = `${idOf('MultiHeadAttention', args)} on masked q,v,v,${masks.map((m) => m.name).join(',')}`
  const layers = [{name: 'm_q', class_name: 'Masking', args: {}}, {name: 'l', class_name: 'MultiHeadAttention', args}]
  const nodes = [{layer: 'm_q', inputs: 'q', output: 'q_m'}, {layer: 'l', inputs: 'q_m', extra_args: names, kwargs: {}, output: 'y0'}]
  return graph(id, ins, layers, nodes, ['y0'])
}

/** One merge layer on inputs of the given shapes (no masks). */
function merge(className: string, args: Args, shapes: number[][]): ComputeCase {
  const ins = shapes.map((shape, i) => ({name: `x${i}`, shape}))
  const id = `${idOf(className, args)} on ${shapes.map((s) => JSON.stringify(s)).join(' ')}`
  return graph(id, ins, [{name: 'l', class_name: className, args}], [{layer: 'l', inputs: ins.map((i) => i.name), output: 'y'}], ['y'])
}

/** Whole timesteps set to 0 (Masking's mask_value): different ones in each input. */
const STEPS_A = [{index: [0, 1], value: 0}, {index: [1, 0], value: 0}, {index: [1, 3], value: 0}]
const STEPS_B = [{index: [0, 1], value: 0}, {index: [0, 2], value: 0}, {index: [1, 3], value: 0}]

/**
 * A merge of Masking(x0) with x1 (masked too when `both`), optionally pooled by GlobalAveragePooling1D so the
 * merged mask shows in the output.
 */
function maskedMerge(className: string, args: Args, o: {both?: boolean; pool?: boolean} = {}): ComputeCase {
  const id = `${idOf(className, args)} on masked [4,3]${o.both === true ? ' masked' : ''} [4,3]${o.pool === true ? '+GlobalAveragePooling1D' : ''}`
  const layers: ModelSpecCase['layers'] = [{name: 'm0', class_name: 'Masking', args: {}}, {name: 'l', class_name: className, args}]
  const nodes: NonNullable<ModelSpecCase['nodes']> = [{layer: 'm0', inputs: 'x0', output: 'a'}]
  let second = 'x1'
  if (o.both === true) {
    layers.push({name: 'm1', class_name: 'Masking', args: {}})
    nodes.push({layer: 'm1', inputs: 'x1', output: 'b'})
    second = 'b'
  }
  nodes.push({layer: 'l', inputs: ['a', second], output: 'y'})
  if (o.pool === true) {
    layers.push({name: 'p', class_name: 'GlobalAveragePooling1D', args: {}})
    nodes.push({layer: 'p', inputs: 'y', output: 'z'})
  }
  const inputs = [{name: 'x0', shape: [4, 3], set: STEPS_A}, {name: 'x1', shape: [4, 3], set: STEPS_B}]
  return graph(id, inputs, layers, nodes, [o.pool === true ? 'z' : 'y'])
}

function mergeExtras(): ComputeCase[] {
  return [
    merge('Add', {}, [[3, 4], [4]]),
    merge('Multiply', {}, [[3, 1], [3, 4]]),
    merge('Maximum', {}, [[2, 3, 4], [4]]),
    merge('Subtract', {}, [[3, 4], [1, 4]]),
    merge('Average', {}, [[3, 4], [3, 4], [4]]),
    merge('Concatenate', {axis: 1}, [[2, 2, 3], [1, 2, 3]]),
    merge('Dot', {axes: [1, 2]}, [[3, 4], [2, 3]]),
    merge('Dot', {axes: -1}, [[2, 3, 4], [3, 4]]),
    merge('Dot', {axes: [2, 1], normalize: true}, [[3, 4], [4, 5]]),
    merge('Dot', {axes: [-1, -2]}, [[2, 3, 4], [2, 4, 3]]),
    merge('Dot', {axes: [1, 1]}, [[4], [4, 2]]),
    maskedMerge('Maximum', {}),
    maskedMerge('Minimum', {}, {both: true}),
    maskedMerge('Multiply', {}),
    maskedMerge('Multiply', {}, {both: true}),
    maskedMerge('Add', {}, {both: true, pool: true}),
    maskedMerge('Concatenate', {}, {pool: true}),
    maskedMerge('Concatenate', {}, {both: true, pool: true}),
  ]
}

/** The normalization and attention family for one generation. */
export function normCases(g: Generation): ComputeCase[] {
  return [...batchNorm(g), ...otherNorms(g), ...mergeExtras(), ...dotAttention(), ...maskedDotAttention(), ...multiHead(g)]
}
