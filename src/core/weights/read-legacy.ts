/**
 * The legacy Keras HDF5 weights layout (KERAS-REFERENCE §3.1, §3.4), written by `save_weights('w.h5')` in
 * Keras 1.x–2.x / tf.keras and inside every full-model `.h5` (also Keras 3 `model.save('m.h5')`):
 *
 *   /  (or /model_weights in a full model)
 *     attrs: layer_names ['dense', 'dropout', …] (or layer_names0, layer_names1, … when over 64 KiB),
 *            backend b'tensorflow', keras_version b'2.11.0'   (fixed- or variable-length strings)
 *     dense/    attrs: weight_names ['dense/kernel:0', 'dense/bias:0']   → datasets dense/dense/kernel:0, …
 *     dropout/  attrs: weight_names []  (stored as an empty float64 array: no weights)
 *     top_level_model_weights/  attrs: weight_names []   (Keras 2.7+: variables owned by the model)
 *
 * Layers and weights are taken by *position* in `layer_names` / `weight_names`, as Keras loads them; the
 * dataset names are only used to find the data, never interpreted. `optimizer_weights` is ignored.
 */
import {FormatError} from '../errors.js'
import {type H5Group, getDataset, getGroup, readStringAttr, readStringListAttr, stringAttrKind} from '../io/hdf5.js'
import {readTensor} from './read-tensor.js'
import type {LayerWeights, WeightTensor, WeightsFile} from './types.js'

const TOP_LEVEL = 'top_level_model_weights'

function layoutError(group: H5Group, what: string): FormatError {
  return new FormatError('KM_FORMAT_WEIGHTS_LAYOUT', `${group.source}: ${what}.`, {
    hint: 'The file does not follow the Keras save_weights layout; it may be truncated, altered or written by another tool.',
  })
}

/** The group holding `layer_names`: the root (save_weights) or `model_weights` (model.save); null for none. */
export function legacyWeightsGroup(root: H5Group): H5Group | null {
  if (readStringListAttr(root, 'layer_names') !== null) return root
  const nested = getGroup(root, 'model_weights')
  return nested !== null && readStringListAttr(nested, 'layer_names') !== null ? nested : null
}

/** The weights listed by a group's `weight_names`, read in that order. `layer` names the owner in messages. */
function readListedWeights(group: H5Group, layer: string | null, required: boolean): WeightTensor[] {
  const names = readStringListAttr(group, 'weight_names')
  if (names === null) {
    if (!required) return []
    throw layoutError(group, `layer group '${group.path}' has no 'weight_names' attribute`)
  }
  return names.map((name) => {
    // Keras names never start with '/', but one that did must not be taken as an absolute path.
    const ds = getDataset(group, name.replace(/^\/+/, ''))
    if (ds === null) throw layoutError(group, `weight '${name}' listed in 'weight_names' of '${group.path}' has no dataset`)
    return readTensor(ds, {name, layer})
  })
}

/** One `layer_names` entry → its group's weights, in `weight_names` order. */
function readLayer(weights: H5Group, name: string): LayerWeights {
  const group = getGroup(weights, name.replace(/^\/+/, ''))
  if (group === null) throw layoutError(weights, `layer '${name}' is listed in 'layer_names' of '${weights.path}' but has no group`)
  return {name, path: group.path, name_is_layer_name: true, weights: readListedWeights(group, name, true)}
}

/**
 * Reads the legacy layout from `weights` (the root or `/model_weights`). `keras_version` and `backend` come
 * from that group, else from the root (full-model files written by h5py ≥ 3 keep vlen copies there).
 */
export function readLegacyWeights(weights: H5Group, root: H5Group): WeightsFile {
  const layerNames = readStringListAttr(weights, 'layer_names')
  if (layerNames === null) throw layoutError(weights, `'${weights.path}' has no 'layer_names' attribute`)
  const topLevel = getGroup(weights, TOP_LEVEL)
  return {
    layout: 'keras2',
    source: weights.source,
    keras_version: readStringAttr(weights, 'keras_version') ?? readStringAttr(root, 'keras_version'),
    backend: readStringAttr(weights, 'backend') ?? readStringAttr(root, 'backend'),
    layers: layerNames.map((name) => readLayer(weights, name)),
    top_level: topLevel === null ? [] : readListedWeights(topLevel, null, false),
    strings: (stringAttrKind(weights, 'layer_names') ?? stringAttrKind(weights, 'layer_names0')) === 'vlen' ? 'vlen' : 'fixed',
  }
}
