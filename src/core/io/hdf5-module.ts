/**
 * Loading h5wasm, and replacing it after a wasm abort. h5wasm is ESM-only, costs ~400 ms to get ready and is
 * loaded lazily, on the first HDF5 open.
 *
 * A corrupt file can make HDF5 call abort() inside wasm (`RuntimeError: Aborted(native code called abort())`,
 * or a trap such as `memory access out of bounds`). The C stack is never unwound: the file stays open inside
 * HDF5, its caches keep the corrupt metadata and the wasm stack pointer leaks, so later opens in the same
 * process fail or misread (even an intact file written over the same path). markIfAborted() records such an
 * error, and the next loadH5wasm() discards that instance and instantiates a fresh one. The old instance
 * cannot be unloaded (ES modules stay cached), so its wasm memory is kept until the process exits.
 */
import {InternalError} from '../errors.js'
import {installOpenGuard} from './hdf5-confine.js'
import {installRawRedirect} from './hdf5-direct.js'

export type H5wasm = typeof import('h5wasm/node')

let loading: Promise<H5wasm> | undefined
let aborted = false
let instances = 0

/** True for errors that leave the wasm instance unusable: aborts and traps. */
export function isWasmAbort(error: unknown): boolean {
  // WebAssembly.RuntimeError (traps and abort()); its global is not in the TS lib kmodel compiles against.
  return error instanceof Error && (error.name === 'RuntimeError' || /^Aborted\(/.test(error.message))
}

/** Records that `error` came from a wasm abort, so the next open gets a fresh h5wasm instance. */
export function markIfAborted(error: unknown): void {
  if (isWasmAbort(error)) aborted = true
}

/** How many h5wasm instances this process has created (tests check that an abort causes a new one). */
export function h5wasmInstances(): number {
  return instances
}

/** A fresh copy of h5wasm's ES module: a new URL gives a new module instance and so a new wasm instance. */
async function importInstance(n: number): Promise<H5wasm> {
  if (n === 0) return import('h5wasm/node')
  const url = import.meta.resolve('h5wasm/node')
  return (await import(`${url}?instance=${n}`)) as H5wasm
}

/**
 * h5wasm, ready, with its throwing HDF5 error handler installed (so a bad file never prints `HDF5-DIAG` and
 * never yields a silent id of -1), the raw-data redirect of hdf5-direct.ts and the open guard of
 * hdf5-confine.ts. After a wasm abort the broken
 * instance is dropped and a new one instantiated.
 */
export async function loadH5wasm(): Promise<H5wasm> {
  if (aborted) {
    aborted = false
    loading = undefined
  }
  loading ??= (async () => {
    const h5 = await importInstance(instances)
    const module = await h5.ready
    instances++
    module.activate_throwing_error_handler()
    installRawRedirect(module)
    installOpenGuard(module) // HDF5 may open only the files kmodel opens (external links, storage, VDS)
    return h5
  })().catch((error: unknown) => {
    loading = undefined
    throw new InternalError('The HDF5 library (h5wasm) could not be loaded.', {cause: error})
  })
  return loading
}
