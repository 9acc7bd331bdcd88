/**
 * `kmodel predict`: a forward pass through kmodel's compute core (src/core/compute, over tfjs-core ops), batch by
 * batch — the proof that loaded weights compute what Keras
 * computed. Inputs (`--x`) are `.npy`, `.npz` (arrays bound to the model's inputs by name, else by order), an
 * HDF5 dataset `file.h5:/group/dataset`, or a CSV table read as `train --x` reads it (train/csv.ts: header row,
 * every column or the named ones); they are sniffed by content. tfjs loads only when predict runs.
 */
import {existsSync} from 'node:fs'
import {basename} from 'node:path'
import {BackendError, FormatError, InputError, UsageError} from './errors.js'
import {hdf5SignatureOffset} from './io/hdf5-signature.js'
import {readNpy, readNpz} from './io/npy.js'
import type {ModelSpec} from './model/spec.js'
import {readInputFile} from './read.js'
import {csvColumns, parseCsv} from './train/csv.js'
import {toFloat32} from './weights/convert.js'
import type {WeightData, WeightDType, WeightsFile} from './weights/types.js'
import type {BackendName, ConcreteBackend} from './backend/select.js'

/** One input or output array, row-major. `dtype` tells how to read `data` (default: by its typed array). */
export interface InputArray {
  /** The array's name (.npz key, dataset name); inputs bind by name when every model input has one. */
  name?: string
  shape: number[]
  data: WeightData
  dtype?: WeightDType
}

/** One model output for all samples. */
export interface OutputArray {
  /** The output layer's name. */
  name: string
  shape: number[]
  data: Float32Array
}

/** Options of predict. */
export interface PredictOptions {
  backend?: BackendName
  /** Samples per forward pass (Keras's default: 32). */
  batchSize?: number
  /** Load the weights by layer name instead of by order (Keras's `by_name=True`). */
  byName?: boolean
}

/** What predict returns. */
export interface PredictResult {
  outputs: OutputArray[]
  backend: ConcreteBackend
  samples: number
}

