/** The `summary --flops` block printed after a text summary: FLOPs per layer and in total (FLOPs = 2 × MACs). */
import type {ModelSummary, SummaryRow} from '../graph/summary-types.js'
import {groupThousands} from './format.js'
import {terminalSafeSummary} from './sanitize.js'

function lines(rows: SummaryRow[], depth: number, width: number): string[] {
  return rows.flatMap((row) => {
    const label = `${'  '.repeat(depth)}${row.name} (${row.class_name})`
    const value = row.macs === undefined || row.macs === null ? '?' : groupThousands(2 * row.macs)
    return [`  ${label.padEnd(width)} ${value.padStart(16)}`, ...lines(row.children ?? [], depth + 1, width)]
  })
}

/** The FLOPs block; empty when the summary carries no MACs. */
export function renderFlops(file: ModelSummary, expandNested = false): string {
  const summary = terminalSafeSummary(file)
  if (summary.total_macs === undefined) return ''
  const rows = expandNested ? summary.rows : summary.rows.map(({children: _children, ...row}) => row)
  const width = Math.max(20, ...rows.map((r) => r.name.length + r.class_name.length + 3))
  const bound = summary.macs_exact === false ? 'at least ' : ''
  return [
    'FLOPs of one forward pass at batch size 1 (FLOPs = 2 × multiply-accumulates; elementwise work not counted):',
    ...lines(rows, 0, width + (expandNested ? 4 : 0)),
    `Total FLOPs: ${bound}${groupThousands(2 * summary.total_macs)} (${bound}${groupThousands(summary.total_macs)} MACs)`,
  ].join('\n')
}
