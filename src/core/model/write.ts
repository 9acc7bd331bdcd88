/**
 * The canonical model → the Keras document (`model.to_json()` layout) in the model's own dialect.
 * Nothing is re-derived: configs, extra keys and raw inbound nodes are written back as read, so
 * `read ∘ write ∘ read` equals `read`.
 */
import type {Json, JsonObject} from '../json.js'
import type {GraphSpec, LayerSpec, ModelSpec} from './spec.js'

/** How one entry's parts are laid out; dialect converters supply their own versions of these. */
export interface EntryWriter {
  /** The `inbound_nodes` value of a functional member of `graph`. */
  nodes(layer: LayerSpec, graph: GraphSpec): Json
  /** The `input_layers` / `output_layers` values of a functional graph. */
  io(graph: GraphSpec): {input_layers: Json; output_layers: Json}
  /** The layer's config (for models: without layers / input_layers / output_layers). */
  config(layer: LayerSpec): JsonObject
  /** Keys around class_name/config, e.g. module, registered_name, build_config. */
  extra(layer: LayerSpec): JsonObject
  /** The class name written for the layer. */
  className(layer: LayerSpec): string
}

/** Writes the canonical parts unchanged. */
export const SAME_DIALECT: EntryWriter = {
  nodes: (layer) => layer.inbound_nodes.map((n) => n.raw),
  io: (graph) => graph.io ?? {input_layers: [], output_layers: []},
  config: (layer) => layer.config,
  extra: (layer) => layer.extra,
  className: (layer) => layer.class_name,
}

/** A model's config: its own keys, then its layers and (functional) inputs/outputs. */
function graphConfig(layer: LayerSpec & {graph: GraphSpec}, w: EntryWriter): JsonObject {
  const graph = layer.graph
  const layers = graph.layers.map((l) => entry(l, w, graph.sequential ? null : graph))
  const config: JsonObject = {...w.config(layer), layers}
  if (!graph.sequential) Object.assign(config, w.io(graph))
  return config
}

/**
 * One layer entry: `module` first as Keras 3 and tf.keras 2.13+ write it, then class_name, config, the rest;
 * `name` and `inbound_nodes` when it is a member of the functional graph `parent`.
 */
export function entry(layer: LayerSpec, w: EntryWriter, parent: GraphSpec | null): JsonObject {
  const {module, ...rest} = w.extra(layer)
  const out: JsonObject = module === undefined ? {} : {module}
  out.class_name = w.className(layer)
  out.config = layer.graph === undefined ? w.config(layer) : graphConfig({...layer, graph: layer.graph}, w)
  Object.assign(out, rest)
  if (parent !== null) {
    out.name = layer.name
    out.inbound_nodes = w.nodes(layer, parent)
  }
  return out
}

/** The model document (`to_json()` content) in the model's own dialect. */
export function toDocument(model: ModelSpec, w: EntryWriter = SAME_DIALECT): JsonObject {
  return entry(model.root, w, null)
}
