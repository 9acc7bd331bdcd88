/**
 * The classic Keras 2 summary (standalone Keras 2.0–2.3, tf.keras up to TF 2.6): every field is cut hard
 * at its column end, `_` rules between layers, `=` after the last, totals with thousands separators.
 *
 * Classic Keras had neither `expand_nested` nor `show_trainable`. kmodel extends the layout for both
 * rather than ignoring the flags: inner rows follow their model's row with the name indented as Keras 3
 * does (`   └ name (Class)`), and `Trainable` is an 11-character `Y`/`N` column as tf.keras 2.8 added it.
 */
import type {ModelSummary} from '../graph/summary-types.js'
import {groupThousands, keras2Shape, paramsText} from './format.js'
import {
  absolutePositions,
  boundPrefix,
  type DepthRow,
  flattenRows,
  type KerasTextOptions,
  layerLabel,
  shownConnections,
} from './keras-common.js'
import {classicFunctionalLength, classicHasModelLine, isTfKeras} from './keras-style.js'

interface ClassicLayout {
  lineLength: number
  positions: number[]
  headers: string[]
  withConnections: boolean
  showTrainable: boolean
  inputAsList: boolean
}

function classicLayout(summary: ModelSummary, opts: KerasTextOptions): ClassicLayout {
  const withConnections = !summary.sequential_like
  const defaultLength = withConnections ? classicFunctionalLength(summary.keras_version) : 65
  let lineLength = opts.lineLength ?? defaultLength
  const relative = withConnections ? [0.33, 0.55, 0.67, 1] : [0.45, 0.85, 1]
  const positions = absolutePositions(lineLength, relative)
  const headers = ['Layer (type)', 'Output Shape', 'Param #']
  if (withConnections) headers.push('Connected to')
  const showTrainable = opts.showTrainable === true
  if (showTrainable) {
    lineLength += 11
    positions.push(lineLength)
    headers.push('Trainable')
  }
  return {lineLength, positions, headers, withConnections, showTrainable, inputAsList: isTfKeras(summary.keras_version)}
}

/** Keras's old row builder: append each field, cut the line at the column end, pad; the previous column's last character becomes a space. */
function classicRow(fields: readonly string[], positions: readonly number[]): string {
  let line = ''
  for (const [i, field] of fields.entries()) {
    const end = positions[i] ?? line.length
    if (i > 0) line = line.slice(0, -1) + ' '
    line = (line + field).slice(0, end)
    line += ' '.repeat(Math.max(0, end - line.length))
  }
  return line
}

function layerLines(item: DepthRow, layout: ClassicLayout): string[] {
  const {row, depth} = item
  const prefix = depth > 0 ? '   '.repeat(depth) + '└ ' : ''
  const fields = [layerLabel(row, prefix), keras2Shape(row, layout.inputAsList), paramsText(row.params, false)]
  const connections = shownConnections(item)
  if (layout.withConnections) fields.push(connections[0] ?? '')
  if (layout.showTrainable) fields.push(row.trainable ? 'Y' : 'N')
  const lines = [classicRow(fields, layout.positions)]
  if (layout.withConnections) {
    for (const connection of connections.slice(1)) {
      const extra = ['', '', '', connection]
      if (layout.showTrainable) extra.push('')
      lines.push(classicRow(extra, layout.positions))
    }
  }
  return lines
}

/** Renders the classic layout as lines (see the module comment for the two kmodel extensions). */
export function renderClassic(summary: ModelSummary, opts: KerasTextOptions): string[] {
  const layout = classicLayout(summary, opts)
  const rule = (char: string): string => char.repeat(layout.lineLength)
  const lines: string[] = []
  if (classicHasModelLine(summary.keras_version)) lines.push(`Model: "${summary.name}"`)
  lines.push(rule('_'), classicRow(layout.headers, layout.positions), rule('='))
  const items = flattenRows(summary.rows, opts.expandNested === true)
  for (const [i, item] of items.entries()) {
    lines.push(...layerLines(item, layout), rule(i === items.length - 1 ? '=' : '_'))
  }
  const bound = boundPrefix(summary)
  lines.push(
    `Total params: ${bound}${groupThousands(summary.total_params)}`,
    `Trainable params: ${bound}${groupThousands(summary.trainable_params)}`,
    `Non-trainable params: ${bound}${groupThousands(summary.non_trainable_params)}`,
    rule('_'),
  )
  return lines
}
