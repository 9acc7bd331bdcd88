/**
 * What `predict -o FILE` writes, chosen by FILE's extension, as NumPy and Keras users expect from the name:
 *
 *   .npy   one output, np.save's format                       several outputs: refused (use .npz)
 *   .npz   every output, keyed by output layer name (np.savez)
 *   .csv   one output of shape (N,) or (N, k): a header row (as kmodel's CSV reader, train --x, expects), then one
 *          row of k numbers per sample; np.loadtxt(f, delimiter=',', skiprows=1) reads it back bit-exactly
 *          (float32 values printed as the shortest decimal of their float64 value)
 *   other  refused
 *
 * Refusals are UsageError (exit 2) with a hint; nothing is ever written under a name whose format it is not.
 */
import {extname} from 'node:path'
import {UsageError} from './errors.js'
import {type NdArray, writeNpy, writeNpz} from './io/npy.js'
import type {OutputArray} from './predict.js'

/** The formats predict writes. */
export type PredictOutputFormat = 'npy' | 'npz' | 'csv'

const FORMATS: Record<string, PredictOutputFormat> = {'.npy': 'npy', '.npz': 'npz', '.csv': 'csv'}

/** The format the output name asks for; UsageError KM_USAGE_OUTPUT_EXTENSION for any other extension. */
export function predictOutputFormat(path: string): PredictOutputFormat {
  const ext = extname(path).toLowerCase()
  const format = FORMATS[ext]
  if (format === undefined) {
    const what = ext === '' ? 'has no extension' : `ends in '${ext}'`
    throw new UsageError('KM_USAGE_OUTPUT_EXTENSION', `The output ${path} ${what}; predict writes .npy, .npz or .csv, chosen by the name.`, {
      hint: 'Name the output y.npy (one output, np.load), y.npz (every output, by layer name) or y.csv (one output of 1 or 2 dimensions).',
    })
  }
  return format
}

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180, as kmodel's CSV reader reads it). */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A float32 value as text np.loadtxt and kmodel's CSV reader parse back to the same value. */
function csvNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan'
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf'
  return String(v)
}

/** One 1-D or 2-D output as CSV text: header `name` or `name_0, name_1, …`, then one line per sample. */
export function predictionsCsv(output: OutputArray): string {
  const [samples = 0, width = 1] = output.shape
  const columns = output.shape.length === 1 ? [output.name] : Array.from({length: width}, (_, j) => `${output.name}_${j}`)
  const lines = [columns.map(csvField).join(',')]
  for (let i = 0; i < samples; i++) {
    const row: string[] = []
    for (let j = 0; j < width; j++) row.push(csvNumber(output.data[i * width + j] ?? Number.NaN))
    lines.push(row.join(','))
  }
  return `${lines.join('\n')}\n`
}

/**
 * Refuses, before anything is computed, a single-array format for a model with several outputs (UsageError
 * KM_USAGE_OUTPUT_FORMAT). `outputs` is the number of the model's outputs.
 */
export function checkOutputCount(path: string, format: PredictOutputFormat, outputs: number): void {
  if (format !== 'npz' && outputs > 1) throw severalOutputs(path, format, `${outputs} outputs`)
}

function severalOutputs(path: string, format: PredictOutputFormat, what: string): UsageError {
  return refuse(path, `the model has ${what}; a .${format} file holds one`, 'Name the output .npz to get every output, keyed by output layer name.')
}

function refuse(path: string, why: string, hint: string): UsageError {
  return new UsageError('KM_USAGE_OUTPUT_FORMAT', `${path}: ${why}.`, {hint})
}

/** The bytes of `outputs` in `format`; UsageError when the format cannot hold them (checked before encoding). */
export function encodePredictions(path: string, format: PredictOutputFormat, outputs: readonly OutputArray[]): Uint8Array {
  const arrays = outputs.map((o): [string, NdArray] => [o.name, {dtype: 'float32', shape: o.shape, data: o.data}])
  if (format === 'npz') return writeNpz(arrays)
  const only = outputs.length === 1 ? outputs[0] : undefined
  if (only === undefined) {
    throw severalOutputs(path, format, `${outputs.length} outputs (${outputs.map((o) => `'${o.name}'`).join(', ')})`)
  }
  if (format === 'npy') return writeNpy({dtype: 'float32', shape: only.shape, data: only.data})
  if (only.shape.length > 2) {
    throw refuse(path, `output '${only.name}' has shape (${only.shape.join(', ')}); a CSV file holds rows of numbers (1 or 2 dimensions)`, 'Name the output .npy or .npz to keep every dimension.')
  }
  return new TextEncoder().encode(predictionsCsv(only))
}
