import {describe, expect, it} from 'vitest'
import {tensorStats} from '../../../src/core/weights/show-stats.js'
import type {WeightTensor} from '../../../src/core/weights/types.js'

const t = (dtype: WeightTensor['dtype'], data: WeightTensor['data']): WeightTensor => ({name: 'w', shape: [data.length], dtype, data})

describe('weights show statistics', () => {
  it('computes min, max, mean and the population std over the finite values, counting NaN and Inf apart', () => {
    const s = tensorStats(t('float32', new Float32Array([1, 2, 3, 4, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])))
    expect(s).toEqual({min: 1, max: 4, mean: 2.5, std: Math.sqrt(1.25), nan: 1, inf: 2})
  })

  it('gives null statistics when nothing is finite, and for an empty tensor', () => {
    expect(tensorStats(t('float32', new Float32Array([Number.NaN])))).toEqual({min: null, max: null, mean: null, std: null, nan: 1, inf: 0})
    expect(tensorStats(t('float32', new Float32Array([])))).toEqual({min: null, max: null, mean: null, std: null, nan: 0, inf: 0})
  })

  it('decodes float16 and bfloat16 bits and reads int64 values', () => {
    expect(tensorStats(t('float16', new Uint16Array([0x3c00, 0xc000, 0x7c00]))).min).toBe(-2) // 1, -2, +Inf
    expect(tensorStats(t('float16', new Uint16Array([0x3c00, 0xc000, 0x7c00]))).inf).toBe(1)
    expect(tensorStats(t('bfloat16', new Uint16Array([0x3fc0, 0xc010]))).max).toBe(1.5) // 1.5, -2.25
    expect(tensorStats(t('int64', new BigInt64Array([-3n, 5n]))).mean).toBe(1)
  })

  it('sums pairwise: the mean of many equal float32 values stays exact', () => {
    const s = tensorStats(t('float32', new Float32Array(1_000_003).fill(0.1)))
    expect(s.mean).toBe(Math.fround(0.1))
    expect(s.std).toBeLessThan(1e-12)
  })
})
