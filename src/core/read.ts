/**
 * readModel: any architecture file kmodel supports → the canonical ModelSpec.
 * The format is sniffed from the bytes (detect.ts); HDF5 goes through io/hdf5 (loaded only when needed).
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {FormatError, InputError, InternalError, type Warning} from './errors.js'
import {sniff} from './formats/detect.js'
import {parsePythonJson} from './formats/python-json.js'
import {assertGlobalHeapsSound} from './io/hdf5-heap.js'
import type {RawModelDocument, SourceFormat} from './formats/raw.js'
import {isObject} from './json.js'
import {normalize} from './model/normalize.js'
import type {ModelSpec} from './model/spec.js'
import {checkGraph} from './graph/topology.js'

/** A model file's content given directly (stdin, tests): `name` is used in messages. */
export interface ModelBytes {
  bytes: Uint8Array
  name: string
}

/** What readModel returns. */
export interface ReadResult {
  model: ModelSpec
  format: SourceFormat
  /** The name used in messages: the path, or `<stdin>`. */
  source: string
  warnings: Warning[]
}

/** Reads a file's bytes, turning fs errors into InputError (exit 3). */
export async function readInputFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const what = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code ?? String(error)})`
    throw new InputError(code === 'ENOENT' ? 'KM_INPUT_NOT_FOUND' : 'KM_INPUT_UNREADABLE', `${path} ${what}.`, {
      hint: code === 'ENOENT' ? 'Check the path; use - to read the model from standard input.' : 'Check the path and its permissions.',
      cause: error,
    })
  }
}

/** HDF5 needs a real file for h5wasm: bytes from stdin are staged in a private temp folder. */
async function readH5(input: string | ModelBytes): Promise<RawModelDocument> {
  const {readKerasH5Model} = await import('./formats/keras-h5.js')
  if (typeof input === 'string') return readKerasH5Model(input)
  const dir = await mkdtemp(join(tmpdir(), 'kmodel-'))
  try {
    const path = join(dir, 'model.h5')
    await writeFile(path, input.bytes)
    return await readKerasH5Model(path, {source: input.name})
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

/** Parses the bytes of a text or zip format into a raw document. */
async function readRaw(bytes: Uint8Array, input: string | ModelBytes, source: string): Promise<RawModelDocument> {
  const kind = sniff(bytes)
  const base = {keras_version: null, backend: null, training_config: null}
  switch (kind) {
    case 'keras-h5':
      assertGlobalHeapsSound(bytes, source) // HDF5 itself would loop forever on some corrupt heaps
      return readH5(input)
    case 'keras-zip': {
      const {readKerasZip} = await import('./formats/keras-zip.js')
      return readKerasZip(bytes, source)
    }
    case 'json': {
      const document = parsePythonJson(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''), source)
      return {...base, format: isObject(document) && 'modelTopology' in document ? 'tfjs' : 'keras-json', document}
    }
    case 'yaml': {
      const {parseKerasYamlWithWarnings} = await import('./formats/yaml.js')
      const {doc, warnings} = parseKerasYamlWithWarnings(new TextDecoder().decode(bytes), source)
      return {...base, format: 'yaml', document: doc, warnings}
    }
    case 'empty':
      throw new FormatError('KM_FORMAT_EMPTY', `${source} is empty.`, {hint: 'Give a model file: model.to_json() output, YAML, .h5, .keras or tfjs model.json.'})
    case 'binary':
      throw new FormatError('KM_FORMAT_UNKNOWN', `${source} is a binary file kmodel does not recognise (not HDF5, not a .keras zip).`, {
        hint: 'kmodel reads Keras JSON/YAML, full-model .h5, .keras zips and tfjs model.json; a SavedModel folder or .pb is not supported.',
      })
    default:
      throw new InternalError(`sniff() returned '${kind}', which readModel does not handle.`)
  }
}

/** Reads and normalises a model from a path or given bytes, then checks its graph. */
export async function readModel(input: string | ModelBytes): Promise<ReadResult> {
  const source = typeof input === 'string' ? input : input.name
  const bytes = typeof input === 'string' ? await readInputFile(input) : input.bytes
  const raw = await readRaw(bytes, input, source)
  const {model, warnings} = withSource(source, () => normalize(raw, source))
  withSource(source, () => checkGraph(model.root.graph, '$.config'))
  return {model, format: raw.format, source, warnings: [...(raw.warnings ?? []), ...warnings]}
}

/** Prefixes the file name to format errors raised without one. */
function withSource<T>(source: string, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof FormatError && !error.message.startsWith(source)) {
      throw new FormatError(error.code as `KM_FORMAT_${string}`, `${source}: ${error.message}`, {
        ...(error.hint === undefined ? {} : {hint: error.hint}),
        ...(error.path === undefined ? {} : {path: error.path}),
        cause: error.cause,
      })
    }
    throw error
  }
}
