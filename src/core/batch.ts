/**
 * Many files at once (issue 7.5): folders are expanded to the model files inside them, and the files are
 * checked (`from-config`) or summarised (`summary`) in parallel worker threads, results kept in input order.
 * Shell globs arrive here already expanded, as a list of files.
 */
import {readdir, stat} from 'node:fs/promises'
import {cpus} from 'node:os'
import {join} from 'node:path'
import {Worker} from 'node:worker_threads'
import {type FileCheck, readValidModel} from './check.js'
import {InputError, KmodelError, type Warning} from './errors.js'
import {settleFromCounts} from './graph/fill-weights.js'
import {summarize} from './graph/summarize.js'
import type {ModelSummary} from './graph/summary-types.js'
import {type ReadResult, readModel} from './read.js'
import type {BatchFileError, SummaryFileResult} from './batch-types.js'
import {type SummaryResult, summaryToJson} from './render/json.js'
import {type SummaryTextOptions, renderSummaryText} from './render/summary-text.js'

/** Extensions a folder is searched for (a named file is always taken, whatever its extension). */
const MODEL_FILE = /\.(json|ya?ml|h5|hdf5|keras)$/i

/** Files named directly, and the model files found (recursively, sorted) in folders named. */
export async function expandInputs(inputs: string[]): Promise<{files: string[]; found: Set<string>}> {
  const out: string[] = []
  const found = new Set<string>()
  for (const input of inputs) {
    const info = input === '-' ? undefined : await stat(input).catch(() => undefined)
    if (info?.isDirectory() !== true) {
      out.push(input)
      continue
    }
    const entries = await readdir(input, {recursive: true, withFileTypes: true})
    const files = entries.filter((e) => e.isFile() && MODEL_FILE.test(e.name)).map((e) => join(e.parentPath, e.name)).sort()
    out.push(...files)
    for (const f of files) found.add(f)
  }
  return {files: out, found}
}

/**
 * Files a folder scan finds that hold no architecture: reported as skipped, not as invalid. A weights-only
 * HDF5, an HDF5 file Keras did not write, and JSON / YAML that is not a Keras model document (a
 * package.json, a tfjs weights manifest, a training log).
 */
export const NOT_AN_ARCHITECTURE: ReadonlySet<string> = new Set(['KM_FORMAT_WEIGHTS_ONLY', 'KM_FORMAT_H5_NOT_KERAS', 'KM_FORMAT_NOT_A_MODEL'])

const SKIP_REASONS: Readonly<Record<string, string>> = {
  KM_FORMAT_WEIGHTS_ONLY: 'weights only, no architecture',
  KM_FORMAT_H5_NOT_KERAS: 'HDF5 but not a Keras file',
  KM_FORMAT_NOT_A_MODEL: 'not a Keras model document',
}

/** Why a file a folder scan found is skipped, for an error code of NOT_AN_ARCHITECTURE. */
export const skipReason = (code: string): string => SKIP_REASONS[code] ?? 'not a model'

/**
 * Refuses a batch in which no model was found (exit 3): nothing named, empty folders, or folders whose files
 * were all skipped. A mistyped path in CI must not pass. `skipped` counts the files found but skipped.
 */
export function assertModelsFound(inputs: readonly string[], checked: number, skipped = 0): void {
  if (checked > 0) return
  const where = inputs.join(', ')
  throw new InputError('KM_INPUT_NO_MODELS', skipped === 0
    ? `No model file found in ${where} (folders are searched for .json, .yaml, .h5, .hdf5 and .keras files).`
    : `No model found in ${where}: all ${skipped} file${skipped === 1 ? '' : 's'} found hold no architecture (skipped).`, {
    hint: 'Check the path: a CI step that validates nothing must not pass.',
  })
}

/**
 * Default parallelism. A worker pays its own start-up (module loading, h5wasm) of ~0.5 s, which only
 * large batches repay (bench/batch.js: 81 files were faster in-process than in 2 workers), so in-process
 * below 200 files, one worker per core above.
 */
