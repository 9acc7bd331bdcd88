/**
 * What a weights file will contain, worked out before any file is created: the layout writers
 * (write-h5-keras2.ts, write-h5-keras3.ts) turn a WeightsFile into an H5Plan, and write-h5.ts executes it.
 * Pure, so every validation error (WeightsError) is raised before a byte reaches the disk.
 */
import type {H5NumericArray} from '../io/h5-values.js'
import {InternalError, WeightsError} from '../errors.js'
import type {WeightDType, WeightTensor} from './types.js'

/** An attribute value, in the on-disk forms Keras's h5py writer produces. */
export type PlanAttrValue =
  // np.asarray([b'dense', b'dropout']) → fixed-length `S<size>` array
  | {kind: 'fixed-strings'; values: string[]; size: number}
  // np.asarray(['dense', 'dropout'], dtype=object) (tf.keras with h5py 3) → variable-length string array
  | {kind: 'vlen-strings'; values: string[]}
  // b'tensorflow' (charset ascii) or 'dense' (utf8) → scalar variable-length string
  | {kind: 'string'; value: string; charset: 'ascii' | 'utf8'}
  // [] → float64 array of shape (0,)
  | {kind: 'numeric'; data: H5NumericArray; shape: number[]}

/** A named attribute. */
export interface PlanAttr {
  name: string
  value: PlanAttrValue
}

/** A group to create (with its missing parents) and its attributes; path '' is the root. */
export interface PlanGroup {
  kind: 'group'
  path: string
  attrs: PlanAttr[]
}

/** A dataset to write, its parents created as needed. */
export interface PlanDataset {
  kind: 'dataset'
  path: string
  data: H5NumericArray
  shape: number[]
  attrs: PlanAttr[]
}

/** The whole file, in creation order. */
export interface H5Plan {
  nodes: Array<PlanGroup | PlanDataset>
}

/**
 * How float16 / bfloat16 tensors are written. h5wasm 0.10.3 cannot create float16 (its writer has no
 * 2-byte float) nor opaque types (Keras 3 stores bfloat16 as h5py's 2-byte opaque type + attr
 * `dtype="bfloat16"`), so:
 * - `float32` (default): widen to float32, which is exact; every Keras `load_weights` casts to the
 *   variable's dtype on assignment, so the values round-trip bit for bit.
 * - `raw`: bfloat16 bits as uint16 + dataset attr `dtype="bfloat16"` (Keras 3 layout only). kmodel reads
 *   it back, but Keras 3 cannot (h5py has no uint16 → opaque conversion). float16 is refused.
 */
export type HalfFloatMode = 'float32' | 'raw'

/** Keras's `HDF5_OBJECT_HEADER_LIMIT`: string-list attributes whose NumPy `nbytes` exceed it are split. */
export const HDF5_OBJECT_HEADER_LIMIT = 64_512

const utf8 = new TextEncoder()

/** Bytes of a name as Keras stores it (`name.encode('utf8')`). */
export const byteLength = (text: string): number => utf8.encode(text).length

/**
 * A string-list attribute as Keras's `save_attributes_to_hdf5_group` writes it: `name` when the NumPy
 * array (count × longest byte length) fits in 64,512 bytes, else `name0`, `name1`, … from `np.array_split`
 * into the fewest equal parts that fit (the first `len % parts` parts one longer), each keeping the
 * whole list's string length. An empty list is h5py's empty float64 array.
 */
export function stringListAttrs(name: string, values: readonly string[], where: string, kind: 'fixed' | 'vlen' = 'fixed'): PlanAttr[] {
  if (values.length === 0) return [{name, value: {kind: 'numeric', data: new Float64Array(0), shape: [0]}}]
  // Object arrays hold pointers in the header (8 bytes each); the strings live in the global heap.
  if (kind === 'vlen' && values.length * 8 <= HDF5_OBJECT_HEADER_LIMIT) return [{name, value: {kind: 'vlen-strings', values: [...values]}}]
  const lengths = values.map(byteLength)
  const size = lengths.reduce((a, b) => Math.max(a, b), 1)
  if (size > HDF5_OBJECT_HEADER_LIMIT) {
    const bad = values[lengths.indexOf(size)] ?? ''
    throw new WeightsError('KM_WEIGHTS_NAME_TOO_LONG', `The name '${bad.slice(0, 40)}…' in ${where} is longer than ${HDF5_OBJECT_HEADER_LIMIT} bytes.`)
  }
  let parts = 1
  while (Math.ceil(values.length / parts) * size > HDF5_OBJECT_HEADER_LIMIT) parts++
  if (parts === 1) return [{name, value: {kind: 'fixed-strings', values: [...values], size}}]
  const out: PlanAttr[] = []
  const base = Math.floor(values.length / parts)
  const extra = values.length % parts
  let start = 0
  for (let i = 0; i < parts; i++) {
    const end = start + base + (i < extra ? 1 : 0)
    out.push({name: `${name}${i}`, value: {kind: 'fixed-strings', values: values.slice(start, end), size}})
    start = end
  }
  return out
}

