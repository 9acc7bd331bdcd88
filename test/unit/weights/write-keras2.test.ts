import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {WeightsError} from '../../../src/core/errors.js'
import {readStringListAttr, withH5File} from '../../../src/core/io/hdf5.js'
import {keras2WeightName, planWeightsH5, stringListAttrs, writeWeightsH5} from '../../../src/core/weights/write-h5.js'
import {b64, byPath, describeH5, h5dumpParses, hasH5dump, hasH5py, kerasChunkLengths, kerasView} from '../../helpers/h5-describe.js'
import {layer, tensor, tmp, weightsFile} from '../../helpers/weights-file.js'

const model = weightsFile([
  layer('input_1'),
  layer('dense_1', tensor('dense_1/kernel:0', [3, 4]), tensor('dense_1/bias:0', [4])),
  layer('dropout_1'),
  layer('bn', tensor('bn/gamma:0', [4], 'float64'), tensor('bn/beta:0', [4], 'float64'), tensor('bn/moving_mean:0', [4], 'float64')),
  layer('ints', tensor('ints/a:0', [2, 3], 'int32'), tensor('ints/b:0', [5], 'int64'), tensor('ints/c:0', [4], 'uint8'),
    tensor('ints/d:0', [], 'float32'), tensor('ints/e:0', [0, 3], 'float32'), tensor('ints/f:0', [3], 'bool')),
  layer('lstm', tensor('lstm/lstm_cell/kernel:0', [4, 8]), tensor('lstm/lstm_cell/recurrent_kernel:0', [2, 8])),
])

describe('keras2 plan (pure)', () => {
  it('splits string lists exactly where Keras does and keeps the whole list\'s length', () => {
    expect(stringListAttrs('layer_names', ['a', 'bb'], 'x')).toEqual([{name: 'layer_names', value: {kind: 'fixed-strings', values: ['a', 'bb'], size: 2}}])
    expect(stringListAttrs('weight_names', [], 'x')[0]?.value).toEqual({kind: 'numeric', data: new Float64Array(0), shape: [0]})
    const names = Array.from({length: 5000}, (_, i) => `layer_with_a_long_name_${i}`)
    const attrs = stringListAttrs('layer_names', names, 'x')
    expect(attrs.map((a) => a.name)).toEqual(['layer_names0', 'layer_names1', 'layer_names2'])
    expect(attrs.flatMap((a) => (a.value.kind === 'fixed-strings' ? a.value.values : []))).toEqual(names)
  })

  it('names weights the way each Keras generation does', () => {
    expect(keras2WeightName('dense_1', 'kernel', '2.4.0')).toBe('dense_1/kernel:0')
    expect(keras2WeightName('dense_1', 'kernel', '3.3.3')).toBe('dense_1/kernel')
  })

  it('refuses what Keras could not have written, before any file exists', () => {
    const plan = (file: Parameters<typeof planWeightsH5>[0]): unknown => planWeightsH5(file, {layout: 'keras2'})
    expect(() => plan(weightsFile([layer('a'), layer('a')]))).toThrow(/'a' appears twice in the layer names/)
    expect(() => plan(weightsFile([layer('a/b')]))).toThrow(WeightsError)
    expect(() => plan(weightsFile([layer('a', tensor('k', [2]), tensor('k/x', [2]))]))).toThrow(/also a group/)
    expect(() => plan(weightsFile([layer('top_level_model_weights')]))).toThrow(/clashes/)
    const bad = tensor('k', [2, 2])
    expect(() => plan(weightsFile([layer('a', {...bad, shape: [3]})]))).toThrow(/does not match its 4 values/)
    expect(() => plan(weightsFile([layer('a', tensor('h', [2], 'float16'))]))).not.toThrow()
    expect(() => planWeightsH5(weightsFile([layer('a', tensor('h', [2], 'bfloat16'))]), {layout: 'keras2', halfFloats: 'raw'})).toThrow(/unconverted in this layout/)
  })
})

