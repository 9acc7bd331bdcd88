/**
 * Settling what the shape engine could not know: a custom layer's parameter count taken from the weights
 * the model file carries (full-model .h5, .keras) or a weights file given with `summary --weights`.
 * Keras itself counts the variables a layer owns; for a layer kmodel cannot build, the weights file is the
 * only honest source. The engine's numbers are never replaced: a layer it knows whose saved weights differ
 * is a warning, and a nested model adds only what its known layers do not already count, so a nested model
 * (or a layer it shares) counts once in the totals, as Keras's count_params does.
 */
import type {Warning} from '../errors.js'
import type {FileLayerCount} from '../weights/settle.js'
import {dtypeBytes, weightElements} from './params.js'
import type {ModelSummary, SummaryRow} from './summary-types.js'

/** What a row's known leaves already count: params split by trainability, and bytes. */
interface Known {
  trainable: number
  nonTrainable: number
  bytes: number
  /** Leaf rows whose params are unknown, with whether they (and every model around them) are trainable. */
  unknown: Array<{row: SummaryRow; trainable: boolean}>
}

function rowBytes(row: SummaryRow): number {
  return (row.weights ?? []).reduce((n, w) => n + (weightElements(w) ?? 0) * dtypeBytes(w.dtype), 0)
}

/** Sums the known leaves under a row (the row itself when it is a plain layer). */
function knownOf(row: SummaryRow, trainable: boolean, into: Known): Known {
  const effective = trainable && row.trainable
  if (row.children !== undefined) {
    for (const child of row.children) knownOf(child, effective, into)
    return into
  }
  if (row.params === null) {
    into.unknown.push({row, trainable: effective})
    return into
  }
  into.trainable += row.trainable_params ?? 0
  into.nonTrainable += row.non_trainable_params ?? 0
  into.bytes += rowBytes(row)
  return into
}

/** A leaf row with its count settled. */
function settledLeaf(row: SummaryRow, params: number, trainable: boolean, file?: FileLayerCount): SummaryRow {
  const out: SummaryRow = {...row, params, trainable_params: trainable ? params : 0, non_trainable_params: trainable ? 0 : params}
  if (file !== undefined) out.weights = file.weights.map((w) => ({...w, trainable}))
  else if (params === 0) out.weights = []
  return out
}

/**
 * Gives the unknown leaves of a nested model what the file adds (`extra`): all of them none when it adds
 * nothing, the only one all of it; otherwise they stay unknown. Inner model rows are re-summed.
 */
function settleChildren(row: SummaryRow, extra: number, unknown: Known['unknown']): SummaryRow {
  const only = unknown.length === 1 ? unknown[0] : undefined
  const fixed = new Map(extra === 0 ? unknown.map((u) => [u.row, settledLeaf(u.row, 0, u.trainable)]) : only === undefined ? [] : [[only.row, settledLeaf(only.row, extra, only.trainable)]])
  const walk = (r: SummaryRow): SummaryRow => {
    const leaf = fixed.get(r)
    if (leaf !== undefined) return leaf
    if (r.children === undefined || r.params !== null) return r
    const children = r.children.map(walk)
    if (children.some((c) => c.params === null)) return {...r, children}
    const sum = (f: (c: SummaryRow) => number | null): number => children.reduce((n, c) => n + (f(c) ?? 0), 0)
    return {...r, children, params: sum((c) => c.params), trainable_params: sum((c) => c.trainable_params), non_trainable_params: sum((c) => c.non_trainable_params)}
  }
  return walk(row)
}

/** Adds to a summary's totals. */
function addTotals(summary: ModelSummary, trainable: number, nonTrainable: number, trainableBytes: number, nonTrainableBytes: number): ModelSummary {
  return {
    ...summary,
    total_params: summary.total_params + trainable + nonTrainable,
    trainable_params: summary.trainable_params + trainable,
    non_trainable_params: summary.non_trainable_params + nonTrainable,
    total_bytes: summary.total_bytes + trainableBytes + nonTrainableBytes,
    trainable_bytes: summary.trainable_bytes + trainableBytes,
    non_trainable_bytes: summary.non_trainable_bytes + nonTrainableBytes,
  }
}

const plural = (n: number): string => `${n.toLocaleString('en-US')} parameter${n === 1 ? '' : 's'}`

/**
 * Settles the unknown top-level rows from the file's counts (by model layer name; see weights/settle.ts) and
 * checks the known ones. Returns a new summary (totals adjusted) and a warning per layer that did not fit.
 */
export function settleFromCounts(summary: ModelSummary, counts: ReadonlyMap<string, FileLayerCount>, source: string): {summary: ModelSummary; warnings: Warning[]} {
  const warnings: Warning[] = []
  let add = {trainable: 0, nonTrainable: 0, trainableBytes: 0, nonTrainableBytes: 0}
  const rows = summary.rows.map((row) => {
    const file = counts.get(row.name)
    if (file === undefined) return row
    if (row.params !== null) {
      if (row.params !== file.params) warnings.push({path: `${source}:${file.path}`, message: `the saved weights of layer '${row.name}' (${row.class_name}) hold ${plural(file.params)}, the architecture gives ${plural(row.params)}: the architecture's count is kept.`})
      return row
    }
    const known = knownOf(row, true, {trainable: 0, nonTrainable: 0, bytes: 0, unknown: []})
    const extra = file.params - known.trainable - known.nonTrainable
    if (extra < 0) {
      warnings.push({path: `${source}:${file.path}`, message: `the saved weights of layer '${row.name}' (${row.class_name}) hold ${plural(file.params)}, fewer than the ${plural(known.trainable + known.nonTrainable)} its known layers have: its count stays unknown.`})
      return row
    }
    const only = known.unknown.length === 1 ? known.unknown[0] : undefined
    const trainable = row.children === undefined ? row.trainable : only?.trainable ?? row.trainable
    const extraBytes = Math.max(0, file.bytes - known.bytes)
    add = trainable
      ? {...add, trainable: add.trainable + extra, trainableBytes: add.trainableBytes + extraBytes}
      : {...add, nonTrainable: add.nonTrainable + extra, nonTrainableBytes: add.nonTrainableBytes + extraBytes}
    if (row.children === undefined) return settledLeaf(row, file.params, trainable, file)
    const t = known.trainable + (trainable ? extra : 0)
    const n = known.nonTrainable + (trainable ? 0 : extra)
    return {...settleChildren(row, extra, known.unknown), params: file.params, trainable_params: t, non_trainable_params: n}
  })
  const out = addTotals({...summary, rows}, add.trainable, add.nonTrainable, add.trainableBytes, add.nonTrainableBytes)
  return {summary: {...out, params_exact: rows.every((r) => r.params !== null)}, warnings}
}
