/**
 * One HDF5 dataset → one WeightTensor, shared by the legacy and Keras 3 readers. The dataset is read once,
 * whole, into the typed array h5wasm returns (no second copy). What cannot be a weight is refused before
 * anything is read:
 *
 *   string / compound / enum dataset      → WeightsError KM_WEIGHTS_DTYPE (not numbers)
 *   float16 dataset                       → WeightsError KM_WEIGHTS_DTYPE (h5wasm has no float16 reader)
 *   more bytes than h5wasm's 2 GiB heap   → FormatError KM_FORMAT_HDF5_TOO_LARGE (checked on the shape only)
 *   16-bit ints + attr dtype="bfloat16"   → dtype 'bfloat16', raw bits as a Uint16Array view (Keras 3)
 */
import {FormatError, WeightsError} from '../errors.js'
import {type H5Dataset, type H5DType, MAX_DATASET_BYTES, datasetInfo, readDataset, readStringAttr} from '../io/hdf5.js'
import type {WeightDType, WeightTensor} from './types.js'

/** The HDF5 number types a weight may have, with their size in bytes. */
const NUMERIC: Partial<Record<H5DType, {dtype: WeightDType; bytes: number}>> = {
  int8: {dtype: 'int8', bytes: 1}, uint8: {dtype: 'uint8', bytes: 1}, int16: {dtype: 'int16', bytes: 2},
  uint16: {dtype: 'uint16', bytes: 2}, int32: {dtype: 'int32', bytes: 4}, uint32: {dtype: 'uint32', bytes: 4},
  int64: {dtype: 'int64', bytes: 8}, uint64: {dtype: 'uint64', bytes: 8}, float16: {dtype: 'float16', bytes: 2},
  float32: {dtype: 'float32', bytes: 4}, float64: {dtype: 'float64', bytes: 8},
}

/** Where a tensor sits, for messages: `weight 'dense/kernel:0' of layer 'dense'`. */
export interface TensorPlace {
  /** The weight's name as the WeightTensor will carry it. */
  name: string
  /** The layer's name (or group key) it belongs to; null for model-level weights. */
  layer: string | null
}

function describePlace(ds: H5Dataset, place: TensorPlace): string {
  const owner = place.layer === null ? 'the model' : `layer '${place.layer}'`
  return `weight '${place.name}' of ${owner} (dataset '${ds.path}')`
}

/** Keras 3 stores bfloat16 variables as raw 16-bit data marked with the dataset attribute `dtype`. */
function isBfloat16(ds: H5Dataset, dtype: H5DType): boolean {
  if (dtype !== 'uint16' && dtype !== 'int16') return false
  return readStringAttr(ds, 'dtype') === 'bfloat16'
}

/**
 * Reads a weight dataset whole. `place` names it in errors. Throws WeightsError KM_WEIGHTS_DTYPE for data that
 * is not a readable number type and FormatError KM_FORMAT_HDF5_TOO_LARGE for a dataset h5wasm cannot hold.
 */
export function readTensor(ds: H5Dataset, place: TensorPlace): WeightTensor {
  const info = datasetInfo(ds)
  const numeric = NUMERIC[info.dtype]
  if (numeric === undefined) {
    const what = info.dtype === 'string' ? 'holds strings' : 'has a non-numeric HDF5 type'
    throw new WeightsError('KM_WEIGHTS_DTYPE', `${ds.source}: ${describePlace(ds, place)} ${what}, not numbers.`, {
      hint: 'Keras weights are numeric arrays; the file was altered or is not a Keras weights file.',
    })
  }
  if (info.dtype === 'float16') {
    throw new WeightsError('KM_WEIGHTS_DTYPE', `${ds.source}: ${describePlace(ds, place)} is float16, which kmodel cannot read from HDF5.`, {
      hint: 'h5wasm has no float16 reader; re-save the weights with float32 variables (e.g. the mixed_float16 policy keeps float32 weights).',
    })
  }
  if (info.size * numeric.bytes > MAX_DATASET_BYTES) {
    const mib = Math.round((info.size * numeric.bytes) / 2 ** 20)
    throw new FormatError('KM_FORMAT_HDF5_TOO_LARGE', `${ds.source}: ${describePlace(ds, place)} is too large to read at once: ${info.shape.join('×')} ${info.dtype} is ${mib} MiB.`, {
      hint: `kmodel's HDF5 library holds at most ${Math.floor(MAX_DATASET_BYTES / 2 ** 20)} MiB per dataset; split the layer or convert the weights to tfjs shards.`,
    })
  }
  const data = readDataset(ds)
  if (isBfloat16(ds, info.dtype)) {
    return {name: place.name, shape: info.shape, dtype: 'bfloat16', data: new Uint16Array(data.buffer, data.byteOffset, data.length)}
  }
  return {name: place.name, shape: info.shape, dtype: numeric.dtype, data}
}
