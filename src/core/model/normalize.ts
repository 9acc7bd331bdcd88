/**
 * Raw Keras documents of every generation → the canonical ModelSpec. Each legacy variant is absorbed by its
 * own named step; inputs are never mutated (every step returns new objects).
 */
import {FormatError, type Warning} from '../errors.js'
import type {RawModelDocument} from '../formats/raw.js'
import {parsePythonJson} from '../formats/python-json.js'
import {type Json, type JsonObject, isArray, isObject, jsonPath, omit} from '../json.js'
import {layerClass} from '../layers/catalog.js'
import {isKeras1, normalizeKeras1Layer} from './keras1.js'
import {hasKeras3Nodes, keras3IoRefs, parseInboundNodes, parseIoList, resolveGraphRefs} from './nodes.js'
import {type Dialect, type GraphSpec, type LayerSpec, MODEL_CLASSES, type ModelSpec, type TensorRef, generationOf} from './spec.js'
import {DEFAULT_MAX_LAYERS, envLimit} from '../limits.js'

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
  /** Whose rules Keras applies to the file (spec.ts generationOf). */
  generation: Dialect
  /** Names Keras would generate for layers saved without one (config.name None or absent), by entry. */
  autoNames?: Map<JsonObject, string>
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
  if (isArray(doc) && doc.every((l) => isObject(l) && Object.hasOwn(l, 'class_name'))) return {class_name: 'Sequential', config: listSequential(doc)}
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
  if (!Object.hasOwn(doc, 'class_name') && !Object.hasOwn(doc, 'config')) {
    fail('KM_FORMAT_NOT_A_MODEL', `Expected a Keras model object at $, found an object without 'class_name' or 'config' (keys: ${Object.keys(doc).slice(0, 5).join(', ') || 'none'}).`, '$',
      'Give the output of model.to_json(), a model.to_yaml() file, a full-model .h5, a .keras file or a tfjs model.json.')
  }
  if (typeof doc.class_name !== 'string') fail('KM_FORMAT_MISSING_KEY', "Missing 'class_name' at $.", '$', 'A Keras model document has class_name and config keys.')
  return doc
}

/** Explains why a config without a layer graph (a subclassed model) cannot be read. */
function refuseSubclassed(className: string): never {
  fail('KM_FORMAT_SUBCLASSED', `'${className}' at $ is a subclassed model: its config has no layer graph, so its architecture cannot be rebuilt from the file.`, '$.config',
    'Keras cannot serialise a subclassed model\'s topology either (to_json/get_config/save_weights by name need the layer graph); rebuild it with the functional API or Sequential and save that.')
}

/** A built-in class that is a layer, not a model: its config is never a list of layers. */
function isPlainLayerClass(className: string): boolean {
  const info = layerClass(className)
  return info !== undefined && info.category !== 'model'
}

/** A functional model finds its layers by the entries' own `name` (Keras: `layer_data["name"]`, a KeyError without). */
function requireEntryNames(layers: readonly Json[], path: string): void {
  layers.forEach((l, i) => {
    if (!isObject(l) || Object.hasOwn(l, 'name')) return
    const at = jsonPath(path, 'layers', i)
    fail('KM_FORMAT_MISSING_KEY', `Layer entry at ${at} of a functional model has no 'name' (Keras raises KeyError: 'name').`, jsonPath(at, 'name'),
      'Each layer of a functional model is {"class_name", "config", "name", "inbound_nodes"}; the name is what inbound_nodes refer to.')
  })
}

/** snake_case of a class name, as Keras's `to_snake_case` names a layer saved without a name. */
const snakeCase = (name: string): string => name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()

/**
 * Names for the entries whose layer has none (config.name None or absent: Keras generates `dense`, `dense_1`, …),
 * unique among the names the graph uses.
 */
