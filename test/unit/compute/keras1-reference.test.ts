/**
 * Keras 1 Embedding + Convolution1D / LSTM with integer inputs, checked by a second route (issue #11). Keras 1
 * cannot be installed, so the oracle suites cannot build Keras 1 files; here each model is a Keras 1.2.2
 * `to_json()` document (Sequential config as a bare list, Keras 1 argument spellings, `input_dtype: int32` on
 * the Embedding), run through kmodel's `predict` with seeded weights in the Keras 2 layout, and compared with a
 * NumPy forward pass (keras1_reference.py, run by Debian's /usr/bin/python3) that reads the same Keras 1
 * config itself. Keras 1 semantics: hard_sigmoid = clip(0.2x + 0.5, 0, 1) (the LSTM's default inner
 * activation), LSTM gates i, f, c, o, masked steps carry state and output, 'same' padding as TF. Keras 1's
 * Sequential gives the Input it creates the first layer's `input_dtype` (int32 for an Embedding), so ids stay exact.
 */
import {spawnSync} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {summarize} from '../../../src/core/graph/summarize.js'
import type {ModelSpec} from '../../../src/core/model/spec.js'
import {predict} from '../../../src/core/predict.js'
import type {WeightsFile} from '../../../src/core/weights/types.js'
import {announceSkip} from '../../helpers/paths.js'
import {readDoc} from '../../helpers/read.js'
import {rng as signedRng} from '../backend/helpers.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'keras1_reference.py')
const HAVE_NUMPY = spawnSync(PYTHON, ['-c', 'import numpy'], {stdio: 'ignore'}).status === 0
if (!HAVE_NUMPY) announceSkip('Keras 1 reference (NumPy second route)', `${PYTHON} cannot import numpy; install Debian python3-numpy`)

type Config = Record<string, unknown>
const entry = (class_name: string, config: Config): {class_name: string; config: Config} => ({class_name, config})
const keras1 = (layers: Array<{class_name: string; config: Config}>): Config => ({class_name: 'Sequential', config: layers, keras_version: '1.2.2'})

/** Keras 1.2.2 `Embedding.get_config()`: the first layer, so with batch_input_shape and input_dtype int32. */
const embedding = (name: string, inputDim: number, outputDim: number, length: number, maskZero: boolean): {class_name: string; config: Config} => entry('Embedding', {
  name, trainable: true, batch_input_shape: [null, length], input_dtype: 'int32', input_dim: inputDim, output_dim: outputDim,
  init: 'uniform', input_length: length, mask_zero: maskZero, activity_regularizer: null, W_regularizer: null, W_constraint: null,
  dropout: 0.25,
})
const conv1d = (name: string, filters: number, length: number, mode: string, stride: number, activation: string): {class_name: string; config: Config} => entry('Convolution1D', {
  name, trainable: true, nb_filter: filters, filter_length: length, init: 'glorot_uniform', activation, border_mode: mode,
  subsample_length: stride, W_regularizer: null, b_regularizer: null, activity_regularizer: null, W_constraint: null,
  b_constraint: null, bias: true, input_dim: null, input_length: null,
})
const maxPool1d = (name: string, pool: number): {class_name: string; config: Config} => entry('MaxPooling1D', {name, trainable: true, stride: pool, pool_length: pool, border_mode: 'valid'})
const flatten = (name: string): {class_name: string; config: Config} => entry('Flatten', {name, trainable: true})
const dense = (name: string, units: number, activation: string): {class_name: string; config: Config} => entry('Dense', {
  name, trainable: true, output_dim: units, init: 'glorot_uniform', activation, W_regularizer: null, b_regularizer: null,
  activity_regularizer: null, W_constraint: null, b_constraint: null, bias: true, input_dim: null,
})
const lstm = (name: string, units: number, returnSequences: boolean): {class_name: string; config: Config} => entry('LSTM', {
  name, trainable: true, return_sequences: returnSequences, go_backwards: false, stateful: false, unroll: false,
  consume_less: 'cpu', input_dim: null, input_length: null, output_dim: units, init: 'glorot_uniform', inner_init: 'orthogonal',
  forget_bias_init: 'one', activation: 'tanh', inner_activation: 'hard_sigmoid', W_regularizer: null, U_regularizer: null,
  b_regularizer: null, dropout_W: 0.0, dropout_U: 0.0,
})

