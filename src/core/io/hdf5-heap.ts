/**
 * A guard against a denial of service in the HDF5 library itself: HDF5 parses a global heap collection
 * ("GCOL", where variable-length strings such as `model_config` live) with a loop that advances by each
 * object's declared size, and never returns when a size is 0 — or, in h5wasm's 32-bit wasm, when it wraps to 0
 * modulo 2^32. A corrupt file then hangs the process at 100% CPU where no timer can interrupt it. Found by the
 * fuzz harness (test/fuzz/h5.test.ts; inputs in test/bad-inputs/gcol-*.h5).
 *
 * h5wasm decodes every "length" field into a 32-bit size_t: the collection's own size too. A collection that
 * declares 0xcc01030000001000 bytes is, to h5wasm, a 4,096-byte collection (native HDF5 refuses it as running
 * past the end of the file), and its objects are walked inside those 4,096 bytes
 * (test/bad-inputs/gcol-size-low32.h5, found by the 100,000-case fuzz run). Both readings are checked.
 *
 * The check runs on what HDF5 reads, not on the whole file: installHeapGuard() wraps the module's FS.read,
 * and every read of a file opened by withH5File (watchHeaps) is searched for the `GCOL` signature; each
 * collection found is walked from the file — the way HDF5's `H5HG__cache_heap_deserialize` walks it — before
 * the read returns to HDF5. A corrupt one is recorded and its signature blanked in the bytes handed to HDF5 (the
 * file is not touched), so HDF5 fails with an ordinary "bad signature" error instead of parsing it;
 * takeHeapFault() hands the FormatError to the call that caused it. So the cost follows the metadata HDF5
 * reads: a 2.4 GB model file costs what a small one does. Objects of a sound collection tile it exactly (the
 * last one, index 0, is its free space; under one object header of trailing bytes is padding), so an object of
 * size 0 or one running past the collection's end is corruption.
 *
 *   GCOL  version=1  reserved×3  collection size (L bytes)      L = superblock "size of lengths", usually 8
 *   object: index u16, refcount u16, reserved×4, size (L bytes), data padded to 8 bytes   (index 0: free space)
 */
import {FormatError} from '../errors.js'
import type {H5wasm} from './h5wasm-type.js'

type H5Module = Awaited<H5wasm['ready']>

/** The collection signature, `GCOL`. */
const GCOL = Buffer.from('GCOL', 'latin1')

/** The superblock's "size of lengths" (2, 4 or 8) from its first 16 bytes; null for a version this check does not know. */
function sizeOfLengths(superblock: Uint8Array): number | null {
  const version = superblock[8]
  const size = version === 0 || version === 1 ? superblock[14] : version === 2 || version === 3 ? superblock[10] : undefined
  return size === 2 || size === 4 || size === 8 ? size : null
}

/** A little-endian unsigned integer of `width` bytes, as a JS number (exact up to 2^53; larger stays larger). */
function readLength(bytes: Uint8Array, at: number, width: number): number {
  let value = 0
  for (let i = width - 1; i >= 0; i--) value = value * 256 + (bytes[at + i] ?? 0)
  return value
}

/** Reads file bytes at a position into `into`, returning how many were read (fewer at the end of the file). */
export type ReadAt = (into: Uint8Array, position: number) => number

/** Bytes of the file read per window while walking a collection (bounded memory whatever its size). */
const WINDOW = 2 ** 20

/** Random access to small pieces of a file through one reused window of `capacity` bytes. */
class FileWindow {
  private readonly buffer: Uint8Array
  private start = -1
  private length = 0
  constructor(private readonly read: ReadAt, capacity: number) {
    this.buffer = new Uint8Array(capacity)
  }

