/**
 * Human rendering of `kmodel diff`: one line per difference, grouped, like a review note. Names, config paths
 * and values come from the files: each is made terminal-safe (one line each, control and bidi characters escaped).
 */
import type {DiffResult} from '../core/diff.js'
import type {OutputShape} from '../core/graph/summary-types.js'
import {terminalSafe as safe} from '../core/render/sanitize.js'

const shape = (s: OutputShape): string => (s === null ? '?' : JSON.stringify(s).replaceAll('null', 'None'))
const list = (refs: string[]): string => (refs.length === 0 ? '(none)' : refs.map(safe).join(', '))
const value = (v: unknown): string => (v === undefined ? '(absent)' : safe(JSON.stringify(v)))

/** The report text; "no differences" when the models are the same. */
export function renderDiff(d: DiffResult, nameA: string, nameB: string): string {
  const lines = [`--- ${safe(nameA)}`, `+++ ${safe(nameB)}`]
  for (const name of d.removed) lines.push(`- layer ${safe(name)} (removed)`)
  for (const name of d.added) lines.push(`+ layer ${safe(name)} (added)`)
  for (const c of d.changed) {
    const head = c.renamed ? `~ layer ${safe(c.a)} → ${safe(c.b)} (renamed)` : `~ layer ${safe(c.a)}`
    lines.push(head)
    if (c.classChanged !== null) lines.push(`    class: ${safe(c.classChanged.a)} → ${safe(c.classChanged.b)}`)
    if (c.outputShape !== null) lines.push(`    output shape: ${shape(c.outputShape.a)} → ${shape(c.outputShape.b)}`)
    if (c.params !== null) lines.push(`    params: ${c.params.a ?? '?'} → ${c.params.b ?? '?'}`)
    if (c.connections !== null) lines.push(`    connected to: ${list(c.connections.a)} → ${list(c.connections.b)}`)
    for (const k of c.config) lines.push(`    ${safe(k.path)}: ${value(k.a)} → ${value(k.b)}`)
  }
  if (d.totals.a !== d.totals.b) lines.push(`~ total params: ${d.totals.a} → ${d.totals.b}`)
  for (const w of d.weights ?? []) {
    lines.push(w.maxAbsDiff === null
      ? `~ weight ${safe(w.layer)}/${safe(w.weight)}: shape (${w.shapeA.join(', ')}) → (${w.shapeB.join(', ')})`
      : `~ weight ${safe(w.layer)}/${safe(w.weight)}: max |Δ| ${w.maxAbsDiff.toPrecision(4)}, mean |Δ| ${(w.meanAbsDiff ?? 0).toPrecision(4)}`)
  }
  if (d.same) lines.push(d.weights === null ? 'no differences (architecture only: no weights on both sides)' : 'no differences')
  return lines.join('\n')
}
