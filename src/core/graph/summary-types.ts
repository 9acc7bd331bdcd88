/**
 * The engine's answer about a model, as every summary renderer (table, Keras text styles, JSON) consumes it.
 * Produced by `summarize()` from the canonical ModelSpec without allocating weight bytes.
 */

/** One dimension: a size, or null for Keras's `None` (unknown). */
export type Dim = number | null

/**
 * A layer's output: one shape including the batch dimension (`[null, 10]`), a list of shapes for a
 * multi-output layer, `'multiple'` when a shared layer's calls have different shapes, or null when unknown.
 */
export type OutputShape = Dim[] | Dim[][] | 'multiple' | null

/** One expected weight of a layer, in Keras's saved order (trainable first, then non-trainable). */
export interface WeightInfo {
  /** Keras's short weight name: `kernel`, `bias`, `moving_mean`, `forward_lstm/lstm_cell/kernel`. */
  name: string
  shape: Dim[]
  dtype: string
  trainable: boolean
}

/** One row of a summary. */
export interface SummaryRow {
  name: string
  class_name: string
  output_shape: OutputShape
  /** All of the layer's weights (trainable + non-trainable); null when it cannot be known (custom layer). */
  params: number | null
  trainable_params: number | null
  non_trainable_params: number | null
  /** The layer's own `trainable` flag. */
  trainable: boolean
  /** Inbound connections as Keras prints them: `input_1[0][0]`, all calls of the layer, in order. */
  connected_to: string[]
  /** Expected weights in saved order; empty for weightless layers; null when unknown. */
  weights: WeightInfo[] | null
  /** Inner rows when the layer is a nested model (for --expand-nested); absent otherwise. */
  children?: SummaryRow[]
  /** Multiply-accumulates of one forward pass at batch 1 (only with `summarize(model, {macs: true})`); null = unknown. */
  macs?: number | null
}

/** The whole summary. Totals de-duplicate shared layers as Keras does. */
export interface ModelSummary {
  name: string
  class_name: string
  keras_version: string | null
  /** Keras's "sequential-like" test (§4.3): decides between the 3- and 4-column layouts. */
  sequential_like: boolean
  rows: SummaryRow[]
  total_params: number
  trainable_params: number
  non_trainable_params: number
  /** Bytes of all weights (Σ elements × dtype size), as Keras 2.13+ and Keras 3 print them. */
  total_bytes: number
  trainable_bytes: number
  non_trainable_bytes: number
  /** False when some layer's params are unknown: the totals are then a lower bound. */
  params_exact: boolean
  /** Σ MACs of the rows (with `{macs: true}` only); a lower bound when `macs_exact` is false. */
  total_macs?: number
  macs_exact?: boolean
}
