/**
 * Output files are written atomically: into a temporary file in the same folder, flushed, then renamed over
 * the target. A killed or failed run leaves the old file (or no file), never a truncated one.
 *
 * The temporary file is `.<name>.<pid>.<hex>.tmp`. A failed write removes it; only a run killed outright
 * (SIGKILL, power loss) can leave one behind. The next write to the same output removes such leftovers whose
 * process is gone, so they never pile up; a temp of a live process (a concurrent write) is left alone.
 */
import {randomBytes} from 'node:crypto'
import {open, readdir, rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {InputError, UsageError} from './errors.js'

/** `.<name>.<pid>.<hex>.tmp` for `path`, written by process `pid`. */
function tempName(path: string, pid: number): string {
  return join(dirname(path), `.${basename(path)}.${pid}.${randomBytes(6).toString('hex')}.tmp`)
}

/** True when process `pid` exists (signal 0 only checks; EPERM means it exists under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes temps a killed writer of `path` left behind: `.<name>.<pid>.<hex>.tmp` files, and the folders (and
 * `.old` folders) of a folder writer (formats/write-tfjs-folder.ts). Best effort: a leftover that cannot be removed
 * stays.
 */
export async function removeStaleTemps(path: string): Promise<void> {
  const name = basename(path)
  const names = await readdir(dirname(path)).catch(() => [] as string[]) // unlistable folder: the write itself reports it
  for (const entry of names) {
    if (!entry.startsWith(`.${name}.`)) continue
    const match = /^\.(\d+)\.(old)?[0-9a-f]{12}\.tmp$/.exec(entry.slice(name.length + 1))
    if (match === null || processAlive(Number(match[1]))) continue
    await rm(join(dirname(path), entry), {recursive: true, force: true}).catch(() => undefined) // best effort, see above
  }
}

/** Refuses to replace an existing file unless `force` is set. */
export async function checkOverwrite(path: string, force: boolean): Promise<void> {
  const existing = await stat(path).catch(() => undefined)
  if (existing?.isDirectory()) {
    throw new InputError('KM_INPUT_OUTPUT_IS_DIR', `Output ${path} is a folder.`, {hint: 'Give a file path to --output.'})
  }
  if (existing !== undefined && !force) {
    throw new UsageError('KM_USAGE_OUTPUT_EXISTS', `Output ${path} already exists.`, {hint: 'Pass --force to overwrite it, or choose another --output.'})
  }
}

/** Writes `data` to `path` atomically (temp file + fsync + rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, force: boolean): Promise<void> {
  await checkOverwrite(path, force)
  await removeStaleTemps(path)
  const temp = tempName(path, process.pid)
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
