/**
 * The canonical model: every reader produces it, every writer and the graph engine consume it.
 *
 * It keeps Keras's on-disk vocabulary (snake_case keys, `class_name` / `config`) and is lossless: keys kmodel
 * does not model are kept verbatim in `config` / `extra`, and each inbound node keeps its raw form, so a model
 * written back in its own dialect is the document that was read (after the legacy normalisations listed in
 * normalize.ts). It never holds weight values.
 */
import type {Json, JsonObject} from '../json.js'

/**
 * The layout of the document: `keras2` covers Keras 1/2, tf.keras and tfjs (list inbound nodes,
 * `batch_input_shape`); `keras3` is Keras 3 (`module`, dict nodes with `__keras_tensor__`, `batch_shape`).
 */
export type Dialect = 'keras2' | 'keras3'

/** One tensor feeding a call: the `['dense', 0, 0]` of a legacy descriptor or a Keras 3 `keras_history`. */
export interface TensorRef {
  layer: string
  node_index: number
  tensor_index: number
}

/**
 * One call of a layer inside its model (a Keras "inbound node").
 * Legacy: `[["a", 0, 0, {}], ["b", 0, 0, {}]]`; Keras 3: `{"args": [[kt_a, kt_b]], "kwargs": {}}`.
 */
export interface NodeSpec {
  /** Tensors passed positionally (the first argument's structure, then further positional tensors), in order. */
  inputs: TensorRef[]
  /** Tensors passed as keyword arguments (legacy: 3-element refs inside kwargs; Keras 3: tensors in `kwargs`). */
  kwarg_inputs: TensorRef[]
  /** The node exactly as the file had it, so a same-dialect write is lossless. */
  raw: Json
}

/** The layer graph of a model (Sequential, Functional/Model), top level or nested. */
export interface GraphSpec {
  /** True for Sequential: layers chain in order and carry no inbound nodes. */
  sequential: boolean
  layers: LayerSpec[]
  /** Model inputs; for a Sequential, the first layer's output (derived). */
  inputs: TensorRef[]
  /** Model outputs; for a Sequential, the last layer's output (derived). */
  outputs: TensorRef[]
  /** Raw `input_layers` / `output_layers` of a functional config (dict, flat or nested form), kept for output. */
  io: {input_layers: Json; output_layers: Json} | null
}

/** One entry of `config.layers`, or the model itself at the root. */
export interface LayerSpec {
  class_name: string
  name: string
  /**
   * The layer's config, snake_case as on disk. For a model (root or nested) it holds the config keys other
   * than `layers`, `input_layers` and `output_layers` (e.g. `name`, `trainable`, `build_input_shape`).
   */
  config: JsonObject
  /** Calls of this layer inside its parent model; empty for Sequential members and the root. */
  inbound_nodes: NodeSpec[]
  /**
   * Keys of the entry other than class_name / config / name / inbound_nodes, in file order: `module`,
   * `registered_name`, `build_config`, `shared_object_id`; at the root also `keras_version`, `backend`,
   * `compile_config`.
   */
  extra: JsonObject
  /** Present when this layer is itself a model (Sequential / Functional / Model). */
  graph?: GraphSpec
}

/** A whole model as read from one file. */
export interface ModelSpec {
  dialect: Dialect
  /** The Keras version that wrote the file, as a string (`"2.2.4-tf"`, `"3.4.1"`), or null when unknown. */
  keras_version: string | null
  /** The root model: a LayerSpec whose `graph` is set. */
  root: LayerSpec & {graph: GraphSpec}
  /** `training_config` of a full-model .h5 or tfjs model.json (not part of `to_json()`), or null. */
  training_config: Json | null
}

/** Class names that denote a model with a layer graph. */
export const MODEL_CLASSES: ReadonlySet<string> = new Set(['Sequential', 'Functional', 'Model'])

/**
 * Whose rules apply to a model: Keras 3 for files Keras 3 wrote (keras_version ≥ 3), Keras 2 (tf-keras) for
 * everything older; without a version, the document's layout decides. A Keras 3 layout claiming a Keras 1
 * version is read by Keras 3 (no Keras 1 wrote that layout).
 */
export function generationOf(model: Pick<ModelSpec, 'dialect' | 'keras_version'>): Dialect {
  const major = Number.parseInt(model.keras_version ?? '', 10)
  if (Number.isFinite(major) && !(major < 2 && model.dialect === 'keras3')) return major >= 3 ? 'keras3' : 'keras2'
  return model.dialect === 'keras3' ? 'keras3' : 'keras2'
}
