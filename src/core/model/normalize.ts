/**
 * Raw Keras documents of every generation → the canonical ModelSpec. Each legacy variant is absorbed by its
 * own named step; inputs are never mutated (every step returns new objects).
 */
import {FormatError, type Warning} from '../errors.js'
import type {RawModelDocument} from '../formats/raw.js'
import {parsePythonJson} from '../formats/python-json.js'
import {type Json, type JsonObject, isArray, isObject, jsonPath, omit} from '../json.js'
import {isKeras1, normalizeKeras1Layer} from './keras1.js'
import {hasKeras3Nodes, parseInboundNodes, parseIoList} from './nodes.js'
import {type Dialect, type GraphSpec, type LayerSpec, MODEL_CLASSES, type ModelSpec} from './spec.js'

const ENTRY_KEYS = ['class_name', 'config', 'name', 'inbound_nodes']
const GRAPH_KEYS = ['layers', 'input_layers', 'output_layers']

/** The result of normalising: the model plus what was adjusted on the way. */
export interface Normalized {
  model: ModelSpec
  warnings: Warning[]
}

interface Context {
  keras1: boolean
  warnings: Warning[]
}

/** A JSON document that is itself a JSON string: `json.dump(model.to_json(), f)` (seen with tf_keras 2.18). */
function unwrapDoubleEncoded(doc: Json, source: string): Json {
  return typeof doc === 'string' && /^\s*[[{]/.test(doc) ? parsePythonJson(doc, `${source} (inner JSON string)`) : doc
}

/** Full-model H5 / converter wrapper `{keras_version, backend, model_config, training_config}`. */
function unwrapModelConfig(raw: RawModelDocument, doc: JsonObject): {doc: Json; raw: RawModelDocument} {
  const inner = typeof doc.model_config === 'string' ? parsePythonJson(doc.model_config, 'model_config') : doc.model_config ?? null
  const version = typeof doc.keras_version === 'string' ? doc.keras_version : raw.keras_version
  const backend = typeof doc.backend === 'string' ? doc.backend : raw.backend
  const training = doc.training_config === undefined ? raw.training_config : doc.training_config
  const withVersion = isObject(inner) && inner.keras_version === undefined && version !== null
    ? {...inner, keras_version: version, ...(backend === null ? {} : {backend})}
    : inner
  return {doc: withVersion, raw: {...raw, keras_version: version, backend, training_config: training}}
}

/** Peels containers until the `{class_name, config}` document (or a bare config) remains. */
function unwrap(raw: RawModelDocument, source: string): {doc: Json; raw: RawModelDocument} {
  let doc = unwrapDoubleEncoded(raw.document, source)
  // tfjs model.json: {format, modelTopology, weightsManifest}
  if (isObject(doc) && isObject(doc.modelTopology)) doc = doc.modelTopology
  if (isObject(doc) && 'model_config' in doc) return unwrapModelConfig(raw, doc)
  return {doc: withContainerVersion(doc, raw), raw}
}

/**
 * A full-model H5 keeps keras_version / backend beside model_config; to_json() of that model carries them
 * in the document, so they move into it (legacy documents only: Keras 3 documents carry no version).
 */
function withContainerVersion(doc: Json, raw: RawModelDocument): Json {
  if (raw.format !== 'keras-h5' || !isObject(doc) || 'module' in doc || raw.keras_version === null || 'keras_version' in doc) return doc
  return {...doc, keras_version: raw.keras_version, ...(raw.backend === null ? {} : {backend: raw.backend})}
}

/** Keras ≤2.1 / tfjs 1.x Sequential whose config is a bare list of layers. */
function listSequential(layers: Json[]): JsonObject {
  return {name: 'sequential_1', layers}
}

/** A bare `model.get_config()` dict (no class_name envelope): functional when it lists inputs/outputs. */
function wrapBareConfig(doc: Json): JsonObject | undefined {
  if (isArray(doc)) return {class_name: 'Sequential', config: listSequential(doc)}
  if (isObject(doc) && !('class_name' in doc) && isArray(doc.layers) && doc.layers.every((l) => isObject(l) && 'class_name' in l)) {
    return {class_name: 'input_layers' in doc ? 'Functional' : 'Sequential', config: doc}
  }
  return undefined
}

function fail(code: `KM_FORMAT_${string}`, message: string, path: string, hint: string): never {
  throw new FormatError(code, message, {path, hint})
}

/** Refuses envelopes that are not a model with a layer graph, each with its own explanation. */
function checkEnvelope(doc: Json): JsonObject {
  if (!isObject(doc)) {
    fail('KM_FORMAT_NOT_A_MODEL', `Expected a Keras model object at $, found ${doc === null ? 'null' : isArray(doc) ? 'a list' : typeof doc}.`, '$',
      'Give the output of model.to_json(), a model.to_yaml() file, a full-model .h5, a .keras file or a tfjs model.json.')
  }
  if (!('class_name' in doc) && isArray(doc.layers) && doc.layers.some((l) => isObject(l) && 'name' in l && !('class_name' in l))) {
    fail('KM_FORMAT_KERAS0', 'Keras 0.x model file (layers without class_name) at $.layers.', '$.layers',
      'Keras 0.x files cannot be read by Keras 1 or later either; re-create the model with a current Keras and save it with model.to_json().')
  }
  if (typeof doc.class_name !== 'string') fail('KM_FORMAT_MISSING_KEY', "Missing 'class_name' at $.", '$', 'A Keras model document has class_name and config keys.')
  return doc
}

/** Explains why a config without a layer graph (a subclassed model) cannot be read. */
function refuseSubclassed(className: string): never {
  fail('KM_FORMAT_SUBCLASSED', `'${className}' at $ is a subclassed model: its config has no layer graph, so its architecture cannot be rebuilt from the file.`, '$.config',
    'Keras cannot serialise a subclassed model\'s topology either (to_json/get_config/save_weights by name need the layer graph); rebuild it with the functional API or Sequential and save that.')
}

/** Parses one entry of `config.layers`. */
function parseLayer(entryIn: Json, path: string, ctx: Context): LayerSpec {
  if (!isObject(entryIn)) fail('KM_FORMAT_INVALID_LAYER', `Layer entry must be an object at ${path}.`, path, 'Each layer is {"class_name": ..., "config": {...}}.')
  let entry = entryIn
  if (ctx.keras1) {
    const converted = normalizeKeras1Layer(entry, path)
    entry = converted.entry
    ctx.warnings.push(...converted.warnings)
  }
  const className = entry.class_name
  if (typeof className !== 'string' || className === '') fail('KM_FORMAT_MISSING_KEY', `Missing 'class_name' at ${path}.`, path, 'Each layer is {"class_name": ..., "config": {...}}.')
  const config = entry.config
  const isModel = MODEL_CLASSES.has(className) || (isObject(config) && isArray(config.layers)) || isArray(config)
  if (isModel) return parseNestedModel(entry, className, path, ctx)
  if (!isObject(config)) fail('KM_FORMAT_INVALID_LAYER', `'config' of layer '${className}' must be an object at ${jsonPath(path, 'config')}.`, jsonPath(path, 'config'), 'Each layer is {"class_name": ..., "config": {...}}.')
  const name = typeof entry.name === 'string' ? entry.name : typeof config.name === 'string' ? config.name : undefined
  if (name === undefined) fail('KM_FORMAT_MISSING_KEY', `Layer '${className}' has no name at ${path}.`, jsonPath(path, 'config', 'name'), "Give every layer a 'name' in its config.")
  return {class_name: className, name, config, inbound_nodes: parseInboundNodes(entry.inbound_nodes, jsonPath(path, 'inbound_nodes')), extra: omit(entry, ENTRY_KEYS)}
}

/** A model used as a layer (nested Sequential / Functional), or the root model. */
function parseNestedModel(entry: JsonObject, className: string, path: string, ctx: Context): LayerSpec {
  const rawConfig = isArray(entry.config) ? listSequential(entry.config) : entry.config
  if (!isObject(rawConfig) || !isArray(rawConfig.layers)) refuseSubclassed(className)
  const graph = parseGraph(className, rawConfig, jsonPath(path, 'config'), ctx)
  const name = typeof entry.name === 'string' ? entry.name : typeof rawConfig.name === 'string' ? rawConfig.name : className.toLowerCase()
  return {class_name: className, name, config: omit(rawConfig, GRAPH_KEYS), inbound_nodes: parseInboundNodes(entry.inbound_nodes, jsonPath(path, 'inbound_nodes')), extra: omit(entry, ENTRY_KEYS), graph}
}

/** Parses a model config's layers and its inputs/outputs. */
function parseGraph(className: string, config: JsonObject, path: string, ctx: Context): GraphSpec {
  const layersJson = config.layers as Json[]
  const layers = layersJson.map((l, i) => parseLayer(l, jsonPath(path, 'layers', i), ctx))
  const sequential = !('input_layers' in config) && (className === 'Sequential' || layers.every((l) => l.inbound_nodes.length === 0))
  if (sequential) {
    const last = layers.at(-1)
    return {sequential, layers, inputs: [], outputs: last === undefined ? [] : [{layer: last.name, node_index: 0, tensor_index: 0}], io: null}
  }
  return {
    sequential,
    layers,
    inputs: parseIoList(config.input_layers, jsonPath(path, 'input_layers')),
    outputs: parseIoList(config.output_layers, jsonPath(path, 'output_layers')),
    io: {input_layers: config.input_layers ?? null, output_layers: config.output_layers ?? null},
  }
}

/** Keras 3 layout: top-level module, dict nodes, batch_shape, DTypePolicy dicts (KERAS-REFERENCE §1.7). */
export function detectDialect(doc: JsonObject): Dialect {
  if ('module' in doc) return 'keras3'
  const text = JSON.stringify(doc.config ?? null)
  if (/"batch_shape"\s*:/.test(text) || /"class_name"\s*:\s*"(DTypePolicy|FloatDTypePolicy)"/.test(text)) return 'keras3'
  const layers = isObject(doc.config) && isArray(doc.config.layers) ? doc.config.layers : []
  return layers.some((l) => isObject(l) && hasKeras3Nodes(l.inbound_nodes)) ? 'keras3' : 'keras2'
}

/**
 * Normalises a raw document into the canonical model.
 * `source` names the file for messages.
 */
export function normalize(rawIn: RawModelDocument, source: string): Normalized {
  const {doc: unwrapped, raw} = unwrap(rawIn, source)
  const doc = checkEnvelope(wrapBareConfig(unwrapped) ?? unwrapped)
  const ctx: Context = {keras1: isKeras1(doc) || (raw.keras_version ?? '').startsWith('1.'), warnings: []}
  const className = doc.class_name as string
  const rootLayer = parseNestedModel(doc, className, '$', ctx)
  const graph = rootLayer.graph
  if (graph === undefined) refuseSubclassed(className)
  const version = typeof doc.keras_version === 'string' ? doc.keras_version : raw.keras_version
  const model: ModelSpec = {
    dialect: detectDialect(doc),
    keras_version: version,
    root: {...rootLayer, graph},
    training_config: raw.training_config,
  }
  return {model, warnings: ctx.warnings}
}
