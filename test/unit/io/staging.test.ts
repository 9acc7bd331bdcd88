/**
 * Staged temp files (io/staging.ts) never land on an inode a failed HDF5 read marked (taint): HDF5 would hand the
 * stale open file to the new one, or kmodel would need a fresh h5wasm instance, whose memory is never given
 * back. File systems hand freed inodes out again at once, so after a run of failures the next files created are
 * exactly the marked ones.
 */
import {stat, writeFile} from 'node:fs/promises'
import {describe, expect, it} from 'vitest'
import {isTainted, taint} from '../../../src/core/io/hdf5-module.js'
import {withStagedFile} from '../../../src/core/io/staging.js'

const identity = async (path: string): Promise<string> => {
  const st = await stat(path, {bigint: true})
  return `${st.dev}:${st.ino}`
}

describe('withStagedFile', () => {
  it('stages on an unmarked inode after 40 staged files were marked, and removes everything', async () => {
    const marked: string[] = []
    for (let i = 0; i < 40; i++) {
      await withStagedFile('kmodel-stage-test-', 'x.h5', (p) => writeFile(p, 'a'), async (p) => {
        const id = await identity(p)
        taint(id) // as a failed read of it would
        marked.push(id)
      })
    }
    let staged = ''
    let folder = ''
    const content = await withStagedFile('kmodel-stage-test-', 'x.h5', (p) => writeFile(p, 'payload'), async (p) => {
      staged = await identity(p)
      folder = p
      return (await import('node:fs/promises')).readFile(p, 'utf8')
    })
    expect(content).toBe('payload')
    expect(isTainted(staged)).toBe(false)
    expect(marked.every((id) => isTainted(id))).toBe(true)
    await expect(stat(folder)).rejects.toMatchObject({code: 'ENOENT'})
  })
})
