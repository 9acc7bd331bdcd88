/**
 * Reading HDF5 files: opening (after the signature check; global heaps checked as HDF5 reads them), attributes,
 * links and datasets.
 * Handles are valid only inside withH5File's callback; the file is always closed in `finally`. Every h5wasm
 * failure becomes a FormatError with `{cause}`.
 */
import {open} from 'node:fs/promises'
import {resolve} from 'node:path'
import type {Dataset, Group} from 'h5wasm/node'
import {FormatError, InternalError} from '../errors.js'
import {DTYPE_BYTES, type H5NumericArray, type H5Value, describeValue, dtypeOf, emptyTypedArray, isNumericArray, stringsOf, typedArrayOf} from './h5-values.js'
import {outsideError, permitOpen} from './hdf5-confine.js'
import {readRawInto} from './hdf5-direct.js'
import {watchHeaps} from './hdf5-heap.js'
import {holdMemoryBudget, withMemoryBudget} from './hdf5-memory.js'
import {assertVisitedOnce, linkError, linkNames, resolvePath} from './hdf5-links.js'
import {loadH5wasm, markFailed, taint, takeFailure} from './hdf5-module.js'
import {type H5Child, type H5Dataset, type H5DatasetInfo, type H5Group, DIRECT_MIN_BYTES, MAX_DATASET_BYTES, type Session, childPath, datasetOf, guard, hdf5Detail, lookup, runOnFile, takeCorruption, track, where} from './hdf5-session.js'
import {fileSignatureOffset} from './hdf5-signature.js'

/** A file's device and inode (how HDF5 tells whether a file being opened is one it already has open), size and superblock head. */
async function fileFacts(path: string, base: number): Promise<{identity: string; size: number; superblock: Uint8Array}> {
  const handle = await open(path, 'r')
  try {
    const st = await handle.stat({bigint: true})
    const superblock = new Uint8Array(16)
    await handle.read(superblock, 0, 16, base)
    return {identity: `${st.dev}:${st.ino}`, size: Number(st.size), superblock}
  } finally {
    await handle.close()
  }
}

/**
 * Opens an HDF5 file read-only, runs `fn` on its root group and always closes the file.
 * `source` names the file in messages (default: the path). A file without the HDF5 signature gives
 * FormatError KM_FORMAT_NOT_HDF5; one h5wasm cannot open (truncated, corrupt) gives KM_FORMAT_HDF5.
 * While it is open, every global heap collection HDF5 reads is checked first (hdf5-heap.ts).
 */
export async function withH5File<T>(path: string, fn: (root: H5Group) => T | Promise<T>, options: {source?: string} = {}): Promise<T> {
  const source = options.source ?? path
  const base = await fileSignatureOffset(path, source)
  if (base < 0) {
    throw new FormatError('KM_FORMAT_NOT_HDF5', `${source} is not an HDF5 file (no HDF5 signature found).`, {
      hint: 'Give a Keras .h5/.hdf5 file; check that the download or copy completed.',
    })
  }
  const facts = await fileFacts(path, base)
  const h5 = await loadH5wasm({identity: facts.identity})
  const module = await h5.ready
  const absolute = resolve(path)
  const release = permitOpen(module, absolute) // the only file HDF5 may open meanwhile (hdf5-confine.ts)
  const unwatch = watchHeaps(module, absolute, {source, superblock: facts.superblock, size: facts.size})
  const unbudget = holdMemoryBudget(module, 2 * facts.size) // a string or table read whole, and its copy
  try {
    let file
    try {
      file = new h5.File(absolute, 'r')
      if (file.file_id < 0n) throw new Error('h5wasm returned an invalid file id')
    } catch (error) {
      markFailed(error)
      if (takeFailure()) taint(facts.identity)
      throw takeCorruption(module, source, 'its header', facts.size) ??
        new FormatError('KM_FORMAT_HDF5', `${source} could not be opened as HDF5: ${hdf5Detail(error)}.`, {
          hint: 'The file looks truncated or corrupt; copy or download it again.',
          cause: error,
        })
    }
    const session: Session = {h5, module, source, open: true, fileBytes: facts.size}
    takeFailure()
    try {
      return await runOnFile(session, file, file, fn, (detail, cause) => new FormatError('KM_FORMAT_HDF5', `${source} could not be closed: ${detail}.`, {cause}))
    } catch (error) {
      throw takeCorruption(module, source, 'it', facts.size) ?? error // a call outside guard() that the checks stopped
    } finally {
      if (takeFailure()) taint(facts.identity) // a failed h5wasm call may have left this file open (hdf5-module.ts)
    }
  } finally {
    unbudget()
    unwatch()
    release()
  }
}

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

/**
 * The links directly under a group, in the file's order. Links are read without being followed
 * (hdf5-links.ts): an external link is refused, a soft link reports what it points to inside the file and is
 * refused when it dangles, loops or points back at the group or one of its parents.
 */
export function listChildren(group: H5Group): H5Child[] {
  const {session, entity} = lookup(group)
  return guard(group, `the members of '${group.path}'`, () => {
    if (!(entity instanceof session.h5.Group)) return []
    const {H5G_GROUP, H5G_DATASET} = session.module
    const names = linkNames(session, entity.file_id, entity.path)
    assertVisitedOnce(session, entity.file_id, entity.path, names)
    return [...names].map((name): H5Child => {
      const found = resolvePath(session, entity.file_id, entity.path, name)
      if (found?.type === H5G_GROUP && (found.path === '/' || `${entity.path}/`.startsWith(`${found.path}/`))) {
        throw linkError(group.source, `'${childPath(group, name)}' links back to '${found.path}', which contains it`)
      }
      return {name, kind: found?.type === H5G_GROUP ? 'group' : found?.type === H5G_DATASET ? 'dataset' : 'other'}
    })
  })
}