/** The typed array each dtype is held in (types.ts: bfloat16/float16 as raw uint16 bits, bool as uint8). */
const ARRAY_OF: Record<WeightDType, string> = {
  float16: 'Uint16Array', bfloat16: 'Uint16Array', float32: 'Float32Array', float64: 'Float64Array',
  int8: 'Int8Array', int16: 'Int16Array', int32: 'Int32Array', int64: 'BigInt64Array',
  uint8: 'Uint8Array', uint16: 'Uint16Array', uint32: 'Uint32Array', uint64: 'BigUint64Array', bool: 'Uint8Array',
}

/** float16 bits → float32 (exact: every half value is a float32 value). */
function halfToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length)
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i] ?? 0
    const sign = h & 0x8000 ? -1 : 1
    const exp = (h >> 10) & 0x1f
    const frac = h & 0x3ff
    if (exp === 0) out[i] = sign * frac * 2 ** -24
    else if (exp === 31) out[i] = frac === 0 ? sign * Infinity : Number.NaN
    else out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15)
  }
  return out
}

/** bfloat16 bits → float32: the bits are float32's upper half, so this is exact (NaN payloads kept). */
function bfloat16ToFloat32(bits: Uint16Array): Float32Array {
  const wide = new Uint32Array(bits.length)
  for (let i = 0; i < bits.length; i++) wide[i] = (bits[i] ?? 0) << 16
  return new Float32Array(wide.buffer)
}

/**
 * The data and dataset attributes for one tensor, after checking that its shape, dtype and typed array
 * agree. `where` names the tensor in messages (`layer 'dense_1', weight 'dense_1/kernel:0'`).
 */
export function tensorPayload(t: WeightTensor, where: string, half: HalfFloatMode, rawAllowed: boolean): {data: H5NumericArray; attrs: PlanAttr[]} {
  const expected = ARRAY_OF[t.dtype]
  if (expected === undefined) throw new WeightsError('KM_WEIGHTS_DTYPE', `Unknown dtype '${String(t.dtype)}' of ${where}.`)
  if (t.data.constructor.name !== expected) {
    throw new InternalError(`The ${t.dtype} tensor ${where} holds a ${t.data.constructor.name}, not a ${expected}.`)
  }
  const size = t.shape.reduce((a, b) => a * b, 1)
  if (!t.shape.every((d) => Number.isInteger(d) && d >= 0) || size !== t.data.length) {
    throw new WeightsError('KM_WEIGHTS_SHAPE', `The shape [${t.shape.join(', ')}] of ${where} does not match its ${t.data.length} values.`)
  }
  if (t.dtype !== 'float16' && t.dtype !== 'bfloat16') return {data: t.data, attrs: []}
  const bits = t.data as Uint16Array // checked above: both half types are held as Uint16Array
  if (half === 'float32') return {data: t.dtype === 'float16' ? halfToFloat32(bits) : bfloat16ToFloat32(bits), attrs: []}
  if (t.dtype === 'bfloat16' && rawAllowed) return {data: bits, attrs: [{name: 'dtype', value: {kind: 'string', value: 'bfloat16', charset: 'utf8'}}]}
  throw new WeightsError('KM_WEIGHTS_DTYPE', `Cannot write the ${t.dtype} tensor ${where} unconverted in this layout.`, {
    hint: t.dtype === 'float16'
      ? 'h5wasm cannot write float16; let kmodel widen it to float32 (exact, and Keras casts it back on load).'
      : 'Raw bfloat16 bits are only written in the keras3 layout; widen to float32 instead (exact).',
  })
}

/** Throws WeightsError unless every name is unique; `what` names the list in the message. */
export function assertUnique(names: readonly string[], what: string): void {
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) throw new WeightsError('KM_WEIGHTS_DUPLICATE_NAME', `The name '${name}' appears twice in ${what}.`)
    seen.add(name)
  }
}

/** Throws WeightsError for names that cannot be an HDF5 link (empty, '.', or containing '/' when `slash` is false). */
export function assertLinkName(name: string, what: string, slash: boolean): void {
  const parts = slash ? name.split('/') : [name]
  if (parts.some((p) => p === '' || p === '.') || (!slash && name.includes('/'))) {
    throw new WeightsError('KM_WEIGHTS_BAD_NAME', `The name '${name}' of ${what} cannot be used as an HDF5 path.`)
  }
}

/**
 * Throws WeightsError when one dataset path is also a group on the way to another (`a` and `a/b`),
 * which HDF5 cannot store (Keras fails the same way).
 */
export function assertNoPathClash(paths: readonly string[], what: string): void {
  const datasets = new Set(paths)
  for (const path of paths) {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/')
      if (datasets.has(prefix)) throw new WeightsError('KM_WEIGHTS_BAD_NAME', `The weight '${prefix}' of ${what} is also a group of '${path}'.`)
    }
  }
}

/** Major and minor of a version string (`2.15.0` → [2, 15]); null when it does not start with digits. */
export function versionOf(version: string | null | undefined): [number, number] | null {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '')
  return m === null ? null : [Number(m[1]), Number(m[2])]
}

/** True when `version` is at least major.minor. */
export function atLeast(version: [number, number], major: number, minor: number): boolean {
  return version[0] > major || (version[0] === major && version[1] >= minor)
}
