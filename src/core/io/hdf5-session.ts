/**
 * What the reading and writing halves of io/hdf5.ts share: the opaque handles callers get (H5Group,
 * H5Dataset), the open-file session behind each, and turning h5wasm failures into kmodel errors.
 */
import type {Dataset, Group} from 'h5wasm/node'
import {FormatError, InternalError, KmodelError} from '../errors.js'
import type {H5DType} from './h5-values.js'
import {outsideError, takeRefusedOpens} from './hdf5-confine.js'
import {takeHeapFault} from './hdf5-heap.js'
import {takeBudgetRefusal} from './hdf5-memory.js'
import {type H5wasm, markFailed} from './hdf5-module.js'

/** h5wasm's wasm heap is capped at 2 GiB; a dataset read whole must fit in it (DEPENDENCY-FACTS). */
export const MAX_DATASET_BYTES = 2 ** 31 - 2 ** 26

/** Datasets of at least this many bytes move between file and JS array directly (hdf5-direct.ts). */
export const DIRECT_MIN_BYTES = 2 ** 18

export interface Session {
  readonly h5: H5wasm
  /** The instance's emscripten module (for the raw transfers of hdf5-direct.ts). */
  readonly module: Awaited<H5wasm['ready']>
  readonly source: string
  open: boolean
  /** True for files opened by withNewH5File; the write functions refuse read-only sessions. */
  readonly writable?: boolean
  /** The size of a file opened for reading, in bytes: no dataset's stored data can be larger. */
  readonly fileBytes?: number
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

/** The innermost line of an HDF5 error stack (`truncated file: eof = 3000, ...`), or the error's message. */
export function hdf5Detail(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  const frames = [...text.matchAll(/#\d+: .*? in [\w.]+\(\): (.*)$/gm)].map((m) => m[1] ?? '')
  return (frames.at(-1) ?? text.split('\n')[0] ?? text).trim().replace(/\.$/, '')
}

export function track(session: Session, entity: Group, path: string, kind: 'group'): H5Group
export function track(session: Session, entity: Dataset, path: string, kind: 'dataset'): H5Dataset
export function track(session: Session, entity: Group | Dataset, path: string, kind: 'group' | 'dataset'): H5Group | H5Dataset {
  const handle = Object.freeze({kind, path, source: session.source})
  handles.set(handle, {session, entity})
  return handle
}

export function lookup(node: H5Group | H5Dataset): {session: Session; entity: Group | Dataset} {
  const found = handles.get(node)
  if (found === undefined || !found.session.open) {
    throw new InternalError(`HDF5 handle '${node.path}' of ${node.source} was used after its file was closed.`)
  }
  return found
}

/** Runs an h5wasm call; a failure that is not already a kmodel error becomes `wrap(detail)`. */
export function guardWith<T>(wrap: (detail: string, cause: unknown) => KmodelError, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof KmodelError) throw error
    markFailed(error)
    throw wrap(hdf5Detail(error), error)
  }
}

/**
 * Runs an h5wasm read, turning its failures into a FormatError naming the file and object. When HDF5 tried
 * to open another file meanwhile (refused by hdf5-confine.ts), the read fails with KM_FORMAT_HDF5_EXTERNAL
 * naming that file — even when HDF5 itself carried on (a virtual dataset fills missing sources silently); when
 * it read a corrupt global heap collection (refused by hdf5-heap.ts), with that collection's error; when it
 * asked for far more memory than the file can need (refused by hdf5-memory.ts), saying so.
 */
export function guard<T>(node: H5Group | H5Dataset, what: string, fn: () => T): T {
  const {module, fileBytes} = lookup(node).session
  takeRefusedOpens(module) // forget refusals of earlier calls
  const refusal = (cause?: unknown): KmodelError | undefined => {
    const heap = takeCorruption(module, node.source, what, fileBytes)
    if (heap !== undefined) return heap
    const refused = takeRefusedOpens(module)[0]
    return refused === undefined ? undefined : outsideError(node.source, `reading ${what} would open '${refused}', outside the file`, cause)
  }
  const result = guardWith(
    (detail, cause) =>
      refusal(cause) ??
      new FormatError('KM_FORMAT_HDF5', `${node.source}: cannot read ${what}: ${detail}.`, {
        hint: 'The file looks truncated or corrupt; copy or download it again.',
        cause,
      }),
    fn,
  )
  const refused = refusal()
  if (refused !== undefined) throw refused
  return result
}

/**
 * What the heap check (hdf5-heap.ts) or the memory budget (hdf5-memory.ts) refused during the last h5wasm call
 * on `source`, as the error to report instead of HDF5's own; undefined when neither stepped in.
 */
export function takeCorruption(module: Session['module'], source: string, what: string, fileBytes: number | undefined): FormatError | undefined {
  return takeHeapFault(module) ?? takeBudgetRefusal(module, source, what, fileBytes)
}

/**
 * Runs `fn` on the root group of the file just opened for `session`, and always closes the file. A close
 * failure is reported (as `closeError(detail)`) only when `fn` succeeded: otherwise `fn`'s error is the one
 * worth reporting.
 */
export async function runOnFile<T>(
  session: Session,
  file: {close(): unknown},
  root: Group,
  fn: (root: H5Group) => T | Promise<T>,
  closeError: (detail: string, cause: unknown) => KmodelError,
): Promise<T> {
  let failed = true
  try {
    const result = await fn(track(session, root, '/', 'group'))
    failed = false
    return result
  } finally {
    session.open = false
    try {
      file.close()
    } catch (error) {
      markFailed(error)
      if (!failed) throw closeError(hdf5Detail(error), error)
    }
  }
}

export const where = (node: H5Group | H5Dataset, name?: string): string =>
  name === undefined ? `'${node.path}'` : `attribute '${name}' of '${node.path}'`

export function childPath(group: H5Group, path: string): string {
  if (path.startsWith('/')) return path
  return group.path === '/' ? `/${path}` : `${group.path}/${path}`
}

export function datasetOf(ds: H5Dataset): Dataset {
  const {session, entity} = lookup(ds)
  if (!(entity instanceof session.h5.Dataset)) throw new InternalError(`HDF5 handle '${ds.path}' is not a dataset.`)
  return entity
}
