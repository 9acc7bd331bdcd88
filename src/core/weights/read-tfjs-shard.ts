/**
 * Opening one tfjs weight shard so that a model.json reads nothing outside its own folder (issue #13).
 *
 * read-tfjs-manifest.ts already refuses absolute paths, URLs and `..` segments. Here the shard is resolved
 * with realpath (the folder too), so a symlink that leads out of the folder is refused; it must be a regular
 * file, checked with stat before any open, so a FIFO (which would block the open), a device or a folder is
 * refused without being opened. The open itself uses O_NONBLOCK and is checked again with fstat against
 * the same device and inode, so a file swapped for a FIFO in between neither blocks nor gets read.
 */
import {constants} from 'node:fs'
import {type FileHandle, open, realpath, stat} from 'node:fs/promises'
import {isAbsolute, relative, resolve} from 'node:path'
import {FormatError, InputError} from '../errors.js'

/** What a stat says a non-regular file is, for messages. */
function kindOf(s: {isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean}): string {
  if (s.isDirectory()) return 'a folder'
  if (s.isFIFO()) return 'a FIFO (named pipe)'
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device'
  if (s.isSocket()) return 'a socket'
  return 'not a regular file'
}

/** Where a shard is named: the model.json, the manifest entry (`$.weightsManifest[0].paths[1]`) and its text. */
export interface ShardRef {
  source: string
  where: string
  path: string
}

function unreadable(ref: ShardRef, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code
  return new InputError(code === 'ENOENT' ? 'KM_INPUT_NOT_FOUND' : 'KM_INPUT_UNREADABLE', `${ref.source}: weight shard '${ref.path}' (${ref.where}) ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`}.`, {
    hint: 'Keep the .bin shards in the folder of model.json, under the names its weightsManifest lists.',
    cause: error,
  })
}

function refused(ref: ShardRef, what: string): FormatError {
  return new FormatError('KM_FORMAT_TFJS_SHARD_PATH', `${ref.source}: weight shard '${ref.path}' (${ref.where}) ${what}.`, {
    path: ref.where,
    hint: 'kmodel reads shards only as regular files inside the folder of model.json; copy the real .bin files there.',
  })
}

/**
 * Opens the shard `ref.path` of the model.json in `dir` read-only, after checking that its real path lies
 * inside the real path of `dir` and that it is a regular file. FormatError KM_FORMAT_TFJS_SHARD_PATH
 * otherwise; InputError when it is missing or unreadable.
 */
export async function openShard(dir: string, ref: ShardRef): Promise<{handle: FileHandle; size: number}> {
  let real: string
  let realDir: string
  try {
    realDir = await realpath(dir)
    real = await realpath(resolve(dir, ref.path))
  } catch (error) {
    throw unreadable(ref, error)
  }
  const inside = relative(realDir, real)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw refused(ref, `leads to '${real}', outside the folder of the model.json`)
  const before = await stat(real).catch((error: unknown) => {
    throw unreadable(ref, error)
  })
  if (!before.isFile()) throw refused(ref, `is ${kindOf(before)}, not a regular file`)
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
    throw unreadable(ref, error)
  })
  try {
    const after = await handle.stat()
    if (!after.isFile() || after.ino !== before.ino || after.dev !== before.dev) throw refused(ref, 'changed while it was being opened')
    return {handle, size: after.size}
  } catch (error) {
    await handle.close()
    throw error
  }
}