describe.skipIf(!hasH5py)('keras2 files read back with h5py', () => {
  const dir = tmp()
  afterAll(() => dir.cleanup())
  const path = dir.file('w.h5')
  beforeAll(async () => writeWeightsH5(path, model, {layout: 'keras2', force: false, kerasVersion: '2.15.0', backend: 'tensorflow'}))

  it('root attributes: layer_names fixed S<maxlen> ASCII in model order, vlen ASCII backend and version', () => {
    const root = byPath(describeH5(path)).get('/')
    expect(Object.keys(root?.attrs ?? {})).toEqual(['backend', 'keras_version', 'layer_names'])
    expect(root?.attrs.layer_names).toMatchObject({type: 'fixed', cset: 'ascii', size: 9, numpy: '|S9', shape: [6],
      value: ['input_1', 'dense_1', 'dropout_1', 'bn', 'ints', 'lstm']})
    expect(root?.attrs.backend).toMatchObject({type: 'vlen', cset: 'ascii', value: 'tensorflow', shape: []})
    expect(root?.attrs.keras_version).toMatchObject({type: 'vlen', cset: 'ascii', value: '2.15.0'})
  })

  it('groups carry weight_names (S<n>, or an empty float64 array) and datasets sit at the full weight names', () => {
    const nodes = byPath(describeH5(path))
    expect(nodes.get('/dense_1')?.attrs.weight_names).toMatchObject({type: 'fixed', numpy: '|S16', value: ['dense_1/kernel:0', 'dense_1/bias:0']})
    for (const empty of ['/input_1', '/dropout_1', '/top_level_model_weights']) {
      expect(nodes.get(empty)?.attrs.weight_names).toMatchObject({type: 'numeric', numpy: '<f8', shape: [0], value: []})
    }
    expect(nodes.get('/lstm/lstm/lstm_cell')?.kind).toBe('group')
    expect([...nodes.keys()].filter((p) => nodes.get(p)?.kind === 'dataset').sort()).toEqual([
      '/bn/bn/beta:0', '/bn/bn/gamma:0', '/bn/bn/moving_mean:0', '/dense_1/dense_1/bias:0', '/dense_1/dense_1/kernel:0',
      '/ints/ints/a:0', '/ints/ints/b:0', '/ints/ints/c:0', '/ints/ints/d:0', '/ints/ints/e:0', '/ints/ints/f:0',
      '/lstm/lstm/lstm_cell/kernel:0', '/lstm/lstm/lstm_cell/recurrent_kernel:0',
    ])
  })

  it('keeps dtypes and shapes, contiguous, bit for bit (bool is written as uint8)', () => {
    const view = kerasView(path)
    expect(view.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name))
    model.layers.forEach((l, i) => {
      const got = view.layers[i]?.weights ?? []
      expect(got.map((w) => w.name)).toEqual(l.weights.map((w) => w.name))
      l.weights.forEach((w, j) => {
        expect(got[j]?.shape).toEqual(w.shape)
        expect(got[j]?.data).toBe(b64(w.data))
      })
    })
    const dtypes = byPath(describeH5(path))
    expect(['/ints/ints/a:0', '/ints/ints/b:0', '/ints/ints/c:0', '/ints/ints/f:0', '/bn/bn/gamma:0', '/ints/ints/d:0'].map((p) => dtypes.get(p)?.dtype))
      .toEqual(['<i4', '<i8', '|u1', '|u1', '<f8', '<f4'])
    expect(dtypes.get('/dense_1/dense_1/kernel:0')?.layout).toBe(1) // H5D_CONTIGUOUS, as h5py writes
  })

  it('writes the HDF5 1.8-compatible superblock 0, as h5py does', () => {
    expect(describeH5(path).superblock).toBe(0)
  })

  it.skipIf(!hasH5dump)('h5dump -H parses the file', () => {
    const {ok, output} = h5dumpParses(path)
    expect(ok, output).toBe(true)
  })
})

