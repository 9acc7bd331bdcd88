/**
 * The Keras 3 weights layout (KERAS-REFERENCE §3.5): `.weights.h5`, the `model.weights.h5` of a `.keras`
 * zip, and tf.keras 2.12–2.15 `save_weights('x.weights.h5')`. No root attributes; paths are built from
 * attribute names and snake-cased class names + counters, not layer names:
 *
 *   /layers/dense/vars/0, 1                        attr vars.name = 'dense_7' since Keras 3.6
 *   /layers/lstm/vars                              (empty: the LSTM owns no variables itself)
 *   /layers/lstm/cell/vars/0..2
 *   /layers/bidirectional/forward_layer/cell/vars/0..2, …/backward_layer/cell/vars/0..2
 *   /layers/multi_head_attention/query_dense/vars/0, 1, …/key_dense, …/value_dense, …/output_dense
 *   /layers/functional/layers/dense/vars/0         a nested model: one LayerWeights for the whole subtree
 *   /_layer_checkpoint_dependencies/dense/vars/0   tf.keras 2.12–2.14 variant of /layers
 *   /vars/…                                        variables of the model itself → top_level
 *   /optimizer/vars/…, /metrics/…                  training state, ignored
 *
 * HDF5 (without track_order, as h5py writes) lists names alphabetically, so the file does not record the
 * order of layers. Layers are returned by class key then counter (`dense`, `dense_1`, `dense_2`, `dense_10`);
 * a matcher must pair them by key. Inside a layer, `vars/N` is sorted numerically and sub-objects follow
 * the order the layer tracks them (SUB_OBJECT_ORDER), so the weights line up with `layer.weights`.
 */
import {type H5Group, getDataset, getGroup, listChildren, readStringAttr} from '../io/hdf5.js'
import {readTensor} from './read-tensor.js'
import type {LayerWeights, WeightTensor, WeightsFile} from './types.js'

/** Root groups that hold layers: Keras 3, then the tf.keras 2.12–2.14 name. */
const LAYER_CONTAINERS = ['layers', '_layer_checkpoint_dependencies'] as const

/** Root groups holding training state rather than model weights. */
const TRAINING_STATE = new Set(['optimizer', 'metrics', 'compile_metrics', 'compiled_metrics', 'compiled_loss', 'loss_tracker'])

/**
 * Sub-objects of multi-part layers, in the order the layer tracks (and `layer.weights` lists) them.
 * Keras itself writes them in attribute-name order, which would put `backward_layer` first.
 */
const SUB_OBJECT_ORDER: ReadonlyArray<readonly string[]> = [
  ['forward_layer', 'backward_layer'], // Bidirectional
  ['query_dense', 'key_dense', 'value_dense', 'output_dense'], // MultiHeadAttention, GroupedQueryAttention
]

/** Splits a group key into class part and counter: `dense_12` → ['dense', 12], `lstm_cell` → ['lstm_cell', 0]. */
function keyParts(key: string): [string, number] {
  const m = /^(.*?)_(\d+)$/.exec(key)
  return m?.[1] === undefined || m[2] === undefined || m[1] === '' ? [key, 0] : [m[1], Number(m[2])]
}

/** Orders group keys by class part, then counter: `dense`, `dense_1`, `dense_2`, `dense_10`, `dropout`. */
export function compareKeys(a: string, b: string): number {
  const [ca, na] = keyParts(a)
  const [cb, nb] = keyParts(b)
  if (ca !== cb) return ca < cb ? -1 : 1
  return na - nb || (a < b ? -1 : a > b ? 1 : 0)
}

/** `vars` dataset names: integers numerically ('2' before '10'), anything else after them by name. */
function compareVarNames(a: string, b: string): number {
  const ia = /^\d+$/.test(a) ? Number(a) : Number.POSITIVE_INFINITY
  const ib = /^\d+$/.test(b) ? Number(b) : Number.POSITIVE_INFINITY
  return ia !== ib ? ia - ib : a < b ? -1 : a > b ? 1 : 0
}

function subObjectRank(name: string): number {
  for (const order of SUB_OBJECT_ORDER) {
    const i = order.indexOf(name)
    if (i >= 0) return i
  }
  return Number.POSITIVE_INFINITY
}

/** Child groups of a layer: known sub-objects in tracking order, the rest by key. */
function orderSubObjects(names: string[]): string[] {
  return names.sort((a, b) => {
    const ra = subObjectRank(a)
    const rb = subObjectRank(b)
    return ra !== rb ? (ra < rb ? -1 : 1) : compareKeys(a, b)
  })
}

