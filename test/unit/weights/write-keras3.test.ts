import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {keras3VarPaths, planWeightsH5, writeWeightsH5} from '../../../src/core/weights/write-h5.js'
import {b64, byPath, describeH5, h5dumpParses, hasH5dump, hasH5py} from '../../helpers/h5-describe.js'
import {layer, tensor, tmp, weightsFile} from '../../helpers/weights-file.js'

const bf16 = {name: 'vars/1', shape: [2], dtype: 'bfloat16' as const, data: Uint16Array.from([0x3f80, 0xc2f7])}
const model = weightsFile([
  layer('input_layer'),
  layer('dense_6', tensor('vars/0', [3, 4]), tensor('vars/1', [4])),
  layer('dropout'),
  layer('my_lstm', tensor('cell/vars/0', [4, 8]), tensor('cell/vars/1', [2, 8]), tensor('cell/vars/2', [8])),
  layer('legacy', tensor('legacy/kernel:0', [2, 2], 'float64'), tensor('legacy/bias:0', [2], 'int64')),
], {layout: 'keras3', top_level: [tensor('vars/0', [3])]})
const keys = ['input_layer', 'dense', 'dropout', 'lstm', 'dense_1']

describe('keras3 plan (pure)', () => {
  it('keeps Keras 3 variable paths and numbers legacy names by position', () => {
    expect(keras3VarPaths([tensor('cell/vars/1', [1]), tensor('cell/vars/0', [1])])).toEqual(['cell/vars/1', 'cell/vars/0'])
    expect(keras3VarPaths([tensor('d/kernel:0', [1]), tensor('vars/1', [1])])).toEqual(['vars/0', 'vars/1'])
  })

  it('refuses keys that do not fit the layers', () => {
    expect(() => planWeightsH5(model, {layout: 'keras3', keras3Keys: ['a']})).toThrow(/1 Keras 3 group keys were given for 5 layers/)
    expect(() => planWeightsH5(model, {layout: 'keras3', keras3Keys: ['a', 'a', 'b', 'c', 'd']})).toThrow(/appears twice/)
    expect(() => planWeightsH5(model, {layout: 'keras3', keras3Keys: ['a', 'b/c', 'd', 'e', 'f']})).toThrow(/cannot be used as an HDF5 path/)
  })
})

describe.skipIf(!hasH5py)('keras3 files read back with h5py', () => {
  const dir = tmp()
  afterAll(() => dir.cleanup())
  const path = dir.file('model.weights.h5')
  const varsNames = {'layers/lstm/cell': 'lstm_cell'}
  beforeAll(async () => writeWeightsH5(path, model, {layout: 'keras3', force: false, keras3Keys: keys, modelName: 'sequential', keras3VarsNames: varsNames}))

  it('has no root attributes, a root vars group and layers/<key>/vars groups named by the layer', () => {
    const nodes = byPath(describeH5(path))
    expect(nodes.get('/')?.attrs).toEqual({})
    expect(nodes.get('/vars')?.attrs.name).toMatchObject({type: 'vlen', cset: 'utf8', value: 'sequential', shape: []})
    const groups = [...nodes.values()].filter((n) => n.kind === 'group').map((n) => n.path).sort()
    expect(groups).toEqual(['/', '/layers', '/layers/dense', '/layers/dense/vars', '/layers/dense_1', '/layers/dense_1/vars',
      '/layers/dropout', '/layers/dropout/vars', '/layers/input_layer', '/layers/input_layer/vars', '/layers/lstm',
      '/layers/lstm/cell', '/layers/lstm/cell/vars', '/layers/lstm/vars', '/vars'])
    expect(nodes.get('/layers/dense/vars')?.attrs.name?.value).toBe('dense_6')
    expect(nodes.get('/layers/lstm/vars')?.attrs.name?.value).toBe('my_lstm')
    expect(nodes.get('/layers/lstm/cell/vars')?.attrs.name?.value).toBe('lstm_cell')
    expect(nodes.get('/layers/lstm')?.attrs).toEqual({})
  })

  it('writes datasets 0..n under vars, nested cell/vars, dtypes kept, bit for bit', () => {
    const nodes = byPath(describeH5(path))
    const data = (p: string): string | undefined => nodes.get(p)?.sha256
    const expected: Array<[string, ArrayBufferView, string]> = [
      ['/vars/0', model.top_level[0]?.data ?? new Float32Array(), '<f4'],
      ['/layers/dense/vars/0', model.layers[1]?.weights[0]?.data ?? new Float32Array(), '<f4'],
      ['/layers/lstm/cell/vars/2', model.layers[3]?.weights[2]?.data ?? new Float32Array(), '<f4'],
      ['/layers/dense_1/vars/0', model.layers[4]?.weights[0]?.data ?? new Float32Array(), '<f8'],
      ['/layers/dense_1/vars/1', model.layers[4]?.weights[1]?.data ?? new Float32Array(), '<i8'],
    ]
    const full = byPath(describeH5(path, true))
    for (const [p, arr, dtype] of expected) {
      expect(full.get(p)?.data, p).toBe(b64(arr))
      expect(full.get(p)?.dtype, p).toBe(dtype)
      expect(data(p)).toBeDefined()
    }
    expect(nodes.get('/layers/lstm/cell/vars/1')?.shape).toEqual([2, 8])
  })

  it.skipIf(!hasH5dump)('h5dump -H parses the file', () => {
    expect(h5dumpParses(path).ok).toBe(true)
  })

  it('writes no name attributes for Keras < 3.6, and falls back to layer names as keys', async () => {
    await writeWeightsH5(dir.file('old.weights.h5'), model, {layout: 'keras3', force: false, kerasVersion: '3.3.3'})
    const nodes = byPath(describeH5(dir.file('old.weights.h5')))
    expect(nodes.get('/layers/dense_6/vars')?.attrs).toEqual({})
    expect(nodes.get('/vars')?.attrs).toEqual({})
    expect(nodes.has('/layers/my_lstm/cell/vars/0')).toBe(true)
  })

  it('bfloat16: widened to float32 by default, or raw bits + dtype attr on request', async () => {
    const file = weightsFile([layer('d', tensor('vars/0', [1]), bf16)])
    await writeWeightsH5(dir.file('wide.weights.h5'), file, {layout: 'keras3', force: false})
    await writeWeightsH5(dir.file('raw.weights.h5'), file, {layout: 'keras3', force: false, halfFloats: 'raw'})
    const wide = byPath(describeH5(dir.file('wide.weights.h5'), true)).get('/layers/d/vars/1')
    expect(wide?.dtype).toBe('<f4')
    expect(wide?.data).toBe(b64(Float32Array.from([1, -123.5])))
    const raw = byPath(describeH5(dir.file('raw.weights.h5'), true)).get('/layers/d/vars/1')
    expect(raw?.dtype).toBe('<u2')
    expect(raw?.data).toBe(b64(bf16.data))
    expect(raw?.attrs.dtype).toMatchObject({type: 'vlen', cset: 'utf8', value: 'bfloat16'})
  })
})