  /** `n` (≤ 64) bytes at `at`, or null when the file ends first. */
  bytes(at: number, n: number): Uint8Array | null {
    if (this.start < 0 || at < this.start || at + n > this.start + this.length) {
      this.start = at
      this.length = 0
      while (this.length < this.buffer.length) {
        const got = this.read(this.buffer.subarray(this.length), at + this.length)
        if (got <= 0) break
        this.length += got
      }
    }
    return at + n <= this.start + this.length ? this.buffer.subarray(at - this.start, at - this.start + n) : null
  }
}

/** Walks the objects between `first` and `end`: the offset of the first one HDF5 could not step past, or -1. */
function badObjectBetween(window: FileWindow, first: number, end: number, lengths: number): number {
  const objectHeader = 8 + lengths
  let p = first
  while (p < end) {
    if (p + objectHeader > end) return -1 // trailing padding, read by HDF5 as free space
    const head = window.bytes(p, objectHeader)
    if (head === null) return -1 // past the end of the file: HDF5 reports the truncation itself
    const index = (head[0] ?? 0) | ((head[1] ?? 0) << 8)
    const size = readLength(head, 8, lengths)
    const need = index > 0 ? objectHeader + Math.ceil(size / 8) * 8 : size
    if (need === 0 || p + need > end) return p
    p += need
  }
  return -1
}

/**
 * Checks the collection whose `GCOL` signature is at `at` in a file of `fileSize` bytes: the offset of its
 * first object HDF5 could not step past, or -1 when it is sound (or is no collection, or lies beyond the file).
 * Walked with the size as declared and, when that needs more than 32 bits, with the size h5wasm's 32-bit
 * size_t keeps (its low 32 bits).
 */
export function collectionFault(read: ReadAt, at: number, fileSize: number, lengths: number): number {
  const header = new Uint8Array(8 + lengths)
  if (read(header, at) < header.length || header[4] !== 1 || header[5] !== 0 || header[6] !== 0 || header[7] !== 0) return -1
  const declared = readLength(header, 8, lengths)
  const sizes = [declared]
  if (lengths === 8) {
    const low32 = ((header[8] ?? 0) | ((header[9] ?? 0) << 8) | ((header[10] ?? 0) << 16)) + (header[11] ?? 0) * 2 ** 24
    if (low32 !== declared) sizes.push(low32)
  }
  // HDF5 parses no objects in a collection smaller than its header, and refuses one past the end of the file.
  const walked = sizes.filter((size) => size >= 8 + lengths && at + size <= fileSize)
  if (walked.length === 0) return -1
  const window = new FileWindow(read, Math.min(WINDOW, Math.max(64, ...walked))) // a 4 KiB collection reads 4 KiB
  for (const size of walked) {
    const bad = badObjectBetween(window, at + 8 + lengths, at + size, lengths)
    if (bad >= 0) return bad
  }
  return -1
}

/** KM_FORMAT_HDF5: the collection at `at` would make HDF5 loop for ever. */
export function heapError(source: string, at: number, bad: number): FormatError {
  return new FormatError('KM_FORMAT_HDF5', `${source} could not be opened as HDF5: the global heap collection at byte ${at} is corrupt (its object at byte ${bad} has an impossible size).`, {
    hint: 'The file looks truncated or corrupt; copy or download it again.',
  })
}

/** A file opened for reading whose collections are checked as HDF5 reads them. */
interface Watch {
  readonly source: string
  readonly lengths: number
  readonly fileSize: number
  /** Offsets of collections already found sound. */
  readonly sound: Set<number>
  /** Sessions watching this path (sessions nest and may share a file). */
  count: number
}

interface HeapState {
  watched: Map<string, Watch>
  fault: FormatError | undefined
}

type FsRead = (stream: unknown, buffer: Uint8Array, offset: number, length: number, position?: number, ...rest: unknown[]) => number

const states = new WeakMap<H5Module, HeapState>()

/** Proper prefixes and suffixes of `GCOL`: a signature split between two reads. */
const PARTIAL = ['G', 'GC', 'GCO'].map((s) => Buffer.from(s, 'latin1'))
const TAILS = ['L', 'OL', 'COL'].map((s) => Buffer.from(s, 'latin1'))

