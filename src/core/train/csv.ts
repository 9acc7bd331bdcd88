/**
 * Numeric CSV tables for `--x data.csv --x-columns a,b --y-columns label`: RFC 4180 fields (quoted fields with
 * `""` escapes, embedded commas and newlines, CRLF or LF lines), a mandatory header row, a UTF-8 BOM skipped,
 * blank lines ignored. Cells must be numbers (`1`, `-2.5e-3`, `nan`, `inf`); anything else is one InputError
 * naming the row and column. Small on purpose: columns of numbers only, no dialects.
 *
 * Hostile files: the header may have at most `maxColumns` fields (DEFAULT_MAX_CSV_COLUMNS unless the caller
 * raises it; `kmodel train --max-csv-columns` / KMODEL_MAX_CSV_COLUMNS), checked while the header is read, so
 * a 1,000,000-column header is refused (FormatError, exit 4) before any per-column structure exists. Parsing
 * and column lookup are linear in the size of the file.
 */
import {FormatError, InputError, UsageError} from '../errors.js'

/** Columns a CSV header may have unless the caller allows more. */
export const DEFAULT_MAX_CSV_COLUMNS = 100_000

/** A parsed table: header names and rows of raw cells. */
export interface CsvTable {
  header: string[]
  rows: string[][]
}

function tooWide(source: string, maxColumns: number): FormatError {
  return new FormatError('KM_FORMAT_CSV_COLUMNS', `${source} has more than ${maxColumns.toLocaleString('en-US')} columns in its header, the most kmodel reads.`, {
    hint: 'If the file really is this wide, raise the limit with --max-csv-columns N or KMODEL_MAX_CSV_COLUMNS=N.',
  })
}

/** Splits CSV text into records of fields (RFC 4180); FormatError KM_FORMAT_CSV_COLUMNS for a header wider than `maxColumns`. */
export function parseCsv(text: string, source: string, maxColumns = DEFAULT_MAX_CSV_COLUMNS): CsvTable {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const end = (): void => {
    record.push(field)
    field = ''
    if (record.length > 1 || record[0] !== '') records.push(record)
    record = []
  }
  for (; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      record.push(field)
      field = ''
      if (records.length === 0 && record.length >= maxColumns) throw tooWide(source, maxColumns)
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      end()
    } else field += c
  }
  if (quoted) throw new InputError('KM_INPUT_CSV', `${source} has a quoted field that is never closed.`, {hint: 'Check the quotes in the file.'})
  if (field !== '' || record.length > 0) end()
  const [header, ...rows] = records
  if (header === undefined) throw new InputError('KM_INPUT_CSV', `${source} is empty.`, {hint: 'Give a CSV file with a header row and one row per sample.'})
  rows.forEach((row, r) => {
    if (row.length !== header.length) {
      throw new InputError('KM_INPUT_CSV', `${source} row ${r + 2} has ${row.length} fields; the header has ${header.length}.`, {hint: 'Every row needs one value per header column.'})
    }
  })
  return {header: header.map((h) => h.trim()), rows}
}

/** The header for a hint: every name of a narrow table, the first 20 of a wide one. */
const listColumns = (header: readonly string[]): string => (header.length <= 20 ? header.join(', ') : `${header.slice(0, 20).join(', ')}, … (${header.length.toLocaleString('en-US')} in all)`)

const SPECIAL: Record<string, number> = {nan: Number.NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '-infinity': -Infinity}

/** One cell as a number; null when it is not one. */
function cellValue(cell: string): number | null {
  const s = cell.trim()
  if (s === '') return null
  const special = SPECIAL[s.toLowerCase()]
  if (special !== undefined) return special
  const n = Number(s)
  return Number.isNaN(n) ? null : n
}

/**
 * The named columns as a float32 matrix [rows, columns]. UsageError KM_USAGE_CSV_COLUMN for a missing column
 * (naming the ones there are), KM_INPUT_DTYPE for a cell that is not a number.
 */
export function csvColumns(table: CsvTable, columns: readonly string[], source: string, flag: string): {shape: number[]; data: Float32Array} {
  const positions = new Map<string, number>()
  table.header.forEach((name, at) => {
    if (!positions.has(name)) positions.set(name, at) // a repeated name: its first column, as indexOf gave
  })
  const index = columns.map((name) => {
    const at = positions.get(name)
    if (at === undefined) {
      throw new UsageError('KM_USAGE_CSV_COLUMN', `${source} has no column '${name}' (named by ${flag}).`, {hint: `Its columns are: ${listColumns(table.header)}.`})
    }
    return at
  })
  const data = new Float32Array(table.rows.length * index.length)
  table.rows.forEach((row, r) => {
    index.forEach((at, c) => {
      const value = cellValue(row[at] ?? '')
      if (value === null) {
        throw new InputError('KM_INPUT_DTYPE', `${source} row ${r + 2}, column '${table.header[at] ?? at}' holds ${JSON.stringify(row[at] ?? '')}, which is not a number.`, {
          hint: 'Training data must be numeric: encode categories as numbers (class indices or one-hot columns).',
        })
      }
      data[r * index.length + c] = value
    })
  })
  return {shape: [table.rows.length, index.length], data}
}
