/**
 * Architectures out of Keras 3 `.keras` zips (KERAS-REFERENCE §3.5), also written by tf.keras 2.13–2.15:
 *
 *   metadata.json        {"keras_version": "3.4.1", "date_saved": "2024-07-01@12:00:00"}
 *   config.json          the serialized model {module, class_name, config, registered_name, compile_config?}
 *   model.weights.h5     (or model.weights.npz) the Keras 3 weights layout
 *   assets/…             optional
 *
 * The archive is listed before anything is inflated: names that could escape a folder ('..' segments,
 * absolute paths) are refused, and an entry is only inflated when its declared size is under a cap, so a
 * zip bomb costs nothing. Only the small JSON members are inflated here.
 */
import {unzipSync} from 'fflate'
import {FormatError} from '../errors.js'
import {type Json, isObject} from '../json.js'
import {parsePythonJson} from './python-json.js'
import type {RawModelDocument} from './raw.js'

/** Default cap on an inflated entry's size: 256 MiB. */
export const MAX_ZIP_ENTRY_BYTES = 256 * 1024 * 1024

/** The weights members a `.keras` zip may carry, in the order Keras prefers them. */
export const KERAS_ZIP_WEIGHTS = ['model.weights.h5', 'model.weights.npz'] as const

/** Name of the weights member of a `.keras` zip. */
export type KerasZipWeights = (typeof KERAS_ZIP_WEIGHTS)[number]

/** Options for reading a `.keras` zip. */
export interface KerasZipOptions {
  /** Largest declared uncompressed size of an entry kmodel will inflate (default MAX_ZIP_ENTRY_BYTES). */
  maxEntryBytes?: number
}

/** One zip member as the central directory declares it. */
export interface ZipEntryInfo {
  name: string
  /** Declared uncompressed size in bytes. */
  size: number
  /** Compressed size in bytes. */
  compressedSize: number
  /** Zip compression method: 0 stored, 8 deflate. */
  compression: number
}

/** The members of a `.keras` zip and which weights member it carries (null: none). */
export interface KerasZipListing {
  entries: ZipEntryInfo[]
  weights: KerasZipWeights | null
}

const HINT_CORRUPT = 'The .keras file looks truncated or corrupt; copy or download it again.'

function zipError(message: string, cause?: unknown): FormatError {
  return new FormatError('KM_FORMAT_ZIP', message, cause === undefined ? {hint: HINT_CORRUPT} : {hint: HINT_CORRUPT, cause})
}

/** True for names that could escape the extraction folder: absolute, drive-qualified, or with a '..' segment. */
function isUnsafeName(name: string): boolean {
  return /^[/\\]/.test(name) || /^[A-Za-z]:/.test(name) || name.includes('\0') || name.split(/[/\\]/).includes('..')
}

/**
 * Lists a `.keras` zip without inflating anything. FormatError KM_FORMAT_ZIP for bytes that are not a
 * readable zip, KM_FORMAT_ZIP_UNSAFE for a member name with '..' or an absolute path.
 */
export function listKerasZip(bytes: Uint8Array, source: string): KerasZipListing {
  const entries: ZipEntryInfo[] = []
  try {
    unzipSync(bytes, {
      filter(file) {
        entries.push({name: file.name, size: file.originalSize, compressedSize: file.size, compression: file.compression})
        return false
      },
    })
  } catch (error) {
    throw zipError(`${source} is not a readable zip archive: ${error instanceof Error ? error.message : String(error)}.`, error)
  }
  const unsafe = entries.find((e) => isUnsafeName(e.name))
  if (unsafe !== undefined) {
    throw new FormatError('KM_FORMAT_ZIP_UNSAFE', `${source} contains an entry with an unsafe path '${unsafe.name}'.`, {
      hint: 'Keras never writes such names; the archive was altered. Do not extract it.',
    })
  }
  const names = new Set(entries.map((e) => e.name))
  return {entries, weights: KERAS_ZIP_WEIGHTS.find((w) => names.has(w)) ?? null}
}

/**
 * Inflates one member of a `.keras` zip, or returns null when it is absent. Refuses (FormatError) a member
 * whose declared size is above the cap, one listed twice, and one that inflates to a size other than declared.
 */
export function readKerasZipEntry(bytes: Uint8Array, source: string, name: string, options: KerasZipOptions = {}): Uint8Array | null {
  const max = options.maxEntryBytes ?? MAX_ZIP_ENTRY_BYTES
  const matches = listKerasZip(bytes, source).entries.filter((e) => e.name === name)
  const entry = matches[0]
  if (entry === undefined) return null
  if (matches.length > 1) throw zipError(`${source} lists entry '${name}' ${matches.length} times.`)
  if (entry.size > max) {
    throw new FormatError('KM_FORMAT_ZIP_TOO_LARGE', `${source}: entry '${name}' declares ${entry.size} bytes uncompressed, more than the ${max}-byte limit.`, {
      hint: 'This is far larger than any Keras file member of this kind; the archive may be a zip bomb.',
    })
  }
  let data: Uint8Array | undefined
  try {
    data = unzipSync(bytes, {filter: (file) => file.name === name})[name]
  } catch (error) {
    throw zipError(`${source}: entry '${name}' cannot be inflated: ${error instanceof Error ? error.message : String(error)}.`, error)
  }
  if (data?.length !== entry.size) {
    throw zipError(`${source}: entry '${name}' inflates to ${data?.length ?? 0} bytes, not the ${entry.size} bytes it declares.`)
  }
  return data
}

function readJsonEntry(bytes: Uint8Array, source: string, name: string, options: KerasZipOptions): Json | undefined {
  const data = readKerasZipEntry(bytes, source, name, options)
  if (data === null) return undefined
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(data).replace(/^\uFEFF/, '')
  } catch (error) {
    throw new FormatError('KM_FORMAT_JSON', `${source}: entry '${name}' is not UTF-8 text.`, {cause: error})
  }
  return parsePythonJson(text, `${source}: entry '${name}'`)
}

/**
 * Reads a `.keras` zip's architecture: `config.json` (Python-flavoured JSON) as the document and
 * `metadata.json`'s `keras_version` (null when absent). Keras 3 records no backend in the zip, and the
 * compile settings stay inside the document (`compile_config`), so both are null here.
 * FormatError KM_FORMAT_ZIP_NO_CONFIG when `config.json` is missing (an .npz, or another zip).
 */
export function readKerasZip(bytes: Uint8Array, source: string, options: KerasZipOptions = {}): RawModelDocument {
  const listing = listKerasZip(bytes, source)
  const document = readJsonEntry(bytes, source, 'config.json', options)
  if (document === undefined) {
    const names = listing.entries.map((e) => `'${e.name}'`)
    const found = names.length === 0 ? 'it is empty' : `it holds ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`
    throw new FormatError('KM_FORMAT_ZIP_NO_CONFIG', `${source} is a zip archive but not a .keras model: no 'config.json' (${found}).`, {
      hint: "Save the model with model.save('model.keras'), or pass its model.to_json() output.",
    })
  }
  const metadata = readJsonEntry(bytes, source, 'metadata.json', options)
  const version = isObject(metadata) ? metadata.keras_version : undefined
  return {
    format: 'keras-zip',
    document,
    keras_version: typeof version === 'string' ? version : null,
    backend: null,
    training_config: null,
  }
}
