import {describe, expect, it} from 'vitest'
import {UsageError} from '../../../src/core/errors.js'
import {readNpy, readNpz} from '../../../src/core/io/npy.js'
import {checkOutputCount, encodePredictions, predictOutputFormat, predictionsCsv} from '../../../src/core/predict-output.js'
import {parseCsv, csvColumns} from '../../../src/core/train/csv.js'

const out = (name: string, shape: number[], values: number[]) => ({name, shape, data: Float32Array.from(values)})

describe('predict output by extension', () => {
  it('takes .npy, .npz and .csv (any case) and refuses every other name with a usage error', () => {
    expect(['y.npy', 'Y.NPZ', 'dir.v2/y.csv'].map(predictOutputFormat)).toEqual(['npy', 'npz', 'csv'])
    for (const name of ['y.txt', 'y', 'y.npy.tmp', 'y.h5']) {
      expect(() => predictOutputFormat(name)).toThrow(UsageError)
    }
  })

  it('writes one output as .npy and every output as .npz; refuses several outputs to a one-array format', () => {
    const a = out('a', [2, 1], [1, 2])
    const b = out('b', [2, 2], [3, 4, 5, 6])
    expect(readNpy(encodePredictions('y.npy', 'npy', [a]), 'y.npy').shape).toEqual([2, 1])
    expect([...readNpz(encodePredictions('y.npz', 'npz', [a, b]), 'y.npz').keys()]).toEqual(['a', 'b'])
    expect(() => encodePredictions('y.npy', 'npy', [a, b])).toThrow("y.npy: the model has 2 outputs ('a', 'b'); a .npy file holds one.")
    expect(() => checkOutputCount('y.csv', 'csv', 2)).toThrow('the model has 2 outputs; a .csv file holds one')
    expect(() => checkOutputCount('y.npz', 'npz', 2)).not.toThrow()
  })

  it('writes CSV with a header kmodel\'s own CSV reader reads back to the same float32 values', () => {
    const values = [0.1, -1e-30, 3.4028234663852886e38, Number.NaN, Number.POSITIVE_INFINITY, -0.5]
    const text = predictionsCsv(out('out,"x"', [3, 2], values))
    expect(text.split('\n')[0]).toBe('"out,""x""_0","out,""x""_1"')
    const table = parseCsv(text, 'y.csv')
    expect(table.header).toEqual(['out,"x"_0', 'out,"x"_1'])
    const back = csvColumns(table, table.header, 'y.csv', '--x-columns')
    expect(back.shape).toEqual([3, 2])
    expect(back.data).toEqual(Float32Array.from(values))
    expect(predictionsCsv(out('p', [2], [1, 2]))).toBe('p\n1\n2\n')
  })

  it('refuses an output of 3 or more dimensions to CSV', () => {
    expect(() => encodePredictions('y.csv', 'csv', [out('o', [1, 2, 2], [1, 2, 3, 4])])).toThrow("y.csv: output 'o' has shape (1, 2, 2); a CSV file holds rows of numbers (1 or 2 dimensions).")
  })
})
