import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readWeights} from '../../src/core/weights/read.js'
import {kmodel} from '../helpers/cli.js'
import {oraclePython} from '../oracle/harness.js'
import {HAVE_INTEROP, INTEROP, announceSkip, fixture} from '../helpers/paths.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_NUMPY = spawnSync(PYTHON, ['-c', 'import numpy'], {encoding: 'utf8'}).status === 0
if (!HAVE_NUMPY) announceSkip('weights export/import with NumPy', `${PYTHON} cannot import numpy; install python3-numpy`)

describe.skipIf(!HAVE_NUMPY)('kmodel weights export / import', () => {
  it('exports get_weights() of a tf.keras 2.12 model layer by layer, nested models too, as np.savez does, and imports it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-npz-'))
    const h5 = join(dir, 'w.h5')
    expect(kmodel(['save-weights', fixture('nested-tfkeras212.json'), h5, '--seed', '3']).code).toBe(0)
    const npz = join(dir, 'w.npz')
    const out = kmodel(['weights', 'export', fixture('nested-tfkeras212.json'), '--weights', h5, '-o', npz, '--json'])
    expect(out.code).toBe(0)
    const arrays = (out.json?.result as {arrays: Array<{key: string; weight: string; shape: number[]}>}).arrays
    expect((out.json?.result as {order: string}).order).toBe('keras3')
    expect(arrays.map((a) => a.weight)).toEqual([
      'encoder/enc_1/kernel', 'encoder/enc_1/bias', 'encoder/enc_bn/gamma', 'encoder/enc_bn/beta', 'encoder/enc_bn/moving_mean', 'encoder/enc_bn/moving_variance',
      'head/head_dense/kernel', 'head/head_dense/bias',
    ])
    const py = spawnSync(PYTHON, ['-c', `import numpy as np; d = np.load('${npz}'); print([d['arr_%d' % i].shape for i in range(len(d.files))])`], {encoding: 'utf8'})
    expect(py.stdout.trim()).toBe('[(32, 16), (16,), (16,), (16,), (16,), (16,), (16, 3), (3,)]')
    const flat = kmodel(['weights', 'export', fixture('nested-tfkeras212.json'), '--weights', h5, '-o', join(dir, 'flat.npz'), '--order', 'keras2', '--json'])
    expect((flat.json?.result as {arrays: Array<{weight: string}>}).arrays.map((a) => a.weight).slice(4, 6)).toEqual(['head/head_dense/kernel', 'head/head_dense/bias'])
    const back = join(dir, 'back.h5')
    expect(kmodel(['weights', 'import', fixture('nested-tfkeras212.json'), npz, '-o', back]).code).toBe(0)
    const a = await readWeights(h5)
    const b = await readWeights(back)
    expect(b.layers.map((l) => l.weights.map((w) => Array.from(w.data as Float32Array)))).toEqual(a.layers.map((l) => l.weights.map((w) => Array.from(w.data as Float32Array))))
  })

  it('writes the layout the output name asks for; a --layout that disagrees is refused (exit 2), nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-npz-'))
    const npz = join(dir, 'w.npz')
    const h5 = join(dir, 'init.h5')
    expect(kmodel(['save-weights', fixture('mlp-tfkeras212.json'), h5]).code).toBe(0)
    expect(kmodel(['weights', 'export', fixture('mlp-tfkeras212.json'), '--weights', h5, '-o', npz]).code).toBe(0)
    const k3 = kmodel(['weights', 'import', fixture('mlp-tfkeras212.json'), npz, '-o', join(dir, 'w.weights.h5'), '--json'])
    expect(k3.code, k3.stderr).toBe(0)
    expect(k3.json?.result).toMatchObject({layout: 'keras3'})
    expect((await readWeights(join(dir, 'w.weights.h5'))).layout).toBe('keras3')
    const wrong = kmodel(['weights', 'import', fixture('mlp-tfkeras212.json'), npz, '-o', join(dir, 'x.h5'), '--layout', 'keras3'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/^Error: --layout keras3 disagrees with the name .*x\.h5, which Keras reads as the keras2 layout\. \(KM_USAGE_LAYOUT_EXTENSION\)/)
    const model = kmodel(['weights', 'import', fixture('mlp-tfkeras212.json'), npz, '-o', join(dir, 'm.keras')])
    expect(model.code).toBe(2)
    expect(readdirSync(dir).sort()).toEqual(['init.h5', 'w.npz', 'w.weights.h5'])
  })

  it('refuses a list of the wrong length or shape, as set_weights does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-npz-'))
    const npz = join(dir, 'bad.npz')
    spawnSync(PYTHON, ['-c', `import numpy as np; np.savez('${npz}', np.zeros((4, 4), 'float32'))`])
    const run = kmodel(['weights', 'import', fixture('mlp-tfkeras212.json'), npz, '-o', join(dir, 'x.h5')])
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('set_weights got a list of 1 arrays, but the model expects 6.')
    spawnSync(PYTHON, ['-c', `import numpy as np; np.savez('${npz}', *[np.zeros(s, 'float32') for s in [(784, 256), (256,), (256, 128), (128,), (128, 10), (11,)]])`])
    const shape = kmodel(['weights', 'import', fixture('mlp-tfkeras212.json'), npz, '-o', join(dir, 'x.h5')])
    expect(shape.code).toBe(5)
    expect(shape.stderr).toContain("Array #5 (arr_5) has shape (11,), but weight 'dense_2/bias' expects (10,).")
  })
})

