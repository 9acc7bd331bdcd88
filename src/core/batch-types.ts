/** What `summary MODEL... --json` reports per file (batch.ts runs it; render/summary-text.ts prints it). */
import type {SummaryResult} from './render/json.js'

/** An error of one file in a batch, as `--json` reports it. */
export interface BatchFileError {
  code: string
  message: string
  hint: string | null
}

/** A file summarised. */
export interface SummaryFileOk {
  file: string
  ok: true
  summary: SummaryResult
}

/** A file that could not be read or summarised. */
export interface SummaryFileFailed {
  file: string
  ok: false
  error: BatchFileError
}

/** A file a folder scan found that holds no architecture (a weights-only .h5): not an error. */
export interface SummaryFileSkipped {
  file: string
  ok: true
  skipped: string
}

/** One file of `summary MODEL... --json`. */
export type SummaryFileResult = SummaryFileOk | SummaryFileFailed | SummaryFileSkipped

/** `summary --json` with several files, or a folder: `{results: [...]}` in input order. */
export interface SummaryBatchResult {
  results: SummaryFileResult[]
}
