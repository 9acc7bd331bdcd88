/**
 * Where a graph's input shapes come from, and the shape hints a file carries besides the layer configs:
 * Keras 3 `__keras_tensor__` entries record the shape of every tensor passed to a call, and tf.keras 2.13+ /
 * Keras 3 `build_config.input_shape` records what a layer was built with. Hints settle shapes the rules
 * cannot (opaque Lambda / custom layers) without executing anything.
 */
import {type Json, type JsonObject, isArray, isObject} from '../json.js'
import {declaredInputShape} from '../layers/index.js'
import {dimList} from '../layers/config.js'
import type {Shape} from '../layers/types.js'
import {asKerasTensor} from '../model/nodes.js'
import type {GraphSpec, LayerSpec, TensorRef} from '../model/spec.js'

/** Key of one tensor: layer, node index, tensor index. */
export function tensorKey(ref: TensorRef): string {
  return `${ref.layer}\u0000${ref.node_index}\u0000${ref.tensor_index}`
}

/** `build_config.input_shape` of an entry (`extra`), as one shape or a list of shapes. */
export function buildShapes(layer: LayerSpec): Shape[] | undefined {
  const build = layer.extra.build_config
  if (!isObject(build)) return undefined
  const shape = build.input_shape
  const one = dimList(shape)
  if (one !== undefined) return [one]
  if (isArray(shape) && shape.every((s) => dimList(s) !== undefined)) return shape.map((s) => dimList(s) ?? [])
  return undefined
}

/** Every `__keras_tensor__` inside a Keras 3 node, with its recorded shape. */
function kerasTensorShapes(raw: Json, out: Map<string, Shape>): void {
  const ref = asKerasTensor(raw)
  if (ref !== undefined && isObject(raw) && isObject(raw.config)) {
    const shape = dimList(raw.config.shape)
    if (shape !== undefined) out.set(tensorKey(ref), shape)
    return
  }
  if (isArray(raw)) raw.forEach((v) => kerasTensorShapes(v, out))
  else if (isObject(raw)) Object.values(raw).forEach((v) => kerasTensorShapes(v, out))
}

/**
 * Shapes of tensors as the file records them, keyed by tensorKey: Keras 3 tensors first, then
 * `build_config` of single-call layers (matched to the call's positional inputs in order; in a Sequential,
 * a layer's build shape is its predecessor's output).
 */
export function collectHints(graph: GraphSpec): Map<string, Shape> {
  const hints = new Map<string, Shape>()
  for (const layer of graph.layers) {
    for (const node of layer.inbound_nodes) kerasTensorShapes(node.raw, hints)
  }
  graph.layers.forEach((layer, i) => {
    const prev = graph.layers[i - 1]
    const built = buildShapes(layer)?.[0]
    if (graph.sequential && prev !== undefined && built !== undefined) hints.set(tensorKey({layer: prev.name, node_index: 0, tensor_index: 0}), built)
  })
  for (const layer of graph.layers) {
    const built = buildShapes(layer)
    const node = layer.inbound_nodes[0]
    if (built === undefined || node === undefined || layer.inbound_nodes.length !== 1) continue
    if (built.length !== node.inputs.length) continue
    node.inputs.forEach((ref, i) => {
      const shape = built[i]
      if (shape !== undefined && !hints.has(tensorKey(ref))) hints.set(tensorKey(ref), shape)
    })
  }
  return hints
}

/** `build_input_shape` of a Sequential config (Keras 2.2+, tf.keras, Keras 3). */
function buildInputShape(config: JsonObject): Shape | undefined {
  return dimList(config.build_input_shape)
}

/**
 * The input of a Sequential whose first layer is not an InputLayer: the shape the first layer declares
 * (`batch_input_shape`, `input_shape`, `input_dim`, Keras 1 `input_length`), else the model's
 * `build_input_shape`, else a `build_config.input_shape` on the model or on its first layer. When the first
 * layer is itself a model that declares none of these, its own input is the Sequential's (Keras's `add()` takes a
 * built model's input): a nested Sequential's first layer, or a functional model's single InputLayer — followed
 * down in a loop, however deep the nesting.
 */
export function sequentialInput(owner: LayerSpec, graph: GraphSpec): Shape | null {
  let model = owner
  let inner: GraphSpec | undefined = graph
  while (inner !== undefined) {
    const firstLayer: LayerSpec | undefined = inner.sequential ? inner.layers[0] : singleInputLayer(inner)
    if (firstLayer === undefined) return null
    const found = declaredInputShape(firstLayer.config, firstLayer.class_name)
      ?? (inner.sequential ? buildInputShape(model.config) ?? buildShapes(model)?.[0] : undefined)
      ?? buildShapes(firstLayer)?.[0]
    if (found !== undefined) return found
    model = firstLayer
    inner = firstLayer.graph
  }
  return null
}

/** The InputLayer of a functional graph with exactly one input. */
function singleInputLayer(graph: GraphSpec): LayerSpec | undefined {
  const only = graph.inputs.length === 1 ? graph.inputs[0] : undefined
  return only === undefined ? undefined : graph.layers.find((l) => l.name === only.layer && l.class_name === 'InputLayer')
}
