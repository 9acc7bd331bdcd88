/**
 * Fuzz (a): real configs, structurally mutated — keys deleted, types swapped, numbers made negative, huge,
 * NaN or above 2^53, layers duplicated, dropped and renamed, inbound references rewired, node indices moved —
 * then written as JSON or YAML and fed to readModel + summarize. See support/property.ts for the contract.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {applyMutations, mutationArb} from './support/mutate.js'
import {OutcomeTally, checkCase, fuzzParameters, runsFor, utf8} from './support/property.js'
import {seeds} from './support/seeds.js'
import {layoutArb, serialize} from './support/serialize.js'

/** This property's share of KMODEL_FUZZ_RUNS. */
const SHARE = 0.45
const RUNS = runsFor(SHARE)

describe('fuzz: mutated configs', () => {
  const all = seeds()

  it(`readModel + summarize accept or refuse ${RUNS} mutated configs with a KmodelError`, {timeout: Math.max(60_000, RUNS * 30)}, async () => {
    expect(all.length).toBeGreaterThan(0)
    const tally = new OutcomeTally()
    const property = fc.asyncProperty(
      fc.nat({max: all.length - 1}), fc.array(mutationArb, {minLength: 1, maxLength: 6}), layoutArb,
      async (which, mutations, layout) => {
        const seed = all[which]
        if (seed === undefined) return
        const text = serialize(applyMutations(seed.doc, mutations), layout)
        await checkCase({bytes: utf8(text), name: `${seed.name}~${layout}`}, tally)
      },
    )
    await fc.assert(property, fuzzParameters(RUNS, 1))
    console.info(`fuzz configs (${all.length} seeds): ${tally}`)
    expect(tally.total).toBeGreaterThanOrEqual(RUNS)
  })
})
