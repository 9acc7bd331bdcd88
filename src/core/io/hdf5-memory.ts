/**
 * A memory budget for h5wasm while it reads a file: a corrupt file must not make HDF5 allocate far more than
 * the file could ever need. A fuzzed 6 KB full-model .h5 whose `model_config` string claims a length of
 * 1.3 GB made HDF5 allocate that much before finding the string's heap object missing; wasm memory, once grown,
 * is never given back, so each such file left the process 1–2 GB larger.
 *
 * h5wasm grows its memory through `WebAssembly.Memory.prototype.grow`. installMemoryBudget() wraps that method
 * once (for the memories of h5wasm instances only: other wasm, e.g. a tfjs backend, is never limited) so that
 * growth past the module's budget fails: emscripten's allocator then returns NULL and HDF5 reports a failed
 * allocation, an ordinary error. withMemoryBudget() sets the budget for a call — what the file could
 * legitimately need: twice its size (a string or dataset read whole, and its copy) plus a margin for HDF5's own
 * caches, and for a dataset read the dataset's declared size too — and takeBudgetRefusal() tells the caller
 * that a failure was the budget's, so the message can say the file is corrupt.
 */
import {FormatError} from '../errors.js'
import type {H5wasm} from './h5wasm-type.js'

type H5Module = Awaited<H5wasm['ready']>

/** HDF5's metadata cache, free lists and h5wasm's own buffers: growth always allowed beyond the file's needs. */
export const MEMORY_MARGIN_BYTES = 64 * 2 ** 20

interface Budget {
  /** The largest size the memory may grow to; Infinity outside budgeted calls. */
  limit: number
  /** The largest growth refused since the last take, in bytes of memory asked for. */
  refused: number | null
}

interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}

const budgets = new Map<H5Module, Budget>()
let wrapped = false

/** Wraps WebAssembly.Memory.prototype.grow once: an h5wasm memory may not grow past its module's budget. */
function wrapGrow(): void {
  if (wrapped) return
  wrapped = true
  // WebAssembly's globals are not in the TS lib kmodel compiles against.
  const proto = (globalThis as unknown as {WebAssembly: {Memory: {prototype: WasmMemory}}}).WebAssembly.Memory.prototype
  const grow = proto.grow
  proto.grow = function (this: WasmMemory, pages: number): number {
    for (const [module, budget] of budgets) {
      if (module.HEAPU8.buffer !== this.buffer) continue
      const wanted = this.buffer.byteLength + pages * 65536
      if (wanted > budget.limit) {
        budget.refused = Math.max(budget.refused ?? 0, wanted)
        throw new RangeError(`kmodel: h5wasm memory budget of ${budget.limit} bytes`)
      }
    }
    return grow.call(this, pages)
  }
}

/** Puts an h5wasm instance's memory under budgets (none until withMemoryBudget). */
export function installMemoryBudget(module: H5Module): void {
  wrapGrow()
  if (!budgets.has(module)) budgets.set(module, {limit: Number.POSITIVE_INFINITY, refused: null})
}

/**
 * Runs `fn` with the module's memory allowed to grow by `extraBytes` + MEMORY_MARGIN_BYTES over its size now
 * (this budget replaces the one in force: a dataset read may need more than the file's session), and restores
 * the budget before.
 */
export function withMemoryBudget<T>(module: H5Module, extraBytes: number, fn: () => T): T {
  const restore = holdMemoryBudget(module, extraBytes)
  try {
    return fn()
  } finally {
    restore()
  }
}

/**
 * Sets the budget until the returned function is called (for a whole file session; see withMemoryBudget), and
 * forgets a refusal no call reported.
 */
export function holdMemoryBudget(module: H5Module, extraBytes: number): () => void {
  const budget = budgets.get(module)
  if (budget === undefined) return () => {}
  const before = budget.limit
  budget.limit = module.HEAPU8.length + extraBytes + MEMORY_MARGIN_BYTES
  budget.refused = null
  return () => {
    budget.limit = before
  }
}

/** KM_FORMAT_HDF5 for a read that would have grown h5wasm past its budget since the last call, and forgets it. */
export function takeBudgetRefusal(module: H5Module, source: string, what: string, fileBytes: number | undefined): FormatError | undefined {
  const budget = budgets.get(module)
  const refused = budget?.refused ?? null
  if (budget === undefined || refused === null) return undefined
  budget.refused = null
  const mb = (n: number): string => `${Math.ceil(n / 2 ** 20).toLocaleString('en-US')} MB`
  const file = fileBytes === undefined ? 'the file' : `this ${fileBytes.toLocaleString('en-US')}-byte file`
  return new FormatError('KM_FORMAT_HDF5', `${source}: reading ${what} would take over ${mb(refused)} of memory, far more than ${file} can need: its sizes are corrupt.`, {
    hint: 'The file looks truncated or corrupt; copy or download it again.',
  })
}
