/**
 * Reading one entry of an archive opened by zip.ts: its local header checked against the central directory,
 * then its data — inflated into memory under a cap (readZipEntry), or streamed to a file through node:zlib
 * (extractZipEntry) so a multi-GB weights member is never held whole. Both stop the moment the inflated size
 * passes the declared one, and check the declared size and CRC-32 at the end: an entry whose sizes lie is
 * refused, never truncated or padded.
 */
import {createWriteStream, read} from 'node:fs'
import {promisify} from 'node:util'
import {Readable, Transform, type TransformCallback} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {constants as bufferConstants} from 'node:buffer'
import * as zlib from 'node:zlib'
import {FormatError} from '../errors.js'
import {type ZipArchive, type ZipEntry, corruptZip, tooLarge, u16, u32, zip64Values} from './zip.js'
import {ZIP_LIMIT_ENV} from './zip-limits.js'

const LOCAL = 0x04034b50

/** CRC-32 (IEEE), by node:zlib when it has it (Node ≥ 20.15), else a table in JS. */
const crcTable = ((): Uint32Array => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()
function crc32(data: Uint8Array, value = 0): number {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(data, value)
  let c = ~value >>> 0
  for (const byte of data) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8)
  return ~c >>> 0
}

/** The most a deflate stream of `size` bytes can take (stored blocks: 5 bytes per 16 KiB, plus slack). */
function deflateBound(size: number): number {
  return size + 5 * Math.ceil(size / 16_384) + 64
}

/** Checks the local header against the central directory; returns the offset of the entry's data. */
export function entryDataStart(zip: ZipArchive, entry: ZipEntry): number {
  const header = zip.input.read(entry.offset, 30)
  const where = `${zip.source}: entry '${entry.name}'`
  if (u32(header, 0) !== LOCAL) throw corruptZip(zip, `${where} has no local header at byte ${entry.offset}.`)
  const nameLength = u16(header, 26)
  const extraLength = u16(header, 28)
  const rest = zip.input.read(entry.offset + 30, nameLength + extraLength)
  const name = rest.subarray(0, nameLength)
  if (name.length !== entry.rawName.length || name.some((b, i) => b !== entry.rawName[i])) throw corruptZip(zip, `${where}: its local header names another entry.`)
  if (u16(header, 8) !== entry.compression) throw corruptZip(zip, `${where}: its local header gives compression method ${u16(header, 8)}, the central directory ${entry.compression}.`)
  if ((u16(header, 6) & 8) === 0) {
    let compressed = u32(header, 18)
    let size = u32(header, 22)
    const [big, bigCompressed] = zip64Values(rest.subarray(nameLength), [size === 0xffffffff, compressed === 0xffffffff])
    size = big ?? size
    compressed = bigCompressed ?? compressed
    if (size !== entry.size || compressed !== entry.compressedSize) {
      throw corruptZip(zip, `${where}: its local header declares ${size} bytes (${compressed} compressed), the central directory ${entry.size} (${entry.compressedSize}).`)
    }
  }
  const start = entry.offset + 30 + nameLength + extraLength
  if (start + entry.compressedSize > zip.directoryStart) throw corruptZip(zip, `${where} runs into the central directory; its declared sizes are wrong.`)
  return start
}

function checkMethod(zip: ZipArchive, entry: ZipEntry): void {
  if (entry.compression !== 0 && entry.compression !== 8) {
    throw corruptZip(zip, `${zip.source}: entry '${entry.name}' uses compression method ${entry.compression}; kmodel reads stored and deflated entries (as Keras and NumPy write).`)
  }
  const bound = entry.compression === 0 ? entry.size : deflateBound(entry.size)
  if (entry.compressedSize > bound) {
    throw corruptZip(zip, `${zip.source}: entry '${entry.name}' declares ${entry.compressedSize} compressed bytes for ${entry.size} uncompressed; its declared sizes are wrong.`)
  }
}

/** The entry inflates to `got` bytes (null: more than declared) instead of its declared size. */
function sizeLie(zip: ZipArchive, entry: ZipEntry, got: number | null): FormatError {
  const what = got === null ? `more than the ${entry.size} bytes it declares` : `${got} bytes, not the ${entry.size} bytes it declares`
  return corruptZip(zip, `${zip.source}: entry '${entry.name}' inflates to ${what}.`)
}

function checkCrc(zip: ZipArchive, entry: ZipEntry, crc: number): void {
  if (crc !== entry.crc32) throw corruptZip(zip, `${zip.source}: entry '${entry.name}' fails its CRC-32 check (the data is corrupt).`)
}