/** A seeded uniform generator in [0, 1) (the backend tests' mulberry32, rescaled), so every run feeds the same numbers. */
function rng(seed: number): () => number {
  const next = signedRng(seed)
  return () => (next() + 1) / 2
}

/** Seeded weights in the Keras 2 layout, with the shapes kmodel's shape engine lists for each layer. */
function seededWeights(model: ModelSpec, seed: number, scale: number): WeightsFile {
  const next = rng(seed)
  const layers = summarize(model).rows.map((row) => ({
    name: row.name, path: `/${row.name}`, name_is_layer_name: true,
    weights: (row.weights ?? []).map((w) => {
      const shape = w.shape.map((d) => d ?? 0)
      const n = shape.reduce((a, b) => a * b, 1)
      return {name: `${row.name}/${w.name}:0`, shape, dtype: 'float32' as const, data: Float32Array.from({length: n}, () => (next() * 2 - 1) * scale)}
    }),
  }))
  return {layout: 'keras2', source: 'seeded', keras_version: '1.2.2', backend: 'tensorflow', layers, top_level: []}
}

/** Ids in [0, vocab), with zero-padding runs (before, after and inside) and one all-padding row. */
function ids(rows: number, length: number, vocab: number, seed: number): Int32Array {
  const next = rng(seed)
  const out = new Int32Array(rows * length)
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < length; t++) out[r * length + t] = 1 + Math.floor(next() * (vocab - 1))
  }
  const pad = (r: number, from: number, to: number): void => {
    out.fill(0, r * length + from, r * length + to)
  }
  pad(0, 0, 3) // pre-padding, as keras pad_sequences writes it
  pad(1, length - 4, length) // post-padding
  pad(2, 2, 4) // a gap inside the sequence
  pad(3, 0, length) // nothing but padding
  pad(4, length - 1, length)
  return out
}

