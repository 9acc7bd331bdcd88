import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readWeights} from '../../src/core/weights/read.js'
import {kmodel} from '../helpers/cli.js'
import {HAVE_INTEROP, INTEROP, announceSkip, fixture} from '../helpers/paths.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'kmodel-w-'))
const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_H5PY = spawnSync(PYTHON, ['-c', 'import h5py'], {encoding: 'utf8'}).status === 0
if (!HAVE_H5PY) announceSkip('h5py checks of save-weights output', `${PYTHON} cannot import h5py`)

describe('kmodel save-weights (fresh, seeded)', () => {
  it('writes every layer\'s weights, loadable back by order, identical for the same seed', async () => {
    const dir = tmp()
    const a = join(dir, 'a.h5')
    const run = kmodel(['save-weights', fixture('siamese-tfkeras212.json'), a, '--seed', '7', '--json'])
    expect(run.code).toBe(0)
    expect(run.json?.result).toEqual({output: a, layout: 'keras2', source: 'initializers', seed: 7, layers: 6, tensors: 6, params: 221})
    expect(kmodel(['save-weights', fixture('siamese-tfkeras212.json'), join(dir, 'b.h5'), '--seed', '7']).code).toBe(0)
    // HDF5 object headers carry times, so compare the tensors, not the bytes.
    const values = async (p: string) => (await readWeights(p)).layers.map((l) => l.weights.map((w) => Array.from(w.data as Float32Array)))
    expect(await values(join(dir, 'b.h5'))).toEqual(await values(a))
    const back = kmodel(['load-weights', fixture('siamese-tfkeras212.json'), a, '--json'])
    expect(back.code).toBe(0)
    expect((back.json?.result as {matched: unknown[]; skipped: unknown[]}).skipped).toEqual([])
    const file = await readWeights(a)
    const kernel = file.layers.find((l) => l.name === 'shared')?.weights[0]
    const limit = Math.sqrt(6 / (16 + 8))
    expect(kernel?.shape).toEqual([16, 8])
    expect(Array.from(kernel?.data as Float32Array).every((v) => Math.abs(v) <= limit)).toBe(true)
    expect(Array.from(file.layers.find((l) => l.name === 'shared')?.weights[1]?.data as Float32Array)).toEqual(Array(8).fill(0))
  })

  it('gives different weights for a different seed, and refuses to overwrite', async () => {
    const dir = tmp()
    expect(kmodel(['save-weights', fixture('mlp-tfkeras212.json'), join(dir, 'a.h5'), '--seed', '1']).code).toBe(0)
    expect(kmodel(['save-weights', fixture('mlp-tfkeras212.json'), join(dir, 'b.h5'), '--seed', '2']).code).toBe(0)
    const first = async (p: string) => Array.from((await readWeights(p)).layers[0]?.weights[0]?.data as Float32Array)
    expect(await first(join(dir, 'a.h5'))).not.toEqual(await first(join(dir, 'b.h5')))
    const again = kmodel(['save-weights', fixture('mlp-tfkeras212.json'), join(dir, 'a.h5')])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('KM_USAGE_OUTPUT_EXISTS')
  })

  it.skipIf(!HAVE_H5PY)('writes nested models\' weights under the nested model group, as Keras does', () => {
    const out = join(tmp(), 'nested.h5')
    expect(kmodel(['save-weights', fixture('nested-tfkeras212.json'), out]).code).toBe(0)
    const py = spawnSync(PYTHON, ['-c', `import h5py; f = h5py.File('${out}'); print([n.decode() for n in f['encoder'].attrs['weight_names']])`], {encoding: 'utf8'})
    // tf-keras 2.21 save_weights of this model writes exactly these names (each weight named by its own layer)
    expect(py.stdout.trim()).toBe("['enc_1/kernel:0', 'enc_1/bias:0', 'enc_bn/gamma:0', 'enc_bn/beta:0', 'enc_bn/moving_mean:0', 'enc_bn/moving_variance:0']")
  })
})

describe('kmodel load-weights', () => {
  it('exit 5 with both shapes when the weights do not fit', () => {
    const dir = tmp()
    const w = join(dir, 'w.h5')
    expect(kmodel(['save-weights', fixture('mlp-tfkeras212.json'), w]).code).toBe(0)
    const doc = JSON.parse(readFileSync(fixture('mlp-tfkeras212.json'), 'utf8')) as {config: {layers: Array<{config: Record<string, unknown>}>}}
    const last = doc.config.layers[4]
    if (last !== undefined) last.config.units = 7
    writeFileSync(join(dir, 'm.json'), JSON.stringify(doc))
    const run = kmodel(['load-weights', join(dir, 'm.json'), w])
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('the layer expects (128, 7), the file has (128, 10)')
    const skip = kmodel(['load-weights', join(dir, 'm.json'), w, '--skip-mismatch', '--json'])
    expect(skip.code).toBe(0)
    expect((skip.json?.result as {mismatched: unknown[]}).mismatched).toEqual([
      {layer: 'dense_2', weight: 'kernel', expected: [128, 7], found: [128, 10]}, {layer: 'dense_2', weight: 'bias', expected: [7], found: [10]},
    ])
  })
})

if (!HAVE_INTEROP) announceSkip('load-weights retargeting e2e', '../shared/interop is absent')
describe.skipIf(!HAVE_INTEROP || !HAVE_H5PY)('retargeting real weights onto renamed layers', () => {
  it('asha-yaml-mlp: the h5 (dense_4..6) moves onto the YAML (dense_1..3) by order, the report names the renames', () => {
    const out = join(tmp(), 'retargeted.h5')
    const run = kmodel(['load-weights', join(INTEROP, 'asha-yaml-mlp/model.yaml'), join(INTEROP, 'asha-yaml-mlp/model.h5'), '-o', out, '--json'])
    expect(run.code).toBe(0)
    expect(run.json?.result).toMatchObject({mode: 'order', output: out, skipped: [], matched: [
      {layer: 'dense_1', fileLayer: 'dense_4', weights: 2}, {layer: 'dense_2', fileLayer: 'dense_5', weights: 2}, {layer: 'dense_3', fileLayer: 'dense_6', weights: 2},
    ]})
    const script = `import h5py, numpy as np
a = h5py.File('${join(INTEROP, 'asha-yaml-mlp/model.h5')}')['model_weights']; b = h5py.File('${out}')
print([n.decode() for n in b.attrs['layer_names']], [n.decode() for n in b['dense_1'].attrs['weight_names']])
print(all(np.array_equal(a['dense_%d/dense_%d/%s:0' % (i + 3, i + 3, w)][()], b['dense_%d/dense_%d/%s:0' % (i, i, w)][()]) for i in (1, 2, 3) for w in ('kernel', 'bias')))`
    const py = spawnSync(PYTHON, ['-c', script], {encoding: 'utf8'})
    expect(py.stderr).toBe('')
    expect(py.stdout.trim().split('\n')).toEqual(["['dense_1', 'dense_2', 'dense_3'] ['dense_1/kernel:0', 'dense_1/bias:0']", 'True'])
    const byName = kmodel(['load-weights', join(INTEROP, 'asha-yaml-mlp/model.yaml'), join(INTEROP, 'asha-yaml-mlp/model.h5'), '--by-name', '--json'])
    expect((byName.json?.result as {matched: unknown[]; skipped: Array<{fileLayer: string | null}>}).skipped.map((s) => s.fileLayer)).toEqual(['dense_4', 'dense_5', 'dense_6', null, null, null])
  })
})
