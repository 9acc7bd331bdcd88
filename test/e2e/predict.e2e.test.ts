import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {withH5File, getDataset, readDataset} from '../../src/core/io/hdf5.js'
import {readNpy, readNpz, writeNpy, writeNpz} from '../../src/core/io/npy.js'
import {kmodel} from '../helpers/cli.js'
import {HAVE_INTEROP, INTEROP, announceSkip, fixture} from '../helpers/paths.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'kmodel-pred-'))

describe('kmodel predict', () => {
  it('runs a fixture with seeded weights on cpu and wasm alike, and refuses a wrong input shape', () => {
    const dir = tmp()
    const w = join(dir, 'w.h5')
    expect(kmodel(['save-weights', fixture('residual-keras3.json'), w, '--seed', '5']).code).toBe(0)
    const x = join(dir, 'x.npy')
    writeFileSync(x, writeNpy({dtype: 'float32', shape: [3, 8], data: Float32Array.from({length: 24}, (_, i) => (i % 7) / 7)}))
    const outs = ['cpu', 'wasm'].map((backend) => {
      const out = join(dir, `${backend}.npy`)
      const run = kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', x, '-o', out, '--backend', backend, '--json'])
      expect(run.code).toBe(0)
      expect(run.json?.result).toMatchObject({backend, samples: 3, outputs: [{name: 'output', shape: [3, 1]}]})
      return readNpy(readFileSync(out), out)
    })
    const [a, b] = outs.map((o) => Array.from(o.data as Float32Array))
    expect(a?.every((v) => v > 0 && v < 1)).toBe(true)
    a?.forEach((v, i) => expect(v).toBeCloseTo(b?.[i] ?? Number.NaN, 5))
    writeFileSync(x, writeNpy({dtype: 'float32', shape: [3, 5], data: new Float32Array(15)}))
    const bad = kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', x, '-o', join(dir, 'bad.npy')])
    expect(bad.code).toBe(4)
    expect(bad.stderr).toContain('KM_FORMAT_DATA_SHAPE')
  })
})

describe('kmodel predict with several inputs and outputs', () => {
  it('binds .npz arrays to inputs by name and writes one array per output layer into an .npz', () => {
    const dir = tmp()
    const w = join(dir, 'w.h5')
    expect(kmodel(['save-weights', fixture('siamese-tfkeras212.json'), w]).code).toBe(0)
    const x = join(dir, 'x.npz')
    writeFileSync(x, writeNpz([['right', {dtype: 'float32', shape: [2, 16], data: new Float32Array(32)}], ['left', {dtype: 'float32', shape: [2, 16], data: new Float32Array(32).fill(1)}]]))
    const out = join(dir, 'y.npz')
    const run = kmodel(['predict', fixture('siamese-tfkeras212.json'), '--weights', w, '--x', x, '-o', out, '--json'])
    expect(run.code).toBe(0)
    const arrays = readNpz(readFileSync(out), out)
    expect([...arrays.entries()].map(([k, a]) => [k, a.shape])).toEqual([['score', [2, 1]], ['embedding', [2, 4]]])
  })
})

if (!HAVE_INTEROP) announceSkip('predict against real Keras predictions', '../shared/interop is absent')
describe.skipIf(!HAVE_INTEROP)('kmodel predict reproduces what Keras computed', () => {
  it('dl4j-simple-lstm-tf-keras-1: Keras 1 LSTM gate arrays merged; max error ≤ 1e-4 relative to max(1, |y|)', async () => {
    const entry = join(INTEROP, 'dl4j-simple-lstm-tf-keras-1')
    const io = join(entry, 'simple_lstm_tf_keras_1_inputs_and_outputs.h5')
    const out = join(tmp(), 'pred.npy')
    const run = kmodel(['predict', join(entry, 'simple_lstm_tf_keras_1_config.json'), '--weights', join(entry, 'simple_lstm_tf_keras_1_weights.h5'), '--x', `${io}:/inputs/lstm_input_1`, '-o', out])
    expect(run.code).toBe(0)
    const predicted = readNpy(readFileSync(out), out)
    const keras = await withH5File(io, (root) => {
      const ds = getDataset(root, 'predictions/dense_1')
      return ds === null ? null : Array.from(readDataset(ds) as Float32Array)
    })
    expect(keras).not.toBeNull()
    expect(predicted.shape).toEqual([keras?.length ?? 0, 1])
    const errors = Array.from(predicted.data as Float32Array).map((v, i) => Math.abs(v - (keras?.[i] ?? 0)) / Math.max(1, Math.abs(keras?.[i] ?? 0)))
    expect(Math.max(...errors)).toBeLessThanOrEqual(1e-4)
  })
})

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_NUMPY = spawnSync(PYTHON, ['-c', 'import numpy'], {stdio: 'ignore'}).status === 0
if (!HAVE_NUMPY) announceSkip('predict CSV output read back by np.loadtxt', `${PYTHON} cannot import numpy`)

/** residual-keras3.json with seeded weights, and 3 samples of 8 features as .npy and as CSV (header f0..f7, plus an id column). */
function residual(): {dir: string; w: string; npy: string; csv: string; values: Float32Array} {
  const dir = tmp()
  const w = join(dir, 'w.h5')
  expect(kmodel(['save-weights', fixture('residual-keras3.json'), w, '--seed', '5']).code).toBe(0)
  const values = Float32Array.from({length: 24}, (_, i) => ((i % 7) - 3) / 7)
  const npy = join(dir, 'x.npy')
  writeFileSync(npy, writeNpy({dtype: 'float32', shape: [3, 8], data: values}))
  const header = ['id', ...Array.from({length: 8}, (_, j) => `f${j}`)]
  const rows = [0, 1, 2].map((i) => [String(100 + i), ...Array.from(values.subarray(i * 8, i * 8 + 8), (v) => String(v))])
  const csv = join(dir, 'x.csv')
  writeFileSync(csv, [header, ...rows].map((r) => r.join(',')).join('\r\n'))
  return {dir, w, npy, csv, values}
}

