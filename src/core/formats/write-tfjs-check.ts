/**
 * What TensorFlow.js (tfjs-layers 4.22) can deserialize, checked on the legacy document before anything is
 * written, so that `kmodel save … out/` never writes a model.json tfjs refuses (KERAS-REFERENCE §5.1–§5.4).
 * The class list is tfjs-layers' serialization registry (test/unit/formats/write-tfjs.test.ts checks it against
 * the installed package); the other rules are the load-time errors tfjs raises for configs Keras accepts.
 */
import {FormatError} from '../errors.js'
import {type Json, type JsonObject, isArray, isObject, jsonEqual, omit} from '../json.js'
import type {Dialect} from '../model/spec.js'

/** Every class name tfjs-layers 4.22 registers: layers, models, initializers, regularizers, constraints. */
export const TFJS_CLASSES: ReadonlySet<string> = new Set([
  'Activation', 'Add', 'AlphaDropout', 'Average', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D',
  'BatchNormalization', 'Bidirectional', 'CategoryEncoding', 'CenterCrop', 'Concatenate', 'Constant', 'Conv1D',
  'Conv2D', 'Conv2DTranspose', 'Conv3D', 'Conv3DTranspose', 'ConvLSTM2D', 'ConvLSTM2DCell', 'Cropping2D', 'Dense',
  'DepthwiseConv2D', 'Dot', 'Dropout', 'ELU', 'Embedding', 'Flatten', 'Functional', 'GRU', 'GRUCell',
  'GaussianDropout', 'GaussianNoise', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D',
  'GlobalMaxPooling2D', 'GlorotNormal', 'GlorotUniform', 'HeNormal', 'HeUniform', 'Identity', 'InputLayer', 'L1L2',
  'LSTM', 'LSTMCell', 'LayerNormalization', 'LeCunNormal', 'LeCunUniform', 'LeakyReLU', 'Masking', 'MaxNorm',
  'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'Maximum', 'MinMaxNorm', 'Minimum', 'Model', 'Multiply', 'NonNeg',
  'Ones', 'Orthogonal', 'PReLU', 'Permute', 'RNN', 'RandomNormal', 'RandomUniform', 'RandomWidth', 'ReLU',
  'RepeatVector', 'Rescaling', 'Reshape', 'Resizing', 'SeparableConv2D', 'Sequential', 'SimpleRNN', 'SimpleRNNCell',
  'Softmax', 'SpatialDropout1D', 'StackedRNNCells', 'ThresholdedReLU', 'TimeDistributed', 'TruncatedNormal',
  'UnitNorm', 'UpSampling2D', 'VarianceScaling', 'ZeroPadding2D', 'Zeros',
])

/** Classes tfjs-layers 4.22 registers but cannot run as Keras does (found by loading and predicting). */
const TFJS_BROKEN: Readonly<Record<string, string>> = {
  Resizing: 'is a Resizing layer, which TensorFlow.js 4.22 loads but cannot run (its output shape is wrong, and it resizes with aligned corners)',
  CenterCrop: 'is a CenterCrop layer, which TensorFlow.js 4.22 loads but builds with the wrong input shape',
}

/**
 * Activation strings tfjs resolves (its registry names, after tfjs camel-cases the Keras string:
 * `hard_sigmoid` → `hardSigmoid`). `gelu_new` camel-cases to `geluNew`, which is not registered.
 */
export const TFJS_ACTIVATIONS: ReadonlySet<string> = new Set([
  'elu', 'selu', 'relu', 'relu6', 'linear', 'sigmoid', 'hard_sigmoid', 'softplus', 'softsign', 'tanh', 'softmax',
  'log_softmax', 'gelu', 'mish', 'swish',
])

/** Initializer strings tfjs resolves (tf.keras 2.0–2.2 and Keras 1 write initializers as strings). */
const TFJS_INITIALIZER_STRINGS: ReadonlySet<string> = new Set([
  'constant', 'glorot_normal', 'glorot_uniform', 'he_normal', 'he_uniform', 'identity', 'lecun_normal',
  'lecun_uniform', 'ones', 'orthogonal', 'random_normal', 'random_uniform', 'truncated_normal', 'variance_scaling', 'zeros',
])

const HINT = 'TensorFlow.js cannot load this model; keep it in Keras format (.keras or .h5), or replace the part in Keras and save again.'

function refuse(where: string, what: string, hint = HINT): FormatError {
  return new FormatError('KM_FORMAT_TFJS_UNSUPPORTED', `${where} ${what}.`, {hint})
}

/** Context of the walk: the innermost layer, for messages. */
interface Place {
  layer: string
  className: string
}

