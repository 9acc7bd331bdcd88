/**
 * The legacy `save_weights('w.h5')` layout (KERAS-REFERENCE §3.1), as Keras 1.x–2.x, tf.keras and
 * Keras 3's legacy writer produce it:
 *
 *   /                        attrs layer_names (S<n> array, or layer_names0..N), backend, keras_version
 *   /dense_1                 attr weight_names = [b'dense_1/kernel:0', b'dense_1/bias:0'] (S<n>)
 *   /dense_1/dense_1/kernel:0   dataset at the weight's full name
 *   /dropout_1               attr weight_names = [] (an empty float64 array)
 *   /top_level_model_weights attr weight_names (Keras ≥ 2.7 only)
 *
 * Loaders address weights by position in `weight_names`, never by dataset name.
 */
import {WeightsError} from '../errors.js'
import type {LayerWeights, WeightsFile} from './types.js'
import {
  type H5Plan, type HalfFloatMode, type PlanAttr, type PlanDataset, type PlanGroup,
  assertLinkName, assertNoPathClash, assertUnique, atLeast, stringListAttrs, tensorPayload, versionOf,
} from './write-h5-plan.js'

/** keras_version written when neither the options nor the source file give one (the last Keras 2). */
export const DEFAULT_KERAS2_VERSION = '2.15.0'

/** The group Keras ≥ 2.7 writes for variables the model owns directly. */
export const TOP_LEVEL_GROUP = 'top_level_model_weights'

/** Options of the keras2 layout. */
export interface Keras2PlanOptions {
  /** Written to `keras_version`; default: the file's own, else DEFAULT_KERAS2_VERSION. */
  kerasVersion?: string | undefined
  /** Written to `backend`; default: the file's own, else `tensorflow`. */
  backend?: string | undefined
  half: HalfFloatMode
}

/**
 * The weight name Keras would record for a layer's weight, for callers building a WeightsFile from a
 * model: `dense_1/kernel:0` (TensorFlow-backed Keras 2 and tf.keras), `dense_1/kernel` (Keras 3's
 * legacy writer, which uses `variable.path`).
 */
export function keras2WeightName(layer: string, weight: string, kerasVersion: string = DEFAULT_KERAS2_VERSION): string {
  const v = versionOf(kerasVersion)
  return v !== null && v[0] >= 3 ? `${layer}/${weight}` : `${layer}/${weight}:0`
}

/** Code-point order, as Python's `sorted()` orders layer names (JS `sort()` compares UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0)
    if (d !== 0) return d
  }
  return x.length - y.length
}

/**
 * Whether to write `top_level_model_weights`: Keras ≥ 2.7 always does (tf.keras 2.7+, tf_keras,
 * Keras 3's legacy writer); Keras ≤ 2.6 never did and ignores the group when loading. It is also written
 * whenever the model owns variables, which would otherwise be lost.
 */
export function writesTopLevel(kerasVersion: string, file: WeightsFile): boolean {
  const v = versionOf(kerasVersion)
  return file.top_level.length > 0 || (v !== null && atLeast(v, 2, 7))
}

/** One layer group: its `weight_names` and a dataset per weight at `<group>/<weight name>`. */
function layerNodes(group: string, layer: Pick<LayerWeights, 'weights'>, half: HalfFloatMode, strings: 'fixed' | 'vlen'): Array<PlanGroup | PlanDataset> {
  const where = `layer '${group}'`
  const names = layer.weights.map((w) => w.name)
  for (const name of names) assertLinkName(name, `a weight of ${where}`, true)
  assertUnique(names, `the weights of ${where}`)
  assertNoPathClash(names, where)
  const nodes: Array<PlanGroup | PlanDataset> = [{kind: 'group', path: group, attrs: stringListAttrs('weight_names', names, where, strings)}]
  for (const w of layer.weights) {
    const {data, attrs} = tensorPayload(w, `${where}, weight '${w.name}'`, half, false)
    nodes.push({kind: 'dataset', path: `${group}/${w.name}`, data, shape: [...w.shape], attrs})
  }
  return nodes
}

/** The keras2 plan of a whole file. Throws WeightsError for names or tensors Keras could not have written. */
export function planKeras2(file: WeightsFile, opts: Keras2PlanOptions): H5Plan {
  const version = opts.kerasVersion ?? file.keras_version ?? DEFAULT_KERAS2_VERSION
  const layerNames = file.layers.map((l) => l.name)
  for (const name of layerNames) assertLinkName(name, 'a layer', false)
  assertUnique(layerNames, 'the layer names')
  const topLevel = writesTopLevel(version, file)
  if (topLevel && layerNames.includes(TOP_LEVEL_GROUP)) {
    throw new WeightsError('KM_WEIGHTS_BAD_NAME', `A layer named '${TOP_LEVEL_GROUP}' clashes with the group Keras ${version} writes for model-level weights.`)
  }
  const rootAttrs: PlanAttr[] = [
    ...stringListAttrs('layer_names', layerNames, 'the layer names', file.strings ?? 'fixed'),
    {name: 'backend', value: {kind: 'string', value: opts.backend ?? file.backend ?? 'tensorflow', charset: 'ascii'}},
    {name: 'keras_version', value: {kind: 'string', value: version, charset: 'ascii'}},
  ]
  const nodes: H5Plan['nodes'] = [{kind: 'group', path: '', attrs: rootAttrs}]
  // Keras creates the groups in name order "to avoid prefix issues"; the file lists them in layer_names order.
  const sorted = [...file.layers].sort((a, b) => byCodePoint(a.name, b.name))
  for (const layer of sorted) nodes.push(...layerNodes(layer.name, layer, opts.half, file.strings ?? 'fixed'))
  if (topLevel) nodes.push(...layerNodes(TOP_LEVEL_GROUP, {weights: file.top_level}, opts.half, file.strings ?? 'fixed'))
  return {nodes}
}
