/**
 * The wrapping Keras 2 summary: tf.keras 2.7–2.12 (`'2.12'`) and tf.keras / tf-keras 2.13+ (`'2.13'`).
 * Cells longer than their column continue on the next lines, preferably right after `),` `},` `],` `',`;
 * a blank line separates layers; Connected to is a Python list. 2.13 moved the functional columns,
 * cut every non-last column one character earlier and prints totals with byte sizes instead of `{:,}`.
 * Nested models expand between `¯` rules with `|` borders, one per depth.
 */
import type {ModelSummary, SummaryRow} from '../graph/summary-types.js'
import {
  groupThousands,
  KERAS2_SIZE_UNITS,
  keras2Shape,
  paramsText,
  pyStrList,
  readableSize,
} from './format.js'
import {absolutePositions, boundPrefix, hasChildren, type KerasTextOptions, layerLabel} from './keras-common.js'

type Generation = '2.12' | '2.13'

interface WrappedLayout {
  generation: Generation
  lineLength: number
  positions: number[]
  headers: string[]
  withConnections: boolean
  showTrainable: boolean
  expandNested: boolean
}

const BREAK_MARKERS = ['),', '},', '],', "',"] as const

function wrappedLayout(summary: ModelSummary, opts: KerasTextOptions, generation: Generation): WrappedLayout {
  const withConnections = !summary.sequential_like
  let lineLength = opts.lineLength ?? (withConnections ? 98 : 65)
  let relative = [0.45, 0.85, 1]
  if (withConnections) relative = generation === '2.13' ? [0.3, 0.6, 0.7, 1] : [0.33, 0.55, 0.67, 1]
  const positions = absolutePositions(lineLength, relative)
  const headers = ['Layer (type)', 'Output Shape', 'Param #']
  if (withConnections) headers.push('Connected to')
  const showTrainable = opts.showTrainable === true
  if (showTrainable) {
    lineLength += 11
    positions.push(lineLength)
    headers.push('Trainable')
  }
  return {generation, lineLength, positions, headers, withConnections, showTrainable, expandNested: opts.expandNested === true}
}

/** Python's `text * n`: empty for n ≤ 0. */
function repeat(text: string, n: number): string {
  return text.repeat(Math.max(0, n))
}

/** Python's `text[:n]`, including its meaning for a negative n. */
function pyHead(text: string, n: number): string {
  return n >= 0 ? text.slice(0, n) : text.slice(0, Math.max(0, text.length + n))
}

/** How much of a cell fits on this line: the column width, shortened to the earliest break marker in it. */
function cellCut(rest: string, col: number, nested: number, layout: WrappedLayout): number {
  const {positions, generation} = layout
  const last = col === positions.length - 1
  const start = col > 0 ? (positions[col - 1] ?? 0) : 0
  let cutoff = (positions[col] ?? 0) - start - (last ? 0 : 2)
  if (generation === '2.13') {
    if (!last) cutoff -= 1
    if (col === 0) cutoff -= nested
  }
  // Keras would loop forever on a column narrower than its margin; print at least one character per line.
  cutoff = Math.max(1, cutoff)
  const fit = pyHead(rest, cutoff)
  const breaks = BREAK_MARKERS.map((m) => fit.indexOf(m)).flatMap((at, i) =>
    at >= 0 ? [at + (BREAK_MARKERS[i]?.length ?? 0)] : [],
  )
  return breaks.length > 0 ? Math.min(...breaks) : cutoff
}

/** Keras's wrapping row builder (`print_row`): one or more lines of a row at nesting depth `nested`. */
function wrapRow(fields: readonly string[], nested: number, layout: WrappedLayout): string[] {
  const {positions, generation} = layout
  const rest = [...fields]
  const lines: string[] = []
  while (rest.some((cell) => cell.length > 0)) {
    let line = ''
    for (let col = 0; col < rest.length; col++) {
      const text = rest[col] ?? ''
      const cut = cellCut(text, col, nested, layout)
      const last = col === positions.length - 1
      if (col === 0) line += '|'.repeat(nested) + ' '
      line += pyHead(text, cut) + (last ? '' : '  ')
      rest[col] = text.slice(cut)
      const shift = nested > 0 && (generation === '2.12' || last) ? nested : 0
      line += repeat(' ', (positions[col] ?? 0) - line.length - shift)
    }
    lines.push(line + '|'.repeat(nested))
  }
  return lines
}

function rowFields(row: SummaryRow, nested: number, layout: WrappedLayout): string[] {
  const fields = [layerLabel(row), keras2Shape(row, true), paramsText(row.params, false)]
  // Keras lists only connections of the summarized model's own nodes, so inner rows show `[]`.
  if (layout.withConnections) fields.push(pyStrList(nested === 0 ? row.connected_to : []))
  if (layout.showTrainable) fields.push(row.trainable ? 'Y' : 'N')
  return fields
}

/** Keras's `print_layer`, quirk included: after an expanded nested model no blank line follows. */
function layerLines(row: SummaryRow, nested: number, isNestedLast: boolean, layout: WrappedLayout): string[] {
  const width = layout.lineLength
  const lines = wrapRow(rowFields(row, nested, layout), nested, layout)
  let noSeparator = isNestedLast
  if (layout.expandNested && hasChildren(row)) {
    const inner = '|'.repeat(nested + 1)
    lines.push(inner + repeat('¯', width - 2 * nested - 2) + inner)
    for (const [i, child] of row.children.entries()) {
      lines.push(...layerLines(child, nested + 1, i === row.children.length - 1, layout))
    }
    lines.push('|'.repeat(nested) + repeat('¯', width - 2 * nested) + '|'.repeat(nested))
    // Keras reuses its loop flag here, which is true after the last inner layer.
    noSeparator = true
  }
  if (!noSeparator) lines.push('|'.repeat(nested) + repeat(' ', width - 2 * nested) + '|'.repeat(nested))
  return lines
}

function totalsLines(summary: ModelSummary, generation: Generation): string[] {
  const bound = boundPrefix(summary)
  const entries: Array<[string, number, number]> = [
    ['Total params', summary.total_params, summary.total_bytes],
    ['Trainable params', summary.trainable_params, summary.trainable_bytes],
    ['Non-trainable params', summary.non_trainable_params, summary.non_trainable_bytes],
  ]
  return entries.map(([label, count, bytes]) =>
    generation === '2.13'
      ? `${label}: ${bound}${count} (${readableSize(bytes, KERAS2_SIZE_UNITS)})`
      : `${label}: ${bound}${groupThousands(count)}`,
  )
}

/** Renders the `'2.12'` or `'2.13'` layout as lines. */
export function renderWrapped(summary: ModelSummary, opts: KerasTextOptions, generation: Generation): string[] {
  const layout = wrappedLayout(summary, opts, generation)
  const rule = (char: string): string => char.repeat(layout.lineLength)
  const lines = [`Model: "${summary.name}"`, rule('_'), ...wrapRow(layout.headers, 0, layout), rule('=')]
  for (const row of summary.rows) lines.push(...layerLines(row, 0, false, layout))
  lines.push(rule('='), ...totalsLines(summary, generation), rule('_'))
  return lines
}
