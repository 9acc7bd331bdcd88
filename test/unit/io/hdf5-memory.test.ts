/**
 * The memory budget of h5wasm reads (io/hdf5-memory.ts): a corrupt file cannot make h5wasm's memory grow past
 * what the file could need (test/bad-inputs/vlen-length-huge.h5, found by the 100,000-case fuzz run: its
 * `model_config` claims 1.3 GB in a 6 KB file, which grew the process by 1.3 GB for good), and the wrap of
 * WebAssembly.Memory.prototype.grow leaves every other wasm memory alone.
 */
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {h5wasmInstances, loadH5wasm} from '../../../src/core/io/hdf5-module.js'
import {MEMORY_MARGIN_BYTES, withMemoryBudget} from '../../../src/core/io/hdf5-memory.js'
import {readModel} from '../../../src/core/read.js'

describe('h5wasm memory budget', () => {
  it('refuses a string whose stored length is far over the file, without growing the memory', async () => {
    const module = await (await loadH5wasm()).ready
    const before = module.HEAPU8.length
    const instances = h5wasmInstances()
    await expect(readModel(join('test', 'bad-inputs', 'vlen-length-huge.h5'))).rejects.toMatchObject({
      code: 'KM_FORMAT_HDF5',
      message: expect.stringMatching(/reading attribute 'model_config' of '\/' would take over 1,323 MB of memory, far more than this 6,261-byte file can need/) as unknown,
    })
    expect(module.HEAPU8.length).toBeLessThanOrEqual(before + MEMORY_MARGIN_BYTES + 2 * 6261)
    expect(h5wasmInstances()).toBe(instances)
  })

  it('lets a budgeted call grow as far as its budget, and limits no other wasm memory', async () => {
    const module = await (await loadH5wasm()).ready
    const ptr = withMemoryBudget(module, 64 * 2 ** 20, () => module._malloc(32 * 2 ** 20))
    expect(ptr).not.toBe(0)
    module._free(ptr)
    expect(withMemoryBudget(module, 0, () => module._malloc(MEMORY_MARGIN_BYTES + module.HEAPU8.length))).toBe(0)
    const Memory = (globalThis as unknown as {WebAssembly: {Memory: new (d: {initial: number; maximum: number}) => {grow(n: number): number; buffer: ArrayBuffer}}}).WebAssembly.Memory
    const other = new Memory({initial: 1, maximum: 4096})
    withMemoryBudget(module, 0, () => other.grow(2048)) // 128 MiB, during an h5wasm budget of nothing
    expect(other.buffer.byteLength).toBe(2049 * 65536)
  })
})
