/**
 * The only module that imports h5wasm. h5wasm is ESM-only, costs ~400 ms to get ready and is loaded lazily
 * here, once, on the first HDF5 read — `summary` of a JSON model never pays for it.
 *
 * Callers get opaque handles (H5Group, H5Dataset) that are valid only inside withH5File's callback; the
 * file is always closed in `finally`. Every h5wasm failure is wrapped in a FormatError with `{cause}`.
 * HDF5's own error printer is replaced by h5wasm's throwing handler, so a bad file never prints
 * `HDF5-DIAG` to stderr and never yields a silent `file_id` of -1.
 *
 * Writing (withNewH5File, createGroup, createDataset, write*Attr at the end of this file) creates new
 * files only, in the HDF5 1.8-compatible format h5py uses; failures become InputError KM_INPUT_WRITE_*.
 */
import {resolve} from 'node:path'
import type {Dataset, Group} from 'h5wasm/node'
import {FormatError, InputError, InternalError, KmodelError} from '../errors.js'
import {fileSignatureOffset} from './hdf5-signature.js'
import {DTYPE_BYTES, type H5DType, type H5NumericArray, type H5Value, describeValue, dtypeOf, isNumericArray, stringsOf, typedArrayOf} from './h5-values.js'

export type {H5DType, H5NumericArray, H5Value} from './h5-values.js'
export {HDF5_SIGNATURE, hdf5SignatureOffset, isHdf5File} from './hdf5-signature.js'

type H5wasm = typeof import('h5wasm/node')

/** h5wasm's wasm heap is capped at 2 GiB; a dataset read whole must fit in it (DEPENDENCY-FACTS). */
export const MAX_DATASET_BYTES = 2 ** 31 - 2 ** 26

interface Session {
  readonly h5: H5wasm
  readonly source: string
  open: boolean
  /** True for files opened by withNewH5File; the write functions refuse read-only sessions. */
  readonly writable?: boolean
}

/** A group inside an open file; the root group has path '/'. Valid only inside withH5File. */
export interface H5Group {
  readonly kind: 'group'
  readonly path: string
  /** The file's name as used in messages. */
  readonly source: string
}

/** A dataset inside an open file. Valid only inside withH5File. */
export interface H5Dataset {
  readonly kind: 'dataset'
  readonly path: string
  readonly source: string
}

/** A child link of a group: a group, a dataset, or something else (soft/external link, named type). */
export interface H5Child {
  name: string
  kind: 'group' | 'dataset' | 'other'
}

/** Shape and dtype of a dataset; `shape` is [] for a scalar. */
export interface H5DatasetInfo {
  shape: number[]
  dtype: H5DType
  /** Number of elements (product of the shape; 1 for a scalar). */
  size: number
}

const handles = new WeakMap<H5Group | H5Dataset, {session: Session; entity: Group | Dataset}>()
let loading: Promise<H5wasm> | undefined

/**
 * Loads h5wasm once per process and installs its throwing HDF5 error handler. The handler is global to the
 * wasm module, which is fine because this module is h5wasm's only user in kmodel.
 */
async function loadH5wasm(): Promise<H5wasm> {
  loading ??= (async () => {
    const h5 = await import('h5wasm/node')
    const module = await h5.ready
    module.activate_throwing_error_handler()
    return h5
  })().catch((error: unknown) => {
    loading = undefined
    throw new InternalError('The HDF5 library (h5wasm) could not be loaded.', {cause: error})
  })
  return loading
}

