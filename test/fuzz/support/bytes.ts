/**
 * Byte-level mutations of a file (text or binary), as fast-check values: flip bits, overwrite, insert, delete
 * or copy a range, truncate. Offsets are reduced modulo the length; `head` biases an offset into the first
 * `headBytes` bytes, where containers keep their structure (HDF5 superblock and root object header, zip
 * local headers; the first lines of a config).
 */
import fc from 'fast-check'

/** One byte-level edit. */
export type ByteEdit =
  | {op: 'flip'; at: number; head: boolean; bit: number}
  | {op: 'set'; at: number; head: boolean; value: number}
  | {op: 'insert'; at: number; head: boolean; bytes: Uint8Array}
  | {op: 'delete'; at: number; head: boolean; length: number}
  | {op: 'copy'; at: number; head: boolean; from: number; length: number}
  | {op: 'truncate'; at: number; head: boolean}

const at = fc.nat({max: 1 << 24})
const head = fc.boolean()
/** Bytes that matter to parsers: quotes, brackets, digits, NUL, 0xff, UTF-8 lead bytes, newlines. */
const interesting = fc.oneof(fc.integer({min: 0, max: 255}), fc.constantFrom(0x00, 0xff, 0x7f, 0x80, 0xc3, 0xe2, 0x22, 0x5b, 0x7b, 0x5d, 0x7d, 0x2c, 0x3a, 0x0a, 0x2d, 0x31, 0x39))

/** One edit; `truncate` is rare, since one truncation ends the interesting part of a file. */
export const byteEditArb: fc.Arbitrary<ByteEdit> = fc.oneof(
  {weight: 4, arbitrary: fc.record({op: fc.constant('flip' as const), at, head, bit: fc.integer({min: 0, max: 7})})},
  {weight: 3, arbitrary: fc.record({op: fc.constant('set' as const), at, head, value: interesting})},
  {weight: 1, arbitrary: fc.record({op: fc.constant('insert' as const), at, head, bytes: fc.uint8Array({minLength: 1, maxLength: 16})})},
  {weight: 1, arbitrary: fc.record({op: fc.constant('delete' as const), at, head, length: fc.integer({min: 1, max: 64})})},
  {weight: 1, arbitrary: fc.record({op: fc.constant('copy' as const), at, head, from: at, length: fc.integer({min: 1, max: 256})})},
  {weight: 1, arbitrary: fc.record({op: fc.constant('truncate' as const), at, head})},
)

/** Applies the edits in order to a copy of `bytes`; `headBytes` sizes the biased region. */
export function applyByteEdits(bytes: Uint8Array, edits: readonly ByteEdit[], headBytes = 4096): Uint8Array {
  let out: Uint8Array = Uint8Array.from(bytes)
  for (const e of edits) {
    if (out.length === 0) break
    const span = e.head ? Math.min(out.length, headBytes) : out.length
    const i = e.at % span
    switch (e.op) {
      case 'flip': out[i] = (out[i] ?? 0) ^ (1 << e.bit); break
      case 'set': out[i] = e.value; break
      case 'insert': out = concat(out.subarray(0, i), e.bytes, out.subarray(i)); break
      case 'delete': out = concat(out.subarray(0, i), out.subarray(i + e.length)); break
      case 'copy': {
        const from = e.from % out.length
        out = concat(out.subarray(0, i), out.subarray(from, from + e.length), out.subarray(i))
        break
      }
      case 'truncate': out = out.slice(0, i); break
    }
  }
  return out
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}
