/**
 * Human rendering of the load-weights report (the JSON form is the report itself). Layer and weight names and
 * reasons come from the files: each cell is made terminal-safe before the table measures it and before colour.
 */
import {Chalk} from 'chalk'
import Table from 'cli-table3'
import {terminalSafe as safe} from '../core/render/sanitize.js'
import type {MatchReport} from '../core/weights/match.js'

const shape = (s: ReadonlyArray<number | null>): string => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`

/** A table of every layer: loaded, skipped or mismatched, then one line of totals. */
export function renderMatchReport(report: MatchReport & {output: string | null}, opts: {color: boolean}): string {
  const c = new Chalk({level: opts.color ? 1 : 0})
  const table = new Table({head: ['Model layer', 'File layer', 'Status', 'Detail'], style: {head: [], border: [], compact: true}})
  for (const m of report.matched) table.push([safe(m.layer), safe(m.fileLayer), c.green('loaded'), `${m.weights} weight(s)${m.layer === m.fileLayer ? '' : ' (renamed)'}`])
  for (const s of report.skipped) table.push([safe(s.layer ?? '-'), safe(s.fileLayer ?? '-'), c.yellow('skipped'), safe(s.reason)])
  for (const m of report.mismatched) table.push([safe(m.layer), '', c.red('mismatch'), `${safe(m.weight)}: expected ${shape(m.expected)}, found ${shape(m.found)}`])
  const mode = report.mode === 'order' ? 'by topological order' : 'by name'
  const summary = `${report.matched.length} layer(s) loaded ${mode}, ${report.skipped.length} skipped, ${report.mismatched.length} weight(s) mismatched`
  return `${table.toString()}\n${summary}${report.output === null ? '' : `; written to ${safe(report.output)}`}`
}
