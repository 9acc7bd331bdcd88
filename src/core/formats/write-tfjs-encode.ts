/**
 * Weight tensors → the bytes and manifest entries of a tfjs layers model, as tensorflowjs_converter's
 * write_weights.py and quantization.py produce them (KERAS-REFERENCE §3.8):
 *
 *   {"name": "dense/kernel", "shape": [8, 12], "dtype": "float32"}                                  plain
 *   {"name": …, "dtype": "float32", "quantization": {"dtype": "float16", "original_dtype": "float32"}}  --quantize float16
 *   {"name": …, "dtype": "float32", "quantization": {"dtype": "uint8", "min": m, "scale": s,
 *                                                    "original_dtype": "float32"}}                uint8 / uint16
 *
 * tfjs-core's decodeWeights dequantises uint8/uint16 codes as `q * scale + min` and float16 bits exactly. tfjs
 * holds float32, int32 and bool tensors only, so other dtypes are widened when that keeps every value (float16,
 * bfloat16, small ints), cast as the converter casts (float64 → float32, with a warning), or refused.
 */
import {FormatError, type Warning} from '../errors.js'
import type {Json, JsonObject} from '../json.js'
import {toFloat32} from '../weights/convert.js'
import type {WeightTensor} from '../weights/types.js'

/** The converter's `--quantize_*` choices. */
export type TfjsQuantization = 'float16' | 'uint8' | 'uint16'

/** One tensor ready for a shard: its manifest entry and its little-endian bytes. */
export interface EncodedTensor {
  entry: JsonObject
  bytes: Uint8Array
}

/** Where a tensor sits, for messages: the layer and the weight's tfjs name. */
export interface TensorPlace {
  layer: string
  name: string
}

function dtypeError(place: TensorPlace, what: string, hint: string): FormatError {
  return new FormatError('KM_FORMAT_TFJS_DTYPE', `Weight '${place.name}' of layer '${place.layer}' ${what}.`, {hint})
}

const bytesOf = (a: Float32Array | Int32Array | Uint16Array | Uint8Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)

/** Integer tensors as int32, when every value fits; tfjs has no other integer dtype. */
function toInt32(t: WeightTensor, place: TensorPlace): Int32Array {
  if (t.data instanceof Int32Array) return t.data
  const out = new Int32Array(t.data.length)
  for (let i = 0; i < out.length; i++) {
    const v = Number(t.data[i] ?? 0)
    if (!(v >= -2147483648 && v <= 2147483647)) {
      throw dtypeError(place, `is ${t.dtype} and holds ${String(t.data[i])} at flat index ${i}, which int32 (the only integer type tfjs holds) cannot`, 'TensorFlow.js cannot hold this weight; keep the model in Keras format (.keras or .h5).')
    }
    out[i] = v
  }
  return out
}

/** The tensor in the dtype tfjs holds: float32 / int32 / bool, with a warning where values may change. */
function plainValues(t: WeightTensor, place: TensorPlace, warnings: Warning[]): {dtype: 'float32' | 'int32' | 'bool'; data: Float32Array | Int32Array | Uint8Array} {
  switch (t.dtype) {
    case 'float32':
    case 'float16':
    case 'bfloat16':
      return {dtype: 'float32', data: toFloat32(t)} // float16 / bfloat16 widen exactly
    case 'float64': {
      const data = Float32Array.from(t.data as Float64Array)
      if (data.some((v, i) => v !== (t.data[i] as number) && !Number.isNaN(v))) {
        warnings.push({path: `layer '${place.layer}'`, message: `weight '${place.name}' is float64; cast to float32 as tensorflowjs_converter does (values rounded)`})
      }
      return {dtype: 'float32', data}
    }
    case 'bool':
      return {dtype: 'bool', data: Uint8Array.from(t.data as Uint8Array, (v) => (v === 0 ? 0 : 1))}
    default:
      return {dtype: 'int32', data: toInt32(t, place)}
  }
}

