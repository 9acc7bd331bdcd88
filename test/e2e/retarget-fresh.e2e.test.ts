/**
 * load-weights --skip-mismatch / --by-name -o: layers the load leaves unloaded are written with fresh initial
 * weights (seed 0), as Keras's save after such a load writes the model's initial values, so the file loads.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'
import {announceSkip, fixture} from '../helpers/paths.js'
import {oraclePython} from '../oracle/harness.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_H5PY = spawnSync(PYTHON, ['-c', 'import h5py, numpy'], {stdio: 'ignore'}).status === 0
if (!HAVE_H5PY) announceSkip('load-weights --skip-mismatch -o with h5py', `${PYTHON} cannot import h5py and numpy`)
const ORACLE = oraclePython()
if (ORACLE === null) announceSkip('load-weights --skip-mismatch -o loaded by tf-keras', 'no oracle venv (scripts/oracle-venv.sh makes one)')

/** mlp-tfkeras212 with its last Dense widened to 7 units, and weights saved for the original (10 units). */
function mismatched(): {dir: string; model: string; weights: string} {
  const dir = mkdtempSync(join(tmpdir(), 'kmodel-fresh-'))
  const weights = join(dir, 'w.h5')
  expect(kmodel(['save-weights', fixture('mlp-tfkeras212.json'), weights, '--seed', '4']).code).toBe(0)
  const doc = JSON.parse(readFileSync(fixture('mlp-tfkeras212.json'), 'utf8')) as {config: {layers: Array<{config: Record<string, unknown>}>}}
  const last = doc.config.layers[4]
  if (last !== undefined) last.config.units = 7
  const model = join(dir, 'm.json')
  writeFileSync(model, JSON.stringify(doc))
  return {dir, model, weights}
}

/** h5py's view: each layer's weight_names and dataset shapes. */
const H5_SHAPES = `
import sys, h5py
f = h5py.File(sys.argv[1], 'r')
for n in f.attrs['layer_names']:
    n = n.decode() if isinstance(n, bytes) else n
    names = [w.decode() if isinstance(w, bytes) else w for w in f[n].attrs['weight_names']]
    print(n, [(w, f[n][w].shape) for w in names])
`

describe.skipIf(!HAVE_H5PY)('load-weights --skip-mismatch -o writes a file that loads', () => {
  it('gives the skipped layer fresh weights with the model\'s shapes; the file then loads by order', () => {
    const {dir, model, weights} = mismatched()
    const out = join(dir, 'out.h5')
    const run = kmodel(['load-weights', model, weights, '--skip-mismatch', '-o', out, '--json'])
    expect(run.code).toBe(0)
    expect((run.json?.result as {skipped: Array<{layer: string}>}).skipped.map((s) => s.layer)).toEqual(['dense_2'])
    const py = spawnSync(PYTHON, ['-c', H5_SHAPES, out], {encoding: 'utf8'})
    expect(py.stderr).toBe('')
    expect(py.stdout).toContain("dense_2 [('dense_2/kernel:0', (128, 7)), ('dense_2/bias:0', (7,))]")
    expect(py.stdout).toContain("dense [('dense/kernel:0', (784, 256)), ('dense/bias:0', (256,))]")
    const again = kmodel(['load-weights', model, out, '--json'])
    expect(again.code).toBe(0)
    expect(again.json?.result).toMatchObject({mode: 'order', skipped: [], mismatched: []})
    const same = kmodel(['weights', 'show', out, '--json'])
    const layers = (same.json?.result as {layers: Array<{name: string; weights: Array<{min: number; max: number; std: number}>}>}).layers
    const kernel = layers.find((l) => l.name === 'dense_2')?.weights[0]
    const limit = Math.sqrt(6 / (128 + 7)) // glorot_uniform, the Dense default
    expect(kernel?.std).toBeGreaterThan(0)
    expect(Math.max(Math.abs(kernel?.min ?? 9), Math.abs(kernel?.max ?? 9))).toBeLessThanOrEqual(limit)
    expect(layers.find((l) => l.name === 'dense_2')?.weights[1]).toMatchObject({min: 0, max: 0})
  })

  it.skipIf(ORACLE === null)('tf-keras loads it: the loaded layers hold the file\'s weights, the skipped one its initial values', () => {
    const {dir, model, weights} = mismatched()
    const out = join(dir, 'out.h5')
    expect(kmodel(['load-weights', model, weights, '--skip-mismatch', '-o', out]).code).toBe(0)
    const script = `
import os, sys
os.environ['TF_USE_LEGACY_KERAS'] = '1'
import tf_keras as keras, h5py, numpy as np
m = keras.models.model_from_json(open(sys.argv[1]).read())
m.load_weights(sys.argv[2])
src = h5py.File(sys.argv[3], 'r')
same = all(np.array_equal(m.get_layer(n).get_weights()[0], src[n][n]['kernel:0'][()]) for n in ('dense', 'dense_1'))
print(same, m.get_layer('dense_2').get_weights()[0].shape, float(np.abs(m.get_layer('dense_2').get_weights()[1]).max()))
`
    const py = spawnSync(ORACLE as string, ['-c', script, model, out, weights], {encoding: 'utf8'})
    expect(py.stdout.trim().split('\n').pop(), py.stderr).toBe('True (128, 7) 0.0')
  })
})
