/**
 * Loading h5wasm, and replacing it after any failure inside it. h5wasm is ESM-only, costs ~400 ms to get ready
 * and is loaded lazily, on the first HDF5 open.
 *
 * A corrupt file can make HDF5 call abort() inside wasm (`RuntimeError: Aborted(native code called abort())`,
 * or a trap such as `memory access out of bounds`). The C stack is never unwound: the file stays open inside
 * HDF5, its caches keep the corrupt metadata and the wasm stack pointer leaks, so later opens in the same
 * process fail or misread (even an intact file written over the same path). An ordinary HDF5 error does the
 * same on a smaller scale: h5wasm's throwing error handler raises it as a C++ exception through HDF5 and its own
 * helpers, which never close what they opened — an attribute left open keeps its file open, and HDF5 then hands
 * that stale open file to the next open of the same file (same device and inode: the path rewritten, or a new
 * temp file that reuses a deleted one's inode). So: after an abort the next loadH5wasm() instantiates a fresh
 * instance; after any other failure the file's identity is recorded (taint) and a fresh instance is made only when
 * that file is opened again, or before a write. Each instance costs about 100 ms and 6 MB, and cannot be unloaded
 * (ES modules stay cached), so this keeps a batch over many bad files from piling up instances.
 */
import {InternalError} from '../errors.js'
import {installOpenGuard} from './hdf5-confine.js'
import {installRawRedirect} from './hdf5-direct.js'
import {installHeapGuard} from './hdf5-heap.js'
import {installMemoryBudget} from './hdf5-memory.js'

export type {H5wasm} from './h5wasm-type.js'
import type {H5wasm} from './h5wasm-type.js'

let loading: Promise<H5wasm> | undefined
let aborted = false
/** Failures since the last takeFailure(): h5wasm calls fail inside a session, which then records the file. */
let failedSinceTake = false
/** Device:inode of files a failure may have left open in the current instance. */
const tainted = new Set<string>()
let instances = 0

/** True for errors that leave the wasm instance unusable: aborts and traps. */
export function isWasmAbort(error: unknown): boolean {
  // WebAssembly.RuntimeError (traps and abort()); its global is not in the TS lib kmodel compiles against.
  return error instanceof Error && (error.name === 'RuntimeError' || /^Aborted\(/.test(error.message))
}

/** Records that h5wasm failed with `error`: an abort replaces the instance at the next load; see taint(). */
export function markFailed(error: unknown): void {
  failedSinceTake = true
  if (isWasmAbort(error)) aborted = true
}

/** Whether h5wasm failed since the last call (and forgets it). */
export function takeFailure(): boolean {
  const failed = failedSinceTake
  failedSinceTake = false
  return failed
}

/** Records that a failure may have left the file `identity` (device:inode) open in the current instance. */
export function taint(identity: string): void {
  tainted.add(identity)
}

/** Whether opening the file `identity` (device:inode) would need a fresh instance (see taint). */
export function isTainted(identity: string): boolean {
  return tainted.has(identity)
}

/** How many h5wasm instances this process has created (tests check that a failure causes a new one). */
export function h5wasmInstances(): number {
  return instances
}

/**
 * h5wasm prints "Aborted(…)" with console.error before it throws the RuntimeError kmodel turns into one clear
 * line, and "Cannot enlarge memory…" / "growMemory: …" / "Failed to grow the heap…" before an allocation fails
 * (which HDF5 reports as an error): its module binds `err` to console.error while it starts, so until it is ready console.error is a function that drops those lines and hands everything else to the real one.
 */
function quietAborts(): () => void {
  const real = console.error
  console.error = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && /^(Aborted\(|Cannot enlarge memory|growMemory: |Failed to grow the heap)/.test(args[0])) return
    real.apply(console, args)
  }
  return () => {
    console.error = real
  }
}

/** A fresh copy of h5wasm's ES module: a new URL gives a new module instance and so a new wasm instance. */
async function importInstance(n: number): Promise<H5wasm> {
  const restore = quietAborts()
  try {
    const url = import.meta.resolve('h5wasm/node')
    const h5 = n === 0 ? await import('h5wasm/node') : ((await import(`${url}?instance=${n}`)) as H5wasm)
    await h5.ready // the module binds `err` during its (asynchronous) start
    return h5
  } finally {
    restore()
  }
}

/** Allocations at most this large are zeroed (installZeroedAllocations); larger ones are data buffers. */
const ZEROED_MAX_BYTES = 2 ** 20

/**
 * Makes the allocations h5wasm's JavaScript asks for zero-filled. h5wasm reads a variable-length attribute or
 * dataset into a buffer it mallocs, and frees every string pointer in that buffer in a `finally` — also after a
 * failed read, when the pointers not yet written are whatever the allocator left there: freeing them aborted the
 * instance (or, worse, freed a live block). With the buffer zeroed those pointers are NULL and free() does
 * nothing, so a corrupt string costs an error, not an instance. Only buffers up to 1 MiB are zeroed: vlen
 * buffers hold one pointer per string; large ones are numeric data that HDF5 fills (hdf5-direct.ts).
 */
function installZeroedAllocations(module: Awaited<H5wasm['ready']>): void {
  const malloc = module._malloc.bind(module)
  module._malloc = (bytes: number): number => {
    const ptr = malloc(bytes)
    if (ptr !== 0 && bytes <= ZEROED_MAX_BYTES) module.HEAPU8.fill(0, ptr, ptr + bytes)
    return ptr
  }
}

/**
 * h5wasm, ready, with its throwing HDF5 error handler installed (so a bad file never prints `HDF5-DIAG` and
 * never yields a silent id of -1), the global-heap check of hdf5-heap.ts, the raw-data redirect of
 * hdf5-direct.ts and the open guard of hdf5-confine.ts. After a failure inside it the
 * instance is dropped and a new one instantiated.
 */
export async function loadH5wasm(opening: {identity?: string; write?: boolean} = {}): Promise<H5wasm> {
  const stale = (opening.identity !== undefined && tainted.has(opening.identity)) || (opening.write === true && tainted.size > 0)
  if (aborted || stale) {
    aborted = false
    tainted.clear()
    loading = undefined
  }
  loading ??= (async () => {
    const h5 = await importInstance(instances)
    const module = await h5.ready
    instances++
    module.activate_throwing_error_handler()
    installZeroedAllocations(module)
    installMemoryBudget(module) // a read may grow h5wasm only as far as its file could need (hdf5-memory.ts)
    installHeapGuard(module) // before the redirect wraps FS.read, so it sees where each read really lands
    installRawRedirect(module)
    installOpenGuard(module) // HDF5 may open only the files kmodel opens (external links, storage, VDS)
    return h5
  })().catch((error: unknown) => {
    loading = undefined
    throw new InternalError('The HDF5 library (h5wasm) could not be loaded.', {cause: error})
  })
  return loading
}
