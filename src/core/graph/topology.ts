/**
 * The layer graph of a model: which call feeds which, in an order where inputs come first.
 * Also the graph-integrity checks Keras performs when rebuilding a functional model: unique names, no dangling
 * or out-of-range references, no cycles. Iterative throughout, so 100,000-layer chains are fine.
 */
import {FormatError} from '../errors.js'
import {jsonPath} from '../json.js'
import type {GraphSpec, LayerSpec, NodeSpec, TensorRef} from '../model/spec.js'

/** One call of a layer: `node_index` is the index other layers use to reference its output. */
export interface CallSite {
  layer: LayerSpec
  node_index: number
  node: NodeSpec
}

const EMPTY_NODE: NodeSpec = {inputs: [], kwarg_inputs: [], raw: []}

function key(layer: string, node: number): string {
  return `${node}\u0000${layer}`
}

/** Every reference made inside the graph, with the place it was made. */
function allRefs(graph: GraphSpec, path: string): Array<{ref: TensorRef; at: string}> {
  const out: Array<{ref: TensorRef; at: string}> = []
  graph.layers.forEach((layer, i) => layer.inbound_nodes.forEach((node, j) => {
    const at = jsonPath(path, 'layers', i, 'inbound_nodes', j)
    for (const ref of [...node.inputs, ...node.kwarg_inputs]) out.push({ref, at})
  }))
  graph.inputs.forEach((ref) => out.push({ref, at: jsonPath(path, 'input_layers')}))
  graph.outputs.forEach((ref) => out.push({ref, at: jsonPath(path, 'output_layers')}))
  return out
}

/**
 * How a nested model's calls are numbered: Keras gives a nested functional model (or a nested Sequential that
 * starts with an InputLayer) an internal node 0, so its first call in the outer model is node 1 (§1.3).
 * The references in the file decide when they disagree with that rule.
 */
function nodeOffsets(graph: GraphSpec, refs: Array<{ref: TensorRef}>): Map<string, number> {
  const offsets = new Map<string, number>()
  for (const layer of graph.layers) {
    if (layer.graph === undefined || layer.inbound_nodes.length === 0) continue
    const used = refs.filter((r) => r.ref.layer === layer.name).map((r) => r.ref.node_index)
    const rule = !layer.graph.sequential || layer.graph.layers[0]?.class_name === 'InputLayer'
    const offset = used.includes(0) ? 0 : rule || used.includes(layer.inbound_nodes.length) ? 1 : 0
    offsets.set(layer.name, offset)
  }
  return offsets
}

/** All calls of a functional graph, keyed by (layer, referenced node index). */
function functionalCalls(graph: GraphSpec, offsets: Map<string, number>): CallSite[] {
  const calls: CallSite[] = []
  for (const layer of graph.layers) {
    if (layer.inbound_nodes.length === 0) {
      calls.push({layer, node_index: 0, node: EMPTY_NODE})
      continue
    }
    const offset = offsets.get(layer.name) ?? 0
    layer.inbound_nodes.forEach((node, i) => calls.push({layer, node_index: i + offset, node}))
  }
  return calls
}

function checkUniqueNames(graph: GraphSpec, path: string): void {
  const seen = new Map<string, number>()
  graph.layers.forEach((layer, i) => {
    const first = seen.get(layer.name)
    if (first !== undefined) {
      throw new FormatError('KM_FORMAT_DUPLICATE_NAME', `Duplicate layer name '${layer.name}' at ${jsonPath(path, 'layers', i)} (first used at ${jsonPath(path, 'layers', first)}).`, {
        path: jsonPath(path, 'layers', i), hint: 'Keras requires unique layer names within a model; rename one of them.',
      })
    }
    seen.set(layer.name, i)
  })
}

