/**
 * Tells formats apart by content, never by file extension (a `.keras` file may be HDF5; a `.json` may hold
 * a tfjs model.json): HDF5 signature, zip signature, then the first significant character of the text.
 * sniff() looks at bytes already in memory (stdin); sniffFile() reads only a file's head (4 KiB, plus 8 bytes
 * at each offset where an HDF5 signature may sit after a user block), so a multi-GB model is never loaded
 * to be recognised.
 */
import {open, stat} from 'node:fs/promises'
import {fileSignatureOffset, hdf5SignatureOffset} from '../io/hdf5-signature.js'
import type {SourceFormat} from './raw.js'

/** HDF5 puts its signature at 0 or at 512, 1024, 2048… when the file has a user block. */
export function isHdf5(bytes: Uint8Array): boolean {
  return hdf5SignatureOffset(bytes) >= 0
}

/** Zip local file header `PK\x03\x04` (or an empty archive's `PK\x05\x06`). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6))
}

/** What a file's bytes look like: a container, JSON text, YAML text, empty, or binary we cannot read. */
export type Sniffed = SourceFormat | 'json' | 'empty' | 'binary'

/** Bytes of a file's head that decide between zip, JSON, YAML, empty and binary. */
export const SNIFF_HEAD_BYTES = 4096

/** Sniffs the bytes. JSON is told apart from tfjs later, after parsing (`modelTopology`). */
export function sniff(bytes: Uint8Array): Sniffed {
  if (isHdf5(bytes)) return 'keras-h5'
  return sniffHead(bytes.subarray(0, SNIFF_HEAD_BYTES), bytes.length)
}

/** Sniffs a file's first bytes (`head`) given its total `size`, once HDF5 has been ruled out. */
function sniffHead(head: Uint8Array, size: number): Sniffed {
  if (isZip(head)) return 'keras-zip'
  const text = new TextDecoder('utf-8', {fatal: false}).decode(head).replace(/^\uFEFF/, '')
  const start = text.trimStart()
  if (start === '' && size < SNIFF_HEAD_BYTES) return 'empty'
  if (/[\u0000-\u0008\u000E-\u001A]/.test(text)) return 'binary'
  if (start.startsWith('{') || start.startsWith('[') || start.startsWith('"')) return 'json'
  return 'yaml'
}

/**
 * Sniffs a regular file from its head only; null when `path` is not a regular file (a pipe, a device), whose
 * content can only be read as it comes. InputError (exit 3) when it cannot be opened.
 */
export async function sniffFile(path: string, source: string): Promise<Sniffed | null> {
  // A pipe is opened once, by the caller that reads it: opening it here could lose what its writer sends.
  if (!(await stat(path).catch(() => null))?.isFile()) return null
  const offset = await fileSignatureOffset(path, source) // InputError for an unreadable path
  const handle = await open(path, 'r')
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) return null
    if (offset >= 0) return 'keras-h5'
    const head = new Uint8Array(Math.min(SNIFF_HEAD_BYTES, stats.size))
    const {bytesRead} = await handle.read(head, 0, head.length, 0)
    return sniffHead(head.subarray(0, bytesRead), stats.size)
  } finally {
    await handle.close()
  }
}