const describe = (p: Place): string => (p.layer === '' ? `The model (${p.className})` : `Layer '${p.layer}' (${p.className})`)

function checkString(key: string, value: string, place: Place, keras3: boolean): void {
  if ((key === 'activation' || key === 'recurrent_activation') && !TFJS_ACTIVATIONS.has(value)) {
    throw refuse(describe(place), `uses activation '${value}', which TensorFlow.js does not have`)
  }
  if ((key === 'activation' || key === 'recurrent_activation') && keras3 && value === 'hard_sigmoid') {
    throw refuse(describe(place), "uses Keras 3's hard_sigmoid (relu6(x + 3) / 6), which TensorFlow.js computes as Keras 2's (0.2x + 0.5)")
  }
  if (key.endsWith('_initializer') && !TFJS_INITIALIZER_STRINGS.has(value)) {
    throw refuse(describe(place), `uses initializer '${value}' (${key}), which TensorFlow.js does not have`)
  }
}

function checkNumber(key: string, value: number, place: Place): void {
  if (!Number.isFinite(value)) {
    throw refuse(describe(place), `has ${value} in '${key}', which a model.json cannot hold (tfjs reads it with JSON.parse)`)
  }
}

/** A `{class_name, config}` object: a layer, model, initializer, regularizer or constraint. */
function checkObject(key: string, obj: JsonObject & {class_name: string}, place: Place): Place {
  const config = isObject(obj.config) ? obj.config : {}
  const isLayer = key === 'layers' || key === 'layer' || key === 'cell' || key === 'cells' || key === 'forward_layer' || key === 'backward_layer' || key === ''
  const here = isLayer ? {layer: typeof config.name === 'string' ? config.name : typeof obj.name === 'string' ? obj.name : place.layer, className: obj.class_name} : place
  const broken = isLayer ? TFJS_BROKEN[obj.class_name] : undefined
  if (broken !== undefined) throw refuse(describe(here), broken)
  if (!TFJS_CLASSES.has(obj.class_name)) {
    const what = isLayer ? `is a class TensorFlow.js (tfjs-layers 4.22) does not have` : `uses ${obj.class_name} (${key}), which TensorFlow.js does not have`
    throw refuse(isLayer ? describe(here) : describe(place), what)
  }
  if (isLayer) checkArguments(obj.class_name, config, here)
  return here
}

/**
 * Arguments tfjs-layers 4.22 ignores or rejects although they change what the layer computes: tfjs builds
 * the layer without them (it does not check for unknown keys), so the model would load and compute something
 * else. Each rule: the classes, the key, the values tfjs computes as Keras does.
 */