/** The innermost line of an HDF5 error stack (`truncated file: eof = 3000, ...`), or the error's message. */
function hdf5Detail(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  const frames = [...text.matchAll(/#\d+: .*? in [\w.]+\(\): (.*)$/gm)].map((m) => m[1] ?? '')
  return (frames.at(-1) ?? text.split('\n')[0] ?? text).trim().replace(/\.$/, '')
}

/**
 * Opens an HDF5 file read-only, runs `fn` on its root group and always closes the file.
 * `source` names the file in messages (default: the path). A file without the HDF5 signature gives
 * FormatError KM_FORMAT_NOT_HDF5; one h5wasm cannot open (truncated, corrupt) gives KM_FORMAT_HDF5.
 */
export async function withH5File<T>(path: string, fn: (root: H5Group) => T | Promise<T>, options: {source?: string} = {}): Promise<T> {
  const source = options.source ?? path
  if ((await fileSignatureOffset(path, source)) < 0) {
    throw new FormatError('KM_FORMAT_NOT_HDF5', `${source} is not an HDF5 file (no HDF5 signature found).`, {
      hint: 'Give a Keras .h5/.hdf5 file; check that the download or copy completed.',
    })
  }
  const h5 = await loadH5wasm()
  let file
  try {
    file = new h5.File(resolve(path), 'r')
    if (file.file_id < 0n) throw new Error('h5wasm returned an invalid file id')
  } catch (error) {
    throw new FormatError('KM_FORMAT_HDF5', `${source} could not be opened as HDF5: ${hdf5Detail(error)}.`, {
      hint: 'The file looks truncated or corrupt; copy or download it again.',
      cause: error,
    })
  }
  const session: Session = {h5, source, open: true}
  let failed = true
  try {
    const result = await fn(track(session, file, '/', 'group'))
    failed = false
    return result
  } finally {
    session.open = false
    try {
      file.close()
    } catch (error) {
      // When the callback already failed, its error is the one worth reporting; otherwise report this.
      if (!failed) throw new FormatError('KM_FORMAT_HDF5', `${source} could not be closed: ${hdf5Detail(error)}.`, {cause: error})
    }
  }
}

function track(session: Session, entity: Group, path: string, kind: 'group'): H5Group
function track(session: Session, entity: Dataset, path: string, kind: 'dataset'): H5Dataset
function track(session: Session, entity: Group | Dataset, path: string, kind: 'group' | 'dataset'): H5Group | H5Dataset {
  const handle = Object.freeze({kind, path, source: session.source})
  handles.set(handle, {session, entity})
  return handle
}

function lookup(node: H5Group | H5Dataset): {session: Session; entity: Group | Dataset} {
  const found = handles.get(node)
  if (found === undefined || !found.session.open) {
    throw new InternalError(`HDF5 handle '${node.path}' of ${node.source} was used after its file was closed.`)
  }
  return found
}

/** Runs an h5wasm call, turning its failures into a FormatError naming the file and object. */
function guard<T>(node: H5Group | H5Dataset, what: string, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof KmodelError) throw error
    throw new FormatError('KM_FORMAT_HDF5', `${node.source}: cannot read ${what}: ${hdf5Detail(error)}.`, {
      hint: 'The file looks truncated or corrupt; copy or download it again.',
      cause: error,
    })
  }
}

const where = (node: H5Group | H5Dataset, name?: string): string =>
  name === undefined ? `'${node.path}'` : `attribute '${name}' of '${node.path}'`

/** Names of the attributes on a group or dataset, in the file's order. */
export function attrNames(node: H5Group | H5Dataset): string[] {
  const {entity} = lookup(node)
  return guard(node, `the attributes of '${node.path}'`, () => Object.keys(entity.attrs))
}

/** True when the group or dataset has the attribute. */
export function hasAttr(node: H5Group | H5Dataset, name: string): boolean {
  return attrNames(node).includes(name)
}

/** Whether a string attribute is stored fixed-length or variable-length; null when absent or not strings. */
export function stringAttrKind(node: H5Group | H5Dataset, name: string): 'fixed' | 'vlen' | null {
  if (!hasAttr(node, name)) return null
  const {entity} = lookup(node)
  return guard(node, where(node, name), () => {
    const meta = entity.attrs[name]?.metadata
    if (meta === undefined || meta.type !== 3) return null // 3 = H5T_STRING
    return meta.vlen ? 'vlen' : 'fixed'
  })
}

