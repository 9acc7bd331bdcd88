/**
 * A guard against a denial of service in the HDF5 library itself: HDF5 (h5wasm's build, and Debian's native
 * 1.10 that h5py uses) parses a global heap collection ("GCOL", where variable-length strings such as
 * `model_config` live) with a loop that advances by each object's declared size, and never returns when a
 * size is 0 — or, in h5wasm's 32-bit wasm, when it wraps to 0 modulo 2^32. A corrupt file then hangs the
 * process at 100% CPU where no timer can interrupt it. Found by the fuzz harness (test/fuzz/h5.test.ts;
 * inputs in test/bad-inputs/gcol-*.h5).
 *
 * The check walks every collection the way HDF5's `H5HG__cache_heap_deserialize` does, before h5wasm sees the
 * file: assertFileGlobalHeapsSound reads the file through one reused 8 MiB buffer (bounded memory whatever the
 * file's size; every HDF5 open runs it), assertGlobalHeapsSound checks bytes already in memory. Objects of a
 * sound collection tile it exactly (the last one, index 0, is its free space; under one object header of
 * trailing bytes is padding), so an object of size 0 or one running past the collection's end is corruption.
 * No h5wasm here.
 *
 *   GCOL  version=1  reserved×3  collection size (L bytes)      L = superblock "size of lengths", usually 8
 *   object: index u16, refcount u16, reserved×4, size (L bytes), data padded to 8 bytes   (index 0: free space)
 */
import {type FileHandle, open} from 'node:fs/promises'
import {FormatError} from '../errors.js'
import {hdf5SignatureOffset} from './hdf5-signature.js'

/** The collection signature, `GCOL`. */
const GCOL = Buffer.from('GCOL', 'latin1')

/** The superblock's "size of lengths" (2, 4 or 8); null for a superblock version this check does not know. */
function sizeOfLengths(bytes: Uint8Array, base: number): number | null {
  const version = bytes[base + 8]
  const size = version === 0 || version === 1 ? bytes[base + 14] : version === 2 || version === 3 ? bytes[base + 10] : undefined
  return size === 2 || size === 4 || size === 8 ? size : null
}

/** A little-endian unsigned integer of `width` bytes, as a JS number (exact up to 2^53; larger stays larger). */
function readLength(bytes: Uint8Array, at: number, width: number): number {
  let value = 0
  for (let i = width - 1; i >= 0; i--) value = value * 256 + (bytes[at + i] ?? 0)
  return value
}

/**
 * Walks the collection at `start`: returns the offset of the first object HDF5 could not step past (size 0,
 * or running past the collection's end), or -1 when the collection is sound or lies partly beyond the bytes
 * (HDF5 reports a truncated file itself).
 */
function badObjectIn(bytes: Uint8Array, start: number, lengths: number): number {
  const header = 8 + lengths
  const objectHeader = 8 + lengths
  const end = start + readLength(bytes, start + 8, lengths)
  if (end > bytes.length || end < start + header) return -1
  let p = start + header
  while (p < end) {
    if (p + objectHeader > end) return -1 // trailing padding, read by HDF5 as free space
    const index = (bytes[p] ?? 0) | ((bytes[p + 1] ?? 0) << 8)
    const size = readLength(bytes, p + 8, lengths)
    const need = index > 0 ? objectHeader + Math.ceil(size / 8) * 8 : size
    if (need === 0 || p + need > end) return p
    p += need
  }
  return -1
}

function corrupt(source: string, at: number, bad: number): FormatError {
  return new FormatError('KM_FORMAT_HDF5', `${source} could not be opened as HDF5: the global heap collection at byte ${at} is corrupt (its object at byte ${bad} has an impossible size).`, {
    hint: 'The file looks truncated or corrupt; copy or download it again.',
  })
}

/** True when the 4 bytes after a `GCOL` at `at` are a version-1 collection header. */
function isCollectionHeader(bytes: Uint8Array, at: number): boolean {
  return bytes[at + 4] === 1 && bytes[at + 5] === 0 && bytes[at + 6] === 0 && bytes[at + 7] === 0
}

/**
 * Throws FormatError KM_FORMAT_HDF5 when an HDF5 file's bytes hold a global heap collection that would make
 * the HDF5 library loop forever (see the module comment). `source` names the file in the message.
 */
export function assertGlobalHeapsSound(bytes: Uint8Array, source: string): void {
  const base = hdf5SignatureOffset(bytes)
  const lengths = base < 0 ? null : sizeOfLengths(bytes, base)
  if (lengths === null) return
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let at = buffer.indexOf(GCOL, base); at >= 0; at = buffer.indexOf(GCOL, at + 4)) {
    if (!isCollectionHeader(bytes, at)) continue
    const bad = badObjectIn(bytes, at, lengths)
    if (bad >= 0) throw corrupt(source, at, bad)
  }
}

/** Bytes scanned per read by assertFileGlobalHeapsSound (one reused buffer). */
const SCAN_CHUNK = 8 * 2 ** 20

async function readAt(handle: FileHandle, into: Uint8Array, position: number): Promise<Uint8Array> {
  let got = 0
  while (got < into.length) {
    const {bytesRead} = await handle.read(into, got, into.length - got, position + got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  return into.subarray(0, got)
}

/**
 * The check of assertGlobalHeapsSound on a file, without loading it whole: the file is scanned for `GCOL`
 * through one reused buffer and each collection found is read and walked on its own. `base` is the offset of
 * the HDF5 signature (hdf5-signature.ts). Every HDF5 open in kmodel runs this first (io/hdf5.ts).
 */
export async function assertFileGlobalHeapsSound(path: string, base: number, source: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    const size = (await handle.stat()).size
    const superblock = await readAt(handle, new Uint8Array(16), base)
    const lengths = sizeOfLengths(superblock, 0)
    if (lengths === null) return
    const chunk = Buffer.alloc(Math.min(SCAN_CHUNK, Math.max(size - base, 8)))
    for (let pos = base; pos < size; pos += chunk.length - 3) {
      const view = chunk.subarray(0, (await readAt(handle, chunk, pos)).length)
      for (let i = view.indexOf(GCOL); i >= 0; i = view.indexOf(GCOL, i + 4)) {
        const at = pos + i
        const header = await readAt(handle, new Uint8Array(8 + lengths), at)
        if (header.length < 8 + lengths || !isCollectionHeader(header, 0)) continue
        const length = Math.min(readLength(header, 8, lengths), size - at)
        const collection = length > header.length ? await readAt(handle, new Uint8Array(length), at) : header
        const bad = badObjectIn(collection, 0, lengths)
        if (bad >= 0) throw corrupt(source, at, at + bad)
      }
      if (pos + chunk.length >= size) break
    }
  } finally {
    await handle.close()
  }
}
