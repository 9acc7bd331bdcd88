/**
 * Fresh weights for one layer: each expected weight (WeightInfo, from the summary engine) is matched to
 * the layer config's initialiser by Keras's naming — `kernel` → `kernel_initializer`, `recurrent_kernel`
 * → `recurrent_initializer`, `gamma` → `gamma_initializer`, … — with Keras's default when the key is
 * absent or null. Wrappers (Bidirectional, TimeDistributed) use the wrapped layer's config (Bidirectional's
 * `backward_layer` for `backward_*` weights). LSTM-family biases follow `unit_forget_bias`.
 * Nested models: call this per inner layer.
 */
import {type Json, type JsonObject, isObject} from '../json.js'
import {WeightsError} from '../errors.js'
import type {WeightInfo} from '../graph/summary-types.js'
import {encodeValues} from './init-math.js'
import {sampleInitializer} from './init.js'
import type {Rng} from './init-rng.js'
import type {WeightDType, WeightTensor} from './types.js'

/** A layer entry as Keras configs hold it. */
export interface LayerEntry {
  class_name: string
  config: JsonObject
}

/** Config keys to look up (first present wins) and Keras's default, per short weight name. */
const RULES: Record<string, {keys: string[]; fallback: Json}> = {
  kernel: {keys: ['kernel_initializer', 'init'], fallback: 'glorot_uniform'},
  W: {keys: ['kernel_initializer', 'init'], fallback: 'glorot_uniform'},
  W_carry: {keys: ['kernel_initializer', 'init'], fallback: 'glorot_uniform'},
  bias: {keys: ['bias_initializer'], fallback: 'zeros'},
  b: {keys: ['bias_initializer'], fallback: 'zeros'},
  recurrent_kernel: {keys: ['recurrent_initializer', 'inner_init'], fallback: 'orthogonal'},
  depthwise_kernel: {keys: ['depthwise_initializer', 'kernel_initializer'], fallback: 'glorot_uniform'},
  pointwise_kernel: {keys: ['pointwise_initializer', 'kernel_initializer'], fallback: 'glorot_uniform'},
  embeddings: {keys: ['embeddings_initializer', 'init'], fallback: 'uniform'},
  reverse_embeddings: {keys: ['reverse_embeddings_initializer', 'embeddings_initializer'], fallback: 'uniform'},
  gamma: {keys: ['gamma_initializer'], fallback: 'ones'},
  beta: {keys: ['beta_initializer'], fallback: 'zeros'},
  moving_mean: {keys: ['moving_mean_initializer'], fallback: 'zeros'},
  moving_variance: {keys: ['moving_variance_initializer'], fallback: 'ones'},
  moving_stddev: {keys: [], fallback: 'ones'},
  renorm_mean: {keys: [], fallback: 'zeros'},
  renorm_stddev: {keys: [], fallback: 'ones'},
  alpha: {keys: ['alpha_initializer'], fallback: 'zeros'},
  concat_score_weight: {keys: [], fallback: 'ones'},
  mean: {keys: [], fallback: 'zeros'},
  variance: {keys: [], fallback: 'ones'},
  count: {keys: [], fallback: 'zeros'},
  vector_u: {keys: [], fallback: {class_name: 'TruncatedNormal', config: {stddev: 0.02}}},
}

/** LSTM-family classes whose bias starts with ones in the forget gate when `unit_forget_bias` (default true). */
const FORGET_GATE: Record<string, {parts: number; forget: number}> = {
  LSTM: {parts: 4, forget: 1}, LSTMCell: {parts: 4, forget: 1}, PeepholeLSTMCell: {parts: 4, forget: 1},
  ConvLSTM1D: {parts: 4, forget: 1}, ConvLSTM2D: {parts: 4, forget: 1}, ConvLSTM3D: {parts: 4, forget: 1},
  ConvLSTM2DCell: {parts: 4, forget: 1},
  // CuDNNLSTM (Keras 2.0–2.3) keeps input and recurrent biases: 8 blocks, the recurrent forget block is #5.
  CuDNNLSTM: {parts: 8, forget: 5},
}

/** A `{class_name, config}` entry, or null for anything else. */
function entryOf(value: Json | undefined): LayerEntry | null {
  return isObject(value) && typeof value.class_name === 'string' && isObject(value.config) ? {class_name: value.class_name, config: value.config} : null
}

/** The entry whose config owns a weight: the wrapped layer for wrappers, else the layer itself. */
function owner(layer: LayerEntry, weight: string): LayerEntry {
  const inner = entryOf(layer.config.layer)
  if (inner === null || weight === 'vector_u') return layer
  const back = entryOf(layer.config.backward_layer)
  return owner(weight.startsWith('backward_') && back !== null ? back : inner, weight)
}

