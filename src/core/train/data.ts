/**
 * Training data: X and Y arrays from `.npy`, `.npz` (arrays named after the model's input / output layers, else
 * in order), CSV (header row; `--x-columns` / `--y-columns`; Y may come from X's own file) or an HDF5 dataset
 * `file.h5:/x_train`, checked against the model with one clear InputError (exit 3) per problem: a missing
 * column, a non-numeric cell, a sample count that differs, a shape or rank that does not fit, labels that
 * are not class indices. As Keras 2's data adapter does, a 1-D array is taken as one column ([N] → [N, 1]).
 */
import {FormatError, InputError, UsageError} from '../errors.js'
import {hdf5SignatureOffset} from '../io/hdf5-signature.js'
import {readNpy, readNpz} from '../io/npy.js'
import {type InputArray, readInputArrays, splitDatasetRef} from '../predict.js'
import {readInputFile} from '../read.js'
import {toFloat32} from '../weights/convert.js'
import type {WeightDType} from '../weights/types.js'
import type {LossSpec} from './compile.js'
import {type CsvTable, csvColumns, parseCsv} from './csv.js'
import {takesSparseLabels} from './losses.js'

/** Where X and Y come from (the command's flags). */
export interface DataSources {
  x: string
  y?: string
  xColumns?: string[]
  yColumns?: string[]
  /** Widest CSV header accepted (default DEFAULT_MAX_CSV_COLUMNS, csv.ts). */
  maxCsvColumns?: number
}

/** One array as float32, first axis = samples. */
export interface Float32Array2 {
  name?: string
  shape: number[]
  data: Float32Array
}

/** X and Y bound to the model's inputs and outputs, in their order. */
export interface Dataset {
  x: Float32Array2[]
  y: Float32Array2[]
  samples: number
}

/** A model input or output: its layer name and its shape with the batch axis (null). */
export interface ModelPort {
  name: string
  shape: ReadonlyArray<number | null>
}

const tuple = (shape: ReadonlyArray<number | null>): string => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`
const usage = (code: `KM_USAGE_${string}`, message: string, hint: string): UsageError => new UsageError(code, message, {hint})

async function readTable(source: string, maxColumns: number | undefined): Promise<CsvTable | null> {
  if (splitDatasetRef(source) !== null) return null
  const bytes = await readInputFile(source)
  // .npy (\x93NUMPY), .npz (PK zip), HDF5, or any binary content: not a CSV
  if (bytes[0] === 0x93 || (bytes[0] === 0x50 && bytes[1] === 0x4b) || hdf5SignatureOffset(bytes) >= 0 || bytes.subarray(0, 4096).includes(0)) return null
  return parseCsv(new TextDecoder().decode(bytes), source, maxColumns)
}

/** Arrays of a non-CSV source (.npy, .npz, HDF5 dataset). */
async function readArrays(source: string): Promise<InputArray[]> {
  if (splitDatasetRef(source) !== null) return readInputArrays(source)
  const bytes = await readInputFile(source)
  if (bytes[0] === 0x93) return [{name: source.replace(/^.*\//, '').replace(/\.npy$/, ''), ...readNpy(bytes, source)}]
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return [...readNpz(bytes, source)].map(([name, a]) => ({name, ...a}))
  return readInputArrays(source)
}

/** Reads X and Y as the sources say; columns apply to CSV files only. */
export async function readXY(src: DataSources): Promise<{x: InputArray[]; y: InputArray[]}> {
  const xTable = await readTable(src.x, src.maxCsvColumns)
  if (xTable === null && src.xColumns !== undefined) throw usage('KM_USAGE_COLUMNS', `--x-columns applies to CSV files; ${src.x} is not one.`, 'Drop --x-columns, or give a CSV file.')
  const yTable = src.y === undefined ? xTable : await readTable(src.y, src.maxCsvColumns)
  if (src.y === undefined && (xTable === null || src.yColumns === undefined)) {
    throw usage('KM_USAGE_NO_Y', 'No targets given: pass --y, or --y-columns to take them from the CSV given to --x.', 'For example --y y_train.npy, or --x data.csv --y-columns label.')
  }
  if (yTable === null && src.yColumns !== undefined) throw usage('KM_USAGE_COLUMNS', `--y-columns applies to CSV files; ${src.y ?? src.x} is not one.`, 'Drop --y-columns, or give a CSV file.')
  const ySource = src.y ?? src.x
  const y = yTable === null ? await readArrays(ySource) : [{name: 'y', dtype: 'float32' as const, ...csvColumns(yTable, src.yColumns ?? yTable.header, ySource, '--y-columns')}]
  if (xTable === null) return {x: await readArrays(src.x), y}
  const used = src.y === undefined ? new Set(src.yColumns) : new Set<string>()
  const columns = src.xColumns ?? xTable.header.filter((h) => !used.has(h))
  return {x: [{name: 'x', dtype: 'float32', ...csvColumns(xTable, columns, src.x, '--x-columns')}], y}
}

/** Orders arrays as the model's ports: by name when every port name is present, else by position. */
function bind(ports: readonly ModelPort[], arrays: readonly InputArray[], role: string): InputArray[] {
  const byName = new Map(arrays.flatMap((a) => (a.name === undefined ? [] : [[a.name, a] as const])))
  if (ports.every((p) => byName.has(p.name))) return ports.map((p) => byName.get(p.name) as InputArray)
  if (arrays.length !== ports.length) {
    throw new InputError('KM_INPUT_COUNT', `The model has ${ports.length} ${role}(s) (${ports.map((p) => `'${p.name}'`).join(', ')}); ${arrays.length} array(s) were given.`, {
      hint: `Give one array per ${role}, in order, or an .npz whose arrays are named after the ${role} layers.`,
    })
  }
  return [...arrays]
}

function dtypeOf(a: InputArray): WeightDType {
  if (a.dtype !== undefined) return a.dtype
  return a.data instanceof Float64Array ? 'float64' : a.data instanceof BigInt64Array ? 'int64' : a.data instanceof BigUint64Array ? 'uint64' : 'float32'
}

function toArray(a: InputArray): Float32Array2 {
  const data = toFloat32({name: a.name ?? '', shape: a.shape, dtype: dtypeOf(a), data: a.data})
  const shape = a.shape.length === 1 ? [a.shape[0] ?? 0, 1] : [...a.shape]
  return {...(a.name === undefined ? {} : {name: a.name}), shape, data}
}

function shapeError(role: string, port: ModelPort, a: Float32Array2, want: ReadonlyArray<number | null>, extra = ''): FormatError {
  return new FormatError('KM_FORMAT_DATA_SHAPE', `The model's ${role} '${port.name}' expects shape ${tuple(want)}; the array given for it${a.name === undefined ? '' : ` ('${a.name}')`} has shape ${tuple(a.shape)}${extra}.`, {
    hint: 'Reshape the data to fit the model (the first axis is the sample axis).',
  })
}

