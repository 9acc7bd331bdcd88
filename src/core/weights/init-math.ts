/**
 * Numerical helpers of the initialisers: Keras's fan computation, the orthogonal matrix, and the
 * conversion of float64 samples into each weight dtype (float16 / bfloat16 as raw bits, round to
 * nearest even). Pure.
 */
import {WeightsError} from '../errors.js'
import type {WeightData, WeightDType} from './types.js'
import type {Rng} from './init-rng.js'

/**
 * Keras's `compute_fans`: rank 0 → (1, 1); rank 1 → (n, n); rank 2 → (in, out); higher ranks are
 * channels-last conv kernels (k…, in, out) with the receptive field Πk multiplying both. Keras 3.x's
 * `input_axes` / `output_axes`, when both are given, multiply exactly those axes instead.
 */
export function computeFans(shape: readonly number[], inputAxes?: readonly number[], outputAxes?: readonly number[]): [number, number] {
  const at = (axis: number): number => shape[axis < 0 ? shape.length + axis : axis] ?? 1
  if (inputAxes !== undefined && outputAxes !== undefined) {
    return [inputAxes.reduce((p, a) => p * at(a), 1), outputAxes.reduce((p, a) => p * at(a), 1)]
  }
  if (shape.length === 0) return [1, 1]
  if (shape.length === 1) return [at(0), at(0)]
  if (shape.length === 2) return [at(0), at(1)]
  const field = shape.slice(0, -2).reduce((a, b) => a * b, 1)
  return [at(-2) * field, at(-1) * field]
}

/**
 * Keras's Orthogonal: a (max(r, c) × min(r, c)) standard-normal matrix A (r = Π shape[:-1],
 * c = shape[-1]), Q of its QR decomposition with R's diagonal made positive (NumPy's `q *= sign(diag(r))`),
 * transposed when r < c, times `gain`. Gram–Schmidt (applied twice, for stability) yields exactly that
 * positive-diagonal Q. Cost grows as r·c·min(r, c).
 */
export function orthogonal(shape: readonly number[], gain: number, rng: Rng): Float64Array {
  if (shape.length < 2) {
    throw new WeightsError('KM_WEIGHTS_INITIALIZER', `The Orthogonal initializer needs a weight of rank 2 or more, not shape [${shape.join(', ')}].`)
  }
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1)
  const cols = shape.at(-1) ?? 1
  const m = Math.max(rows, cols)
  const n = Math.min(rows, cols)
  // A is drawn row-major (m × n), as NumPy fills it; Q is built column by column.
  const a = Float64Array.from({length: m * n}, () => rng.normal())
  const q: Float64Array[] = []
  for (let j = 0; j < n; j++) {
    const v = Float64Array.from({length: m}, (_, i) => a[i * n + j] ?? 0)
    for (let pass = 0; pass < 2; pass++) {
      for (const qk of q) {
        let dot = 0
        for (let i = 0; i < m; i++) dot += (qk[i] ?? 0) * (v[i] ?? 0)
        for (let i = 0; i < m; i++) v[i] = (v[i] ?? 0) - dot * (qk[i] ?? 0)
      }
    }
    let norm = 0
    for (let i = 0; i < m; i++) norm += (v[i] ?? 0) ** 2
    norm = Math.sqrt(norm)
    for (let i = 0; i < m; i++) v[i] = (v[i] ?? 0) / norm
    q.push(v)
  }
  const out = new Float64Array(rows * cols)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const value = gain * (q[j]?.[i] ?? 0)
      // rows ≥ cols: output[i][j] = Q[i][j]; rows < cols: output = Qᵀ, output[j][i] = Q[i][j].
      if (rows >= cols) out[i * cols + j] = value
      else out[j * cols + i] = value
    }
  }
  return out
}

/** Round half to even, as IEEE conversions round. */
function roundEven(v: number): number {
  const f = Math.floor(v)
  const d = v - f
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f
}

/** IEEE binary16 bits of a number (round to nearest even; overflow → ±Infinity; NaN → 0x7e00). */
export function float16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0
  const a = Math.abs(x)
  if (a >= 65_520) return sign | 0x7c00
  if (a < 2 ** -14) return sign | roundEven(a * 2 ** 24) // subnormal (1024 carries into the smallest normal)
  let e = Math.floor(Math.log2(a))
  if (2 ** e > a) e--
  if (2 ** (e + 1) <= a) e++
  let m = roundEven((a / 2 ** e - 1) * 1024)
  if (m === 1024) {
    m = 0
    e++
  }
  return sign | ((e + 15) << 10) | m
}

/** bfloat16 bits of a number: float32 first, then the upper 16 bits rounded to nearest even. */
export function bfloat16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7fc0
  const bits = new Uint32Array(Float32Array.of(x).buffer)[0] ?? 0
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff
}

const INTEGER: Partial<Record<WeightDType, (n: number) => WeightData>> = {
  int8: (n) => new Int8Array(n), int16: (n) => new Int16Array(n), int32: (n) => new Int32Array(n),
  uint8: (n) => new Uint8Array(n), uint16: (n) => new Uint16Array(n), uint32: (n) => new Uint32Array(n), bool: (n) => new Uint8Array(n),
}

/** Float64 samples → the typed array of `dtype` (integers truncated toward zero, bool as 0/1). */
export function encodeValues(values: Float64Array, dtype: WeightDType): WeightData {
  switch (dtype) {
    case 'float64': return values
    case 'float32': return Float32Array.from(values)
    case 'float16': return Uint16Array.from(values, float16Bits)
    case 'bfloat16': return Uint16Array.from(values, bfloat16Bits)
    case 'int64': return BigInt64Array.from(values, (v) => BigInt(Math.trunc(v)))
    case 'uint64': return BigUint64Array.from(values, (v) => BigInt(Math.max(0, Math.trunc(v))))
    default: {
      const out = (INTEGER[dtype] ?? ((n: number) => new Int32Array(n)))(values.length)
      for (let i = 0; i < values.length; i++) out[i] = dtype === 'bool' ? Number((values[i] ?? 0) !== 0) : Math.trunc(values[i] ?? 0)
      return out
    }
  }
}