/** Reads an attribute with its string character set; undefined when absent. */
function readRaw(node: H5Group | H5Dataset, name: string): {value: H5Value; ascii: boolean} | undefined {
  if (!hasAttr(node, name)) return undefined
  const {entity} = lookup(node)
  return guard(node, where(node, name), () => {
    const attr = entity.attrs[name]
    if (attr === undefined) return undefined
    return {value: toH5Value(attr.value, node, name), ascii: attr.metadata.cset !== 1}
  })
}

/** h5wasm's OutputData minus object references, which Keras never writes. */
function toH5Value(value: unknown, node: H5Group | H5Dataset, name: string): H5Value {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return value
  if (isNumericArray(value)) return value
  if (Array.isArray(value)) return value.map((item: unknown) => toH5Value(item, node, name))
  throw new FormatError('KM_FORMAT_HDF5_ATTR', `${node.source}: ${where(node, name)} has an unsupported HDF5 type.`)
}

/** An attribute's value (string, number, string list, typed array…); undefined when absent. */
export function readAttr(node: H5Group | H5Dataset, name: string): H5Value | undefined {
  return readRaw(node, name)?.value
}

function notStrings(node: H5Group | H5Dataset, name: string, value: H5Value): FormatError {
  return new FormatError('KM_FORMAT_HDF5_ATTR', `${node.source}: ${where(node, name)} is ${describeValue(value)}, not a string.`)
}

/**
 * An attribute as one string: scalar or one-element array, fixed- or variable-length, ASCII or UTF-8,
 * or raw uint8 bytes. null when absent or empty. FormatError when it holds numbers or several strings.
 */
export function readStringAttr(node: H5Group | H5Dataset, name: string): string | null {
  const raw = readRaw(node, name)
  if (raw === undefined) return null
  const strings = stringsOf(raw.value, raw.ascii)
  if (strings === null) throw notStrings(node, name, raw.value)
  if (strings.length > 1) {
    throw new FormatError('KM_FORMAT_HDF5_ATTR', `${node.source}: ${where(node, name)} holds ${strings.length} strings where one was expected.`)
  }
  return strings[0] ?? null
}

/**
 * An attribute as a list of strings (a scalar gives a one-element list); an empty array of any dtype — the
 * empty float64 array h5py writes for `[]` — gives []. null when absent.
 */
export function readStringArrayAttr(node: H5Group | H5Dataset, name: string): string[] | null {
  const raw = readRaw(node, name)
  if (raw === undefined) return null
  const strings = stringsOf(raw.value, raw.ascii)
  if (strings === null) throw notStrings(node, name, raw.value)
  return strings
}

/**
 * A string-list attribute that Keras may have split because of HDF5's 64 KiB header limit:
 * `name` itself, or else `name0`, `name1`, … concatenated in order. null when none is present.
 */
export function readStringListAttr(node: H5Group | H5Dataset, name: string): string[] | null {
  const whole = readStringArrayAttr(node, name)
  if (whole !== null) return whole
  const names = new Set(attrNames(node))
  if (!names.has(`${name}0`)) return null
  const out: string[] = []
  for (let i = 0; names.has(`${name}${i}`); i++) out.push(...(readStringArrayAttr(node, `${name}${i}`) ?? []))
  return out
}

/** The links directly under a group, in the file's (alphabetical) order. */
export function listChildren(group: H5Group): H5Child[] {
  const {session, entity} = lookup(group)
  return guard(group, `the members of '${group.path}'`, () => {
    if (!(entity instanceof session.h5.Group)) return []
    return entity.keys().map((name): H5Child => {
      const child = entity.get(name)
      const kind = child instanceof session.h5.Group ? 'group' : child instanceof session.h5.Dataset ? 'dataset' : 'other'
      return {name, kind}
    })
  })
}

function childPath(group: H5Group, path: string): string {
  if (path.startsWith('/')) return path
  return group.path === '/' ? `/${path}` : `${group.path}/${path}`
}

/** The group at `path` (relative to `group`, or absolute), or null when there is none. */
export function getGroup(group: H5Group, path: string): H5Group | null {
  const {session, entity} = lookup(group)
  const full = childPath(group, path)
  return guard(group, `'${full}'`, () => {
    const child = entity instanceof session.h5.Group ? entity.get(full) : null
    return child instanceof session.h5.Group ? track(session, child, full, 'group') : null
  })
}

