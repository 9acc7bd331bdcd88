/**
 * Fuzz (b): `.keras` zips — built here with fflate from the fixtures' configs (plus the real .keras files of
 * ../shared/interop when present) — with flipped, overwritten, inserted and deleted bytes, and with their
 * members mutated: config.json structurally mutated, metadata.json replaced, members renamed or dropped,
 * stored instead of deflated.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {type Zippable, strToU8, zipSync} from 'fflate'
import {describe, expect, it} from 'vitest'
import {stringifyPythonJson} from '../../src/core/formats/python-json.js'
import type {Json} from '../../src/core/json.js'
import {architectureFiles} from '../helpers/interop.js'
import {HAVE_INTEROP, announceSkip} from '../helpers/paths.js'
import {applyByteEdits, byteEditArb} from './support/bytes.js'
import {applyMutations, mutationArb, restoreRawTokens} from './support/mutate.js'
import {OutcomeTally, checkCase, fuzzParameters, runsFor} from './support/property.js'
import {seeds} from './support/seeds.js'

const BYTE_RUNS = runsFor(0.06)
const MEMBER_RUNS = runsFor(0.06)

/** A `.keras` zip of `config` with Keras 3's metadata.json and a stand-in weights member. */
function kerasZip(config: string, options: {metadata?: string; configName?: string; level?: 0 | 6} = {}): Uint8Array {
  const files: Zippable = {
    'metadata.json': strToU8(options.metadata ?? '{"keras_version": "3.4.1", "date_saved": "2024-07-01@12:00:00"}'),
    [options.configName ?? 'config.json']: strToU8(config),
    'model.weights.h5': new Uint8Array(64),
  }
  return zipSync(files, {level: options.level ?? 6, mtime: new Date('2024-07-01T12:00:00Z')})
}

/** Zips built from every seed, plus the interop corpus' real .keras files (≤ 64 KiB). */
function zipSeeds(): Array<{name: string; bytes: Uint8Array}> {
  const built = seeds().map((s) => ({name: `${s.name}.keras`, bytes: kerasZip(stringifyPythonJson(s.doc, null))}))
  if (!HAVE_INTEROP) {
    announceSkip('fuzzing real .keras files', '../shared/interop is absent; fuzzing zips built from fixtures only')
    return built
  }
  const real = architectureFiles().filter((r) => r.file.endsWith('.keras')).map((r) => ({name: `interop/${r.entry}/${r.file}`, bytes: new Uint8Array(readFileSync(r.path))}))
  return [...built, ...real.filter((r) => r.bytes.length <= 64 * 1024)]
}

const METADATA: readonly string[] = ['{}', '[]', 'null', '{"keras_version": 3}', '{"keras_version": "3.4.1"', 'not json', '', '\u00ff\u00fe']
const CONFIG_NAMES: readonly string[] = ['config.json', 'config.json', 'config.json', 'Config.json', 'dir/config.json', '../config.json', '']

describe('fuzz: mutated .keras zips', () => {
  const zips = zipSeeds()
  const all = seeds()

  it(`survives ${BYTE_RUNS} byte-edited .keras zips`, {timeout: Math.max(60_000, BYTE_RUNS * 40)}, async () => {
    const tally = new OutcomeTally()
    const property = fc.asyncProperty(fc.nat({max: zips.length - 1}), fc.array(byteEditArb, {minLength: 1, maxLength: 4}), async (which, edits) => {
      const zip = zips[which]
      if (zip === undefined) return
      await checkCase({bytes: applyByteEdits(zip.bytes, edits, 256), name: `${zip.name}~bytes`}, tally)
    })
    await fc.assert(property, fuzzParameters(BYTE_RUNS, 5))
    console.info(`fuzz .keras bytes (${zips.length} zips): ${tally}`)
    expect(tally.total).toBeGreaterThanOrEqual(BYTE_RUNS)
  })

  it(`survives ${MEMBER_RUNS} .keras zips with mutated members`, {timeout: Math.max(60_000, MEMBER_RUNS * 40)}, async () => {
    const tally = new OutcomeTally()
    const property = fc.asyncProperty(
      fc.nat({max: all.length - 1}), fc.array(mutationArb, {maxLength: 4}), fc.option(fc.constantFrom(...METADATA)),
      fc.constantFrom(...CONFIG_NAMES), fc.constantFrom(0 as const, 6 as const),
      async (which, mutations, metadata, configName, level) => {
        const seed = all[which]
        if (seed === undefined) return
        const config = restoreRawTokens(stringifyPythonJson(applyMutations(seed.doc, mutations) as Json, null))
        const bytes = kerasZip(config, {configName, level, ...(metadata === null ? {} : {metadata})})
        await checkCase({bytes, name: `${seed.name}~member.keras`}, tally)
      },
    )
    await fc.assert(property, fuzzParameters(MEMBER_RUNS, 6))
    console.info(`fuzz .keras members: ${tally}`)
    expect(tally.total).toBeGreaterThanOrEqual(MEMBER_RUNS)
  })
})