/** float32 → IEEE 754 half bits, rounding to nearest even (NumPy's astype(float16)); overflow → ±Inf. */
export function floatToHalf(value: number): number {
  const f32 = new Float32Array([value])
  const x = new Uint32Array(f32.buffer)[0] ?? 0
  const sign = (x >>> 16) & 0x8000
  const exp = (x >>> 23) & 0xff
  let mant = x & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (mant === 0 ? 0 : 0x200 | (mant >>> 13))
  const e = exp - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    if (e < -10) return sign
    mant |= 0x800000
    const shift = 14 - e
    let half = mant >>> shift
    const rem = mant & ((1 << shift) - 1)
    const halfway = 1 << (shift - 1)
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++
    return sign | half
  }
  let half = (e << 10) | (mant >>> 13)
  const rem = mant & 0x1fff
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++ // a carry into the exponent is still right
  return sign | half
}

/** Python's / NumPy's round(): half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v)
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/**
 * Affine uint8/uint16 codes as quantization.py's quantize_weights computes them: the range [min, max] (in
 * float64) is nudged so that 0 is exactly representable when it lies inside; a constant tensor is all zeros
 * with scale 1. The codes follow NumPy 1.x (which TensorFlow 2.x, hence the converter, runs on): its
 * value-based casting keeps `round((clip(x, min, max) - min) / scale)` in float32, the float64 min, max
 * and scale cast to float32 first; round is half to even. Returns the float64 min and scale the manifest holds.
 */
export function affineQuantize(data: Float32Array, dtype: 'uint8' | 'uint16'): {codes: Uint8Array | Uint16Array; min: number; scale: number} {
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const v of data) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  const codes = dtype === 'uint8' ? new Uint8Array(data.length) : new Uint16Array(data.length)
  if (data.length === 0) return {codes, min: 0, scale: 1}
  if (lo === hi) return {codes, min: lo, scale: 1}
  const qmax = dtype === 'uint8' ? 255 : 65535
  const scale = (hi - lo) / qmax
  let min = lo
  let max = hi
  if (lo <= 0 && hi >= 0) {
    min = -roundHalfEven((0 - lo) / scale) * scale
    max = qmax * scale + min
  }
  const [min32, max32, scale32] = [Math.fround(min), Math.fround(max), Math.fround(scale)]
  for (let i = 0; i < data.length; i++) {
    const clipped = Math.min(Math.max(data[i] ?? 0, min32), max32)
    // float32 arithmetic: one float64 operation on float32 operands, rounded once to float32, is exact IEEE float32.
    // Clamped: where float32 rounding lands one past qmax, NumPy's astype would wrap it to 0.
    codes[i] = Math.min(qmax, roundHalfEven(Math.fround(Math.fround(clipped - min32) / scale32)))
  }
  return {codes, min, scale}
}

function quantized(t: WeightTensor, place: TensorPlace, data: Float32Array, q: TfjsQuantization): EncodedTensor {
  const base: JsonObject = {name: place.name, shape: t.shape, dtype: 'float32'}
  if (q === 'float16') {
    const half = new Uint16Array(data.length)
    for (let i = 0; i < data.length; i++) {
      const v = data[i] ?? 0
      const bits = floatToHalf(v)
      half[i] = bits
      if (Number.isFinite(v) && (bits & 0x7c00) === 0x7c00) {
        throw dtypeError(place, `holds ${v} at flat index ${i}, beyond float16's range (±65504)`, 'Quantize with --quantize uint16 or uint8, or not at all.')
      }
    }
    return {entry: {...base, quantization: {dtype: 'float16', original_dtype: 'float32'}}, bytes: bytesOf(half)}
  }
  if (data.some((v) => !Number.isFinite(v))) {
    throw dtypeError(place, 'holds NaN or infinite values, which affine quantization cannot represent', 'Quantize with --quantize float16, or not at all.')
  }
  const {codes, min, scale} = affineQuantize(data, q)
  const quantization: Json = {dtype: q, min, scale, original_dtype: 'float32'}
  return {entry: {...base, quantization}, bytes: bytesOf(codes)}
}

/**
 * One tensor as the converter writes it: float weights quantised when `q` is set (only float32 weights, as
 * write_weights.py's _quantize_entry), everything else plain. FormatError KM_FORMAT_TFJS_DTYPE for values
 * tfjs cannot hold; warnings for float64 → float32 casts that round.
 */
export function encodeTensor(t: WeightTensor, place: TensorPlace, q: TfjsQuantization | undefined, warnings: Warning[]): EncodedTensor {
  const {dtype, data} = plainValues(t, place, warnings)
  if (q !== undefined && dtype === 'float32') return quantized(t, place, data as Float32Array, q)
  return {entry: {name: place.name, shape: t.shape, dtype}, bytes: bytesOf(data)}
}
