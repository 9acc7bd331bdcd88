/**
 * Fuzz (b): small full-model HDF5 files (written once per run by test/helpers/make_h5.py with h5py) with bytes
 * flipped, overwritten, inserted, deleted and truncated — mostly in the first 4 KiB, where the superblock,
 * the root object header and its attributes (model_config) live. Skipped loudly without h5py.
 */
import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {h5wasmInstances} from '../../src/core/io/hdf5-module.js'
import {hasH5py, makeH5Files} from '../unit/io/h5py.js'
import {applyByteEdits, byteEditArb} from './support/bytes.js'
import {OutcomeTally, checkCase, fuzzParameters, runsFor} from './support/property.js'

/** The full-model layouts make_h5.py writes (each a few KiB to 18 KiB). */
const FILES = ['full-vlen.h5', 'full-fixed.h5', 'full-keras1.h5', 'full-chunked.h5', 'full-nan.h5', 'full-userblock.h5', 'full-kerasmodel.h5']
const RUNS = runsFor(0.13)

describe.skipIf(!hasH5py)('fuzz: mutated HDF5 full-model files', () => {
  let originals: Array<{name: string; bytes: Uint8Array}> = []
  let cleanup = (): void => {}

  beforeAll(async () => {
    const made = makeH5Files()
    cleanup = made.cleanup
    originals = FILES.map((name) => ({name, bytes: new Uint8Array(readFileSync(made.file(name)))}))
    const first = originals[0]
    if (first !== undefined) await checkCase(first) // loads h5wasm once, so the 5 s limit times cases, not the load
  })
  afterAll(() => cleanup())

  it(`survives ${RUNS} byte-edited .h5 files`, {timeout: Math.max(60_000, RUNS * 60)}, async () => {
    const tally = new OutcomeTally()
    const property = fc.asyncProperty(fc.nat({max: FILES.length - 1}), fc.array(byteEditArb, {minLength: 1, maxLength: 4}), async (which, edits) => {
      const original = originals[which]
      if (original === undefined) return
      await checkCase({bytes: applyByteEdits(original.bytes, edits, 4096), name: `${original.name}~bytes`}, tally)
    })
    await fc.assert(property, fuzzParameters(RUNS, 4))
    console.info(`fuzz h5 bytes: ${tally}; h5wasm instances so far: ${h5wasmInstances()}`)
    expect(tally.total).toBeGreaterThanOrEqual(RUNS)
    // Each instance keeps its memory (up to 2 GiB) until exit: corrupt files must not multiply them. Staging
    // dodges the inodes failed reads left open, and failed string reads no longer abort (hdf5-module.ts).
    expect(h5wasmInstances()).toBeLessThanOrEqual(1 + Math.floor(RUNS / 2000))
  })

  it('still reads every intact file afterwards (a corrupt file never poisons h5wasm)', async () => {
    for (const original of originals) {
      const outcome = await checkCase({bytes: original.bytes, name: original.name})
      expect(outcome.kind === 'ok' ? 'ok' : `${outcome.code}: ${outcome.message}`).toBe('ok')
    }
  })
})
