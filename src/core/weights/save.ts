/**
 * Writing weights out for a model: the retargeted result of a load, or what a model file carries itself,
 * or fresh weights from the config's initialisers. One place decides the layout options (keras2 / keras3).
 */
import type {ModelSpec} from '../model/spec.js'
import {keras3Keys} from './model-keys.js'
import type {WeightsFile} from './types.js'
import {writeWeightsH5} from './write-h5.js'

/** Output layout: Keras 2's h5py `save_weights` file, or Keras 3's `.weights.h5`. */
export type OutputLayout = 'keras2' | 'keras3'

/** Writes `file` (whose layers are the model's layers, in order) for `model` in `layout`. */
export async function saveForModel(path: string, file: WeightsFile, model: ModelSpec, layout: OutputLayout, force: boolean): Promise<void> {
  const version = file.keras_version ?? model.keras_version ?? undefined
  if (layout === 'keras2') {
    const kerasVersion = version === undefined || version.startsWith('3') || version.startsWith('tfjs') ? undefined : version
    await writeWeightsH5(path, file, {layout, force, ...(kerasVersion === undefined ? {} : {kerasVersion}), ...(file.backend === null ? {} : {backend: file.backend})})
    return
  }
  const keyOf = keras3Keys(model.root.graph)
  const kerasVersion = version !== undefined && version.startsWith('3') ? version : '3.6.0'
  await writeWeightsH5(path, file, {layout, force, kerasVersion, keras3Keys: file.layers.map((l) => keyOf.get(l.name) ?? l.name), modelName: model.root.name})
}
