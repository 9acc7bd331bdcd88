/**
 * Writing a tfjs model folder atomically (DESIGN.md, "Files written"): every file goes into a temporary
 * folder beside the target (`.<name>.<pid>.<hex>.tmp`), is flushed, and the folder is renamed into place.
 * An existing target is replaced only with `force` and only when it holds nothing but a tfjs model
 * (model.json and group*-shard*.bin files): the old folder is renamed aside, the new one renamed in, the old
 * one removed. A failure at any step leaves the old folder (or no folder), never a half-written one.
 */
import {randomBytes} from 'node:crypto'
import {lstat, mkdir, open, readdir, rename, rm} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {InputError, UsageError} from '../errors.js'
import {removeStaleTemps} from '../files.js'

/** One file of the folder: its name and content (a list of pieces is written one after the other). */
export interface FolderFile {
  name: string
  data: Uint8Array | string | readonly Uint8Array[]
}

/** Names a tfjs model folder may hold (what tensorflowjs_converter writes). */
const MODEL_FILE = /^(model\.json|group\d+-shard\d+of\d+(\.bin)?|weights_manifest\.json)$/

function tempName(dir: string, tag: string): string {
  return join(dirname(dir), `.${basename(dir)}.${process.pid}.${tag}${randomBytes(6).toString('hex')}.tmp`)
}


function exists(dir: string, hint: string): UsageError {
  return new UsageError('KM_USAGE_OUTPUT_EXISTS', `Output folder ${dir} already exists.`, {hint})
}

/**
 * What is at `dir` now: nothing, an empty folder, or a tfjs model folder (replaceable with force).
 * InputError for a file, a symlink, or a folder holding anything else.
 */
async function existing(dir: string, force: boolean): Promise<'none' | 'empty' | 'model'> {
  const info = await lstat(dir).catch(() => undefined)
  if (info === undefined) return 'none'
  if (info.isSymbolicLink()) throw new InputError('KM_INPUT_OUTPUT_SYMLINK', `Output ${dir} is a symbolic link.`, {hint: 'Give the real folder path to --output, or a new folder name.'})
  if (!info.isDirectory()) throw new InputError('KM_INPUT_OUTPUT_NOT_DIR', `Output ${dir} is a file; a TensorFlow.js model is a folder.`, {hint: 'Give a folder path (new, or one holding a tfjs model) to --output.'})
  const names = await readdir(dir)
  if (names.length === 0) return 'empty'
  const other = names.find((n) => !MODEL_FILE.test(n))
  if (other !== undefined || !names.includes('model.json')) {
    throw exists(dir, `It holds ${other === undefined ? 'no model.json' : `'${other}'`}, so it is not a TensorFlow.js model folder; kmodel writes only into a new or empty folder, or replaces a tfjs model folder with --force.`)
  }
  if (!force) throw exists(dir, 'Pass --force to replace the model in it, or choose another --output.')
  return 'model'
}

async function writeOne(path: string, data: FolderFile['data']): Promise<void> {
  const handle = await open(path, 'wx', 0o644)
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data)
    else for (const piece of data) await handle.writeFile(piece)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function writeFailed(dir: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code
  return new InputError('KM_INPUT_WRITE_FAILED', `Cannot write ${dir} (${code ?? String(error)}).`, {
    hint: code === 'ENOENT' ? 'The folder that should hold the output does not exist; create it first.' : 'Check the output location exists and is writable.',
    cause: error,
  })
}

/** Writes `files` as the folder `dir`, atomically; replaces an existing tfjs model folder only with `force`. */
export async function writeFolderAtomic(dirIn: string, files: readonly FolderFile[], force: boolean): Promise<void> {
  const dir = resolve(dirIn)
  const before = await existing(dir, force)
  await removeStaleTemps(dir)
  const temp = tempName(dir, '')
  try {
    await mkdir(temp, {mode: 0o755})
    for (const file of files) await writeOne(join(temp, file.name), file.data)
  } catch (error) {
    await rm(temp, {recursive: true, force: true})
    throw writeFailed(dirIn, error)
  }
  const old = before === 'model' ? tempName(dir, 'old') : null
  try {
    if (old !== null) await rename(dir, old)
    await rename(temp, dir) // POSIX rename replaces an empty folder
  } catch (error) {
    if (old !== null) await rename(old, dir).catch(() => undefined) // put the old model back where it was
    await rm(temp, {recursive: true, force: true})
    throw writeFailed(dirIn, error)
  }
  if (old !== null) await rm(old, {recursive: true, force: true}).catch(() => undefined) // leftover is swept next time
}