describe('kmodel predict writes the format its output name asks for', () => {
  it('.csv: a header row, then one row per sample that np.loadtxt reads back bit-exactly; .npz keyed by output name', () => {
    const {dir, w, npy} = residual()
    const ref = join(dir, 'y.npy')
    expect(kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', npy, '-o', ref]).code).toBe(0)
    const expected = readNpy(readFileSync(ref), ref)
    const csv = join(dir, 'y.csv')
    expect(kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', npy, '-o', csv]).code).toBe(0)
    const text = readFileSync(csv, 'utf8')
    const lines = text.trimEnd().split('\n')
    expect(lines[0]).toBe('output_0')
    expect(lines.slice(1).map(Number)).toEqual(Array.from(expected.data as Float32Array))
    expect(Float32Array.from(lines.slice(1).map(Number))).toEqual(expected.data)
    if (HAVE_NUMPY) {
      const py = spawnSync(PYTHON, ['-c', `import numpy as np; a = np.loadtxt('${csv}', delimiter=',', skiprows=1, ndmin=2).astype(np.float32); print(a.shape, np.array_equal(a, np.load('${ref}')))`], {encoding: 'utf8'})
      expect(py.stdout.trim()).toBe('(3, 1) True')
    }
    const npz = join(dir, 'y.npz')
    expect(kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', npy, '-o', npz]).code).toBe(0)
    expect([...readNpz(readFileSync(npz), npz).entries()].map(([k, a]) => [k, a.shape, Array.from(a.data as Float32Array)])).toEqual([['output', [3, 1], Array.from(expected.data as Float32Array)]])
  })

  it('refuses any other name, and several outputs to .npy or .csv, with exit 2 and nothing written', () => {
    const {dir, w, npy} = residual()
    for (const name of ['y.txt', 'y', 'y.npy.bak']) {
      const out = join(dir, name)
      const run = kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', npy, '-o', out, '--json'])
      expect(run.code).toBe(2)
      expect(run.json?.error?.code).toBe('KM_USAGE_OUTPUT_EXTENSION')
      expect(existsSync(out)).toBe(false)
    }
    const sw = join(dir, 'siamese.h5')
    expect(kmodel(['save-weights', fixture('siamese-tfkeras212.json'), sw]).code).toBe(0)
    const x = join(dir, 'pair.npz')
    writeFileSync(x, writeNpz([['left', {dtype: 'float32', shape: [2, 16], data: new Float32Array(32)}], ['right', {dtype: 'float32', shape: [2, 16], data: new Float32Array(32)}]]))
    for (const name of ['y.npy', 'y.csv']) {
      const out = join(dir, name)
      const run = kmodel(['predict', fixture('siamese-tfkeras212.json'), '--weights', sw, '--x', x, '-o', out])
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('the model has 2 outputs; a .')
      expect(run.stderr).toContain('Hint: Name the output .npz')
      expect(existsSync(out)).toBe(false)
    }
  })

  it('refuses an output of 3 dimensions to .csv; writes it to .npy', () => {
    const dir = tmp()
    const model = join(dir, 'seq.json')
    writeFileSync(model, JSON.stringify({class_name: 'Sequential', config: {name: 'seq', layers: [{class_name: 'Dense', config: {name: 'd', units: 2, batch_input_shape: [null, 4, 3]}}]}, keras_version: '2.12.0', backend: 'tensorflow'}))
    const x = join(dir, 'x.npy')
    writeFileSync(x, writeNpy({dtype: 'float32', shape: [2, 4, 3], data: new Float32Array(24).fill(0.5)}))
    const csv = join(dir, 'y.csv')
    const run = kmodel(['predict', model, '--x', x, '-o', csv, '--json'])
    expect(run.code).toBe(2)
    expect(run.json?.error).toMatchObject({code: 'KM_USAGE_OUTPUT_FORMAT', message: `${csv}: output 'd' has shape (2, 4, 2); a CSV file holds rows of numbers (1 or 2 dimensions).`})
    expect(existsSync(csv)).toBe(false)
    expect(kmodel(['predict', model, '--x', x, '-o', join(dir, 'y.npy')]).code).toBe(0)
  })
})

describe('kmodel predict --x data.csv', () => {
  it('reads CSV inputs as train does: the named columns, or every column', () => {
    const {dir, w, npy, csv} = residual()
    const ref = join(dir, 'ref.npy')
    expect(kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', npy, '-o', ref]).code).toBe(0)
    const out = join(dir, 'from-csv.npy')
    const columns = Array.from({length: 8}, (_, j) => `f${j}`).join(',')
    const run = kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', csv, '--x-columns', columns, '-o', out, '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect(readNpy(readFileSync(out), out).data).toEqual(readNpy(readFileSync(ref), ref).data)
    const all = kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', csv, '-o', join(dir, 'all.npy')])
    expect(all.code).toBe(4)
    expect(all.stderr).toContain("expects shape (None, 8); the array given for it ('x') has shape (3, 9)")
    const missing = kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', csv, '--x-columns', 'f0,nope', '-o', join(dir, 'm.npy')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("has no column 'nope' (named by --x-columns)")
    const notCsv = kmodel(['predict', fixture('residual-keras3.json'), '--weights', w, '--x', npy, '--x-columns', 'f0', '-o', join(dir, 'n.npy')])
    expect(notCsv.code).toBe(2)
    expect(notCsv.stderr).toContain('--x-columns applies to CSV files')
  })
})
