/**
 * The whole human output of `kmodel summary` for one model — the table, Keras's own text or the JSON result,
 * then the FLOPs block with `--flops` — as one string, so the one-file command and the many-files batch
 * (worker threads included) print exactly the same thing.
 */
import type {SummaryFileResult} from '../batch-types.js'
import type {ModelSummary} from '../graph/summary-types.js'
import {renderFlops} from './flops.js'
import type {SummaryResult} from './json.js'
import {type KerasStyle, defaultKerasStyle, renderKerasText} from './keras-text.js'
import {jsonTerminalSafe, terminalSafe} from './sanitize.js'
import {renderTable} from './table.js'

/** The text options of `summary` (its flags); plain data, so they cross to a worker thread. */
export interface SummaryTextOptions {
  format: 'table' | 'keras' | 'json'
  /** Keras generation for `format: 'keras'`; default: from the file's keras_version. */
  kerasStyle?: KerasStyle
  expandNested: boolean
  showTrainable: boolean
  lineLength?: number
  /** Append the FLOPs block (the summary must have been computed with MACs). */
  flops: boolean
  color: boolean
}

const line = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`)

/** One model's summary text, each part ending in a newline. */
export function renderSummaryText(summary: ModelSummary, result: SummaryResult, opts: SummaryTextOptions): string {
  let main: string
  if (opts.format === 'json') main = jsonTerminalSafe(JSON.stringify(result, null, 2))
  else if (opts.format === 'keras') {
    const style = opts.kerasStyle ?? defaultKerasStyle(result.kerasVersion)
    main = renderKerasText(summary, {style, expandNested: opts.expandNested, showTrainable: opts.showTrainable, ...(opts.lineLength === undefined ? {} : {lineLength: opts.lineLength})})
  } else main = renderTable(summary, {color: opts.color, expandNested: opts.expandNested, showTrainable: opts.showTrainable})
  return opts.flops && opts.format !== 'json' ? line(main) + line(renderFlops(summary, opts.expandNested)) : line(main)
}

/**
 * One file's block in the text of `summary MODEL...`: a `==> file <==` header line (as head(1) names its files),
 * then the file's summary text, its error as one line, or why it was skipped; blocks after the first start with
 * a blank line. The file name and the error are shown terminal-safe.
 */
export function renderBatchEntry(entry: SummaryFileResult, text: string | undefined, first: boolean): string {
  const head = `${first ? '' : '\n'}==> ${terminalSafe(entry.file)} <==\n`
  if (!entry.ok) return `${head}Error: ${terminalSafe(entry.error.message)} (${terminalSafe(entry.error.code)})\n`
  if ('skipped' in entry) return `${head}Skipped: ${terminalSafe(entry.skipped)}.\n`
  return head + (text ?? '')
}

/** The closing tally of a batch, for stderr: `3 summarised, 1 failed, 2 skipped (no architecture)`. */
export function renderBatchTally(results: SummaryFileResult[]): string {
  const failed = results.filter((r) => !r.ok).length
  const skipped = results.filter((r) => 'skipped' in r).length
  return `${results.length - failed - skipped} summarised, ${failed} failed${skipped > 0 ? `, ${skipped} skipped (no architecture)` : ''}\n`
}
