/**
 * A corrupt HDF5 file that makes HDF5 abort() inside wasm must not break later reads in the same process
 * (io/hdf5-module.ts). fixtures/wasm-abort.h5 is a full-model .h5 with four bytes changed (found by fuzzing):
 * reading its `model_weights` attributes aborts in wasm. Before the fix the aborted file stayed open inside
 * HDF5, so an intact file copied over the same path then failed with "Expected global heap object size does
 * not match". Its own file, because the point is the first abort of a fresh h5wasm instance.
 */
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {FormatError} from '../../../src/core/errors.js'
import {h5wasmInstances, isWasmAbort} from '../../../src/core/io/hdf5-module.js'
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

  it('reads an intact file at the same path after a file that aborted h5wasm', async () => {
    const good = join(dir, 'good.h5')
    const file = weightsFile([layer('dense', tensor('dense/kernel:0', [3, 4]), tensor('dense/bias:0', [4]))])
    await writeWeightsH5(good, file, {layout: 'keras2', force: false})

    const path = join(dir, 'weights.h5')
    copyFileSync(ABORTING, path)
    const before = h5wasmInstances()
    const error = await readWeights(path).then(() => null, (e: unknown) => e)
    expect(error).toBeInstanceOf(FormatError)
    expect(error).toMatchObject({code: 'KM_FORMAT_HDF5', exit: 4})
    expect((error as FormatError).message).toMatch(/Aborted\(/)

    copyFileSync(good, path) // same inode: the aborted instance still has it open
    const back = await readWeights(path)
    expect(back.layers[0]?.weights.map((w) => [...w.data])).toEqual(file.layers[0]?.weights.map((w) => [...w.data]))
    expect(h5wasmInstances()).toBe(before + 1)

    // And the fresh instance refuses the corrupt file for its own corruption, not with leftovers of the intact
    // file (which would read it back as intact). Either way of failing is the corrupt file's own: its
    // `/model_weights` `backend` string claims 5,308,426 bytes for a 10-byte heap object, so H5Aread fails
    // with "Expected global heap object size does not match"; h5wasm's get_attr then frees the pointer in its
    // uninitialised result buffer (reclaim_vlen_memory in a `finally`), which aborts only when those bytes hold
    // garbage. That depends on the instance's allocation history, not on leftovers: with zero-filled mallocs it
    // never aborts, and a fresh instance that has read two intact files first (no abort) gives the message too.
    copyFileSync(ABORTING, path)
    await expect(readWeights(path)).rejects.toThrow(/'backend' of '\/model_weights': (Aborted\(|Expected global heap object size does not match)/)

    // Whichever way it failed, the instance is replaced: an HDF5 error raised by h5wasm's C++ helpers unwinds
    // through HDF5 without closing what it opened (here the attribute, so the file stays open), and a file later
    // copied over the same path would be read through the stale open file.
    const replaced = h5wasmInstances()
    copyFileSync(good, path)
    const again = await readWeights(path)
    expect(again.layers[0]?.weights.map((w) => [...w.data])).toEqual(file.layers[0]?.weights.map((w) => [...w.data]))
    expect(h5wasmInstances()).toBe(replaced + 1)
  })
})
