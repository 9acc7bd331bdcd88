/**
 * Moving dataset bytes between the file and JS typed arrays without passing them through h5wasm's wasm heap.
 *
 * h5wasm reads a dataset into a malloc'd buffer in its heap and copies it out (and the reverse for writes):
 * two passes over the data, and a heap as large as the largest dataset. On these machines touching fresh
 * memory is the dominant cost (DEPENDENCY-FACTS), so each copy into new pages costs seconds on a VGG16-size
 * file. HDF5 moves the raw bytes of a contiguous, unfiltered dataset whose memory type equals its file type
 * with one pread/pwrite on the caller's buffer, and the Node build of h5wasm turns that into
 * `FS.read/FS.write(stream, HEAP8, pointer, length, position)`. While a transfer is active, those calls whose
 * heap range lies inside the transfer's buffer are redirected to the matching range of the JS typed array,
 * so the kernel copies straight between the page cache and the caller's array.
 *
 * Everything else passes through unchanged. Each transfer records which byte ranges were redirected: after a
 * read the rest is copied from the heap buffer (HDF5 put it there: fill values, chunk caches, sieve buffers);
 * after a write that was not fully redirected the dataset is written again from a real heap copy. Only
 * little-endian numeric data is transferred this way, so HDF5 never converts bytes in the buffer.
 */
import type {H5wasm} from './h5wasm-type.js'

type H5Module = Awaited<H5wasm['ready']>
type FsCall = (stream: unknown, buffer: Uint8Array, offset: number, length: number, position?: number, ...rest: unknown[]) => number

/** A buffer of `length` bytes at heap address `base` that stands for `target` during one HDF5 call. */
interface Transfer {
  readonly mode: 'read' | 'write'
  readonly base: number
  readonly target: Uint8Array
  /** Redirected ranges, relative to `base`, in call order. */
  readonly done: Array<[number, number]>
}

/** emscripten's errno for EBADF (its own numbering). */
const EMSCRIPTEN_EBADF = 8

const active = new WeakMap<H5Module, Transfer>()
const installed = new WeakSet<H5Module>()

/** Wraps the module's FS.read/FS.write once so that active transfers are redirected. */
export function installRawRedirect(module: H5Module): void {
  if (installed.has(module)) return
  installed.add(module)
  const fs = module.FS as unknown as {read: FsCall; write: FsCall; ErrnoError: new (errno: number) => Error}
  const redirect = (mode: 'read' | 'write', original: FsCall): FsCall =>
    function (this: unknown, stream, buffer, offset, length, position, ...rest) {
      if ((stream as {nfd?: unknown}).nfd === -1) throw new fs.ErrnoError(EMSCRIPTEN_EBADF) // retired (hdf5-confine.ts)
      const t = active.get(module)
      const start = offset - (t?.base ?? 0)
      if (t === undefined || t.mode !== mode || buffer.buffer !== module.HEAPU8.buffer || start < 0 || start + length > t.target.byteLength) {
        return original.call(this, stream, buffer, offset, length, position, ...rest)
      }
      const n = original.call(this, stream, t.target, start, length, position, ...rest)
      if (n > 0) t.done.push([start, start + n])
      return n
    }
  fs.read = redirect('read', fs.read)
  fs.write = redirect('write', fs.write)
}

/** The ranges of [0, length) that `done` does not cover. */
function gaps(done: ReadonlyArray<[number, number]>, length: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let at = 0
  for (const [s, e] of [...done].sort((a, b) => a[0] - b[0])) {
    if (s > at) out.push([at, s])
    at = Math.max(at, e)
  }
  if (at < length) out.push([at, length])
  return out
}

function malloc(module: H5Module, bytes: number): number {
  const ptr = module._malloc(Math.max(bytes, 1))
  if (ptr === 0) throw new Error(`Memory allocation of ${bytes} bytes failed`)
  return ptr
}

/** Runs `fn` with a transfer of `target` through a heap buffer; returns the ranges not redirected. */
function withTransfer(module: H5Module, mode: 'read' | 'write', target: Uint8Array, fn: (ptr: number) => void): {ptr: number; missing: Array<[number, number]>} {
  const ptr = malloc(module, target.byteLength)
  const transfer: Transfer = {mode, base: ptr, target, done: []}
  active.set(module, transfer)
  try {
    fn(ptr)
  } catch (error) {
    module._free(ptr)
    throw error
  } finally {
    active.delete(module)
  }
  return {ptr, missing: gaps(transfer.done, target.byteLength)}
}

/** Reads a whole little-endian numeric dataset into `target` (its bytes, exactly the dataset's size). */
export function readRawInto(module: H5Module, fileId: bigint, path: string, target: Uint8Array): void {
  const {ptr, missing} = withTransfer(module, 'read', target, (p) => {
    module.get_dataset_data(fileId, path, null, null, null, BigInt(p))
  })
  try {
    for (const [s, e] of missing) target.set(module.HEAPU8.subarray(ptr + s, ptr + e), s)
  } finally {
    module._free(ptr)
  }
}

/** What h5wasm's Group.create_dataset passes to HDF5 for a contiguous, uncompressed dataset. */
function writeMetadata(h5: H5wasm, data: ArrayBufferView, shape: readonly number[]): Parameters<H5Module['create_dataset']>[3] {
  const dims = shape.map((d) => BigInt(d))
  const base = h5.guess_metadata(data as Float32Array)
  return {...base, shape: dims, maxshape: dims, chunks: null, compression: 0, compression_opts: [], track_order: false} as unknown as Parameters<H5Module['create_dataset']>[3]
}

/**
 * Creates a contiguous dataset at `path` (absolute, its group existing) holding `data`, written from the
 * typed array itself. When HDF5 did not write every byte through the redirect, the dataset is written again
 * from a heap copy, so the result is always the data.
 */
export function createRawDataset(h5: H5wasm, module: H5Module, fileId: bigint, path: string, data: ArrayBufferView, shape: readonly number[]): void {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  const metadata = writeMetadata(h5, data, shape)
  const {ptr, missing} = withTransfer(module, 'write', bytes, (p) => {
    module.create_dataset(fileId, path, BigInt(p), metadata)
  })
  try {
    if (missing.length > 0 && bytes.byteLength > 0) {
      module.HEAPU8.set(bytes, ptr)
      module.set_dataset_data(fileId, path, null, null, null, BigInt(ptr))
    }
  } finally {
    module._free(ptr)
  }
}
