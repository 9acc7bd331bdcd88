/**
 * Architectures out of Keras HDF5 files (KERAS-REFERENCE §3.4). A full-model file (`model.save('m.h5')`,
 * Keras 1.x … 3.x) keeps the model as JSON text in the root attribute `model_config`:
 *
 *   /  attrs: model_config '{"class_name": "Sequential", "config": …}', training_config?, keras_version?, backend?
 *   /model_weights  attrs: layer_names ['dense', …], keras_version, backend   (the save_weights layout)
 *   /optimizer_weights
 *
 * netron also accepts the same attributes on a group `model/kerasmodel`. Weights-only files have no
 * architecture and are recognised so the user gets a useful error instead of "not a model".
 */
import {FormatError} from '../errors.js'
import {type H5Group, getGroup, hasAttr, listChildren, readStringAttr, readStringListAttr, withH5File} from '../io/hdf5.js'
import type {Json} from '../json.js'
import {parsePythonJson} from './python-json.js'
import type {RawModelDocument} from './raw.js'

/**
 * What an HDF5 file holds, judged by content:
 * - `full-model`: `model_config` attribute (root or `model/kerasmodel`) — model.save('m.h5')
 * - `legacy-weights`: root `layer_names` (or `layer_names0…`) — save_weights('w.h5'), Keras 1.x–2.x / tf.keras
 * - `keras3-weights`: root groups `layers` / `vars` / `_layer_checkpoint_dependencies` and no `layer_names` —
 *   Keras 3 `.weights.h5`, tf.keras 2.12–2.15 `save_weights('x.weights.h5')`, the weights inside a `.keras` zip
 * - `unknown`: any other HDF5 file
 */
export type H5Kind = 'full-model' | 'legacy-weights' | 'keras3-weights' | 'unknown'

/** Options for readKerasH5Model. */
export interface KerasH5Options {
  /** Names the file in messages when `path` is a temporary copy (stdin). Default: the path. */
  source?: string
}

const KERAS3_GROUPS = ['layers', 'vars', '_layer_checkpoint_dependencies']

/** The group holding `model_config`: the root, or netron's `model/kerasmodel` variant; null for none. */
function configGroup(root: H5Group): H5Group | null {
  if (hasAttr(root, 'model_config')) return root
  const nested = getGroup(root, 'model/kerasmodel')
  return nested !== null && hasAttr(nested, 'model_config') ? nested : null
}

function classify(root: H5Group): H5Kind {
  if (configGroup(root) !== null) return 'full-model'
  if (readStringListAttr(root, 'layer_names') !== null) return 'legacy-weights'
  const groups = listChildren(root).filter((c) => c.kind === 'group').map((c) => c.name)
  return groups.some((name) => KERAS3_GROUPS.includes(name)) ? 'keras3-weights' : 'unknown'
}

/** Sniffs what a Keras HDF5 file holds (see H5Kind). Throws FormatError for files that are not HDF5. */
export async function sniffH5Kind(path: string): Promise<H5Kind> {
  return withH5File(path, classify)
}

function parseAttr(group: H5Group, name: string): Json | null {
  const text = readStringAttr(group, name)
  return text === null ? null : parsePythonJson(text, `${group.source} (attribute '${name}')`)
}

/** An attribute of the config group, falling back to `model_weights` (h5py 2.x era files, Keras 1). */
function versionAttr(group: H5Group, root: H5Group, name: string): string | null {
  const own = readStringAttr(group, name)
  if (own !== null) return own
  const weights = getGroup(group, 'model_weights') ?? getGroup(root, 'model_weights')
  return weights === null ? null : readStringAttr(weights, name)
}

function weightsOnlyError(source: string, kind: 'legacy-weights' | 'keras3-weights'): FormatError {
  const what = kind === 'legacy-weights' ? "a save_weights('….h5') file" : 'a Keras 3 .weights.h5 file'
  return new FormatError('KM_FORMAT_WEIGHTS_ONLY', `${source} holds only weights (${what}), not a model architecture.`, {
    hint: 'Pass the architecture file (model.to_json() JSON or YAML) as the model and give this file with --weights, or use it with \'kmodel load-weights\'.',
  })
}

function notKerasError(root: H5Group): FormatError {
  const names = listChildren(root).map((c) => `'${c.name}'`)
  const found = names.length === 0 ? 'it is empty' : `it holds ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`
  return new FormatError('KM_FORMAT_H5_NOT_KERAS', `${root.source} is an HDF5 file but not a Keras model: no 'model_config' attribute (${found}).`, {
    hint: "Save the model with model.save('model.h5'), or pass its model.to_json() output.",
  })
}

/**
 * Reads the architecture of a full-model Keras HDF5 file: `model_config` parsed as Python-flavoured JSON
 * (NaN/Infinity allowed), `training_config` likewise (null when the model was not compiled), and
 * `keras_version` / `backend` from the root, else from `model_weights` (null when absent, as in Keras 1).
 * Weights-only files throw FormatError KM_FORMAT_WEIGHTS_ONLY; other HDF5 files KM_FORMAT_H5_NOT_KERAS.
 */
export async function readKerasH5Model(path: string, options: KerasH5Options = {}): Promise<RawModelDocument> {
  const source = options.source ?? path
  return withH5File(
    path,
    (root) => {
      const group = configGroup(root)
      if (group === null) {
        const kind = classify(root)
        if (kind === 'legacy-weights' || kind === 'keras3-weights') throw weightsOnlyError(source, kind)
        throw notKerasError(root)
      }
      const document = parseAttr(group, 'model_config')
      if (document === null) throw notKerasError(root)
      return {
        format: 'keras-h5',
        document,
        keras_version: versionAttr(group, root, 'keras_version'),
        backend: versionAttr(group, root, 'backend'),
        training_config: parseAttr(group, 'training_config'),
      }
    },
    {source},
  )
}
