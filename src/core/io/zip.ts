/**
 * A zip reader for hostile archives (`.keras`, `.npz`) that never holds the archive whole: the end of central
 * directory record is found in the file's tail, the central directory is read once, and an entry's bytes are
 * read (zip-entry.ts) only when asked for. Works the same on a file descriptor and on bytes in memory (stdin).
 *
 *   [local header + data]…  central directory (one record per entry)  [zip64 EOCD record + locator]  EOCD
 *
 * Checked before anything is inflated: zip64 records and extra fields; every entry's data range lies before
 * the central directory and no two entries overlap (the overlapping-entries zip bomb); encrypted and
 * multi-disk archives are refused; an entry over 256 MiB that inflates more than KMODEL_MAX_ZIP_RATIO times
 * its compressed size is refused as a bomb, as Keras 3 refuses it. Every failure is a FormatError naming the
 * file (and the entry), with a hint; the caps' variables are in zip-limits.ts.
 */
import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {FormatError, InputError} from '../errors.js'
import {RATIO_FLOOR_BYTES, ZIP_LIMIT_ENV, type ZipLimits, zipLimits} from './zip-limits.js'

/** Where an archive's bytes come from: a file descriptor (read on demand) or bytes in memory. */
export interface ZipSource {
  size: number
  /** `length` bytes at `position` (fewer only at the end of the source). */
  read: (position: number, length: number) => Uint8Array
  /** The open file descriptor, for streamed reads; undefined for bytes. */
  fd?: number
}

/** One entry as the central directory declares it. */
export interface ZipEntry {
  name: string
  /** Declared uncompressed size in bytes. */
  size: number
  /** Compressed size in bytes. */
  compressedSize: number
  /** Zip compression method: 0 stored, 8 deflate. */
  compression: number
  crc32: number
  flags: number
  /** Offset of the entry's local header. */
  offset: number
  /** The name's raw bytes (compared with the local header's). */
  rawName: Uint8Array
}

/** An archive whose central directory has been read. Close it with closeZip. */
export interface ZipArchive {
  source: string
  input: ZipSource
  entries: ZipEntry[]
  /** Offset of the central directory: every entry's data ends before it. */
  directoryStart: number
  limits: ZipLimits
  /** The FormatError code and hint for a corrupt archive (KM_FORMAT_ZIP, KM_FORMAT_NPZ…). */
  code: `KM_FORMAT_${string}`
  hint: string
}

/** How to report errors for one kind of archive. */
export interface ZipContext {
  code?: `KM_FORMAT_${string}`
  hint?: string
  limits?: ZipLimits
}

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const MAX_COMMENT = 0xffff
/** The largest central directory read (64 MiB: over 400,000 entries of 100-character names). */
export const MAX_ZIP_DIRECTORY_BYTES = 64 * 2 ** 20
const DEFAULT_HINT = 'The archive looks truncated or corrupt; copy or download it again.'

/** A FormatError for a corrupt archive, with the archive kind's code and hint. */
export function corruptZip(zip: Pick<ZipArchive, 'code' | 'hint'>, message: string, cause?: unknown): FormatError {
  return new FormatError(zip.code, message, cause === undefined ? {hint: zip.hint} : {hint: zip.hint, cause})
}

/** Little-endian reads that yield -1 past the end of the bytes (so a short record reads as corrupt). */
export function u16(b: Uint8Array, at: number): number {
  return at + 2 <= b.length ? (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) : -1
}
export function u32(b: Uint8Array, at: number): number {
  return at + 4 <= b.length ? ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16)) + (b[at + 3] ?? 0) * 2 ** 24 : -1
}
/** A u64 as a JS number; values over 2^53 become Infinity (no real archive has them; they fail range checks). */
export function u64(b: Uint8Array, at: number): number {
  if (at + 8 > b.length) return -1
  const low = u32(b, at)
  const high = u32(b, at + 4)
  return high >= 2 ** 21 ? Number.POSITIVE_INFINITY : high * 2 ** 32 + low
}

/** A source over bytes in memory. */
export function bytesSource(bytes: Uint8Array): ZipSource {
  return {size: bytes.length, read: (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length))}
}

/** A source over an open file descriptor (positioned reads, so nothing is loaded whole). */
export function fdSource(fd: number): ZipSource {
  const size = fstatSync(fd).size
  return {
    size,
    fd,
    read(position, length) {
      const out = new Uint8Array(Math.max(0, Math.min(length, size - position)))
      let got = 0
      while (got < out.length) {
        const n = readSync(fd, out, got, out.length - got, position + got)
        if (n === 0) break
        got += n
      }
      return out.subarray(0, got)
    },
  }
}

