/**
 * Every HDF5 read checks the global heap collections HDF5 reads (io/hdf5-heap.ts), the weights readers
 * included: the test/bad-inputs/gcol-*.h5 files would otherwise hang HDF5 at 100% CPU while it reads
 * `backend`/`model_config`. gcol-size-low32.h5 declares a collection of 0xcc01030000001000 bytes, which
 * h5wasm's 32-bit size_t reads as 4,096 (found by the 100,000-case fuzz run; it hung before this check).
 */
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {FormatError} from '../../../src/core/errors.js'
import {type ReadAt, collectionFault, signaturesIn} from '../../../src/core/io/hdf5-heap.js'
import {readModel} from '../../../src/core/read.js'
import {readWeights} from '../../../src/core/weights/read.js'

const BAD = ['gcol-zero-size.h5', 'gcol-size-wraps.h5', 'gcol-size-low32.h5'].map((name) => join('test', 'bad-inputs', name))
const dir = mkdtempSync(join(tmpdir(), 'kmodel-gcol-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** A ReadAt over bytes in memory, counting the bytes it hands out. */
function reader(bytes: Uint8Array): ReadAt & {served: number} {
  const read = ((into: Uint8Array, at: number): number => {
    const piece = bytes.subarray(at, at + into.length)
    into.set(piece)
    read.served += piece.length
    return piece.length
  }) as ReadAt & {served: number}
  read.served = 0
  return read
}

/** A collection at `at` of `size` bytes (8-byte lengths) holding the objects given as [index, data size]. */
function collection(declared: bigint, objects: Array<[number, number]>, total: number): Uint8Array {
  const bytes = Buffer.alloc(total)
  bytes.write('GCOL', 0, 'latin1')
  bytes[4] = 1
  bytes.writeBigUInt64LE(declared, 8)
  let p = 16
  for (const [index, size] of objects) {
    bytes.writeUInt16LE(index, p)
    bytes.writeBigUInt64LE(BigInt(size), p + 8)
    p += index > 0 ? 16 + Math.ceil(size / 8) * 8 : size
  }
  return bytes
}

describe('global heap collections, as HDF5 walks them', () => {
  it('accepts a sound collection and finds an object of size 0', () => {
    const sound = collection(4096n, [[1, 10], [2, 6], [0, 4096 - 16 - 32 - 24]], 4096)
    expect(collectionFault(reader(sound), 0, sound.length, 8)).toBe(-1)
    const zero = collection(4096n, [[1, 10], [0, 0]], 4096)
    expect(collectionFault(reader(zero), 0, zero.length, 8)).toBe(48)
  })

  it("walks a size over 32 bits as h5wasm's 32-bit size_t reads it (its low 32 bits)", () => {
    const wraps = collection(0xcc01030000001000n, [[1, 10], [0, 0]], 4096)
    expect(collectionFault(reader(wraps), 0, wraps.length, 8)).toBe(48)
    const beyond = collection(8192n, [[1, 10], [0, 0]], 4096) // past the file: HDF5 refuses the read itself
    expect(collectionFault(reader(beyond), 0, beyond.length, 8)).toBe(-1)
  })

  it('reads a small collection, not a whole window', () => {
    const small = collection(4096n, [[1, 10], [0, 4096 - 16 - 32]], 3 * 2 ** 20) // a 4 KiB collection in a 3 MiB file
    const read = reader(small)
    expect(collectionFault(read, 0, small.length, 8)).toBe(-1)
    expect(read.served).toBeLessThanOrEqual(4096 + 16)
  })

  it('reads a large collection through a bounded window, not whole', () => {
    const size = 3 * 2 ** 20
    const big = collection(BigInt(size), [[1, size - 64], [0, 0]], size)
    const read = reader(big)
    expect(collectionFault(read, 0, big.length, 8)).toBe(size - 32) // the second object, after 16 + 16 + (size - 64)
    expect(read.served).toBeLessThanOrEqual(2 * 2 ** 20 + 64)
  })

  it('finds signatures inside a read and split across its edges', () => {
    const file = Buffer.alloc(64)
    file.write('GCOL', 10, 'latin1')
    file.write('GCOL', 30, 'latin1')
    file.write('GCOL', 50, 'latin1')
    const read = reader(file)
    expect(signaturesIn(file.subarray(12, 52), 12, read)).toEqual([30, 10, 50])
    expect(signaturesIn(file.subarray(0, 64), 0, read)).toEqual([10, 30, 50])
    expect(signaturesIn(file.subarray(33, 40), 33, read)).toEqual([30]) // `L` only
  })
})

describe('corrupt collections on every HDF5 read path', () => {
  it.each(BAD)('refuses %s with KM_FORMAT_HDF5 (exit 4) as weights and as a model', async (path) => {
    for (const read of [readWeights, readModel]) {
      const error = await (read(path) as Promise<unknown>).then(() => null, (e: unknown) => e)
      expect(error).toBeInstanceOf(FormatError)
      expect(error).toMatchObject({code: 'KM_FORMAT_HDF5', exit: 4})
      // gcol-size-low32.h5 has more corruption (bytes inserted before it): the weights reader meets that first.
      if (read === readModel || !path.endsWith('low32.h5')) expect((error as Error).message).toMatch(/global heap collection at byte 2048 is corrupt/)
    }
  })

  it('refuses the same bytes given as bytes, and after an 8 MiB user block', async () => {
    const bytes = readFileSync(BAD[0] ?? '')
    await expect(readWeights({bytes, name: 'stdin'})).rejects.toThrow(/stdin could not be opened as HDF5: the global heap/)
    const shifted = join(dir, 'userblock.h5')
    writeFileSync(shifted, Buffer.concat([Buffer.alloc(8 * 2 ** 20), bytes]))
    await expect(readModel(shifted)).rejects.toThrow(`collection at byte ${8 * 2 ** 20 + 2048} is corrupt`)
  })

  it.skipIf(process.platform !== 'linux')('keeps no file descriptor per corrupt file (Linux: /proc/self/fd)', async () => {
    const fds = (): number => readdirSync('/proc/self/fd').length
    await readModel(BAD[2] ?? '').catch(() => undefined)
    const before = fds()
    for (let i = 0; i < 10; i++) {
      for (const path of [...BAD, join('test', 'bad-inputs', 'truncated.h5')]) await readModel(path).catch(() => undefined)
    }
    expect(fds() - before).toBeLessThan(5)
  })
})
