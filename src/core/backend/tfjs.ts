/**
 * kmodel's compute core: ModelSpec → tfjs LayersModel, and weights in and out of it. This module and the rest
 * of src/core/backend are the only code that touches tfjs, and they load it lazily (runtime.ts), so commands
 * that need no compute never load it.
 *
 * The model goes to tfjs as the keras2-dialect document (dialect.ts) — the only layout tfjs-layers reads —
 * after prepareDocument has refused what cannot be computed; the Keras classes tfjs lacks are registered first.
 */
import type {LayersModel} from '@tensorflow/tfjs-layers'
import {BackendError, WeightsError} from '../errors.js'
import {convertModel} from '../model/dialect.js'
import type {ModelSpec} from '../model/spec.js'
import type {LayerWeights, WeightsFile} from '../weights/types.js'
import {refuseCallOrder} from './call-order.js'
import {isStateful, prepareDocument} from './document.js'
import {registerKerasExtras} from './layers/index.js'
import {type Tfjs, loadTfjs} from './runtime.js'
import {currentBackend, loadBackend} from './select.js'

export {AUTO_ORDER, BACKEND_NAMES, type BackendName, type BackendSelection, type BackendStatus, type ConcreteBackend, currentBackend, loadBackend, probeBackends} from './select.js'
export type {LayersModel} from '@tensorflow/tfjs-layers'

/** One weight's values for setWeights: row-major float32 data and its shape. */
export interface WeightValue {
  shape: number[]
  data: Float32Array
}

/** Options of buildModel. */
export interface BuildOptions {
  /**
   * Rewrite every initializer to Zeros because all weights will be set afterwards: the build then costs
   * almost nothing (VGG16: 25 ms instead of 2.7 s on the cpu backend). Default false (Keras initialisers).
   */
  zeroInit?: boolean
  /**
   * Keep a fixed batch size from `batch_input_shape` (Keras 2.0 files often have one). Default: kept only for
   * stateful models, where it matters; otherwise any batch size is accepted.
   */
  keepBatchSize?: boolean
}

/** tfjs with kmodel's classes registered and a backend active (`auto` when none was chosen yet). */
export async function readyTfjs(): Promise<Tfjs> {
  const tf = await loadTfjs()
  if (currentBackend() === undefined) await loadBackend('auto')
  registerKerasExtras(tf)
  return tf
}

/** The first line of an error's message, without its final full stop (kmodel's message adds one). */
export const firstLine = (error: unknown): string => ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').replace(/\.+$/, '')

/**
 * Builds the model in tfjs. Throws BackendError KM_BACKEND_CODE_LAYER / KM_BACKEND_UNSUPPORTED_LAYER for layers
 * that cannot be computed and KM_BACKEND_BUILD when tfjs rejects the document (its message is kept as cause).
 */
export async function buildModel(model: ModelSpec, options: BuildOptions = {}): Promise<LayersModel> {
  const tf = await readyTfjs()
  const registry = tf.core.serialization.SerializationMap.getMap().classNameMap
  const {document} = convertModel(model, 'keras2')
  const freeBatch = options.keepBatchSize !== true && !isStateful(document)
  const prepared = prepareDocument(document, {zeroInit: options.zeroInit === true, freeBatch, known: (name) => name in registry})
  refuseCallOrder(prepared, model.root.name)
  try {
    // modelFromJSON's typing wants its own JSON types; the document is plain JSON, which is what it reads.
    return await tf.layers.models.modelFromJSON({modelTopology: prepared} as Parameters<typeof tf.layers.models.modelFromJSON>[0])
  } catch (error) {
    throw new BackendError('KM_BACKEND_BUILD', `TensorFlow.js could not build the model '${model.root.name}': ${firstLine(error)}.`, {
      hint: 'Run kmodel summary on the file to check its layers; report the file if Keras itself loads it.',
      cause: error,
    })
  }
}

const fmt = (shape: ReadonlyArray<number | null>): string => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`

/**
 * Sets weights layer by layer: `perLayer` maps a top-level layer name to its weights in Keras order (that
 * layer's `weights`: trainable then non-trainable; a nested model's are all of its layers'). Every layer named
 * must exist and receive exactly its count of weights with exactly its shapes, else WeightsError (exit 5).
 * Layers not named keep their values.
 */
export async function setWeights(tfModel: LayersModel, perLayer: ReadonlyMap<string, readonly WeightValue[]>): Promise<void> {
  const tf = await loadTfjs()
  for (const [name, values] of perLayer) {
    const layer = tfModel.layers.find((l) => l.name === name)
    if (layer === undefined) throw new WeightsError('KM_WEIGHTS_UNKNOWN_LAYER', `The model has no layer named '${name}' to set weights on.`)
    const vars = layer.weights
    if (vars.length !== values.length) {
      throw new WeightsError('KM_WEIGHTS_COUNT', `Layer '${name}' has ${vars.length} weight(s); ${values.length} were given.`)
    }
    vars.forEach((v, i) => {
      const value = values[i] as WeightValue
      const size = value.shape.reduce((a, b) => a * b, 1)
      if (v.shape.length !== value.shape.length || v.shape.some((d, k) => d !== value.shape[k])) {
        throw new WeightsError('KM_WEIGHTS_SHAPE', `Weight ${i} of layer '${name}' (${v.originalName}) has shape ${fmt(v.shape)}; the value given has shape ${fmt(value.shape)}.`)
      }
      if (value.data.length !== size) throw new WeightsError('KM_WEIGHTS_SIZE', `Weight ${i} of layer '${name}' has ${value.data.length} values for shape ${fmt(value.shape)} (${size}).`)
    })
    const tensors = values.map((v) => tf.core.tensor(v.data, v.shape, 'float32'))
    try {
      layer.setWeights(tensors)
    } finally {
      tf.core.dispose(tensors)
    }
  }
}

/**
 * The model's weights in kmodel's WeightsFile shape: every top-level layer (weightless ones too, as legacy
 * `layer_names` lists them), each with its weights in Keras order, named `layer/weight:0` as tf.keras names them.
 */
export async function getWeights(tfModel: LayersModel, source = `tfjs model '${tfModel.name}'`): Promise<WeightsFile> {
  const layers: LayerWeights[] = []
  for (const layer of tfModel.layers) {
    const weights = []
    for (const v of layer.weights) {
      const values = await v.read().data()
      const data = v.dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values)
      weights.push({name: `${v.originalName}:0`, shape: [...v.shape] as number[], dtype: v.dtype === 'int32' ? 'int32' as const : 'float32' as const, data})
    }
    layers.push({name: layer.name, path: `/${layer.name}`, name_is_layer_name: true, weights})
  }
  return {layout: 'keras2', source, keras_version: null, backend: null, layers, top_level: []}
}
