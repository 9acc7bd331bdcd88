/**
 * io/zip.ts and io/zip-entry.ts: archives read through a file descriptor — zip64 (as Python's zipfile writes
 * it, and zip64 end records), archive comments, overlapping entries, bombs, sizes that lie, streamed
 * extraction — and the KMODEL_MAX_ZIP_* variables. Archives the hand-written builder makes are first read
 * by Python's zipfile, so kmodel is compared with Python, not with the builder.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {zipSync} from 'fflate'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {FormatError, InputError} from '../../../src/core/errors.js'
import {type ZipArchive, bytesSource, closeZip, openZipFile, readZipDirectory, withZipFile} from '../../../src/core/io/zip.js'
import {extractZipEntry, readZipEntry} from '../../../src/core/io/zip-entry.js'
import {DEFAULT_ZIP_LIMITS, maxTextBytes, zipLimits} from '../../../src/core/io/zip-limits.js'
import {announceSkip} from '../../helpers/paths.js'
import {writeZip, zeroBomb} from './zip-build.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_PYTHON = spawnSync(PYTHON, ['-c', 'import zipfile'], {stdio: 'ignore'}).status === 0
if (!HAVE_PYTHON) announceSkip('zip64 archives written by Python (test/unit/io/zip.test.ts)', `${PYTHON} is not available`)

let dir: string
const at = (name: string): string => join(dir, name)

/** Runs Python on `code` with the test folder as argv[1]; returns its stdout. */
function python(code: string): string {
  const run = spawnSync(PYTHON, ['-c', code, dir], {encoding: 'utf8'})
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`)
  return run.stdout
}

/** The FormatError `fn` throws. */
async function failure(fn: () => unknown): Promise<FormatError> {
  try {
    await fn()
  } catch (error) {
    if (error instanceof FormatError) return error
    throw error
  }
  return expect.unreachable('should throw')
}

/** The content of every entry, by name, read through a file descriptor. */
async function contents(path: string): Promise<Record<string, string>> {
  return withZipFile(path, path, {}, (zip) => Object.fromEntries(zip.entries.map((e) => [e.name, Buffer.from(readZipEntry(zip, e)).toString('latin1')])))
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmodel-zip-'))
})

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
})

describe.skipIf(!HAVE_PYTHON)('archives Python writes', () => {
  it('reads zip64 entries (force_zip64), deflated and stored, and an archive comment', async () => {
    python(String.raw`
import sys, zipfile
d = sys.argv[1]
with zipfile.ZipFile(d + '/z64.zip', 'w') as z:
    z.comment = b'a comment'
    with z.open('config.json', 'w', force_zip64=True) as f: f.write(b'{"a": 1}' * 100)
    zi = zipfile.ZipInfo('weights.bin'); zi.compress_type = zipfile.ZIP_DEFLATED
    with z.open(zi, 'w', force_zip64=True) as f: f.write(bytes(range(256)) * 1000)
    z.writestr('plain.txt', 'plain')
`)
    const read = await contents(at('z64.zip'))
    expect(Object.keys(read)).toEqual(['config.json', 'weights.bin', 'plain.txt'])
    expect(read['config.json']).toBe('{"a": 1}'.repeat(100))
    expect(read['weights.bin']).toBe(Buffer.from(Array.from({length: 256_000}, (_, i) => i % 256)).toString('latin1'))
    expect(read['plain.txt']).toBe('plain')
  })

  it('reads zip64 central-directory extras and end records, as Python reads them', async () => {
    writeZip(at('built64.zip'), [{name: 'a.txt', data: Buffer.from('hello'), zip64: true}, {name: 'b/c.txt', data: Buffer.from('world!'), zip64: true}], {zip64: true, comment: 'c'})
    const py = python(String.raw`
import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1] + '/built64.zip')
assert z.testzip() is None
print(json.dumps({i.filename: z.read(i).decode() for i in z.infolist()}))
`)
    expect(await contents(at('built64.zip'))).toEqual(JSON.parse(py))
  })
})

describe('archives kmodel refuses', () => {
  it('refuses two entries sharing their data (the overlapping-entries zip bomb)', async () => {
    const path = at('overlap.zip')
    writeZip(path, [{name: 'a.npy', data: new Uint8Array(100)}, {name: 'b.npy', data: new Uint8Array(100)}])
    const bytes = readFileSync(path)
    const second = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 1, 2])) // b.npy's central record: point it at a.npy
    bytes.writeUInt32LE(0, second + 42)
    writeFileSync(path, bytes)
    const error = await failure(() => openZipFile(path, 'overlap.zip'))
    expect(error.code).toBe('KM_FORMAT_ZIP')
    expect(error.message).toMatch(/^overlap\.zip: entry '(a|b)\.npy' \(100 bytes at byte 0\) overlaps entry '(a|b)\.npy'; its declared sizes are wrong\.$/)
  })

  it('refuses an entry over 256 MiB inflating more than KMODEL_MAX_ZIP_RATIO times, unless the limit is raised', async () => {
    const bomb = zeroBomb(1)
    writeZip(at('bomb.zip'), [{name: 'x.npy', data: bomb, method: 8, size: 2 ** 30, crc: 0}])
    const error = await failure(() => openZipFile(at('bomb.zip'), 'bomb.zip'))
    expect(error.code).toBe('KM_FORMAT_ZIP_TOO_LARGE')
    expect(error.message).toBe(`bomb.zip: entry 'x.npy' declares ${2 ** 30} bytes uncompressed from ${bomb.length} compressed (more than 100 times).`)
    expect(error.hint).toBe('This looks like a zip bomb, not a Keras or NumPy file. If the file is genuine, raise the limit with KMODEL_MAX_ZIP_RATIO=N.')
    const raised = openZipFile(at('bomb.zip'), 'bomb.zip', {limits: {...DEFAULT_ZIP_LIMITS, ratio: 10_000}})
    closeZip(raised)
    expect((await failure(() => openZipFile(at('bomb.zip'), 'bomb.zip', {limits: {...DEFAULT_ZIP_LIMITS, ratio: 10_000, entryBytes: 2 ** 20}}))).hint).toMatch(/KMODEL_MAX_ZIP_ENTRY_BYTES=N/)
  })

  it('stops inflating an entry that lies about its size the moment it passes it, in memory and streamed', async () => {
    writeZip(at('liar.zip'), [{name: 'w.h5', data: zeroBomb(5), method: 8, size: 2 ** 20, crc: 0}])
    const zip = openZipFile(at('liar.zip'), 'liar.zip')
    const entry = zip.entries[0]
    if (entry === undefined) throw new Error('no entry')
    try {
      const started = Date.now()
      expect((await failure(() => readZipEntry(zip, entry))).message).toBe(`liar.zip: entry 'w.h5' declares ${zeroBomb(5).length} compressed bytes for ${2 ** 20} uncompressed; its declared sizes are wrong.`)
      // Declared 256 MiB - within the deflate bound of its compressed size - yet inflating to 5 GiB.
      writeZip(at('liar2.zip'), [{name: 'w.h5', data: zeroBomb(5), method: 8, size: 256 * 2 ** 20, crc: 0}])
      await withZipFile(at('liar2.zip'), 'liar2.zip', {}, async (z: ZipArchive) => {
        const e = z.entries[0]
        if (e === undefined) throw new Error('no entry')
        const memory = await failure(() => readZipEntry(z, e))
        expect(memory.message).toBe(`liar2.zip: entry 'w.h5' inflates to more than the ${256 * 2 ** 20} bytes it declares.`)
        const streamed = await failure(() => extractZipEntry(z, e, at('out.h5')))
        expect(streamed.message).toBe(memory.message)
        expect(statSync(at('out.h5')).size).toBeLessThanOrEqual(256 * 2 ** 20)
      })
      expect(Date.now() - started).toBeLessThan(20_000)
    } finally {
      closeZip(zip)
    }
  })

  it('refuses encrypted entries, split archives, a missing end record and a bad CRC', async () => {
    const good = zipSync({'a.txt': Buffer.from('abc')}, {level: 0})
    const encrypted = good.slice()
    const central = Buffer.from(encrypted).lastIndexOf(Buffer.from([0x50, 0x4b, 1, 2]))
    encrypted[central + 8] = (encrypted[central + 8] ?? 0) | 1
    expect((await failure(() => readZipDirectory(bytesSource(encrypted), 'e.zip'))).message).toBe("e.zip: entry 'a.txt' is encrypted, which kmodel does not read.")
    const split = good.slice()
    split[split.length - 22 + 4] = 1
    expect((await failure(() => readZipDirectory(bytesSource(split), 's.zip'))).message).toBe('s.zip is a multi-disk (split) zip archive, which kmodel does not read.')
    expect((await failure(() => readZipDirectory(bytesSource(good.subarray(0, good.length - 5)), 't.zip'))).message).toMatch(/^t\.zip is not a readable zip archive: no end-of-central-directory record/)
    const corrupt = good.slice()
    corrupt[30 + 'a.txt'.length] = 0x41
    const zip = readZipDirectory(bytesSource(corrupt), 'c.zip', {code: 'KM_FORMAT_NPZ'})
    const error = await failure(() => readZipEntry(zip, zip.entries[0] as ZipArchive['entries'][number]))
    expect(error).toMatchObject({code: 'KM_FORMAT_NPZ', message: "c.zip: entry 'a.txt' fails its CRC-32 check (the data is corrupt)."})
  })
})

describe('streamed extraction', () => {
  it('writes a deflated entry to a new 0600 file, byte for byte', async () => {
    const data = Buffer.from(Array.from({length: 3_000_000}, (_, i) => (i * 31) % 251))
    writeFileSync(at('big.zip'), zipSync({'model.weights.h5': data}, {level: 6}))
    await withZipFile(at('big.zip'), 'big.zip', {}, async (zip) => {
      await extractZipEntry(zip, zip.entries[0] as ZipArchive['entries'][number], at('big.out'))
    })
    expect(readFileSync(at('big.out')).equals(data)).toBe(true)
    expect(statSync(at('big.out')).mode & 0o777).toBe(0o600)
  })
})

describe('limits from the environment', () => {
  it('reads KMODEL_MAX_ZIP_* and KMODEL_MAX_TEXT_BYTES, refusing values that are not positive integers', () => {
    expect(zipLimits({})).toEqual(DEFAULT_ZIP_LIMITS)
    expect(zipLimits({KMODEL_MAX_ZIP_RATIO: '2000', KMODEL_MAX_ZIP_JSON_BYTES: '10', KMODEL_MAX_ZIP_ENTRY_BYTES: ' '})).toEqual({...DEFAULT_ZIP_LIMITS, ratio: 2000, jsonBytes: 10})
    expect(maxTextBytes({KMODEL_MAX_TEXT_BYTES: '99'})).toBe(99)
    for (const bad of ['0', '-1', '1.5', 'lots']) {
      expect(() => zipLimits({KMODEL_MAX_ZIP_RATIO: bad})).toThrow(InputError)
    }
    expect(() => maxTextBytes({KMODEL_MAX_TEXT_BYTES: 'x'})).toThrow("KMODEL_MAX_TEXT_BYTES is 'x', not a positive integer.")
  })
})
