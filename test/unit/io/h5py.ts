/**
 * Test support: builds Keras-layout HDF5 files with test/helpers/make_h5.py (Debian python3-h5py) in a
 * fresh tmpdir. When h5py is missing, tests that need it are skipped with a loud warning.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** Debian's python3 with python3-h5py; KMODEL_TEST_PYTHON overrides it (e.g. to check the skip path). */
const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'helpers', 'make_h5.py')

/** True when /usr/bin/python3 can import h5py. */
export const hasH5py: boolean = spawnSync(PYTHON, ['-c', 'import h5py'], {stdio: 'ignore'}).status === 0

if (!hasH5py) {
  console.warn(`\n*** WARNING: ${PYTHON} with h5py is not available: HDF5 tests that build files with make_h5.py are SKIPPED. ***\n` +
    '*** Install Debian python3-h5py to run them. ***\n')
}

/** Writes every make_h5.py file into a new tmpdir; returns the dir and a cleanup function. */
export function makeH5Files(): {dir: string; file: (name: string) => string; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), 'kmodel-h5-'))
  const run = spawnSync(PYTHON, [SCRIPT, dir], {encoding: 'utf8'})
  if (run.status !== 0) throw new Error(`make_h5.py failed (${run.status}): ${run.stderr}`)
  return {dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, {recursive: true, force: true})}
}