const NPY = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]
const ZIP = [0x50, 0x4b, 0x03, 0x04]
const startsWith = (bytes: Uint8Array, magic: number[]): boolean => magic.every((b, i) => bytes[i] === b)
const tuple = (shape: ReadonlyArray<number | null>): string => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`

/** `file.h5:/group/dataset` → its two parts; null when `source` is a plain path. */
export function splitDatasetRef(source: string): {file: string; dataset: string} | null {
  const at = source.lastIndexOf(':/')
  if (at <= 0 || existsSync(source)) return null
  return {file: source.slice(0, at), dataset: source.slice(at + 1)}
}

async function readH5Dataset(file: string, dataset: string, source: string): Promise<InputArray> {
  const {datasetInfo, getDataset, readDataset, withH5File} = await import('./io/hdf5.js')
  return withH5File(file, (root) => {
    const ds = getDataset(root, dataset)
    if (ds === null) throw new InputError('KM_INPUT_DATASET', `${file} has no dataset '${dataset}'.`, {hint: 'Run h5ls -r on the file to list its datasets.'})
    const info = datasetInfo(ds)
    return {name: basename(dataset), shape: info.shape, data: readDataset(ds)}
  }, {source})
}

/** How a CSV `--x` is read: which columns (default: all, in header order), and the widest header accepted. */
export interface CsvInputOptions {
  columns?: readonly string[]
  maxCsvColumns?: number
}

/** True for content that can only be text: no NUL byte in its first 4 KiB. */
const looksLikeText = (bytes: Uint8Array): boolean => bytes.length > 0 && !bytes.subarray(0, 4096).includes(0)

/**
 * Reads the arrays of an `--x` source. InputError for missing files or datasets, FormatError for content that
 * is not .npy, .npz, HDF5 or CSV; CSV errors as train's (a missing column, a cell that is not a number).
 * `csv.columns` applies to CSV only (UsageError otherwise).
 */
export async function readInputArrays(source: string, csv: CsvInputOptions = {}): Promise<InputArray[]> {
  const ref = splitDatasetRef(source)
  if (ref !== null) return [await readH5Dataset(ref.file, ref.dataset, source)]
  const bytes = await readInputFile(source)
  const isCsv = !startsWith(bytes, NPY) && !startsWith(bytes, ZIP) && hdf5SignatureOffset(bytes) < 0 && looksLikeText(bytes)
  if (isCsv) {
    const table = parseCsv(new TextDecoder().decode(bytes), source, csv.maxCsvColumns)
    return [{name: 'x', dtype: 'float32', ...csvColumns(table, csv.columns ?? table.header, source, '--x-columns')}]
  }
  if (csv.columns !== undefined) throw new UsageError('KM_USAGE_COLUMNS', `--x-columns applies to CSV files; ${source} is not one.`, {hint: 'Drop --x-columns, or give a CSV file.'})
  if (startsWith(bytes, NPY)) return [{name: basename(source).replace(/\.npy$/, ''), ...readNpy(bytes, source)}]
  if (startsWith(bytes, ZIP)) return [...readNpz(bytes, source)].map(([name, array]) => ({name, ...array}))
  if (hdf5SignatureOffset(bytes) >= 0) {
    throw new InputError('KM_INPUT_DATASET', `${source} is an HDF5 file; name the dataset to read from it.`, {hint: `Give --x ${source}:/group/dataset.`})
  }
  throw new FormatError('KM_FORMAT_ARRAY', `${source} is not a .npy, .npz, HDF5 or CSV file.`, {hint: 'Save the inputs with numpy.save / numpy.savez, as a CSV table with a header row, or give an HDF5 dataset as file.h5:/group/dataset.'})
}

/** Orders the arrays as the model's inputs: by name when every input name is present, else by position. */
function bindInputs(names: readonly string[], arrays: readonly InputArray[]): InputArray[] {
  const byName = new Map(arrays.flatMap((a) => (a.name === undefined ? [] : [[a.name, a] as const])))
  if (names.every((n) => byName.has(n))) return names.map((n) => byName.get(n) as InputArray)
  if (arrays.length !== names.length) {
    throw new InputError('KM_INPUT_COUNT', `The model has ${names.length} input(s) (${names.map((n) => `'${n}'`).join(', ')}); ${arrays.length} array(s) were given.`, {
      hint: 'Give one array per input, in input order, or name the .npz arrays after the inputs.',
    })
  }
  return [...arrays]
}

/** Checks each array against its input's shape (batch axis free); one InputError names the first misfit. */
function checkShapes(names: readonly string[], expected: ReadonlyArray<ReadonlyArray<number | null>>, arrays: readonly InputArray[]): number {
  const samples = arrays[0]?.shape[0] ?? 0
  if (samples === 0) throw new InputError('KM_INPUT_EMPTY', `The array given for input '${names[0] ?? 0}' has no samples.`, {hint: 'Give at least one sample (the first axis is the sample axis).'})
  arrays.forEach((a, i) => {
    const want = expected[i] ?? []
    const fits = a.shape.length === want.length && want.every((d, k) => k === 0 || d === null || d === a.shape[k])
    if (!fits || a.shape[0] !== samples) {
      const why = fits ? `has ${a.shape[0] ?? 0} samples where the first input has ${samples}` : `has shape ${tuple(a.shape)}`
      throw new FormatError('KM_FORMAT_DATA_SHAPE', `Input '${names[i] ?? i}' of the model expects shape ${tuple(want)}; the array given for it${a.name === undefined ? '' : ` ('${a.name}')`} ${why}.`, {
        hint: 'Reshape the data to the model input (the first axis is the sample axis).',
      })
    }
  })
  return samples
}

/**
 * Runs the model on `inputs` in batches of `batchSize` and returns every output for all samples. `weights`
 * (null: the model's own initialisers) are matched as load-weights matches them: by order, as Keras's
 * load_weights does, or by name.
 * Errors: InputError (shapes, counts), WeightsError (pairing), BackendError (build, compute).
 */
export async function predict(model: ModelSpec, weights: WeightsFile | null, inputs: readonly InputArray[], options: PredictOptions = {}): Promise<PredictResult> {
  const batchSize = options.batchSize ?? 32
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InputError('KM_INPUT_BATCH_SIZE', `The batch size must be a positive integer, got ${batchSize}.`)
  const {loadBackend} = await import('./backend/select.js')
  const {loadTfjs} = await import('./backend/runtime.js')
  const {buildComputeModel} = await import('./compute/model.js')
  const {runBatches} = await import('./compute/run.js')
  const {weightsForModel} = await import('./backend/assign.js')
  const byName = options.byName === true
  const selection = await loadBackend(options.backend ?? 'auto')
  const tf = (await loadTfjs()).core
  const computeModel = buildComputeModel(tf, model)
  try {
    // Layers a by-name load does not reach keep their initial values, as in Keras; by order every layer is set.
    if (weights === null || byName) computeModel.setWeights(weightsForModel(model, await freshWeights(model)).perLayer)
    if (weights !== null) computeModel.setWeights(weightsForModel(model, weights, {byName}).perLayer)
    const names = computeModel.inputs.map((p) => p.name)
    const bound = bindInputs(names, inputs)
    const samples = checkShapes(names, computeModel.inputs.map((p) => p.shape), bound)
    const data = bound.map((a, i) => ({
      shape: a.shape,
      data: computeModel.inputs[i]?.dtype === 'int32' ? toInt32(a.data, names[i] ?? '') : toFloat32({name: a.name ?? '', shape: a.shape, dtype: a.dtype ?? dtypeOf(a.data), data: a.data}),
    }))
    try {
      const outputs = await runBatches(tf, computeModel, data, samples, batchSize)
      return {outputs, backend: selection.name, samples}
    } catch (error) {
      if (error instanceof BackendError) throw error
      throw new BackendError('KM_BACKEND_PREDICT', `Computing '${model.root.name}' failed: ${firstLine(error)}.`, {cause: error})
    }
  } finally {
    computeModel.dispose()
  }
}

/**
 * Data for an integer model input: Keras casts to the input's type, truncating fractions; kmodel computes
 * integers as int32, so a value outside its range is refused rather than wrapped.
 */
function toInt32(values: WeightData, input: string): Int32Array {
  const out = new Int32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = Math.trunc(Number(values[i] ?? 0))
    if (!(v >= -2147483648 && v <= 2147483647)) {
      throw new InputError('KM_INPUT_RANGE', `Input '${input}' is an integer input; value ${values[i]} at flat index ${i} does not fit in int32, the integer type kmodel computes with.`, {hint: 'Give ids in the int32 range (|x| < 2^31).'})
    }
    out[i] = v
  }
  return out
}

/** Fresh weights from the model's own initialisers (seed 0, so a run without weights is reproducible). */
async function freshWeights(model: ModelSpec): Promise<WeightsFile> {
  const {freshModelWeights} = await import('./weights/fresh.js')
  const {summarize} = await import('./graph/summarize.js')
  return freshModelWeights(model, summarize(model), 0)
}

/** The first line of an error's message, without its final full stop (kmodel's message adds one). */
const firstLine = (error: unknown): string => ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').replace(/\.+$/, '')

/** The element type implied by a typed array that came without a dtype (HDF5 datasets). */
function dtypeOf(data: WeightData): WeightDType {
  if (data instanceof Float64Array) return 'float64'
  if (data instanceof BigInt64Array) return 'int64'
  if (data instanceof BigUint64Array) return 'uint64'
  return 'float32'
}
