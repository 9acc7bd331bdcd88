/**
 * Call arguments of one inbound node in both layouts: keyword arguments (`return_attention_scores`, …),
 * tensors passed by keyword with their argument names, and the order Keras lists a call's tensors in.
 */
import {type Json, type JsonObject, isArray, isObject} from '../json.js'
import {asDescriptor, asKerasTensor} from '../model/nodes.js'
import type {TensorRef} from '../model/spec.js'
import type {CallSite} from './topology.js'

/** Keyword arguments of a call: the kwargs of a legacy descriptor, or a Keras 3 node's `kwargs`. */
export function callKwargs(raw: Json): JsonObject {
  if (isObject(raw)) return isObject(raw.kwargs) ? raw.kwargs : {}
  const firstDescriptor = isArray(raw) ? (typeof raw[0] === 'string' ? raw : raw[0]) : undefined
  const kwargs = isArray(firstDescriptor) ? firstDescriptor[3] : undefined
  return isObject(kwargs) ? kwargs : {}
}

/**
 * Tensors passed by keyword, by argument name: legacy kwargs hold 3-element refs (`{"value": ["v", 0, 0]}`),
 * Keras 3 kwargs hold `__keras_tensor__` objects. Arguments holding several tensors are left out.
 */
export function namedKwargRefs(raw: Json): Map<string, TensorRef> {
  const out = new Map<string, TensorRef>()
  for (const [name, value] of Object.entries(callKwargs(raw))) {
    const ref = isObject(raw) ? asKerasTensor(value) : isArray(value) && value.length === 3 ? asDescriptor(value) : undefined
    if (ref !== undefined) out.set(name, ref)
  }
  return out
}

/**
 * The call's tensors in the order Keras lists them under "Connected to": positional first, then keyword
 * tensors with argument names sorted (tf.nest / keras.tree flatten dicts by sorted key).
 */
export function inboundOrder(call: CallSite): TensorRef[] {
  const named = [...namedKwargRefs(call.node.raw)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, ref]) => ref)
  const rest = call.node.kwarg_inputs.filter((r) => !named.some((n) => n.layer === r.layer && n.node_index === r.node_index && n.tensor_index === r.tensor_index))
  return [...call.node.inputs, ...named, ...rest]
}
