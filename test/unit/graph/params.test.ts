import {describe, expect, it} from 'vitest'
import {countWeights, dtypeBytes, modelWeights, totals, weightElements} from '../../../src/core/graph/params.js'
import type {WeightInfo} from '../../../src/core/graph/summary-types.js'

const w = (name: string, shape: Array<number | null>, trainable = true, dtype = 'float32'): WeightInfo => ({name, shape, dtype, trainable})

describe('counting', () => {
  it('a scalar counts 1; an unknown dim makes the size unknown', () => {
    expect(weightElements(w('count', []))).toBe(1)
    expect(weightElements(w('k', [3, null]))).toBeNull()
  })

  it('countWeights splits trainable and non-trainable; null weights are unknown', () => {
    expect(countWeights([w('gamma', [4]), w('moving_mean', [4], false)])).toEqual({total: 8, trainable: 4, non_trainable: 4})
    expect(countWeights(null)).toEqual({total: null, trainable: null, non_trainable: null})
  })

  it('bytes follow the dtype: float16 2, float32 4, int64 8', () => {
    expect([dtypeBytes('float16'), dtypeBytes('float32'), dtypeBytes('int64'), dtypeBytes('bfloat16')]).toEqual([2, 4, 8, 2])
    const t = totals([[w('k', [10], true, 'float16'), w('count', [], false, 'int64')], null])
    expect(t).toEqual({total_params: 11, trainable_params: 10, non_trainable_params: 1, total_bytes: 28, trainable_bytes: 20, non_trainable_bytes: 8, params_exact: false})
  })
})

describe('modelWeights', () => {
  it('all trainable then all non-trainable, across layers', () => {
    const layers = [[w('a/kernel', [1]), w('a/moving_mean', [1], false)], [w('b/kernel', [1])]]
    expect(modelWeights(layers, true)?.map((x) => x.name)).toEqual(['a/kernel', 'b/kernel', 'a/moving_mean'])
    expect(modelWeights(layers, false)?.every((x) => !x.trainable)).toBe(true)
    expect(modelWeights([null], true)).toBeNull()
  })
})