/** The NumPy forward pass of the same document and weights. */
function reference(doc: Config, weights: WeightsFile, x: Int32Array, shape: number[]): {shape: number[]; data: number[]} {
  const job = {
    model: doc,
    weights: Object.fromEntries(weights.layers.map((l) => [l.name, l.weights.map((w) => ({shape: w.shape, data: Array.from(w.data as Float32Array)}))])),
    ids: {shape, data: Array.from(x)},
  }
  const run = spawnSync(PYTHON, [SCRIPT], {input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 64 << 20})
  if (run.status !== 0) throw new Error(`keras1_reference.py failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as {shape: number[]; data: number[]}
}

/** Largest |actual - expected| / max(1, |expected|); throws on a length mismatch. */
function worstError(actual: Float32Array, expected: number[]): number {
  expect(actual.length).toBe(expected.length)
  let worst = 0
  expected.forEach((e, i) => {
    worst = Math.max(worst, Math.abs((actual[i] ?? Number.NaN) - e) / Math.max(1, Math.abs(e)))
  })
  return Number.isNaN(worst) ? Infinity : worst
}

const ROWS = 6
const cases: Array<{title: string; doc: Config; length: number; vocab: number; scale: number}> = [
  {
    title: 'Embedding(mask_zero=False) → Convolution1D valid → Convolution1D same, stride 2 → MaxPooling1D → Flatten → Dense',
    doc: keras1([
      embedding('embedding_1', 20, 5, 13, false), conv1d('convolution1d_1', 6, 3, 'valid', 1, 'relu'),
      conv1d('convolution1d_2', 4, 4, 'same', 2, 'tanh'), maxPool1d('maxpooling1d_1', 2), flatten('flatten_1'),
      dense('dense_1', 3, 'linear'),
    ]),
    length: 13, vocab: 20, scale: 0.8,
  },
  {
    title: 'Embedding → LSTM (hard_sigmoid inner activation) → Dense',
    doc: keras1([embedding('embedding_1', 17, 4, 9, false), lstm('lstm_1', 5, false), dense('dense_1', 2, 'sigmoid')]),
    length: 9, vocab: 17, scale: 1.5,
  },
  {
    title: 'Embedding(mask_zero=True) → LSTM(return_sequences) on zero-padded ids',
    doc: keras1([embedding('embedding_1', 15, 4, 10, true), lstm('lstm_1', 3, true)]),
    length: 10, vocab: 15, scale: 1.5,
  },
  {
    title: 'Embedding(mask_zero=True) → LSTM(return_sequences) → LSTM → Dense (the mask passes through the first LSTM)',
    doc: keras1([embedding('embedding_1', 15, 4, 8, true), lstm('lstm_1', 5, true), lstm('lstm_2', 3, false), dense('dense_1', 2, 'linear')]),
    length: 8, vocab: 15, scale: 1.2,
  },
]

describe.skipIf(!HAVE_NUMPY)('Keras 1.2.2 Embedding + Convolution1D / LSTM with integer ids agree with a NumPy forward pass', () => {
  it.each(cases.map((c, i) => ({...c, seed: 11 + i})))('$title', async ({doc, length, vocab, scale, seed}) => {
    const {model} = await readDoc(doc)
    expect(model.keras_version).toBe('1.2.2')
    const weights = seededWeights(model, seed, scale)
    const x = ids(ROWS, length, vocab, seed * 31)
    const expected = reference(doc, weights, x, [ROWS, length])
    const result = await predict(model, weights, [{shape: [ROWS, length], data: x, dtype: 'int32'}], {backend: 'cpu', batchSize: 4})
    const out = result.outputs[0]
    expect(result.outputs).toHaveLength(1)
    expect(out?.shape).toEqual(expected.shape)
    expect(worstError(out?.data ?? new Float32Array(), expected.data)).toBeLessThanOrEqual(1e-5)
    // Keras casts float ids to the int32 input: the same numbers come out.
    const asFloat = await predict(model, weights, [{shape: [ROWS, length], data: Float32Array.from(x), dtype: 'float32'}], {backend: 'cpu'})
    expect(worstError(asFloat.outputs[0]?.data ?? new Float32Array(), expected.data)).toBeLessThanOrEqual(1e-5)
  })

  it('sees a wrong gate order: the reference with gates f, i, c, o is far from kmodel', async () => {
    const c = cases[1]
    if (c === undefined) throw new Error('no LSTM case')
    const {model} = await readDoc(c.doc)
    const weights = seededWeights(model, 12, c.scale)
    const x = ids(ROWS, c.length, c.vocab, 12 * 31)
    const expected = reference(c.doc, weights, x, [ROWS, c.length])
    // Swapping the input and forget gate blocks of kernel, recurrent kernel and bias in kmodel's weights is the
    // same as the reference reading the gates in the order f, i, c, o.
    for (const w of weights.layers.find((l) => l.name === 'lstm_1')?.weights ?? []) {
      const cols = w.shape[w.shape.length - 1] ?? 0
      const u = cols / 4
      const data = w.data as Float32Array
      for (let r = 0; r < data.length / cols; r++) {
        for (let j = 0; j < u; j++) {
          const a = r * cols + j
          const b = a + u
          ;[data[a], data[b]] = [data[b] ?? 0, data[a] ?? 0]
        }
      }
    }
    const result = await predict(model, weights, [{shape: [ROWS, c.length], data: x, dtype: 'int32'}], {backend: 'cpu'})
    expect(worstError(result.outputs[0]?.data ?? new Float32Array(), expected.data)).toBeGreaterThan(1e-3)
  })
})

describe('a Keras 1 Sequential takes the int32 input its Embedding declares (input_dtype)', () => {
  it('keeps ids above 2^24 exact: ids 16777216 and 16777217 pick their own rows', async () => {
    const rows = 2 ** 24 + 2
    const {model} = await readDoc(keras1([embedding('embedding_1', rows, 1, 2, false)]))
    const table = new Float32Array(rows)
    table[rows - 2] = 1
    table[rows - 1] = 2
    const weights: WeightsFile = {
      layout: 'keras2', source: 'seeded', keras_version: '1.2.2', backend: 'tensorflow', top_level: [],
      layers: [{name: 'embedding_1', path: '/embedding_1', name_is_layer_name: true, weights: [{name: 'embedding_1/embeddings:0', shape: [rows, 1], dtype: 'float32', data: table}]}],
    }
    // In float32, 16777217 rounds to 16777216: a float-typed input would answer [1, 1].
    const result = await predict(model, weights, [{shape: [1, 2], data: Int32Array.from([rows - 2, rows - 1]), dtype: 'int32'}], {backend: 'cpu'})
    expect(Array.from(result.outputs[0]?.data ?? [])).toEqual([1, 2])
  })
})