/** h5py's view of a legacy weights group: layer_names order, then each layer's weight_names, as NumPy arrays. */
const H5PY_ORDER = `
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
g = f['model_weights'] if 'model_weights' in f else f
want = [g[n][w][()] for n in [x.decode() if isinstance(x, bytes) else x for x in g.attrs['layer_names']]
        for w in [x.decode() if isinstance(x, bytes) else x for x in g[n].attrs.get('weight_names', [])]]
d = np.load(sys.argv[2])
got = [d['arr_%d' % i] for i in range(len(d.files))]
assert len(got) == len(want), (len(got), len(want))
bad = [i for i, (a, b) in enumerate(zip(got, want)) if a.shape != b.shape or not np.array_equal(a, b)]
print('ok' if not bad else 'differ at %s' % bad)
`

describe.skipIf(!HAVE_NUMPY || !HAVE_INTEROP)('kmodel weights export: standalone Keras 2.1.3 and tf.keras 2.10 are layer by layer', () => {
  it.each([
    ['dl4j-bn-conv2d-k1-k2/batch_to_conv2d_tensorflow_2.h5', null, 'layers'],
    ['eyes-bn-sepconv-json-k210/model_architecture.json', 'fresh', 'keras3'],
  ] as const)('%s: the .npz follows layer_names, then each weight_names (BatchNormalization statistics in place)', (name, weights, order) => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-npz-'))
    const model = join(INTEROP, name)
    let source = model
    if (weights === 'fresh') {
      source = join(dir, 'fresh.h5')
      expect(kmodel(['save-weights', model, source, '--seed', '5']).code).toBe(0)
    }
    const npz = join(dir, 'w.npz')
    const run = kmodel(['weights', 'export', model, '--weights', source, '-o', npz, '--json'])
    expect(run.stderr).toBe('')
    expect((run.json?.result as {order: string}).order).toBe(order)
    const arrays = (run.json?.result as {arrays: Array<{weight: string}>}).arrays.map((a) => a.weight)
    const mean = arrays.findIndex((w) => w.endsWith('moving_mean'))
    expect(mean).toBeGreaterThan(0)
    expect(arrays.length).toBeGreaterThan(mean + 2)
    const py = spawnSync(PYTHON, ['-c', H5PY_ORDER, source, npz], {encoding: 'utf8'})
    expect(py.stderr).toBe('')
    expect(py.stdout.trim()).toBe('ok')
  })
})