describe.skipIf(!hasH5py)('keras2 version-dependent parts and big models', () => {
  const dir = tmp()
  afterAll(() => dir.cleanup())

  it('writes top_level_model_weights for Keras ≥ 2.7 only, and always when the model owns weights', async () => {
    const small = weightsFile([layer('d', tensor('d/kernel:0', [2, 2]))], {keras_version: '2.0.5', backend: 'theano'})
    await writeWeightsH5(dir.file('old.h5'), small, {layout: 'keras2', force: false})
    const old = byPath(describeH5(dir.file('old.h5')))
    expect(old.has('/top_level_model_weights')).toBe(false)
    expect(old.get('/')?.attrs.keras_version?.value).toBe('2.0.5')
    expect(old.get('/')?.attrs.backend?.value).toBe('theano')
    await writeWeightsH5(dir.file('v27.h5'), small, {layout: 'keras2', force: false, kerasVersion: '2.7.0'})
    expect(byPath(describeH5(dir.file('v27.h5'))).has('/top_level_model_weights')).toBe(true)
    const owned = {...small, top_level: [tensor('model/w:0', [3])]}
    await writeWeightsH5(dir.file('owned.h5'), owned, {layout: 'keras2', force: false})
    const view = kerasView(dir.file('owned.h5'))
    expect(view.top_level?.map((w) => w.name)).toEqual(['model/w:0'])
  })

  it('splits > 64 KiB of layer names into layer_names0..N exactly as NumPy does for Keras', async () => {
    const names = Array.from({length: 3000}, (_, i) => `a_rather_long_layer_name_${String(i).padStart(5, '0')}`)
    const big = weightsFile(names.map((n, i) => (i % 500 === 0 ? layer(n, tensor(`${n}/kernel:0`, [2])) : layer(n))))
    await writeWeightsH5(dir.file('big.h5'), big, {layout: 'keras2', force: false})
    const root = byPath(describeH5(dir.file('big.h5'))).get('/')
    const chunks = Object.keys(root?.attrs ?? {}).filter((k) => k.startsWith('layer_names')).sort()
    const expected = kerasChunkLengths(names.length, 30)
    expect(chunks).toEqual(expected.map((_, i) => `layer_names${i}`))
    expect(chunks.map((k) => (root?.attrs[k]?.value as string[]).length)).toEqual(expected)
    expect(chunks.map((k) => root?.attrs[k]?.numpy)).toEqual(expected.map(() => '|S30'))
    expect(kerasView(dir.file('big.h5')).layers.map((l) => l.name)).toEqual(names)
    expect(await withH5File(dir.file('big.h5'), (r) => readStringListAttr(r, 'layer_names'))).toEqual(names) // kmodel's own reader
    if (hasH5dump) expect(h5dumpParses(dir.file('big.h5')).ok).toBe(true)
  })

  it('stores non-ASCII names as UTF-8 bytes with the ASCII character set, as Keras encodes them', async () => {
    await writeWeightsH5(dir.file('utf.h5'), weightsFile([layer('dénse', tensor('dénse/kernel:0', [1]))]), {layout: 'keras2', force: false})
    const root = byPath(describeH5(dir.file('utf.h5'))).get('/')
    expect(root?.attrs.layer_names).toMatchObject({cset: 'ascii', size: 6, value: ['dénse']})
    expect(kerasView(dir.file('utf.h5')).layers[0]?.weights[0]?.name).toBe('dénse/kernel:0')
  })

  it('widens float16 and bfloat16 to float32 exactly', async () => {
    const half = {name: 'h', shape: [4], dtype: 'float16' as const, data: Uint16Array.from([0x3c00, 0xc000, 0x0001, 0x7bff])}
    const bf = {name: 'b', shape: [2], dtype: 'bfloat16' as const, data: Uint16Array.from([0x3f80, 0xc2f7])}
    await writeWeightsH5(dir.file('half.h5'), weightsFile([layer('x', half, bf)]), {layout: 'keras2', force: false})
    const [h, b] = kerasView(dir.file('half.h5')).layers[0]?.weights ?? []
    expect(h?.dtype).toBe('<f4')
    expect(h?.data).toBe(b64(Float32Array.from([1, -2, 2 ** -24, 65_504])))
    expect(b?.data).toBe(b64(Float32Array.from([1, -123.5])))
  })
})
