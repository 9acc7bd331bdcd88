import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {writeNpy, writeNpz} from '../../../src/core/io/npy.js'
import {predict, readInputArrays} from '../../../src/core/predict.js'
import type {WeightsFile, WeightTensor} from '../../../src/core/weights/types.js'
import {announceSkip, fixture} from '../../helpers/paths.js'
import {errorOf, fnLayer, functional, readDoc} from '../../helpers/read.js'
import {readModel} from '../../../src/core/read.js'
import {expectClose} from './helpers.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_H5PY = spawnSync(PYTHON, ['-c', 'import h5py'], {stdio: 'ignore'}).status === 0
if (!HAVE_H5PY) announceSkip('predict from an HDF5 dataset', `${PYTHON} cannot import h5py; install Debian python3-h5py`)

const tensor = (name: string, shape: number[], data: number[]): WeightTensor => ({name, shape, dtype: 'float32', data: Float32Array.from(data)})
const weightsFile = (layers: Array<[string, WeightTensor[]]>): WeightsFile => ({
  layout: 'keras2', source: 'hand-made.h5', keras_version: '2.12.0', backend: 'tensorflow', top_level: [],
  layers: layers.map(([name, weights]) => ({name, path: `/${name}`, name_is_layer_name: true, weights})),
})

/** x (2 features) → Dense(2, relu) → Dense(1): 9 parameters, computed by hand below. */
const mlp = () => readDoc(functional([
  fnLayer('InputLayer', 'features', [], {batch_input_shape: [null, 2]}),
  fnLayer('Dense', 'hidden', [['features', 0, 0]], {units: 2, activation: 'relu'}),
  fnLayer('Dropout', 'drop', [['hidden', 0, 0]], {rate: 0.5}),
  fnLayer('Dense', 'out', [['drop', 0, 0]], {units: 1, activation: 'linear'}),
], ['features'], ['out']))
const mlpWeights = weightsFile([
  ['features', []],
  ['hidden', [tensor('hidden/kernel:0', [2, 2], [1, -1, 2, 0.5]), tensor('hidden/bias:0', [2], [0.5, -1])]],
  ['drop', []],
  ['out', [tensor('out/kernel:0', [2, 1], [2, -3]), tensor('out/bias:0', [1], [0.25])]],
])
const byHand = (x0: number, x1: number): number => {
  const h0 = Math.max(0, x0 * 1 + x1 * 2 + 0.5)
  const h1 = Math.max(0, x0 * -1 + x1 * 0.5 - 1)
  return 2 * h0 - 3 * h1 + 0.25
}
const samples = [[1, 2], [-3, 0.5], [0, 0], [4, -4], [-1, -1]]

