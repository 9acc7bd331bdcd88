/**
 * The shape every differential suite has: Keras answers the generated cases (live or committed), kmodel is
 * checked case by case, and the known-differences table is held to what was found. A suite file only
 * generates its cases and says, per case, where kmodel differs from Keras (`check` → a sentence, or null).
 */
import {appendFileSync} from 'node:fs'
import {beforeAll, describe, expect, it} from 'vitest'
import {
  type AnswerOptions, type Answers, GENERATIONS, type Generation, knownDifference, type OracleCase, type OracleResult,
  oracleAnswers, reportSuite, unusedKnownRows,
} from './harness.js'

/** One suite's definition. */
export interface SuiteDefinition<C extends OracleCase, R extends OracleResult> extends AnswerOptions {
  /** The suite's name: fixtures/<suite>.<generation>.json and the `suite` column of KNOWN-DIFFERENCES.md. */
  suite: string
  /** Which generations it runs (default both). */
  generations?: readonly Generation[]
  /** The cases for a generation (deterministic: seeded). */
  cases: (generation: Generation) => C[]
  /** Where kmodel's answer differs from Keras's for this case, or null when they agree. */
  check: (c: C, keras: R, context: {generation: Generation; answers: Answers<R>}) => Promise<string | null>
}

/** Declares the suite's vitest blocks: one test per case, then the fixture and table checks. */
export function defineOracleSuite<C extends OracleCase, R extends OracleResult>(def: SuiteDefinition<C, R>): void {
  describe.each(def.generations ?? GENERATIONS)(`oracle ${def.suite} (%s)`, (generation) => {
    const all = def.cases(generation)
    const disagreements = new Map<string, string>()
    let answers: Answers<R> = {live: false, versions: null, results: [], stale: ['the oracle did not run']}
    const byId = new Map<string, R>()
    beforeAll(() => {
      answers = oracleAnswers<C, R>(def.suite, generation, all, def)
      for (const r of answers.results) byId.set(r.id, r)
    }, 40 * 60_000)

    it('the committed Keras answers are current', () => {
      expect(answers.stale, 'regenerate: KMODEL_ORACLE_UPDATE=1 npx vitest run test/oracle (then review the diff)').toEqual([])
    })

    it.each(all.map((c) => [c.id, c] as const))('%s', async (id, c) => {
      const keras = byId.get(id)
      if (keras === undefined) return // not committed (fixtureCases) and no live oracle: nothing to hold kmodel to
      const difference = keras.driver_error === undefined
        ? await def.check(c, keras, {generation, answers})
        : `the Keras driver failed: ${keras.driver_error.type}: ${keras.driver_error.message}`
      if (difference !== null) disagreements.set(id, difference)
      // KMODEL_ORACLE_DUMP=file: every disagreement as a JSON line, for triage (which rows a fix removes).
      if (difference !== null && process.env.KMODEL_ORACLE_DUMP) appendFileSync(process.env.KMODEL_ORACLE_DUMP, `${JSON.stringify({suite: def.suite, generation, id, difference})}\n`)
      const known = knownDifference(def.suite, generation, id)
      if (known === undefined) expect(difference, `kmodel differs from Keras ${generation}`).toBeNull()
      else expect(difference, `a known difference (${known.case}) no longer differs: remove its row from KNOWN-DIFFERENCES.md`).not.toBeNull()
    })

    it('every row of KNOWN-DIFFERENCES.md for this suite still applies', () => {
      reportSuite(def.suite, generation, answers, disagreements)
      const answered = all.filter((c) => byId.has(c.id)).map((c) => c.id)
      // With only part of the cases answered (fixtureCases offline), a row may cover cases not run here.
      if (answered.length < all.length) return
      expect(unusedKnownRows(def.suite, generation, [...disagreements.keys()]).map((r) => `${r.generation} ${r.case}`)).toEqual([])
    })
  })
}
