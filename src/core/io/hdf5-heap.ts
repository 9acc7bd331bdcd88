/**
 * A guard against a denial of service in the HDF5 library itself: HDF5 (h5wasm's build, and Debian's native
 * 1.10 that h5py uses) parses a global heap collection ("GCOL", where variable-length strings such as
 * `model_config` live) with a loop that advances by each object's declared size, and never returns when a
 * size is 0 — or, in h5wasm's 32-bit wasm, when it wraps to 0 modulo 2^32. A corrupt file then hangs the
 * process at 100% CPU where no timer can interrupt it. Found by the fuzz harness (test/fuzz/h5.test.ts;
 * inputs in test/bad-inputs/gcol-*.h5).
 *
 * The check walks every collection the way HDF5's `H5HG__cache_heap_deserialize` does, on the bytes already in
 * memory, before h5wasm sees the file. Objects of a sound collection tile it exactly (the last one, index 0,
 * is its free space; under one object header of trailing bytes is padding), so an object of size 0 or one
 * running past the collection's end is corruption. Pure; no h5wasm here.
 *
 *   GCOL  version=1  reserved×3  collection size (L bytes)      L = superblock "size of lengths", usually 8
 *   object: index u16, refcount u16, reserved×4, size (L bytes), data padded to 8 bytes   (index 0: free space)
 */
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
    if (bytes[at + 4] !== 1 || bytes[at + 5] !== 0 || bytes[at + 6] !== 0 || bytes[at + 7] !== 0) continue
    const bad = badObjectIn(bytes, at, lengths)
    if (bad >= 0) {
      throw new FormatError('KM_FORMAT_HDF5', `${source} could not be opened as HDF5: the global heap collection at byte ${at} is corrupt (its object at byte ${bad} has an impossible size).`, {
        hint: 'The file looks truncated or corrupt; copy or download it again.',
      })
    }
  }
}
