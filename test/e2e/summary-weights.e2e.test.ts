import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {WeightsFile} from '../../src/core/weights/types.js'
import {writeWeightsH5} from '../../src/core/weights/write-h5.js'
import {kmodel} from '../helpers/cli.js'

const model = {
  class_name: 'Sequential', keras_version: '2.12.0', backend: 'tensorflow',
  config: {name: 'dec', layers: [
    {class_name: 'Dense', config: {name: 'encoder', units: 4, batch_input_shape: [null, 8]}},
    {class_name: 'ClusteringLayer', config: {name: 'clustering', n_clusters: 3}},
  ]},
}
const tensor = (name: string, shape: number[]) => ({name, shape, dtype: 'float32' as const, data: new Float32Array(shape.reduce((a, b) => a * b, 1))})

describe('summary of a model with a custom layer', () => {
  it('says the totals are a lower bound, and --weights settles them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-sw-'))
    const json = join(dir, 'model.json')
    writeFileSync(json, JSON.stringify(model))
    const bare = kmodel(['summary', json, '--json'])
    expect(bare.code).toBe(0)
    expect(bare.json?.result).toMatchObject({totalParams: 36, paramsExact: false})
    const weights: WeightsFile = {layout: 'keras2', source: 'w', keras_version: '2.12.0', backend: 'tensorflow', top_level: [], layers: [
      {name: 'encoder', path: '/encoder', name_is_layer_name: true, weights: [tensor('encoder/kernel:0', [8, 4]), tensor('encoder/bias:0', [4])]},
      {name: 'clustering', path: '/clustering', name_is_layer_name: true, weights: [tensor('clustering/clusters:0', [3, 4])]},
    ]}
    const h5 = join(dir, 'weights.h5')
    await writeWeightsH5(h5, weights, {layout: 'keras2', force: false})
    const settled = kmodel(['summary', json, '--weights', h5, '--json'])
    expect(settled.code).toBe(0)
    expect(settled.json?.result).toMatchObject({totalParams: 48, trainableParams: 48, paramsExact: true})
    const layers = (settled.json?.result as {layers: Array<{name: string; params: number | null}>}).layers
    expect(layers.find((l) => l.name === 'clustering')?.params).toBe(12)
  })

  it('checks a --weights file against an architecture whose counts are all known, and warns where it differs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-sw-'))
    const json = join(dir, 'exact.json')
    writeFileSync(json, JSON.stringify({...model, config: {name: 'exact', layers: [model.config.layers[0]]}}))
    const wrong: WeightsFile = {layout: 'keras2', source: 'w', keras_version: '2.12.0', backend: 'tensorflow', top_level: [], layers: [
      {name: 'encoder', path: '/encoder', name_is_layer_name: true, weights: [tensor('encoder/kernel:0', [8, 5]), tensor('encoder/bias:0', [5])]},
    ]}
    const h5 = join(dir, 'wrong.h5')
    await writeWeightsH5(h5, wrong, {layout: 'keras2', force: false})
    const run = kmodel(['summary', json, '--weights', h5, '--json'])
    expect(run.code).toBe(0)
    expect(run.json?.result).toMatchObject({totalParams: 36, paramsExact: true})
    expect(JSON.stringify(run.json?.warnings)).toMatch(/layer 'encoder' \(Dense\) hold 45 parameters, the architecture gives 36/)
  })
})

