/**
 * Fresh weights for a whole model from its config's initialisers (save-weights of an architecture-only
 * file): what `model.save_weights()` would write right after `from_config()`, seeded.
 */
import {WeightsError} from '../errors.js'
import type {ModelSummary, SummaryRow} from '../graph/summary-types.js'
import type {GraphSpec, LayerSpec, ModelSpec} from '../model/spec.js'
import {makeRng, type Rng} from './init.js'
import {freshLayerWeights} from './init-layer.js'
import {modelLayers} from './model-keys.js'
import type {LayerWeights, WeightTensor, WeightsFile} from './types.js'

/** A nested model's weights: each sublayer's, named `<sublayer>/<weight>`, in the row's saved order. */
function freshNested(graph: GraphSpec, row: SummaryRow, rng: Rng): WeightTensor[] {
  const byName = new Map<string, WeightTensor>()
  const children = new Map((row.children ?? []).map((c) => [c.name, c]))
  for (const layer of modelLayers(graph)) {
    const child = children.get(layer.name)
    if (child === undefined) continue
    for (const t of freshFor(layer, child, rng)) byName.set(`${layer.name}/${t.name}`, t)
  }
  return (row.weights ?? []).map((w) => {
    const t = byName.get(w.name)
    if (t === undefined) throw new WeightsError('KM_WEIGHTS_INIT', `No initialiser found for weight '${w.name}' of nested model '${row.name}'.`)
    return {...t, name: w.name}
  })
}

function freshFor(layer: LayerSpec, row: SummaryRow, rng: Rng): WeightTensor[] {
  if (row.weights === null) {
    throw new WeightsError('KM_WEIGHTS_UNKNOWN_LAYER', `Layer '${layer.name}' (${layer.class_name}) is not a built-in Keras layer: kmodel does not know its weights, so it cannot initialise them.`, {
      hint: 'Give weights saved by Keras for this model instead (load-weights MODEL WEIGHTS --output OUT).',
    })
  }
  if (layer.graph !== undefined) return freshNested(layer.graph, row, rng)
  return freshLayerWeights({class_name: layer.class_name, config: layer.config}, row.weights, rng)
}

/** Fresh weights for every layer of the model, named as Keras 2 saves them (`dense/kernel:0`). */
export function freshModelWeights(model: ModelSpec, summary: ModelSummary, seed: number): WeightsFile {
  const rng = makeRng(seed)
  const rows = new Map(summary.rows.map((r) => [r.name, r]))
  const layers: LayerWeights[] = modelLayers(model.root.graph).map((layer) => {
    const row = rows.get(layer.name)
    const weights = row === undefined ? [] : freshFor(layer, row, rng)
    return {name: layer.name, path: `/${layer.name}`, name_is_layer_name: true, weights: weights.map((t) => ({...t, name: `${layer.name}/${t.name}:0`}))}
  })
  return {layout: 'keras2', source: 'initializers', keras_version: model.keras_version, backend: 'tensorflow', layers, top_level: []}
}
