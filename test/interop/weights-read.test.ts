/**
 * readWeights on every weights-bearing file of the real-Keras corpus in ../shared/interop: each must read,
 * and its element count over `layers` + `top_level` must equal MANIFEST.tsv's independent oracle
 * `weight_elements_model_only` (dataset sizes under model_weights/, the root or layers/, optimizer excluded).
 * Skipped, loudly, when the corpus is absent.
 */
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readWeights} from '../../src/core/weights/read.js'
import type {WeightTensor, WeightsFile} from '../../src/core/weights/types.js'
import {type ManifestRow, manifest} from '../helpers/interop.js'
import {HAVE_INTEROP, INTEROP, announceSkip} from '../helpers/paths.js'

if (!HAVE_INTEROP) announceSkip('interop weights-read', `the real-Keras corpus is not at ${INTEROP}`)

const rows: ManifestRow[] = HAVE_INTEROP ? manifest().filter((r) => r.weight_elements !== null) : []
const tensors = (file: WeightsFile): WeightTensor[] => [...file.layers.flatMap((l) => l.weights), ...file.top_level]
const count = (t: WeightTensor): number => t.shape.reduce((a, b) => a * b, 1)

/** The layout each kind of corpus file must come out as. */
function expectedLayout(row: ManifestRow): WeightsFile['layout'] {
  if (row.file.endsWith('.json')) return 'tfjs'
  return /Keras-v3 weights layout|Keras-3 \.weights\.h5/.test(row.file_notes) ? 'keras3' : 'keras2'
}

describe.skipIf(!HAVE_INTEROP)('readWeights on the real files in ../shared/interop', () => {
  it('finds the weights-bearing rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(45)
  })

  it.each(rows.map((row) => [`${row.entry}/${row.file}`, row] as const))('%s', async (_name, row) => {
    const file = await readWeights(row.path)
    expect(file.layout).toBe(expectedLayout(row))
    const all = tensors(file)
    for (const t of all) expect(t.data.length, `${t.name}: data length vs shape`).toBe(count(t))
    expect(all.reduce((n, t) => n + count(t), 0)).toBe(row.weight_elements)
    if (file.layout === 'keras2' && !['-', 'None', ''].includes(row.keras_version)) expect(file.keras_version).toBe(row.keras_version)
  })

  it('dequantises the uint8 weights of tfjs-abusive to finite float32', async () => {
    const row = rows.find((r) => r.entry === 'tfjs-abusive' && r.file === 'model.json')
    expect(row).toBeDefined()
    const file = await readWeights(row?.path ?? '')
    expect(file.layers.map((l) => l.name)).toEqual(['bidirectional', 'bidirectional_1', 'bidirectional_2', 'dense', 'embedding'])
    for (const t of tensors(file)) {
      expect(t.dtype).toBe('float32')
      expect(t.data).toBeInstanceOf(Float32Array)
      expect(Array.from(t.data as Float32Array).every(Number.isFinite), t.name).toBe(true)
    }
    // The first manifest entry starts at byte 0 of the shard: its first element is min + scale * byte0.
    const json = JSON.parse(readFileSync(row?.path ?? '', 'utf8')) as {weightsManifest: Array<{weights: Array<{quantization: {min: number; scale: number}}>}>}
    const q = json.weightsManifest[0]?.weights[0]?.quantization
    const byte0 = readFileSync(join(dirname(row?.path ?? ''), 'group1-shard1of1.bin'))[0] ?? Number.NaN
    expect(file.layers[0]?.weights[0]?.data[0]).toBe(Math.fround((q?.min ?? 0) + (q?.scale ?? 0) * byte0))
  })

  it('keeps Keras 3.6+ layer names from the vars attribute, and group keys before 3.6', async () => {
    const named = rows.find((r) => r.entry === 'bankchurn-k3-weights')
    const file = await readWeights(named?.path ?? '')
    expect(file.layers.map((l) => [l.name, l.path, l.name_is_layer_name])).toEqual([
      ['dense_3', '/layers/dense', true], ['dense_4', '/layers/dense_1', true], ['dense_5', '/layers/dense_2', true],
    ])
    const old = rows.find((r) => r.entry === 'stock-lstm-k341')
    const lstm = await readWeights(old?.path ?? '')
    expect(lstm.keras_version).toBe('3.4.1')
    expect(lstm.layers.map((l) => [l.name, l.name_is_layer_name, l.weights.map((w) => w.name)])).toEqual([
      ['dense', false, ['vars/0', 'vars/1']], ['dropout', false, []],
      ['lstm', false, ['cell/vars/0', 'cell/vars/1', 'cell/vars/2']], ['lstm_1', false, ['cell/vars/0', 'cell/vars/1', 'cell/vars/2']],
    ])
  })

  it('reads the tf.keras 2.14 _layer_checkpoint_dependencies variant inside a .keras zip', async () => {
    const row = rows.find((r) => r.entry === 'hitsong-keras214-v3format')
    const file = await readWeights(row?.path ?? '')
    expect(file).toMatchObject({layout: 'keras3', keras_version: '2.14.0', top_level: []})
    expect(file.layers.map((l) => l.path)).toEqual(['/_layer_checkpoint_dependencies/dense', '/_layer_checkpoint_dependencies/dense_1', '/_layer_checkpoint_dependencies/dense_2'])
  })

  it('reads nested models of a save_weights file as one layer each, and top_level_model_weights', async () => {
    const row = rows.find((r) => r.entry === 'recommender-func-k218')
    const file = await readWeights(row?.path ?? '')
    const sequential = file.layers.find((l) => l.name === 'sequential')
    expect(sequential?.weights.map((w) => [w.name, w.shape])).toEqual([['embedding/embeddings:0', [51, 256]]])
    expect(file.layers.find((l) => l.name === 'lambda')?.weights).toEqual([])
    expect(file.top_level).toEqual([])
  })
})