/** The datasets directly in `group`, named `${prefix}${name}`, sorted as vars are. */
function readDatasets(group: H5Group, prefix: string, layer: string | null): WeightTensor[] {
  const names = listChildren(group).filter((c) => c.kind === 'dataset').map((c) => c.name).sort(compareVarNames)
  return names.flatMap((name) => {
    const ds = getDataset(group, name)
    return ds === null ? [] : [readTensor(ds, {name: `${prefix}${name}`, layer})]
  })
}

/**
 * Every variable under a layer's group, named by its path relative to the layer (`vars/0`, `cell/vars/1`,
 * `layers/dense/vars/0`): own `vars` first, then stray datasets, then sub-objects (nested models' `layers`
 * by key; known multi-part layers in tracking order).
 */
function readSubtree(group: H5Group, prefix: string, layer: string | null): WeightTensor[] {
  const children = listChildren(group)
  const groups = children.filter((c) => c.kind === 'group').map((c) => c.name)
  const out: WeightTensor[] = []
  const vars = groups.includes('vars') ? getGroup(group, 'vars') : null
  if (vars !== null) out.push(...readDatasets(vars, `${prefix}vars/`, layer))
  if (children.some((c) => c.kind === 'dataset')) out.push(...readDatasets(group, prefix, layer))
  for (const name of orderSubObjects(groups.filter((g) => g !== 'vars'))) {
    const child = getGroup(group, name)
    if (child === null) continue
    if ((LAYER_CONTAINERS as readonly string[]).includes(name)) {
      // A nested model: its layers, by key, each with its whole subtree.
      for (const key of childGroups(child).sort(compareKeys)) {
        const sub = getGroup(child, key)
        if (sub !== null) out.push(...readSubtree(sub, `${prefix}${name}/${key}/`, layer))
      }
    } else {
      out.push(...readSubtree(child, `${prefix}${name}/`, layer))
    }
  }
  return out
}

function childGroups(group: H5Group): string[] {
  return listChildren(group).filter((c) => c.kind === 'group').map((c) => c.name)
}

/** One layer group → LayerWeights; the name is the `vars` attribute `name` (Keras ≥ 3.6) or the group key. */
function readLayer(group: H5Group, key: string): LayerWeights {
  const vars = getGroup(group, 'vars')
  const recorded = vars === null ? null : readStringAttr(vars, 'name')
  const name = recorded ?? key
  return {name, path: group.path, name_is_layer_name: recorded !== null, weights: readSubtree(group, '', name)}
}

/** Counts the datasets below a group (to choose between `layers` and `_layer_checkpoint_dependencies`). */
function countDatasets(group: H5Group): number {
  return listChildren(group).reduce((n, c) => {
    if (c.kind === 'dataset') return n + 1
    const child = c.kind === 'group' ? getGroup(group, c.name) : null
    return child === null ? n : n + countDatasets(child)
  }, 0)
}

/** The layer container: `layers`, or the tf.keras 2.12–2.14 name when only it holds the weights. */
function layerContainer(root: H5Group): H5Group | null {
  const found = LAYER_CONTAINERS.map((name) => getGroup(root, name)).filter((g): g is H5Group => g !== null)
  const [first, second] = found
  if (first === undefined || second === undefined) return first ?? null
  return countDatasets(second) > countDatasets(first) ? second : first
}

/**
 * Reads the Keras 3 layout from a file's root. Root groups other than the layer container, `vars` and the
 * training state (a subclassed model's own attributes, e.g. `/dense1/vars`) become layers after the container's.
 */
export function readKeras3Weights(root: H5Group): WeightsFile {
  const container = layerContainer(root)
  const layers: LayerWeights[] = []
  if (container !== null) {
    for (const key of childGroups(container).sort(compareKeys)) {
      const group = getGroup(container, key)
      if (group !== null) layers.push(readLayer(group, key))
    }
  }
  const skip = new Set<string>([...LAYER_CONTAINERS, 'vars', ...TRAINING_STATE])
  for (const key of childGroups(root).filter((k) => !skip.has(k)).sort(compareKeys)) {
    const group = getGroup(root, key)
    if (group !== null) layers.push(readLayer(group, key))
  }
  const vars = getGroup(root, 'vars')
  return {
    layout: 'keras3',
    source: root.source,
    keras_version: null,
    backend: null,
    layers,
    top_level: vars === null ? [] : readDatasets(vars, 'vars/', null),
  }
}