const fits = (shape: readonly number[], want: ReadonlyArray<number | null>): boolean => shape.length === want.length && want.every((d, k) => k === 0 || d === null || d === shape[k])

/** Sparse labels: the output shape with a class axis of 1; integer values in [0, classes). */
function checkSparse(port: ModelPort, a: Float32Array2, loss: string): void {
  const classes = port.shape[port.shape.length - 1] ?? null
  const want = [...port.shape.slice(0, -1), 1]
  if (!fits(a.shape, want)) throw shapeError('output', port, a, want, ` (${loss} takes one class index per sample)`)
  const bad = a.data.findIndex((v) => !Number.isInteger(v) || v < 0 || (classes !== null && v >= classes))
  if (bad >= 0) {
    throw new InputError('KM_INPUT_LABELS', `Label ${a.data[bad]} at index ${bad} of the targets for output '${port.name}' is not a class index in [0, ${classes ?? '?'}) as ${loss} needs.`, {
      hint: 'Give integer class indices, or one-hot targets with categorical_crossentropy.',
    })
  }
}

/**
 * Binds X and Y to the model's inputs and outputs and checks them. Sparse losses get labels of shape
 * [N, …, 1]; others the output's own shape.
 */
export function bindDataset(inputs: readonly ModelPort[], outputs: readonly ModelPort[], raw: {x: InputArray[]; y: InputArray[]}, losses: readonly LossSpec[], what = 'training data'): Dataset {
  const x = bind(inputs, raw.x, 'input').map(toArray)
  const y = bind(outputs, raw.y, 'output').map(toArray)
  const samples = x[0]?.shape[0] ?? 0
  if (samples === 0) throw new InputError('KM_INPUT_EMPTY', `The ${what} has no samples.`, {hint: 'Give at least one sample (the first axis is the sample axis).'})
  x.forEach((a, i) => {
    const port = inputs[i] as ModelPort
    if (!fits(a.shape, port.shape)) throw shapeError('input', port, a, port.shape)
  })
  y.forEach((a, i) => {
    const port = outputs[i] as ModelPort
    const loss = losses[i]?.name ?? 'mean_squared_error'
    if (takesSparseLabels(loss)) checkSparse(port, a, loss)
    else if (!fits(a.shape, port.shape)) throw shapeError('output', port, a, port.shape)
  })
  for (const [role, arrays, ports] of [['input', x, inputs], ['output', y, outputs]] as const) {
    arrays.forEach((a, i) => {
      if (a.shape[0] !== samples) {
        throw new InputError('KM_INPUT_SAMPLES', `The array for ${role} '${ports[i]?.name ?? i}' has ${a.shape[0] ?? 0} samples; the first input's has ${samples}.`, {
          hint: 'X and Y need the same number of samples (rows).',
        })
      }
    })
  }
  return {x, y, samples}
}