/** The initialiser Keras uses for a weight named `short` (last path part) of `entry`. */
function initializerFor(entry: LayerEntry, short: string, all: readonly WeightInfo[]): Json {
  const cfg = entry.config
  if (short === 'scale') return entry.class_name === 'AdditiveAttention' ? 'glorot_uniform' : 'ones'
  if (short === 'b_carry') return {class_name: 'Constant', config: {value: typeof cfg.transform_bias === 'number' ? cfg.transform_bias : -2}}
  if (short.endsWith('_gate_peephole_weights')) return cfg.kernel_initializer ?? 'glorot_uniform'
  if (short === 'unscaled_kernel') {
    const kind = cfg.kernel_initializer
    if (kind === 'gaussian' || kind === undefined) return {class_name: 'RandomNormal', config: {stddev: 1}}
    throw new WeightsError('KM_WEIGHTS_INITIALIZER', `RandomFourierFeatures kernel_initializer '${String(kind)}' is not supported.`)
  }
  if (short === 'kernel_scale') {
    const inDim = all.find((w) => w.name.endsWith('unscaled_kernel'))?.shape[0]
    const scale = typeof cfg.scale === 'number' ? cfg.scale : Math.sqrt((typeof inDim === 'number' ? inDim : 2) / 2)
    return {class_name: 'Constant', config: {value: scale}}
  }
  const rule = RULES[short]
  const keys = rule?.keys ?? [`${short}_initializer`]
  for (const key of keys) {
    const value = cfg[key]
    if (value !== undefined && value !== null) return value
  }
  if (rule !== undefined) return rule.fallback
  throw new WeightsError('KM_WEIGHTS_INITIALIZER', `No initializer is known for weight '${short}' of a ${entry.class_name} layer.`, {
    hint: 'Load weights for this layer from a file instead.',
  })
}

const DTYPES: ReadonlySet<string> = new Set(['float16', 'bfloat16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool'])

/** Values of one weight as float64, with the LSTM forget-gate bias rule applied. */
function values(entry: LayerEntry, short: string, init: Json, shape: number[], rng: Rng): Float64Array {
  const gate = FORGET_GATE[entry.class_name]
  const size = shape.reduce((a, b) => a * b, 1)
  if (short !== 'bias' || gate === undefined || entry.config.unit_forget_bias === false || shape.length !== 1 || size % gate.parts !== 0) {
    return sampleInitializer(init, shape, rng)
  }
  // Keras: concat(init(forget * u), ones(u), init(rest)), each part drawn with the bias initialiser.
  const u = size / gate.parts
  const out = new Float64Array(size)
  out.set(sampleInitializer(init, [gate.forget * u], rng), 0)
  out.fill(1, gate.forget * u, (gate.forget + 1) * u)
  out.set(sampleInitializer(init, [size - (gate.forget + 1) * u], rng), (gate.forget + 1) * u)
  return out
}

/**
 * Fresh WeightTensors for `weights` (a layer's expected weights, in saved order) from `layer`'s config.
 * Each weight draws from `rng.fork('<layer name>/<weight name>')`, so its values depend on the seed and
 * its own name only. Tensor names are the WeightInfo names (`kernel`, `forward_lstm/lstm_cell/bias`).
 */
export function freshLayerWeights(layer: LayerEntry, weights: readonly WeightInfo[], rng: Rng): WeightTensor[] {
  const layerName = typeof layer.config.name === 'string' ? layer.config.name : layer.class_name
  return weights.map((w) => {
    const shape = w.shape.map((d) => (typeof d === 'number' ? d : Number.NaN))
    if (shape.some(Number.isNaN)) {
      throw new WeightsError('KM_WEIGHTS_SHAPE', `Weight '${w.name}' of layer '${layerName}' has an unknown dimension: [${w.shape.map((d) => d ?? 'None').join(', ')}].`)
    }
    if (!DTYPES.has(w.dtype)) throw new WeightsError('KM_WEIGHTS_DTYPE', `Weight '${w.name}' of layer '${layerName}' has dtype '${w.dtype}', which kmodel cannot create.`)
    const dtype = w.dtype as WeightDType // checked against DTYPES above
    const short = w.name.split('/').at(-1) ?? w.name
    const entry = owner(layer, w.name)
    const init = initializerFor(entry, short, weights)
    const data = encodeValues(values(entry, short, init, shape, rng.fork(`${layerName}/${w.name}`)), dtype)
    return {name: w.name, shape, dtype, data}
  })
}
