/**
 * The issue-7 commands on real files Keras wrote (../shared/interop), through the built CLI, each checked
 * against an independent reading of the same files by h5py / NumPy (Debian python3-h5py, python3-numpy):
 *   - diff: a model against itself and the same model in another format → exit 0; two real models → exit 1,
 *     with renamed layers paired and per-tensor differences equal to NumPy's;
 *   - weights export: the .npz holds exactly the arrays get_weights() returns: layer by layer, each layer's
 *     weights in its saved order (standalone Keras 2.1's Model.get_weights, and Keras 3's);
 *   - weights import: exported arrays written back give the same tensors in the same order;
 *   - summary --flops: each layer's MACs equal the hand formula on the kernel shapes h5py reads.
 * Skipped, loudly, when the corpus or /usr/bin/python3 with h5py and NumPy is absent.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'
import {HAVE_INTEROP, INTEROP, announceSkip} from '../helpers/paths.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_PY = spawnSync(PYTHON, ['-c', 'import h5py, numpy'], {encoding: 'utf8'}).status === 0
if (!HAVE_INTEROP) announceSkip('diff / weights export / weights import / summary --flops on real Keras files', `the real-Keras corpus is not at ${INTEROP}`)
if (!HAVE_PY) announceSkip('the h5py / NumPy checks of diff, weights export / import and --flops on real files', `${PYTHON} cannot import h5py and numpy (Debian python3-h5py, python3-numpy)`)

const TMP = mkdtempSync(join(tmpdir(), 'kmodel-interop-commands-'))
afterAll(() => rmSync(TMP, {recursive: true, force: true}))

const real = (file: string): string => join(INTEROP, file)

/**
 * Python helpers: get_weights() of a real file read with h5py alone, independently of kmodel's readers.
 * keras2: every layer's weights in layer_names, weight_names order, as standalone Keras 2.1's get_weights() lists
 * them (layer by layer, moving statistics with their layer). keras3: layer by layer in the
 * config's order, each layer's vars in index order, as Keras 3 lists them.
 */
const PY_WEIGHTS = String.raw`
import io, json, sys, zipfile
import h5py, numpy as np

def text(v):
    return v.decode('utf8') if isinstance(v, bytes) else str(v)

def keras2(path):
    f = h5py.File(path, 'r')
    g = f['model_weights'] if 'model_weights' in f else f
    out = []
    for layer in [text(n) for n in g.attrs['layer_names']]:
        for w in [text(n) for n in g[layer].attrs['weight_names']]:
            out.append(g[layer][w][()])
    return out

def keras3(weights_h5, keras_zip):
    z = zipfile.ZipFile(keras_zip)
    config = json.loads(z.read('config.json'))
    f = h5py.File(weights_h5 if weights_h5 else io.BytesIO(z.read('model.weights.h5')), 'r')
    out = []
    for layer in config['config']['layers']:
        g = f['layers'].get(layer['config']['name'])
        if g is None:
            continue
        found = []
        g.visititems(lambda n, o: found.append((n, o[()])) if isinstance(o, h5py.Dataset) else None)
        found.sort(key=lambda kv: (kv[0].rsplit('/', 1)[0], int(kv[0].rsplit('/', 1)[1])))
        out += [v for _, v in found]
    return out

def compare(got, expected):
    problems = [] if len(got) == len(expected) else ['%d arrays, expected %d' % (len(got), len(expected))]
    for i, (a, b) in enumerate(zip(got, expected)):
        if a.dtype != b.dtype or a.shape != b.shape or not np.array_equal(a, b):
            problems.append('array %d: %s%s vs %s%s' % (i, a.dtype, a.shape, b.dtype, b.shape))
    return problems
`

