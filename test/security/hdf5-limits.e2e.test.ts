/**
 * HDF5 weights files made to exhaust a reader (issue #13), through the built CLI (`npm run build` first):
 * a dataset declaring 1 GiB it never stored (fill value only, and the wrong shape), and hard links that make
 * the file's groups a cycle. Each is refused with exit 4, one error line + Hint, quickly and without a stack
 * trace. Files are made by make_hdf5_limits.py with h5py (Debian /usr/bin/python3); skipped loudly without it.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type CliRun, kmodel} from '../helpers/cli.js'
import {announceSkip} from '../helpers/paths.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_H5PY = spawnSync(PYTHON, ['-c', 'import h5py'], {encoding: 'utf8'}).status === 0
if (!HAVE_H5PY) announceSkip('HDF5 exhaustion corpus (test/security/hdf5-limits)', `${PYTHON} cannot import h5py`)

let dir: string
const MODEL = {
  class_name: 'Sequential', keras_version: '2.15.0', backend: 'tensorflow',
  config: {name: 'sequential', layers: [{class_name: 'Dense', config: {name: 'dense', units: 2, batch_input_shape: [null, 3]}}]},
}

function expectRefusal(run: CliRun, message: RegExp): void {
  expect(run.code, run.stderr).toBe(4)
  const lines = run.stderr.trim().split('\n')
  expect(lines).toHaveLength(2)
  expect(lines[0]).toMatch(message)
  expect(lines[1]).toMatch(/^Hint: /)
  expect(run.stderr).not.toMatch(/\n\s+at |Maximum call stack|out of memory/)
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmodel-h5limits-'))
  writeFileSync(join(dir, 'model.json'), JSON.stringify(MODEL))
  if (!HAVE_H5PY) return
  const made = spawnSync(PYTHON, [join(dirname(fileURLToPath(import.meta.url)), 'make_hdf5_limits.py'), dir], {encoding: 'utf8'})
  if (made.status !== 0) throw new Error(`make_hdf5_limits.py failed: ${made.stderr}`)
})

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
})

describe.skipIf(!HAVE_H5PY)('HDF5 files made to exhaust the reader', () => {
  it('refuses a 1 GiB dataset that stores nothing (fill value only) before reading it', () => {
    for (const args of [['load-weights', join(dir, 'model.json'), join(dir, 'fill.h5')], ['summary', join(dir, 'model.json'), '--weights', join(dir, 'fill.h5')]]) {
      const started = Date.now()
      expectRefusal(kmodel(args), /dataset '\/dense\/dense\/kernel:0' declares 16384×16384 float32 \(1,073,741,824 bytes\), more than the [\d,]+-byte file can store.*KM_FORMAT_HDF5_UNSTORED/)
      expect(Date.now() - started).toBeLessThan(30_000) // reading 1 GiB of fill took far longer; a hang would time out
    }
  }, 90_000)

  it('refuses a Keras 3 weights file whose groups link back to their ancestors, instead of walking for ever', () => {
    for (const file of ['cycle3.weights.h5', 'alias3.weights.h5']) {
      expectRefusal(kmodel(['load-weights', join(dir, 'model.json'), join(dir, file)]), /'\/layers\/dense\/back' is a second hard link to a group that is already in the file.*KM_FORMAT_HDF5_LINK/)
    }
  }, 90_000)
})