/**
 * Inflates an entry into memory. Refuses (FormatError) one declaring more than `maxBytes` (default the
 * entry cap; `env` names the variable that raises it), and one whose data is not what it declares.
 */
export function readZipEntry(zip: ZipArchive, entry: ZipEntry, maxBytes?: number, env?: string): Uint8Array {
  const cap = maxBytes ?? zip.limits.entryBytes
  if (entry.size > cap) throw tooLarge(zip, entry, `declares ${entry.size} bytes uncompressed, more than the ${cap}-byte limit`, env ?? ZIP_LIMIT_ENV.entryBytes)
  if (entry.size > bufferConstants.MAX_LENGTH) {
    throw new FormatError('KM_FORMAT_ZIP_TOO_LARGE', `${zip.source}: entry '${entry.name}' declares ${entry.size} bytes uncompressed; kmodel holds at most ${bufferConstants.MAX_LENGTH} bytes of one entry in memory.`, {
      hint: 'Split the data into smaller arrays (several .npy members).',
    })
  }
  const start = entryDataStart(zip, entry)
  checkMethod(zip, entry)
  const raw = zip.input.read(start, entry.compressedSize)
  if (raw.length < entry.compressedSize) throw corruptZip(zip, `${zip.source}: entry '${entry.name}' is truncated.`)
  let data: Uint8Array = raw
  if (entry.compression === 8) {
    try {
      const out = zlib.inflateRawSync(raw, {maxOutputLength: Math.max(entry.size, 1)})
      data = new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw sizeLie(zip, entry, null)
      throw corruptZip(zip, `${zip.source}: entry '${entry.name}' cannot be inflated: ${error instanceof Error ? error.message : String(error)}.`, error)
    }
  }
  if (data.length !== entry.size) throw sizeLie(zip, entry, data.length)
  checkCrc(zip, entry, crc32(data))
  return data
}

const readAsync = promisify(read)

/**
 * `length` bytes of `fd` from `start`, in 1 MiB chunks, by positioned reads that leave the descriptor open (an
 * fs.ReadStream closes its fd when destroyed, even with autoClose off).
 */
async function* rangeOf(fd: number, start: number, length: number): AsyncGenerator<Buffer> {
  for (let done = 0; done < length;) {
    const buffer = Buffer.allocUnsafe(Math.min(1 << 20, length - done))
    const {bytesRead} = await readAsync(fd, buffer, 0, buffer.length, start + done)
    if (bytesRead === 0) return
    done += bytesRead
    yield buffer.subarray(0, bytesRead)
  }
}

/** Counts and checksums a stream, failing the moment it passes `size` bytes. */
class Measure extends Transform {
  count = 0
  crc = 0
  constructor(private readonly size: number, private readonly tooMuch: () => Error) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length
    if (this.count > this.size) {
      done(this.tooMuch())
      return
    }
    this.crc = crc32(chunk, this.crc)
    done(null, chunk)
  }
}

/**
 * Streams an entry into a new file at `dest` (created 0600, must not exist), inflating through node:zlib, so
 * memory stays bounded whatever the entry's size. Same caps and checks as readZipEntry. The caller removes
 * `dest` on failure (it sits in the caller's private temp folder).
 */
export async function extractZipEntry(zip: ZipArchive, entry: ZipEntry, dest: string): Promise<void> {
  if (entry.size > zip.limits.entryBytes) throw tooLarge(zip, entry, `declares ${entry.size} bytes uncompressed, more than the ${zip.limits.entryBytes}-byte limit`, ZIP_LIMIT_ENV.entryBytes)
  const start = entryDataStart(zip, entry)
  checkMethod(zip, entry)
  const out = createWriteStream(dest, {flags: 'wx', mode: 0o600})
  const measure = new Measure(entry.size, () => sizeLie(zip, entry, null))
  const fd = zip.input.fd
  if (fd === undefined) {
    const data = readZipEntry(zip, entry)
    await pipeline(async function* () {
      yield data
    }, out)
    return
  }
  try {
    const stages = entry.compression === 8 ? [zlib.createInflateRaw(), measure] : [measure]
    const input = Readable.from(rangeOf(fd, start, entry.compressedSize))
    await pipeline([input, ...stages, out])
  } catch (error) {
    if (error instanceof FormatError) throw error
    throw corruptZip(zip, `${zip.source}: entry '${entry.name}' cannot be inflated: ${error instanceof Error ? error.message : String(error)}.`, error)
  }
  if (measure.count !== entry.size) throw sizeLie(zip, entry, measure.count)
  checkCrc(zip, entry, measure.crc)
}
