/**
 * Test support: zip archives written byte by byte, for the cases fflate and Python's zipfile will not write —
 * zip64 records forced on small entries, multi-GB entries left as sparse holes (no disk cost), sizes that lie,
 * and deflate streams that inflate to gigabytes from a few megabytes. The tests check the archives this writes
 * with Python's zipfile where it matters, so kmodel is never checked only against this writer.
 */
import {closeSync, openSync, writeSync} from 'node:fs'
import * as zlib from 'node:zlib'

/** One member: its stored bytes (`data`), or `hole` bytes of zeros left unwritten (a sparse region). */
export interface BuildEntry {
  name: string
  data?: Uint8Array
  /** Size of a stored entry of zeros that is not written (the file gets a hole). */
  hole?: number
  /** 0 stored (default), 8 deflate: `data` is then the raw deflate stream. */
  method?: 0 | 8
  /** Declared uncompressed size (default: the data's length, or `hole`). */
  size?: number
  /** Declared CRC-32 (default: computed for `data`; for a hole, computed over zeros). */
  crc?: number
  /** Write zip64 extra fields (sizes and offset 0xFFFFFFFF in the fixed fields). */
  zip64?: boolean
}

const u16 = (v: number): Buffer => Buffer.from([v & 0xff, (v >>> 8) & 0xff])
const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(v >>> 0)
  return b
}
const u64 = (v: number): Buffer => {
  const b = Buffer.alloc(8)
  b.writeBigUInt64LE(BigInt(v))
  return b
}

/** CRC-32 of `n` zero bytes, in 64 MiB steps. */
export function zerosCrc(n: number): number {
  const step = Buffer.alloc(Math.min(n, 64 * 2 ** 20))
  let crc = 0
  for (let left = n; left > 0; left -= step.length) crc = zlib.crc32(left >= step.length ? step : step.subarray(0, left), crc)
  return crc
}

/**
 * A raw deflate stream that inflates to `gib` GiB of zeros from about a thousandth of that: one 64 MiB block,
 * flushed byte-aligned with no history (Z_FULL_FLUSH), repeated, then an empty final block.
 */
export function zeroBomb(gib: number): Uint8Array {
  const block = zlib.deflateRawSync(Buffer.alloc(64 * 2 ** 20), {level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH})
  return Buffer.concat([...Array.from({length: gib * 16}, () => block), Buffer.from([0x03, 0x00])])
}

/** Writes `entries` as a zip at `path`; `zip64` adds the zip64 end records. Returns the file's size. */
export function writeZip(path: string, entries: BuildEntry[], options: {zip64?: boolean; comment?: string} = {}): number {
  const fd = openSync(path, 'w')
  let pos = 0
  const put = (buf: Uint8Array): void => {
    writeSync(fd, buf, 0, buf.length, pos)
    pos += buf.length
  }
  const central: Buffer[] = []
  try {
    for (const e of entries) {
      const name = Buffer.from(e.name, 'utf8')
      const stored = e.data?.length ?? e.hole ?? 0
      const size = e.size ?? stored
      const crc = e.crc ?? (e.data === undefined ? zerosCrc(stored) : zlib.crc32(e.method === 8 ? zlib.inflateRawSync(e.data) : e.data))
      const big = e.zip64 === true
      const localExtra = big ? Buffer.concat([u16(1), u16(16), u64(size), u64(stored)]) : Buffer.alloc(0)
      const offset = pos
      put(Buffer.concat([u32(0x04034b50), u16(45), u16(0x800), u16(e.method ?? 0), u16(0), u16(0x21), u32(crc),
        u32(big ? 0xffffffff : stored), u32(big ? 0xffffffff : size), u16(name.length), u16(localExtra.length), name, localExtra]))
      if (e.data !== undefined) put(e.data)
      else pos += stored
      const extra = big ? Buffer.concat([u16(1), u16(24), u64(size), u64(stored), u64(offset)]) : Buffer.alloc(0)
      central.push(Buffer.concat([u32(0x02014b50), u16(45), u16(45), u16(0x800), u16(e.method ?? 0), u16(0), u16(0x21), u32(crc),
        u32(big ? 0xffffffff : stored), u32(big ? 0xffffffff : size), u16(name.length), u16(extra.length), u16(0), u16(0), u16(0), u32(0),
        u32(big ? 0xffffffff : offset), name, extra]))
    }
    const directory = Buffer.concat(central)
    const start = pos
    put(directory)
    const comment = Buffer.from(options.comment ?? '', 'utf8')
    if (options.zip64 === true) {
      const record = pos
      put(Buffer.concat([u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(entries.length), u64(entries.length), u64(directory.length), u64(start)]))
      put(Buffer.concat([u32(0x07064b50), u32(0), u64(record), u32(1)]))
      put(Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(0xffff), u16(0xffff), u32(0xffffffff), u32(0xffffffff), u16(comment.length), comment]))
    } else {
      put(Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(directory.length), u32(start), u16(comment.length), comment]))
    }
    return pos
  } finally {
    closeSync(fd)
  }
}
