/**
 * Every HDF5 open runs the global-heap pre-check (io/hdf5-heap.ts), the weights readers included: the
 * test/bad-inputs/gcol-*.h5 files would otherwise hang HDF5 at 100% CPU while it reads `backend`/`model_config`.
 */
import {copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {FormatError} from '../../../src/core/errors.js'
import {assertFileGlobalHeapsSound, assertGlobalHeapsSound} from '../../../src/core/io/hdf5-heap.js'
import {readWeights} from '../../../src/core/weights/read.js'

const BAD = ['gcol-zero-size.h5', 'gcol-size-wraps.h5'].map((name) => join('test', 'bad-inputs', name))
const dir = mkdtempSync(join(tmpdir(), 'kmodel-gcol-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('GCOL pre-check on the weights path', () => {
  it.each(BAD)('refuses %s with KM_FORMAT_HDF5 (exit 4) before h5wasm sees it', async (path) => {
    const error = await readWeights(path).then(() => null, (e: unknown) => e)
    expect(error).toBeInstanceOf(FormatError)
    expect(error).toMatchObject({code: 'KM_FORMAT_HDF5', exit: 4})
    expect((error as Error).message).toMatch(/global heap collection at byte \d+ is corrupt/)
  })

  it('refuses the same bytes given as bytes, and inside a user block', async () => {
    const bytes = readFileSync(BAD[0] ?? '')
    await expect(readWeights({bytes, name: 'stdin'})).rejects.toThrow(/stdin could not be opened as HDF5: the global heap/)
    const shifted = join(dir, 'userblock.h5')
    writeFileSync(shifted, Buffer.concat([Buffer.alloc(512), bytes]))
    await expect(readWeights(shifted)).rejects.toMatchObject({code: 'KM_FORMAT_HDF5'})
  })

  it('finds the same collection as the in-memory check, also across scan-chunk boundaries', async () => {
    const bytes = readFileSync(BAD[1] ?? '')
    const inMemory = ((): string => {
      try {
        assertGlobalHeapsSound(bytes, 'x')
        return 'sound'
      } catch (error) {
        return (error as Error).message
      }
    })()
    expect(inMemory).toMatch(/corrupt/)
    // 8 MiB of padding before the file puts its collection past the first scan chunk.
    const far = join(dir, 'far.h5')
    const pad = 8 * 2 ** 20 - 2
    writeFileSync(far, Buffer.concat([Buffer.alloc(pad), bytes]))
    const at = Number(/at byte (\d+)/.exec(inMemory)?.[1])
    await expect(assertFileGlobalHeapsSound(far, pad, 'x')).rejects.toThrow(`at byte ${at + pad} is corrupt`)
    const good = join(dir, 'good.h5')
    copyFileSync(join('test', 'unit', 'io', 'fixtures', 'wasm-abort.h5'), good) // its heaps are sound
    await expect(assertFileGlobalHeapsSound(good, 512, 'x')).resolves.toBeUndefined()
  })
})
