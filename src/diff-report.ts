/** Human rendering of `kmodel diff`: one line per difference, grouped, like a review note. */
import type {DiffResult} from './core/diff.js'
import type {OutputShape} from './core/graph/summary-types.js'

const shape = (s: OutputShape): string => (s === null ? '?' : JSON.stringify(s).replaceAll('null', 'None'))
const value = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v))

/** The report text; "no differences" when the models are the same. */
export function renderDiff(d: DiffResult, nameA: string, nameB: string): string {
  const lines = [`--- ${nameA}`, `+++ ${nameB}`]
  for (const name of d.removed) lines.push(`- layer ${name} (removed)`)
  for (const name of d.added) lines.push(`+ layer ${name} (added)`)
  for (const c of d.changed) {
    const head = c.renamed ? `~ layer ${c.a} → ${c.b} (renamed)` : `~ layer ${c.a}`
    lines.push(head)
    if (c.classChanged !== null) lines.push(`    class: ${c.classChanged.a} → ${c.classChanged.b}`)
    if (c.outputShape !== null) lines.push(`    output shape: ${shape(c.outputShape.a)} → ${shape(c.outputShape.b)}`)
    if (c.params !== null) lines.push(`    params: ${c.params.a ?? '?'} → ${c.params.b ?? '?'}`)
    for (const k of c.config) lines.push(`    ${k.path}: ${value(k.a)} → ${value(k.b)}`)
  }
  if (d.totals.a !== d.totals.b) lines.push(`~ total params: ${d.totals.a} → ${d.totals.b}`)
  for (const w of d.weights ?? []) {
    lines.push(w.maxAbsDiff === null
      ? `~ weight ${w.layer}/${w.weight}: shape (${w.shapeA.join(', ')}) → (${w.shapeB.join(', ')})`
      : `~ weight ${w.layer}/${w.weight}: max |Δ| ${w.maxAbsDiff.toPrecision(4)}, mean |Δ| ${(w.meanAbsDiff ?? 0).toPrecision(4)}`)
  }
  if (d.same) lines.push(d.weights === null ? 'no differences (architecture only: no weights on both sides)' : 'no differences')
  return lines.join('\n')
}
