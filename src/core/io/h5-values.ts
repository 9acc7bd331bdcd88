/**
 * Plain-JS views of HDF5 attribute and dataset values: dtype names, typed arrays, and the string rules
 * Keras files need.
 * Pure: no h5wasm here (io/hdf5.ts hands values over after reading them).
 *
 * Keras string attributes come in many on-disk forms (KERAS-REFERENCE §3.3), all accepted here:
 *   fixed-length `S<n>` arrays     layer_names, weight_names        ['dense', 'dropout']
 *   scalar fixed-length / vlen     model_config, keras_version      '{"class_name": ...}'
 *   vlen UTF-8 (Python str)        root keras_version, vars `name`  '2.11.0'
 *   empty float64 array            weight_names of a weightless layer → []
 *   uint8 / int8 array             raw bytes some writers store      → one UTF-8 string
 */

/** The typed arrays a numeric HDF5 value is returned in (h5wasm's choice per dtype). */
export type H5NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array

/**
 * An attribute value as read: a string or number for scalars, a string list or typed array for arrays,
 * nested lists for compound/array types, and null for an empty (null-dataspace) attribute.
 */
export type H5Value = string | number | bigint | boolean | null | H5NumericArray | H5Value[]

/** Numeric dtype names, spelled as NumPy / Keras spell them; `string` for HDF5 strings. */
export type H5DType =
  | 'float16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'string'
  | 'other'

/** True for any of the typed arrays in H5NumericArray. */
export function isNumericArray(value: unknown): value is H5NumericArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView)
}

const utf8 = new TextDecoder('utf-8', {fatal: true})

/**
 * Undoes h5wasm's byte-per-character decoding of ASCII-marked strings. h5py stores `name.encode('utf8')`
 * with the ASCII character set, and h5wasm decodes those bytes one per code point (Latin-1), so 'dénse'
 * arrives as 'dÃ©nse' while the group of the same name reads correctly. Strings that are not valid
 * UTF-8 once re-encoded are returned unchanged.
 */
export function repairAsciiUtf8(text: string): string {
  if (!/[\u0080-\u00ff]/.test(text) || /[^\u0000-\u00ff]/.test(text)) return text
  try {
    return utf8.decode(Uint8Array.from(text, (ch) => ch.charCodeAt(0)))
  } catch {
    return text // genuinely Latin-1 text, not UTF-8 bytes: keep what h5wasm decoded
  }
}

/** Decodes raw bytes (uint8/int8 attributes) as UTF-8, dropping trailing NUL padding. */
export function bytesToString(bytes: Uint8Array | Int8Array): string {
  let end = bytes.length
  while (end > 0 && bytes[end - 1] === 0) end--
  return new TextDecoder('utf-8').decode(new Uint8Array(bytes.buffer, bytes.byteOffset, end))
}

/**
 * The strings a value holds, or null when it is not string-like (a number, a non-empty float array).
 * Empty arrays of any type (Keras's `weight_names = []`) and null-dataspace attributes give [].
 * `ascii` says the HDF5 type was marked ASCII, so UTF-8 bytes may need repairing (repairAsciiUtf8).
 */
export function stringsOf(value: H5Value, ascii: boolean): string[] | null {
  const fix = (s: string): string => (ascii ? repairAsciiUtf8(s) : s)
  if (value === null) return []
  if (typeof value === 'string') return [fix(value)]
  if (value instanceof Uint8Array || value instanceof Int8Array) return value.length === 0 ? [] : [bytesToString(value)]
  if (isNumericArray(value)) return value.length === 0 ? [] : null
  if (Array.isArray(value)) {
    const out: string[] = []
    for (const item of value) {
      if (typeof item !== 'string') return null
      out.push(fix(item))
    }
    return out
  }
  return null
}

/** Describes a value's kind for error messages: `a number`, `a numeric array of 3 values`. */
export function describeValue(value: H5Value): string {
  if (value === null) return 'empty'
  if (isNumericArray(value)) return `a numeric array of ${value.length} values`
  if (Array.isArray(value)) return `a list of ${value.length} values`
  return `a ${typeof value}`
}

/** h5wasm metadata (class 0 integer / 1 float, byte size) → dtype name. */
const NUMERIC: Record<string, H5DType> = {
  i1: 'int8', i2: 'int16', i4: 'int32', i8: 'int64', u1: 'uint8', u2: 'uint16', u4: 'uint32', u8: 'uint64',
  f2: 'float16', f4: 'float32', f8: 'float64',
}

/** The dtype of an HDF5 type given h5wasm's metadata: class (0 integer, 1 float, 3 string), byte size, sign. */
export function dtypeOf(typeClass: number, size: number, signed: boolean): H5DType {
  if (typeClass === 3) return 'string'
  const key = typeClass === 0 ? `${signed ? 'i' : 'u'}${size}` : typeClass === 1 ? `f${size}` : ''
  return NUMERIC[key] ?? 'other'
}

/** Bytes per element of the dtypes readDataset supports (h5wasm has no float16). */
export const DTYPE_BYTES: Partial<Record<H5DType, number>> = {
  int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8,
}

/** A typed array of `dtype` holding `values` (scalar datasets, which h5wasm returns unwrapped). */
export function typedArrayOf(dtype: H5DType, values: Array<number | bigint>): H5NumericArray {
  const nums = (): number[] => values.map(Number)
  const bigs = (): bigint[] => values.map((v) => BigInt(v))
  switch (dtype) {
    case 'int8': return Int8Array.from(nums())
    case 'uint8': return Uint8Array.from(nums())
    case 'int16': return Int16Array.from(nums())
    case 'uint16': return Uint16Array.from(nums())
    case 'int32': return Int32Array.from(nums())
    case 'uint32': return Uint32Array.from(nums())
    case 'int64': return BigInt64Array.from(bigs())
    case 'uint64': return BigUint64Array.from(bigs())
    case 'float32': return Float32Array.from(nums())
    default: return Float64Array.from(nums())
  }
}

/** A zero-filled typed array of `dtype` with `size` elements (readDataset's target). */
export function emptyTypedArray(dtype: H5DType, size: number): H5NumericArray {
  switch (dtype) {
    case 'int8': return new Int8Array(size)
    case 'uint8': return new Uint8Array(size)
    case 'int16': return new Int16Array(size)
    case 'uint16': return new Uint16Array(size)
    case 'int32': return new Int32Array(size)
    case 'uint32': return new Uint32Array(size)
    case 'int64': return new BigInt64Array(size)
    case 'uint64': return new BigUint64Array(size)
    case 'float32': return new Float32Array(size)
    default: return new Float64Array(size)
  }
}
