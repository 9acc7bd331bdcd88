/**
 * Weights as kmodel holds them in memory, whatever file they came from (legacy HDF5 save_weights, full-model
 * .h5, Keras 3 .weights.h5, .keras zips, tfjs shards) and whatever file they go to.
 */

/** Element types found in Keras weight files. `bfloat16` data is kept as raw uint16 bits. */
export type WeightDType =
  | 'float16' | 'bfloat16' | 'float32' | 'float64'
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'bool'

/** The typed array holding a tensor's elements (row-major, as HDF5 and NumPy store them). */
export type WeightData =
  | Float32Array | Float64Array
  | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array | BigUint64Array

/** One weight tensor. */
export interface WeightTensor {
  /**
   * The name the file gives it: a legacy `weight_names` entry (`dense_1/kernel:0`, `lstm/lstm_cell/kernel:0`),
   * a Keras 3 variable path relative to the layer (`vars/0`, `cell/vars/1`), or a tfjs manifest name.
   */
  name: string
  shape: number[]
  dtype: WeightDType
  data: WeightData
}

/** The weights of one layer, in the layer's saved order (trainable then non-trainable, as Keras saves them). */
export interface LayerWeights {
  /**
   * The layer's name as the file records it: legacy `layer_names` entry; Keras 3 `vars` attribute `name`
   * (3.6+) or, before 3.6, the group key (`dense_1`, which is a snake-cased class name + counter, not the
   * layer's name); tfjs: the first path element of the weight names.
   */
  name: string
  /** The group path in the file (`/dense_1`, `/model_weights/dense_1`, `/layers/dense_1`). */
  path: string
  /** True when `name` is the layer's real name; false for Keras 3 < 3.6 group keys. */
  name_is_layer_name: boolean
  weights: WeightTensor[]
}

/** The file layouts kmodel reads and writes. */
export type WeightsLayout = 'keras2' | 'keras3' | 'tfjs'

/** A whole weights file. */
export interface WeightsFile {
  layout: WeightsLayout
  /** The file name for messages. */
  source: string
  keras_version: string | null
  backend: string | null
  /** Every layer the file lists, in file order, weightless ones included (legacy `layer_names` keeps them). */
  layers: LayerWeights[]
  /** Variables owned by the model itself (`top_level_model_weights`, Keras 3 root `vars`). */
  top_level: WeightTensor[]
  /**
   * How a legacy file stores `layer_names` / `weight_names`: fixed-length byte strings (`S<n>`, Keras with
   * h5py 2) or variable-length strings (tf.keras with h5py 3). Kept so a re-saved file matches its source;
   * absent means fixed, which every Keras version reads.
   */
  strings?: 'fixed' | 'vlen'
}
