/**
 * Output files are written atomically: into a temporary file in the same folder, flushed, then renamed over
 * the target. A killed or failed run leaves the old file (or no file), never a truncated one.
 */
import {randomBytes} from 'node:crypto'
import {open, rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {InputError} from './errors.js'

/** Refuses to replace an existing file unless `force` is set. */
export async function checkOverwrite(path: string, force: boolean): Promise<void> {
  const existing = await stat(path).catch(() => undefined)
  if (existing?.isDirectory()) {
    throw new InputError('KM_INPUT_OUTPUT_IS_DIR', `Output ${path} is a folder.`, {hint: 'Give a file path to --output.'})
  }
  if (existing !== undefined && !force) {
    throw new InputError('KM_INPUT_OUTPUT_EXISTS', `Output ${path} already exists.`, {hint: 'Pass --force to overwrite it, or choose another --output.'})
  }
}

/** Writes `data` to `path` atomically (temp file + fsync + rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, force: boolean): Promise<void> {
  await checkOverwrite(path, force)
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temp, 'wx', 0o644)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await rm(temp, {force: true})
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError('KM_INPUT_WRITE_FAILED', `Cannot write ${path} (${code ?? String(error)}).`, {
      hint: code === 'ENOENT' ? 'The output folder does not exist; create it first.' : 'Check the output folder exists and is writable.',
      cause: error,
    })
  }
}
