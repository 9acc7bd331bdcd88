/**
 * The fuzz contract, shared by every property in test/fuzz: feeding any bytes to `readModel` (and, when it
 * resolves, the model to `summarize`) either succeeds or fails with a KmodelError — never another exception
 * type, never an InternalError (that class means "a bug in kmodel"), never a hang. Each case is timed: one
 * slower than CASE_LIMIT_MS fails the property, and a promise that never settles is cut off at that limit.
 *
 * Sizes and seeds: KMODEL_FUZZ_RUNS is the total number of cases over all properties (default
 * DEFAULT_TOTAL_RUNS, the CI size); each property takes its share. KMODEL_FUZZ_SEED fixes the seed
 * (default DEFAULT_SEED), so a CI failure replays exactly; fast-check prints the seed and path of a failure.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {InternalError, KmodelError} from '../../../src/core/errors.js'
import {stringifyPythonJson} from '../../../src/core/formats/python-json.js'
import {dumpKerasYaml} from '../../../src/core/formats/yaml.js'
import {summarize} from '../../../src/core/graph/summarize.js'
import {convertModel} from '../../../src/core/model/dialect.js'
import {validateModel} from '../../../src/core/model/validate.js'
import {type ModelBytes, readModel} from '../../../src/core/read.js'

/** Cases across all properties in a CI run. */
export const DEFAULT_TOTAL_RUNS = 10_400

/** The seed of a CI run; any other run sets KMODEL_FUZZ_SEED. */
export const DEFAULT_SEED = 0x6b6d6f64

/** Longest one case may take (read + summarize), in milliseconds. */
export const CASE_LIMIT_MS = 5000

/** Parses a positive integer environment variable, or returns the fallback. */
function envInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, not '${raw}'.`)
  return value
}

/**
 * KMODEL_FUZZ_TRACE=DIR writes each case's bytes to DIR/current-case-<pid>.bin before running it, so the
 * input of a case that hangs synchronously (which no timer can interrupt) is left on disk.
 */
const TRACE_DIR = process.env.KMODEL_FUZZ_TRACE

/** Total cases of this run. */
export const TOTAL_RUNS = envInt('KMODEL_FUZZ_RUNS', DEFAULT_TOTAL_RUNS)

/** Seed of this run. */
export const SEED = envInt('KMODEL_FUZZ_SEED', DEFAULT_SEED)

/** The cases one property gets: `share` of the total (shares over all files add up to 1), at least 1. */
export function runsFor(share: number): number {
  return Math.max(1, Math.round(TOTAL_RUNS * share))
}

/** fast-check parameters for a property with `runs` cases; `salt` gives each property its own stream. */
export function fuzzParameters(runs: number, salt: number): {numRuns: number; seed: number} {
  return {numRuns: runs, seed: (SEED + salt) | 0}
}

/** How one case ended. */
export type Outcome = {kind: 'ok'; layers: number} | {kind: 'rejected'; code: string; message: string}

/** Counts of outcomes, printed after a property so a run shows what it exercised. */
export class OutcomeTally {
  private readonly counts = new Map<string, number>()
  slowest = 0

  add(outcome: Outcome, ms: number): void {
    const key = outcome.kind === 'ok' ? 'ok' : outcome.code
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    this.slowest = Math.max(this.slowest, ms)
  }

  /** `ok 1200, KM_FORMAT_JSON 800, …` sorted by count. */
  toString(): string {
    return [...this.counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') + ` · slowest ${this.slowest.toFixed(0)} ms`
  }

  /** Number of cases tallied. */
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0)
  }
}

/** Describes a thrown value for a failure message: class, code, message and the top of the stack. */
function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}: ${String(error)}`
  const code = error instanceof KmodelError ? ` (${error.code})` : ''
  const stack = (error.stack ?? '').split('\n').slice(1, 6).join('\n')
  return `${error.constructor.name}${code}: ${error.message}\n${stack}`
}

/** Rejects after `ms` so a promise that never settles cannot hang the suite. */
function deadline(ms: number): {promise: Promise<never>; cancel: () => void} {
  let timer: NodeJS.Timeout | undefined
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`case did not settle within ${ms} ms (hang)`)), ms)
  })
  return {promise, cancel: () => clearTimeout(timer)}
}

/**
 * readModel then summarize, as `kmodel summary` does; a model that reads is also validated (from-config) and
 * converted to both dialects and serialised (to-json / to-yaml), so the fuzz covers every command's core.
 */
async function readAndSummarize(input: ModelBytes): Promise<number> {
  const read = await readModel(input)
  const summary = summarize(read.model)
  validateModel(read.model)
  for (const dialect of ['keras2', 'keras3'] as const) {
    const {document} = convertModel(read.model, dialect)
    stringifyPythonJson(document, null)
    if (dialect === read.model.dialect) dumpKerasYaml(document)
  }
  return summary.rows.length
}

/**
 * Runs one case and checks the contract. Returns the outcome; throws (failing the fast-check property, which
 * then shrinks the input) for a non-Kmodel exception, an InternalError, a hang or a case over the time limit.
 */
export async function checkCase(input: ModelBytes, tally?: OutcomeTally): Promise<Outcome> {
  if (TRACE_DIR !== undefined) writeFileSync(join(TRACE_DIR, `current-case-${process.pid}.bin`), input.bytes)
  const started = performance.now()
  const limit = deadline(CASE_LIMIT_MS)
  let outcome: Outcome
  try {
    outcome = {kind: 'ok', layers: await Promise.race([readAndSummarize(input), limit.promise])}
  } catch (error) {
    if (!(error instanceof KmodelError) || error instanceof InternalError) {
      throw new Error(`${input.name} (${input.bytes.length} bytes) threw ${describeThrown(error)}`)
    }
    outcome = {kind: 'rejected', code: error.code, message: error.message}
  } finally {
    limit.cancel()
  }
  const ms = performance.now() - started
  if (ms > CASE_LIMIT_MS) throw new Error(`${input.name} (${input.bytes.length} bytes) took ${ms.toFixed(0)} ms, over the ${CASE_LIMIT_MS} ms limit`)
  tally?.add(outcome, ms)
  return outcome
}

/** Encodes text as UTF-8 bytes. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
