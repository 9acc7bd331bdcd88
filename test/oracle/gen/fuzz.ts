/**
 * The fuzz runs (issue #17 §4): seeded random valid models — depth 1–12, branches and merges, shared layers,
 * nested Sequential/functional sub-models (sometimes called twice), several inputs and outputs — over the
 * shape-safe layer pool of fuzz-layers.ts.
 *
 * KMODEL_ORACLE_FUZZ_SEED (default 17) picks the models, KMODEL_ORACLE_FUZZ (default 1000) how many; the first
 * FUZZ_FIXTURE_CASES are the committed ones, so fewer are never generated. A case id carries what its model
 * holds, so a known-difference row can name a cause with a glob:
 *   fuzz-0042:fn[Add][Dense][LSTM](gelu){mask}{shared}
 * — `:seq`/`:fn` the top-level kind, `[Class]` every layer class (nested models' and wrapped layers' too),
 * `(name)` every activation function other than linear, `{feature}` branch, shared, nested:seq, nested:fn,
 * nested-twice, multi-in, multi-out, mask (an Embedding with mask_zero), mask-pooled (its mask
 * consumed by GlobalAveragePooling1D), frozen (a layer with trainable=False).
 */
import type {Generation, OracleCase} from '../harness.js'
import type {ModelSpecCase} from './compute.js'
import {functionalModel, newContents, randomInput, sequentialModel, type Contents} from './fuzz-graph.js'
import {Rng} from './random.js'

/** `model.summary()` keyword arguments of a case. */
export interface SummaryOptions {
  expand_nested?: boolean
  show_trainable?: boolean
}

/** One fuzz case: a model spec, the batch size and the summary options (test/oracle/py/suites/fuzz.py). */
export interface FuzzCase extends OracleCase {
  model: ModelSpecCase
  batch: number
  summary: SummaryOptions
}

/** Committed cases per generation (the fixtures); live runs check these against it and run the rest too. */
export const FUZZ_FIXTURE_CASES = 100
export const DEFAULT_FUZZ_SEED = 17
export const DEFAULT_FUZZ_COUNT = 1000
/**
 * Samples per case: 4, not 2 — with a handful of values per sample, two samples too often hold no negative or no
 * small value at all, and an argument that only such values show (a ReLU's threshold) then changes nothing.
 */
export const FUZZ_BATCH = 4

function envInteger(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}=${raw} is not a non-negative integer`)
  return value
}

/** The seed and count of this run (env), the count never below the committed cases. */
export function fuzzSettings(): {seed: number; count: number} {
  return {seed: envInteger('KMODEL_ORACLE_FUZZ_SEED', DEFAULT_FUZZ_SEED), count: Math.max(FUZZ_FIXTURE_CASES, envInteger('KMODEL_ORACLE_FUZZ', DEFAULT_FUZZ_COUNT))}
}

/** Some layers never train (trainable=False): the summary's and the weights' trainable split must follow. */
function freezeSome(rng: Rng, spec: ModelSpecCase, contents: Contents): void {
  for (const layer of spec.layers) {
    if (layer.model !== undefined) freezeSome(rng, layer.model, contents)
    // Keras 3's SpatialDropout layers take no `trainable` argument.
    else if (rng.chance(0.06) && !layer.class_name.startsWith('SpatialDropout')) {
      layer.args = {...layer.args, trainable: false}
      contents.features.add('frozen')
    }
  }
}

/** The case's id from what its model holds (see the module comment). */
export function fuzzId(index: number, kind: string, contents: Contents): string {
  const list = (set: Set<string>, open: string, close: string): string => [...set].sort().map((x) => `${open}${x}${close}`).join('')
  const number = String(index).padStart(4, '0')
  return `fuzz-${number}:${kind === 'sequential' ? 'seq' : 'fn'}${list(contents.classes, '[', ']')}${list(contents.activations, '(', ')')}${list(contents.features, '{', '}')}`
}

/** Case `index` of the run with `seed`: deterministic, the same model structure for both generations. */
export function fuzzCase(seed: number, index: number, generation: Generation): FuzzCase {
  const rng = new Rng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0)
  const contents = newContents()
  const depth = rng.int(1, 12)
  const model = rng.chance(0.3)
    ? sequentialModel(rng, generation, contents, randomInput(rng, 'x0'), depth, 0).spec
    : functionalModel(rng, generation, contents, depth)
  model.name = 'm'
  freezeSome(rng, model, contents)
  const nested = [...contents.features].some((f) => f.startsWith('nested'))
  const summary: SummaryOptions = {}
  if (nested && rng.chance(0.5)) summary.expand_nested = true
  if (rng.chance(0.25)) summary.show_trainable = true
  return {id: fuzzId(index, model.kind, contents), seed: (seed * 100_000 + index) % 2 ** 31, model, batch: FUZZ_BATCH, summary}
}

/** The run's cases for a generation (KMODEL_ORACLE_FUZZ_SEED, KMODEL_ORACLE_FUZZ). */
export function fuzzCases(generation: Generation): FuzzCase[] {
  const {seed, count} = fuzzSettings()
  return Array.from({length: count}, (_, i) => fuzzCase(seed, i, generation))
}
