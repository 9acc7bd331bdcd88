/**
 * Converting between the legacy (Keras 2 / tf.keras / tfjs) and Keras 3 document layouts — the fix users
 * apply by hand so that tfjs or tf.keras can load a Keras 3 file, and the reverse (KERAS-REFERENCE §5.3, §8.1).
 * Conversions work on copies; anything that has no counterpart in the target is reported as a warning.
 */
import type {Warning} from '../errors.js'
import {type Json, type JsonObject, isArray, isObject, jsonPath, omit} from '../json.js'
import {asDescriptor, asKerasTensor} from './nodes.js'
import type {Dialect, GraphSpec, LayerSpec, ModelSpec, TensorRef} from './spec.js'
import {type EntryWriter, SAME_DIALECT, toDocument} from './write.js'
import {layerNamed} from './lookup.js'
import {type LegacyContext, inSource, legacyActivation, legacyAttentionShapes, legacyInitializerConfig, legacyLayerRules, refuse} from './dialect-legacy.js'

/** Shape of a tensor when known (from the shape engine), for Keras 3 `__keras_tensor__` entries. */
export type ShapeLookup = (ref: TensorRef) => Array<number | null> | null

const KERAS3_ONLY_ENTRY_KEYS = ['module', 'registered_name', 'build_config', 'compile_config', 'shared_object_id']
/** Config keys holding a layer (wrappers, RNN cells): Keras 3 serializes those with module `keras.layers`. */
const LAYER_KEYS: ReadonlySet<string> = new Set(['layer', 'backward_layer', 'cell', 'cells'])
const OBJECT_MODULES: Record<string, string> = {initializer: 'keras.initializers', regularizer: 'keras.regularizers', constraint: 'keras.constraints'}

/** `{"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}}` → `"float32"`. */
function policyName(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value
  if (isObject(value) && isObject(value.config) && typeof value.config.name === 'string') return value.config.name
  return undefined
}

/** Keras 3 serialized objects → legacy `{class_name, config}` with the names tf.keras and tfjs know. */
function legacyValue(value: Json, key: string, ctx: LegacyContext): Json {
  if (isArray(value)) return value.map((v) => legacyValue(v, key, ctx))
  if (!isObject(value)) return key.endsWith('activation') && typeof value === 'string' ? legacyActivation(value, key, ctx) : value
  if (value.class_name === '__lambda__' || value.class_name === '__keras_tensor__') {
    ctx.warn(`'${key}' holds a Keras 3 ${value.class_name} object with no legacy form; kept as is`)
    return value
  }
  if (typeof value.class_name === 'string' && 'config' in value) {
    if (LAYER_KEYS.has(key) && isObject(value.config)) {
      const name = typeof value.config.name === 'string' ? value.config.name : key
      return {...omit(value, KERAS3_ONLY_ENTRY_KEYS), config: legacyLayerConfig(value.class_name, value.config, {...ctx, layer: name, className: value.class_name})}
    }
    const out = omit(value, ['module', 'registered_name'])
    if (out.class_name === 'OrthogonalInitializer') out.class_name = 'Orthogonal'
    if ((out.class_name === 'L2' || out.class_name === 'L1') && isObject(out.config)) {
      const strength = out.config[out.class_name.toLowerCase()] ?? 0.01
      out.config = {l1: out.class_name === 'L1' ? strength : 0, l2: out.class_name === 'L2' ? strength : 0}
      out.class_name = 'L1L2'
    }
    if (isObject(out.config) && key.endsWith('initializer')) out.config = legacyInitializerConfig(out.config, key, ctx)
    if (isObject(out.config)) out.config = legacyConfig(out.config, ctx)
    return out
  }
  return legacyConfig(value, ctx)
}

function legacyConfig(config: JsonObject, ctx: LegacyContext): JsonObject {
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(config)) {
    if (k === 'dtype' && isObject(v)) {
      if (typeof v.class_name === 'string' && v.class_name.startsWith('Quantized')) refuse(ctx, k, v.class_name, 'tf.keras has no quantized layers')
      const name = policyName(v) ?? 'float32'
      out[k] = name.startsWith('mixed_') ? {class_name: 'Policy', config: {name}} : name
    } else if (k === 'batch_shape') out.batch_input_shape = v
    else if (k === 'optional' && v === false) continue
    else out[k] = legacyValue(v, k, ctx)
  }
  return out
}

