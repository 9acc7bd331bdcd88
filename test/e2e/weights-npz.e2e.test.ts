import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readWeights} from '../../src/core/weights/read.js'
import {kmodel} from '../helpers/cli.js'
import {announceSkip, fixture} from '../helpers/paths.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_NUMPY = spawnSync(PYTHON, ['-c', 'import numpy'], {encoding: 'utf8'}).status === 0
if (!HAVE_NUMPY) announceSkip('weights export/import with NumPy', `${PYTHON} cannot import numpy; install python3-numpy`)

describe.skipIf(!HAVE_NUMPY)('kmodel weights export / import', () => {
  it('exports get_weights() in Keras 2 order (trainable first) as np.savez does, and imports it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-npz-'))
    const h5 = join(dir, 'w.h5')
    expect(kmodel(['save-weights', fixture('nested-tfkeras212.json'), h5, '--seed', '3']).code).toBe(0)
    const npz = join(dir, 'w.npz')
    const out = kmodel(['weights', 'export', fixture('nested-tfkeras212.json'), '--weights', h5, '-o', npz, '--json'])
    expect(out.code).toBe(0)
    const arrays = (out.json?.result as {arrays: Array<{key: string; weight: string; shape: number[]}>}).arrays
    expect(arrays.map((a) => a.weight)).toEqual([
      'encoder/enc_1/kernel', 'encoder/enc_1/bias', 'encoder/enc_bn/gamma', 'encoder/enc_bn/beta', 'head/head_dense/kernel', 'head/head_dense/bias',
      'encoder/enc_bn/moving_mean', 'encoder/enc_bn/moving_variance',
    ])
    const py = spawnSync(PYTHON, ['-c', `import numpy as np; d = np.load('${npz}'); print([d['arr_%d' % i].shape for i in range(len(d.files))])`], {encoding: 'utf8'})
    expect(py.stdout.trim()).toBe('[(32, 16), (16,), (16,), (16,), (16, 3), (3,), (16,), (16,)]')
    const back = join(dir, 'back.h5')
    expect(kmodel(['weights', 'import', fixture('nested-tfkeras212.json'), npz, '-o', back]).code).toBe(0)
    const a = await readWeights(h5)
    const b = await readWeights(back)
    expect(b.layers.map((l) => l.weights.map((w) => Array.from(w.data as Float32Array)))).toEqual(a.layers.map((l) => l.weights.map((w) => Array.from(w.data as Float32Array))))
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
