/**
 * Private temp files for h5wasm, which reads only real files: HDF5 bytes from stdin, a `.keras` member. The file
 * is written into a fresh 0700 folder (mode 0600), handed to `fn`, and the folder is always removed.
 *
 * A failed HDF5 read can leave its file open inside h5wasm (hdf5-module.ts), and HDF5 hands a file it has open to
 * the next open of the same device and inode. Temp files are deleted and created all the time, so a new one often
 * gets a deleted one's inode: a staged file whose inode is marked that way is staged again while the first still
 * exists (so the inode differs) — no stale file is read, and no fresh h5wasm instance is needed for it.
 */
import {mkdtemp, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {isTainted} from './hdf5-module.js'

/** A fresh private folder with `name` written into it by `write`. */
async function stageOnce(prefix: string, name: string, write: (path: string) => Promise<void>): Promise<{dir: string; path: string; identity: string}> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  const path = join(dir, name)
  try {
    await write(path)
    const st = await stat(path, {bigint: true})
    return {dir, path, identity: `${st.dev}:${st.ino}`}
  } catch (error) {
    await rm(dir, {recursive: true, force: true})
    throw error
  }
}

/** Stages a file (`write` creates it at the path given), runs `fn` on it, and always removes it. */
export async function withStagedFile<T>(prefix: string, name: string, write: (path: string) => Promise<void>, fn: (path: string) => Promise<T>): Promise<T> {
  const dirs: string[] = []
  try {
    let staged = await stageOnce(prefix, name, write)
    dirs.push(staged.dir)
    for (let tries = 0; isTainted(staged.identity) && tries < 8; tries++) {
      staged = await stageOnce(prefix, name, write)
      dirs.push(staged.dir)
    }
    return await fn(staged.path)
  } finally {
    await Promise.all(dirs.map((dir) => rm(dir, {recursive: true, force: true})))
  }
}
