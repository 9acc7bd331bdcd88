/**
 * load-weights' core: what the model expects (from the shape engine), the file's layers put in the model's
 * terms (Keras 3 keys → layers, Keras 1 arrays → Keras 2 arrays), the match, and the retargeted weights file.
 */
import {summarize} from '../graph/summarize.js'
import type {ModelSummary, SummaryRow} from '../graph/summary-types.js'
import type {LayerSpec, ModelSpec} from '../model/spec.js'
import {type Assignment, type ExpectedLayer, type MatchReport, matchWeights} from './match.js'
import {convertLayerWeights} from './convert.js'
import {freshModelWeights} from './fresh.js'
import {nestedPaths} from './keras3-paths.js'
import {keras3Keys, modelLayers} from './model-keys.js'
import type {LayerWeights, WeightTensor, WeightsFile} from './types.js'

/** The model's top-level layers as the matcher sees them (Keras's `model.layers`, in order). */
export function expectedLayers(summary: ModelSummary): ExpectedLayer[] {
  return summary.rows.map((row) => ({name: row.name, class_name: row.class_name, weights: row.weights}))
}

/** Keras assumes a file without keras_version was written by Keras 1 (tf.keras load_weights). */
function writtenByKeras1(file: WeightsFile): boolean {
  return file.layout === 'keras2' && (file.keras_version === null || file.keras_version.startsWith('1'))
}

/**
 * Puts the file's layers in model order where the file's own order is not the model's: Keras 3 loads by
 * walking the model and reading each layer's key (h5py stores groups in no particular order); tfjs by name.
 */
export function alignToModel(file: WeightsFile, model: ModelSpec): WeightsFile {
  if (file.layout === 'tfjs') return alignTfjs(file, model)
  if (file.layout !== 'keras3') return file
  const keyOf = keras3Keys(model.root.graph)
  const byKey = new Map(file.layers.map((l) => [l.path.split('/').pop() ?? l.name, l]))
  const ordered: LayerWeights[] = []
  const rows = modelLayers(model.root.graph).some((l) => l.graph !== undefined) ? new Map(summarize(model).rows.map((r) => [r.name, r])) : undefined
  for (const layer of modelLayers(model.root.graph)) {
    const saved = byKey.get(keyOf.get(layer.name) ?? '')
    if (saved === undefined) continue
    byKey.delete(keyOf.get(layer.name) ?? '')
    const row = rows?.get(layer.name)
    ordered.push(layer.graph === undefined || row === undefined ? saved : inNestedOrder(saved, layer, row))
  }
  return {...file, layers: [...ordered, ...byKey.values()]}
}

/**
 * A nested model's variables in its saved order. The reader gives them by path (`layers/<key>/vars/0`), its
 * sub-layers sorted by key as HDF5 lists them (`batch_normalization` before `dense`), which is not the nested
 * model's layer order: Keras 3 reads each sub-layer from its own path. When every path the model expects is in
 * the file, the tensors are put in that order; otherwise they are left as they are (the matcher reports it).
 */
function inNestedOrder(saved: LayerWeights, layer: LayerSpec, row: SummaryRow): LayerWeights {
  let paths: string[]
  try {
    paths = nestedPaths(layer, row, `layer '${layer.name}' (${layer.class_name})`)
  } catch {
    return saved // a layout kmodel cannot derive: left to the matcher
  }
  const byPath = new Map(saved.weights.map((w) => [w.name, w]))
  if (paths.length !== saved.weights.length || !paths.every((p) => byPath.has(p))) return saved
  return {...saved, weights: paths.map((p) => byPath.get(p) as WeightTensor)}
}

/**
 * tfjs manifests list weights in the converter's order, not the model's; tfjs itself loads them by name.
 * When every layer the file names is a model layer, put them in model order; otherwise keep the file's order.
 */
function alignTfjs(file: WeightsFile, model: ModelSpec): WeightsFile {
  const order = new Map(modelLayers(model.root.graph).map((l, i) => [l.name, i]))
  if (!file.layers.every((l) => order.has(l.name))) return file
  return {...file, layers: [...file.layers].sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0))}
}

