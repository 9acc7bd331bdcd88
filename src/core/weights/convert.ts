/**
 * Weight layouts that differ from what a Keras 2 layer holds, converted the way tf.keras's
 * `preprocess_weights_for_loading` does before assignment (KERAS-REFERENCE §3.7):
 *
 *   Keras 1 LSTM / ConvLSTM2D: 12 arrays W_i U_i b_i W_c U_c b_c W_f U_f b_f W_o U_o b_o
 *     → kernel, recurrent_kernel, bias, each the gate blocks concatenated on the last axis in order i, f, c, o
 *   Keras 1 GRU: 9 arrays W_z U_z b_z W_r U_r b_r W_h U_h b_h → kernel, recurrent_kernel, bias (gates z, r, h)
 *   Keras 1 Conv1D kernel (length, 1, in, filters), or (filters, in, length, 1) → (length, in, filters)
 *   Keras 1 Conv2D / Conv3D with channels_first kernels (filters, in, k…) → (k…, in, filters)
 *   CuDNNLSTM weights into LSTM (bias 8u): per-gate kernel blocks re-laid, the two bias halves summed
 *   CuDNNGRU weights into GRU(reset_after=True) (bias 6u): blocks re-laid, bias → (2, 3u)
 *   Bidirectional / TimeDistributed: the wrapped layer's rule, per half for Bidirectional
 *
 * Every function returns new tensors and keeps each array's element type.
 */
import {InternalError} from '../errors.js'
import {isObject, type JsonObject} from '../json.js'
import type {WeightData, WeightTensor} from './types.js'

/** The model layer the weights are for. */
export interface LayerContext {
  class_name: string
  config: JsonObject
}

/** Options of convertLayerWeights. */
export interface ConvertOptions {
  /** The weights were written by Keras 1 (`keras_version` 1.x, or absent as Keras assumes). */
  keras1: boolean
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1)
const alloc = (like: WeightData, n: number): WeightData => new (like.constructor as new (n: number) => WeightData)(n)

/** Concatenates tensors of equal leading shape along their last axis. */
export function concatLastAxis(parts: readonly WeightTensor[], name: string): WeightTensor {
  const first = parts[0]
  if (first === undefined) throw new InternalError('concatLastAxis needs at least one tensor.')
  const lead = first.shape.slice(0, -1)
  const rows = size(lead)
  const widths = parts.map((p) => p.shape[p.shape.length - 1] ?? 1)
  const total = widths.reduce((a, b) => a + b, 0)
  const out = alloc(first.data, rows * total)
  let offset = 0
  parts.forEach((p, k) => {
    const w = widths[k] ?? 1
    for (let r = 0; r < rows; r++) for (let c = 0; c < w; c++) out[r * total + offset + c] = p.data[r * w + c] as never
    offset += w
  })
  return {name, shape: [...lead, total], dtype: first.dtype, data: out}
}

/** Transposes a row-major tensor: output axis i is input axis perm[i] (NumPy's np.transpose). */
export function transpose(t: WeightTensor, perm: readonly number[]): WeightTensor {
  const shape = perm.map((p) => t.shape[p] ?? 1)
  const inStrides = t.shape.map((_, i) => size(t.shape.slice(i + 1)))
  const out = alloc(t.data, t.data.length)
  const index = new Array<number>(shape.length).fill(0)
  for (let o = 0; o < out.length; o++) {
    let src = 0
    for (let i = 0; i < shape.length; i++) src += (index[i] ?? 0) * (inStrides[perm[i] ?? 0] ?? 0)
    out[o] = t.data[src] as never
    for (let i = shape.length - 1; i >= 0; i--) {
      index[i] = (index[i] ?? 0) + 1
      if ((index[i] ?? 0) < (shape[i] ?? 1)) break
      index[i] = 0
    }
  }
  return {...t, shape, data: out}
}

const reshape = (t: WeightTensor, shape: number[]): WeightTensor => ({...t, shape})
const pick = (ws: readonly WeightTensor[], idx: readonly number[]): WeightTensor[] => idx.map((i) => ws[i] as WeightTensor)

/** Splits a tensor's last axis into `n` equal blocks. */
function splitLastAxis(t: WeightTensor, n: number): WeightTensor[] {
  const width = (t.shape[t.shape.length - 1] ?? 0) / n
  const lead = t.shape.slice(0, -1)
  const rows = size(lead)
  return Array.from({length: n}, (_, k) => {
    const data = alloc(t.data, rows * width)
    for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) data[r * width + c] = t.data[r * width * n + k * width + c] as never
    return {...t, shape: [...lead, width], data}
  })
}

/** cuDNN gate blocks → Keras blocks: each input block is the buffer of a (u, in) matrix, transposed. */
function fromCudnn(kernel: WeightTensor, recurrent: WeightTensor, gates: number): [WeightTensor, WeightTensor] {
  const [rows = 0] = kernel.shape
  const units = (kernel.shape[1] ?? 0) / gates
  const k = splitLastAxis(kernel, gates).map((b) => transpose(reshape(b, [units, rows]), [1, 0]))
  const r = splitLastAxis(recurrent, gates).map((b) => transpose(b, [1, 0]))
  return [concatLastAxis(k, kernel.name), concatLastAxis(r, recurrent.name)]
}

