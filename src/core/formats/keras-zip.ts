/**
 * Architectures out of Keras 3 `.keras` zips (KERAS-REFERENCE §3.5), also written by tf.keras 2.13–2.15:
 *
 *   metadata.json        {"keras_version": "3.4.1", "date_saved": "2024-07-01@12:00:00"}
 *   config.json          the serialized model {module, class_name, config, registered_name, compile_config?}
 *   model.weights.h5     (or model.weights.npz) the Keras 3 weights layout
 *   assets/…             optional
 *
 * The archive is read through io/zip.ts — from a file descriptor (nothing loaded whole; a summary reads the
 * central directory and config.json only) or from bytes (stdin). Its listing is checked before anything is
 * inflated: names that could escape a folder ('..' segments, absolute paths) are refused, and so are zip
 * bombs; a JSON member is inflated only under KMODEL_MAX_ZIP_JSON_BYTES. Keras writes every member STORED
 * (zipfile.ZipFile(..., 'w') in saving_lib.py), so the common case inflates nothing.
 */
import {FormatError} from '../errors.js'
import {type Json, isObject} from '../json.js'
import {type ZipArchive, type ZipEntry, bytesSource, readZipDirectory, withZipFile} from '../io/zip.js'
import {readZipEntry} from '../io/zip-entry.js'
import {DEFAULT_ZIP_LIMITS, ZIP_LIMIT_ENV} from '../io/zip-limits.js'
import {parsePythonJson} from './python-json.js'
import type {RawModelDocument} from './raw.js'

/** Default cap on an inflated JSON member (config.json, metadata.json): 256 MiB, KMODEL_MAX_ZIP_JSON_BYTES. */
export const MAX_ZIP_ENTRY_BYTES = DEFAULT_ZIP_LIMITS.jsonBytes

/** The weights members a `.keras` zip may carry, in the order Keras prefers them. */
export const KERAS_ZIP_WEIGHTS = ['model.weights.h5', 'model.weights.npz'] as const

/** Name of the weights member of a `.keras` zip. */
export type KerasZipWeights = (typeof KERAS_ZIP_WEIGHTS)[number]

/** Options for reading a `.keras` zip. */
export interface KerasZipOptions {
  /** Largest declared uncompressed size of a member read into memory (default: the JSON cap). */
  maxEntryBytes?: number
}

/** One zip member as the central directory declares it. */
export type ZipEntryInfo = Pick<ZipEntry, 'name' | 'size' | 'compressedSize' | 'compression'>

/** The members of a `.keras` zip and which weights member it carries (null: none). */
export interface KerasZipListing {
  entries: ZipEntryInfo[]
  weights: KerasZipWeights | null
}

const HINT_CORRUPT = 'The .keras file looks truncated or corrupt; copy or download it again.'

/** Reads the central directory of a `.keras` zip held in memory. */
export function kerasZipOfBytes(bytes: Uint8Array, source: string): ZipArchive {
  return readZipDirectory(bytesSource(bytes), source, {code: 'KM_FORMAT_ZIP', hint: HINT_CORRUPT})
}

/** Runs `fn` on the `.keras` zip at `path`, read through a file descriptor, and always closes it. */
export async function withKerasZipFile<T>(path: string, source: string, fn: (zip: ZipArchive) => T | Promise<T>): Promise<T> {
  return withZipFile(path, source, {code: 'KM_FORMAT_ZIP', hint: HINT_CORRUPT}, fn)
}

/** True for names that could escape the extraction folder: absolute, drive-qualified, or with a '..' segment. */
function isUnsafeName(name: string): boolean {
  return /^[/\\]/.test(name) || /^[A-Za-z]:/.test(name) || name.includes('\0') || name.split(/[/\\]/).includes('..')
}

/** Lists an opened `.keras` zip: KM_FORMAT_ZIP_UNSAFE for a member name with '..' or an absolute path. */
export function kerasZipListing(zip: ZipArchive): KerasZipListing {
  const unsafe = zip.entries.find((e) => isUnsafeName(e.name))
  if (unsafe !== undefined) {
    throw new FormatError('KM_FORMAT_ZIP_UNSAFE', `${zip.source} contains an entry with an unsafe path '${unsafe.name}'.`, {
      hint: 'Keras never writes such names; the archive was altered. Do not extract it.',
    })
  }
  const entries = zip.entries.map(({name, size, compressedSize, compression}) => ({name, size, compressedSize, compression}))
  const names = new Set(entries.map((e) => e.name))
  return {entries, weights: KERAS_ZIP_WEIGHTS.find((w) => names.has(w)) ?? null}
}

