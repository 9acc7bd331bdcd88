/**
 * Every weights-bearing file of ../shared/interop loads into its architecture, by order and (where names
 * match) by name; the name-mismatched pairs load by order and report the renames by name. Legacy files
 * loaded and saved again (keras2 layout) are, read by h5py, the same file.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readModel} from '../../src/core/read.js'
import {loadInto, retarget} from '../../src/core/weights/load.js'
import {readWeights} from '../../src/core/weights/read.js'
import {saveForModel} from '../../src/core/weights/save.js'
import {type ManifestRow, architectureFiles, manifest} from '../helpers/interop.js'
import {HAVE_INTEROP, ROOT, announceSkip} from '../helpers/paths.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_H5PY = spawnSync(PYTHON, ['-c', 'import h5py'], {encoding: 'utf8'}).status === 0
if (!HAVE_INTEROP) announceSkip('interop weights loading suite', '../shared/interop is absent (CI has it)')
if (HAVE_INTEROP && !HAVE_H5PY) announceSkip('interop weights round trip (h5py)', `${PYTHON} cannot import h5py; install python3-h5py`)

/** Architecture × weights pairs of the same entry. */
function pairs(): Array<{arch: ManifestRow; weights: ManifestRow}> {
  const rows = manifest()
  const archs = architectureFiles()
  const weights = rows.filter((r) => r.weight_elements !== null && !r.file.endsWith('.bin'))
  return archs.flatMap((arch) => weights.filter((w) => w.entry === arch.entry).map((w) => ({arch, weights: w})))
}

/** Pairs whose layer names differ on purpose (interop README) or by Keras 3 design (no names before 3.6). */
// dl4j-bn-conv2d-k1-k2 pairs a Keras 1 and a Keras 2 file: Keras 2 renamed its default layer names.
const RENAMED = new Set(['asha-yaml-mlp', 'tfjs-digits-cnn-k212', 'bankchurn-k3-weights', 'dl4j-bn-conv2d-k1-k2'])
const NO_NAMES = new Set(['stock-lstm-k341', 'hitsong-keras214-v3format'])
const all = HAVE_INTEROP ? pairs() : []

describe.skipIf(!HAVE_INTEROP)('interop: weights load into their architectures', () => {
  it('finds the pairs', () => {
    expect(all.length).toBeGreaterThanOrEqual(40)
  })

  it.each(all.map((p) => [`${p.arch.entry}: ${p.arch.file} ← ${p.weights.file}`, p] as const))('%s', async (_n, {arch, weights}) => {
    const {model} = await readModel(arch.path)
    const file = await readWeights(weights.path)
    const byOrder = loadInto(model, file, {byName: false, skipMismatch: false})
    expect(byOrder.report.skipped).toEqual([])
    const loaded = byOrder.assignments.flatMap((a) => a.weights).reduce((n, w) => n + w.tensor.data.length, 0)
    expect(loaded).toBe(weights.weight_elements)
    if (NO_NAMES.has(arch.entry)) return
    const byName = loadInto(model, file, {byName: true, skipMismatch: false})
    const renamed = byOrder.report.matched.filter((m) => m.layer !== m.fileLayer)
    if (RENAMED.has(arch.entry) && renamed.length > 0) {
      expect(byName.report.skipped.map((s) => s.fileLayer ?? s.layer)).toEqual(expect.arrayContaining(renamed.map((m) => m.fileLayer)))
    } else {
      expect(renamed).toEqual([])
      expect(byName.report.skipped).toEqual([])
      expect(byName.report.matched).toEqual(byOrder.report.matched)
    }
  })
})

/**
 * Legacy save_weights files re-saved for their own architecture. Keras 1 files are left out: loading converts
 * them to Keras 2 arrays (as Keras 2 does), so they are saved in the Keras 2 form, not byte for byte.
 */
const LEGACY = all.filter((p) => p.weights.format_attrs.includes('layer_names') && p.arch.path !== p.weights.path &&
  !p.weights.file_notes.includes('full model') && /^2\./.test(p.weights.keras_version))
describe.skipIf(!HAVE_INTEROP || !HAVE_H5PY)('interop: load → save (keras2) gives back the file Keras wrote', () => {
  it.each(LEGACY.map((p) => [`${p.arch.entry}: ${p.weights.file}`, p] as const))('%s', async (_n, {arch, weights}) => {
    const {model} = await readModel(arch.path)
    const result = loadInto(model, await readWeights(weights.path), {byName: false, skipMismatch: false})
    const out = join(mkdtempSync(join(tmpdir(), 'kmodel-rt-')), 'out.h5')
    await saveForModel(out, retarget(result, model), model, 'keras2', false)
    expect(existsSync(out)).toBe(true)
    if (result.report.matched.some((m) => m.layer !== m.fileLayer)) return // renamed: see the retargeting test
    const args = [join(ROOT, 'test', 'helpers', 'h5compare.py'), weights.path, out]
    const run = spawnSync(PYTHON, args, {encoding: 'utf8'})
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout) as string[]).toEqual([])
    expect(spawnSync('h5dump', ['-H', out], {encoding: 'utf8'}).status ?? 0).toBe(0)
  })
})
