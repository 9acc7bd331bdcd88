/**
 * Small formatters that reproduce how Python (and so Keras) prints values: tuple and list reprs,
 * `'{:,}'` thousands separators, `'{:.2f}'` rounding and Keras's readable memory sizes.
 * Shared by every summary renderer; no knowledge of layouts lives here.
 */
import type {Dim, OutputShape, SummaryRow} from '../graph/summary-types.js'

/** Memory units of tf.keras 2.13+ (`0.00 Byte`). */
export const KERAS2_SIZE_UNITS = ['Byte', 'KB', 'MB', 'GB', 'TB', 'PB'] as const
/** Memory units of Keras 3 (`0.00 B`), also used by kmodel's own table. */
export const KERAS3_SIZE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const

/** Python's `str(None)` or the number: the text of one dimension. */
export function pyDim(dim: Dim): string {
  return dim === null ? 'None' : String(dim)
}

/** Python's repr of a shape tuple: `(None, 10)`, the one-element `(None,)`, the empty `()`. */
export function pyTuple(shape: readonly Dim[]): string {
  if (shape.length === 1) return `(${pyDim(shape[0] ?? null)},)`
  return `(${shape.map(pyDim).join(', ')})`
}

/** Python's repr of one string: single quotes unless the text holds a single quote and no double one. */
export function pyStr(text: string): string {
  if (text.includes("'") && !text.includes('"')) return `"${text.replaceAll('\\', '\\\\')}"`
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

/** Python's repr of a list of strings: `['input_1[0][0]', 'dense[0][0]']`, `[]` when empty. */
export function pyStrList(items: readonly string[]): string {
  return `[${items.map(pyStr).join(', ')}]`
}

/** Python's `'{:,}'.format(n)` for a whole number: `2,658,945`. */
export function groupThousands(n: number): string {
  const sign = n < 0 ? '-' : ''
  const digits = BigInt(Math.abs(Math.trunc(n))).toString()
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * Python's `'{:.2f}'.format(x)`. Both languages round the exact binary value; they differ only on exact
 * ties, which for two decimals are the values `k/8` with k odd (1.125 → Python `1.12`, JS `1.13`):
 * Python rounds those half to even, so they are handled apart.
 */
export function pyFixed2(x: number): string {
  const eighths = x * 8
  if (!Number.isInteger(eighths) || Math.abs(eighths) % 2 !== 1 || x < 0) return x.toFixed(2)
  const floor = Math.floor(x * 100)
  const hundredths = floor % 2 === 0 ? floor : floor + 1
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`
}

/**
 * Keras's `readable_memory_size`: divide by 1024 while the value is at least 1024, then `{:.2f} unit`.
 * Past the last unit Keras keeps the already-divided value, and so does this function.
 */
export function readableSize(bytes: number, units: readonly string[]): string {
  let size = bytes
  for (const unit of units) {
    if (size / 1024 < 1) return `${pyFixed2(size)} ${unit}`
    size /= 1024
  }
  return `${pyFixed2(size)} ${units.at(-1) ?? ''}`
}

/** True when the output is a list of shapes (a multi-output layer), not one shape. */
export function isShapeList(shape: readonly Dim[] | readonly Dim[][]): shape is readonly Dim[][] {
  return shape.length > 0 && Array.isArray(shape[0])
}

/**
 * Keras 2's `str(layer.output_shape)`: `(None, 10)`, `[(None, 2), (None, 3)]` for several outputs,
 * `multiple` for a shared layer whose calls differ, `?` when unknown. `inputAsList` renders an
 * InputLayer as tf.keras does, a list of one tuple: `[(None, 28, 28, 1)]`.
 */
export function keras2Shape(row: SummaryRow, inputAsList: boolean): string {
  const shape: OutputShape = row.output_shape
  if (shape === null) return '?'
  if (shape === 'multiple') return 'multiple'
  if (isShapeList(shape)) return `[${shape.map(pyTuple).join(', ')}]`
  if (inputAsList && row.class_name === 'InputLayer') return `[${pyTuple(shape)}]`
  return pyTuple(shape)
}

/**
 * Keras 3's shape cell: each shape is `(` + dims joined by `, ` + `)` (so one dimension prints `(None)`,
 * without Python's trailing comma), several outputs as a bracketed list, `?` when unknown.
 */
export function keras3Shape(shape: OutputShape): string {
  if (shape === null) return '?'
  if (shape === 'multiple') return 'multiple'
  const one = (dims: readonly Dim[]): string => `(${dims.map(pyDim).join(', ')})`
  if (isShapeList(shape)) return `[${shape.map(one).join(', ')}]`
  return one(shape)
}

/** `Python str(int)` of a row's params, `?` when the engine could not count them. */
export function paramsText(params: number | null, grouped: boolean): string {
  if (params === null) return '?'
  return grouped ? groupThousands(params) : String(params)
}
