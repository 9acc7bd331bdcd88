import {readFileSync} from 'node:fs'
import {strToU8, zipSync} from 'fflate'
import {describe, expect, it} from 'vitest'
import {FormatError} from '../../../src/core/errors.js'
import {MAX_ZIP_ENTRY_BYTES, listKerasZip, readKerasZip, readKerasZipEntry, readKerasZipFile} from '../../../src/core/formats/keras-zip.js'
import {fixture} from '../../helpers/paths.js'

const CONFIG = '{"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [], "max": NaN}, "registered_name": null}'
const METADATA = '{"keras_version": "3.4.1", "date_saved": "2024-07-01@12:00:00"}'

/** A .keras zip built in memory; entries map name → text or bytes. */
function kerasZip(entries: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])))
}

const standard = (): Uint8Array => kerasZip({'metadata.json': METADATA, 'config.json': CONFIG, 'model.weights.h5': new Uint8Array(64)})

/** Offsets of each central-directory record (`PK\1\2`) by entry name. */
function centralRecords(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  const out = new Map<string, number>()
  for (let i = 0; i + 46 <= zip.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue
    const nameLength = view.getUint16(i + 28, true)
    out.set(new TextDecoder().decode(zip.subarray(i + 46, i + 46 + nameLength)), i)
  }
  return out
}

/** Offset of the local header (`PK\3\4`) of one entry, from its central-directory record. */
function localHeader(zip: Uint8Array, name: string): number {
  const at = centralRecords(zip).get(name)
  if (at === undefined) throw new Error(`no entry ${name}`)
  return new DataView(zip.buffer, zip.byteOffset, zip.byteLength).getUint32(at + 42, true)
}

/**
 * Rewrites a field of one entry: 10 = method (u16), 24 = uncompressed size (u32), in the central directory
 * and, with `local`, the same field of its local header too (8 = method, 22 = uncompressed size there).
 */
function patch(zip: Uint8Array, name: string, field: 10 | 24, value: number, local = false): Uint8Array {
  const copy = zip.slice()
  const at = centralRecords(copy).get(name)
  if (at === undefined) throw new Error(`no entry ${name}`)
  const view = new DataView(copy.buffer)
  const write = (offset: number): void => (field === 10 ? view.setUint16(offset, value, true) : view.setUint32(offset, value, true))
  write(at + field)
  if (local) write(localHeader(copy, name) + field - 2)
  return copy
}

const failure = (fn: () => unknown): FormatError => {
  try {
    fn()
  } catch (error) {
    if (error instanceof FormatError) return error
    throw error
  }
  return expect.unreachable('should throw')
}

