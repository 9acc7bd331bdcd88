/**
 * kmodel's side of the oracle suites: the same library calls the CLI makes, on the model JSON and weights Keras
 * produced for a case (in-process, so hundreds of cases run in seconds; the CLI itself is spawned in the files
 * suite and the e2e tests).
 */
import {readModel} from '../../src/core/read.js'
import type {ModelSpec} from '../../src/core/model/spec.js'
import type {WeightsFile} from '../../src/core/weights/types.js'
import {predict, type InputArray} from '../../src/core/predict.js'
import {decodeArray, type Generation, type OracleArray} from './harness.js'

/** One layer's weights as the driver records them (common.layer_weights). */
export interface OracleLayerWeights {
  name: string
  weights: Array<OracleArray & {name: string}>
}

/** Reads a model document Keras wrote (to_json, YAML, …) the way `kmodel` reads a file. */
export async function readModelText(text: string, name: string): Promise<ModelSpec> {
  const {model} = await readModel({bytes: new TextEncoder().encode(text), name})
  return model
}

/**
 * The driver's per-layer weights as an in-memory legacy weights file: what Keras's HDF5 `save_weights` would
 * hold (layer_names in model order, weightless layers included, trainable then non-trainable weights).
 */
export function weightsFileOf(layers: readonly OracleLayerWeights[], generation: Generation, version: string): WeightsFile {
  return {
    layout: 'keras2',
    source: `<oracle ${generation}>`,
    keras_version: version,
    backend: 'tensorflow',
    layers: layers.map((l) => ({
      name: l.name,
      path: `/${l.name}`,
      name_is_layer_name: true,
      weights: l.weights.map((w) => ({name: w.name.includes(':') ? w.name : `${w.name}:0`, shape: w.shape, dtype: w.dtype as 'float32', data: decodeArray(w) as Float32Array})),
    })),
    top_level: [],
  }
}

/** Oracle arrays as predict's inputs. */
export function inputArrays(arrays: readonly OracleArray[]): InputArray[] {
  return arrays.map((a) => ({shape: a.shape, data: decodeArray(a) as InputArray['data'], dtype: a.dtype as NonNullable<InputArray['dtype']>}))
}

/** kmodel predict on Keras's inputs with Keras's weights: the outputs in model output order. */
export async function kmodelPredict(model: ModelSpec, weights: WeightsFile, inputs: readonly OracleArray[]): Promise<Array<{shape: number[]; data: Float32Array}>> {
  const result = await predict(model, weights, inputArrays(inputs), {backend: 'cpu', batchSize: 32})
  return result.outputs.map((o) => ({shape: o.shape, data: o.data}))
}
