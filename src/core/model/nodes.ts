/**
 * Inbound nodes and model input/output lists in both layouts, parsed into TensorRefs and written back.
 *
 * Legacy (Keras 1/2, tf.keras, tfjs): a node is a list of descriptors `[name, node_index, tensor_index, kwargs?]`:
 *   `[["a", 0, 0, {}], ["b", 0, 0, {}]]`; TF-op layers store the descriptor one level shallower
 *   (`["dense", 0, 0, {"axis": 1}]`); tensors passed as keyword arguments sit inside kwargs as 3-element refs;
 *   constants are `["_CONSTANT_VALUE", -1, value, kwargs]`.
 * Keras 3: a node is `{"args": [...], "kwargs": {...}}` whose tensors are
 *   `{"class_name": "__keras_tensor__", "config": {"shape", "dtype", "keras_history": [name, node, tensor]}}`.
 */
import {FormatError} from '../errors.js'
import {type Json, type JsonObject, isArray, isInt, isObject, jsonPath} from '../json.js'
import type {Dialect, LayerSpec, NodeSpec, TensorRef} from './spec.js'

/** `["dense", 0, 0]` or `["dense", 0, 0, {...}]` with a real layer name (not `_CONSTANT_VALUE`). */
export function asDescriptor(value: Json | undefined): TensorRef | undefined {
  if (!isArray(value) || value.length < 3 || value.length > 4) return undefined
  const [layer, node, tensor, kwargs] = value
  if (typeof layer !== 'string' || !isInt(node) || !isInt(tensor)) return undefined
  if (kwargs !== undefined && !isObject(kwargs)) return undefined
  if (layer === '_CONSTANT_VALUE') return undefined
  return {layer, node_index: node, tensor_index: tensor}
}

/** A Keras 3 `__keras_tensor__` object's history, if `value` is one. */
export function asKerasTensor(value: Json | undefined): TensorRef | undefined {
  if (!isObject(value) || value.class_name !== '__keras_tensor__' || !isObject(value.config)) return undefined
  const history = value.config.keras_history
  if (!isArray(history) || history.length < 3) return undefined
  const [layer, node, tensor] = history
  if (typeof layer !== 'string' || !isInt(node) || !isInt(tensor)) return undefined
  return {layer, node_index: node, tensor_index: tensor}
}

/** All refs found by `match` anywhere inside `value`, depth first, in order. */
function collect(value: Json | undefined, match: (v: Json | undefined) => TensorRef | undefined, out: TensorRef[]): TensorRef[] {
  const ref = match(value)
  if (ref !== undefined) out.push(ref)
  else if (isArray(value)) for (const item of value) collect(item, match, out)
  else if (isObject(value)) for (const item of Object.values(value)) collect(item, match, out)
  return out
}

/** 3-element refs inside a legacy kwargs dict (tensors passed by keyword). */
function legacyKwargRefs(kwargs: Json | undefined): TensorRef[] {
  const out: TensorRef[] = []
  const walk = (v: Json | undefined): void => {
    if (isArray(v) && v.length === 3 && asDescriptor(v) !== undefined) out.push(asDescriptor(v) as TensorRef)
    else if (isArray(v)) v.forEach(walk)
    else if (isObject(v)) Object.values(v).forEach(walk)
  }
  walk(kwargs)
  return out
}

/** Parses one legacy node (list of descriptors, or a single shallow TF-op descriptor). */
function parseLegacyNode(raw: Json, path: string): NodeSpec {
  if (!isArray(raw)) {
    throw new FormatError('KM_FORMAT_INVALID_NODE', `Inbound node must be a list of [layer, node, tensor, kwargs] entries at ${path}.`, {
      path, hint: 'Legacy (Keras 2) nodes look like [["dense", 0, 0, {}]]; Keras 3 nodes like {"args": [...], "kwargs": {}}.',
    })
  }
  const single = asDescriptor(raw)
  const descriptors = single === undefined ? raw : [raw]
  const inputs: TensorRef[] = []
  const kwarg_inputs: TensorRef[] = []
  descriptors.forEach((d, i) => {
    const ref = asDescriptor(d)
    if (ref !== undefined) {
      inputs.push(ref)
      kwarg_inputs.push(...legacyKwargRefs(isArray(d) ? d[3] : undefined))
    } else if (isArray(d) && d[0] === '_CONSTANT_VALUE') {
      kwarg_inputs.push(...legacyKwargRefs(d[3]))
    } else if (isArray(d) && d.every((x) => asDescriptor(x) !== undefined)) {
      inputs.push(...collect(d, asDescriptor, []))
    } else {
      throw new FormatError('KM_FORMAT_INVALID_NODE', `Invalid inbound connection ${JSON.stringify(d)} at ${jsonPath(path, i)}.`, {
        path: jsonPath(path, i), hint: 'Each connection is [layer_name, node_index, tensor_index, kwargs].',
      })
    }
  })
  return {inputs, kwarg_inputs, raw}
}