export function defaultJobs(files: number): number {
  return files < 200 ? 1 : Math.max(1, Math.min(files, cpus().length))
}

/** Whether a batch runs in worker threads: not for one job, a handful of files, or standard input. */
export function useWorkers(files: string[], jobs: number): boolean {
  return jobs > 1 && files.length >= 4 && !files.includes('-')
}

/**
 * The exit code of a whole batch, from each file's: 0 when all are 0; 3 (a file missing or unreadable) before
 * anything else; otherwise the first non-zero code in input order.
 */
export function batchExit(exits: number[]): number {
  return exits.reduce((acc, exit) => (exit === 0 ? acc : acc === 0 || exit === 3 ? exit : acc), 0)
}

/** One unit of work for a worker thread (plain data: it is posted across threads). */
export type BatchTask = {kind: 'check'; file: string} | {kind: 'summary'; file: string; options: SummaryFileOptions}

/**
 * Runs tasks in `jobs` worker threads (each takes one task at a time). `onResult` sees each result as it
 * arrives; the returned list is in task order.
 */
export async function runInWorkers<R>(tasks: BatchTask[], jobs: number, onResult?: (r: R, index: number) => void): Promise<R[]> {
  const results: R[] = new Array<R>(tasks.length)
  let next = 0
  const worker = async (): Promise<void> => {
    const w = new Worker(new URL('./batch-worker.js', import.meta.url))
    try {
      while (next < tasks.length) {
        const index = next++
        const result = await new Promise<R>((resolve, reject) => {
          const onMessage = (m: R): void => {
            w.off('error', reject)
            resolve(m)
          }
          w.once('message', onMessage)
          w.once('error', reject)
          w.postMessage(tasks[index])
        })
        results[index] = result
        onResult?.(result, index)
      }
    } finally {
      await w.terminate()
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(jobs, tasks.length))}, worker))
  return results
}

/** `from-config`'s checks in worker threads; see runInWorkers. */
export async function checkInWorkers(files: string[], jobs: number, onResult?: (r: FileCheck, index: number) => void): Promise<FileCheck[]> {
  return runInWorkers<FileCheck>(files.map((file) => ({kind: 'check', file})), jobs, onResult)
}

/** How `summary` summarises each file. */
export interface SummaryFileOptions {
  /** Count multiply-accumulates (`--flops`). */
  flops: boolean
  /** Weights file settling custom layers' counts (one-file `summary --weights`). */
  weights?: string
  /** Render the human text too (absent in JSON mode). */
  text?: SummaryTextOptions
}

export type {BatchFileError, SummaryBatchResult, SummaryFileFailed, SummaryFileOk, SummaryFileResult, SummaryFileSkipped} from './batch-types.js'

/** One file's summary with what the report does not show: its exit code, warnings and text. */
export interface SummaryOutcome {
  result: SummaryFileResult
  /** 0, or the documented exit code of the file's error. */
  exit: number
  warnings: Warning[]
  /** The human output when SummaryFileOptions.text was given and the file was summarised. */
  text?: string
}

/**
 * Rows the engine could not count (custom layers) take their counts from weights: the given file, or the
 * ones the model file itself carries, matched by the layer names the file records (weights/settle.ts).
 * Weights are read only when such a row exists. The file's own weights never fail a summary: what cannot be
 * read or does not line up is a warning, and the engine's numbers stay (a `--weights` file that cannot be
 * read is still an error: the user asked for it).
 */
async function settleUnknowns(read: ReadResult, summary: ModelSummary, weights: string | undefined): Promise<{summary: ModelSummary; warnings: Warning[]}> {
  const carries = read.format === 'keras-h5' || read.format === 'keras-zip'
  // a --weights file is always checked against the architecture (DESIGN: params/names cross-check); the file's own only when it settles something
  if (weights === undefined && (summary.params_exact || !carries)) return {summary, warnings: []}
  const {readWeights} = await import('./weights/read.js')
  const {matchFileLayers} = await import('./weights/settle.js')
  let file
  try {
    file = await readWeights(weights ?? read.source)
  } catch (error) {
    if (weights !== undefined || !(error instanceof KmodelError)) throw error
    return {summary, warnings: [{path: read.source, message: `the weights the file carries cannot be read (${error.message}): layers of unknown size stay unknown.`}]}
  }
  const match = matchFileLayers(read.model, summary, file)
  const settled = settleFromCounts(summary, match.counts, file.source)
  return {summary: settled.summary, warnings: [...match.warnings, ...settled.warnings]}
}