function generatedNames(layers: readonly Json[]): Map<JsonObject, string> {
  const out = new Map<JsonObject, string>()
  const taken = new Set<string>()
  const unnamed: JsonObject[] = []
  for (const l of layers) {
    if (!isObject(l)) continue
    const config = isObject(l.config) ? l.config : {}
    if (typeof l.name === 'string') taken.add(l.name)
    if (typeof config.name === 'string') taken.add(config.name)
    else if (typeof l.name !== 'string' && typeof l.class_name === 'string') unnamed.push(l)
  }
  for (const l of unnamed) {
    const base = snakeCase(l.class_name as string)
    let name = base
    for (let n = 1; taken.has(name); n++) name = `${base}_${n}`
    taken.add(name)
    out.set(l, name)
  }
  return out
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
  const isModel = MODEL_CLASSES.has(className) || (isObject(config) && isArray(config.layers)) || (isArray(config) && !isPlainLayerClass(className))
  if (isModel) return parseNestedModel(entry, className, path, ctx)
  if (!isObject(config)) fail('KM_FORMAT_INVALID_LAYER', `'config' of layer '${className}' must be an object at ${jsonPath(path, 'config')}.`, jsonPath(path, 'config'), 'Each layer is {"class_name": ..., "config": {...}}.')
  const name = typeof entry.name === 'string' ? entry.name : typeof config.name === 'string' ? config.name : ctx.autoNames?.get(entryIn)
  if (name === undefined) fail('KM_FORMAT_MISSING_KEY', `Layer '${className}' has no name at ${path}.`, jsonPath(path, 'config', 'name'), "Give every layer a 'name' in its config.")
  return {class_name: className, name, config, inbound_nodes: parseInboundNodes(entry.inbound_nodes, jsonPath(path, 'inbound_nodes')), extra: omit(entry, ENTRY_KEYS)}
}

/** A model used as a layer (nested Sequential / Functional), or the root model. */
function parseNestedModel(entry: JsonObject, className: string, path: string, ctx: Context): LayerSpec {
  const listed = isArray(entry.config) ? listSequential(entry.config) : entry.config
  // tf-keras iterates `layers`: an empty dict is an empty Sequential there (Keras 3 refuses it)
  const emptyDict = ctx.generation === 'keras2' && isObject(listed) && isObject(listed.layers) && Object.keys(listed.layers).length === 0
  const rawConfig = emptyDict && isObject(listed) ? {...listed, layers: []} : listed
  if (!isObject(rawConfig) || !isArray(rawConfig.layers)) refuseSubclassed(className)
  const graph = parseGraph(className, rawConfig, jsonPath(path, 'config'), ctx)
  const name = typeof entry.name === 'string' ? entry.name : typeof rawConfig.name === 'string' ? rawConfig.name : className.toLowerCase()
  return {class_name: className, name, config: omit(rawConfig, GRAPH_KEYS), inbound_nodes: parseInboundNodes(entry.inbound_nodes, jsonPath(path, 'inbound_nodes')), extra: omit(entry, ENTRY_KEYS), graph}
}

