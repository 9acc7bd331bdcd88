/**
 * The acceptance test of reading: every architecture file real Keras wrote in ../shared/interop is read,
 * validated (custom layers as warnings only) and survives to-json / to-yaml round trips unchanged.
 */
import {describe, expect, it} from 'vitest'
import {checkModelFile} from '../../src/core/check.js'
import {readModel} from '../../src/core/read.js'
import {architectureFiles} from '../helpers/interop.js'
import {HAVE_INTEROP, announceSkip} from '../helpers/paths.js'
import {reread} from '../helpers/roundtrip.js'

if (!HAVE_INTEROP) announceSkip('interop reading suite', '../shared/interop is absent (CI has it)')
const rows = HAVE_INTEROP ? architectureFiles() : []

describe.skipIf(!HAVE_INTEROP)('interop: every architecture file', () => {
  it('finds the architecture files of the corpus', () => {
    expect(rows.length).toBeGreaterThanOrEqual(45)
  })

  it.each(rows.map((r) => [`${r.entry}/${r.file}`, r] as const))('%s reads, validates and round-trips', async (_name, row) => {
    const read = await readModel(row.path)
    expect(read.model.root.graph.layers.length).toBeGreaterThan(0)
    const expectedVersion = /^\d/.test(row.keras_version) ? row.keras_version : null
    if (expectedVersion !== null && read.format !== 'keras-zip') expect(read.model.keras_version).toBe(expectedVersion)
    const check = await checkModelFile(row.path)
    expect(check.errors).toEqual([])
    expect(check.valid).toBe(true)
    const custom = check.warnings.filter((w) => w.message.startsWith('Unknown layer class'))
    expect(custom.length).toBe(row.entry === 'dec-custom-layer-json' ? 1 : 0)
    // to_json() carries the architecture, not training_config nor a .keras zip's metadata.json version.
    const canonical = (m: typeof read.model) => ({dialect: m.dialect, root: m.root})
    expect(canonical((await reread(read.model, 'json')).model)).toEqual(canonical(read.model))
    expect(canonical((await reread(read.model, 'yaml')).model)).toEqual(canonical(read.model))
  })
})