describe('readKerasZip', () => {
  it('reads config.json (with NaN) and keras_version from metadata.json', () => {
    const raw = readKerasZip(standard(), 'm.keras')
    expect(raw).toMatchObject({format: 'keras-zip', keras_version: '3.4.1', backend: null, training_config: null})
    expect(raw.document).toMatchObject({class_name: 'Sequential', config: {name: 's', max: Number.NaN}})
  })

  it('gives keras_version null without metadata.json', () => {
    expect(readKerasZip(kerasZip({'config.json': CONFIG}), 'm.keras').keras_version).toBeNull()
  })

  it('refuses a zip without config.json, naming what it holds', () => {
    const error = failure(() => readKerasZip(kerasZip({'arr_0.npy': 'x', 'arr_1.npy': 'y'}), 'w.npz'))
    expect(error.code).toBe('KM_FORMAT_ZIP_NO_CONFIG')
    expect(error.message).toMatchInlineSnapshot(`"w.npz is a zip archive but not a .keras model: no 'config.json' (it holds 'arr_0.npy', 'arr_1.npy')."`)
    expect(failure(() => readKerasZip(kerasZip({}), 'e.keras')).message).toMatch(/\(it is empty\)/)
  })

  it('refuses entry names that could escape a folder', () => {
    for (const name of ['../evil.json', 'assets/../../x', '/etc/passwd', '..\\win.txt', 'C:\\x.json']) {
      const error = failure(() => readKerasZip(kerasZip({'config.json': CONFIG, [name]: 'x'}), 'm.keras'))
      expect(error.code, name).toBe('KM_FORMAT_ZIP_UNSAFE')
      expect(error.message).toBe(`m.keras contains an entry with an unsafe path '${name}'.`)
    }
    expect(readKerasZip(kerasZip({'config.json': CONFIG, 'assets/a..b.txt': 'x'}), 'm.keras').document).toBeTruthy()
  })

  it('refuses an entry whose declared size is above the cap before inflating it', () => {
    const big = patch(standard(), 'config.json', 24, 5000, true)
    const error = failure(() => readKerasZip(big, 'big.keras', {maxEntryBytes: 4000}))
    expect(error.code).toBe('KM_FORMAT_ZIP_TOO_LARGE')
    expect(error.message).toBe("big.keras: entry 'config.json' declares 5000 bytes uncompressed, more than the 4000-byte limit.")
    expect(error.hint).toMatch(/KMODEL_MAX_ZIP_JSON_BYTES=N/)
    expect(failure(() => readKerasZip(standard(), 'm.keras', {maxEntryBytes: 10})).code).toBe('KM_FORMAT_ZIP_TOO_LARGE')
  })

  it('refuses a member declaring a zip bomb\'s ratio while listing, before anything is read', () => {
    const bomb = patch(standard(), 'config.json', 24, MAX_ZIP_ENTRY_BYTES + 1)
    const error = failure(() => readKerasZip(bomb, 'bomb.keras'))
    expect(error.code).toBe('KM_FORMAT_ZIP_TOO_LARGE')
    expect(error.message).toMatch(/^bomb\.keras: entry 'config\.json' declares 268435457 bytes uncompressed from \d+ compressed \(more than 100 times\)\.$/)
    expect(error.hint).toMatch(/KMODEL_MAX_ZIP_RATIO=N/)
    expect(failure(() => listKerasZip(bomb, 'bomb.keras')).code).toBe('KM_FORMAT_ZIP_TOO_LARGE')
  })

  it('refuses an entry whose sizes lie: local header against central directory, and inflated size against both', () => {
    const central = patch(standard(), 'config.json', 24, CONFIG.length + 100)
    expect(failure(() => readKerasZip(central, 'm.keras')).message).toMatch(/^m\.keras: entry 'config\.json': its local header declares \d+ bytes \(\d+ compressed\), the central directory \d+ \(\d+\)\.$/)
    const both = patch(standard(), 'config.json', 24, CONFIG.length + 100, true)
    expect(failure(() => readKerasZip(both, 'm.keras')).message).toBe(`m.keras: entry 'config.json' inflates to ${CONFIG.length} bytes, not the ${CONFIG.length + 100} bytes it declares.`)
    const short = patch(standard(), 'config.json', 24, CONFIG.length - 10, true)
    expect(failure(() => readKerasZip(short, 'm.keras')).message).toBe(`m.keras: entry 'config.json' inflates to more than the ${CONFIG.length - 10} bytes it declares.`)
  })

  it('refuses garbage, truncated archives and unknown compression methods with KM_FORMAT_ZIP', () => {
    const garbage = failure(() => readKerasZip(Uint8Array.from({length: 300}, (_, i) => (i * 7) % 256), 'g.keras'))
    expect(garbage).toMatchObject({code: 'KM_FORMAT_ZIP', message: 'g.keras is not a readable zip archive: no end-of-central-directory record in its last 300 bytes.'})
    const zip = standard()
    expect(failure(() => readKerasZip(zip.subarray(0, zip.length - 30), 't.keras')).code).toBe('KM_FORMAT_ZIP')
    const bzip2 = failure(() => readKerasZip(patch(zip, 'config.json', 10, 12, true), 'b.keras'))
    expect(bzip2.message).toBe("b.keras: entry 'config.json' uses compression method 12; kmodel reads stored and deflated entries (as Keras and NumPy write).")
    expect(failure(() => readKerasZip(patch(zip, 'config.json', 10, 12), 'b.keras')).message).toBe("b.keras: entry 'config.json': its local header gives compression method 8, the central directory 12.")
  })

  it('refuses a member whose data fails its CRC-32', () => {
    const stored = zipSync({'config.json': strToU8(CONFIG)}, {level: 0})
    const copy = stored.slice()
    const at = localHeader(copy, 'config.json') + 30 + 'config.json'.length // the stored JSON's first byte, '{'
    expect(copy[at]).toBe(0x7b)
    copy[at + 1] = 0x20
    expect(failure(() => readKerasZip(copy, 'c.keras')).message).toBe("c.keras: entry 'config.json' fails its CRC-32 check (the data is corrupt).")
  })

  it('reports bad JSON and non-UTF-8 bytes in config.json with the entry name', () => {
    expect(failure(() => readKerasZip(kerasZip({'config.json': '{"class_name": '}), 'm.keras')).message).toMatch(/^m\.keras: entry 'config\.json' is not valid JSON/)
    expect(failure(() => readKerasZip(kerasZip({'config.json': Uint8Array.of(0x7b, 0xff, 0x7d)}), 'm.keras')).message).toBe(
      "m.keras: entry 'config.json' is not UTF-8 text.",
    )
  })
})

describe('listKerasZip and readKerasZipEntry', () => {
  it('lists entries with declared sizes and finds the weights member', () => {
    const listing = listKerasZip(standard(), 'm.keras')
    expect(listing.weights).toBe('model.weights.h5')
    expect(listing.entries.map((e) => [e.name, e.size])).toEqual([
      ['metadata.json', METADATA.length],
      ['config.json', CONFIG.length],
      ['model.weights.h5', 64],
    ])
    expect(listKerasZip(kerasZip({'config.json': CONFIG, 'model.weights.npz': 'x'}), 'm.keras').weights).toBe('model.weights.npz')
    expect(listKerasZip(kerasZip({'config.json': CONFIG}), 'm.keras').weights).toBeNull()
  })

  it('inflates one member, or gives null when absent', () => {
    expect(readKerasZipEntry(standard(), 'm.keras', 'model.weights.h5')).toEqual(new Uint8Array(64))
    expect(readKerasZipEntry(standard(), 'm.keras', 'assets/x')).toBeNull()
  })
})

describe('real Keras 3 .keras files, read through a file descriptor', () => {
  it.each(['vae-shared-encoder-keras3.keras', 'custom-l2norm-keras3.keras'])('%s: members STORED (as saving_lib.py writes them), same document as from bytes', async (name) => {
    const bytes = new Uint8Array(readFileSync(fixture(name)))
    expect(listKerasZip(bytes, name).entries.map((e) => [e.name, e.compression])).toEqual([['metadata.json', 0], ['config.json', 0], ['model.weights.h5', 0]])
    const fromFile = await readKerasZipFile(fixture(name), name)
    expect(fromFile).toEqual(readKerasZip(bytes, name))
    expect(fromFile.keras_version).toBe('3.15.1')
  })
})