/** Parses one Keras 3 node `{args, kwargs}`. */
function parseKeras3Node(raw: JsonObject): NodeSpec {
  return {inputs: collect(raw.args, asKerasTensor, []), kwarg_inputs: collect(raw.kwargs, asKerasTensor, []), raw}
}

/** Parses `inbound_nodes` of either layout. */
export function parseInboundNodes(value: Json | undefined, path: string): NodeSpec[] {
  if (value === undefined || value === null) return []
  if (!isArray(value)) {
    throw new FormatError('KM_FORMAT_INVALID_NODE', `inbound_nodes must be a list at ${path}.`, {path, hint: 'Use [] for a layer with no inputs.'})
  }
  return value.map((node, i) => (isObject(node) && ('args' in node || 'kwargs' in node) ? parseKeras3Node(node) : parseLegacyNode(node, jsonPath(path, i))))
}

/** True when any node of the list is a Keras 3 dict node. */
export function hasKeras3Nodes(value: Json | undefined): boolean {
  return isArray(value) && value.some((n) => isObject(n) && ('args' in n || 'kwargs' in n))
}

/**
 * Parses `input_layers` / `output_layers`: a flat triple (Keras 3, one tensor), a list of triples, or a dict
 * of triples (dict-structured inputs). Returns the refs in order.
 */
export function parseIoList(value: Json | undefined, path: string): TensorRef[] {
  if (value === undefined) {
    throw new FormatError('KM_FORMAT_MISSING_KEY', `A functional model config needs '${path.split('.').pop() ?? ''}' at ${path}.`, {
      path, hint: 'Functional configs list their inputs and outputs as [["layer_name", 0, 0]].',
    })
  }
  const refs = collect(value, (v) => (isArray(v) && v.length === 3 ? asDescriptor(v) : undefined), [])
  if (refs.length === 0) {
    throw new FormatError('KM_FORMAT_INVALID_IO', `No [layer, node, tensor] entry found in ${JSON.stringify(value)} at ${path}.`, {
      path, hint: 'Functional configs list their inputs and outputs as [["layer_name", 0, 0]].',
    })
  }
  return refs
}

/**
 * Keras 3 numbers the calls of a nested functional model (or of a nested Sequential that starts with an
 * InputLayer) from 0 in `inbound_nodes` (`keras_history`) but from 1 in `input_layers` / `output_layers`, which
 * keep the legacy numbering (Keras 3.15 to_json: `["inner_fn", 2, 0]` for the second call whose consumers say
 * `["inner_fn", 1, 0]`). kmodel numbers a graph's calls as its inbound nodes do, so such io refs move down by one.
 */
export function keras3IoRefs(refs: TensorRef[], layers: readonly LayerSpec[]): TensorRef[] {
  return refs.map((ref) => {
    const target = layers.find((l) => l.name === ref.layer)?.graph
    const owned = target !== undefined && (!target.sequential || target.layers[0]?.class_name === 'InputLayer')
    return owned && ref.node_index >= 1 ? {...ref, node_index: ref.node_index - 1} : ref
  })
}

/**
 * A reference's node index as Keras resolves it when it rebuilds a functional model: tf-keras maps every
 * reference to an InputLayer to its one node whatever the index (`get_node_index`), and Keras 3 indexes the
 * layer's calls as a Python list (`_inbound_nodes[node_index]`: -1 is the last call). Other indices are kept
 * (the graph check refuses them when out of range). Nested models keep theirs (their node numbering is offset).
 */
export function resolveNodeIndex(ref: TensorRef, target: LayerSpec | undefined, generation: Dialect): TensorRef {
  if (target === undefined || target.graph !== undefined) return ref
  const calls = Math.max(1, target.inbound_nodes.length)
  if (target.class_name === 'InputLayer' && target.inbound_nodes.length === 0) {
    return generation === 'keras2' || ref.node_index === -1 ? {...ref, node_index: 0} : ref
  }
  return generation === 'keras3' && ref.node_index < 0 && ref.node_index >= -calls ? {...ref, node_index: calls + ref.node_index} : ref
}

/** Every reference of a functional graph's layers and input/output lists, with its node index resolved. */
export function resolveGraphRefs(layers: LayerSpec[], io: {inputs: TensorRef[]; outputs: TensorRef[]}, generation: Dialect): {layers: LayerSpec[]; inputs: TensorRef[]; outputs: TensorRef[]} {
  const byName = new Map(layers.map((l) => [l.name, l]))
  const fix = (r: TensorRef): TensorRef => resolveNodeIndex(r, byName.get(r.layer), generation)
  const fixNode = (n: NodeSpec): NodeSpec => ({...n, inputs: n.inputs.map(fix), kwarg_inputs: n.kwarg_inputs.map(fix)})
  return {layers: layers.map((l) => ({...l, inbound_nodes: l.inbound_nodes.map(fixNode)})), inputs: io.inputs.map(fix), outputs: io.outputs.map(fix)}
}
