/**
 * summarize(): the canonical model → the ModelSummary every renderer consumes. Rows follow `model.layers`
 * order (a Sequential hides its InputLayer, as Keras does), a shared layer is one row whose output shape is
 * `multiple` when its calls differ, and totals count each layer once (KERAS-REFERENCE §4.1–4.5).
 */
import type {Dialect, GraphSpec, ModelSpec, TensorRef} from '../model/spec.js'
import type {CallOutputs, GraphEval, LayerEval} from './evaluate.js'
import {evaluateGraph} from './evaluate.js'
import {type LayerMacs, type MacsReport, macsOfGraph} from './flops.js'
import {countWeights, totals} from './params.js'
import type {Dim, ModelSummary, OutputShape, SummaryRow} from './summary-types.js'
import type {CallSite} from './topology.js'
import {layerNamed} from '../model/lookup.js'

/** One call's outputs as a summary cell: a shape, a list of shapes, or null when any is unknown. */
function callShape(outputs: CallOutputs): OutputShape {
  if (outputs === null) return null
  const shapes = outputs.filter((s): s is Dim[] => s !== null)
  if (shapes.length === 0 || shapes.length < outputs.length) return null
  return shapes.length === 1 ? shapes[0] ?? null : shapes
}

/** The output cell of a layer over all its calls: `multiple` when called calls disagree. */
function outputShape(calls: CallOutputs[]): OutputShape {
  const cells = calls.map(callShape)
  const firstCell = cells[0] ?? null
  const same = cells.every((c) => JSON.stringify(c) === JSON.stringify(firstCell))
  return same ? firstCell : 'multiple'
}

/**
 * The node index Keras prints for a reference. A nested functional model, and a nested Sequential that starts
 * with an InputLayer, is saved with its calls numbered from 1 (§1.3), but the live model Keras summarises numbers them from 0 (real
 * tf_keras 2.18 output: `['sequential[0][0]']` for a file that says `["sequential", 1, 0]`).
 */
function printedNodeIndex(graph: GraphSpec, ref: TensorRef, dialect: Dialect): number {
  if (dialect === 'keras3') return ref.node_index // Keras 3 numbers a nested model's calls from 0 in the file too
  const source = layerNamed(graph, ref.layer)
  const owned = source?.graph !== undefined && (!source.graph.sequential || source.graph.layers[0]?.class_name === 'InputLayer')
  const offset = owned && ref.node_index >= 1 ? 1 : 0
  return ref.node_index - offset
}

/** `input_1[0][0]` for every tensor of every call, in order. */
function connections(evaluation: LayerEval, graph: GraphSpec, dialect: Dialect): string[] {
  if (graph.sequential) return []
  return evaluation.inbound.flatMap((refs) => refs.map((r) => `${r.layer}[${printedNodeIndex(graph, r, dialect)}][${r.tensor_index}]`))
}

/** The rows of a graph's layers (Sequential: without the InputLayer). */
function rowsOf(evaluation: GraphEval): SummaryRow[] {
  const sequential = evaluation.graph.sequential
  return evaluation.layers
    .filter((l) => !(sequential && l.layer.class_name === 'InputLayer'))
    .map((l) => rowOf(l, evaluation.graph, evaluation.dialect))
}

function rowOf(evaluation: LayerEval, graph: GraphSpec, dialect: Dialect): SummaryRow {
  const counts = countWeights(evaluation.weights)
  const row: SummaryRow = {
    name: evaluation.layer.name,
    class_name: evaluation.layer.class_name,
    output_shape: outputShape(evaluation.calls),
    params: counts.total,
    trainable_params: counts.trainable,
    non_trainable_params: counts.non_trainable,
    trainable: evaluation.layer.config.trainable !== false,
    connected_to: connections(evaluation, graph, dialect),
    weights: evaluation.weights,
  }
  if (evaluation.nested !== undefined) row.children = rowsOf(evaluation.nested)
  return row
}

/** Calls that lead to an output, each with its depth (outputs are 0; a producer is one deeper than its consumers). */
function depths(evaluation: GraphEval): Map<CallSite, number> {
  const byKey = new Map(evaluation.order.map((c) => [`${c.layer.name}\u0000${c.node_index}`, c]))
  const depth = new Map<CallSite, number>()
  for (const ref of evaluation.graph.outputs) {
    const call = byKey.get(`${ref.layer}\u0000${ref.node_index}`)
    if (call !== undefined) depth.set(call, 0)
  }
  for (const call of [...evaluation.order].reverse()) {
    const d = depth.get(call)
    if (d === undefined) continue
    for (const ref of [...call.node.inputs, ...call.node.kwarg_inputs]) {
      const producer = byKey.get(`${ref.layer}\u0000${ref.node_index}`)
      if (producer !== undefined) depth.set(producer, Math.max(depth.get(producer) ?? 0, d + 1))
    }
  }
  return depth
}

/**
 * Keras's sequential-like test (§4.3): a Sequential, or a functional graph where every depth holds one call
 * with at most one input tensor and no layer is called twice on the way to the outputs.
 */
export function isSequentialLike(evaluation: GraphEval): boolean {
  if (evaluation.graph.sequential) return true
  const depth = depths(evaluation)
  const perDepth = new Map<number, number>()
  const perLayer = new Map<string, number>()
  for (const [call, d] of depth) {
    perDepth.set(d, (perDepth.get(d) ?? 0) + 1)
    perLayer.set(call.layer.name, (perLayer.get(call.layer.name) ?? 0) + 1)
    if (call.node.inputs.length + call.node.kwarg_inputs.length > 1) return false
  }
  return [...perDepth.values()].every((n) => n === 1) && [...perLayer.values()].every((n) => n === 1)
}

/**
 * Summarises a model without weight bytes: rows with output shapes, connections and expected weights,
 * de-duplicated totals and byte sizes. Throws FormatError (from topology) on a broken graph.
 */
export function summarize(model: ModelSpec, opts: {macs?: boolean} = {}): ModelSummary {
  const evaluation = evaluateGraph(model.root, model.root.graph, {dialect: model.dialect, keras_version: model.keras_version})
  const sums = totals(evaluation.leaves)
  const summary: ModelSummary = {
    name: model.root.name,
    class_name: model.root.class_name,
    keras_version: model.keras_version,
    sequential_like: isSequentialLike(evaluation),
    rows: rowsOf(evaluation),
    ...sums,
  }
  return opts.macs === true ? withMacs(summary, macsOfGraph(evaluation)) : summary
}

/** Puts per-layer MACs on the rows (nested rows too) and the total on the summary. */
function withMacs(summary: ModelSummary, report: MacsReport): ModelSummary {
  const attach = (rows: SummaryRow[], macs: LayerMacs[]): SummaryRow[] => rows.map((row, i) => {
    const m = macs[i]
    const out: SummaryRow = {...row, macs: m?.macs ?? null}
    if (row.children !== undefined && m?.children !== undefined) out.children = attach(row.children, m.children)
    return out
  })
  return {...summary, rows: attach(summary.rows, report.layers), total_macs: report.total, macs_exact: report.exact}
}
