/**
 * Finding the HDF5 signature before h5wasm is loaded: at offset 0, or at 512, 1024, 2048… when the file
 * starts with a user block (HDF5 spec, "Format Signature"). Pure Node fs; no h5wasm here.
 */
import {open} from 'node:fs/promises'
import {InputError} from '../errors.js'

/** The 8-byte HDF5 file signature `\x89HDF\r\n\x1a\n`. */
export const HDF5_SIGNATURE: readonly number[] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]

function inputError(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return new InputError('KM_INPUT_NOT_FOUND', `${path} does not exist.`, {hint: 'Check the path.', cause: error})
  const what = code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(error)})`
  return new InputError('KM_INPUT_UNREADABLE', `${path} ${what}.`, {hint: 'Check the path and its permissions.', cause: error})
}

/**
 * Offset of the HDF5 signature in a byte buffer: 0, or 512, 1024, 2048… when the file starts with a user
 * block. -1 when absent. Pure, for callers that already hold the bytes.
 */
export function hdf5SignatureOffset(bytes: Uint8Array): number {
  for (let offset = 0; offset + 8 <= bytes.length; offset = offset === 0 ? 512 : offset * 2) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[offset + i] === b)) return offset
  }
  return -1
}

/**
 * Reads 8 bytes at each candidate offset of the file; -1 when no HDF5 signature is found.
 * `source` names the file in the InputError thrown when it cannot be read.
 */
export async function fileSignatureOffset(path: string, source: string): Promise<number> {
  let handle
  try {
    handle = await open(path, 'r')
    const {size} = await handle.stat()
    const buf = new Uint8Array(8)
    for (let offset = 0; offset + 8 <= size; offset = offset === 0 ? 512 : offset * 2) {
      const {bytesRead} = await handle.read(buf, 0, 8, offset)
      if (bytesRead === 8 && hdf5SignatureOffset(buf) === 0) return offset
    }
    return -1
  } catch (error) {
    throw inputError(source, error)
  } finally {
    await handle?.close()
  }
}

/** True when the file carries the HDF5 signature (at 0 or after a user block). Throws InputError if unreadable. */
export async function isHdf5File(path: string): Promise<boolean> {
  return (await fileSignatureOffset(path, path)) >= 0
}