/** The object at `path` under `group` when it is of HDF5 type `type`, reached through in-file links only. */
function resolveChild(group: H5Group, path: string, type: 'group' | 'dataset'): {full: string; entity: Group | Dataset} | null {
  const {session, entity} = lookup(group)
  const full = childPath(group, path)
  return guard(group, `'${full}'`, () => {
    if (!(entity instanceof session.h5.Group)) return null
    const found = resolvePath(session, entity.file_id, entity.path, path)
    if (type === 'group') return found?.type === session.module.H5G_GROUP ? {full, entity: new session.h5.Group(entity.file_id, found.path)} : null
    return found?.type === session.module.H5G_DATASET ? {full, entity: new session.h5.Dataset(entity.file_id, found.path)} : null
  })
}

/** The group at `path` (relative to `group`, or absolute), or null when there is none. */
export function getGroup(group: H5Group, path: string): H5Group | null {
  const found = resolveChild(group, path, 'group')
  return found === null ? null : track(lookup(group).session, found.entity as Group, found.full, 'group')
}

/** The dataset at `path` (relative to `group`, or absolute), or null when there is none. */
export function getDataset(group: H5Group, path: string): H5Dataset | null {
  const found = resolveChild(group, path, 'dataset')
  return found === null ? null : track(lookup(group).session, found.entity as Dataset, found.full, 'dataset')
}

/** KM_FORMAT_HDF5_EXTERNAL for a virtual dataset: its data are other datasets, usually in other files. */
function virtualError(ds: H5Dataset, sources: ReadonlyArray<{file_name: string; dset_name: string}>): FormatError {
  const first = sources[0]
  const onto = first === undefined ? '' : first.file_name === '.' ? ` mapped onto '${first.dset_name}'` : ` mapped onto '${first.file_name}:${first.dset_name}', outside the file`
  return outsideError(ds.source, `dataset '${ds.path}' is a virtual dataset${onto}`)
}

/** Shape, dtype and element count of a dataset, without reading its data. */
export function datasetInfo(ds: H5Dataset): H5DatasetInfo {
  const entity = datasetOf(ds)
  return guard(ds, where(ds), () => {
    const {type, size, signed, shape, virtual_sources: sources} = entity.metadata
    if (sources !== undefined) throw virtualError(ds, sources)
    const dtype = dtypeOf(type, size, signed)
    const dims = shape ?? []
    return {shape: dims, dtype, size: shape === null ? 0 : dims.reduce((a, b) => a * b, 1)}
  })
}

/** Datasets below this size are read even when their data cannot all be stored in the file. */
const UNSTORED_MIN_BYTES = 2 ** 24
/** How much larger than the whole file a chunked (possibly compressed) dataset may be. */
const MAX_CHUNKED_RATIO = 1000

/**
 * Refuses a dataset that declares far more data than the file can hold: HDF5 would make it up from the fill
 * value (storage never written), or inflate a compression bomb — gigabytes from a file of kilobytes. Keras
 * always writes its weights' data, uncompressed. A contiguous dataset's data must fit in the file; a chunked one
 * may be compressed, up to MAX_CHUNKED_RATIO times the file.
 */
function refuseUnstored(ds: H5Dataset, info: H5DatasetInfo, bytes: number, chunked: boolean): void {
  const declared = info.size * bytes
  const fileBytes = lookup(ds).session.fileBytes
  if (fileBytes === undefined || declared < UNSTORED_MIN_BYTES || declared <= fileBytes * (chunked ? MAX_CHUNKED_RATIO : 1)) return
  throw new FormatError('KM_FORMAT_HDF5_UNSTORED', `${ds.source}: dataset '${ds.path}' declares ${info.shape.join('×')} ${info.dtype} (${declared.toLocaleString('en-US')} bytes), more than the ${fileBytes.toLocaleString('en-US')}-byte file can store${chunked ? ` even compressed ${MAX_CHUNKED_RATIO}:1` : ''}: its data was never written.`, {
    hint: 'The file was not written by Keras (Keras writes every weight\'s data) or is damaged; kmodel does not make weights up from a fill value.',
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
  refuseUnstored(ds, info, bytes, guard(ds, where(ds), () => entity.metadata.chunks) !== null)
  const {session} = lookup(ds)
  // The data, a copy of it and the file's worth of chunk and metadata buffers (hdf5-memory.ts).
  const budget = 2 * info.size * bytes + 2 * (session.fileBytes ?? 0)
  if (info.size * bytes >= DIRECT_MIN_BYTES) {
    const meta = guard(ds, where(ds), () => entity.metadata)
    if (meta.littleEndian && !meta.vlen && (meta.type === 0 || meta.type === 1)) {
      const out = emptyTypedArray(info.dtype, info.size)
      guard(ds, `dataset '${ds.path}'`, () => withMemoryBudget(session.module, budget, () => readRawInto(session.module, entity.file_id, entity.path, new Uint8Array(out.buffer))))
      return out
    }
  }
  const value = guard(ds, `dataset '${ds.path}'`, () => withMemoryBudget(session.module, budget, () => entity.value))
  if (isNumericArray(value)) return value
  if (value === null) return typedArrayOf(info.dtype, []) // null dataspace
  if (typeof value === 'number' || typeof value === 'bigint') return typedArrayOf(info.dtype, [value])
  throw new InternalError(`h5wasm returned a ${typeof value} for numeric dataset '${ds.path}' of ${ds.source}.`)
}
