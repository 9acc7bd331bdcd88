import {describe, expect, it} from 'vitest'

import {summaryToJson} from '../../../src/core/render/json.js'
import {INTEROP_CASES} from './cases.js'
import {EDGE_FUNCTIONAL} from './demo-cases.js'

describe('summaryToJson', () => {
  it('produces the documented summary --json shape, nested layers under a nested model', () => {
    const recommender = INTEROP_CASES.find((c) => c.id === 'recommender-func-k218')
    if (recommender === undefined) throw new Error('missing case')
    const result = summaryToJson(recommender.summary)
    expect(Object.keys(result)).toEqual([
      'name',
      'className',
      'kerasVersion',
      'layers',
      'totalParams',
      'trainableParams',
      'nonTrainableParams',
      'paramsExact',
      'totalBytes',
    ])
    expect(result).toMatchObject({
      name: 'model',
      className: 'Functional',
      kerasVersion: '2.18.0',
      totalParams: 455_168,
      trainableParams: 455_168,
      nonTrainableParams: 0,
      paramsExact: true,
      totalBytes: 1_820_672,
    })
    expect(result.layers[0]).toEqual({
      name: 'user_id',
      className: 'InputLayer',
      outputShape: [null],
      params: 0,
      trainable: true,
      connectedTo: [],
    })
    expect(result.layers[2]?.layers?.map((l) => l.name)).toEqual(['string_lookup', 'embedding'])
    expect(result.layers[6]?.connectedTo).toEqual(['lambda[0][0]', 'lambda_1[0][0]'])
  })

  it('keeps unknowns as null and multi-output shapes as nested arrays, and is valid JSON', () => {
    const result = summaryToJson(EDGE_FUNCTIONAL, {kerasVersion: null})
    expect(result.kerasVersion).toBeNull()
    expect(result.paramsExact).toBe(false)
    const byName = new Map(result.layers.map((l) => [l.name, l]))
    expect(byName.get('splitter')?.outputShape).toEqual([
      [null, 8],
      [null, 8],
    ])
    expect(byName.get('shared_projection')?.outputShape).toBe('multiple')
    expect(byName.get('clustering')).toMatchObject({outputShape: null, params: null})
    expect(JSON.parse(JSON.stringify(result))).toEqual(result)
  })

  it('does not share arrays with the summary', () => {
    const recommender = INTEROP_CASES[5]
    if (recommender === undefined) throw new Error('missing case')
    const result = summaryToJson(recommender.summary)
    const first = result.layers[0]
    if (first === undefined || !Array.isArray(first.outputShape)) throw new Error('bad shape')
    expect(first.outputShape).not.toBe(recommender.summary.rows[0]?.output_shape)
  })
})
