/**
 * The Keras 3 `.weights.h5` layout (H5IOStore; KERAS-REFERENCE §3.5):
 *
 *   /vars                      model-owned variables; attr name = the model's name (3.6+)
 *   /layers/dense/vars         attr name = 'dense_6' (3.6+); datasets 0, 1, … in saved order
 *   /layers/lstm/vars          the LSTM's own (empty) vars, attr name = 'lstm'
 *   /layers/lstm/cell/vars     the cell's variables: tensor names `cell/vars/0` …
 *
 * No root attributes. The group keys (`dense`, `dense_1`) are snake-cased class names + per-class
 * counters, which only the model can tell, so the caller passes them; the layer's real name goes into
 * the `vars` attribute `name` (vlen UTF-8), which Keras ≥ 3.6 writes and Keras's loader ignores.
 */
import {WeightsError} from '../errors.js'
import type {WeightTensor, WeightsFile} from './types.js'
import {
  type H5Plan, type HalfFloatMode, type PlanAttr, type PlanDataset, type PlanGroup,
  assertLinkName, assertNoPathClash, assertUnique, atLeast, tensorPayload, versionOf,
} from './write-h5-plan.js'

/** Options of the keras3 layout. */
export interface Keras3PlanOptions {
  /** Group keys parallel to `file.layers` (`dense`, `dense_1`, `lstm`); default: each layer's name. */
  keys?: readonly string[] | undefined
  /** The model's name, written as attr `name` of the root `vars` group. */
  modelName?: string | undefined
  /** `name` attrs for nested vars groups, keyed by the group path without `/vars` (`layers/lstm/cell` → `lstm_cell`). */
  varsNames?: Readonly<Record<string, string>> | undefined
  /** Keras versions before 3.6 wrote no `name` attrs; default: write them. */
  kerasVersion?: string | undefined
  half: HalfFloatMode
}

/** A Keras 3 variable path relative to its layer: `vars/0`, `cell/vars/2`, `layers/dense/vars/1`. */
const VAR_PATH = /^(?:(.+)\/)?vars\/(\d+)$/

/**
 * Where each tensor goes, relative to the layer group: the tensor names themselves when all are Keras 3
 * variable paths, else `vars/<position>` (names from a legacy file, `dense_1/kernel:0`, carry no path).
 */
export function keras3VarPaths(weights: readonly WeightTensor[]): string[] {
  if (weights.every((w) => VAR_PATH.test(w.name))) return weights.map((w) => w.name)
  return weights.map((_, i) => `vars/${i}`)
}

function nameAttr(name: string | undefined): PlanAttr[] {
  return name === undefined ? [] : [{name: 'name', value: {kind: 'string', value: name, charset: 'utf8'}}]
}

/** The vars groups and datasets of one layer (or of the model, with base ''). */
function varsNodes(base: string, ownName: string | undefined, weights: readonly WeightTensor[], opts: Keras3PlanOptions, names: boolean): Array<PlanGroup | PlanDataset> {
  const where = base === '' ? 'the model-level weights' : `layer group '${base}'`
  const paths = keras3VarPaths(weights)
  for (const p of paths) assertLinkName(p, `a weight of ${where}`, true)
  assertUnique(paths, `the weights of ${where}`)
  assertNoPathClash(paths, where)
  const join = (rel: string): string => (base === '' ? rel : `${base}/${rel}`)
  const nodes: Array<PlanGroup | PlanDataset> = [{kind: 'group', path: join('vars'), attrs: names ? nameAttr(ownName) : []}]
  const subGroups = new Set<string>()
  paths.forEach((p, i) => {
    const sub = VAR_PATH.exec(p)?.[1]
    if (sub !== undefined && !subGroups.has(sub)) {
      subGroups.add(sub)
      nodes.push({kind: 'group', path: join(`${sub}/vars`), attrs: names ? nameAttr(opts.varsNames?.[join(sub)]) : []})
    }
    const w = weights[i]
    if (w === undefined) return
    const {data, attrs} = tensorPayload(w, `${where}, weight '${w.name}'`, opts.half, true)
    nodes.push({kind: 'dataset', path: join(p), data, shape: [...w.shape], attrs})
  })
  return nodes
}

/** The group keys, checked: one per layer, unique, usable as HDF5 link names. */
function layerKeys(file: WeightsFile, keys: readonly string[] | undefined): string[] {
  if (keys !== undefined && keys.length !== file.layers.length) {
    throw new WeightsError('KM_WEIGHTS_KEYS', `${keys.length} Keras 3 group keys were given for ${file.layers.length} layers.`)
  }
  const out = file.layers.map((l, i) => keys?.[i] ?? l.name)
  for (const key of out) assertLinkName(key, 'a Keras 3 layer group', false)
  assertUnique(out, 'the Keras 3 layer groups')
  return out
}

/** The keras3 plan of a whole file. Throws WeightsError for keys or tensors it cannot write. */
export function planKeras3(file: WeightsFile, opts: Keras3PlanOptions): H5Plan {
  const v = versionOf(opts.kerasVersion)
  const names = v === null || atLeast(v, 3, 6)
  const keys = layerKeys(file, opts.keys)
  const nodes: H5Plan['nodes'] = [...varsNodes('', opts.modelName, file.top_level, opts, names)]
  if (file.layers.length > 0) nodes.push({kind: 'group', path: 'layers', attrs: []})
  file.layers.forEach((layer, i) => {
    // A pre-3.6 file's LayerWeights.name is the group key, not the layer's name: no `name` attr then.
    const own = layer.name_is_layer_name ? layer.name : undefined
    nodes.push(...varsNodes(`layers/${keys[i] ?? layer.name}`, own, layer.weights, opts, names))
  })
  return {nodes}
}
