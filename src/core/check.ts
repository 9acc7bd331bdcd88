/**
 * from-config's core: read each file, rebuild its graph, validate it, and report per file — never stopping at
 * the first bad file, so a CI job sees every problem in one run.
 */
import {KmodelError, type Warning} from './errors.js'
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
