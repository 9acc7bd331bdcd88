/**
 * Writing HDF5 files. Files are created new (never opened for update), in the HDF5 1.8-compatible format
 * h5py uses, written, and closed in `finally`; making the replacement of an existing output atomic (temp
 * file + rename) is the caller's job. Failures become InputError KM_INPUT_WRITE_*.
 */
import {resolve} from 'node:path'
import type {Dataset, Group} from 'h5wasm/node'
import {InputError, InternalError} from '../errors.js'
import type {H5NumericArray} from './h5-values.js'
import {permitOpen} from './hdf5-confine.js'
import {createRawDataset} from './hdf5-direct.js'
import {loadH5wasm, markFailed} from './hdf5-module.js'
import {type H5Dataset, type H5Group, DIRECT_MIN_BYTES, MAX_DATASET_BYTES, type Session, childPath, guardWith, hdf5Detail, lookup, runOnFile, track, where} from './hdf5-session.js'

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
  const h5 = await loadH5wasm({write: true}) // a fresh instance when a failed read may have left a file open
  const module = await h5.ready
  const release = permitOpen(module, resolve(path)) // the only file HDF5 may open meanwhile (hdf5-confine.ts)
  try {
    let file
    try {
      file = new h5.File(resolve(path), 'x', {libver: WRITE_LIBVER})
      if (file.file_id < 0n) throw new Error('h5wasm returned an invalid file id')
    } catch (error) {
      markFailed(error)
      throw new InputError('KM_INPUT_WRITE_FAILED', `Cannot create HDF5 file ${source}: ${hdf5Detail(error)}.`, {
        hint: 'Check that the output folder exists and is writable.',
        cause: error,
      })
    }
    const session: Session = {h5, module, source, open: true, writable: true}
    return await runOnFile(session, file, file, fn, (detail, cause) => new InputError('KM_INPUT_WRITE_FAILED', `${source} could not be closed: ${detail}.`, {cause}))
  } finally {
    release()
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
  return guardWith(
    (detail, cause) =>
      new InputError('KM_INPUT_WRITE_FAILED', `${node.source}: cannot write ${what}: ${detail}.`, {
        hint: 'Check the free disk space and that the output folder is writable.',
        cause,
      }),
    fn,
  )
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
    if (data.byteLength < DIRECT_MIN_BYTES) return entity.create_dataset({name, data, shape: [...shape]})
    createRawDataset(session.h5, session.module, entity.file_id, `${entity.path}/${name}`, data, shape)
    return entity.get(name)
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