/** File offsets where a `GCOL` signature starts within, or straddles, the bytes read at `position`. */
export function signaturesIn(bytes: Buffer, position: number, read: ReadAt): number[] {
  const found: number[] = []
  for (let i = bytes.indexOf(GCOL); i >= 0; i = bytes.indexOf(GCOL, i + 1)) found.push(position + i)
  const near = (at: number): void => {
    if (at < 0) return
    const four = new Uint8Array(4)
    if (read(four, at) === 4 && GCOL.equals(four)) found.push(at)
  }
  for (const tail of TAILS) {
    if (position >= 4 - tail.length && bytes.subarray(0, tail.length).equals(tail)) near(position - (4 - tail.length))
  }
  for (const head of PARTIAL) {
    if (bytes.length >= head.length && bytes.subarray(bytes.length - head.length).equals(head)) near(position + bytes.length - head.length)
  }
  return found
}

/** Overwrites the part of a `GCOL` signature starting `i` bytes into `bytes` that lies inside them. */
function blankSignature(bytes: Buffer, i: number): void {
  for (let k = Math.max(0, i); k < Math.min(bytes.length, i + 4); k++) bytes[k] = 0
}

/**
 * Wraps the module's FS.read once (before hdf5-direct.ts wraps it, so this sees the real destination): reads of
 * watched files into the wasm heap are searched for collections; a read that brings in a corrupt one records
 * the fault and hides the collection from HDF5. Reads straight into a JS array (hdf5-direct.ts: numeric data
 * only) pass.
 */
export function installHeapGuard(module: H5Module): void {
  if (states.has(module)) return
  const state: HeapState = {watched: new Map(), fault: undefined}
  states.set(module, state)
  const fs = module.FS as unknown as {read: FsRead}
  const original = fs.read
  fs.read = function (this: unknown, stream, buffer, offset, length, position, ...rest) {
    const n = original.call(this, stream, buffer, offset, length, position, ...rest)
    const path = (stream as {path?: unknown}).path
    const watch = typeof path === 'string' ? state.watched.get(path) : undefined
    if (watch === undefined || n <= 0 || buffer.buffer !== module.HEAPU8.buffer || typeof position !== 'number') return n
    const read: ReadAt = (into, at) => original.call(this, stream, into, 0, into.length, at)
    const bytes = Buffer.from(buffer.buffer, buffer.byteOffset + offset, n)
    for (const at of signaturesIn(bytes, position, read)) {
      if (watch.sound.has(at)) continue
      const bad = collectionFault(read, at, watch.fileSize, watch.lengths)
      if (bad < 0) {
        watch.sound.add(at)
        continue
      }
      state.fault ??= heapError(watch.source, at, bad)
      blankSignature(bytes, at - position) // HDF5 finds no collection there: an ordinary error, never the loop
    }
    return n
  }
}

/**
 * Checks the collections in every read of `path` (absolute, as opened) until the returned function is called,
 * and forgets a fault no call reported. `superblock` holds the 16 bytes at the HDF5 signature; a superblock this
 * check does not know is not watched.
 */
export function watchHeaps(module: H5Module, path: string, file: {source: string; superblock: Uint8Array; size: number}): () => void {
  const state = states.get(module)
  const lengths = sizeOfLengths(file.superblock)
  if (state === undefined || lengths === null) return () => {}
  state.fault = undefined
  const existing = state.watched.get(path)
  const watch: Watch = existing ?? {source: file.source, lengths, fileSize: file.size, sound: new Set(), count: 0}
  watch.count++
  state.watched.set(path, watch)
  let done = false
  return () => {
    if (done) return
    done = true
    if (--watch.count <= 0) state.watched.delete(path)
  }
}

/** The corrupt collection a read ran into since the last call, and forgets it. */
export function takeHeapFault(module: H5Module): FormatError | undefined {
  const state = states.get(module)
  const fault = state?.fault
  if (state !== undefined) state.fault = undefined
  return fault
}
