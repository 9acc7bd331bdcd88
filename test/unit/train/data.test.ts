import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {bindDataset, readXY} from '../../../src/core/train/data.js'
import {parseCsv} from '../../../src/core/train/csv.js'
import {train} from '../../../src/core/train/fit.js'
import {npy, npz, sequential, specOf, tmp} from './helpers.js'

const sparse = [{name: 'sparse_categorical_crossentropy' as const, fromLogits: false, labelSmoothing: 0, delta: 1}]
const mse = [{name: 'mean_squared_error' as const, fromLogits: false, labelSmoothing: 0, delta: 1}]
const inputs = [{name: 'in', shape: [null, 4]}]
const outputs = [{name: 'out', shape: [null, 3]}]

function csvFile(text: string): string {
  const path = join(tmp(), 'data.csv')
  writeFileSync(path, text)
  return path
}

describe('CSV', () => {
  it('parses quotes, CRLF, a BOM and blank lines', () => {
    expect(parseCsv('\uFEFFa,"b ""q""",c\r\n1,"2,5",3\n\n4,5,"6\n7"\n', 'x.csv')).toEqual({header: ['a', 'b "q"', 'c'], rows: [['1', '2,5', '3'], ['4', '5', '6\n7']]})
  })

  it('takes X and Y columns from one file; Y defaults to the other columns', async () => {
    const path = csvFile('f1,f2,label\n1,2,0\n3,4,1\n')
    const {x, y} = await readXY({x: path, yColumns: ['label']})
    expect(x[0]).toMatchObject({shape: [2, 2], data: Float32Array.from([1, 2, 3, 4])})
    expect(y[0]).toMatchObject({shape: [2, 1], data: Float32Array.from([0, 1])})
  })

  it('names a missing column and a non-numeric cell in one line each', async () => {
    const path = csvFile('f1,f2,label\n1,2,0\n3,x,1\n')
    await expect(readXY({x: path, xColumns: ['f1', 'f3'], yColumns: ['label']})).rejects.toMatchObject({code: 'KM_USAGE_CSV_COLUMN', exit: 2, message: `${path} has no column 'f3' (named by --x-columns).`, hint: 'Its columns are: f1, f2, label.'})
    await expect(readXY({x: path, yColumns: ['label']})).rejects.toMatchObject({code: 'KM_INPUT_DTYPE', exit: 3, message: `${path} row 3, column 'f2' holds "x", which is not a number.`})
    await expect(readXY({x: path})).rejects.toMatchObject({code: 'KM_USAGE_NO_Y', exit: 2})
  })
})

describe('binding data to the model', () => {
  const arrays = (xShape: number[], yShape: number[], yData?: Float32Array) => ({
    x: [{shape: xShape, data: new Float32Array(xShape.reduce((a, b) => a * b, 1)), dtype: 'float32' as const}],
    y: [{shape: yShape, data: yData ?? new Float32Array(yShape.reduce((a, b) => a * b, 1)), dtype: 'float32' as const}],
  })

  it('accepts sparse labels as [N] or [N, 1] and one-hot targets as [N, 3]', () => {
    expect(bindDataset(inputs, outputs, arrays([5, 4], [5]), sparse).y[0]?.shape).toEqual([5, 1])
    expect(bindDataset(inputs, outputs, arrays([5, 4], [5, 3]), mse).samples).toBe(5)
  })

  it('refuses a shape, a sample count or labels that do not fit, each with one line', () => {
    expect(() => bindDataset(inputs, outputs, arrays([5, 6], [5]), sparse)).toThrowError(expect.objectContaining({code: 'KM_FORMAT_DATA_SHAPE', message: "The model's input 'in' expects shape (None, 4); the array given for it has shape (5, 6)."}))
    expect(() => bindDataset(inputs, outputs, arrays([5, 4, 1], [5]), sparse)).toThrowError(expect.objectContaining({code: 'KM_FORMAT_DATA_SHAPE'}))
    expect(() => bindDataset(inputs, outputs, arrays([5, 4], [4]), sparse)).toThrowError(expect.objectContaining({code: 'KM_INPUT_SAMPLES', message: "The array for output 'out' has 4 samples; the first input's has 5."}))
    expect(() => bindDataset(inputs, outputs, arrays([5, 4], [5, 3]), sparse)).toThrowError(expect.objectContaining({code: 'KM_FORMAT_DATA_SHAPE', message: expect.stringContaining('takes one class index per sample')}))
    expect(() => bindDataset(inputs, outputs, arrays([2, 4], [2], Float32Array.from([0, 3])), sparse)).toThrowError(expect.objectContaining({code: 'KM_INPUT_LABELS', message: "Label 3 at index 1 of the targets for output 'out' is not a class index in [0, 3) as sparse_categorical_crossentropy needs."}))
  })

  it('binds .npz arrays to a functional model by input and output name', async () => {
    const dir = tmp()
    const x = npz(dir, 'x.npz', {b: {shape: [2, 1], data: Float32Array.from([1, 2])}, a: {shape: [2, 2], data: new Float32Array(4)}})
    const y = npy(dir, 'y.npy', [2, 3], new Float32Array(6))
    const raw = await readXY({x, y})
    const bound = bindDataset([{name: 'a', shape: [null, 2]}, {name: 'b', shape: [null, 1]}], outputs, raw, mse)
    expect(bound.x.map((a) => a.name)).toEqual(['a', 'b'])
  })
})

describe('train refuses what it cannot compute', () => {
  it('a Lambda layer: exit 6 with the layer named', async () => {
    const dir = tmp()
    const model = await specOf(sequential('lam', [4], [{class_name: 'Lambda', config: {name: 'fn', function: ['4wEAAAAAAAAA', null, null], function_type: 'lambda', output_shape: null, arguments: {}}}]))
    const x = npy(dir, 'x.npy', [2, 4], new Float32Array(8))
    await expect(train({model, weights: null, weightsSource: 'file', data: {x, y: x}, compile: {loss: 'mse'}, epochs: 1, batchSize: 2, shuffle: false, seed: 0, validationSplit: 0, initialEpoch: 0, saveBestOnly: false, restoreBestWeights: false, layout: 'keras2', force: false, backend: 'cpu'}))
      .rejects.toMatchObject({code: 'KM_BACKEND_CODE_LAYER', exit: 6, message: expect.stringContaining("Layer 'fn' is a Lambda layer")})
  })

  it('a string .npy is a format error naming its dtype', async () => {
    const dir = tmp()
    const path = join(dir, 'x.npy')
    const header = "{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }"
    const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n'
    writeFileSync(path, Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length, 0]), Buffer.from(padded), Buffer.alloc(24)]))
    await expect(readXY({x: path, y: path})).rejects.toMatchObject({code: 'KM_FORMAT_NPY', message: expect.stringContaining("dtype '<U3'")})
  })
})
