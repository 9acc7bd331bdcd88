/** Inline builders for graph tests: layers with legacy inbound nodes, Sequential and functional models. */
import type {Json, JsonObject} from '../../../src/core/json.js'
import type {Dialect, GraphSpec, LayerSpec, ModelSpec, NodeSpec, TensorRef} from '../../../src/core/model/spec.js'

/** `['dense', 0, 0]` */
export type Ref = [string, number, number]

const ref = ([layer, node_index, tensor_index]: Ref): TensorRef => ({layer, node_index, tensor_index})

/** A legacy node: positional refs plus refs passed by keyword (`{value: ['v', 0, 0]}`). */
export function node(inputs: Ref[], kwargs: Record<string, Ref> = {}, extra: JsonObject = {}): NodeSpec {
  const kw: JsonObject = {...extra, ...kwargs}
  return {inputs: inputs.map(ref), kwarg_inputs: Object.values(kwargs).map(ref), raw: inputs.map((r) => [...r, kw] as Json)}
}

/** A layer entry; `calls` lists one node per call. */
export function layer(class_name: string, name: string, config: JsonObject = {}, calls: NodeSpec[] = [], extra: JsonObject = {}): LayerSpec {
  return {class_name, name, config: {name, ...config}, inbound_nodes: calls, extra}
}

/** An InputLayer with a Keras 2 batch_input_shape. */
export function input(name: string, shape: Array<number | null>): LayerSpec {
  return layer('InputLayer', name, {batch_input_shape: shape, dtype: 'float32'})
}

/** A Sequential graph. */
export function sequentialGraph(layers: LayerSpec[]): GraphSpec {
  const last = layers.at(-1)
  return {sequential: true, layers, inputs: [], outputs: last === undefined ? [] : [{layer: last.name, node_index: 0, tensor_index: 0}], io: null}
}

/** A functional graph. */
export function functionalGraph(layers: LayerSpec[], inputs: Ref[], outputs: Ref[]): GraphSpec {
  return {sequential: false, layers, inputs: inputs.map(ref), outputs: outputs.map(ref), io: null}
}

/** A model (root) around a graph. */
export function model(class_name: string, name: string, graph: GraphSpec, config: JsonObject = {}, opts: {dialect?: Dialect; extra?: JsonObject} = {}): ModelSpec {
  return {
    dialect: opts.dialect ?? 'keras2',
    keras_version: opts.dialect === 'keras3' ? null : '2.12.0',
    root: {class_name, name, config: {name, ...config}, inbound_nodes: [], extra: opts.extra ?? {}, graph},
    training_config: null,
  }
}

/** A nested model used as a layer of an outer functional model. */
export function nested(class_name: string, name: string, graph: GraphSpec, calls: NodeSpec[], config: JsonObject = {}): LayerSpec {
  return {class_name, name, config: {name, ...config}, inbound_nodes: calls, extra: {}, graph}
}

/** A Keras 3 `__keras_tensor__` argument. */
export function kerasTensor(history: Ref, shape: Array<number | null>): JsonObject {
  return {class_name: '__keras_tensor__', config: {shape, dtype: 'float32', keras_history: history}}
}
