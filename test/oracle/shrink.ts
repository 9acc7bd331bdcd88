/**
 * Shrinking a fuzz disagreement to the smallest model that still shows it (issue #17 §4): greedy rounds over the
 * edits of gen/fuzz-shrink.ts, each round ONE driver call holding the candidates of every case being shrunk
 * (TensorFlow's import is the cost), then kmodel's check on each answer; a case keeps the smallest candidate
 * whose disagreement has the same kind as the original's. Bounded: a few cases, ~10 rounds, a deadline.
 */
import {type Generation, runDriver} from './harness.js'
import type {ModelSpecCase} from './gen/compute.js'
import type {FuzzCase} from './gen/fuzz.js'
import {candidates, layerCount, specSize} from './gen/fuzz-shrink.js'
import type {OracleResult} from './harness.js'

/** The bounds of one run's shrinking. */
export const SHRINK_LIMITS = {cases: 5, rounds: 10, candidatesPerCase: 60, deadlineMs: 5 * 60_000}

/** What a shrink found: the smallest spec that still disagrees, and how it disagrees. */
export interface Shrunk {
  id: string
  difference: string
  rounds: number
  layersBefore: number
  layers: number
  model: ModelSpecCase
}

/**
 * The kind of a disagreement, which a smaller model must keep: which check failed and how (kmodel refusing,
 * with its message stripped of names' counters and numbers; wrong values; wrong shapes; …).
 */
export function disagreementKind(difference: string): string {
  const first = difference.split('; ')[0] ?? ''
  const [check = '', rest = ''] = first.split(/: (.*)/s)
  if (/refused the case/.test(rest)) return `${check}: Keras refused`
  if (rest.startsWith('kmodel failed')) return `${check}: ${rest.replace(/[0-9]+/g, '#').replace(/'[^']*'/g, "'…'").slice(0, 120)}`
  if (check === 'compute') return `compute: ${/differs by/.test(rest) ? 'values' : /shape/.test(rest) ? 'shapes' : 'outputs'}`
  if (check === 'summary') return `summary: ${/counts|params_exact/.test(rest) && !/text:/.test(rest) ? 'counts' : 'text'}`
  return check
}

interface Progress {
  best: FuzzCase
  difference: string
  kind: string
  rounds: number
  done: boolean
  layersBefore: number
}

/**
 * Shrinks each disagreeing case (at most SHRINK_LIMITS.cases) with the driver at `python`; `check` is the
 * suite's per-case check (null: kmodel agrees with Keras on the candidate).
 */
export async function shrinkAll<R extends OracleResult>(
  python: string, module: string, generation: Generation, found: ReadonlyArray<{c: FuzzCase; difference: string}>,
  check: (c: FuzzCase, keras: R) => Promise<string | null>,
): Promise<Shrunk[]> {
  const started = Date.now()
  const work: Progress[] = found.slice(0, SHRINK_LIMITS.cases).map(({c, difference}) => ({
    best: c, difference, kind: disagreementKind(difference), rounds: 0, done: false, layersBefore: layerCount(c.model),
  }))
  for (let round = 1; round <= SHRINK_LIMITS.rounds && Date.now() - started < SHRINK_LIMITS.deadlineMs; round++) {
    const active = work.filter((w) => !w.done)
    if (active.length === 0) break
    const batch = active.map((w) => ({w, cases: roundCandidates(w.best, round)}))
    const cases = batch.flatMap((b) => b.cases)
    const {results} = runDriver<FuzzCase, R>(python, module, generation, cases)
    let offset = 0
    for (const {w, cases: mine} of batch) {
      const answers = results.slice(offset, offset + mine.length)
      offset += mine.length
      await advance(w, mine, answers, check)
    }
  }
  return work.map((w) => ({id: w.best.id.replace(/~.*$/, ''), difference: w.difference, rounds: w.rounds, layersBefore: w.layersBefore, layers: layerCount(w.best.model), model: w.best.model}))
}

/** The candidates of one round for a case, smallest first, capped (ids say whose and which round). */
function roundCandidates(c: FuzzCase, round: number): FuzzCase[] {
  const base = c.id.replace(/~.*$/, '')
  return candidates(c.model)
    .sort((a, b) => specSize(a) - specSize(b))
    .slice(0, SHRINK_LIMITS.candidatesPerCase)
    .map((model, k) => ({...c, id: `${base}~r${round}c${k}`, model}))
}

/** Keeps the smallest candidate that still disagrees the same way; marks the case done when none does. */
async function advance<R extends OracleResult>(w: Progress, mine: FuzzCase[], answers: R[], check: (c: FuzzCase, keras: R) => Promise<string | null>): Promise<void> {
  for (const [i, c] of mine.entries()) {
    const keras = answers[i]
    if (keras === undefined || keras.driver_error !== undefined) continue
    const difference = await check(c, keras)
    if (difference !== null && disagreementKind(difference) === w.kind) {
      w.best = c
      w.difference = difference
      w.rounds++
      return // candidates are sorted smallest first
    }
  }
  w.done = true
}

/** A shrink as the test output prints it: what disagrees, how small, and the spec to paste into a case. */
export function formatShrunk(s: Shrunk, generation: Generation): string {
  return [
    `shrunk ${s.id} (${generation}): ${s.layersBefore} → ${s.layers} layers in ${s.rounds} rounds`,
    `  difference: ${s.difference.slice(0, 600)}`,
    `  model spec: ${JSON.stringify(s.model)}`,
  ].join('\n')
}
