/**
 * Statistics of one weight tensor for `weights show`, computed in float64 over its decoded values (float16 and
 * bfloat16 from their bits, int64 through Number, bool as 0/1): min, max, mean and the population standard
 * deviation (NumPy's `std` with ddof=0) over the finite values, with NaN and ±Inf counted apart.
 */
import {halfToFloat} from './convert.js'
import type {WeightDType, WeightTensor} from './types.js'

/** What `weights show` reports of a tensor's values; the four statistics are null when no value is finite. */
export interface TensorStats {
  min: number | null
  max: number | null
  mean: number | null
  std: number | null
  nan: number
  inf: number
}

/** Bytes per element as the file stores them. */
export const DTYPE_BYTES: Record<WeightDType, number> = {
  float16: 2, bfloat16: 2, float32: 4, float64: 8, int8: 1, int16: 2, int32: 4, int64: 8,
  uint8: 1, uint16: 2, uint32: 4, uint64: 8, bool: 1,
}

const BF16 = new Float32Array(1)
const BF16_BITS = new Uint32Array(BF16.buffer)

/** Element `i` of the tensor as a float64 number. */
function valueReader(t: WeightTensor): (i: number) => number {
  const data = t.data
  if (t.dtype === 'bfloat16') {
    return (i) => {
      BF16_BITS[0] = Number(data[i]) << 16
      return BF16[0] as number
    }
  }
  if (t.dtype === 'float16') return (i) => halfToFloat(Number(data[i]))
  return (i) => Number(data[i])
}

/**
 * Sum of `f(i)` for i in [start, start + n) by pairwise summation (as NumPy sums), so that mean and std
 * stay as close to NumPy's float64 results on large tensors as on small ones.
 */
function pairwiseSum(start: number, n: number, f: (i: number) => number): number {
  if (n <= 128) {
    let s = 0
    for (let i = start; i < start + n; i++) s += f(i)
    return s
  }
  const half = Math.floor(n / 2)
  return pairwiseSum(start, half, f) + pairwiseSum(start + half, n - half, f)
}

/** The statistics of one tensor, reading its data twice (mean first, then squared deviations). */
export function tensorStats(t: WeightTensor): TensorStats {
  const value = valueReader(t)
  const n = t.data.length
  let nan = 0
  let inf = 0
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (let i = 0; i < n; i++) {
    const v = value(i)
    if (Number.isNaN(v)) nan++
    else if (!Number.isFinite(v)) inf++
    else {
      if (v < min) min = v
      if (v > max) max = v
    }
  }
  const count = n - nan - inf
  if (count === 0) return {min: null, max: null, mean: null, std: null, nan, inf}
  const clean = (v: number): number => (Number.isFinite(v) ? v : 0)
  const mean = pairwiseSum(0, n, (i) => clean(value(i))) / count
  const squares = pairwiseSum(0, n, (i) => {
    const v = value(i)
    return Number.isFinite(v) ? (v - mean) ** 2 : 0
  })
  return {min, max, mean, std: Math.sqrt(squares / count), nan, inf}
}
