/**
 * readWeights: any weights file real Keras (or the tfjs converter) writes → a WeightsFile. The layout is
 * sniffed from the content, never from the extension (a `.keras` may be HDF5; `model.weight` is legacy):
 *
 *   HDF5, root attr layer_names               save_weights('w.h5'), Keras 1.x–2.x / tf.keras   → keras2
 *   HDF5, group model_weights (+ model_config) model.save('m.h5'), also as '.keras'              → keras2
 *   HDF5, root groups layers / vars / _layer_checkpoint_dependencies    Keras 3 .weights.h5       → keras3
 *   zip with model.weights.h5                  Keras 3 / tf.keras 2.13+ .keras                   → keras3
 *   JSON with weightsManifest                  tfjs model.json + .bin shards                     → tfjs
 *
 * Architecture-only inputs (Keras JSON/YAML, a tfjs model.json without weights, a .keras without a weights
 * member) are refused with KM_FORMAT_WEIGHTS_ARCH_ONLY and a hint. A path is sniffed from its first bytes
 * only: HDF5 is opened in place, a `.keras` zip read through a file descriptor. h5wasm needs a real file, so
 * HDF5 bytes (stdin) and a `.keras` weights member are staged in a private temp folder that is always removed
 * — the member streamed there through node:zlib, never held whole in memory.
 */
import {writeFile} from 'node:fs/promises'
import {dirname} from 'node:path'
import {FormatError, InputError, InternalError} from '../errors.js'
import {type Sniffed, sniff, sniffFile} from '../formats/detect.js'
import {parsePythonJson} from '../formats/python-json.js'
import {type H5Group, getGroup, hasAttr, listChildren, withH5File} from '../io/hdf5.js'
import {withStagedFile} from '../io/staging.js'
import type {ZipArchive} from '../io/zip.js'
import {maxTextBytes} from '../io/zip-limits.js'
import {readInputFile} from '../read.js'
import {type Json, isArray, isObject} from '../json.js'
import {readKeras3Weights} from './read-keras3.js'
import {legacyWeightsGroup, readLegacyWeights} from './read-legacy.js'
import type {WeightsFile} from './types.js'

/** Weights given as bytes (stdin, tests); `name` is used in messages. */
export interface WeightsBytes {
  bytes: Uint8Array
  name: string
}

/** Options for readWeights. */
export interface ReadWeightsOptions {
  /** The folder of a tfjs model.json's shards; default: the model.json's own folder (required for bytes). */
  modelJsonDir?: string
}

const WEIGHTS_HINT = "Give a weights file: save_weights('w.h5') output, a full-model .h5, a .weights.h5, a .keras file, or a tfjs model.json with its .bin shards."
const KERAS3_ROOT_GROUPS = ['layers', 'vars', '_layer_checkpoint_dependencies']

function archOnly(source: string, what: string): FormatError {
  return new FormatError('KM_FORMAT_WEIGHTS_ARCH_ONLY', `${source} holds ${what}, not weights.`, {
    hint: `Pass it as the model and give the weights separately. ${WEIGHTS_HINT}`,
  })
}

function notWeights(source: string, what: string): FormatError {
  return new FormatError('KM_FORMAT_WEIGHTS_UNKNOWN', `${source} is ${what}, not a Keras weights file.`, {hint: WEIGHTS_HINT})
}

const PATH_HINT = 'Check the weights path and its permissions.'

/** Writes bytes into a private temp folder for h5wasm (io/staging.ts), runs `fn` on the file, always removes it. */
async function withStagedBytes<T>(bytes: Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
  return withStagedFile('kmodel-weights-', 'weights.h5', (path) => writeFile(path, bytes, {mode: 0o600}), fn)
}

function listing(root: H5Group): string {
  const names = listChildren(root).map((c) => `'${c.name}'`)
  return names.length === 0 ? 'it is empty' : `it holds ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`
}

/** Reads an HDF5 weights file in whichever Keras layout it has. `source` names it in messages. */
function readH5Layout(root: H5Group): WeightsFile {
  const legacy = legacyWeightsGroup(root)
  if (legacy !== null) return readLegacyWeights(legacy, root)
  if (listChildren(root).some((c) => c.kind === 'group' && KERAS3_ROOT_GROUPS.includes(c.name))) return readKeras3Weights(root)
  if (hasAttr(root, 'model_config') || getGroup(root, 'model/kerasmodel') !== null) {
    const what = getGroup(root, 'model_weights') === null ? "no 'model_weights' group" : "a 'model_weights' group without 'layer_names'"
    throw new FormatError('KM_FORMAT_WEIGHTS_ARCH_ONLY', `${root.source} holds a model architecture ('model_config') but ${what}, so no weights.`, {hint: WEIGHTS_HINT})
  }
  throw notWeights(root.source, `an HDF5 file without 'layer_names' or a 'layers'/'vars' group (${listing(root)})`)
}

async function readH5(path: string, source: string): Promise<WeightsFile> {
  return withH5File(path, readH5Layout, {source})
}

/**
 * A `.keras` zip: its `model.weights.h5` member streamed to a private temp file and read there (never held
 * whole in memory); keras_version from metadata.json. The zip's caps and checks are io/zip.ts's.
 */
