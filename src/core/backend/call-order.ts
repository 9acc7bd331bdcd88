/**
 * tfjs-layers 4.22 rebuilds a functional model by creating each layer's calls in the order their inputs become
 * available (container.js `fromConfig`: every layer's saved nodes are queued, then re-tried pass after pass in layer
 * order), and it resolves a reference `[layer, node, tensor]` against that creation order. Keras maps the saved
 * node indices instead. So when a shared layer's saved call 0 depends on a layer listed after it (`relu(dense(x))`
 * saved before `relu(x)`), tfjs swaps the two calls and computes different numbers than Keras, without an error.
 * This replays tfjs's queue on the document it is about to get and refuses such a model (issue #11's compute core
 * follows the saved node indices).
 */
import {BackendError} from '../errors.js'
import {type Json, type JsonObject, isArray, isObject} from '../json.js'

/** Calls a layer already has when tfjs creates it: an InputLayer's own node, a built nested model's. */
function initialNodes(layer: JsonObject): number {
  if (layer.class_name === 'InputLayer') return 1
  const config = layer.config
  if (!isObject(config) || !isArray(config.layers)) return 0
  if (config.input_layers !== undefined) return 1
  const first = config.layers[0]
  return isObject(first) && (first.class_name === 'InputLayer' || (isObject(first.config) && first.config.batch_input_shape !== undefined)) ? 1 : 0
}

/** `[inbound layer, node index]` of every input descriptor of a legacy node (`[[name, node, tensor, kwargs], …]`). */
function refsOf(node: Json): Array<[string, number]> {
  if (!isArray(node)) return []
  return node.filter(isArray).map((d) => [String(d[0]), Number(d[1])] as [string, number])
}

/** Where tfjs would create a layer's saved call under another index, or never create it; null when it follows Keras. */
export function callOrderProblem(config: JsonObject): string | null {
  const layers = (isArray(config.layers) ? config.layers : []).filter(isObject)
  const created = new Map<string, number>(layers.map((l) => [String(l.name), initialNodes(l)]))
  const queue = new Map<string, Array<{index: number; node: Json}>>()
  for (const layer of layers) {
    const nodes = isArray(layer.inbound_nodes) ? layer.inbound_nodes : []
    const initial = initialNodes(layer)
    if (nodes.length > 0) queue.set(String(layer.name), nodes.map((node, i) => ({index: i + initial, node})))
  }
  while (queue.size > 0) {
    let progress = false
    for (const layer of layers) {
      const name = String(layer.name)
      const pending = queue.get(name)
      if (pending === undefined) continue
      queue.delete(name)
      for (const item of pending) {
        const refs = refsOf(item.node)
        const ready = refs.every(([inbound, index]) => (created.get(inbound) ?? 0) > index)
        if (!ready || refs.length === 0) {
          if (refs.length > 0) queue.set(name, [...(queue.get(name) ?? []), item])
          continue
        }
        const at = created.get(name) ?? 0
        if (at !== item.index) return `layer '${name}': its saved call ${item.index} would be built as call ${at}`
        created.set(name, at + 1)
        progress = true
      }
    }
    if (!progress && queue.size > 0) return `layer '${[...queue.keys()][0] ?? ''}': a saved call whose inputs are never built`
  }
  for (const layer of layers) {
    const inner = layer.config
    if (isObject(inner) && isArray(inner.layers) && inner.input_layers !== undefined) {
      const problem = callOrderProblem(inner)
      if (problem !== null) return problem
    }
  }
  return null
}

/** Throws BackendError KM_BACKEND_CALL_ORDER when tfjs would connect a shared layer's calls differently from Keras. */
export function refuseCallOrder(document: JsonObject, modelName: string): void {
  const config = document.config
  if (!isObject(config) || config.input_layers === undefined) return
  const problem = callOrderProblem(config)
  if (problem === null) return
  throw new BackendError('KM_BACKEND_CALL_ORDER', `TensorFlow.js would connect the calls of model '${modelName}' out of their saved order (${problem}), so its outputs would differ from Keras's; kmodel refuses to compute them.`, {
    hint: 'A shared layer whose first saved call depends on a layer listed after it; summary, conversion and weights work, only the compute path (issue #11) cannot run it yet.',
  })
}