/** The dataset at `path` (relative to `group`, or absolute), or null when there is none. */
export function getDataset(group: H5Group, path: string): H5Dataset | null {
  const {session, entity} = lookup(group)
  const full = childPath(group, path)
  return guard(group, `'${full}'`, () => {
    const child = entity instanceof session.h5.Group ? entity.get(full) : null
    return child instanceof session.h5.Dataset ? track(session, child, full, 'dataset') : null
  })
}

function datasetOf(ds: H5Dataset): Dataset {
  const {session, entity} = lookup(ds)
  if (!(entity instanceof session.h5.Dataset)) throw new InternalError(`HDF5 handle '${ds.path}' is not a dataset.`)
  return entity
}

/** Shape, dtype and element count of a dataset, without reading its data. */
export function datasetInfo(ds: H5Dataset): H5DatasetInfo {
  const entity = datasetOf(ds)
  return guard(ds, where(ds), () => {
    const {type, size, signed, shape} = entity.metadata
    const dtype = dtypeOf(type, size, signed)
    const dims = shape ?? []
    return {shape: dims, dtype, size: shape === null ? 0 : dims.reduce((a, b) => a * b, 1)}
  })
}

/**
 * Reads a numeric dataset whole, as a typed array in row-major order (a scalar gives one element;
 * big-endian data is converted). FormatError for strings, float16 (not supported by h5wasm) and
 * datasets too large for h5wasm's 2 GiB heap.
 */
export function readDataset(ds: H5Dataset): H5NumericArray {
  const info = datasetInfo(ds)
  const bytes = DTYPE_BYTES[info.dtype]
  if (bytes === undefined) {
    throw new FormatError('KM_FORMAT_HDF5_DTYPE', `${ds.source}: dataset '${ds.path}' has dtype '${info.dtype}', which kmodel cannot read.`, {
      hint: info.dtype === 'float16' ? 'h5wasm cannot read float16 data; re-save the weights as float32.' : 'Only numeric datasets hold Keras weights.',
    })
  }
  if (info.size * bytes > MAX_DATASET_BYTES) {
    throw new FormatError('KM_FORMAT_HDF5_TOO_LARGE', `${ds.source}: dataset '${ds.path}' (${info.shape.join('×')} ${info.dtype}) is too large to read at once.`)
  }
  const entity = datasetOf(ds)
  const value = guard(ds, `dataset '${ds.path}'`, () => entity.value)
  if (isNumericArray(value)) return value
  if (value === null) return typedArrayOf(info.dtype, []) // null dataspace
  if (typeof value === 'number' || typeof value === 'bigint') return typedArrayOf(info.dtype, [value])
  throw new InternalError(`h5wasm returned a ${typeof value} for numeric dataset '${ds.path}' of ${ds.source}.`)
}

// ---------------------------------------------------------------------------------------------------
// Writing. Files are created new (never opened for update), written, and closed in `finally`; making
// the replacement of an existing output atomic (temp file + rename) is the caller's job.

/**
 * h5wasm 0.10 bundles HDF5 2.x, whose default low bound writes a v2 superblock. Keras's h5py writes the
 * earliest format (superblock 0, symbol-table groups); these bounds give the same, readable by HDF5 ≥ 1.8.
 */
const WRITE_LIBVER: ['earliest', 'v108'] = ['earliest', 'v108']

/**
 * Creates a new HDF5 file at `path` (HDF5's exclusive mode: an existing file is an error, never
 * truncated), runs `fn` on its writable root group and always closes the file. Handles are valid only
 * inside `fn`; the read functions above work on them too. Failures become InputError KM_INPUT_WRITE_FAILED
 * naming `source` (default: the path).
 */
