/** readWeights on the Keras 3 `.weights.h5` layout and `.keras` zips, files written by h5py. */
import {readFileSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {compareKeys} from '../../../src/core/weights/read-keras3.js'
import {readWeights} from '../../../src/core/weights/read.js'
import type {WeightsFile} from '../../../src/core/weights/types.js'
import {hasH5py, makeWeightsFiles} from '../../helpers/weights-h5.js'

/** [layer name, [weight name, first value] …] — each weight's value is a tag naming the dataset. */
const summary = (file: WeightsFile): Array<[string, Array<[string, number]>]> =>
  file.layers.map((l) => [l.name, l.weights.map((w) => [w.name, Number(w.data[0])])])

const PRE36 = [
  ['custom_layer', Array.from({length: 12}, (_, i) => [`vars/${i}`, 100 + i])],
  ['dense', [['vars/0', 1], ['vars/1', 2]]],
  ['dense_1', [['vars/0', 3], ['vars/1', 4]]],
  ['dense_10', [['vars/0', 5], ['vars/1', 6]]],
  ['dropout', []],
]

describe('compareKeys', () => {
  it('orders group keys by class part, then numeric counter', () => {
    expect(['dense_10', 'dropout', 'dense_2', 'dense', 'conv2d_1', 'dense_1', 'lstm_cell'].sort(compareKeys))
      .toEqual(['conv2d_1', 'dense', 'dense_1', 'dense_2', 'dense_10', 'dropout', 'lstm_cell'])
  })
})

describe.skipIf(!hasH5py)('readWeights: Keras 3 layout', () => {
  let files: ReturnType<typeof makeWeightsFiles>
  const read = (name: string) => readWeights(files.file(name))

  beforeAll(() => {
    files = makeWeightsFiles()
  })
  afterAll(() => files.cleanup())

  it('reads Keras < 3.6 files: group keys as names, vars/N in numeric order, optimizer ignored', async () => {
    const file = await read('k3-pre36.weights.h5')
    expect(file).toMatchObject({layout: 'keras3', keras_version: null, backend: null, top_level: []})
    expect(summary(file)).toEqual(PRE36)
    expect(file.layers.every((l) => !l.name_is_layer_name)).toBe(true)
    expect(file.layers.map((l) => l.path)).toEqual(['/layers/custom_layer', '/layers/dense', '/layers/dense_1', '/layers/dense_10', '/layers/dropout'])
  })

  it('reads Keras >= 3.6 names and whole subtrees in the order each layer tracks its parts', async () => {
    const file = await read('k3-36.weights.h5')
    expect(file.layers.every((l) => l.name_is_layer_name)).toBe(true)
    expect(summary(file)).toEqual([
      ['bi', [
        ['forward_layer/cell/vars/0', 10], ['forward_layer/cell/vars/1', 11], ['forward_layer/cell/vars/2', 12],
        ['backward_layer/cell/vars/0', 20], ['backward_layer/cell/vars/1', 21], ['backward_layer/cell/vars/2', 22],
      ]],
      ['inner', [['layers/dense/vars/0', 50], ['layers/dense/vars/1', 51], ['layers/dense_1/vars/0', 52], ['layers/dense_1/vars/1', 53]]],
      ['input_x', []],
      ['encoder', [['cell/vars/0', 1], ['cell/vars/1', 2], ['cell/vars/2', 3]]],
      ['mha', [
        ['query_dense/vars/0', 30], ['query_dense/vars/1', 31], ['key_dense/vars/0', 32], ['key_dense/vars/1', 33],
        ['value_dense/vars/0', 34], ['value_dense/vars/1', 35], ['output_dense/vars/0', 36], ['output_dense/vars/1', 37],
      ]],
      ['td', [['layer/vars/0', 40], ['layer/vars/1', 41]]],
    ])
    expect(file.top_level.map((w) => [w.name, w.shape, Number(w.data[0])])).toEqual([['vars/0', [], 60]])
    expect(file.layers.find((l) => l.name === 'inner')?.path).toBe('/layers/functional')
  })

  it('reads the tf.keras 2.12–2.14 _layer_checkpoint_dependencies variant and ignores metrics', async () => {
    const file = await read('tf214.weights.h5')
    expect(summary(file)).toEqual([
      ['dense', [['vars/0', 1], ['vars/1', 2]]],
      ['lstm', [['cell/vars/0', 3], ['cell/vars/1', 4], ['cell/vars/2', 5]]],
    ])
    expect(file.layers[0]?.path).toBe('/_layer_checkpoint_dependencies/dense')
    expect(file.top_level).toEqual([])
  })

  it('keeps bfloat16 variables as raw uint16 bits', async () => {
    const [layer] = (await read('k3-bfloat16.weights.h5')).layers
    expect(layer?.weights.map((w) => [w.name, w.dtype, w.shape])).toEqual([['vars/0', 'bfloat16', [2]]])
    expect(layer?.weights[0]?.data).toEqual(new Uint16Array([0x3f80, 0xc000]))
  })

  it('reads model.weights.h5 out of a .keras zip, with keras_version from metadata.json', async () => {
    const file = await read('k3.keras')
    expect(file).toMatchObject({layout: 'keras3', keras_version: '3.5.0', source: files.file('k3.keras')})
    expect(summary(file)).toEqual(PRE36)
    const fromBytes = await readWeights({bytes: readFileSync(files.file('k3.keras')), name: 'upload.keras'})
    expect(fromBytes.source).toBe('upload.keras')
    expect(summary(fromBytes)).toEqual(PRE36)
  })
})