describe('predict', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kmodel-predict-'))
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it.each(['cpu', 'wasm'] as const)('runs a tiny MLP from a .npy in batches on %s and matches the hand computation', async (backend) => {
    const path = join(dir, 'x.npy')
    writeFileSync(path, writeNpy({dtype: 'float64', shape: [5, 2], data: Float64Array.from(samples.flat())}))
    const {model} = await mlp()
    const result = await predict(model, mlpWeights, await readInputArrays(path), {backend, batchSize: 2})
    expect(result).toMatchObject({backend, samples: 5})
    expect(result.outputs.map((o) => [o.name, o.shape])).toEqual([['out', [5, 1]]])
    expectClose(Array.from(result.outputs[0]?.data ?? []), samples.map(([a = 0, b = 0]) => byHand(a, b)))
  })

  it('binds .npz arrays to the inputs by name, else by order', async () => {
    const {model} = await readModel(fixture('siamese-tfkeras212.json'))
    const left = {dtype: 'float32' as const, shape: [3, 16], data: new Float32Array(48).fill(1)}
    const right = {dtype: 'float32' as const, shape: [3, 16], data: new Float32Array(48)}
    const named = join(dir, 'named.npz')
    writeFileSync(named, writeNpz(new Map([['right', right], ['left', left]])))
    const byName = await readInputArrays(named)
    expect(byName.map((a) => a.name)).toEqual(['right', 'left'])
    const result = await predict(model, null, byName, {backend: 'cpu'})
    expect(result.outputs.map((o) => o.shape)).toEqual([[3, 1], [3, 4]])
    const ordered = join(dir, 'ordered.npz')
    writeFileSync(ordered, writeNpz([['arr_0', left], ['arr_1', right]]))
    const again = await predict(model, null, await readInputArrays(ordered), {backend: 'cpu'})
    expect(again.outputs.map((o) => o.shape)).toEqual([[3, 1], [3, 4]])
  })

  it('refuses inputs that do not fit the model with one clear error', async () => {
    const {model} = await mlp()
    const wrong = [{name: 'x', shape: [4, 3], data: new Float32Array(12)}]
    const error = await errorOf(predict(model, mlpWeights, wrong, {backend: 'cpu'}))
    expect(error).toMatchObject({code: 'KM_FORMAT_DATA_SHAPE', exit: 4})
    expect(error.message).toMatchInlineSnapshot(`"Input 'features' of the model expects shape (None, 2); the array given for it ('x') has shape (4, 3)."`)
    const unnamed = {shape: [4, 2], data: new Float32Array(8)}
    expect(await errorOf(predict(model, null, [unnamed, unnamed], {backend: 'cpu'}))).toMatchObject({code: 'KM_INPUT_COUNT'})
  })

  it('survives a tensor fed twice to one layer (a tfjs executor bug disposes it early otherwise)', async () => {
    const {model} = await readDoc(functional([
      fnLayer('InputLayer', 'x', [], {batch_input_shape: [null, 2]}),
      fnLayer('Add', 'twice', [['x', 0, 0], ['x', 0, 0]]),
      fnLayer('Dense', 'same', [['x', 0, 0]], {units: 2, use_bias: false, kernel_initializer: {class_name: 'Identity', config: {}}}),
      fnLayer('Concatenate', 'both', [['same', 0, 0], ['twice', 0, 0]]),
    ], ['x'], ['both']))
    const result = await predict(model, null, [{shape: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6])}], {backend: 'cpu', batchSize: 2})
    expect(Array.from(result.outputs[0]?.data ?? [])).toEqual([1, 2, 2, 4, 3, 4, 6, 8, 5, 6, 10, 12])
  })

  it('refuses weights for a different architecture', async () => {
    const {model} = await mlp()
    const short = weightsFile([['hidden', mlpWeights.layers[1]?.weights ?? []]])
    const error = await errorOf(predict(model, short, [{shape: [1, 2], data: new Float32Array(2)}], {backend: 'cpu'}))
    expect(error).toMatchObject({code: 'KM_WEIGHTS_LAYER_COUNT', exit: 5})
  })

  it.skipIf(!HAVE_H5PY)('reads inputs from an HDF5 dataset given as file.h5:/group/dataset', async () => {
    const path = join(dir, 'data.h5')
    const script = `import h5py, numpy as np, sys\nwith h5py.File(sys.argv[1], 'w') as f:\n    f.create_dataset('inputs/features', data=np.array(${JSON.stringify(samples)}, dtype='<f4'))`
    const run = spawnSync(PYTHON, ['-c', script, path], {encoding: 'utf8'})
    expect(run.stderr).toBe('')
    const {model} = await mlp()
    const arrays = await readInputArrays(`${path}:/inputs/features`)
    expect(arrays.map((a) => [a.name, a.shape])).toEqual([['features', [5, 2]]])
    const result = await predict(model, mlpWeights, arrays, {backend: 'cpu'})
    expectClose(Array.from(result.outputs[0]?.data ?? []), samples.map(([a = 0, b = 0]) => byHand(a, b)))
    expect(await errorOf(readInputArrays(path))).toMatchObject({code: 'KM_INPUT_DATASET'})
    expect(await errorOf(readInputArrays(`${path}:/inputs/nope`))).toMatchObject({code: 'KM_INPUT_DATASET'})
  })

  it('says what it cannot read', async () => {
    const path = join(dir, 'x.bin')
    writeFileSync(path, new Uint8Array([0x00, 0x01, 0xfe, 0xff, 0x10]))
    expect(await errorOf(readInputArrays(path))).toMatchObject({code: 'KM_FORMAT_ARRAY', exit: 4})
    expect(await errorOf(readInputArrays(join(dir, 'missing.npy')))).toMatchObject({code: 'KM_INPUT_NOT_FOUND', exit: 3})
  })
})
