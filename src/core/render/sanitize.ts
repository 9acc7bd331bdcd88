/**
 * Terminal safety for strings that come from a model file (layer, weight, class and file names, error
 * messages): the one place that decides which characters may reach a terminal as they are. A file is hostile
 * input, and a name holding `ESC ] 0 ; … BEL` retitles the window, `ESC [ 2 J` clears the screen, U+009B is
 * an 8-bit CSI, and U+202E turns `a\u202Egnp.exe` into what reads as `aexe.png`. Such characters are shown
 * escaped instead — `\x1b`, `\x9b`, `\u202e`, `\n` — so the reader sees exactly what the file holds;
 * every other character (printable Unicode, CJK, emoji, a backslash) is kept as it is. The result holds no
 * character the function would escape, so applying it twice changes nothing: renderers can sanitise their
 * cells and the command's output boundary can sanitise again without `\\x1b` ever appearing.
 * Human output goes through `terminalSafe` / `terminalSafeLines`; JSON output keeps exact strings and goes
 * through `jsonTerminalSafe`, which writes the characters JSON.stringify leaves raw (C1, bidi) as `\u` escapes.
 */
import type {ModelSummary, SummaryRow} from '../graph/summary-types.js'

/**
 * Characters never written raw: C0 controls (line breaks and tabs included), DEL, C1 controls, the bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the bidi marks U+200E, U+200F and
 * U+061C, and the Unicode line and paragraph separators U+2028, U+2029.
 */
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g
/** The same set without the line feed: text of several lines keeps its line breaks. */
const UNSAFE_IN_BLOCK = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

const NAMED: Readonly<Record<string, string>> = {'\t': '\\t', '\n': '\\n', '\r': '\\r'}

/** One character's escape: `\t` `\n` `\r` by name, `\xhh` below U+0100, `\uhhhh` above (lower-case hex). */
function escapeChar(ch: string): string {
  const named = NAMED[ch]
  if (named !== undefined) return named
  const code = ch.codePointAt(0) ?? 0
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * A single-line field made safe to print: every control, bidi-control and line-separator character (tabs
 * and line feeds too) is replaced by its escape; everything else is kept. Idempotent.
 */
export function terminalSafe(text: string): string {
  return needsEscape(text) ? text.replace(UNSAFE, escapeChar) : text
}

/** Like `terminalSafe`, for text of several lines: line feeds are kept, everything else is escaped. Idempotent. */
export function terminalSafeLines(text: string): string {
  UNSAFE_IN_BLOCK.lastIndex = 0
  return UNSAFE_IN_BLOCK.test(text) ? text.replace(UNSAFE_IN_BLOCK, escapeChar) : text
}

/** What JSON.stringify leaves raw of the unsafe set: DEL, C1, bidi controls, U+2028/U+2029 (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

/**
 * JSON text (JSON.stringify's output) made terminal-safe with JSON's own escapes: the characters JSON.stringify
 * leaves raw become `\u009b`, `\u202e`, …, which only occur inside strings, so the document parses to exactly
 * the same values. For `--json` and other JSON printed to a terminal.
 */
export function jsonTerminalSafe(json: string): string {
  UNSAFE_IN_JSON.lastIndex = 0
  return UNSAFE_IN_JSON.test(json) ? json.replace(UNSAFE_IN_JSON, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`) : json
}

/** True for a UTF-16 code unit in UNSAFE (the check every name of a summary goes through, without a regex). */
function unsafeUnit(c: number): boolean {
  if (c < 0x20) return true
  if (c < 0x7F) return false
  if (c <= 0x9F) return true
  return c === 0x061C || c === 0x200E || c === 0x200F || c === 0x2028 || c === 0x2029 ||
    (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
}

/** True when `terminalSafe` would change the text. */
export function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (unsafeUnit(text.charCodeAt(i))) return true
  return false
}

function rowNeedsEscape(row: SummaryRow): boolean {
  return needsEscape(row.name) || needsEscape(row.class_name) || row.connected_to.some(needsEscape) ||
    (row.weights?.some((w) => needsEscape(w.name) || needsEscape(w.dtype)) ?? false)
}

/** Every row at every nesting depth, walked with a stack (no recursion over the file's nesting depth). */
function someRow(rows: readonly SummaryRow[], test: (row: SummaryRow) => boolean): boolean {
  const stack: Array<readonly SummaryRow[]> = [rows]
  for (let level = stack.pop(); level !== undefined; level = stack.pop()) {
    for (const row of level) {
      if (test(row)) return true
      if (row.children !== undefined) stack.push(row.children)
    }
  }
  return false
}

function safeRow(row: SummaryRow): SummaryRow {
  const {children: _children, ...rest} = row
  return {
    ...rest, name: terminalSafe(row.name), class_name: terminalSafe(row.class_name), connected_to: row.connected_to.map(terminalSafe),
    weights: row.weights === null ? null : row.weights.map((w) => ({...w, name: terminalSafe(w.name), dtype: terminalSafe(w.dtype)})),
  }
}

/** Copies of `rows` and of their inner rows, each made safe; the order and nesting are kept. */
function safeRows(rows: readonly SummaryRow[]): SummaryRow[] {
  const top: SummaryRow[] = []
  const stack: Array<{from: readonly SummaryRow[]; into: SummaryRow[]}> = [{from: rows, into: top}]
  for (let job = stack.pop(); job !== undefined; job = stack.pop()) {
    for (const row of job.from) {
      const copy = safeRow(row)
      if (row.children !== undefined) {
        copy.children = []
        stack.push({from: row.children, into: copy.children})
      }
      job.into.push(copy)
    }
  }
  return top
}

/**
 * The summary with every string that came from the file (model, layer, class, connection and weight names,
 * dtypes, keras_version) made terminal-safe, for the text renderers to lay out: escaping comes before any
 * width is measured, so columns stay aligned. Returns `summary` itself when nothing needs escaping.
 */
export function terminalSafeSummary(summary: ModelSummary): ModelSummary {
  const version = summary.keras_version
  const clean = !needsEscape(summary.name) && !needsEscape(summary.class_name) && (version === null || !needsEscape(version)) &&
    !someRow(summary.rows, rowNeedsEscape)
  if (clean) return summary
  return {
    ...summary, name: terminalSafe(summary.name), class_name: terminalSafe(summary.class_name),
    keras_version: version === null ? null : terminalSafe(version), rows: safeRows(summary.rows),
  }
}
