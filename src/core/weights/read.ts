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
 * member) are refused with KM_FORMAT_WEIGHTS_ARCH_ONLY and a hint. h5wasm needs a real file, so HDF5 bytes
 * (stdin, a .keras member) are staged in a private temp folder that is always removed.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {FormatError, InputError, InternalError} from '../errors.js'
import {sniff} from '../formats/detect.js'
import type {ZipEntryInfo} from '../formats/keras-zip.js'
import {parsePythonJson} from '../formats/python-json.js'
import {type H5Group, getGroup, hasAttr, isHdf5File, listChildren, withH5File} from '../io/hdf5.js'
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

/** Reads a whole input file; fs errors become InputError (exit 3). */
async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const what = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(error)})`
    throw new InputError(code === 'ENOENT' ? 'KM_INPUT_NOT_FOUND' : 'KM_INPUT_UNREADABLE', `${path} ${what}.`, {hint: 'Check the weights path and its permissions.', cause: error})
  }
}

/** Writes bytes into a private temp folder for h5wasm, runs `fn` on the file and always removes the folder. */
async function withStagedFile<T>(bytes: Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'kmodel-weights-'))
  try {
    const path = join(dir, 'weights.h5')
    await writeFile(path, bytes, {mode: 0o600})
    return await fn(path)
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
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

/** The `keras_version` of a .keras zip's metadata.json, or null when it has none. */
async function zipKerasVersion(bytes: Uint8Array, source: string): Promise<string | null> {
  const {readKerasZipEntry} = await import('../formats/keras-zip.js')
  const data = readKerasZipEntry(bytes, source, 'metadata.json')
  if (data === null) return null
  const metadata = parsePythonJson(new TextDecoder().decode(data).replace(/^\uFEFF/, ''), `${source}: entry 'metadata.json'`)
  return isObject(metadata) && typeof metadata.keras_version === 'string' ? metadata.keras_version : null
}

/**
 * The inflate cap for a weights member. keras-zip's default (256 MiB) suits JSON members, but weights of a
 * real model are often larger; Keras stores them uncompressed, so a member that inflates at most 100× its
 * compressed size may be up to 4 GiB (the zip32 limit). A higher ratio keeps the default: a likely zip bomb.
 */
function weightsEntryLimit(entry: ZipEntryInfo | undefined): {maxEntryBytes?: number} {
  if (entry === undefined || entry.size > 100 * Math.max(entry.compressedSize, 1)) return {}
  return {maxEntryBytes: 2 ** 32 - 1}
}

/** A `.keras` zip: its `model.weights.h5` member, staged and read; keras_version from metadata.json. */
async function readZip(bytes: Uint8Array, source: string): Promise<WeightsFile> {
  const {listKerasZip, readKerasZipEntry} = await import('../formats/keras-zip.js')
  const {weights, entries} = listKerasZip(bytes, source)
  if (weights === 'model.weights.npz') {
    throw new FormatError('KM_FORMAT_WEIGHTS_NPZ', `${source} keeps its weights in 'model.weights.npz', which kmodel cannot read.`, {
      hint: "Re-save the model with Keras 3 model.save('model.keras') (HDF5 weights), or save_weights('model.weights.h5').",
    })
  }
  const data = weights === null ? null : readKerasZipEntry(bytes, source, weights, weightsEntryLimit(entries.find((e) => e.name === weights)))
  if (data === null) {
    if (entries.some((e) => e.name === 'config.json')) throw archOnly(source, "a .keras model without a 'model.weights.h5' member")
    throw notWeights(source, `a zip archive without 'model.weights.h5' (${entries.length} entries)`)
  }
  const member = `${source} (model.weights.h5)`
  const file = await withStagedFile(data, async (path) => readH5(path, member))
  return {...file, source, keras_version: file.keras_version ?? (await zipKerasVersion(bytes, source))}
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
  // HDF5 files are opened in place: h5wasm reads them lazily, so big files are never loaded whole.
  if (typeof input === 'string' && (await isHdf5File(input))) return readH5(input, source)
  const bytes = typeof input === 'string' ? await readInput(input) : input.bytes
  const kind = sniff(bytes)
  switch (kind) {
    case 'keras-h5':
      return withStagedFile(bytes, async (path) => readH5(path, source))
    case 'keras-zip':
      return readZip(bytes, source)
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