export async function withNewH5File<T>(path: string, fn: (root: H5Group) => T | Promise<T>, options: {source?: string} = {}): Promise<T> {
  const source = options.source ?? path
  const h5 = await loadH5wasm()
  let file
  try {
    file = new h5.File(resolve(path), 'x', {libver: WRITE_LIBVER})
    if (file.file_id < 0n) throw new Error('h5wasm returned an invalid file id')
  } catch (error) {
    throw new InputError('KM_INPUT_WRITE_FAILED', `Cannot create HDF5 file ${source}: ${hdf5Detail(error)}.`, {
      hint: 'Check that the output folder exists and is writable.',
      cause: error,
    })
  }
  const session: Session = {h5, source, open: true, writable: true}
  let failed = true
  try {
    const result = await fn(track(session, file, '/', 'group'))
    failed = false
    return result
  } finally {
    session.open = false
    try {
      file.close()
    } catch (error) {
      if (!failed) throw new InputError('KM_INPUT_WRITE_FAILED', `${source} could not be closed: ${hdf5Detail(error)}.`, {cause: error})
    }
  }
}

/** The session and entity of a handle that belongs to a file opened by withNewH5File. */
function writable(node: H5Group | H5Dataset): {session: Session; entity: Group | Dataset} {
  const found = lookup(node)
  if (found.session.writable !== true) {
    throw new InternalError(`HDF5 handle '${node.path}' of ${node.source} belongs to a file opened read-only.`)
  }
  return found
}

/** Runs an h5wasm write, turning its failures into an InputError naming the file and object. */
function guardWrite<T>(node: H5Group | H5Dataset, what: string, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof KmodelError) throw error
    throw new InputError('KM_INPUT_WRITE_FAILED', `${node.source}: cannot write ${what}: ${hdf5Detail(error)}.`, {
      hint: 'Check the free disk space and that the output folder is writable.',
      cause: error,
    })
  }
}

/** The `/`-separated parts of a relative object path; empty parts (`a//b`, a leading `/`) are a caller bug. */
function pathParts(group: H5Group, path: string): string[] {
  const parts = path.split('/')
  if (parts.some((p) => p === '' || p === '.')) {
    throw new InternalError(`Invalid HDF5 object path '${path}' under '${group.path}' of ${group.source}.`)
  }
  return parts
}

function groupOf(group: H5Group): {session: Session; entity: Group} {
  const {session, entity} = writable(group)
  if (!(entity instanceof session.h5.Group)) throw new InternalError(`HDF5 handle '${group.path}' is not a group.`)
  return {session, entity}
}

/**
 * The group at `path` under `parent`, creating it and any missing intermediate groups (h5wasm's
 * create_group/create_dataset do not: HDF5's default link-creation properties). Existing groups are reused.
 */
export function createGroup(parent: H5Group, path: string): H5Group {
  const {session} = groupOf(parent)
  let current = parent
  for (const part of pathParts(parent, path)) {
    const {entity} = groupOf(current)
    const full = childPath(current, part)
    const next = guardWrite(current, `group '${full}'`, () => {
      const existing = entity.get(part) // null when absent (H5LTpath_valid; cheaper than listing keys())
      if (existing === null) return entity.create_group(part)
      if (existing instanceof session.h5.Group) return existing
      throw new InternalError(`Cannot create group '${full}' in ${current.source}: a dataset of that name exists.`)
    })
    current = track(session, next, full, 'group')
  }
  return current
}

/**
 * Writes a numeric dataset (contiguous, uncompressed, little-endian, as Keras's h5py writes weights) at
 * `path` under `parent`, creating intermediate groups. The element type follows the typed array
 * (Float32Array → float32, BigInt64Array → int64, …); `shape` [] writes a scalar. h5wasm cannot write
 * float16 or opaque types: callers convert those first.
 */
