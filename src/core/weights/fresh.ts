/**
 * Fresh weights for a whole model from its config's initialisers (save-weights of an architecture-only
 * file): what `model.save_weights()` would write right after `from_config()`, seeded.
 */
import {FormatError, InputError, WeightsError} from '../errors.js'
import type {ModelSummary, SummaryRow} from '../graph/summary-types.js'
import type {GraphSpec, LayerSpec, ModelSpec} from '../model/spec.js'
import {makeRng, type Rng} from './init.js'
import {freshLayerWeights} from './init-layer.js'
import {modelLayers} from './model-keys.js'
import type {LayerWeights, WeightTensor, WeightsFile} from './types.js'

/**
 * A nested model's weights in the row's saved order, each named after the layer that owns it
 * (`<leaf layer>/<weight>`), as tf.keras names them inside a nested model's group: `dense_2/kernel:0` however
 * deep the nesting (KERAS-REFERENCE §3.1), so the HDF5 paths stay shallow.
 */
function freshNested(graph: GraphSpec, row: SummaryRow, rng: Rng): WeightTensor[] {
  const byPath = new Map<string, WeightTensor>()
  const children = new Map((row.children ?? []).map((c) => [c.name, c]))
  for (const layer of modelLayers(graph)) {
    const child = children.get(layer.name)
    if (child === undefined) continue
    const inner = freshFor(layer, child, rng)
    // a nested model's tensors carry their leaf names already, under the path the summary gives them
    inner.forEach((t, i) => byPath.set(`${layer.name}/${layer.graph === undefined ? t.name : child.weights?.[i]?.name ?? t.name}`, layer.graph === undefined ? {...t, name: `${layer.name}/${t.name}`} : t))
  }
  return (row.weights ?? []).map((w) => {
    const t = byPath.get(w.name)
    if (t === undefined) throw new WeightsError('KM_WEIGHTS_INIT', `No initialiser found for weight '${w.name}' of nested model '${row.name}'.`)
    return t
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

/** Largest tensor kmodel allocates, in elements (a typed array's safe length). */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1
/** Default cap on a model's total fresh parameters; `KMODEL_MAX_PARAMS` raises or lowers it. */
export const DEFAULT_MAX_PARAMS = 4_000_000_000

const PARAMS_HINT = `kmodel materialises fresh weights in memory (4 bytes each); set KMODEL_MAX_PARAMS=N to allow up to N parameters in all (default ${DEFAULT_MAX_PARAMS.toLocaleString('en-US')}), or make the layer smaller.`

/** The total-parameter cap: `KMODEL_MAX_PARAMS` when set (a positive integer), else DEFAULT_MAX_PARAMS. */
export function maxParams(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['KMODEL_MAX_PARAMS']
  if (raw === undefined || raw === '') return DEFAULT_MAX_PARAMS
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InputError('KM_INPUT_ENV', `KMODEL_MAX_PARAMS is '${raw}', not a positive integer.`, {hint: 'Set KMODEL_MAX_PARAMS to a whole number of parameters, e.g. KMODEL_MAX_PARAMS=8000000000, or unset it.'})
  }
  return value
}

/**
 * Refuses, before anything is allocated, a model whose fresh weights kmodel will not materialise: a tensor
 * over MAX_TENSOR_ELEMENTS elements, or more than `limit` parameters in all (FormatError
 * KM_FORMAT_PARAMS_TOO_LARGE, exit 4, naming the layer and the weight's shape).
 */
export function checkFreshSize(rows: Array<SummaryRow | undefined>, limit: number): void {
  let total = 0
  for (const row of rows) {
    for (const w of row?.weights ?? []) {
      const elements = w.shape.reduce<number>((n, d) => n * (d ?? 0), 1)
      const shape = `(${w.shape.join(', ')})`
      if (elements > MAX_TENSOR_ELEMENTS) {
        throw new FormatError('KM_FORMAT_PARAMS_TOO_LARGE', `Layer '${row?.name ?? ''}' weight '${w.name}' of shape ${shape} has ${elements.toLocaleString('en-US')} elements, over the ${MAX_TENSOR_ELEMENTS.toLocaleString('en-US')} kmodel can hold in one tensor.`, {hint: 'kmodel cannot initialise a tensor this large; make the layer smaller, or give weights saved by Keras instead.'})
      }
      total += elements
      if (total > limit) {
        throw new FormatError('KM_FORMAT_PARAMS_TOO_LARGE', `The model has over ${limit.toLocaleString('en-US')} parameters (reached at layer '${row?.name ?? ''}' weight '${w.name}' of shape ${shape}): too many to initialise.`, {hint: PARAMS_HINT})
      }
    }
  }
}

/**
 * Fresh weights for every layer of the model, named as Keras 2 saves them (`dense/kernel:0`). Refuses
 * oversized models first (checkFreshSize, with the KMODEL_MAX_PARAMS cap).
 */
export function freshModelWeights(model: ModelSpec, summary: ModelSummary, seed: number): WeightsFile {
  const rows = new Map(summary.rows.map((r) => [r.name, r]))
  checkFreshSize(modelLayers(model.root.graph).map((layer) => rows.get(layer.name)), maxParams())
  const rng = makeRng(seed)
  const layers: LayerWeights[] = modelLayers(model.root.graph).map((layer) => {
    const row = rows.get(layer.name)
    const weights = row === undefined ? [] : freshFor(layer, row, rng)
    return {name: layer.name, path: `/${layer.name}`, name_is_layer_name: true, weights: weights.map((t) => ({...t, name: `${layer.graph === undefined ? `${layer.name}/` : ''}${t.name}:0`}))}
  })
  return {layout: 'keras2', source: 'initializers', keras_version: model.keras_version, backend: 'tensorflow', layers, top_level: []}
}
