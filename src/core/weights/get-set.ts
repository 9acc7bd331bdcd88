/**
 * The command-line `model.get_weights()` / `model.set_weights()` of the seed page: the flat list of arrays,
 * in the order Keras uses for that list. Every Keras generation walks `model.layers` in order (read in each
 * generation's source: standalone Keras 1.2.2–2.3.1 `Network.get_weights`, tf.keras 2.6/2.12 and tf-keras 2.21
 * `Model.weights` = `_undeduplicated_weights`, Keras 3 `Layer.weights`; checked with tf-keras 2.21 and Keras 3.15);
 * they differ inside a nested model:
 * - `layers`: standalone Keras 1.x – 2.3.1. A nested model contributes `Network.weights` = all its
 *   trainable weights then all its non-trainable ones (its saved order).
 * - `keras3`: Keras 3 and tf.keras 2.x (keras_version ≥ 2.4 or ending in `-tf`). Nested models layer by layer too.
 * - `keras2`: all trainable weights of the model, then all non-trainable ones (`model.trainable_weights +
 *   model.non_trainable_weights`). No Keras generation's get_weights() uses it; kept for lists made that way.
 * For a model without nested models, `layers` and `keras3` are the same list.
 */
import {WeightsError} from '../errors.js'
import type {ModelSummary, SummaryRow, WeightInfo} from '../graph/summary-types.js'
import type {Assignment} from './match.js'
import type {LayerWeights, WeightTensor, WeightsFile} from './types.js'

/** Which Keras generation's get_weights() order to follow. */
export type WeightsOrder = 'layers' | 'keras3' | 'keras2'

/** The order values, for flags. */
export const WEIGHTS_ORDERS = ['layers', 'keras3', 'keras2'] as const

/**
 * The get_weights() order of the Keras that wrote the model: `layers` for standalone Keras 1.x – 2.3.x (and a
 * Keras 2 document without keras_version: Keras 1 wrote none), `keras3` for tf.keras (≥ 2.4, or `-tf`) and Keras 3.
 */
export function defaultOrder(model: {dialect: string; keras_version: string | null}): WeightsOrder {
  if (model.dialect === 'keras3') return 'keras3'
  const version = model.keras_version
  if (version === null || version.endsWith('-tf')) return version === null ? 'layers' : 'keras3'
  const [major, minor] = version.split('.').map((p) => Number.parseInt(p, 10))
  if (major === undefined || Number.isNaN(major)) return 'keras3'
  return major < 2 || (major === 2 && (minor ?? 0) < 4) ? 'layers' : 'keras3'
}

/** One slot of the flat list: which layer, which of its weights. */
export interface WeightSlot {
  layer: string
  index: number
  info: WeightInfo
}

/** A nested model's weight names (relative to it) layer by layer, its own nested models too. */
function layerByLayerNames(row: SummaryRow): string[] {
  return (row.children ?? []).flatMap((child) => {
    const names = child.children === undefined ? (child.weights ?? []).map((w) => w.name) : layerByLayerNames(child)
    return names.map((n) => `${child.name}/${n}`)
  })
}

/**
 * The positions of a row's weights in get_weights() order: a nested model's weights layer by layer (`keras3`)
 * when its children account for every one of them, else the row's own (saved) order.
 */
function rowOrder(row: SummaryRow, weights: WeightInfo[], order: WeightsOrder): number[] {
  const own = weights.map((_, i) => i)
  if (order !== 'keras3' || row.children === undefined) return own
  const index = new Map(weights.map((w, i) => [w.name, i]))
  const names = layerByLayerNames(row)
  const positions = names.map((n) => index.get(n))
  const complete = index.size === weights.length && positions.length === weights.length && new Set(positions).size === weights.length
  return complete && positions.every((p) => p !== undefined) ? (positions as number[]) : own
}

/** The flat get_weights() slots of a model. Custom layers (weights unknown) make the order unknowable. */
export function weightSlots(summary: ModelSummary, order: WeightsOrder): WeightSlot[] {
  const all = summary.rows.flatMap((row) => {
    const weights = row.weights
    if (weights === null) {
      throw new WeightsError('KM_WEIGHTS_UNKNOWN_LAYER', `Layer '${row.name}' (${row.class_name}) is not a built-in Keras layer, so the get_weights() order is unknown.`, {hint: 'Use load-weights / save-weights, which keep weights per layer.'})
    }
    return rowOrder(row, weights, order).map((index) => ({layer: row.name, index, info: weights[index] as WeightInfo}))
  })
  return order === 'keras2' ? [...all.filter((s) => s.info.trainable), ...all.filter((s) => !s.info.trainable)] : all
}

/** get_weights(): the loaded tensors in slot order. */
export function getWeights(slots: WeightSlot[], assignments: Assignment[]): WeightTensor[] {
  const byLayer = new Map(assignments.map((a) => [a.layer, a]))
  return slots.map((s) => {
    const t = byLayer.get(s.layer)?.weights[s.index]?.tensor
    if (t === undefined) throw new WeightsError('KM_WEIGHTS_MISSING', `No weights were loaded for '${s.layer}/${s.info.name}'.`, {hint: 'Check the weights file with load-weights.'})
    return {...t, name: `${s.layer}/${s.info.name}`}
  })
}

function fits(info: WeightInfo, shape: number[]): boolean {
  return info.shape.length === shape.length && info.shape.every((d, i) => d === null || d === shape[i])
}

const fmt = (s: ReadonlyArray<number | null>): string => `(${s.map((d) => d ?? 'None').join(', ')}${s.length === 1 ? ',' : ''})`

/**
 * set_weights(): a flat list of arrays back into per-layer weights, checked as Keras checks it
 * (length, then each shape). Returns the model's layers (all of them, in order) with their weights.
 */
export function setWeights(slots: WeightSlot[], arrays: WeightTensor[], layerNames: string[]): WeightsFile {
  if (arrays.length !== slots.length) {
    throw new WeightsError('KM_WEIGHTS_COUNT', `set_weights got a list of ${arrays.length} arrays, but the model expects ${slots.length}.`, {hint: 'Export with `kmodel weights export` to see the expected list and order.'})
  }
  const per = new Map<string, WeightTensor[]>()
  slots.forEach((s, i) => {
    const t = arrays[i] as WeightTensor
    if (!fits(s.info, t.shape)) {
      throw new WeightsError('KM_WEIGHTS_SHAPE', `Array #${i} (${t.name}) has shape ${fmt(t.shape)}, but weight '${s.layer}/${s.info.name}' expects ${fmt(s.info.shape)}.`, {hint: 'The arrays must follow the model\'s get_weights() order.'})
    }
    const list = per.get(s.layer) ?? []
    list[s.index] = {...t, name: `${s.layer}/${s.info.name}:0`}
    per.set(s.layer, list)
  })
  const layers: LayerWeights[] = layerNames.map((name) => ({name, path: `/${name}`, name_is_layer_name: true, weights: per.get(name) ?? []}))
  return {layout: 'keras2', source: 'set_weights', keras_version: null, backend: null, layers, top_level: []}
}
