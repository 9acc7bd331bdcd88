/**
 * NumPy `.npy` and `.npz` files, read and written without numpy (format spec: numpy/lib/format.py docs).
 *
 *   .npy = "\x93NUMPY" + major + minor + header length (uint16 LE for v1, uint32 LE for v2/v3)
 *          + header: a Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`
 *            (latin-1 in v1/v2, UTF-8 in v3), space-padded and newline-terminated
 *          + the raw elements (C or Fortran order, byte order from descr)
 *   .npz = a zip of `<name>.npy` members, stored (np.savez) or deflated (np.savez_compressed)
 *
 * Arrays come back C-ordered in native (little-endian) typed arrays; object ('O') and structured dtypes are
 * refused — loading them would need pickle, and kmodel never unpickles. Member names that could escape a
 * folder are refused even though nothing is extracted to disk. `.npz` archives go through io/zip.ts (from a
 * file descriptor with readNpzFile) with its caps: each member and the archive as a whole are refused when
 * they would inflate past KMODEL_MAX_ZIP_ENTRY_BYTES or, over 256 MiB, more than KMODEL_MAX_ZIP_RATIO times
 * their compressed size.
 */
import {zipSync} from 'fflate'
import {FormatError, InternalError} from '../errors.js'
import type {WeightData, WeightDType} from '../weights/types.js'
import {type ZipArchive, bytesSource, readZipDirectory, withZipFile} from './zip.js'
import {readZipEntry} from './zip-entry.js'
import {RATIO_FLOOR_BYTES, ZIP_LIMIT_ENV} from './zip-limits.js'

