/**
 * Where Keras 3 keeps a layer's variables in `.weights.h5` / `model.weights.h5` (KERAS-REFERENCE §3.5): a
 * layer's own variables under `vars/<i>`, those of the objects it tracks under the attribute's name —
 *
 *   Dense, Conv2D, BatchNormalization, …   vars/0 … vars/n-1
 *   LSTM, GRU, SimpleRNN, ConvLSTM*D, RNN  cell/vars/0 …          (the layer itself owns none)
 *   Bidirectional(X)                       forward_layer/<X's paths>, then backward_layer/<X's paths>
 *   TimeDistributed(X)                     layer/<X's paths>
 *   MultiHeadAttention, GroupedQueryAttention
 *                                          query_dense/vars/…, key_dense/vars/…, value_dense/vars/…, output_dense/vars/…
 *
 * Keras 3's loader reads each object's variables from its own path and fails on a layer whose path holds a
 * different count, so a retargeted file (legacy names, or positions only) must be renamed to these paths
 * before it is written in the keras3 layout. A nested model's variables go under `layers/<key>/…` by
 * sublayer; its saved order (all trainable, then all non-trainable) comes from the shape engine's row, whose
 * weight names say which sublayer each belongs to. Layouts kmodel cannot derive (stacked cells) are refused.
 */
import {FormatError} from '../errors.js'
import {type JsonObject, isObject} from '../json.js'
import type {LayerSpec, ModelSpec} from '../model/spec.js'
import {summarize} from '../graph/summarize.js'
import type {SummaryRow} from '../graph/summary-types.js'
import {keras3Keys, modelLayers} from './model-keys.js'
import type {LayerWeights, WeightsFile} from './types.js'

/** Layers whose variables live in their `cell`. */
const CELL_LAYERS = new Set(['LSTM', 'GRU', 'SimpleRNN', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D'])
/** Attention layers built from four EinsumDense sublayers, in tracking order. */
const ATTENTION_LAYERS = new Set(['MultiHeadAttention', 'GroupedQueryAttention'])
const ATTENTION_PARTS = ['query_dense', 'key_dense', 'value_dense', 'output_dense'] as const

type Inner = {class_name: string; config: JsonObject}

function refuse(where: string, why: string): FormatError {
  return new FormatError('KM_FORMAT_KERAS3_LAYOUT', `Cannot lay out the weights of ${where} as Keras 3 stores them: ${why}.`, {
    hint: 'Write the legacy layout instead (a .h5 name, or kmodel save -o model.h5), which every Keras loads.',
  })
}

function innerLayer(config: JsonObject, key: string): Inner | null {
  const inner = config[key]
  if (!isObject(inner) || typeof inner.class_name !== 'string' || !isObject(inner.config)) return null
  return {class_name: inner.class_name, config: inner.config}
}

/** `vars/0 … vars/n-1` under `prefix`. */
const own = (prefix: string, n: number): string[] => Array.from({length: n}, (_, i) => `${prefix}vars/${i}`)

/** The Keras 3 paths of `n` variables of a layer (class + config), relative to the layer's group. */
export function keras3LayerPaths(layer: Inner, n: number, where: string, prefix = ''): string[] {
  if (n === 0) return []
  if (['Sequential', 'Functional', 'Model'].includes(layer.class_name)) throw refuse(where, 'it wraps a model')
  if (CELL_LAYERS.has(layer.class_name)) return own(`${prefix}cell/`, n)
  if (layer.class_name === 'RNN') {
    const cell = innerLayer(layer.config, 'cell')
    if (cell === null || cell.class_name === 'StackedRNNCells') throw refuse(where, 'its cell is not a single serialized cell')
    return own(`${prefix}cell/`, n)
  }
  if (layer.class_name === 'Bidirectional') {
    const inner = innerLayer(layer.config, 'layer')
    if (inner === null || n % 2 !== 0) throw refuse(where, 'its wrapped layer cannot be read')
    const backward = innerLayer(layer.config, 'backward_layer') ?? inner
    return [...keras3LayerPaths(inner, n / 2, where, `${prefix}forward_layer/`), ...keras3LayerPaths(backward, n / 2, where, `${prefix}backward_layer/`)]
  }
  if (layer.class_name === 'TimeDistributed') {
    const inner = innerLayer(layer.config, 'layer')
    if (inner === null) throw refuse(where, 'its wrapped layer cannot be read')
    return keras3LayerPaths(inner, n, where, `${prefix}layer/`)
  }
  if (ATTENTION_LAYERS.has(layer.class_name)) {
    if (n % 4 !== 0) throw refuse(where, `${n} weights do not split into its four projections`)
    return ATTENTION_PARTS.flatMap((part) => own(`${prefix}${part}/`, n / 4))
  }
  return own(prefix, n)
}

/**
 * The paths of a nested model's variables in its saved order (`row.weights`, named `<sublayer>/<weight>`):
 * `layers/<sublayer key>/<the sublayer's own paths>`, recursively.
 */
export function nestedPaths(spec: LayerSpec, row: SummaryRow, where: string): string[] {
  const graph = spec.graph
  const weights = row.weights
  if (graph === undefined || weights === null) throw refuse(where, 'its weights are not known')
  const keys = keras3Keys(graph)
  const specs = new Map(modelLayers(graph).map((l) => [l.name, l]))
  const children = new Map((row.children ?? []).map((c) => [c.name, c]))
  return weights.map((w) => {
    const cut = w.name.indexOf('/')
    const sub = w.name.slice(0, cut)
    const child = children.get(sub)
    const subSpec = specs.get(sub)
    const own = child?.weights?.findIndex((x) => x.name === w.name.slice(cut + 1)) ?? -1
    if (cut < 0 || child === undefined || subSpec === undefined || own < 0) throw refuse(where, `its weight '${w.name}' names no sublayer weight`)
    const paths = layerPaths(subSpec, child, child.weights?.length ?? 0, `${where} → '${sub}'`)
    return `layers/${keys.get(sub) ?? sub}/${paths[own] ?? ''}`
  })
}

/** The Keras 3 paths of a layer of a model (a nested model, or any other layer by class). */
function layerPaths(spec: LayerSpec, row: SummaryRow | undefined, n: number, where: string): string[] {
  if (spec.graph === undefined) return keras3LayerPaths(spec, n, where)
  if (row === undefined) throw refuse(where, 'its weights are not known')
  const paths = nestedPaths(spec, row, where)
  if (paths.length !== n) throw refuse(where, `${n} weights were given for the ${paths.length} it has`)
  return paths
}

/**
 * The file with every layer's tensors renamed to their Keras 3 paths (its layers are the model's layers, as
 * retarget() makes them, each layer's tensors in its saved order). Tensors already named by Keras 3 paths are
 * renamed too: the paths follow the class.
 */
export function withKeras3Paths(file: WeightsFile, model: ModelSpec): WeightsFile {
  const specs = new Map<string, LayerSpec>(modelLayers(model.root.graph).map((l) => [l.name, l]))
  const nested = modelLayers(model.root.graph).some((l) => l.graph !== undefined)
  const rows = new Map(nested ? summarize(model).rows.map((r) => [r.name, r]) : [])
  const layers: LayerWeights[] = file.layers.map((layer) => {
    const spec = specs.get(layer.name)
    if (spec === undefined) return layer
    const paths = layerPaths(spec, rows.get(layer.name), layer.weights.length, `layer '${layer.name}' (${spec.class_name})`)
    return {...layer, weights: layer.weights.map((w, i) => ({...w, name: paths[i] ?? w.name}))}
  })
  return {...file, layers}
}