/** Finds the end-of-central-directory record in the last 64 KiB + 22 bytes: its offset, or -1. */
function findEocd(input: ZipSource): {at: number; record: Uint8Array} | null {
  const tailLength = Math.min(input.size, 22 + MAX_COMMENT)
  const tail = input.read(input.size - tailLength, tailLength)
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === EOCD && i + 22 + u16(tail, i + 20) <= tail.length) return {at: input.size - tailLength + i, record: tail.subarray(i, i + 22)}
  }
  return null
}

interface Directory {
  count: number
  size: number
  offset: number
  /** Where the directory must end: the zip64 record or the EOCD. */
  end: number
}

/** The central directory's place from the EOCD, or from the zip64 EOCD record when a locator precedes it. */
function locateDirectory(zip: ZipArchive, eocd: {at: number; record: Uint8Array}): Directory {
  const {record} = eocd
  if (u16(record, 4) !== 0 || u16(record, 6) !== 0) throw corruptZip(zip, `${zip.source} is a multi-disk (split) zip archive, which kmodel does not read.`)
  const plain = {count: u16(record, 10), size: u32(record, 12), offset: u32(record, 16), end: eocd.at}
  const locator = eocd.at >= 20 ? zip.input.read(eocd.at - 20, 20) : new Uint8Array()
  if (u32(locator, 0) !== ZIP64_LOCATOR) return plain
  const at = u64(locator, 8)
  const z64 = at >= 0 && at + 56 <= eocd.at - 20 ? zip.input.read(at, 56) : new Uint8Array()
  if (u32(z64, 0) !== ZIP64_EOCD) throw corruptZip(zip, `${zip.source} has a zip64 end-of-directory locator pointing at no zip64 record (byte ${at}).`)
  if (u32(z64, 16) !== 0 || u32(z64, 20) !== 0) throw corruptZip(zip, `${zip.source} is a multi-disk (split) zip archive, which kmodel does not read.`)
  return {count: u64(z64, 32), size: u64(z64, 40), offset: u64(z64, 48), end: at}
}

/** The zip64 extra field (id 1) of a record: the 64-bit values for each field set to 0xFFFFFFFF, in order. */
export function zip64Values(extra: Uint8Array, wanted: boolean[]): Array<number | undefined> {
  for (let p = 0; p + 4 <= extra.length; p += 4 + u16(extra, p + 2)) {
    if (u16(extra, p) !== 1) continue
    const body = extra.subarray(p + 4, p + 4 + u16(extra, p + 2))
    let q = 0
    return wanted.map((want) => {
      if (!want) return undefined
      const value = u64(body, q)
      q += 8
      return value < 0 ? undefined : value
    })
  }
  return wanted.map(() => undefined)
}

/** Parses one central-directory record at `p` of `dir`; returns the entry and the next record's offset. */
function parseRecord(zip: ZipArchive, dir: Uint8Array, p: number): {entry: ZipEntry; next: number} {
  if (u32(dir, p) !== CENTRAL) throw corruptZip(zip, `${zip.source} has a corrupt central directory (no entry record at byte ${p} of it).`)
  const nameLength = u16(dir, p + 28)
  const extraLength = u16(dir, p + 30)
  const next = p + 46 + nameLength + extraLength + u16(dir, p + 32)
  if (nameLength < 0 || next > dir.length) throw corruptZip(zip, `${zip.source} has a truncated central directory.`)
  const flags = u16(dir, p + 8)
  const rawName = dir.slice(p + 46, p + 46 + nameLength)
  const name = new TextDecoder((flags & 0x800) === 0 ? 'latin1' : 'utf-8').decode(rawName)
  let compressedSize = u32(dir, p + 20)
  let size = u32(dir, p + 24)
  let offset = u32(dir, p + 42)
  const extra = dir.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength)
  const [big, bigCompressed, bigOffset] = zip64Values(extra, [size === 0xffffffff, compressedSize === 0xffffffff, offset === 0xffffffff])
  size = big ?? size
  compressedSize = bigCompressed ?? compressedSize
  offset = bigOffset ?? offset
  const entry: ZipEntry = {name, size, compressedSize, compression: u16(dir, p + 10), crc32: u32(dir, p + 16), flags, offset, rawName}
  if ((flags & 1) !== 0) throw corruptZip(zip, `${zip.source}: entry '${name}' is encrypted, which kmodel does not read.`)
  return {entry, next}
}