/** Everything load-weights learns. */
export interface LoadResult {
  summary: ModelSummary
  file: WeightsFile
  assignments: Assignment[]
  report: MatchReport
}

/** Matches `file` onto `model` by order (Keras's default) or by name. */
export function loadInto(model: ModelSpec, file: WeightsFile, opts: {byName: boolean; skipMismatch: boolean}): LoadResult {
  const summary = summarize(model)
  const aligned = alignToModel(file, model)
  const configs = new Map(modelLayers(model.root.graph).map((l) => [l.name, l]))
  const keras1 = writtenByKeras1(file)
  const convert = (layer: ExpectedLayer, saved: LayerWeights): WeightTensor[] => {
    const spec = configs.get(layer.name)
    return spec === undefined ? saved.weights : convertLayerWeights({class_name: spec.class_name, config: spec.config}, saved.weights, {keras1})
  }
  const {assignments, report} = matchWeights(expectedLayers(summary), aligned, {mode: opts.byName ? 'name' : 'order', skipMismatch: opts.skipMismatch, convert})
  return {summary, file: aligned, assignments, report}
}

/**
 * The saved name of a weight after retargeting to model layer `layer`: a legacy name keeps its form with the
 * layer prefix replaced (`dense_4/kernel:0` → `dense_1/kernel:0`; nested models' inner names are kept);
 * Keras 3 files name variables by position (`vars/0`), so the Keras 2 name is built (`dense_1/kernel:0`).
 */
function retargetName(tensor: WeightTensor, fromKeras3: boolean, fileLayer: string, layer: string, shortName: string): string {
  if (fromKeras3 || !tensor.name.includes('/')) return `${layer}/${shortName}:0`
  if (fileLayer !== layer && tensor.name.startsWith(`${fileLayer}/`)) return `${layer}/${tensor.name.slice(fileLayer.length + 1)}`
  return tensor.name
}

/** Options of retarget. */
export interface RetargetOptions {
  /** Seed of the fresh initial weights given to layers the load left without weights (default 0). */
  seed?: number
  /** false: leave such layers without weights (the caller fills them, e.g. to warn); default true. */
  fill?: boolean
}

/**
 * The weights as the model would save them: every model layer (weightless ones too, as `layer_names` lists
 * them), named by the model, holding what was matched. A layer with weights that the load left unloaded (by
 * name, or skipped with skip-mismatch) holds fresh initial weights from its config (seed `opts.seed`, 0 by
 * default): what Keras's save writes after such a load, the model's own initial values. WeightsError
 * KM_WEIGHTS_UNKNOWN_LAYER when those cannot be made (a custom layer in the model).
 */
export function retarget(result: LoadResult, model: ModelSpec, opts: RetargetOptions = {}): WeightsFile {
  const byLayer = new Map(result.assignments.map((a) => [a.layer, a]))
  const layers: LayerWeights[] = modelLayers(model.root.graph).map((layer) => {
    const a = byLayer.get(layer.name)
    const weights = a === undefined ? [] : a.weights.map((w) => ({...w.tensor, name: retargetName(w.tensor, result.file.layout === 'keras3', a.file_layer, layer.name, w.name)}))
    return {name: layer.name, path: `/${layer.name}`, name_is_layer_name: true, weights}
  })
  const file: WeightsFile = {...result.file, layout: 'keras2', source: 'retargeted', layers}
  const expected = new Map(result.summary.rows.map((r) => [r.name, r.weights === null ? 1 : r.weights.length]))
  const unloaded = new Set(layers.filter((l) => l.weights.length === 0 && (expected.get(l.name) ?? 0) > 0).map((l) => l.name))
  if (opts.fill === false || unloaded.size === 0) return file
  const fresh = new Map(freshModelWeights(model, result.summary, opts.seed ?? 0).layers.map((l) => [l.name, l]))
  return {...file, layers: layers.map((l) => (unloaded.has(l.name) ? fresh.get(l.name) ?? l : l))}
}