/** A Keras 3 layer's config in the legacy layout: every value converted, then the class's own rules. */
function legacyLayerConfig(className: string, config: JsonObject, ctx: LegacyContext): JsonObject {
  return legacyLayerRules(className, legacyConfig(config, ctx), ctx)
}

/** `__keras_tensor__` → `[name, node, tensor]` anywhere inside a Keras 3 kwargs value. */
function legacyKwargs(value: Json): Json {
  const ref = asKerasTensor(value)
  if (ref !== undefined) return [ref.layer, ref.node_index, ref.tensor_index]
  if (isArray(value)) return value.map(legacyKwargs)
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, legacyKwargs(v)]))
  return value
}

/**
 * A nested functional model (or a nested Sequential that starts with an InputLayer) owns an internal node in
 * the legacy layout, so a legacy file numbers its calls inside the outer model from 1; Keras 3 numbers them
 * from 0 (KERAS-REFERENCE §1.3; Keras 3.15 and tf-keras 2.21 to_json of the same model). `delta` moves a
 * reference into such a model between the two numberings (+1: Keras 3 → legacy, -1: legacy → Keras 3).
 */
function renumbered(ref: TensorRef, graph: GraphSpec, delta: 1 | -1): TensorRef {
  const target = layerNamed(graph, ref.layer)?.graph
  const owned = target !== undefined && (!target.sequential || target.layers[0]?.class_name === 'InputLayer')
  if (!owned || (delta === -1 && ref.node_index === 0)) return ref
  return {...ref, node_index: ref.node_index + delta}
}

/**
 * Layers whose call takes several tensors as separate positional arguments in Keras 3 (`mha(query, value)`):
 * the names tf.keras gives the arguments after the first, which its nodes pass as keyword arguments
 * (`[["q", 0, 0, {"value": ["v", 0, 0]}]]`, as tf-keras 2.21 to_json writes a MultiHeadAttention call).
 */
const POSITIONAL_TENSOR_NAMES: Readonly<Record<string, readonly string[]>> = {MultiHeadAttention: ['value', 'key']}

/** Writer producing the legacy layout from a Keras 3 model. */
function toLegacyWriter(warnings: Warning[], shapeOf: ShapeLookup): EntryWriter {
  const context = (layer: LayerSpec): LegacyContext => ({
    layer: layer.name, className: layer.class_name, warn: (m) => warnings.push({path: `layer '${layer.name}'`, message: m}),
  })
  const config = (layer: LayerSpec): JsonObject => {
    const out = legacyLayerConfig(layer.class_name, layer.config, context(layer))
    if (layer.class_name !== 'MultiHeadAttention') return out
    return legacyAttentionShapes(out, (layer.inbound_nodes[0]?.inputs ?? []).map((ref) => shapeOf(ref)))
  }
  return {
    className: (layer) => layer.class_name,
    extra: (layer) => omit(layer.extra, KERAS3_ONLY_ENTRY_KEYS),
    config,
    nodes: (layer, graph) => layer.inbound_nodes.map((node) => {
      if (!isObject(node.raw)) return node.raw
      const kwargs = isObject(node.raw.kwargs) ? legacyKwargs(node.raw.kwargs) : {}
      const refs = node.inputs.map((ref) => renumbered(ref, graph, 1)).map((r) => [r.layer, r.node_index, r.tensor_index])
      const named = POSITIONAL_TENSOR_NAMES[layer.class_name]
      if (named !== undefined && isArray(node.raw.args) && node.raw.args.length === refs.length && refs.length > 1) {
        // tf.keras calls a layer with one positional input: its further tensors travel as keyword arguments.
        const extra = Object.fromEntries(refs.slice(1).map((r, i) => [named[i] ?? `arg${i + 1}`, r]))
        return [[...(refs[0] ?? []), {...extra, ...(isObject(kwargs) ? kwargs : {})}]]
      }
      return refs.map((r) => [...r, kwargs])
    }),
    io: (graph) => ({
      input_layers: graph.inputs.map((r) => [r.layer, r.node_index, r.tensor_index]),
      output_layers: graph.outputs.map((ref) => renumbered(ref, graph, 1)).map((r) => [r.layer, r.node_index, r.tensor_index]),
      // (Keras 3 io refs were moved to the inbound-node numbering when read: normalize.ts, keras3IoRefs.)
    }),
  }
}

