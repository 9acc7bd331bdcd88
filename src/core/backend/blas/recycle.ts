/**
 * Reusing the output arrays of the BLAS kernels. tfjs gives every op result a fresh array and lets the garbage
 * collector find it after `dispose`; at CNN activation sizes (5.5 MB per conv output at batch 64) that means a
 * page fault per 4 KiB touched and a V8 collection every few steps, measured at ~20–40 % of a training step.
 * Here an array a kernel produced goes back to a free list, keyed by length, the moment the cpu backend drops
 * its last reference, and the next kernel output of that length takes it.
 *
 * An array is recycled only while kmodel can prove nothing else sees it: it must have been registered with the
 * backend exactly once (any second tensor entry over the same buffer — a view from a contiguous `slice`, an
 * aliasing kernel — poisons it), and it must never have been read out (`readSync`/`read` hand the array itself
 * to the caller, who may keep it after disposing the tensor). Poisoned arrays are left to the collector.
 */

/** The members of tfjs' cpu backend (and its DataStorage) this module wraps. */
interface Entry {
  values?: unknown
}
interface Storage {
  get(dataId: object): Entry | undefined
  set(dataId: object, entry: Entry): void
  has(dataId: object): boolean
}
interface HookableBackend {
  data: Storage
  disposeData(dataId: object, force?: boolean): boolean
  readSync(dataId: object): unknown
}

/** Free arrays by length. */
const free = new Map<number, Float32Array[]>()
/** Bytes held in `free`; above the cap, disposed arrays go to the collector instead. */
let freeBytes = 0
const MAX_FREE_BYTES = 256 * 2 ** 20

/** Arrays a kernel made and is about to register: the next `data.set` with one of them claims it. */
const pending = new WeakSet<Float32Array>()
/** Buffer → the one dataId whose entry owns it (only recyclable arrays are here). */
const owners = new WeakMap<ArrayBufferLike, object>()
const hooked = new WeakSet<object>()

/** A recycled array of exactly n floats (contents undefined), or undefined when none is free. */
export function takeFree(n: number): Float32Array | undefined {
  const list = free.get(n)
  const array = list?.pop()
  if (array !== undefined) freeBytes -= array.byteLength
  return array
}

/** Marks a fresh or recycled kernel output as recyclable once the backend registers it. */
export function markRecyclable(array: Float32Array): void {
  pending.add(array)
}

/** Bytes currently waiting for reuse (tests, diagnostics). */
export const freeBytesHeld = (): number => freeBytes

function release(array: Float32Array): void {
  if (freeBytes + array.byteLength > MAX_FREE_BYTES) return
  const list = free.get(array.length)
  if (list === undefined) free.set(array.length, [array])
  else list.push(array)
  freeBytes += array.byteLength
}

/** Ownership bookkeeping for every new backend entry: claims pending arrays, poisons any alias. */
function onSet(dataId: object, entry: Entry): void {
  const values = entry.values
  if (!ArrayBuffer.isView(values)) return
  const owner = owners.get(values.buffer)
  if (values instanceof Float32Array && pending.has(values) && owner === undefined) {
    pending.delete(values)
    owners.set(values.buffer, dataId)
  } else if (owner !== undefined && owner !== dataId) {
    owners.delete(values.buffer)
  }
}

/**
 * Wraps a cpu backend instance's DataStorage.set, disposeData and readSync (once per instance). Safe to call
 * on every kernel output; a backend that does not look like tfjs' cpu backend is left alone.
 */
export function hookBackend(backend: unknown): void {
  if (typeof backend !== 'object' || backend === null || hooked.has(backend)) return
  const b = backend as Partial<HookableBackend>
  const data = b.data
  if (data === undefined || typeof data.set !== 'function' || typeof b.disposeData !== 'function' || typeof b.readSync !== 'function') return
  hooked.add(backend)
  const set = data.set.bind(data)
  data.set = (dataId, entry) => {
    onSet(dataId, entry)
    set(dataId, entry)
  }
  const disposeData = b.disposeData.bind(backend)
  b.disposeData = (dataId, force) => {
    const values = data.has(dataId) ? data.get(dataId)?.values : undefined
    const done = disposeData(dataId, force)
    if (values instanceof Float32Array && owners.get(values.buffer) === dataId && !data.has(dataId)) {
      owners.delete(values.buffer)
      release(values)
    }
    return done
  }
  const readSync = b.readSync.bind(backend)
  b.readSync = (dataId) => {
    const values = data.has(dataId) ? data.get(dataId)?.values : undefined
    if (ArrayBuffer.isView(values)) owners.delete(values.buffer)
    return readSync(dataId)
  }
}