/** Refuses entries whose data would run into the central directory or into each other. */
function checkLayout(zip: ZipArchive): void {
  const sorted = [...zip.entries].sort((a, b) => a.offset - b.offset)
  for (const [i, entry] of sorted.entries()) {
    const end = entry.offset + 30 + entry.rawName.length + entry.compressedSize
    const limit = sorted[i + 1]?.offset ?? zip.directoryStart
    if (!Number.isFinite(end) || end > limit) {
      const what = limit === zip.directoryStart ? 'runs into the central directory' : `overlaps entry '${sorted[i + 1]?.name ?? ''}'`
      throw corruptZip(zip, `${zip.source}: entry '${entry.name}' (${entry.compressedSize} bytes at byte ${entry.offset}) ${what}; its declared sizes are wrong.`)
    }
  }
}

/** A FormatError KM_FORMAT_ZIP_TOO_LARGE naming the entry, the figure and the variable that raises the cap. */
export function tooLarge(zip: ZipArchive, entry: ZipEntry, what: string, env: string): FormatError {
  return new FormatError('KM_FORMAT_ZIP_TOO_LARGE', `${zip.source}: entry '${entry.name}' ${what}.`, {
    hint: `This looks like a zip bomb, not a Keras or NumPy file. If the file is genuine, raise the limit with ${env}=N.`,
  })
}

/** Refuses an entry that declares more than the entry cap, or a bomb's ratio (over 256 MiB). */
function checkBomb(zip: ZipArchive, entry: ZipEntry): void {
  const {entryBytes, ratio} = zip.limits
  if (entry.size > entryBytes) throw tooLarge(zip, entry, `declares ${entry.size} bytes uncompressed, more than the ${entryBytes}-byte limit`, ZIP_LIMIT_ENV.entryBytes)
  if (entry.size > RATIO_FLOOR_BYTES && entry.size > ratio * Math.max(entry.compressedSize, 1)) {
    throw tooLarge(zip, entry, `declares ${entry.size} bytes uncompressed from ${entry.compressedSize} compressed (more than ${ratio} times)`, ZIP_LIMIT_ENV.ratio)
  }
}

/** Reads the central directory of `input`. FormatError (code from `context`) for anything but a sound zip. */
export function readZipDirectory(input: ZipSource, source: string, context: ZipContext = {}): ZipArchive {
  const zip: ZipArchive = {source, input, entries: [], directoryStart: 0, limits: context.limits ?? zipLimits(), code: context.code ?? 'KM_FORMAT_ZIP', hint: context.hint ?? DEFAULT_HINT}
  const eocd = findEocd(input)
  if (eocd === null) throw corruptZip(zip, `${source} is not a readable zip archive: no end-of-central-directory record in its last ${Math.min(input.size, 22 + MAX_COMMENT)} bytes.`)
  const dir = locateDirectory(zip, eocd)
  if (!(dir.offset >= 0 && dir.size >= 0 && dir.offset + dir.size <= dir.end && dir.count >= 0 && dir.count * 46 <= dir.size)) {
    throw corruptZip(zip, `${source} is not a readable zip archive: its central directory (${dir.count} entries, ${dir.size} bytes at byte ${dir.offset}) does not fit the file.`)
  }
  if (dir.size > MAX_ZIP_DIRECTORY_BYTES) {
    throw new FormatError('KM_FORMAT_ZIP_TOO_LARGE', `${source} has a ${dir.size}-byte central directory, more than the ${MAX_ZIP_DIRECTORY_BYTES}-byte limit.`, {hint: 'No Keras or NumPy file lists this many entries; the archive was altered.'})
  }
  zip.directoryStart = dir.offset
  const bytes = input.read(dir.offset, dir.size)
  let p = 0
  for (let i = 0; i < dir.count; i++) {
    const {entry, next} = parseRecord(zip, bytes, p)
    zip.entries.push(entry)
    p = next
  }
  checkLayout(zip)
  for (const entry of zip.entries) checkBomb(zip, entry)
  return zip
}

/** Opens `path` and reads its central directory; the caller closes the archive (closeZip). */
export function openZipFile(path: string, source: string, context: ZipContext = {}): ZipArchive {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(code === 'ENOENT' ? 'KM_INPUT_NOT_FOUND' : 'KM_INPUT_UNREADABLE', `${source} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`}.`, {hint: 'Check the path and its permissions.', cause: error})
  }
  try {
    return readZipDirectory(fdSource(fd), source, context)
  } catch (error) {
    closeSync(fd)
    throw error
  }
}

/** Closes an archive opened by openZipFile (no-op for bytes). */
export function closeZip(zip: ZipArchive): void {
  if (zip.input.fd !== undefined) closeSync(zip.input.fd)
}

/** Runs `fn` on the archive at `path` and always closes it. */
export async function withZipFile<T>(path: string, source: string, context: ZipContext, fn: (zip: ZipArchive) => T | Promise<T>): Promise<T> {
  const zip = openZipFile(path, source, context)
  try {
    return await fn(zip)
  } finally {
    closeZip(zip)
  }
}
