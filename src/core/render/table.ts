/**
 * `kmodel summary` default output: a readable table with separate Layer / Type columns, grouped param
 * counts, one connection per line, and totals with sizes. Colour is a parameter: the command decides it
 * (TTY, NO_COLOR, --json), this module never looks at the terminal; only the painter chosen here from
 * `color` (ansi.ts) adds escape codes. The layout is cli-table3's (its own colouring off): drawn by grid.ts
 * when every text is single-width, as Keras names are, and by cli-table3 itself (loaded only then) otherwise.
 */
import type CliTable from 'cli-table3'
import {createRequire} from 'node:module'

import type {ModelSummary, SummaryRow} from '../graph/summary-types.js'
import {type Painter, painter} from './ansi.js'
import {groupThousands, isShapeList, KERAS3_SIZE_UNITS, pyTuple, readableSize} from './format.js'
import {type GridAlign, type GridCell, drawGrid, fitsGrid} from './grid.js'
import {type DepthRow, flattenRows} from './keras-common.js'
import {terminalSafeSummary} from './sanitize.js'

/** Options of `renderTable`. */
export interface TableOptions {
  /** Add ANSI colour (bold headers, dim class names, yellow warnings). Default: none. */
  color?: boolean
  /** List the inner layers of nested models under their model's row. */
  expandNested?: boolean
  /** Add a Trainable column (`yes` / `no`, `-` for layers without weights). */
  showTrainable?: boolean
  /** Maximum width in columns; wide cells wrap to fit. Unlimited when absent. */
  width?: number
}

const MIN_COLUMN = 8

function shapeText(row: SummaryRow): string {
  const shape = row.output_shape
  if (shape === null) return '?'
  if (shape === 'multiple') return 'multiple'
  if (isShapeList(shape)) return shape.map(pyTuple).join('\n')
  return pyTuple(shape)
}

function trainableText(row: SummaryRow): string {
  const weightless = row.weights === null ? row.params === 0 : row.weights.length === 0
  if (weightless) return '-'
  return row.trainable ? 'yes' : 'no'
}

function headers(summary: ModelSummary, opts: TableOptions): string[] {
  const out = ['Layer', 'Type', 'Output shape', 'Params']
  if (!summary.sequential_like) out.push('Connected to')
  if (opts.showTrainable === true) out.push('Trainable')
  return out
}

/** A cell's plain text and how to colour each of its lines (wrapping happens on the plain text). */
export interface Cell {
  text: string
  paint?: (line: string) => string
}

function cells(item: DepthRow, summary: ModelSummary, opts: TableOptions, c: Painter): Cell[] {
  const {row, depth} = item
  const name = depth > 0 ? '  '.repeat(depth - 1) + '└ ' + row.name : row.name
  const out: Cell[] = [
    {text: name},
    {text: row.class_name, paint: c.dim},
    {text: shapeText(row)},
    row.params === null ? {text: '?', paint: c.yellow} : {text: groupThousands(row.params)},
  ]
  if (!summary.sequential_like) {
    out.push(row.connected_to.length > 0 ? {text: row.connected_to.join('\n')} : {text: '-', paint: c.dim})
  }
  if (opts.showTrainable === true) out.push({text: trainableText(row)})
  return out
}