/** Legacy `"float32"` / `{class_name: "Policy"}` → Keras 3 DTypePolicy object. */
function dtypePolicy(value: Json | undefined): Json {
  const name = policyName(value) ?? 'float32'
  return {module: 'keras', class_name: 'DTypePolicy', config: {name}, registered_name: null}
}

function keras3Value(value: Json, key: string): Json {
  if (isArray(value)) return value.map((v) => keras3Value(v, key))
  if (!isObject(value)) return value
  if (typeof value.class_name === 'string' && 'config' in value && !('module' in value)) {
    const kind = Object.keys(OBJECT_MODULES).find((k) => key.endsWith(k))
    // Initializers of TF 1-era tf.keras record a dtype that Keras 3's initializers do not take (nor need).
    const own = isObject(value.config) && kind === 'initializer' ? omit(value.config, ['dtype']) : value.config
    const config = isObject(own) ? keras3LayerArgs(value.class_name, keras3Config(own)) : own
    const module = LAYER_KEYS.has(key) ? 'keras.layers' : kind === undefined ? 'keras' : OBJECT_MODULES[kind] ?? 'keras'
    return {module, class_name: value.class_name, config, registered_name: null}
  }
  const out = keras3Config(value) // (tf.keras 2.13+ already writes `module` on nested objects)
  if (typeof value.class_name === 'string' && isObject(out.config)) out.config = keras3LayerArgs(value.class_name, out.config)
  return out
}

/**
 * Arguments tf.keras records in a different form: BatchNormalization's axis as a list ([3]) where Keras 3 takes
 * one integer; MultiHeadAttention's build shapes (query_shape, …), which Keras 3 takes from the call instead,
 * and its softmax_robust_masking=False.
 */
function keras3LayerArgs(className: string, config: JsonObject): JsonObject {
  if (className === 'BatchNormalization' && isArray(config.axis) && config.axis.length === 1 && typeof config.axis[0] === 'number') config.axis = config.axis[0]
  if (className === 'MultiHeadAttention') {
    for (const key of ['query_shape', 'key_shape', 'value_shape']) delete config[key]
    if (config.softmax_robust_masking === false) delete config.softmax_robust_masking // tf.keras's default, Keras 3's only way
  }
  return config
}

function keras3Config(config: JsonObject): JsonObject {
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(config)) {
    if (k === 'dtype' && (typeof v === 'string' || isObject(v)) && 'name' in config) out[k] = dtypePolicy(v)
    else if (k === 'batch_input_shape') out.batch_shape = v
    else if (k === 'time_major' && v === false) continue // tf.keras RNNs' default; Keras 3 takes no such argument
    else out[k] = keras3Value(v, k)
  }
  return out
}

/** A Keras 3 tensor entry for `ref` (its shape looked up), written as `written` (default: `ref`) in keras_history. */
function kerasTensor(ref: TensorRef, shapeOf: ShapeLookup, written: TensorRef = ref): JsonObject {
  return {class_name: '__keras_tensor__', config: {shape: shapeOf(ref), dtype: 'float32', keras_history: [written.layer, written.node_index, written.tensor_index]}}
}

/** Legacy kwargs with 3-element refs → Keras 3 kwargs with `__keras_tensor__` objects. */
function keras3Kwargs(value: Json, shapeOf: ShapeLookup): Json {
  const ref = isArray(value) && value.length === 3 ? asDescriptor(value) : undefined
  if (ref !== undefined) return kerasTensor(ref, shapeOf)
  if (isArray(value)) return value.map((v) => keras3Kwargs(v, shapeOf))
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keras3Kwargs(v, shapeOf)]))
  return value
}

/** Keras 3's module path for a class: models live in keras / keras.src.models.functional. */
function keras3Module(className: string): JsonObject {
  if (className === 'Sequential') return {module: 'keras', registered_name: null}
  if (className === 'Functional' || className === 'Model') return {module: 'keras.src.models.functional', registered_name: 'Functional'}
  return {module: 'keras.layers', registered_name: null}
}

