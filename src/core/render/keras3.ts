/**
 * The Keras 3 summary: a rich box table plus footers that start with a space, sizes in `B/KB/MB`.
 * Widths follow `print_summary`: default line length 88 (sequential-like) or 108 (functional), 12 more
 * with `show_trainable`, then `min(default, terminal_columns − 4)` — and printed to a file, a pipe or a
 * notebook the terminal is 80 columns, so the default here is 76, what every captured Keras 3 summary
 * shows. An explicit `lineLength` is used as given (Keras then crops at the console width; kmodel does not).
 */
import type {ModelSummary, SummaryRow} from '../graph/summary-types.js'
import {type BoxColumn, type Justify, renderBoxTable} from './box-table.js'
import {groupThousands, KERAS3_SIZE_UNITS, keras3Shape, paramsText, readableSize} from './format.js'
import {
  boundPrefix,
  type DepthRow,
  flattenRows,
  type KerasTextOptions,
  layerLabel,
  shownConnections,
} from './keras-common.js'
import {isEarlyKeras3} from './keras-style.js'

/** Keras 3 clamps its default width to the terminal's columns minus 4; non-interactive output sees 80. */
const NON_INTERACTIVE_WIDTH = 80 - 4

interface Keras3Layout {
  lineLength: number
  columns: BoxColumn[]
  withConnections: boolean
  showTrainable: boolean
}

function defaults(summary: ModelSummary): {length: number; positions: number[]} {
  const early = isEarlyKeras3(summary.keras_version)
  if (summary.sequential_like) return early ? {length: 84, positions: [0.45, 0.84, 1]} : {length: 88, positions: [0.45, 0.8, 1]}
  return {length: 108, positions: early ? [0.3, 0.56, 0.7, 1] : [0.3, 0.56, 0.74, 1]}
}

function keras3Layout(summary: ModelSummary, opts: KerasTextOptions): Keras3Layout {
  const withConnections = !summary.sequential_like
  const showTrainable = opts.showTrainable === true
  let {length, positions} = defaults(summary)
  const headers = ['Layer (type)', 'Output Shape', 'Param #']
  const justify: Justify[] = ['left', 'left', 'right']
  if (withConnections) {
    headers.push('Connected to')
    justify.push('left')
  }
  if (showTrainable) {
    length += 12
    positions = [...positions.map((p) => p * 0.9), 1]
    headers.push('Trainable')
    justify.push('center')
  }
  const lineLength = opts.lineLength ?? Math.min(length, NON_INTERACTIVE_WIDTH)
  let current = 0
  const columns = positions.map((p, i): BoxColumn => {
    const width = Math.trunc(p * lineLength) - current
    current += width
    return {header: headers[i] ?? '', justify: justify[i] ?? 'left', width}
  })
  return {lineLength, columns, withConnections, showTrainable}
}

/** Keras 3's Trainable cell: `Y`/`N` for a layer with weights, `-` for a weightless one. */
function trainableCell(row: SummaryRow): string {
  const weightless = row.weights === null ? row.params === 0 : row.weights.length === 0
  if (weightless) return '-'
  return row.trainable ? 'Y' : 'N'
}

function rowCells(item: DepthRow, layout: Keras3Layout): string[] {
  const {row, depth} = item
  const prefix = depth > 0 ? '   '.repeat(depth) + '└ ' : ''
  const cells = [layerLabel(row, prefix), keras3Shape(row.output_shape), paramsText(row.params, true)]
  if (layout.withConnections) {
    const connections = shownConnections(item)
    cells.push(connections.length > 0 ? connections.join(', ') : '-')
  }
  if (layout.showTrainable) cells.push(trainableCell(row))
  return cells
}

function footerLines(summary: ModelSummary): string[] {
  const bound = boundPrefix(summary)
  const line = (label: string, count: number, bytes: number): string =>
    ` ${label}: ${bound}${groupThousands(count)} (${readableSize(bytes, KERAS3_SIZE_UNITS)})`
  return [
    line('Total params', summary.total_params, summary.total_bytes),
    line('Trainable params', summary.trainable_params, summary.trainable_bytes),
    line('Non-trainable params', summary.non_trainable_params, summary.non_trainable_bytes),
  ]
}

/** Renders the Keras 3 layout as lines (colour-free, as Keras writes it when output is captured). */
export function renderKeras3(summary: ModelSummary, opts: KerasTextOptions): string[] {
  const layout = keras3Layout(summary, opts)
  const rows = flattenRows(summary.rows, opts.expandNested === true).map((item) => rowCells(item, layout))
  return [`Model: "${summary.name}"`, ...renderBoxTable(layout.columns, rows, layout.lineLength), ...footerLines(summary)]
}