const ARGUMENT_RULES: Array<{classes: string[]; key: string; ok: (v: Json | undefined) => boolean; why: string; hint?: string}> = [
  {classes: ['GRU', 'GRUCell'], key: 'reset_after', ok: (v) => v !== true, why: 'reset_after=True (the TF 2 default), which TensorFlow.js GRUs do not support', hint: 'Rebuild the GRU with reset_after=False in Keras and retrain it; there is no exact conversion of its weights.'},
  {classes: ['ReLU'], key: 'negative_slope', ok: (v) => v === undefined || v === null || v === 0, why: 'a negative_slope, which TensorFlow.js ReLU ignores'},
  {classes: ['ReLU'], key: 'threshold', ok: (v) => v === undefined || v === null || v === 0, why: 'a threshold, which TensorFlow.js ReLU ignores'},
  {classes: ['Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'Conv3DTranspose'], key: 'groups', ok: (v) => v === undefined || v === null || v === 1, why: 'groups > 1, which TensorFlow.js convolutions do not support'},
  {classes: ['LSTM', 'GRU', 'SimpleRNN', 'RNN'], key: 'time_major', ok: (v) => v !== true, why: 'time_major=True, which TensorFlow.js RNNs do not support'},
  {classes: ['GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D'], key: 'keepdims', ok: (v) => v !== true, why: 'keepdims=True, which TensorFlow.js global pooling ignores'},
  {classes: ['UpSampling2D'], key: 'interpolation', ok: (v) => v === undefined || v === null || v === 'nearest', why: "an interpolation other than 'nearest' (TensorFlow.js computes bilinear with aligned corners, Keras does not)"},
  {classes: ['Conv1D'], key: 'padding', ok: (v) => v !== 'causal', why: "padding='causal', which TensorFlow.js Conv1D does not implement"},
  {classes: ['ELU'], key: 'alpha', ok: (v) => v === undefined || v === null || v === 1, why: 'alpha other than 1, which TensorFlow.js ELU does not support'},
  {classes: ['Softmax'], key: 'axis', ok: (v) => v === undefined || v === null || v === -1 || (isArray(v) && v.length === 1 && v[0] === -1), why: 'an axis other than -1, which TensorFlow.js Softmax does not support'},
  {classes: ['ConvLSTM2D', 'ConvLSTM2DCell'], key: 'recurrent_activation', ok: (v) => v !== undefined, why: 'no recurrent_activation, whose default differs between Keras and TensorFlow.js'},
  {classes: ['LayerNormalization'], key: 'rms_scaling', ok: (v) => v !== true, why: 'rms_scaling=True, which TensorFlow.js LayerNormalization ignores'},
  {classes: ['Dense', 'EinsumDense', 'Embedding'], key: 'lora_rank', ok: (v) => v === undefined || v === null, why: 'LoRA weights (lora_rank), which TensorFlow.js does not have'},
  {classes: ['Dense', 'Embedding'], key: 'quantization_config', ok: (v) => v === undefined || v === null, why: 'a Keras 3 quantization_config, which TensorFlow.js does not have'},
]

function checkArguments(className: string, config: JsonObject, place: Place): void {
  for (const rule of ARGUMENT_RULES) {
    if (rule.classes.includes(className) && !rule.ok(config[rule.key])) throw refuse(describe(place), `has ${rule.why}`, rule.hint)
  }
}

function walk(value: Json, key: string, place: Place, keras3: boolean): void {
  if (typeof value === 'string') return checkString(key, value, place, keras3)
  if (typeof value === 'number') return checkNumber(key, value, place)
  if (isArray(value)) {
    for (const item of value) walk(item, key, place, keras3)
    return
  }
  if (!isObject(value)) return
  const here = typeof value.class_name === 'string' && 'config' in value ? checkObject(key, value as JsonObject & {class_name: string}, place) : place
  for (const [k, v] of Object.entries(value)) walk(v, k === 'config' ? key : k, here, keras3)
}

/** A Sequential must tell its first layer's input shape (tfjs: "The first layer in a Sequential model must get an inputShape"). */
function checkSequentialInputs(value: Json): void {
  if (isArray(value)) return value.forEach(checkSequentialInputs)
  if (!isObject(value)) return
  if (value.class_name === 'Sequential' && isObject(value.config)) {
    const layers = isArray(value.config.layers) ? value.config.layers : []
    const first = layers[0]
    const config = isObject(first) && isObject(first.config) ? first.config : {}
    const known = ['batch_input_shape', 'input_shape', 'input_dim'].some((k) => config[k] !== undefined && config[k] !== null)
    if (layers.length > 0 && !known) {
      const name = typeof value.config.name === 'string' ? value.config.name : ''
      throw refuse(describe({layer: name, className: 'Sequential'}), 'does not say the shape of its input, which TensorFlow.js needs to build it', 'Give the model an input shape (Input(shape=…) or input_shape=… on the first layer) in Keras and save it again.')
    }
  }
  for (const v of Object.values(value)) checkSequentialInputs(v)
}

/**
 * Refuses (FormatError KM_FORMAT_TFJS_UNSUPPORTED) a legacy model document tfjs-layers 4.22 cannot load:
 * an unregistered layer, initializer, regularizer or constraint class, an unknown activation, a GRU with
 * reset_after, a non-finite number, a Sequential without an input shape, an argument tfjs would ignore
 * (ARGUMENT_RULES). `generation` is whose activations the model means (Keras 3's hard_sigmoid is not tfjs's).
 * One line names the layer.
 */
export function checkTfjsLoadable(document: JsonObject, generation: Dialect): void {
  walk(document, '', {layer: '', className: typeof document.class_name === 'string' ? document.class_name : '?'}, generation === 'keras3')
  checkSequentialInputs(document)
}

const SIDE_KEYS = ['name', 'go_backwards']

/** A config without Keras 3's `shared_object_id` bookkeeping, which differs between two copies of one config. */
function withoutIds(value: Json): Json {
  if (isArray(value)) return value.map(withoutIds)
  if (!isObject(value)) return value
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'shared_object_id').map(([k, v]) => [k, withoutIds(v)]))
}

/**
 * A Bidirectional as tf.keras and tfjs write it: Keras 3 stores the wrapped layer already renamed
 * `forward_gru` (and strips the prefix when it loads), tf.keras and tfjs add `forward_` to the name they are
 * given, so the prefix goes. Keras 3 also always stores `backward_layer`, which tfjs ignores (it mirrors
 * `layer` with go_backwards flipped): it goes when it is exactly that mirror, and is refused otherwise.
 */
