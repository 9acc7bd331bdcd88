/**
 * Fuzz (a), text level: the seed files' own bytes with bits flipped, bytes overwritten, inserted, deleted or
 * copied, and the text truncated at random offsets — what a bad download or a hand edit produces.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {applyByteEdits, byteEditArb} from './support/bytes.js'
import {OutcomeTally, checkCase, fuzzParameters, runsFor, utf8} from './support/property.js'
import {seeds} from './support/seeds.js'

const EDIT_RUNS = runsFor(0.2)
const TRUNCATE_RUNS = runsFor(0.1)

describe('fuzz: mutated config text', () => {
  const all = seeds()
  const seedArb = fc.nat({max: Math.max(0, all.length - 1)})

  it(`survives ${EDIT_RUNS} byte-edited config files`, {timeout: Math.max(60_000, EDIT_RUNS * 30)}, async () => {
    const tally = new OutcomeTally()
    const property = fc.asyncProperty(seedArb, fc.array(byteEditArb, {minLength: 1, maxLength: 5}), async (which, edits) => {
      const seed = all[which]
      if (seed === undefined) return
      await checkCase({bytes: applyByteEdits(utf8(seed.text), edits, 512), name: `${seed.name}~bytes`}, tally)
    })
    await fc.assert(property, fuzzParameters(EDIT_RUNS, 2))
    console.info(`fuzz config bytes: ${tally}`)
    expect(tally.total).toBeGreaterThanOrEqual(EDIT_RUNS)
  })

  it(`survives ${TRUNCATE_RUNS} config files truncated at random offsets`, {timeout: Math.max(60_000, TRUNCATE_RUNS * 30)}, async () => {
    const tally = new OutcomeTally()
    const property = fc.asyncProperty(seedArb, fc.nat(), async (which, offset) => {
      const seed = all[which]
      if (seed === undefined) return
      const bytes = utf8(seed.text)
      await checkCase({bytes: bytes.slice(0, offset % (bytes.length + 1)), name: `${seed.name}~truncated`}, tally)
    })
    await fc.assert(property, fuzzParameters(TRUNCATE_RUNS, 3))
    console.info(`fuzz config truncation: ${tally}`)
    expect(tally.total).toBeGreaterThanOrEqual(TRUNCATE_RUNS)
  })
})