function checkRefs(graph: GraphSpec, refs: Array<{ref: TensorRef; at: string}>, calls: Map<string, CallSite>): void {
  const byName = new Map(graph.layers.map((l) => [l.name, l]))
  for (const {ref, at} of refs) {
    const layer = byName.get(ref.layer)
    if (layer === undefined) {
      throw new FormatError('KM_FORMAT_DANGLING_REF', `Invalid inbound connection to unknown layer '${ref.layer}' at ${at}.`, {
        path: at, hint: `No layer of this model is named '${ref.layer}'; check the layer names in config.layers.`,
      })
    }
    if (layer.inbound_nodes.length === 0 && layer.class_name !== 'InputLayer' && layer.graph === undefined) {
      throw new FormatError('KM_FORMAT_NODE_INDEX', `Layer '${ref.layer}' is never called (its inbound_nodes are empty), referenced at ${at}.`, {
        path: at, hint: 'Only an InputLayer has no inbound nodes; every other layer of a functional model records the calls that made its outputs.',
      })
    }
    if (!calls.has(key(ref.layer, ref.node_index))) {
      const count = Math.max(1, layer.inbound_nodes.length)
      throw new FormatError('KM_FORMAT_NODE_INDEX', `Layer '${ref.layer}' has no node ${ref.node_index} (it is called ${count} time${count === 1 ? '' : 's'}), referenced at ${at}.`, {
        path: at, hint: 'Node indices count the calls of a layer inside this model, from 0 (from 1 for a nested functional model).',
      })
    }
    if (ref.tensor_index < 0) {
      throw new FormatError('KM_FORMAT_NODE_INDEX', `Negative tensor index ${ref.tensor_index} for layer '${ref.layer}' at ${at}.`, {path: at, hint: 'Tensor indices count from 0.'})
    }
  }
}

/** Kahn's algorithm over calls; anything left over is part of a cycle. */
function sortCalls(graph: GraphSpec, calls: CallSite[], path: string): CallSite[] {
  const byKey = new Map(calls.map((c) => [key(c.layer.name, c.node_index), c]))
  const waiting = new Map<CallSite, number>()
  const dependents = new Map<string, CallSite[]>()
  for (const call of calls) {
    const deps = new Set([...call.node.inputs, ...call.node.kwarg_inputs].map((r) => key(r.layer, r.node_index)))
    waiting.set(call, deps.size)
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), call])
  }
  const ready = calls.filter((c) => waiting.get(c) === 0)
  const order: CallSite[] = []
  for (let i = 0; i < ready.length; i++) {
    const call = ready[i] as CallSite
    order.push(call)
    for (const next of dependents.get(key(call.layer.name, call.node_index)) ?? []) {
      const left = (waiting.get(next) ?? 0) - 1
      waiting.set(next, left)
      if (left === 0) ready.push(next)
    }
  }
  if (order.length < calls.length) {
    const stuck = calls.find((c) => (waiting.get(c) ?? 0) > 0 && byKey.has(key(c.layer.name, c.node_index)))
    const index = graph.layers.findIndex((l) => l === stuck?.layer)
    throw new FormatError('KM_FORMAT_CYCLE', `The layer graph has a cycle through layer '${stuck?.layer.name ?? '?'}' at ${jsonPath(path, 'layers', index)}.`, {
      path: jsonPath(path, 'layers', index), hint: 'A functional model is a directed acyclic graph: no layer may (indirectly) consume its own output.',
    })
  }
  return order
}

/** A Sequential's calls: each layer consumes the previous layer's output. */
function sequentialCalls(graph: GraphSpec): CallSite[] {
  return graph.layers.map((layer, i) => {
    const prev = graph.layers[i - 1]
    const inputs = prev === undefined ? [] : [{layer: prev.name, node_index: 0, tensor_index: 0}]
    return {layer, node_index: 0, node: {inputs, kwarg_inputs: [], raw: []}}
  })
}

/**
 * Every call of the graph, inputs first. Throws FormatError on duplicate names, dangling or out-of-range
 * references and cycles. `path` is the JSON path of the graph's config (for messages).
 */
export function callOrder(graph: GraphSpec, path = '$.config'): CallSite[] {
  checkUniqueNames(graph, path)
  if (graph.sequential) return sequentialCalls(graph)
  const refs = allRefs(graph, path)
  const calls = functionalCalls(graph, nodeOffsets(graph, refs))
  checkRefs(graph, refs, new Map(calls.map((c) => [key(c.layer.name, c.node_index), c])))
  return sortCalls(graph, calls, path)
}

/** Checks a graph and every nested model graph inside it. */
export function checkGraph(graph: GraphSpec, path = '$.config'): void {
  const stack: Array<{graph: GraphSpec; path: string}> = [{graph, path}]
  while (stack.length > 0) {
    const item = stack.pop() as {graph: GraphSpec; path: string}
    callOrder(item.graph, item.path)
    item.graph.layers.forEach((layer, i) => {
      if (layer.graph !== undefined) stack.push({graph: layer.graph, path: jsonPath(item.path, 'layers', i, 'config')})
    })
  }
}
