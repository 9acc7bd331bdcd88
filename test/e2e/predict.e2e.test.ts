import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
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
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('KM_INPUT_SHAPE')
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
