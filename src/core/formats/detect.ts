/**
 * Tells formats apart by content, never by file extension (a `.keras` file may be HDF5; a `.json` may hold
 * a tfjs model.json): HDF5 signature, zip signature, then the first significant character of the text.
 */
import {hdf5SignatureOffset} from '../io/hdf5-signature.js'
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

/** Sniffs the bytes. JSON is told apart from tfjs later, after parsing (`modelTopology`). */
export function sniff(bytes: Uint8Array): Sniffed {
  if (isHdf5(bytes)) return 'keras-h5'
  if (isZip(bytes)) return 'keras-zip'
  const head = new TextDecoder('utf-8', {fatal: false}).decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '')
  const text = head.trimStart()
  if (text === '' && bytes.length < 4096) return 'empty'
  if (/[\u0000-\u0008\u000E-\u001A]/.test(head)) return 'binary'
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('"')) return 'json'
  return 'yaml'
}
