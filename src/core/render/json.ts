/**
 * `kmodel summary --json`: the `result` of the JSON envelope, shaped as DESIGN.md fixes it
 * (camelCase, stable, no colour). `totalBytes` and the nested `layers` of a nested model's row are
 * additive extensions; consumers that ignore unknown keys see exactly the documented shape.
 */
import type {Dim, ModelSummary, SummaryRow} from '../graph/summary-types.js'
import {isShapeList} from './format.js'

/** A layer's output shape in JSON: `[null, 10]`, a list of shapes, `"multiple"`, or null when unknown. */
export type OutputShapeJson = Dim[] | Dim[][] | 'multiple' | null

/** One layer of `summary --json`. */
export interface SummaryLayerResult {
  name: string
  className: string
  outputShape: OutputShapeJson
  /** All of the layer's weights; null when they cannot be known (a custom layer without weights). */
  params: number | null
  trainable: boolean
  /** Inbound connections as Keras prints them: `input_1[0][0]`. */
  connectedTo: string[]
  /** Inner layers, only on the row of a nested model. */
  layers?: SummaryLayerResult[]
  /** Multiply-accumulates of one forward pass at batch 1 (`--flops` only); null when unknown. */
  macs?: number | null
}

/** The result of `kmodel summary --json`. */
export interface SummaryResult {
  name: string
  className: string
  kerasVersion: string | null
  layers: SummaryLayerResult[]
  totalParams: number
  trainableParams: number
  nonTrainableParams: number
  /** False when some layer's params are unknown, so the totals are lower bounds. */
  paramsExact: boolean
  /** Bytes of all weights (Σ elements × dtype size), the figure Keras 2.13+ and 3 print in brackets. */
  totalBytes: number
  /** Σ MACs at batch 1 (`--flops` only); FLOPs = 2 × MACs. */
  totalMacs?: number
  /** False when some layer's MACs are unknown (`--flops` only). */
  macsExact?: boolean
}

/** Where the summary came from, as far as the result reports it. */
export interface SummarySource {
  /** The `keras_version` to report; defaults to the summary's own (the file's attribute). */
  kerasVersion?: string | null
}

function copyShape(shape: SummaryRow['output_shape']): OutputShapeJson {
  if (shape === null || shape === 'multiple') return shape
  if (isShapeList(shape)) return shape.map((one) => [...one])
  return [...shape]
}

function layerResult(row: SummaryRow): SummaryLayerResult {
  const out: SummaryLayerResult = {
    name: row.name,
    className: row.class_name,
    outputShape: copyShape(row.output_shape),
    params: row.params,
    trainable: row.trainable,
    connectedTo: [...row.connected_to],
  }
  if (row.children !== undefined) out.layers = row.children.map(layerResult)
  if (row.macs !== undefined) out.macs = row.macs
  return out
}

/** Converts an engine summary to the documented `summary --json` result (a fresh object; input untouched). */
export function summaryToJson(summary: ModelSummary, source: SummarySource = {}): SummaryResult {
  return {
    name: summary.name,
    className: summary.class_name,
    kerasVersion: source.kerasVersion === undefined ? summary.keras_version : source.kerasVersion,
    layers: summary.rows.map(layerResult),
    totalParams: summary.total_params,
    trainableParams: summary.trainable_params,
    nonTrainableParams: summary.non_trainable_params,
    paramsExact: summary.params_exact,
    totalBytes: summary.total_bytes,
    ...(summary.total_macs === undefined ? {} : {totalMacs: summary.total_macs, macsExact: summary.macs_exact ?? false}),
  }
}
