/**
 * Test support for readWeights: builds Keras-layout weights files with test/helpers/make_weights_h5.py
 * (Debian python3-h5py) in a fresh tmpdir. Skipping when h5py is missing is announced by test/unit/io/h5py.ts.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export {hasH5py} from '../unit/io/h5py.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'make_weights_h5.py')

/** Writes every make_weights_h5.py file into a new tmpdir; returns the dir, a path helper and a cleanup. */
export function makeWeightsFiles(): {dir: string; file: (name: string) => string; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), 'kmodel-weights-test-'))
  const run = spawnSync(PYTHON, [SCRIPT, dir], {encoding: 'utf8'})
  if (run.status !== 0) throw new Error(`make_weights_h5.py failed (${run.status}): ${run.stderr}`)
  return {dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, {recursive: true, force: true})}
}
