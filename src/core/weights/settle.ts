/**
 * Which saved weights belong to which summary row, for `summary` (issue 12.3): the file's own weights (a
 * full-model .h5, a .keras) or a `--weights` file settle the counts of layers the engine cannot know.
 *
 * Matched by the layer names the file records, as Keras's by-name loading and the Keras 3 loader do: legacy
 * HDF5 `layer_names` (weightless layers included), Keras 3 layer paths `layers/<key>/vars` (named by their
 * `vars` attribute from Keras 3.6, else by the model's snake-cased class key), tfjs weight-name prefixes.
 * Only when none of the file's weighted layers bears a model layer's name (weights saved from another
 * instance: `dense_6` for `dense`) are they paired by order, Keras's load_weights default. Nothing here throws:
 * what does not line up becomes a warning, and the engine's numbers stay.
 */
import type {Warning} from '../errors.js'
import {dtypeBytes} from '../graph/params.js'
import type {ModelSummary, SummaryRow, WeightInfo} from '../graph/summary-types.js'
import type {ModelSpec} from '../model/spec.js'
import {keras3Keys} from './model-keys.js'
import type {LayerWeights, WeightsFile} from './types.js'

/** What the file holds for one model layer. */
export interface FileLayerCount {
  /** Elements of all the layer's saved variables. */
  params: number
  /** Their bytes (elements × dtype size). */
  bytes: number
  /** The variables, as summary weights (trainability is the row's: files do not record it). */
  weights: Array<Omit<WeightInfo, 'trainable'>>
  /** Where the file keeps them (`/model_weights/scale`, `/layers/scale`), for messages. */
  path: string
}

/** The file's layers by the model layer they belong to, how they were paired, and what did not line up. */
export interface FileMatch {
  counts: Map<string, FileLayerCount>
  mode: 'name' | 'order' | 'none'
  warnings: Warning[]
}

const elements = (shape: number[]): number => shape.reduce((n, d) => n * d, 1)

/** Sums one file layer's variables. */
export function countLayer(layer: LayerWeights): FileLayerCount {
  let params = 0
  let bytes = 0
  for (const t of layer.weights) {
    const n = elements(t.shape)
    params += n
    bytes += n * dtypeBytes(t.dtype)
  }
  return {params, bytes, weights: layer.weights.map((t) => ({name: t.name, shape: [...t.shape], dtype: t.dtype})), path: layer.path}
}

/**
 * The model layer a file layer belongs to, by the name the file records: a legacy `layer_names` entry, a
 * tfjs prefix, a Keras 3.6+ `vars` name; for older Keras 3 files the group key read as the model's key.
 */
function recordedName(layer: LayerWeights, file: WeightsFile, byKey: ReadonlyMap<string, string>): string | undefined {
  if (file.layout !== 'keras3' || layer.name_is_layer_name) return layer.name
  return byKey.get(layer.path.split('/').pop() ?? layer.name)
}

const expectsWeights = (row: SummaryRow): boolean => row.weights === null || row.weights.length > 0 || row.params === null

/**
 * Pairs weighted file layers with the rows that may have weights, in order, when both lists are as long and
 * every pair whose count the engine knows agrees (Keras's load_weights would refuse the others).
 */
function byOrder(rows: SummaryRow[], file: WeightsFile, weighted: LayerWeights[]): FileMatch {
  const wanting = rows.filter(expectsWeights)
  const agrees = (row: SummaryRow, i: number): boolean => row.params === null || row.params === countLayer(weighted[i] as LayerWeights).params
  if (wanting.length !== weighted.length || !wanting.every(agrees)) {
    const message = `the layer names ${file.source} records (${weighted.slice(0, 4).map((l) => `'${l.name}'`).join(', ')}${weighted.length > 4 ? ', …' : ''}) are not the model's, and its ${weighted.length} layers with weights do not line up by order with the model's ${wanting.length}: layers of unknown size stay unknown.`
    return {counts: new Map(), mode: 'none', warnings: [{path: file.source, message}]}
  }
  return {counts: new Map(wanting.map((row, i) => [row.name, countLayer(weighted[i] as LayerWeights)])), mode: 'order', warnings: []}
}

/**
 * Matches a weights file to the summary's top-level rows (Keras's `model.layers`). By name when every
 * weighted layer of the file names a model layer; by order when none does, or when some do not and the
 * order lines up (Keras's load_weights default); else by the names that match, the others reported.
 * Never throws.
 */
export function matchFileLayers(model: ModelSpec, summary: ModelSummary, file: WeightsFile): FileMatch {
  const rowNames = new Set(summary.rows.map((r) => r.name))
  const byKey = new Map([...keras3Keys(model.root.graph)].map(([name, key]) => [key, name]))
  const named = file.layers.map((layer) => ({layer, name: recordedName(layer, file, byKey)}))
  const weighted = named.filter((n) => n.layer.weights.length > 0)
  const strays = weighted.filter((n) => n.name === undefined || !rowNames.has(n.name))
  if (strays.length > 0) {
    const order = byOrder(summary.rows, file, weighted.map((n) => n.layer))
    if (order.mode === 'order' || strays.length === weighted.length) return order
  }
  const counts = new Map<string, FileLayerCount>()
  for (const {layer, name} of named) {
    if (name !== undefined && rowNames.has(name) && !counts.has(name)) counts.set(name, countLayer(layer))
  }
  const listed = strays.map((n) => `'${n.name ?? n.layer.path}'`)
  const warnings: Warning[] = listed.length === 0 ? [] : [{
    path: file.source,
    message: `${file.source} holds weights for ${listed.length === 1 ? 'a layer' : 'layers'} the model does not have (${listed.slice(0, 4).join(', ')}${listed.length > 4 ? ', …' : ''}); ${listed.length === 1 ? 'it is' : 'they are'} not counted.`,
  }]
  return {counts, mode: 'name', warnings}
}