function recurrentRule(cls: string, ws: WeightTensor[], config: JsonObject): WeightTensor[] {
  const units = typeof config.units === 'number' ? config.units : null
  const [kernel, recurrent, bias] = ws
  if ((cls === 'LSTM' || cls === 'ConvLSTM2D') && ws.length === 12) {
    return [[0, 6, 3, 9], [1, 7, 4, 10], [2, 8, 5, 11]].map((idx, k) => concatLastAxis(pick(ws, idx), ['kernel', 'recurrent_kernel', 'bias'][k] ?? ''))
  }
  if (cls === 'GRU' && ws.length === 9) {
    return [[0, 3, 6], [1, 4, 7], [2, 5, 8]].map((idx, k) => concatLastAxis(pick(ws, idx), ['kernel', 'recurrent_kernel', 'bias'][k] ?? ''))
  }
  if (kernel === undefined || recurrent === undefined || bias === undefined || units === null || bias.shape.length !== 1) return ws
  if (cls === 'LSTM' && bias.shape[0] === 8 * units) {
    const [k, r] = fromCudnn(kernel, recurrent, 4)
    const summed = alloc(bias.data, 4 * units)
    for (let i = 0; i < 4 * units; i++) summed[i] = (Number(bias.data[i]) + Number(bias.data[i + 4 * units])) as never
    return [k, r, {...bias, shape: [4 * units], data: summed}]
  }
  if (cls === 'GRU' && config.reset_after === true && bias.shape[0] === 6 * units) {
    const [k, r] = fromCudnn(kernel, recurrent, 3)
    return [k, r, reshape(bias, [2, 3 * units])]
  }
  return ws
}

function convRule(cls: string, ws: WeightTensor[], config: JsonObject, opts: ConvertOptions): WeightTensor[] {
  const [kernel, ...rest] = ws
  if (kernel === undefined) return ws
  const filters = typeof config.filters === 'number' ? config.filters : null
  const first = config.data_format === 'channels_first'
  if (cls === 'Conv1D' && kernel.shape.length === 4) {
    const legacy = kernel.shape[1] === 1 && kernel.shape[3] === filters ? kernel : transpose(kernel, [2, 3, 1, 0])
    const [len = 1, , inDim = 1, f = 1] = legacy.shape
    return [{...legacy, shape: [len, inDim, f]}, ...rest]
  }
  if (opts.keras1 && first && cls === 'Conv2D' && kernel.shape.length === 4) return [transpose(kernel, [2, 3, 1, 0]), ...rest]
  if (opts.keras1 && first && cls === 'Conv3D' && kernel.shape.length === 5) return [transpose(kernel, [2, 3, 4, 1, 0]), ...rest]
  return ws
}

/**
 * The layer's weights in the Keras 2 layout its class expects (see the module comment); weights that need no
 * conversion are returned as given.
 */
export function convertLayerWeights(layer: LayerContext, weights: WeightTensor[], opts: ConvertOptions): WeightTensor[] {
  const cls = layer.class_name
  const inner = isObject(layer.config.layer) && typeof layer.config.layer.class_name === 'string' && isObject(layer.config.layer.config)
    ? {class_name: layer.config.layer.class_name, config: layer.config.layer.config}
    : null
  if (cls === 'Bidirectional' && inner !== null && weights.length % 2 === 0) {
    const half = weights.length / 2
    return [...convertLayerWeights(inner, weights.slice(0, half), opts), ...convertLayerWeights(inner, weights.slice(half), opts)]
  }
  if (cls === 'TimeDistributed' && inner !== null) return convertLayerWeights(inner, weights, opts)
  if (cls === 'LSTM' || cls === 'GRU' || cls === 'ConvLSTM2D') return recurrentRule(cls, weights, layer.config)
  if (cls.startsWith('Conv')) return convRule(cls, weights, layer.config, opts)
  return weights
}

/** The tensor's values as float32 (float16 and bfloat16 decoded from their raw bits; bool as 0/1). */
export function toFloat32(t: WeightTensor): Float32Array {
  if (t.dtype === 'bfloat16') {
    const bits = new Uint32Array(t.data.length)
    for (let i = 0; i < bits.length; i++) bits[i] = Number(t.data[i]) << 16
    return new Float32Array(bits.buffer)
  }
  if (t.dtype === 'float16') return Float32Array.from(t.data as Uint16Array, halfToFloat)
  if (t.data instanceof Float32Array) return t.data
  if (t.data instanceof BigInt64Array || t.data instanceof BigUint64Array) return Float32Array.from(t.data, (v) => Number(v))
  return Float32Array.from(t.data)
}

/** IEEE 754 half-precision bits → number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >> 10) & 0x1f
  const fraction = bits & 0x3ff
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}
