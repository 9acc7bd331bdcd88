/**
 * `kmodel weights show`: every tensor's statistics against NumPy's on the same file (h5py + NumPy read it,
 * test/helpers/weights_stats.py), the heading facts against h5py's view, the by-order pairing with a model,
 * and hostile names shown escaped.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import type {WeightsShowResult} from '../../src/core/weights/show.js'
import {kmodel} from '../helpers/cli.js'
import {HAVE_INTEROP, INTEROP, ROOT, announceSkip, fixture} from '../helpers/paths.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_NUMPY = spawnSync(PYTHON, ['-c', 'import h5py, numpy'], {stdio: 'ignore'}).status === 0
if (!HAVE_NUMPY) announceSkip('weights show against NumPy', `${PYTHON} cannot import h5py and numpy; install python3-h5py python3-numpy`)
if (!HAVE_INTEROP) announceSkip('weights show on ../shared/interop files', `${INTEROP} is absent`)

interface NumpyStats {shape: number[]; dtype: string; min: number | null; max: number | null; mean: number | null; std: number | null; nan: number; inf: number}

function numpyStats(file: string): Record<string, NumpyStats> {
  const run = spawnSync(PYTHON, [join(ROOT, 'test', 'helpers', 'weights_stats.py'), file], {encoding: 'utf8', maxBuffer: 256 << 20})
  if (run.status !== 0) throw new Error(`weights_stats.py failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as Record<string, NumpyStats>
}

function show(file: string, ...more: string[]): WeightsShowResult {
  const run = kmodel(['weights', 'show', file, ...more, '--json'])
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return run.json?.result as WeightsShowResult
}

const close = (a: number | null, b: number | null): boolean => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)))

/** Every tensor kmodel shows has NumPy's statistics; every model dataset NumPy sees is shown; optimizer counts agree. */
function checkAgainstNumpy(file: string, result: WeightsShowResult): void {
  const np = numpyStats(file)
  const tfjs = result.layout === 'tfjs'
  const shown = result.layers.flatMap((l) => l.weights.map((t) => ({key: tfjs ? t.name : `${l.path}/${t.name}`, t})))
  expect(shown.length).toBeGreaterThan(0)
  for (const {key, t} of shown) {
    const want = np[key]
    expect(want, `${file}: ${key}`).toBeDefined()
    if (want === undefined) continue
    expect(t.shape).toEqual(want.shape)
    expect([t.nan, t.inf]).toEqual([want.nan, want.inf])
    for (const stat of ['min', 'max', 'mean', 'std'] as const) expect(close(t[stat], want[stat]), `${file}: ${key} ${stat} ${t[stat]} vs NumPy ${want[stat]}`).toBe(true)
  }
  if (tfjs) return
  const optimizerKeys = Object.keys(np).filter((k) => /^\/optimizer(_weights)?\//.test(k))
  expect(result.optimizer).toEqual({present: optimizerKeys.length > 0, tensors: optimizerKeys.length, params: optimizerKeys.reduce((n, k) => n + (np[k]?.shape.reduce((a, b) => a * b, 1) ?? 0), 0)})
  const modelKeys = Object.keys(np).filter((k) => !/^\/(optimizer|optimizer_weights|metrics|vars)\//.test(k) && !k.includes('/top_level_model_weights/'))
  expect(result.layers.flatMap((l) => l.weights).length).toBe(modelKeys.length)
}

describe.skipIf(!HAVE_NUMPY)('kmodel weights show: statistics as NumPy computes them', () => {
  it.each([
    ['custom-l2norm-keras3.keras', 'keras3', 'keras-zip'],
    ['custom-l2norm-keras3.h5', 'keras2', 'full-model'],
    ['custom-l2norm-tfkeras.h5', 'keras2', 'full-model'],
    ['vae-shared-encoder-keras3.keras', 'keras3', 'keras-zip'],
  ] as const)('fixture %s (%s, %s)', (name, layout, container) => {
    const result = show(fixture(name))
    expect([result.layout, result.container]).toEqual([layout, container])
    checkAgainstNumpy(fixture(name), result)
  })

  it.skipIf(!HAVE_INTEROP).each([
    ['asha-yaml-mlp/model.h5', 'keras2', 'full-model', '2.0.8'],
    ['dl4j-bn-conv2d-k1-k2/batch_to_conv2d_tensorflow_2.h5', 'keras2', 'full-model', '2.1.3'],
    ['hiv-lstm/weights.hdf5', 'keras2', 'full-model', null],
    ['stochastic-lstm/model_weights.h5', 'keras2', 'weights', null],
    ['gradadmit-k3/model.keras', 'keras3', 'keras-zip', '3.13.2'],
    ['hitsong-keras214-v3format/model.keras', 'keras3', 'keras-zip', '2.14.0'],
    ['bankchurn-k3-weights/model.weights.h5', 'keras3', 'weights', null],
    ['tfjs-celsius/model.json', 'tfjs', 'tfjs', '2.15.0'],
    ['tfjs-genre-bn-k250/model.json', 'tfjs', 'tfjs', null],
  ] as const)('interop %s (%s, %s)', (name, layout, container, version) => {
    const file = join(INTEROP, name)
    const result = show(file)
    expect([result.layout, result.container]).toEqual([layout, container])
    if (version !== null) expect(result.kerasVersion).toBe(version)
    checkAgainstNumpy(file, result)
    expect(result.totals.params).toBe(result.layers.flatMap((l) => l.weights).reduce((n, t) => n + t.size, 0) + result.topLevel.reduce((n, t) => n + t.size, 0))
  })
})

describe.skipIf(!HAVE_INTEROP)('kmodel weights show: text and pairing', () => {
  it('prints the heading, one row per tensor, weightless layers and totals', () => {
    const run = kmodel(['weights', 'show', join(INTEROP, 'dl4j-bn-conv2d-k1-k2/batch_to_conv2d_tensorflow_2.h5')])
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    expect(lines[1]).toBe("Layout: legacy Keras HDF5 (layer_names / weight_names), full model (weights in 'model_weights')")
    expect(lines[2]).toBe('Keras version: 2.1.3, backend tensorflow')
    expect(lines[3]).toBe('Optimizer state: none')
    expect(run.stdout).toMatch(/│ reshape_1 +│ \(no weights\) +│/)
    expect(run.stdout).toMatch(/│ +│ batch_normalization_1\/moving_variance:0 │ \(10,\) +│ float32 │ +1 │ +1 │ +1 │ +0 │ +0 │ +0 │/)
    expect(run.stdout).toContain('Total: 49,985 values (195.25 KB) in 8 tensors, 3 of 4 layers with weights')
  })

  it('reports optimizer state of a compiled full model', () => {
    const run = kmodel(['weights', 'show', join(INTEROP, 'asha-yaml-mlp/model.h5')])
    expect(run.stdout).toContain('Optimizer state: saved (13 tensors, 443 values; not model weights)')
  })

  it('pairs the file with a model by order, as load-weights does, whatever the names', () => {
    const result = show(join(INTEROP, 'asha-yaml-mlp/model.h5'), join(INTEROP, 'asha-yaml-mlp/model.yaml'))
    expect(result.pairing?.error).toBeNull()
    expect(result.pairing?.matched).toEqual([
      {layer: 'dense_1', fileLayer: 'dense_4', weights: 2}, {layer: 'dense_2', fileLayer: 'dense_5', weights: 2}, {layer: 'dense_3', fileLayer: 'dense_6', weights: 2},
    ])
    const text = kmodel(['weights', 'show', join(INTEROP, 'asha-yaml-mlp/model.h5'), join(INTEROP, 'asha-yaml-mlp/model.yaml')])
    expect(text.stdout).toContain('  dense_4 → dense_1: 2 weight(s)')
  })

  it('reports shape mismatches and a by-order refusal instead of failing', () => {
    const shapes = show(join(INTEROP, 'asha-yaml-mlp/model.h5'), fixture('mlp-tfkeras212.json'))
    expect(shapes.pairing?.error).toBeNull()
    expect(shapes.pairing?.skipped.map((s) => [s.fileLayer, s.layer])).toEqual([['dense_4', 'dense'], ['dense_5', 'dense_1'], ['dense_6', 'dense_2']])
    const count = show(join(INTEROP, 'asha-yaml-mlp/model.h5'), fixture('nested-tfkeras212.json'))
    expect(count.pairing?.error?.code).toBe('KM_WEIGHTS_LAYER_COUNT')
    expect(count.layers).toHaveLength(3)
  })
})

describe.skipIf(!HAVE_NUMPY)('kmodel weights show: hostile and unusual tensors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmodel-show-'))
  afterAll(() => rmSync(dir, {recursive: true, force: true}))
  const evil = join(dir, 'evil.h5')
  const bf16 = join(dir, 'bf16.weights.h5')
  spawnSync(PYTHON, ['-c', `
import h5py, numpy as np
with h5py.File(${JSON.stringify(evil)}, 'w') as f:
    name = b'ev\\x1b[31mil'
    f.attrs['layer_names'] = np.array([name])
    f.attrs['keras_version'] = b'2.3.1\\x1b[0m'
    f.attrs['backend'] = b'tensorflow'
    g = f.create_group(name.decode())
    g.attrs['weight_names'] = np.array([name + b'/kernel:0'])
    g.create_group(name.decode()).create_dataset('kernel:0', data=np.array([[1, np.nan], [np.inf, -np.inf], [3, 4]], 'float32'))
with h5py.File(${JSON.stringify(bf16)}, 'w') as f:
    v = f.create_group('layers').create_group('dense').create_group('vars')
    bits = (np.array([1.5, -2.25, 0.1, 3e38, np.nan], 'float32').view(np.uint32) >> 16).astype(np.uint16)
    d = v.create_dataset('0', data=bits)
    d.attrs['dtype'] = 'bfloat16'
    f.create_group('vars')
`], {encoding: 'utf8'})

  it('shows names from the file escaped, never raw, and exact in --json', () => {
    const text = kmodel(['weights', 'show', evil])
    expect(text.code).toBe(0)
    expect(text.stdout).not.toContain('\u001B')
    expect(text.stdout).toContain('ev\\x1b[31mil')
    expect(text.stdout).toContain('Keras version: 2.3.1\\x1b[0m')
    expect(text.stdout).toContain('Warning: 1 NaN and 2 infinite values.')
    const result = show(evil)
    expect(result.layers[0]?.name).toBe('ev\u001B[31mil')
    expect(result.layers[0]?.weights[0]).toMatchObject({name: 'ev\u001B[31mil/kernel:0', min: 1, max: 4, nan: 1, inf: 2})
    checkAgainstNumpy(evil, result)
  })

  it('decodes bfloat16 before computing statistics', () => {
    const result = show(bf16)
    expect(result.layers[0]?.weights[0]).toMatchObject({dtype: 'bfloat16', bytes: 10, min: -2.25, nan: 1})
    checkAgainstNumpy(bf16, result)
  })

  it('refuses an architecture-only file as load-weights does', () => {
    const run = kmodel(['weights', 'show', fixture('mlp-tfkeras212.json'), '--json'])
    expect(run.code).toBe(4)
    expect(run.json?.error?.code).toBe('KM_FORMAT_WEIGHTS_ARCH_ONLY')
  })
})