/** Writer producing the Keras 3 layout from a legacy model. */
function toKeras3Writer(shapeOf: ShapeLookup): EntryWriter {
  const ioRefs = (refs: TensorRef[]): Json => {
    // Keras 3 keeps the legacy numbering in input_layers / output_layers (see keras3IoRefs in nodes.ts).
    const triples: Json[] = refs.map((r) => [r.layer, r.node_index, r.tensor_index])
    return triples.length === 1 ? (triples[0] as Json) : triples
  }
  return {
    className: (layer) => (layer.class_name === 'Model' ? 'Functional' : layer.class_name),
    extra: (layer) => {
      const {registered_name: registered, ...module} = keras3Module(layer.class_name)
      const rest = omit(layer.extra, ['keras_version', 'backend', 'module', 'registered_name'])
      return {...module, registered_name: registered ?? null, ...rest}
    },
    config: (layer) => {
      const config = keras3Config(layer.config)
      if (layer.graph !== undefined && !('trainable' in config)) config.trainable = true
      if (layer.graph !== undefined && !('dtype' in config) && layer.graph.sequential) config.dtype = dtypePolicy('float32')
      // tf.keras ignores batch_input_shape on any layer but a model's first (moved to an InputLayer above);
      // Keras 3 takes no such argument.
      if (layer.class_name !== 'InputLayer') delete config.batch_shape
      return keras3LayerArgs(layer.class_name, config)
    },
    nodes: (layer, graph) => layer.inbound_nodes.map((node) => {
      if (isObject(node.raw)) return node.raw
      const first = isArray(node.raw) ? node.raw.find((d) => isArray(d) && isObject(d[3])) : undefined
      const kwargs = isArray(first) && isObject(first[3]) ? keras3Kwargs(first[3], shapeOf) : {}
      const tensors = node.inputs.map((r) => kerasTensor(r, shapeOf, renumbered(r, graph, -1)))
      return {args: tensors.length === 1 ? tensors : [tensors], kwargs}
    }),
    io: (graph) => ({input_layers: ioRefs(graph.inputs), output_layers: ioRefs(graph.outputs)}),
  }
}

/**
 * A legacy Sequential whose first layer carries `batch_input_shape` gets an explicit InputLayer entry, which
 * is how Keras 3 writes every built Sequential.
 */
function withExplicitInput(graph: GraphSpec, shapeKey: string): GraphSpec {
  const first = graph.layers[0]
  if (!graph.sequential || first === undefined || first.class_name === 'InputLayer') return graph
  const shape = first.config[shapeKey] ?? first.config.batch_shape
  if (shape === undefined) return graph
  const input: LayerSpec = {
    class_name: 'InputLayer', name: 'input_layer', inbound_nodes: [], extra: {},
    config: {batch_shape: shape, dtype: policyName(first.config.dtype) ?? 'float32', sparse: false, name: 'input_layer'},
  }
  // input_dim is an input shape (Dense(input_dim=4)) except on an Embedding, where it is the vocabulary size.
  const rest = omit(first.config, [shapeKey, 'input_shape', ...(first.class_name === 'Embedding' ? [] : ['input_dim'])])
  return {...graph, layers: [input, {...first, config: rest}, ...graph.layers.slice(1)]}
}

/** The result of a conversion: the document and what could not be carried over. */
export interface Converted {
  document: JsonObject
  warnings: Warning[]
}

/**
 * Writes the model as a `to_json()` document in `target` (default: its own dialect). `shapeOf` supplies the
 * tensor shapes Keras 3 records in `__keras_tensor__` entries (null when unknown; Keras ignores them on load).
 * Keras 3 → legacy refuses (FormatError KM_FORMAT_NO_LEGACY_FORM, naming `source` when given) a layer that
 * tf.keras cannot compute as Keras 3 does (dialect-legacy.ts).
 */
export function convertModel(model: ModelSpec, target: Dialect = model.dialect, shapeOf: ShapeLookup = () => null, source?: string): Converted {
  if (target === model.dialect) return {document: toDocument(model, SAME_DIALECT), warnings: []}
  const warnings: Warning[] = []
  if (target === 'keras2') return {document: inSource(source, () => toDocument(model, toLegacyWriter(warnings, shapeOf))), warnings}
  const root = {...model.root, graph: withExplicitInput(model.root.graph, 'batch_input_shape')}
  const document = toDocument({...model, root}, toKeras3Writer(shapeOf))
  if (model.root.extra.keras_version !== undefined) warnings.push({path: jsonPath('$', 'keras_version'), message: 'Keras 3 documents carry no keras_version; dropped'})
  return {document, warnings}
}