/** `summary` of a model read: the engine's summary, custom layers settled from weights (with warnings), and its JSON result. */
export async function summarizeRead(read: ReadResult, opts: {flops: boolean; weights?: string}): Promise<{summary: ModelSummary; result: SummaryResult; warnings: Warning[]}> {
  const {summary, warnings} = await settleUnknowns(read, summarize(read.model, {macs: opts.flops}), opts.weights)
  return {summary, result: summaryToJson(summary, {kerasVersion: read.model.keras_version}), warnings}
}

/** Summarises one file. Never throws: a failure becomes the file's error (a non-KmodelError is exit 1). */
export async function summarizeFile(file: string, opts: SummaryFileOptions, read: (file: string) => Promise<ReadResult> = readValidModel): Promise<SummaryOutcome> {
  try {
    const model = await read(file)
    const {summary, result, warnings} = await summarizeRead(model, opts)
    const outcome: SummaryOutcome = {result: {file, ok: true, summary: result}, exit: 0, warnings: [...model.warnings, ...warnings]}
    if (opts.text !== undefined) outcome.text = renderSummaryText(summary, result, opts.text)
    return outcome
  } catch (error) {
    const known = error instanceof KmodelError
    const message = error instanceof Error ? error.message : String(error)
    const failure: BatchFileError = known
      ? {code: error.code, message, hint: error.hint ?? null}
      : {code: 'KM_UNEXPECTED', message, hint: 'This was unexpected; run again with DEBUG=kmodel* and please report it.'}
    return {result: {file, ok: false, error: failure}, exit: known ? error.exit : 1, warnings: []}
  }
}

/** A weights-only file a folder scan found becomes skipped; anything else is kept. */
function skipIfFound(o: SummaryOutcome, found: ReadonlySet<string>): SummaryOutcome {
  const r = o.result
  if (r.ok || !found.has(r.file) || !NOT_AN_ARCHITECTURE.has(r.error.code)) return o
  return {result: {file: r.file, ok: true, skipped: skipReason(r.error.code)}, exit: 0, warnings: []}
}

/** How summarizeFiles runs. */
export interface SummaryBatchOptions extends SummaryFileOptions {
  /** Worker threads (1: in-process). */
  jobs: number
  /** Files found by a folder scan (expandInputs): those holding no architecture are skipped. */
  found: ReadonlySet<string>
  /** Reads a file in-process (the command passes one that understands `-` for stdin). */
  read?: (file: string) => Promise<ReadResult>
  /** Sees each outcome in input order, as soon as it and all before it are done. */
  onOutcome?: (o: SummaryOutcome, index: number) => void
}

/** `summary` over many files: every file is summarised, whatever fails; outcomes in input order. */
export async function summarizeFiles(files: string[], opts: SummaryBatchOptions): Promise<SummaryOutcome[]> {
  const {jobs, found, read, onOutcome, ...fileOpts} = opts
  const outcomes: SummaryOutcome[] = new Array<SummaryOutcome>(files.length)
  let flushed = 0
  const settle = (o: SummaryOutcome, index: number): void => {
    outcomes[index] = skipIfFound(o, found)
    for (let next = outcomes[flushed]; next !== undefined; next = outcomes[flushed]) {
      onOutcome?.(next, flushed)
      flushed++
    }
  }
  if (useWorkers(files, jobs)) {
    await runInWorkers<SummaryOutcome>(files.map((file) => ({kind: 'summary', file, options: fileOpts})), jobs, settle)
  } else {
    for (const [index, file] of files.entries()) settle(await summarizeFile(file, fileOpts, read), index)
  }
  return outcomes
}