/** Parses a model config's layers and its inputs/outputs. */
function parseGraph(className: string, config: JsonObject, path: string, ctx: Context): GraphSpec {
  const layersJson = config.layers as Json[]
  if (Object.hasOwn(config, 'input_layers')) requireEntryNames(layersJson, path)
  const autoNames = generatedNames(layersJson)
  const layers = layersJson.map((l, i) => parseLayer(l, jsonPath(path, 'layers', i), {...ctx, autoNames}))
  const functionalClass = className === 'Functional' || className === 'Model'
  if (functionalClass && !Object.hasOwn(config, 'input_layers')) {
    fail('KM_FORMAT_MISSING_KEY', `A '${className}' model config needs 'input_layers' and 'output_layers' at ${path} (Keras cannot revive it without them).`, jsonPath(path, 'input_layers'),
      'A functional model lists its inputs and outputs as [["layer_name", 0, 0]]; a plain stack of layers is a Sequential.')
  }
  const sequential = !Object.hasOwn(config, 'input_layers') && (className === 'Sequential' || layers.every((l) => l.inbound_nodes.length === 0))
  if (sequential) {
    const last = layers.at(-1)
    return {sequential, layers, inputs: [], outputs: last === undefined ? [] : [{layer: last.name, node_index: 0, tensor_index: 0}], io: null}
  }
  const keras3 = layers.some((l) => l.inbound_nodes.some((n) => isObject(n.raw)))
  const ioRefs = (refs: TensorRef[]): TensorRef[] => (keras3 ? keras3IoRefs(refs, layers) : refs)
  const resolved = resolveGraphRefs(layers, {
    inputs: ioRefs(parseIoList(config.input_layers, jsonPath(path, 'input_layers'))),
    outputs: ioRefs(parseIoList(config.output_layers, jsonPath(path, 'output_layers'))),
  }, ctx.generation)
  return {sequential, ...resolved, io: {input_layers: config.input_layers ?? null, output_layers: config.output_layers ?? null}}
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
 * How deeply a model document may nest arrays and objects. Keras documents stay far shallower (a layer inside a
 * wrapper inside a nested model is about 10 levels; the deepest file of the interop corpus has 11), and every walker after this
 * point (validation, the shape engine, writers, plot) recurses along nested layers and models: a cap keeps a hostile
 * file from exhausting the call stack.
 */
export const MAX_DOCUMENT_DEPTH = 1000

/**
 * Refuses, without recursion, a document nested deeper than MAX_DOCUMENT_DEPTH or listing more than `maxLayers`
 * layers in all (every `layers` list counted, nested models' included): both are checked before anything is
 * built, so neither the stack nor the memory of a layer per entry is spent on a hostile file.
 */
function refuseOversized(doc: Json, source: string, maxLayers: number): void {
  const stack: Array<[Json, number]> = [[doc, 1]]
  let layers = 0
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [Json, number]
    if (typeof value !== 'object' || value === null) continue
    if (depth > MAX_DOCUMENT_DEPTH) {
      fail('KM_FORMAT_TOO_DEEP', `${source} nests its model document more than ${MAX_DOCUMENT_DEPTH} levels deep; a Keras model is far shallower.`, '$',
        'The file was not written by Keras, or it was made to exhaust the reader: kmodel refuses it rather than run out of stack.')
    }
    if (!Array.isArray(value) && Array.isArray(value.layers)) {
      layers += value.layers.length
      if (layers > maxLayers) {
        fail('KM_FORMAT_TOO_MANY_LAYERS', `${source} lists more than ${maxLayers.toLocaleString('en-US')} layers (nested models included).`, '$',
          `If the model really is this large, raise the limit with KMODEL_MAX_LAYERS=N (default ${DEFAULT_MAX_LAYERS.toLocaleString('en-US')}).`)
      }
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
  }
}

/**
 * Normalises a raw document into the canonical model.
 * `source` names the file for messages.
 */
export function normalize(rawIn: RawModelDocument, source: string, maxLayers = envLimit('KMODEL_MAX_LAYERS', DEFAULT_MAX_LAYERS)): Normalized {
  const {doc: unwrapped, raw} = unwrap(rawIn, source)
  refuseOversized(unwrapped, source, maxLayers)
  const doc = checkEnvelope(wrapBareConfig(unwrapped) ?? unwrapped)
  const dialect = detectDialect(doc)
  const version = typeof doc.keras_version === 'string' ? doc.keras_version : raw.keras_version
  const generation = generationOf({dialect, keras_version: version})
  const ctx: Context = {keras1: dialect !== 'keras3' && (isKeras1(doc) || (raw.keras_version ?? '').startsWith('1.')), warnings: [], generation}
  const className = doc.class_name as string
  const rootLayer = parseNestedModel(doc, className, '$', ctx)
  const graph = rootLayer.graph
  if (graph === undefined) refuseSubclassed(className)
  const model: ModelSpec = {
    dialect,
    keras_version: version,
    root: {...rootLayer, graph},
    training_config: raw.training_config,
  }
  return {model, warnings: ctx.warnings}
}
