/**
 * from-config's core: read each file, rebuild its graph, validate it, and report per file — never stopping at
 * the first bad file, so a CI job sees every problem in one run.
 */
import {FormatError, KmodelError, type Warning} from './errors.js'
import {type ReadResult, readModel, type ModelBytes} from './read.js'
import {validateModel} from './model/validate.js'

/** One file's verdict, as `from-config --json` reports it. */
export interface FileCheck {
  file: string
  valid: boolean
  className: string | null
  kerasVersion: string | null
  layers: number | null
  errors: Array<{path: string; message: string; code: string; hint: string | null}>
  warnings: Warning[]
  /** The worst exit code this file deserves (0 valid, 3 unreadable, 4 invalid, 1 unexpected). */
  exit: number
  /** Why a file found in a folder was not checked (e.g. a weights-only HDF5 file); absent otherwise. */
  skipped?: string
}

/** The hint of a model the validation pass refuses. */
export const INVALID_HINT = 'Keras would refuse to load this model too: fix the value in the config (see the Keras documentation of the layer); `kmodel from-config FILE` lists every problem.'

/**
 * The validation pass on a model read, for the commands that use the model (summary, to-json, plot, predict, …):
 * throws FormatError KM_FORMAT_INVALID_ARG (exit 4) naming the first problem, its JSON path and how many more
 * there are; otherwise returns the read with the validation's warnings added.
 */
export function validateRead(read: ReadResult): ReadResult {
  const {errors, warnings} = validateModel(read.model)
  const [first] = errors
  if (first !== undefined) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : ''
    throw new FormatError('KM_FORMAT_INVALID_ARG', `${read.source}: ${first.message.replace(/\.$/, '')} at ${first.path}${more}.`, {path: first.path, hint: INVALID_HINT})
  }
  return warnings.length === 0 ? read : {...read, warnings: [...read.warnings, ...warnings]}
}

/** A model file read and validated (validateRead): what every command but from-config works on. */
export async function readValidModel(input: string | ModelBytes): Promise<ReadResult> {
  return validateRead(await readModel(input))
}

/**
 * `from-config --strict`: every warning is also an error (code KM_STRICT_WARNING), so the file is invalid
 * (exit 4) unless it had no warning. Skipped and unreadable files are kept as they are.
 */
export function strictCheck(r: FileCheck): FileCheck {
  if (r.skipped !== undefined || r.warnings.length === 0 || r.exit === 3) return r
  const promoted = r.warnings.map((w) => ({path: w.path, message: w.message, code: 'KM_STRICT_WARNING', hint: 'from-config --strict turns warnings into errors.'}))
  return {...r, valid: false, errors: [...r.errors, ...promoted], exit: r.exit === 0 ? 4 : r.exit}
}

/** Checks one model file (or given bytes). Never throws for a bad file; KmodelErrors become results. */
export async function checkModelFile(input: string | ModelBytes, read: (i: string | ModelBytes) => Promise<ReadResult> = readModel): Promise<FileCheck> {
  const file = typeof input === 'string' ? input : input.name
  try {
    const result = await read(input)
    const {errors, warnings} = validateModel(result.model)
    return {
      file,
      valid: errors.length === 0,
      className: result.model.root.class_name,
      kerasVersion: result.model.keras_version,
      layers: result.model.root.graph.layers.length,
      errors: errors.map((e) => ({...e, code: 'KM_FORMAT_INVALID_ARG', hint: 'Fix the value in the config; see the Keras documentation of the layer.'})),
      warnings: [...result.warnings, ...warnings],
      exit: errors.length === 0 ? 0 : 4,
    }
  } catch (error) {
    if (!(error instanceof KmodelError)) throw error
    const path = 'path' in error && typeof error.path === 'string' ? error.path : '$'
    return {file, valid: false, className: null, kerasVersion: null, layers: null, errors: [{path, message: error.message, code: error.code, hint: error.hint ?? null}], warnings: [], exit: error.exit}
  }
}