async function readZip(zip: ZipArchive, source: string): Promise<WeightsFile> {
  const {kerasZipListing, kerasZipMember, kerasZipVersion} = await import('../formats/keras-zip.js')
  const {extractZipEntry} = await import('../io/zip-entry.js')
  const {weights, entries} = kerasZipListing(zip)
  if (weights === 'model.weights.npz') {
    throw new FormatError('KM_FORMAT_WEIGHTS_NPZ', `${source} keeps its weights in 'model.weights.npz', which kmodel cannot read.`, {
      hint: "Re-save the model with Keras 3 model.save('model.keras') (HDF5 weights), or save_weights('model.weights.h5').",
    })
  }
  const entry = weights === null ? null : kerasZipMember(zip, weights)
  if (entry === null) {
    if (entries.some((e) => e.name === 'config.json')) throw archOnly(source, "a .keras model without a 'model.weights.h5' member")
    throw notWeights(source, `a zip archive without 'model.weights.h5' (${entries.length} entries)`)
  }
  const file = await withStagedFile('kmodel-weights-', 'model.weights.h5', (path) => extractZipEntry(zip, entry, path), (path) => readH5(path, `${source} (model.weights.h5)`))
  return {...file, source, keras_version: file.keras_version ?? kerasZipVersion(zip)}
}

/** True for the shapes of Keras/tfjs architecture documents: {class_name}, {model_config}, {modelTopology}, bare lists. */
function isArchitecture(doc: Json): boolean {
  if (isArray(doc)) return doc.length > 0 && doc.every((item) => isObject(item) && 'class_name' in item)
  return isObject(doc) && ['class_name', 'model_config', 'modelTopology', 'config'].some((k) => k in doc)
}

async function readJson(bytes: Uint8Array, input: string | WeightsBytes, source: string, opts: ReadWeightsOptions): Promise<WeightsFile> {
  const doc = parsePythonJson(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''), source)
  if (isObject(doc) && 'weightsManifest' in doc) {
    const dir = opts.modelJsonDir ?? (typeof input === 'string' ? dirname(input) : undefined)
    if (dir === undefined) {
      throw new InputError('KM_INPUT_TFJS_NO_DIR', `${source} is a tfjs model.json given as bytes, so the folder of its weight shards is unknown.`, {
        hint: 'Pass the model.json by path, or give modelJsonDir.',
      })
    }
    const {readTfjsWeights} = await import('./read-tfjs.js')
    return readTfjsWeights(doc, {dir, source})
  }
  if (isObject(doc) && 'weight_map' in doc) {
    throw new FormatError('KM_FORMAT_WEIGHTS_SHARDED', `${source} is a sharded Keras weights index ('weight_map'), which kmodel cannot read yet.`, {
      hint: 'Save the weights unsharded: model.save_weights("model.weights.h5") without max_shard_size.',
    })
  }
  if (isArchitecture(doc)) {
    const what = isObject(doc) && 'modelTopology' in doc ? "a tfjs model.json without 'weightsManifest'" : 'a model architecture (Keras JSON)'
    throw archOnly(source, what)
  }
  throw notWeights(source, 'a JSON document that is neither a tfjs model.json nor a Keras file')
}

/**
 * Reads every weight of a Keras weights file into memory. `input` is a path or bytes with a display name;
 * `opts.modelJsonDir` locates tfjs shards (default: the model.json's folder).
 * Throws InputError (missing/unreadable files), FormatError KM_FORMAT_* (unreadable or unknown layouts,
 * architecture-only files, datasets too large for h5wasm) and WeightsError KM_WEIGHTS_DTYPE (non-numeric
 * or float16 HDF5 weights, string tfjs tensors).
 */
export async function readWeights(input: string | WeightsBytes, opts: ReadWeightsOptions = {}): Promise<WeightsFile> {
  const source = typeof input === 'string' ? input : input.name
  const kind = typeof input === 'string' ? await sniffFile(input, source) : null
  if (typeof input === 'string' && kind !== null) {
    // HDF5 is opened in place (h5wasm reads it lazily) and a zip through a file descriptor: never loaded whole.
    if (kind === 'keras-h5') return readH5(input, source)
    if (kind === 'keras-zip') {
      const {withKerasZipFile} = await import('../formats/keras-zip.js')
      return withKerasZipFile(input, source, async (zip) => readZip(zip, source))
    }
    const text = kind === 'json' ? await readInputFile(input, {maxBytes: maxTextBytes(), env: 'KMODEL_MAX_TEXT_BYTES', what: 'a JSON weights manifest', hint: PATH_HINT}) : new Uint8Array()
    return readBytes(kind, text, input, source, opts)
  }
  const bytes = typeof input === 'string' ? await readInputFile(input, {hint: PATH_HINT}) : input.bytes
  return readBytes(sniff(bytes), bytes, input, source, opts)
}

/** Reads weights from bytes in memory whose format was sniffed as `kind`. */
async function readBytes(kind: Sniffed, bytes: Uint8Array, input: string | WeightsBytes, source: string, opts: ReadWeightsOptions): Promise<WeightsFile> {
  switch (kind) {
    case 'keras-h5':
      return withStagedBytes(bytes, async (path) => readH5(path, source))
    case 'keras-zip': {
      const {kerasZipOfBytes} = await import('../formats/keras-zip.js')
      return readZip(kerasZipOfBytes(bytes, source), source)
    }
    case 'json':
      return readJson(bytes, input, source, opts)
    case 'yaml':
      throw archOnly(source, 'YAML text (a model architecture at best)')
    case 'empty':
      throw new FormatError('KM_FORMAT_EMPTY', `${source} is empty.`, {hint: WEIGHTS_HINT})
    case 'binary':
      throw notWeights(source, 'a binary file that is neither HDF5 nor a zip (a tfjs .bin shard is read through its model.json)')
    default:
      throw new InternalError(`sniff() returned '${kind}', which readWeights does not handle.`)
  }
}