/**
 * Lists a `.keras` zip held in memory without inflating anything. FormatError KM_FORMAT_ZIP for bytes that
 * are not a readable zip, KM_FORMAT_ZIP_UNSAFE for a member name with '..' or an absolute path,
 * KM_FORMAT_ZIP_TOO_LARGE for a zip bomb.
 */
export function listKerasZip(bytes: Uint8Array, source: string): KerasZipListing {
  return kerasZipListing(kerasZipOfBytes(bytes, source))
}

/** The one entry called `name`, or null; a name listed twice is refused. */
export function kerasZipMember(zip: ZipArchive, name: string): ZipEntry | null {
  kerasZipListing(zip)
  const matches = zip.entries.filter((e) => e.name === name)
  if (matches.length > 1) throw new FormatError('KM_FORMAT_ZIP', `${zip.source} lists entry '${name}' ${matches.length} times.`, {hint: HINT_CORRUPT})
  return matches[0] ?? null
}

/** Inflates one member of an opened `.keras` zip into memory (capped), or null when absent. */
export function readKerasMember(zip: ZipArchive, name: string, options: KerasZipOptions = {}): Uint8Array | null {
  const entry = kerasZipMember(zip, name)
  if (entry === null) return null
  return readZipEntry(zip, entry, options.maxEntryBytes ?? zip.limits.jsonBytes, ZIP_LIMIT_ENV.jsonBytes)
}

/**
 * Inflates one member of a `.keras` zip held in memory, or returns null when it is absent. Refuses
 * (FormatError) a member declaring more than the cap, one listed twice, and one whose data is not what the
 * archive declares (size, CRC-32).
 */
export function readKerasZipEntry(bytes: Uint8Array, source: string, name: string, options: KerasZipOptions = {}): Uint8Array | null {
  return readKerasMember(kerasZipOfBytes(bytes, source), name, options)
}

function readJsonEntry(zip: ZipArchive, name: string, options: KerasZipOptions): Json | undefined {
  const data = readKerasMember(zip, name, options)
  if (data === null) return undefined
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(data).replace(/^\uFEFF/, '')
  } catch (error) {
    throw new FormatError('KM_FORMAT_JSON', `${zip.source}: entry '${name}' is not UTF-8 text.`, {cause: error})
  }
  return parsePythonJson(text, `${zip.source}: entry '${name}'`)
}

/** The `keras_version` of an opened `.keras` zip's metadata.json, or null. */
export function kerasZipVersion(zip: ZipArchive, options: KerasZipOptions = {}): string | null {
  const metadata = readJsonEntry(zip, 'metadata.json', options)
  const version = isObject(metadata) ? metadata.keras_version : undefined
  return typeof version === 'string' ? version : null
}

/**
 * Reads an opened `.keras` zip's architecture: `config.json` (Python-flavoured JSON) as the document and
 * `metadata.json`'s `keras_version` (null when absent). Keras 3 records no backend in the zip, and the
 * compile settings stay inside the document (`compile_config`), so both are null here.
 * FormatError KM_FORMAT_ZIP_NO_CONFIG when `config.json` is missing (an .npz, or another zip).
 */
export function kerasZipDocument(zip: ZipArchive, options: KerasZipOptions = {}): RawModelDocument {
  const listing = kerasZipListing(zip)
  const document = readJsonEntry(zip, 'config.json', options)
  if (document === undefined) {
    const names = listing.entries.map((e) => `'${e.name}'`)
    const found = names.length === 0 ? 'it is empty' : `it holds ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`
    throw new FormatError('KM_FORMAT_ZIP_NO_CONFIG', `${zip.source} is a zip archive but not a .keras model: no 'config.json' (${found}).`, {
      hint: "Save the model with model.save('model.keras'), or pass its model.to_json() output.",
    })
  }
  return {format: 'keras-zip', document, keras_version: kerasZipVersion(zip, options), backend: null, training_config: null}
}

/** kerasZipDocument of a `.keras` zip held in memory. */
export function readKerasZip(bytes: Uint8Array, source: string, options: KerasZipOptions = {}): RawModelDocument {
  return kerasZipDocument(kerasZipOfBytes(bytes, source), options)
}

/** kerasZipDocument of the `.keras` zip at `path`: reads its tail, central directory and JSON members only. */
export async function readKerasZipFile(path: string, source: string, options: KerasZipOptions = {}): Promise<RawModelDocument> {
  return withKerasZipFile(path, source, (zip) => kerasZipDocument(zip, options))
}
