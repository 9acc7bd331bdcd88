/**
 * Pieces the Keras-text layouts share: render options, the `name (ClassName)` cell, the walk over
 * (optionally expanded) nested rows, and the totals wording used when counts are only a lower bound.
 */
import type {ModelSummary, SummaryRow} from '../graph/summary-types.js'
import type {KerasStyle} from './keras-style.js'

/** Options of `renderKerasText`, the flags of `kmodel summary --format keras`. */
export interface KerasTextOptions {
  style: KerasStyle
  /** Total line length; defaults to the style's own (65/98 for Keras 2, 76 for Keras 3 as printed to a file). */
  lineLength?: number
  /** Print the inner layers of nested models (Keras `expand_nested`, 2.7+). */
  expandNested?: boolean
  /** Add a `Trainable` column (Keras `show_trainable`, 2.8+). */
  showTrainable?: boolean
}

/** One row to print, with its nesting depth (0 = a layer of the summarized model itself). */
export interface DepthRow {
  row: SummaryRow
  depth: number
}

/**
 * The `layer_name (ClassName)` cell Keras prints in the first column. Keras prints the Python class's name: a
 * custom class saved in a legacy .h5 under its registered name (`my_package>L2Norm`) prints as `L2Norm`.
 */
export function layerLabel(row: SummaryRow, prefix = ''): string {
  return `${prefix}${row.name} (${row.class_name.slice(row.class_name.lastIndexOf('>') + 1)})`
}

/** True when a row is a nested model with inner rows to expand. */
export function hasChildren(row: SummaryRow): row is SummaryRow & {children: SummaryRow[]} {
  return row.children !== undefined && row.children.length > 0
}

/** Rows in print order: top-level rows, each followed by its inner rows (depth-first) when `expand` is set. */
export function flattenRows(rows: readonly SummaryRow[], expand: boolean, depth = 0): DepthRow[] {
  const out: DepthRow[] = []
  for (const row of rows) {
    out.push({row, depth})
    if (expand && hasChildren(row)) out.push(...flattenRows(row.children, expand, depth + 1))
  }
  return out
}

/**
 * Connections Keras shows for a row: only those of nodes in the summarized model's own graph
 * (`relevant_nodes`), so the inner layers of an expanded nested model show none.
 */
export function shownConnections(item: DepthRow): readonly string[] {
  return item.depth === 0 ? item.row.connected_to : []
}

/**
 * The count text of a totals line. Keras never prints an unknown count; when some layer's params are
 * unknown (`params_exact: false`) kmodel keeps Keras's line but says `at least` before the number,
 * because every total is then a lower bound — a parser reading the number gets a visible mismatch
 * instead of a silently wrong value.
 */
export function boundPrefix(summary: ModelSummary): string {
  return summary.params_exact ? '' : 'at least '
}

/** Python's `int(line_length * p)` for each relative position (Keras converts positions ≤ 1 this way). */
export function absolutePositions(lineLength: number, relative: readonly number[]): number[] {
  return relative.map((p) => Math.trunc(lineLength * p))
}