/** Runs `code` after PY_WEIGHTS with `args` as sys.argv[1:]; returns its JSON output. */
function python<T>(code: string, ...args: string[]): T {
  const run = spawnSync(PYTHON, ['-c', `${PY_WEIGHTS}\n${code}`, ...args], {encoding: 'utf8', maxBuffer: 64 << 20})
  expect(run.status, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as T
}

interface WeightDiff {
  layer: string
  weight: string
  maxAbsDiff: number | null
  meanAbsDiff: number | null
}

interface DiffJson {
  same: boolean
  added: string[]
  removed: string[]
  changed: Array<{a: string; b: string; renamed: boolean; config: unknown[]; outputShape: unknown; params: unknown}>
  weights: WeightDiff[] | null
}

describe.skipIf(!HAVE_INTEROP)('kmodel diff on real Keras files', () => {
  it('a real model against itself: exit 0, its weights compared and equal', () => {
    const run = kmodel(['diff', real('solar-gru/gru_model.h5'), real('solar-gru/gru_model.h5'), '--json'])
    expect(run.code).toBe(0)
    expect.soft(run.stderr).toBe('')
    const result = run.json?.result as DiffJson
    expect(result).toMatchObject({same: true, added: [], removed: [], changed: []})
    expect(result.weights).toEqual([]) // compared (null would mean: no weights on one side), none differs
    expect(kmodel(['diff', real('solar-gru/gru_model.h5'), real('solar-gru/gru_model.h5')]).stdout).toMatch(/\nno differences\n$/)
  })

  it('the same Keras 3 architecture as to_json() JSON and as .h5: exit 0', () => {
    const run = kmodel(['diff', real('k3-lstm-json-h5/model.json'), real('k3-lstm-json-h5/model.h5'), '--json'])
    expect(run.code).toBe(0)
    expect(run.json?.result).toMatchObject({same: true, weights: null})
  })

  it('a YAML and an .h5 of another run: exit 1, the three Dense layers paired as renamed', () => {
    const run = kmodel(['diff', real('asha-yaml-mlp/model.yaml'), real('asha-yaml-mlp/model.h5'), '--json'])
    expect(run.code).toBe(1)
    const result = run.json?.result as DiffJson
    expect(result.added).toEqual([])
    expect(result.removed).toEqual([])
    expect(result.changed.map((c) => [c.a, c.b, c.renamed])).toEqual([['dense_1', 'dense_4', true], ['dense_2', 'dense_5', true], ['dense_3', 'dense_6', true]])
    expect(result.changed.every((c) => c.config.length === 0 && c.outputShape === null && c.params === null)).toBe(true)
  })

  it.skipIf(!HAVE_PY)('.h5 against .keras of the same Keras 3 model: exit 1, and the differences are NumPy\'s', () => {
    const run = kmodel(['diff', real('gradadmit-k3/model.h5'), real('gradadmit-k3/model.keras'), '--json'])
    expect(run.code).toBe(1)
    const result = run.json?.result as DiffJson
    expect(result.changed).toEqual([])
    const numpy = python<Array<[string, number, number]>>(`
a = h5py.File(sys.argv[1], 'r')['model_weights']
b = keras3(None, sys.argv[2])
out, i = [], 0
for layer in ['dense', 'dense_1', 'dense_2']:
    for w in ['kernel', 'bias']:
        d = np.abs(a['%s/sequential/%s/%s' % (layer, layer, w)][()].astype(np.float64) - b[i].astype(np.float64))
        out.append(['%s/%s' % (layer, w), float(d.max()), float(d.mean())])
        i += 1
print(json.dumps(out))`, real('gradadmit-k3/model.h5'), real('gradadmit-k3/model.keras'))
    expect(result.weights?.map((w) => `${w.layer}/${w.weight}`)).toEqual(numpy.map(([name]) => name))
    for (const [i, [name, max, mean]] of numpy.entries()) {
      expect(result.weights?.[i]?.maxAbsDiff, name).toBeCloseTo(max, 6)
      expect(result.weights?.[i]?.meanAbsDiff, name).toBeCloseTo(mean, 6)
    }
  })
})

describe.skipIf(!HAVE_INTEROP || !HAVE_PY)('kmodel weights export / import on real Keras files', () => {
  it('Keras 2.1.3 .h5 with BatchNormalization: get_weights() order (layer by layer, as standalone Keras), values as h5py reads them; import gives them back', () => {
    const model = real('dl4j-bn-conv2d-k1-k2/batch_to_conv2d_tensorflow_2.h5')
    const npz = join(TMP, 'bn.npz')
    const run = kmodel(['weights', 'export', model, '--output', npz, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const result = run.json?.result as {order: string; arrays: Array<{key: string; weight: string}>}
    expect(result.order).toBe('layers')
    expect(result.arrays.map((a) => a.weight).indexOf('batch_normalization_1/moving_variance')).toBeLessThan(result.arrays.length - 2)
    const exported = python<{arrays: number; problems: string[]}>(`
d = np.load(sys.argv[2])
got = [d['arr_%d' % i] for i in range(len(d.files))]
print(json.dumps({'arrays': len(got), 'problems': compare(got, keras2(sys.argv[1]))}))`, model, npz)
    expect(exported).toEqual({arrays: result.arrays.length, problems: []})
    expect(exported.arrays).toBe(8)

    const back = join(TMP, 'bn-back.h5')
    expect(kmodel(['weights', 'import', model, npz, '--output', back]).code).toBe(0)
    expect(python<string[]>('print(json.dumps(compare(keras2(sys.argv[2]), keras2(sys.argv[1]))))', model, back)).toEqual([])
  })

  it('Keras 3.4 .keras with two LSTMs: layer-by-layer order, values as h5py reads them; import (keras3 layout) gives them back', () => {
    const model = real('stock-lstm-k341/model.keras')
    const npz = join(TMP, 'lstm.npz')
    const run = kmodel(['weights', 'export', model, '--output', npz, '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect((run.json?.result as {order: string}).order).toBe('keras3')
    const exported = python<{arrays: number; problems: string[]}>(`
d = np.load(sys.argv[2])
got = [d['arr_%d' % i] for i in range(len(d.files))]
print(json.dumps({'arrays': len(got), 'problems': compare(got, keras3(None, sys.argv[1]))}))`, model, npz)
    expect(exported).toEqual({arrays: 8, problems: []})

    const back = join(TMP, 'lstm-back.weights.h5')
    const imported = kmodel(['weights', 'import', model, npz, '--output', back, '--layout', 'keras3', '--json'])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.json?.result).toMatchObject({arrays: 8, order: 'keras3', layout: 'keras3'})
    expect(python<string[]>('print(json.dumps(compare(keras3(sys.argv[2], sys.argv[1]), keras3(None, sys.argv[1]))))', model, back)).toEqual([])
  })
})

/** Kernel shapes per layer of a real full-model .h5 (h5py), and the model's input shape from its model_config. */
const PY_KERNELS = `
f = h5py.File(sys.argv[1], 'r')
g = f['model_weights']
layers = {}
for layer in [text(n) for n in g.attrs['layer_names']]:
    layers[layer] = {text(w).split('/')[-1].split(':')[0]: list(g[layer][text(w)].shape) for w in g[layer].attrs['weight_names']}
config = json.loads(text(f.attrs['model_config']))['config']
first = (config['layers'] if isinstance(config, dict) else config)[0]['config']
print(json.dumps({'layers': layers, 'input': first.get('batch_input_shape') or first.get('batch_shape')}))
`

const prod = (dims: number[]): number => dims.reduce((a, b) => a * b, 1)

interface FlopsLayer {
  name: string
  className: string
  outputShape: Array<number | null>
  macs: number
}

/** The MACs convention of `summary --flops`, by hand: kernel elements per output position, per timestep. */
function handMacs(layer: FlopsLayer, kernels: Record<string, number[]>, timesteps: number): number {
  const kernel = kernels.kernel ?? []
  if (layer.className === 'Dense') return prod(kernel)
  if (/^Conv\dD$/.test(layer.className)) return prod(kernel.slice(0, -1)) * prod(layer.outputShape.slice(1) as number[])
  if (/^(LSTM|GRU|SimpleRNN)$/.test(layer.className)) return timesteps * (prod(kernel) + prod(kernels.recurrent_kernel ?? []))
  return 0
}

describe.skipIf(!HAVE_INTEROP || !HAVE_PY)('kmodel summary --flops on real Keras files', () => {
  it.each([
    'gradadmit-k3/model.h5', // Keras 3.13 Dense MLP
    'asha-yaml-mlp/model.h5', // Keras 2.0.8 Dense MLP
    'solar-gru/gru_model.h5', // three stacked GRUs
    'dl4j-simple-lstm-tf-keras-2/simple_lstm_tf_keras_2_model.h5', // LSTM
    'dl4j-bn-conv2d-k1-k2/batch_to_conv2d_tensorflow_2.h5', // Dense, Reshape, BatchNormalization, Conv2D
    'f4-conv1d-k216tf/model.h5', // Conv1D, pooling, Dense
  ])('%s: every layer\'s MACs are the hand formula on the kernels h5py reads', (file) => {
    const run = kmodel(['summary', real(file), '--flops', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const result = run.json?.result as {layers: FlopsLayer[]; totalMacs: number; macsExact: boolean}
    const {layers, input} = python<{layers: Record<string, Record<string, number[]>>; input: Array<number | null>}>(PY_KERNELS, real(file))
    let timesteps = input[1] ?? 0
    let total = 0
    for (const layer of result.layers) {
      const expected = handMacs(layer, layers[layer.name] ?? {}, timesteps)
      expect(layer.macs, layer.name).toBe(expected)
      total += expected
      if (layer.outputShape.length === 3) timesteps = layer.outputShape[1] ?? 0
    }
    expect(result).toMatchObject({totalMacs: total, macsExact: true})
    expect(total).toBeGreaterThan(0)
    const text = kmodel(['summary', real(file), '--flops'])
    expect(text.stdout).toContain(`Total FLOPs: ${(2 * total).toLocaleString('en-US')} (${total.toLocaleString('en-US')} MACs)`)
  })
})