function bidirectional(config: JsonObject, keras3: boolean): JsonObject {
  const {layer, backward_layer: backward, ...rest} = config
  if (!isObject(layer) || !isObject(layer.config)) return config
  const name = layer.config.name
  const forward = keras3 && typeof name === 'string' && name.startsWith('forward_') ? {...layer, config: {...layer.config, name: name.slice('forward_'.length)}} : layer
  if (backward === undefined || backward === null) return {...rest, layer: forward}
  const mirror = isObject(backward) && isObject(backward.config) && backward.class_name === layer.class_name &&
    (backward.config.go_backwards === true) !== (layer.config.go_backwards === true) && jsonEqual(withoutIds(omit(backward.config, SIDE_KEYS)), withoutIds(omit(layer.config, SIDE_KEYS)))
  if (!mirror) {
    throw refuse(describe({layer: typeof config.name === 'string' ? config.name : '', className: 'Bidirectional'}), 'has its own backward_layer, which TensorFlow.js ignores (it mirrors the forward layer)')
  }
  return {...rest, layer: forward}
}

/** tf.keras's `{"class_name": "Policy", "config": {"name": "float32"}}`: plain float32, which tfjs spells as a string. */
const isFloat32Policy = (v: Json): boolean => isObject(v) && (v.class_name === 'Policy' || v.class_name === 'DTypePolicy') && isObject(v.config) && v.config.name === 'float32'

const GATED_RNN = new Set(['LSTM', 'LSTMCell', 'GRU', 'GRUCell'])
/** tf.keras's class names of initializers tfjs registers under another spelling. */
const INITIALIZER_NAMES: Readonly<Record<string, string>> = {LecunNormal: 'LeCunNormal', LecunUniform: 'LeCunUniform'}

/**
 * The legacy document as tfjs must see it to compute what Keras computes. tf.keras's `L1` / `L2` regularizers
 * are tfjs's `L1L2` with the other factor 0 (as Keras 3 → legacy conversion writes them), its `LecunNormal` /
 * `LecunUniform` initializers tfjs's `LeCunNormal` / `LeCunUniform`, a float32 dtype Policy the string
 * `float32` (other policies are refused by checkTfjsLoadable). LeakyReLU's `negative_slope`
 * (Keras 3) is `alpha` in tf.keras and tfjs (left as is, tfjs would use its default 0.3 where Keras 3's is
 * 0.2). An absent `recurrent_activation` of an LSTM/GRU is written out as the Keras that wrote the model
 * defaults it (`recurrentDefault`: hard_sigmoid before Keras 2.3, sigmoid since), since tfjs's default is
 * hard_sigmoid; when that Keras is unknown (null) it is refused. Returns a copy; the input is not changed.
 */
export function tfjsDocument(value: Json, recurrentDefault: string | null, keras3: boolean): Json {
  if (isArray(value)) return value.map((v) => tfjsDocument(v, recurrentDefault, keras3))
  if (!isObject(value)) return value
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(value)) out[k] = k === 'dtype' && isFloat32Policy(v) ? 'float32' : tfjsDocument(v, recurrentDefault, keras3)
  const config = out.config
  if (typeof out.class_name !== 'string' || !isObject(config)) return out
  if (out.class_name === 'Bidirectional') out.config = bidirectional(config, keras3)
  // tf.keras's SeparableConv2D inherits kernel_* keys from Conv it never uses; tfjs refuses them.
  if (out.class_name === 'SeparableConv2D') out.config = omit(config, ['kernel_initializer', 'kernel_regularizer', 'kernel_constraint'])
  if (out.class_name === 'LeakyReLU' && 'negative_slope' in config && !('alpha' in config)) {
    const {negative_slope: slope, ...rest} = config
    out.config = {...rest, alpha: slope ?? 0.3}
  }
  if (out.class_name === 'L1' || out.class_name === 'L2') {
    const strength = config[out.class_name.toLowerCase()] ?? 0.01
    out.config = {l1: out.class_name === 'L1' ? strength : 0, l2: out.class_name === 'L2' ? strength : 0}
    out.class_name = 'L1L2'
  }
  const renamed = INITIALIZER_NAMES[out.class_name]
  if (renamed !== undefined) out.class_name = renamed
  if (GATED_RNN.has(out.class_name) && config.recurrent_activation === undefined) {
    const name = typeof config.name === 'string' ? config.name : ''
    if (recurrentDefault === null) throw refuse(describe({layer: name, className: out.class_name}), 'has no recurrent_activation and the Keras version that wrote it is unknown, so its default cannot be told', 'Write recurrent_activation into the layer config (sigmoid since Keras 2.3, hard_sigmoid before).')
    out.config = {...config, recurrent_activation: recurrentDefault}
  }
  return out
}