export function createDataset(parent: H5Group, path: string, data: H5NumericArray, shape: readonly number[]): H5Dataset {
  const parts = pathParts(parent, path)
  const name = parts.pop() ?? ''
  const group = parts.length === 0 ? parent : createGroup(parent, parts.join('/'))
  const {session, entity} = groupOf(group)
  const full = childPath(group, name)
  const size = shape.reduce((a, b) => a * b, 1)
  if (!shape.every((d) => Number.isInteger(d) && d >= 0) || size !== data.length) {
    throw new InternalError(`Dataset '${full}' of ${group.source}: shape [${shape.join(', ')}] does not hold ${data.length} values.`)
  }
  if (data.byteLength > MAX_DATASET_BYTES) {
    throw new InputError('KM_INPUT_WRITE_TOO_LARGE', `${group.source}: dataset '${full}' (${shape.join('×')}, ${data.byteLength} bytes) is too large to write at once.`, {
      hint: 'h5wasm copies each dataset into a 2 GiB heap; split the tensor or write the file with h5py.',
    })
  }
  const ds = guardWrite(group, `dataset '${full}'`, () => {
    if (entity.get(name) !== null) throw new InternalError(`Dataset '${full}' of ${group.source} is written twice.`)
    return entity.create_dataset({name, data, shape: [...shape]})
  })
  if (!(ds instanceof session.h5.Dataset)) throw new InputError('KM_INPUT_WRITE_FAILED', `${group.source}: cannot write dataset '${full}'.`)
  return track(session, ds, full, 'dataset')
}

/** UTF-8 byte length of a string (what a fixed-length HDF5 string stores). */
export function utf8Length(text: string): number {
  return encoder.encode(text).length
}

const encoder = new TextEncoder()

/**
 * Writes a non-empty list of strings as a fixed-length string array attribute, h5py's NumPy `S<n>`:
 * character set ASCII, each element the string's UTF-8 bytes padded with NULs to n = the longest byte
 * length (at least 1), as Keras stores `np.asarray([name.encode('utf8'), …])`. h5wasm 0.10 cannot set the
 * padding flag, so it reads NULLTERM where h5py writes NULLPAD; the bytes are identical and h5py returns
 * the same `|S<n>` array (a name of exactly n bytes is not cut). `size` widens n (Keras's chunked
 * `layer_names0..N` all keep the whole list's n).
 */
export function writeFixedStringArrayAttr(node: H5Group | H5Dataset, name: string, values: readonly string[], options: {size?: number} = {}): void {
  const {entity} = writable(node)
  if (values.length === 0) throw new InternalError(`Attribute '${name}' of '${node.path}': an empty list has no string length.`)
  const longest = values.reduce((m, v) => Math.max(m, utf8Length(v)), 1)
  const size = options.size ?? longest
  if (size < longest) throw new InternalError(`Attribute '${name}' of '${node.path}': strings of ${longest} bytes do not fit S${size}.`)
  guardWrite(node, where(node, name), () => entity.create_attribute(name, [...values], [values.length], `A${size}`))
}

/**
 * Writes a non-empty list of strings as a variable-length ASCII string array attribute: what h5py ≥ 3
 * stores for tf.keras's `layer_names` / `weight_names` (NumPy object arrays of str).
 */
export function writeVlenStringArrayAttr(node: H5Group | H5Dataset, name: string, values: readonly string[]): void {
  const {entity} = writable(node)
  if (values.length === 0) throw new InternalError(`Attribute '${name}' of '${node.path}': an empty list is written as a float64 array.`)
  guardWrite(node, where(node, name), () => entity.create_attribute(name, [...values], [values.length], 'A'))
}

/**
 * Writes one string as a scalar variable-length string attribute. `ascii` is what h5py ≥ 3 writes for
 * Python bytes (Keras's `backend`, `keras_version`: `b'tensorflow'`), `utf8` what it writes for a Python
 * str (Keras 3 `vars` attr `name`).
 */
export function writeStringAttr(node: H5Group | H5Dataset, name: string, value: string, charset: 'ascii' | 'utf8'): void {
  const {entity} = writable(node)
  guardWrite(node, where(node, name), () => entity.create_attribute(name, value, null, charset === 'ascii' ? 'A' : 'S'))
}

/** Writes a numeric attribute with the typed array's element type; `shape` [0] with no data is h5py's `[]`. */
export function writeNumericAttr(node: H5Group | H5Dataset, name: string, data: H5NumericArray, shape: readonly number[]): void {
  const {entity} = writable(node)
  guardWrite(node, where(node, name), () => entity.create_attribute(name, data, [...shape]))
}
