/**
 * The fuzz runs (issue #17 §4): seeded random valid models (gen/fuzz.ts), one driver run per generation
 * answering everything at once — build, to_json, summary and parameter counts, randomized weights, outputs —
 * and one check per case combining compute and summary, the message naming which failed. Live: 1000 cases
 * (KMODEL_ORACLE_FUZZ), the first 100 against the committed fixture; offline: those 100.
 *
 * A NEW disagreement (no row in KNOWN-DIFFERENCES.md / known-fuzz.md) is shrunk afterwards to the smallest
 * model that still shows it (shrink.ts), printed as a model spec. KMODEL_ORACLE_SHRINK=0 turns that off,
 * =all shrinks known disagreements too.
 */
import {inflateSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {type ComputeAnswer, computeDifference} from './checks/compute.js'
import {summaryDifference} from './checks/summary.js'
import {FUZZ_FIXTURE_CASES, type FuzzCase, fuzzCases} from './gen/fuzz.js'
import {LEFT_OUT} from './gen/fuzz-layers.js'
import {GENERATIONS, type Generation, knownDifference, knownDifferences, type OracleResult, oraclePython} from './harness.js'
import {formatShrunk, shrinkAll} from './shrink.js'
import {defineOracleSuite} from './suite.js'

/** What test/oracle/py/suites/fuzz.py answers (texts as zlib in base64: `_z`). */
interface FuzzAnswer extends OracleResult {
  build: 'ok' | 'error'
  call?: 'error'
  error?: {type: string; message: string}
  model_json_z?: string
  summary?: {text_z: string; total: number; trainable: number; non_trainable: number}
  weights?: NonNullable<ComputeAnswer['weights']>
  inputs?: NonNullable<ComputeAnswer['inputs']>
  outputs?: NonNullable<ComputeAnswer['outputs']>
}

const unpack = (z: string | undefined): string => (z === undefined ? '' : inflateSync(Buffer.from(z, 'base64')).toString('utf8'))

/** Null when kmodel agrees with Keras on every check; else `check: difference` for each that failed. */
async function fuzzDifference(c: FuzzCase, keras: FuzzAnswer, generation: Generation, version: string): Promise<string | null> {
  const {model_json_z: packed, summary, ...rest} = keras
  const modelJson = unpack(packed)
  const compute = await computeDifference({...rest, model_json: modelJson}, generation, version)
  if (keras.build === 'error' || keras.call === 'error') return `compute: ${compute ?? 'Keras refused the case'}`
  const parts = compute === null ? [] : [`compute: ${compute}`]
  if (summary !== undefined) {
    const text = await summaryDifference(modelJson, {...summary, text: unpack(summary.text_z)}, generation, c.summary)
    if (text !== null) parts.push(`summary: ${text}`)
  }
  return parts.length === 0 ? null : parts.join('; ')
}

const found: Record<Generation, Array<{c: FuzzCase; difference: string}>> = {keras3: [], keras2: []}
const versions: Record<Generation, string> = {keras3: '', keras2: ''}

defineOracleSuite<FuzzCase, FuzzAnswer>({
  suite: 'fuzz',
  module: 'fuzz',
  fixtureCases: FUZZ_FIXTURE_CASES,
  cases: (generation) => fuzzCases(generation),
  check: async (c, keras, {generation, answers}) => {
    versions[generation] = answers.versions?.generation_keras ?? ''
    const difference = await fuzzDifference(c, keras, generation, versions[generation])
    const shrink = process.env.KMODEL_ORACLE_SHRINK ?? 'new'
    const wanted = shrink === 'all' || (shrink !== '0' && knownDifference('fuzz', generation, c.id) === undefined)
    if (difference !== null && answers.live && wanted) found[generation].push({c, difference})
    return difference
  },
})

describe('oracle fuzz: the values left out of the pool', () => {
  it('each is still a compute row of KNOWN-DIFFERENCES.md', () => {
    for (const left of LEFT_OUT) {
      const row = knownDifferences().find((r) => r.suite === 'compute' && (r.generation === left.generation || r.generation === '*') && r.case === left.computeRow)
      expect(row, `the compute row ${left.computeRow} is gone: put ${left.activation} back into the fuzz pool (gen/fuzz-layers.ts LEFT_OUT)`).toBeDefined()
    }
  })
})

describe('oracle fuzz: the smallest models that still disagree', () => {
  it.each(GENERATIONS)('%s', async (generation) => {
    const python = oraclePython()
    if (python === null || found[generation].length === 0) return
    const shrunk = await shrinkAll<FuzzAnswer>(python, 'fuzz', generation, found[generation], (c, keras) => fuzzDifference(c, keras, generation, versions[generation]))
    console.log(shrunk.map((s) => formatShrunk(s, generation)).join('\n\n'))
    expect(shrunk.length).toBeGreaterThan(0)
  }, 12 * 60_000)
})
