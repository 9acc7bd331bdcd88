/**
 * Private temp files for h5wasm, which reads only real files: HDF5 bytes from stdin, a `.keras` member. The file
 * is written into a fresh 0700 folder (mode 0600), handed to `fn`, and the folder is always removed.
 *
 * A failed HDF5 read can leave its file open inside h5wasm (hdf5-module.ts), and HDF5 hands a file it has open to
 * the next open of the same device and inode. Temp files are deleted and created all the time, so a new one often
 * gets a deleted one's inode: marked inodes are first taken by empty placeholder files, and a staged file that
 * still lands on one is staged again while the first exists (so the inode differs) — no stale file is read, and
 * no fresh h5wasm instance is needed for it (each costs memory that is never given back).
 */
import {mkdtemp, rm, stat, unlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {isTainted} from './hdf5-module.js'

/** Device:inode of a file. */
async function identityOf(path: string): Promise<string> {
  const st = await stat(path, {bigint: true})
  return `${st.dev}:${st.ino}`
}

/**
 * Empty files in `dir` until one lands on an inode no failed read marked (or `limit` tries): each marked inode
 * they land on stays taken by them, so the file staged next cannot get it. The file system hands out a freed
 * inode again soon, so after a run of failures the most recent inodes are all marked.
 */
async function occupyTainted(dir: string, limit: number): Promise<void> {
  for (let i = 0; i < limit; i++) {
    const hold = join(dir, `.hold-${i}`)
    await writeFile(hold, '', {mode: 0o600})
    if (!isTainted(await identityOf(hold))) {
      await unlink(hold)
      return
    }
  }
}

/** Stages a file (`write` creates it at the path given), runs `fn` on it, and always removes it. */
export async function withStagedFile<T>(prefix: string, name: string, write: (path: string) => Promise<void>, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  try {
    let path = join(dir, name)
    for (let tries = 0; ; tries++) {
      await occupyTainted(dir, 4096)
      await write(path)
      if (tries >= 8 || !isTainted(await identityOf(path))) break
      path = join(dir, `${tries}-${name}`) // the marked one stays, holding its inode
    }
    return await fn(path)
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
