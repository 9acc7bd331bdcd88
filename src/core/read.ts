/**
 * readModel: any architecture file kmodel supports → the canonical ModelSpec.
 * The format is sniffed from the content (detect.ts) — for a path, from its first bytes only: HDF5 is opened
 * in place (h5wasm reads it lazily), a `.keras` zip through a file descriptor (its central directory and
 * config.json only), and only text formats are read whole, under KMODEL_MAX_TEXT_BYTES.
 */
import {type FileHandle, open, writeFile} from 'node:fs/promises'
import {constants as bufferConstants} from 'node:buffer'
import {FormatError, InputError, InternalError, type Warning} from './errors.js'
import {type Sniffed, sniff, sniffFile} from './formats/detect.js'
import {parsePythonJson} from './formats/python-json.js'
import type {RawModelDocument, SourceFormat} from './formats/raw.js'
import {maxTextBytes} from './io/zip-limits.js'
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

/** Options for readInputFile. */
export interface ReadInputOptions {
  /** Largest file read (default: the most Node holds in one buffer, 4 GiB). */
  maxBytes?: number
  /** The environment variable that raises `maxBytes`, named in the hint. */
  env?: string
  /** What the file is, for the message ('a text model file'). */
  what?: string
  /** The hint for a missing or unreadable path. */
  hint?: string
}

function openError(path: string, error: unknown, hint?: string): InputError {
  const code = (error as NodeJS.ErrnoException).code
  const what = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code ?? String(error)})`
  return new InputError(code === 'ENOENT' ? 'KM_INPUT_NOT_FOUND' : 'KM_INPUT_UNREADABLE', `${path} ${what}.`, {
    hint: hint ?? (code === 'ENOENT' ? 'Check the path.' : 'Check the path and its permissions.'),
    cause: error,
  })
}

/** `size`: the file's size, or null for a stream that passed the cap. */
function tooLargeFile(path: string, size: number | null, max: number, opts: ReadInputOptions): FormatError {
  const what = size === null ? `passes the ${max}-byte limit` : `is ${size} bytes, more than the ${max}-byte limit`
  const raise = opts.env === undefined ? 'kmodel cannot hold a larger file in memory.' : `If the file is genuine, raise the limit with ${opts.env}=N.`
  return new FormatError('KM_FORMAT_FILE_TOO_LARGE', `${path} ${what} for ${opts.what ?? 'a file read whole'}.`, {hint: raise})
}

/** A regular file of `size` bytes, read into one buffer (fewer bytes if it shrank meanwhile). */
async function readRegular(handle: FileHandle, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size)
  let got = 0
  while (got < size) {
    const {bytesRead} = await handle.read(out, got, Math.min(size - got, 2 ** 30), got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  return out.subarray(0, got)
}

/** A pipe or device, read as it comes, refused once it passes `max` bytes. */
async function readStream(handle: FileHandle, path: string, max: number, opts: ReadInputOptions): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const chunk = new Uint8Array(1 << 20)
    const {bytesRead} = await handle.read(chunk, 0, chunk.length, null)
    if (bytesRead === 0) break
    total += bytesRead
    if (total > max) throw tooLargeFile(path, null, max, opts)
    chunks.push(chunk.subarray(0, bytesRead))
  }
  return Buffer.concat(chunks, total)
}

/**
 * Reads a whole file (a regular file, or a pipe as it comes) into memory, refusing one over `maxBytes`
 * before reading it. fs errors become InputError (exit 3); a file over the cap FormatError
 * KM_FORMAT_FILE_TOO_LARGE (exit 4) with a hint naming the variable that raises it.
 */
export async function readInputFile(path: string, opts: ReadInputOptions = {}): Promise<Uint8Array> {
  const max = Math.min(opts.maxBytes ?? bufferConstants.MAX_LENGTH, bufferConstants.MAX_LENGTH)
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw openError(path, error, opts.hint)
  }
  try {
    const stats = await handle.stat()
    if (stats.isFile() && stats.size > max) throw tooLargeFile(path, stats.size, max, opts)
    return stats.isFile() ? await readRegular(handle, stats.size) : await readStream(handle, path, max, opts)
  } catch (error) {
    if (error instanceof FormatError) throw error
    throw openError(path, error, opts.hint)
  } finally {
    await handle.close()
  }
}

/** HDF5 needs a real file for h5wasm: bytes from stdin are staged in a private temp folder (io/staging.ts). */
async function readH5(input: string | ModelBytes): Promise<RawModelDocument> {
  const {readKerasH5Model} = await import('./formats/keras-h5.js')
  if (typeof input === 'string') return readKerasH5Model(input)
  const {withStagedFile} = await import('./io/staging.js')
  return withStagedFile('kmodel-', 'model.h5', (path) => writeFile(path, input.bytes, {mode: 0o600}), (path) => readKerasH5Model(path, {source: input.name}))
}

/** The hint for a model path that does not exist (data and weights files have their own). */
const MODEL_HINT = 'Check the path; use - to read the model from standard input.'

/** The cap on text formats, as readInputFile options. */
function textCap(): ReadInputOptions {
  return {maxBytes: maxTextBytes(), env: 'KMODEL_MAX_TEXT_BYTES', what: 'a text model file (JSON, YAML, tfjs model.json)', hint: MODEL_HINT}
}

/** Parses JSON/YAML text, or refuses an empty or binary file. */
async function readText(kind: Sniffed, bytes: Uint8Array, source: string): Promise<RawModelDocument> {
  const base = {keras_version: null, backend: null, training_config: null}
  switch (kind) {
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

/** Parses bytes already in memory (stdin, a pipe) of any format into a raw document. */
async function readRaw(bytes: Uint8Array, input: ModelBytes, source: string): Promise<RawModelDocument> {
  const kind = sniff(bytes)
  if (kind === 'keras-h5') return readH5(input)
  if (kind === 'keras-zip') {
    const {readKerasZip} = await import('./formats/keras-zip.js')
    return readKerasZip(bytes, source)
  }
  const cap = textCap()
  if (bytes.length > (cap.maxBytes ?? 0)) throw tooLargeFile(source, bytes.length, cap.maxBytes ?? 0, cap)
  return readText(kind, bytes, source)
}

/** Reads a model from a path, loading only what its format needs. */
async function readPath(path: string): Promise<RawModelDocument> {
  const kind = await sniffFile(path, path)
  if (kind === null) {
    const bytes = await readInputFile(path, {hint: MODEL_HINT})
    return readRaw(bytes, {bytes, name: path}, path)
  }
  if (kind === 'keras-h5') return readH5(path)
  if (kind === 'keras-zip') {
    const {readKerasZipFile} = await import('./formats/keras-zip.js')
    return readKerasZipFile(path, path)
  }
  return readText(kind, kind === 'json' || kind === 'yaml' ? await readInputFile(path, textCap()) : new Uint8Array(), path)
}

/** Reads and normalises a model from a path or given bytes, then checks its graph. */
export async function readModel(input: string | ModelBytes): Promise<ReadResult> {
  const source = typeof input === 'string' ? input : input.name
  const raw = typeof input === 'string' ? await readPath(input) : await readRaw(input.bytes, input, source)
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
