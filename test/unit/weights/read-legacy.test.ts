/** readWeights on the legacy HDF5 layout (save_weights and full-model .h5), files written by h5py. */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readWeights} from '../../../src/core/weights/read.js'
import type {LayerWeights, WeightsFile} from '../../../src/core/weights/types.js'
import {hasH5py, makeWeightsFiles} from '../../helpers/weights-h5.js'

/** [layer name, [[weight name, shape, first value], …]] — the tag value says which dataset was read. */
const summary = (file: WeightsFile): Array<[string, Array<[string, number[], number]>]> =>
  file.layers.map((l: LayerWeights) => [l.name, l.weights.map((w) => [w.name, w.shape, Number(w.data[0])])])

const LEGACY_LAYERS = [
  ['dense', [['dense/kernel:0', [4, 3], 1], ['dense/bias:0', [3], 2]]],
  ['dropout', []],
  ['lstm', [['lstm/lstm_cell/kernel:0', [3, 8], 3], ['lstm/lstm_cell/recurrent_kernel:0', [2, 8], 4], ['lstm/lstm_cell/bias:0', [8], 5]]],
  ['dense_1', [['dense_1/kernel:0', [2, 1], 6], ['dense_1/bias:0', [1], 7]]],
]

describe.skipIf(!hasH5py)('readWeights: legacy HDF5 layout', () => {
  let files: ReturnType<typeof makeWeightsFiles>
  const read = (name: string) => readWeights(files.file(name))

  beforeAll(() => {
    files = makeWeightsFiles()
  })
  afterAll(() => files.cleanup())

  it('reads fixed-length names (h5py 2.x) by position, weightless layers included, in layer_names order', async () => {
    const file = await read('legacy-fixed.h5')
    expect(file).toMatchObject({layout: 'keras2', keras_version: '2.3.1', backend: 'tensorflow', top_level: []})
    expect(file.source).toBe(files.file('legacy-fixed.h5'))
    expect(summary(file)).toEqual(LEGACY_LAYERS)
    expect(file.layers.map((l) => [l.path, l.name_is_layer_name])).toEqual([['/dense', true], ['/dropout', true], ['/lstm', true], ['/dense_1', true]])
    const kernel = file.layers[0]?.weights[0]
    expect(kernel?.dtype).toBe('float32')
    expect(kernel?.data).toBeInstanceOf(Float32Array)
    expect(kernel?.data).toHaveLength(12)
  })

  it('reads variable-length names and versions (h5py >= 3) and top_level_model_weights', async () => {
    const file = await read('legacy-vlen.h5')
    expect(file).toMatchObject({keras_version: '2.11.0', backend: 'tensorflow'})
    expect(summary(file)).toEqual(LEGACY_LAYERS)
    expect(file.top_level.map((w) => [w.name, w.dtype, w.shape])).toEqual([['seed_generator_state:0', 'int64', [2]]])
    expect(file.top_level[0]?.data).toEqual(new BigInt64Array([42n, 0n]))
  })

  it('joins chunked layer_names0..N and weight_names0..N', async () => {
    expect(summary(await read('legacy-chunked.h5'))).toEqual(LEGACY_LAYERS)
  })

  it('reads Keras 1 names without a scope and files without version attributes', async () => {
    const file = await read('legacy-keras1.h5')
    expect(file).toMatchObject({keras_version: null, backend: null})
    expect(summary(file)).toEqual([['input_1', []], ['dense_1', [['dense_1_W:0', [3, 2], 11], ['dense_1_b:0', [2], 12]]]])
  })

  it('keeps a nested model as one layer whose weights span its sublayers in weight_names order', async () => {
    const file = await read('legacy-nested.h5')
    expect(file.keras_version).toBe('2.15.0')
    expect(summary(file)).toEqual([
      ['input_1', []],
      ['sequential', [
        ['dense_1/kernel:0', [4, 2], 21], ['dense_1/bias:0', [2], 22], ['batch_normalization/gamma:0', [2], 23],
        ['batch_normalization/beta:0', [2], 24], ['batch_normalization/moving_mean:0', [2], 25],
        ['batch_normalization/moving_variance:0', [2], 26],
      ]],
    ])
  })

  it('reads model_weights of a full model, ignores optimizer_weights, and sniffs a .keras that is HDF5', async () => {
    for (const name of ['full-model.h5', 'full-model.keras']) {
      const file = await read(name)
      expect(file).toMatchObject({layout: 'keras2', keras_version: '2.4.0', backend: 'tensorflow', top_level: []})
      expect(summary(file)).toEqual(LEGACY_LAYERS)
      expect(file.layers[0]?.path).toBe('/model_weights/dense')
    }
  })

  it('reads HDF5 given as bytes through a private temp file, naming the given source', async () => {
    const {readFileSync} = await import('node:fs')
    const file = await readWeights({bytes: readFileSync(files.file('legacy-fixed.h5')), name: '<stdin>'})
    expect(file.source).toBe('<stdin>')
    expect(summary(file)).toEqual(LEGACY_LAYERS)
  })
})
