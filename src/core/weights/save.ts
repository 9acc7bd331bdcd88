/**
 * Writing weights out for a model: the retargeted result of a load, or what a model file carries itself,
 * or fresh weights from the config's initialisers. One place decides the layout options (keras2 / keras3).
 */
import type {ModelSpec} from '../model/spec.js'
import {withKeras3Paths} from './keras3-paths.js'
import {keras3Keys} from './model-keys.js'
import type {WeightsFile} from './types.js'
import {DEFAULT_KERAS2_VERSION, writeWeightsH5} from './write-h5.js'

/** Output layout: Keras 2's h5py `save_weights` file, or Keras 3's `.weights.h5`. */
export type OutputLayout = 'keras2' | 'keras3'

/** Writes `file` (whose layers are the model's layers, in order) for `model` in `layout`. */
export async function saveForModel(path: string, file: WeightsFile, model: ModelSpec, layout: OutputLayout, force: boolean): Promise<void> {
  if (layout === 'keras2') {
    await writeWeightsH5(path, file, {layout, force, ...keras2Options(file, model)})
    return
  }
  await writeWeightsH5(path, withKeras3Paths(file, model), {layout, force, ...keras3Options(file, model)})
}

/**
 * The keras2 layout's options: the source's Keras 2 version and backend. A Keras 1 source's weights were
 * converted to Keras 2 arrays when loaded, so they are written as Keras 2's (Keras would convert them again
 * for a 1.x keras_version); a Keras 3 or tfjs version leaves the choice to the writer.
 */
export function keras2Options(file: WeightsFile, model: ModelSpec): {kerasVersion?: string; backend?: string} {
  const version = file.keras_version ?? model.keras_version ?? undefined
  const kerasVersion = version === undefined || version.startsWith('3') || version.startsWith('tfjs') ? undefined : version.startsWith('1') ? DEFAULT_KERAS2_VERSION : version
  return {...(kerasVersion === undefined ? {} : {kerasVersion}), ...(file.backend === null ? {} : {backend: file.backend})}
}

/** The keras3 layout's options for `model`: group keys by class + counter, the model's name, a 3.x version. */
export function keras3Options(file: WeightsFile, model: ModelSpec): {kerasVersion: string; keras3Keys: string[]; modelName: string} {
  const version = file.keras_version ?? model.keras_version ?? undefined
  const keyOf = keras3Keys(model.root.graph)
  const kerasVersion = version !== undefined && version.startsWith('3') ? version : '3.6.0'
  return {kerasVersion, keras3Keys: file.layers.map((l) => keyOf.get(l.name) ?? l.name), modelName: model.root.name}
}