const ORACLE = oraclePython()
if (ORACLE === null) announceSkip('weights export/import order against live Keras', 'no oracle venv (scripts/oracle-venv.sh makes one)')

/**
 * tf-keras: a nested model whose inner BatchNormalization precedes a Dense (trainable-first and layer-by-layer
 * orders differ inside it). Keras 3: the same layers unnested (kmodel does not yet load a Keras 3 nested model
 * whose non-trainable weights come before trainable ones).
 */
const NESTED_BN = `
import os, sys
if sys.argv[1] == 'tf-keras':
    os.environ['TF_USE_LEGACY_KERAS'] = '1'
    import tf_keras as keras
else:
    import keras
import numpy as np
out = sys.argv[2]
x = keras.Input((4,))
if sys.argv[1] == 'tf-keras':
    inner = keras.Sequential([keras.Input((4,)), keras.layers.BatchNormalization(), keras.layers.Dense(3)], name='inner')
    h = inner(x)
else:
    h = keras.layers.Dense(3)(keras.layers.BatchNormalization()(x))
m = keras.Model(x, keras.layers.Dense(2)(keras.layers.BatchNormalization()(h)))
rng = np.random.default_rng(0)
m.set_weights([rng.standard_normal(w.shape).astype('float32') for w in m.get_weights()])
m.save(os.path.join(out, 'm.keras' if sys.argv[1] == 'keras3' else 'm.h5'))
np.savez(os.path.join(out, 'keras.npz'), *m.get_weights())
`

const CHECK_IMPORT = `
import os, sys
if sys.argv[1] == 'tf-keras':
    os.environ['TF_USE_LEGACY_KERAS'] = '1'
    import tf_keras as keras
else:
    import keras
import numpy as np
m = keras.models.load_model(sys.argv[2], compile=False)
m.load_weights(sys.argv[3])
d = np.load(sys.argv[4])
want = [d['arr_%d' % i] for i in range(len(d.files))]
got = m.get_weights()
print('ok' if len(got) == len(want) and all(np.array_equal(a, b) for a, b in zip(got, want)) else 'differ')
`

describe.skipIf(ORACLE === null)('kmodel weights export / import: get_weights() order as live Keras gives it', () => {
  it.each([['tf-keras', 'm.h5', 'keras2'], ['keras3', 'm.keras', 'keras3']] as const)('%s: a model with BatchNormalization before a Dense', (generation, file, layout) => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-npz-'))
    const made = spawnSync(ORACLE as string, ['-c', NESTED_BN, generation, dir], {encoding: 'utf8'})
    expect(made.status, made.stderr).toBe(0)
    const model = join(dir, file)
    const npz = join(dir, 'kmodel.npz')
    const run = kmodel(['weights', 'export', model, '-o', npz, '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect((run.json?.result as {order: string}).order).toBe('keras3')
    const same = spawnSync(PYTHON, ['-c', `import numpy as np; a = np.load('${npz}'); b = np.load('${join(dir, 'keras.npz')}'); print(len(a.files) == len(b.files) and all(np.array_equal(a['arr_%d' % i], b['arr_%d' % i]) for i in range(len(b.files))))`], {encoding: 'utf8'})
    expect(same.stdout.trim()).toBe('True')
    const weights = join(dir, layout === 'keras3' ? 'back.weights.h5' : 'back.h5')
    expect(kmodel(['weights', 'import', model, join(dir, 'keras.npz'), '-o', weights, '--layout', layout]).code).toBe(0)
    const check = spawnSync(ORACLE as string, ['-c', CHECK_IMPORT, generation, model, weights, join(dir, 'keras.npz')], {encoding: 'utf8'})
    expect(check.stdout.trim(), check.stderr).toBe('ok')
  })
})