/** A numeric array. `float16` data is raw uint16 bits; `bool` is a Uint8Array of 0/1. */
export interface NdArray {
  dtype: WeightDType
  shape: number[]
  data: WeightData
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY

interface Kind {
  dtype: WeightDType
  bytes: number
  make: (n: number) => WeightData
}

const KINDS: Record<string, Kind> = {
  f2: {dtype: 'float16', bytes: 2, make: (n) => new Uint16Array(n)},
  f4: {dtype: 'float32', bytes: 4, make: (n) => new Float32Array(n)},
  f8: {dtype: 'float64', bytes: 8, make: (n) => new Float64Array(n)},
  i1: {dtype: 'int8', bytes: 1, make: (n) => new Int8Array(n)},
  i2: {dtype: 'int16', bytes: 2, make: (n) => new Int16Array(n)},
  i4: {dtype: 'int32', bytes: 4, make: (n) => new Int32Array(n)},
  i8: {dtype: 'int64', bytes: 8, make: (n) => new BigInt64Array(n)},
  u1: {dtype: 'uint8', bytes: 1, make: (n) => new Uint8Array(n)},
  u2: {dtype: 'uint16', bytes: 2, make: (n) => new Uint16Array(n)},
  u4: {dtype: 'uint32', bytes: 4, make: (n) => new Uint32Array(n)},
  u8: {dtype: 'uint64', bytes: 8, make: (n) => new BigUint64Array(n)},
  b1: {dtype: 'bool', bytes: 1, make: (n) => new Uint8Array(n)},
}
const DESCR_OF: Partial<Record<WeightDType, string>> = Object.fromEntries(Object.entries(KINDS).map(([code, k]) => [k.dtype, (k.bytes === 1 ? '|' : '<') + code]))

function bad(source: string, what: string, hint = 'Write it with numpy.save / numpy.savez from a numeric array.'): FormatError {
  return new FormatError('KM_FORMAT_NPY', `${source} ${what}`, {hint})
}

interface Header {
  descr: string
  fortran: boolean
  shape: number[]
}

/** Parses the header dict: exactly the three keys numpy writes, in any order. */
function parseHeader(text: string, source: string): Header {
  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(text)
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)
  if (/['"]descr['"]\s*:\s*\[/.test(text)) throw bad(source, 'holds a structured (record) array, which kmodel does not read.', 'Save each field as its own array.')
  if (descr === null || fortran === null || shape === null) throw bad(source, `has an unreadable .npy header: ${JSON.stringify(text.trim().slice(0, 120))}.`)
  const dims = (shape[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => Number(s.replace(/L$/, '')))
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw bad(source, `has an invalid shape (${shape[1] ?? ''}) in its .npy header.`)
  return {descr: descr[2] ?? '', fortran: fortran[1] === 'True', shape: dims}
}

/** Row-major strides of a shape. */
const stridesOf = (shape: readonly number[]): number[] => shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1))

/** Fortran-ordered elements → C order (same shape). */
function fortranToC(data: WeightData, shape: readonly number[], make: (n: number) => WeightData): WeightData {
  if (shape.length < 2) return data
  const out = make(data.length)
  const c = stridesOf(shape)
  const f = shape.map((_, i) => shape.slice(0, i).reduce((a, b) => a * b, 1))
  for (let i = 0; i < out.length; i++) {
    let src = 0
    for (let k = 0; k < shape.length; k++) src += Math.floor(i / (c[k] ?? 1)) % (shape[k] ?? 1) * (f[k] ?? 1)
    out[i] = data[src] as never
  }
  return out
}

/** Reads the elements into a fresh, aligned typed array, swapping bytes for big-endian data. */
function readElements(bytes: Uint8Array, offset: number, count: number, kind: Kind, bigEndian: boolean): WeightData {
  const raw = bytes.slice(offset, offset + count * kind.bytes)
  if (bigEndian && kind.bytes > 1) {
    for (let i = 0; i < raw.length; i += kind.bytes) raw.subarray(i, i + kind.bytes).reverse()
  }
  const out = kind.make(count)
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(raw)
  return out
}

/** Parses a `.npy` file. `source` names it in errors (FormatError KM_FORMAT_NPY). */
export function readNpy(bytes: Uint8Array, source: string): NdArray {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw bad(source, 'is not a NumPy .npy file (no \\x93NUMPY signature).')
  const major = bytes[6] ?? 0
  if (major < 1 || major > 3) throw bad(source, `uses .npy format version ${major}.${bytes[7] ?? 0}, which kmodel does not know.`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const long = major >= 2
  if (long && bytes.length < 12) throw bad(source, 'is truncated inside its .npy header.')
  const headerLength = long ? view.getUint32(8, true) : view.getUint16(8, true)
  const start = long ? 12 : 10
  if (start + headerLength > bytes.length) throw bad(source, 'is truncated inside its .npy header.')
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength))
  const header = parseHeader(text, source)
  const order = header.descr[0] ?? ''
  const code = /^[<>|=]/.test(header.descr) ? header.descr.slice(1) : header.descr
  const kind = KINDS[code === '?' ? 'b1' : code]
  if (kind === undefined) {
    const why = code.startsWith('O') ? 'Python objects (loading them would need pickle, which kmodel never runs)' : `dtype '${header.descr}'`
    throw bad(source, `holds ${why}; kmodel reads float, int, uint and bool arrays.`)
  }
  const count = header.shape.reduce((a, b) => a * b, 1)
  const offset = start + headerLength
  if (offset + count * kind.bytes > bytes.length) {
    throw bad(source, `is truncated: shape (${header.shape.join(', ')}) of '${header.descr}' needs ${count * kind.bytes} data bytes, the file has ${bytes.length - offset}.`, 'Copy or write the file again.')
  }
  const data = readElements(bytes, offset, count, kind, order === '>')
  return {dtype: kind.dtype, shape: header.shape, data: header.fortran ? fortranToC(data, header.shape, kind.make) : data}
}

