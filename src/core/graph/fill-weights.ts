/**
 * Settling what the shape engine could not know: a custom layer's parameter count taken from the weights
 * the model file carries (full-model .h5, .keras) or a weights file given with `summary --weights`.
 * Keras itself counts the variables a layer owns; for a layer kmodel cannot build, the weights file is the
 * only honest source.
 */
import type {Assignment} from '../weights/match.js'
import type {WeightData} from '../weights/types.js'
import type {ModelSummary, SummaryRow, WeightInfo} from './summary-types.js'

const BYTES: Record<string, number> = {float16: 2, bfloat16: 2, float64: 8, int64: 8, uint64: 8, int8: 1, uint8: 1, bool: 1, int16: 2, uint16: 2}

function bytesOf(dtype: string, elements: number): number {
  return elements * (BYTES[dtype] ?? 4)
}

/** Fills unknown rows from the assignments of a load; returns a new summary (totals recomputed). */
export function fillFromWeights(summary: ModelSummary, assignments: Assignment[]): ModelSummary {
  const byLayer = new Map(assignments.map((a) => [a.layer, a]))
  let addTrainable = 0
  let addNonTrainable = 0
  let addTrainableBytes = 0
  let addNonTrainableBytes = 0
  const rows: SummaryRow[] = summary.rows.map((row) => {
    const a = byLayer.get(row.name)
    if (row.params !== null || a === undefined) return row
    const weights: WeightInfo[] = a.weights.map((w) => ({name: w.name, shape: w.tensor.shape, dtype: w.tensor.dtype, trainable: row.trainable}))
    const count = a.weights.reduce((n, w) => n + (w.tensor.data as WeightData).length, 0)
    const bytes = a.weights.reduce((n, w) => n + bytesOf(w.tensor.dtype, w.tensor.data.length), 0)
    if (row.trainable) {
      addTrainable += count
      addTrainableBytes += bytes
    } else {
      addNonTrainable += count
      addNonTrainableBytes += bytes
    }
    return {...row, params: count, trainable_params: row.trainable ? count : 0, non_trainable_params: row.trainable ? 0 : count, weights}
  })
  return {
    ...summary,
    rows,
    total_params: summary.total_params + addTrainable + addNonTrainable,
    trainable_params: summary.trainable_params + addTrainable,
    non_trainable_params: summary.non_trainable_params + addNonTrainable,
    total_bytes: summary.total_bytes + addTrainableBytes + addNonTrainableBytes,
    trainable_bytes: summary.trainable_bytes + addTrainableBytes,
    non_trainable_bytes: summary.non_trainable_bytes + addNonTrainableBytes,
    params_exact: rows.every((r) => r.params !== null),
  }
}
