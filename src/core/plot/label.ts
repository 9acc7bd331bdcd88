/**
 * The HTML-like label of one layer box, laid out as `keras.utils.plot_model` (Keras 3) draws it: a dark
 * header with `name (Class)` (or the class alone), an optional `Activation: relu` row, then one row of
 * cells — `Input shape`, `Output shape`, `Output dtype`, `Trainable` / `Non-trainable` — each only when asked
 * for (and, as in Keras, no input shape for an InputLayer and no trainable cell for a weightless layer).
 * Everything that comes from the model file is escaped here, so odd layer names cannot break the DOT text.
 */
import type {Json, JsonObject} from '../json.js'
import {isObject} from '../json.js'
import type {Dim, OutputShape, SummaryRow} from '../graph/summary-types.js'
import type {LayerSpec} from '../model/spec.js'
import {isShapeList, pyTuple} from '../render/format.js'

/** What a box shows; the flags mirror plot_model's arguments of the same names. */
export interface LabelOptions {
  showShapes: boolean
  showDtype: boolean
  showLayerNames: boolean
  showLayerActivations: boolean
  showTrainable: boolean
}

/** A shape cell before formatting: one shape, a list of cells (several tensors), `multiple`, or unknown. */
export type ShapeCell = {kind: 'shape'; dims: Dim[]} | {kind: 'list'; items: ShapeCell[]} | 'multiple' | null

/** A summary row's output as a shape cell (a multi-output layer is a list). */
export function outputCell(shape: OutputShape): ShapeCell {
  if (shape === null || shape === 'multiple') return shape
  if (isShapeList(shape)) return {kind: 'list', items: shape.map((dims) => ({kind: 'shape', dims}))}
  return {kind: 'shape', dims: shape}
}

/** One tensor of a cell: tensor `index` of a multi-output cell, the cell itself for a single output. */
export function tensorOf(cell: ShapeCell, index: number): ShapeCell {
  if (cell === null || cell === 'multiple') return cell
  if (cell.kind === 'list') return cell.items[index] ?? null
  return index === 0 ? cell : null
}

/** The cell of a call's inputs: one tensor as itself, several as a list. */
export function callCell(inputs: ShapeCell[]): ShapeCell {
  if (inputs.length === 0) return null
  return inputs.length === 1 ? inputs[0] ?? null : {kind: 'list', items: inputs}
}

/** The cell of a layer over all its calls: `multiple` when the calls disagree (a shared layer). */
export function mergeCalls(calls: ShapeCell[]): ShapeCell {
  const first = calls[0] ?? null
  return calls.every((c) => JSON.stringify(c) === JSON.stringify(first)) ? first : 'multiple'
}

/** Python's text of a cell: `(None, 10)`, `[(None, 16), (None, 16)]`, `multiple`, `?` when unknown. */
export function formatCell(cell: ShapeCell): string {
  if (cell === null) return '?'
  if (cell === 'multiple') return 'multiple'
  if (cell.kind === 'shape') return pyTuple(cell.dims)
  return `[${cell.items.map(formatCell).join(', ')}]`
}

/** Escapes text for a Graphviz HTML-like label (XML rules); control characters become U+FFFD. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
    .replaceAll(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD')
    .replaceAll(/[\t\n\r]/g, ' ')
}

function jsonString(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/**
 * The compute dtype a layer's config names: `"float32"` (Keras 2), a Keras 3 `{"class_name": "DTypePolicy",
 * "config": {"name": "mixed_float16"}}`, or tf.keras's `{"class_name": "Policy", …}`; `mixed_*` computes in
 * the half type. A nested model takes the dtype of the layer producing its first output.
 */
export function layerDtype(layer: LayerSpec): string | undefined {
  if (layer.graph !== undefined) {
    const out = layer.graph.outputs[0]?.layer
    const producer = layer.graph.layers.find((l) => l.name === out) ?? layer.graph.layers.at(-1)
    return producer === undefined || producer === layer ? undefined : layerDtype(producer)
  }
  const raw = layer.config.dtype
  const name = jsonString(raw) ?? (isObject(raw) && isObject(raw.config) ? jsonString(raw.config.name) : undefined)
  return name?.startsWith('mixed_') === true ? name.slice('mixed_'.length) : name
}

/**
 * The activation a layer's config names, when it has an `activation` key: a string (`"relu"`), a Keras 3
 * serialised function (`{"class_name": "function", "config": "relu"}`) or an activation object
 * (`{"class_name": "LeakyReLU", "config": {...}}`).
 */
export function layerActivation(config: JsonObject): string | undefined {
  const raw = config.activation
  if (raw === undefined || raw === null) return undefined
  if (typeof raw === 'string') return raw
  if (!isObject(raw)) return String(raw)
  return jsonString(raw.config) ?? (isObject(raw.config) ? jsonString(raw.config.name) : undefined) ?? jsonString(raw.class_name) ?? '?'
}

const cell = (text: string): string => `<td bgcolor="white"><font point-size="14">${text}</font></td>`

/** The row of detail cells (shapes, dtype, trainable), possibly empty. */
function detailCells(layer: LayerSpec, row: SummaryRow, input: ShapeCell, opts: LabelOptions): string[] {
  const cells: string[] = []
  if (opts.showShapes) {
    if (layer.class_name !== 'InputLayer') cells.push(cell(`Input shape: <b>${escapeHtml(formatCell(input))}</b>`))
    cells.push(cell(`Output shape: <b>${escapeHtml(formatCell(outputCell(row.output_shape)))}</b>`))
  }
  if (opts.showDtype) cells.push(cell(`Output dtype: <b>${escapeHtml(layerDtype(layer) ?? '?')}</b>`))
  const hasWeights = (row.weights?.length ?? 0) > 0 || (row.params ?? 0) > 0
  if (opts.showTrainable && hasWeights) {
    const [colour, text] = row.trainable ? ['forestgreen', 'Trainable'] : ['firebrick', 'Non-trainable']
    cells.push(`<td bgcolor="${colour}"><font point-size="14" color="white"><b>${text}</b></font></td>`)
  }
  return cells
}

/** The header text: `<b>name</b> (Class)`, or `<b>Class</b>` without layer names. */
export function headerText(name: string, className: string, showName: boolean): string {
  return showName ? `<b>${escapeHtml(name)}</b> (${escapeHtml(className)})` : `<b>${escapeHtml(className)}</b>`
}

/**
 * The full HTML-like label of a layer box, including the outer `<…>` that marks it as HTML in DOT.
 * `input` is the layer's input cell (ignored for an InputLayer).
 */
export function layerLabel(layer: LayerSpec, row: SummaryRow, input: ShapeCell, opts: LabelOptions): string {
  const cells = detailCells(layer, row, input, opts)
  const span = Math.max(1, cells.length)
  const rows = [`<tr><td colspan="${span}" bgcolor="black"><font point-size="16" color="white">${headerText(row.name, row.class_name, opts.showLayerNames)}</font></td></tr>`]
  const activation = opts.showLayerActivations ? layerActivation(layer.config) : undefined
  if (activation !== undefined) {
    rows.push(`<tr><td colspan="${span}" bgcolor="white"><font point-size="14">Activation: <b>${escapeHtml(activation)}</b></font></td></tr>`)
  }
  if (cells.length > 0) rows.push(`<tr>${cells.join('')}</tr>`)
  return `<<table border="0" cellborder="1" cellspacing="2" cellpadding="10" bgcolor="black">${rows.join('')}</table>>`
}
