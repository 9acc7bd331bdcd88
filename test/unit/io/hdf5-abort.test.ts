/**
 * A corrupt HDF5 file must not break later reads in the same process (io/hdf5-module.ts). fixtures/wasm-abort.h5
 * is a full-model .h5 with four bytes changed (found by fuzzing): its `/model_weights` `backend` string claims
 * 5,308,426 bytes for a 10-byte heap object, so H5Aread fails. h5wasm then freed the string pointers of its
 * uninitialised result buffer, which aborted the wasm instance; with h5wasm's small allocations zeroed
 * (installZeroedAllocations) it is an ordinary HDF5 error. Either way the failed read leaves the file open
 * inside HDF5, so an intact file copied over the same path must be read by a fresh instance, not through the
 * stale open file ("Expected global heap object size does not match" before the fix).
 */
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {FormatError} from '../../../src/core/errors.js'
import {h5wasmInstances, isWasmAbort, loadH5wasm, markFailed, takeFailure} from '../../../src/core/io/hdf5-module.js'
import {readWeights} from '../../../src/core/weights/read.js'
import {writeWeightsH5} from '../../../src/core/weights/write-h5.js'
import {layer, tensor, weightsFile} from '../../helpers/weights-file.js'

const ABORTING = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'wasm-abort.h5')
const dir = mkdtempSync(join(tmpdir(), 'kmodel-abort-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('isolation after a failure inside h5wasm', () => {
  it('recognises aborts and traps, not HDF5 errors', () => {
    const trap = new Error('memory access out of bounds')
    trap.name = 'RuntimeError'
    expect(isWasmAbort(trap)).toBe(true)
    expect(isWasmAbort(new Error('Aborted(native code called abort())'))).toBe(true)
    expect(isWasmAbort(new Error('H5Fopen(): unable to open file'))).toBe(false)
    expect(isWasmAbort('Aborted(x)')).toBe(false)
  })

  it('reads an intact file at the same path after a corrupt one, and refuses the corrupt one again', async () => {
    const good = join(dir, 'good.h5')
    const file = weightsFile([layer('dense', tensor('dense/kernel:0', [3, 4]), tensor('dense/bias:0', [4]))])
    await writeWeightsH5(good, file, {layout: 'keras2', force: false})

    const path = join(dir, 'weights.h5')
    copyFileSync(ABORTING, path)
    const before = h5wasmInstances()
    const corrupt = /'backend' of '\/model_weights': Expected global heap object size does not match/
    const error = await readWeights(path).then(() => null, (e: unknown) => e)
    expect(error).toBeInstanceOf(FormatError)
    expect(error).toMatchObject({code: 'KM_FORMAT_HDF5', exit: 4})
    expect((error as FormatError).message).toMatch(corrupt) // not Aborted(…): the instance survives
    expect(h5wasmInstances()).toBe(before)

    copyFileSync(good, path) // same inode: the failed read left it open in this instance
    const back = await readWeights(path)
    expect(back.layers[0]?.weights.map((w) => [...w.data])).toEqual(file.layers[0]?.weights.map((w) => [...w.data]))
    expect(h5wasmInstances()).toBe(before + 1)

    // The fresh instance refuses the corrupt file for its own corruption, not with leftovers of the intact file.
    copyFileSync(ABORTING, path)
    await expect(readWeights(path)).rejects.toThrow(corrupt)
    const replaced = h5wasmInstances()
    copyFileSync(good, path)
    const again = await readWeights(path)
    expect(again.layers[0]?.weights.map((w) => [...w.data])).toEqual(file.layers[0]?.weights.map((w) => [...w.data]))
    expect(h5wasmInstances()).toBe(replaced + 1)
  })

  it('replaces the instance after an abort or trap', async () => {
    await loadH5wasm()
    const before = h5wasmInstances()
    markFailed(new Error('Aborted(native code called abort())'))
    takeFailure()
    await loadH5wasm()
    expect(h5wasmInstances()).toBe(before + 1)
    await loadH5wasm() // and only once
    expect(h5wasmInstances()).toBe(before + 1)
  })
})