/** Serialises an array as `.npy` (C order, little-endian; format 1.0, or 2.0 when the header needs it). */
export function writeNpy(array: NdArray): Uint8Array {
  const descr = DESCR_OF[array.dtype]
  if (descr === undefined) throw new FormatError('KM_FORMAT_NPY', `dtype '${array.dtype}' cannot be written as .npy by kmodel.`)
  const count = array.shape.reduce((a, b) => a * b, 1)
  if (count !== array.data.length) throw new InternalError(`writeNpy: shape (${array.shape.join(', ')}) has ${count} elements, data has ${array.data.length}.`)
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`
  const long = dict.length + 11 > 0xffff
  const prefix = long ? 12 : 10
  dict += ' '.repeat((64 - ((prefix + dict.length + 1) % 64)) % 64) + '\n'
  const out = new Uint8Array(prefix + dict.length + array.data.byteLength)
  out.set(MAGIC)
  out[6] = long ? 2 : 1
  const view = new DataView(out.buffer)
  if (long) view.setUint32(8, dict.length, true)
  else view.setUint16(8, dict.length, true)
  out.set(new TextEncoder().encode(dict), prefix)
  out.set(new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength), prefix + dict.length)
  return out
}

/** True for a zip member name that could leave the folder it is extracted to. */
function unsafeName(name: string): boolean {
  return name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || name.split('/').includes('..') || name.includes('\0')
}

const NPZ_CONTEXT = {code: 'KM_FORMAT_NPZ', hint: 'Re-create the file with numpy.savez.'} as const

/** Refuses an archive whose `.npy` members together would inflate like a zip bomb (see the module comment). */
function checkTotal(zip: ZipArchive, members: ZipArchive['entries']): void {
  const size = members.reduce((a, e) => a + e.size, 0)
  const compressed = members.reduce((a, e) => a + e.compressedSize, 0)
  const {entryBytes, ratio} = zip.limits
  const bomb = size > RATIO_FLOOR_BYTES && size > ratio * Math.max(compressed, 1)
  if (size > entryBytes || bomb) {
    const env = bomb ? ZIP_LIMIT_ENV.ratio : ZIP_LIMIT_ENV.entryBytes
    throw new FormatError('KM_FORMAT_ZIP_TOO_LARGE', `${zip.source}: its ${members.length} arrays declare ${size} bytes uncompressed from ${compressed} compressed${bomb ? ` (more than ${ratio} times)` : `, more than the ${entryBytes}-byte limit`}.`, {
      hint: `This looks like a zip bomb, not a NumPy file. If the file is genuine, raise the limit with ${env}=N.`,
    })
  }
}

/** The arrays of an opened `.npz` archive, in archive order. */
function npzArrays(zip: ZipArchive): Map<string, NdArray> {
  const unsafe = zip.entries.find((e) => unsafeName(e.name))
  if (unsafe !== undefined) throw new FormatError('KM_FORMAT_NPZ', `${zip.source} has an archive member named '${unsafe.name}', which points outside the archive.`, {hint: NPZ_CONTEXT.hint})
  const members = zip.entries.filter((e) => e.name.endsWith('.npy'))
  checkTotal(zip, members)
  const out = new Map<string, NdArray>()
  for (const entry of members) out.set(entry.name.slice(0, -'.npy'.length), readNpy(readZipEntry(zip, entry), `${zip.source}:${entry.name}`))
  if (out.size === 0) throw new FormatError('KM_FORMAT_NPZ', `${zip.source} holds no .npy arrays.`, {hint: 'Write it with numpy.savez(file, x=array).'})
  return out
}

/**
 * Parses an `.npz` archive held in memory: its `.npy` members in archive order, keyed by name without
 * `.npy` (as np.load names them). FormatError KM_FORMAT_NPZ for a bad zip, an unsafe member name or no
 * arrays; KM_FORMAT_ZIP_TOO_LARGE over the caps.
 */
export function readNpz(bytes: Uint8Array, source: string): Map<string, NdArray> {
  return npzArrays(readZipDirectory(bytesSource(bytes), source, NPZ_CONTEXT))
}

/** readNpz of the file at `path`, read through a file descriptor (only its members, never the whole file). */
export async function readNpzFile(path: string, source: string = path): Promise<Map<string, NdArray>> {
  return withZipFile(path, source, NPZ_CONTEXT, npzArrays)
}

/** Serialises named arrays as `.npz`; `compress` deflates the members like np.savez_compressed. */
export function writeNpz(arrays: ReadonlyMap<string, NdArray> | Iterable<[string, NdArray]>, options: {compress?: boolean} = {}): Uint8Array {
  const members: Record<string, Uint8Array> = {}
  for (const [name, array] of arrays) {
    if (unsafeName(name)) throw new InternalError(`writeNpz: unsafe member name '${name}'.`)
    members[`${name}.npy`] = writeNpy(array)
  }
  return zipSync(members, {level: options.compress === true ? 6 : 0})
}
