/**
 * The keras2-dialect document (dialect.ts convertModel) → the document handed to tfjs modelFromJSON.
 *
 * Refuses, before tfjs sees them, layers that cannot be computed: code-carrying layers (Lambda and TF op
 * layers — kmodel never runs code from a file) and classes neither tfjs nor kmodel implements, with one clear
 * BackendError naming the layer instead of tfjs's generic "Unknown layer". Then rewrites, on a copy:
 *   `*_initializer` → Zeros when weights will be set anyway (tfjs then allocates nothing: DEPENDENCY-FACTS)
 *   `implementation: 0` (Keras 1/2.0 RNNs) → 1, which tfjs otherwise warns about on the console
 *   `dtype` policy objects (`{"class_name": "Policy", …mixed_float16}`) → "float32": tfjs computes in float32
 *   Keras 1 regularizer dicts (`{"name": "WeightRegularizer", "l1": 0, "l2": 0.01}`, kept verbatim by the
 *     reader) → `{"class_name": "L1L2", "config": {"l1": 0, "l2": 0.01}}`
 *   activation `silu` → `swish` (the same function; tfjs knows only the older name)
 *   SeparableConv1D/2D: the `kernel_*` keys Keras 2.0–2.2 wrote (inherited from Conv, unused) are dropped —
 *     tfjs refuses them ("Fields kernelInitializer, … are invalid for SeparableConv2D")
 *   input-shape keys (`batch_input_shape`, `input_shape`, `input_dim` — except Embedding's, its vocabulary) on
 *     layers other than an InputLayer or a Sequential's first layer are dropped: Keras ignores them there,
 *     tfjs checks them and warns on the console
 *   `batch_input_shape: [25, …]` → `[null, …]` when `freeBatch` (no layer is stateful, so the fixed batch size
 *     Keras 2.0 files often carry changes nothing but which batch sizes tfjs accepts)
 */
import {BackendError} from '../errors.js'
import {type Json, type JsonObject, isArray, isObject, jsonPath} from '../json.js'
import {MODEL_CLASSES} from '../model/spec.js'

/** Options of prepareDocument. */
export interface PrepareOptions {
  /** Rewrite every initializer to Zeros (use only when all weights are set afterwards). */
  zeroInit: boolean
  /** Drop a fixed batch size from input shapes (only valid when no layer is stateful: see isStateful). */
  freeBatch: boolean
  /** True for a class name tfjs can deserialize (its registry plus kmodel's registrations). */
  known: (className: string) => boolean
}

/** Classes whose config carries Python code or TF graph ops. */
const CODE_LAYERS = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda', 'TensorFlowOpLayer', 'TFSMLayer', 'KerasLayer'])
const ZEROS: JsonObject = {class_name: 'Zeros', config: {}}
const UNUSED_KEYS: Record<string, readonly string[]> = {
  SeparableConv1D: ['kernel_initializer', 'kernel_regularizer', 'kernel_constraint'],
  SeparableConv2D: ['kernel_initializer', 'kernel_regularizer', 'kernel_constraint'],
}

function refuse(layer: JsonObject, path: string): never {
  const cls = String(layer.class_name)
  const name = isObject(layer.config) && typeof layer.config.name === 'string' ? layer.config.name : typeof layer.name === 'string' ? layer.name : '?'
  if (CODE_LAYERS.has(cls)) {
    throw new BackendError('KM_BACKEND_CODE_LAYER', `Layer '${name}' is a ${cls} layer at ${path}: it holds code, which kmodel never runs, so the model cannot be computed.`, {
      hint: 'summary and to-json still work. To compute, rebuild the model with built-in layers in place of the Lambda and re-save it.',
    })
  }
  throw new BackendError('KM_BACKEND_UNSUPPORTED_LAYER', `Layer '${name}' has class '${cls}' at ${path}, which the compute backend (tfjs-layers 4.22 plus kmodel's additions) does not implement.`, {
    hint: 'summary and to-json still work; computing needs a model made of supported layers.',
  })
}

/** Rewrites one config value (recursively) per the list in the module comment. */
function rewriteValue(key: string, value: Json, opts: PrepareOptions, path: string, sequential: boolean): Json {
  if (opts.zeroInit && key.endsWith('_initializer') && value !== null) return ZEROS
  if (key === 'implementation' && value === 0) return 1
  if (key === 'batch_input_shape' && opts.freeBatch && isArray(value) && value.length > 0) return [null, ...value.slice(1)]
  if (key === 'dtype' && isObject(value)) return 'float32'
  if (key.endsWith('_regularizer') && isObject(value) && !('class_name' in value) && ('l1' in value || 'l2' in value)) {
    return {class_name: 'L1L2', config: {l1: typeof value.l1 === 'number' ? value.l1 : 0, l2: typeof value.l2 === 'number' ? value.l2 : 0}}
  }
  if (key === 'activation' && value === 'silu') return 'swish'
  if (isObject(value) && typeof value.class_name === 'string' && isObject(value.config) && isLayerKey(key)) return prepareLayer(value, opts, path)
  if (key === 'layers' && isArray(value)) return value.map((v, i) => (isObject(v) ? prepareLayer(v, opts, jsonPath(path, i), sequential && i === 0) : v))
  if (key === 'cells' && isArray(value)) return value.map((v, i) => (isObject(v) ? prepareLayer(v, opts, jsonPath(path, i)) : v))
  return value
}

/** Config keys that hold a nested layer: wrappers' `layer`, RNN's `cell`, Bidirectional's `backward_layer`. */
function isLayerKey(key: string): boolean {
  return key === 'layer' || key === 'cell' || key === 'backward_layer'
}

const INPUT_SHAPE_KEYS = ['batch_input_shape', 'input_shape', 'input_dim']

/** `first`: the layer may carry the model's input shape (first layer of a Sequential, or the root). */
function prepareLayer(layer: JsonObject, opts: PrepareOptions, path: string, first = true): JsonObject {
  const cls = layer.class_name
  if (typeof cls !== 'string' || CODE_LAYERS.has(cls) || (!opts.known(cls) && !MODEL_CLASSES.has(cls))) refuse(layer, path)
  if (!isObject(layer.config)) return layer
  const configPath = jsonPath(path, 'config')
  const config: JsonObject = {}
  const shapeKeys = first || cls === 'InputLayer' ? [] : cls === 'Embedding' ? INPUT_SHAPE_KEYS.filter((k) => k !== 'input_dim') : INPUT_SHAPE_KEYS
  const unused = [...(UNUSED_KEYS[cls] ?? []), ...shapeKeys]
  const sequential = cls === 'Sequential'
  for (const [k, v] of Object.entries(layer.config)) {
    if (!unused.includes(k)) config[k] = rewriteValue(k, v, opts, jsonPath(configPath, k), sequential)
  }
  return {...layer, config}
}

/** True when any layer config in the document has `stateful: true` (its batch size then matters). */
export function isStateful(value: Json): boolean {
  if (isArray(value)) return value.some(isStateful)
  if (!isObject(value)) return false
  return value.stateful === true || Object.values(value).some(isStateful)
}

/**
 * The document tfjs gets: a copy of `document` (a keras2-dialect `to_json()` object) checked for layers that
 * cannot be computed and rewritten as described above. Throws BackendError KM_BACKEND_CODE_LAYER or
 * KM_BACKEND_UNSUPPORTED_LAYER.
 */
export function prepareDocument(document: JsonObject, opts: PrepareOptions): JsonObject {
  return prepareLayer(document, opts, '$')
}
