/**
 * The legacy full-model file, `model.save('m.h5')` (KERAS-REFERENCE §3.4), as tf.keras writes it with h5py 3:
 *
 *   /                attrs keras_version, backend (vlen UTF-8 str), model_config, training_config (vlen ASCII
 *                    bytes: `json.dumps(…).encode('utf8')`), training_config only when the model was compiled
 *   /model_weights   the save_weights layout (§3.1) with its own layer_names, backend, keras_version
 *
 * `model_config` is `{class_name, config}` as the model's Keras generation writes it (legacyModelConfig).
 * No optimizer state is written.
 */
import type {Warning} from '../errors.js'
import {type JsonObject, omit} from '../json.js'
import {convertModel} from '../model/dialect.js'
import {type ModelSpec, generationOf} from '../model/spec.js'
import {type EntryWriter, SAME_DIALECT, toDocument} from '../model/write.js'
import {keras2Options, keras3Options} from '../weights/save.js'
import type {WeightsFile} from '../weights/types.js'
import {DEFAULT_KERAS2_VERSION, type H5Plan, planKeras2, writePlanH5} from '../weights/write-h5.js'
import type {PlanAttr} from '../weights/write-h5-plan.js'
import {stringifyPythonJson} from './python-json.js'

/** What a whole-model writer reports. */
export interface ModelWriteResult {
  kerasVersion: string
  warnings: Warning[]
}

/** Entry keys Keras 3's legacy writer leaves out of a layer entry (legacy serialization of each layer). */
const KERAS3_ENTRY_ONLY = ['module', 'registered_name', 'build_config', 'compile_config', 'shared_object_id']

/** A Keras 3 model as Keras 3's own `model.save('m.h5')` writes its config: layer entries in legacy form, their configs as Keras 3's. */
const KERAS3_LEGACY: EntryWriter = {...SAME_DIALECT, extra: (layer) => omit(layer.extra, KERAS3_ENTRY_ONLY)}

/**
 * The `model_config` document and the file's keras_version, as the Keras generation the model belongs to
 * writes them: a Keras 2 model (any legacy file, or a tf.keras 2.13+ .keras) in the legacy dialect with its
 * Keras 2 version (a Keras 1 or unknown one becomes the last Keras 2), which tf.keras loads; a Keras 3 model as
 * Keras 3's legacy writer does (keras_version 3.x, Keras 3 layer configs), which Keras 3 loads — tf.keras cannot
 * load Keras 3 layer configs, whoever writes them.
 */
export function legacyModelConfig(model: ModelSpec, file: WeightsFile): {config: JsonObject; kerasVersion: string; warnings: Warning[]} {
  if (generationOf(model) === 'keras3') {
    const config = omit(toDocument(model, KERAS3_LEGACY), ['keras_version', 'backend'])
    return {config, kerasVersion: keras3Options(file, model).kerasVersion, warnings: []}
  }
  const {document, warnings} = convertModel(model, 'keras2')
  const version = model.keras_version ?? file.keras_version ?? ''
  return {config: omit(document, ['keras_version', 'backend']), kerasVersion: /^2\./.test(version) ? version : DEFAULT_KERAS2_VERSION, warnings}
}

/** The whole file as an H5Plan: root attributes, then the weights under `model_weights`. */
export function planKerasH5Model(model: ModelSpec, file: WeightsFile): {plan: H5Plan; kerasVersion: string; warnings: Warning[]} {
  const {config, kerasVersion, warnings} = legacyModelConfig(model, file)
  const backend = keras2Options(file, model).backend ?? 'tensorflow'
  const weights = planKeras2(file, {kerasVersion, backend, half: 'float32'})
  const text = (value: string, charset: 'ascii' | 'utf8') => ({kind: 'string' as const, value, charset})
  const rootAttrs: PlanAttr[] = [
    {name: 'keras_version', value: text(kerasVersion, 'utf8')},
    {name: 'backend', value: text(backend, 'utf8')},
    {name: 'model_config', value: text(stringifyPythonJson(config, null), 'ascii')},
  ]
  if (model.training_config !== null) rootAttrs.push({name: 'training_config', value: text(stringifyPythonJson(model.training_config, null), 'ascii')})
  const nodes: H5Plan['nodes'] = [{kind: 'group', path: '', attrs: rootAttrs}]
  for (const node of weights.nodes) nodes.push({...node, path: node.path === '' ? 'model_weights' : `model_weights/${node.path}`})
  return {plan: {nodes}, kerasVersion, warnings}
}

/** Writes `model` with `file` (retargeted to the model's layers) as a legacy full-model `.h5`, atomically. */
export async function writeKerasH5Model(path: string, model: ModelSpec, file: WeightsFile, force: boolean): Promise<ModelWriteResult> {
  const {plan, kerasVersion, warnings} = planKerasH5Model(model, file)
  await writePlanH5(path, plan, force)
  return {kerasVersion, warnings}
}
