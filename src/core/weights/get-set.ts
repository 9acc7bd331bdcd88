/**
 * The command-line `model.get_weights()` / `model.set_weights()` of the seed page: the flat list of arrays,
 * in the order Keras uses for that list.
 * - Keras 2 / tf.keras: `model.weights` = all trainable weights (layer order), then all non-trainable ones
 *   (BatchNormalization's moving statistics come last).
 * - Keras 3: layer by layer, each layer's trainable then non-trainable variables.
 */
import {WeightsError} from '../errors.js'
import type {ModelSummary, WeightInfo} from '../graph/summary-types.js'
import type {Assignment} from './match.js'
import type {LayerWeights, WeightTensor, WeightsFile} from './types.js'

/** Which Keras generation's get_weights() order to follow. */
export type WeightsOrder = 'keras2' | 'keras3'

/** One slot of the flat list: which layer, which of its weights. */
export interface WeightSlot {
  layer: string
  index: number
  info: WeightInfo
}

/** The flat get_weights() slots of a model. Custom layers (weights unknown) make the order unknowable. */
export function weightSlots(summary: ModelSummary, order: WeightsOrder): WeightSlot[] {
  const all = summary.rows.flatMap((row) => {
    if (row.weights === null) {
      throw new WeightsError('KM_WEIGHTS_UNKNOWN_LAYER', `Layer '${row.name}' (${row.class_name}) is not a built-in Keras layer, so the get_weights() order is unknown.`, {hint: 'Use load-weights / save-weights, which keep weights per layer.'})
    }
    return row.weights.map((info, index) => ({layer: row.name, index, info}))
  })
  return order === 'keras3' ? all : [...all.filter((s) => s.info.trainable), ...all.filter((s) => !s.info.trainable)]
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