/** Greedy wrap at spaces; a word longer than the width is cut into width-sized pieces. */
function wrapText(text: string, width: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`
      if ([...candidate].length <= width) {
        line = candidate
        continue
      }
      if (line !== '') lines.push(line)
      let rest = [...word]
      while (rest.length > width) {
        lines.push(rest.slice(0, width).join(''))
        rest = rest.slice(width)
      }
      line = rest.join('')
    }
    lines.push(line)
  }
  return lines
}

function cellLines(cell: Cell, width: number | undefined): string[] {
  return width === undefined ? cell.text.split('\n') : wrapText(cell.text, width)
}

function paintCell(cell: Cell, width: number | undefined): string {
  const lines = cellLines(cell, width)
  return lines.map((line) => (cell.paint === undefined ? line : cell.paint(line))).join('\n')
}

/** Longest line of each column (headers included): the width cli-table3 would give it, minus padding. */
function naturalWidths(grid: readonly Cell[][]): number[] {
  const widths: number[] = []
  for (const row of grid) {
    for (const [i, cell] of row.entries()) {
      const longest = Math.max(...cell.text.split('\n').map((line) => [...line].length))
      widths[i] = Math.max(widths[i] ?? 0, longest)
    }
  }
  return widths
}

/** Columns that may wrap to fit a width: all text columns; counts and flags stay whole. */
const SHRINKABLE = new Set(['Layer', 'Type', 'Output shape', 'Connected to'])

/** Shrinks the widest shrinkable column (never below MIN_COLUMN) until the table fits `width`. */
function fitWidths(head: readonly string[], natural: number[], width: number | undefined): number[] | undefined {
  if (width === undefined) return undefined
  const widths = [...natural]
  const total = (): number => widths.reduce((a, w) => a + w + 3, 1)
  while (total() > width) {
    const candidates = widths.map((w, i) => (SHRINKABLE.has(head[i] ?? '') && w > MIN_COLUMN ? w : -1))
    const widest = candidates.indexOf(Math.max(...candidates))
    if ((candidates[widest] ?? -1) < 0) break
    widths[widest] = (widths[widest] ?? MIN_COLUMN) - 1
  }
  return widths
}

/** Names the layers whose weights are unknown (the reason the totals are lower bounds). */
function lowerBoundNote(summary: ModelSummary): string {
  const unknown = flattenRows(summary.rows, true)
    .filter((item) => item.row.params === null && item.row.children === undefined)
    .map((item) => item.row.name)
  if (unknown.length === 0) return 'Note: some weights are unknown, so these totals are lower bounds.'
  const layers = unknown.length === 1 ? '1 layer' : `${unknown.length} layers`
  return `Note: the weights of ${layers} (${unknown.join(', ')}) are unknown, so these totals are lower bounds.`
}

function footer(summary: ModelSummary, c: Painter): string[] {
  const bound = summary.params_exact ? '' : 'at least '
  const line = (label: string, count: number, bytes: number): string =>
    `${c.bold(label)} ${bound}${groupThousands(count)} (${readableSize(bytes, KERAS3_SIZE_UNITS)})`
  const lines = [
    line('Total params:', summary.total_params, summary.total_bytes),
    line('Trainable params:', summary.trainable_params, summary.trainable_bytes),
    line('Non-trainable params:', summary.non_trainable_params, summary.non_trainable_bytes),
  ]
  if (!summary.params_exact) lines.push(c.yellow(lowerBoundNote(summary)))
  return lines
}

function title(summary: ModelSummary, c: Painter): string {
  const version = summary.keras_version === null ? '' : `, Keras ${summary.keras_version}`
  return `${c.bold(`Model: "${summary.name}"`)} ${c.dim(`(${summary.class_name}${version})`)}`
}

/** The table's columns: widths (absent: as wide as their longest line), alignment, rules between rows. */
export interface Layout {
  widths: number[] | undefined
  natural: number[]
  align: GridAlign[]
  rules: boolean
}

/** The table through cli-table3, for text with characters whose width is not their length. */
function drawWithCliTable3(head: readonly Cell[], body: readonly Cell[][], layout: Layout): string {
  const Table = createRequire(import.meta.url)('cli-table3') as typeof CliTable
  const {widths} = layout
  const table = new Table({
    head: head.map((cell, i) => paintCell(cell, widths?.[i])),
    colAligns: layout.align,
    style: {head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: !layout.rules},
    ...(widths === undefined ? {} : {colWidths: widths.map((w) => w + 2)}),
  })
  table.push(...body.map((row) => row.map((cell, i) => paintCell(cell, widths?.[i]))))
  return table.toString()
}

/** The box table (no title, no totals); the same text whichever draws it. */
export function drawTable(head: readonly Cell[], body: readonly Cell[][], layout: Layout, engine: 'auto' | 'cli-table3' = 'auto'): string {
  const simple = engine === 'auto' && head.every((cell) => fitsGrid(cell.text)) && body.every((row) => row.every((cell) => fitsGrid(cell.text)))
  if (!simple) return drawWithCliTable3(head, body, layout)
  const {widths} = layout
  const grid = (row: readonly Cell[]): GridCell[] => row.map((cell, i) => ({lines: cellLines(cell, widths?.[i]), ...(cell.paint === undefined ? {} : {paint: cell.paint})}))
  return drawGrid(grid(head), body.map(grid), {widths: widths ?? layout.natural, align: layout.align, rules: layout.rules})
}

/**
 * Renders the summary as kmodel's own table: title line, table, totals with sizes and, when
 * `params_exact` is false, `at least` on each total and a note naming the layers whose weights are unknown.
 * Lines are joined by `\n`, no final newline. Names from the file are shown terminal-safe (sanitize.ts).
 */
export function renderTable(file: ModelSummary, opts: TableOptions = {}): string {
  const summary = terminalSafeSummary(file)
  const c = painter(opts.color === true)
  const head = headers(summary, opts).map((text): Cell => ({text, paint: c.bold}))
  const body = flattenRows(summary.rows, opts.expandNested === true).map((item) => cells(item, summary, opts, c))
  const natural = naturalWidths([head, ...body])
  const widths = fitWidths(head.map((cell) => cell.text), natural, opts.width)
  const layout: Layout = {
    widths, natural,
    align: head.map(({text}) => (text === 'Params' ? 'right' : text === 'Trainable' ? 'center' : 'left')),
    // Rules between rows only when cells had to wrap; otherwise each row's first line starts a new layer.
    rules: widths?.some((w, i) => w < (natural[i] ?? 0)) ?? false,
  }
  return [title(summary, c), drawTable(head, body, layout), ...footer(summary, c)].join('\n')
}
