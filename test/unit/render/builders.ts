/**
 * Builders for hand-written `ModelSummary` values: each layer helper lists the weights Keras creates
 * (in saved order) and derives the row's counts from them; `model()` adds the totals the way Keras does.
 */
import type {Dim, ModelSummary, OutputShape, SummaryRow, WeightInfo} from '../../../src/core/graph/summary-types.js'

const DTYPE_BYTES: Record<string, number> = {float16: 2, float32: 4, float64: 8, int32: 4, int64: 8}

function elements(shape: readonly Dim[]): number {
  return shape.reduce<number>((n, d) => n * (d ?? 0), 1)
}

function weight(name: string, shape: Dim[], trainable = true): WeightInfo {
  return {name, shape, dtype: 'float32', trainable}
}

function count(weights: readonly WeightInfo[], trainable?: boolean): number {
  return weights.filter((w) => trainable === undefined || w.trainable === trainable).reduce((n, w) => n + elements(w.shape), 0)
}

function bytes(weights: readonly WeightInfo[], trainable?: boolean): number {
  return weights
    .filter((w) => trainable === undefined || w.trainable === trainable)
    .filter((w) => w.shape.every((d) => d !== null))
    .reduce((n, w) => n + elements(w.shape) * (DTYPE_BYTES[w.dtype] ?? 4), 0)
}

/** A row with the given weights (all counts derived); `connected` is the Connected-to list. */
export function layer(
  name: string,
  className: string,
  shape: OutputShape,
  weights: WeightInfo[] = [],
  connected: string[] = [],
): SummaryRow {
  return {
    name,
    class_name: className,
    output_shape: shape,
    params: count(weights),
    trainable_params: count(weights, true),
    non_trainable_params: count(weights, false),
    trainable: true,
    connected_to: connected,
    weights,
  }
}

/** A Dense layer: kernel [in, units], bias [units]. */
export function dense(name: string, inDim: number, units: number, shape: OutputShape, connected: string[] = []): SummaryRow {
  return layer(name, 'Dense', shape, [weight('kernel', [inDim, units]), weight('bias', [units])], connected)
}

/** A Conv2D layer: kernel [kh, kw, in, filters], bias [filters]. */
export function conv2d(name: string, kernel: [number, number], cin: number, filters: number, shape: OutputShape): SummaryRow {
  return layer(name, 'Conv2D', shape, [weight('kernel', [kernel[0], kernel[1], cin, filters]), weight('bias', [filters])])
}

/** A BatchNormalization layer over `c` channels: gamma, beta trainable; moving mean/variance not. */
export function batchNorm(name: string, c: number, shape: OutputShape, connected: string[] = []): SummaryRow {
  const weights = [
    weight('gamma', [c]),
    weight('beta', [c]),
    weight('moving_mean', [c], false),
    weight('moving_variance', [c], false),
  ]
  return layer(name, 'BatchNormalization', shape, weights, connected)
}

/** An Embedding layer: embeddings [input_dim, output_dim]. */
export function embedding(name: string, inputDim: number, outputDim: number, shape: OutputShape, connected: string[] = []): SummaryRow {
  return layer(name, 'Embedding', shape, [weight('embeddings', [inputDim, outputDim])], connected)
}

/** An LSTM layer: kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u]. */
export function lstm(name: string, inDim: number, units: number, shape: OutputShape, connected: string[] = []): SummaryRow {
  const weights = [
    weight('lstm_cell/kernel', [inDim, 4 * units]),
    weight('lstm_cell/recurrent_kernel', [units, 4 * units]),
    weight('lstm_cell/bias', [4 * units]),
  ]
  return layer(name, 'LSTM', shape, weights, connected)
}

/** A weightless layer (InputLayer, Dropout, Activation, Flatten, …). */
export function plain(name: string, className: string, shape: OutputShape, connected: string[] = []): SummaryRow {
  return layer(name, className, shape, [], connected)
}

/** The same row with `trainable: false`: every weight becomes non-trainable (children too). */
export function frozen(row: SummaryRow): SummaryRow {
  const weights = row.weights?.map((w) => ({...w, trainable: false})) ?? null
  const out: SummaryRow = {...row, trainable: false, weights}
  if (row.params !== null) {
    out.trainable_params = 0
    out.non_trainable_params = row.params
  }
  if (row.children !== undefined) out.children = row.children.map(frozen)
  return out
}

/** A layer whose weights nobody can know (a custom class without a weights file). */
export function unknown(name: string, className: string, shape: OutputShape, connected: string[] = []): SummaryRow {
  return {...layer(name, className, shape, [], connected), params: null, trainable_params: null, non_trainable_params: null, weights: null}
}

/** A nested model row: its weights are its children's (prefixed by the child's name). */
export function nested(name: string, className: string, shape: OutputShape, children: SummaryRow[], connected: string[] = []): SummaryRow {
  const weights = children.flatMap((c) => (c.weights ?? []).map((w) => ({...w, name: `${c.name}/${w.name}`})))
  const row = layer(name, className, shape, weights, connected)
  if (children.some((c) => c.params === null)) {
    row.params = null
    row.trainable_params = null
    row.non_trainable_params = null
    row.weights = null
  }
  return {...row, children}
}

function allWeights(rows: readonly SummaryRow[]): WeightInfo[] {
  return rows.flatMap((r) => (r.weights === null ? allWeights(r.children ?? []) : r.weights))
}

/** A whole summary; totals from the rows' weights (a shared layer is one row, so it counts once). */
export function model(
  name: string,
  className: string,
  kerasVersion: string | null,
  sequentialLike: boolean,
  rows: SummaryRow[],
): ModelSummary {
  const weights = allWeights(rows)
  return {
    name,
    class_name: className,
    keras_version: kerasVersion,
    sequential_like: sequentialLike,
    rows,
    total_params: count(weights),
    trainable_params: count(weights, true),
    non_trainable_params: count(weights, false),
    total_bytes: bytes(weights),
    trainable_bytes: bytes(weights, true),
    non_trainable_bytes: bytes(weights, false),
    params_exact: !hasUnknown(rows),
  }
}

function hasUnknown(rows: readonly SummaryRow[]): boolean {
  return rows.some((r) => r.params === null || hasUnknown(r.children ?? []))
}
