/**
 * Confining HDF5 to the files kmodel opened itself: the last line of defence against a file that makes HDF5
 * read another file (issue #13).
 *
 * HDF5 opens other files on its own when a file asks it to: the target of an external link (when the link
 * is traversed), the raw-data files of a dataset with EXTERNAL storage (when it is read), the source files
 * of a virtual dataset (when it is read). The Node build of h5wasm reaches the host file system through
 * emscripten's NODERAWFS, every open going through `FS.open`. installOpenGuard() wraps that function: only
 * paths a session has permitted (the file withH5File or withNewH5File opens) may be opened; any other open
 * fails with EACCES before the host file is touched — so a FIFO never blocks and no outside byte is read —
 * and is recorded, so the read that caused it can be reported as KM_FORMAT_HDF5_EXTERNAL naming the object.
 *
 * hdf5-links.ts refuses external links by their link type before any traversal, and hdf5-read.ts refuses
 * virtual datasets by their layout; h5wasm does not expose EXTERNAL storage (no H5Pget_external_count), so
 * for that case this guard is the detector.
 */
import {closeSync} from 'node:fs'
import {resolve} from 'node:path'
import {FormatError} from '../errors.js'
import type {H5wasm} from './h5wasm-type.js'

type H5Module = Awaited<H5wasm['ready']>
type FsOpen = (path: unknown, ...rest: unknown[]) => unknown
/** What kmodel touches of an emscripten NODERAWFS stream: its path as opened and the host file descriptor. */
interface Stream {
  path?: unknown
  nfd?: number
}
interface Fs {
  open: FsOpen
  streams: Array<Stream | null | undefined>
  ErrnoError: new (errno: number) => Error
}

const HINT = 'kmodel reads nothing outside the file it is given (no external links, external storage or virtual datasets); save the model again with its data inside the file.'

/** KM_FORMAT_HDF5_EXTERNAL: `what` (e.g. "'/a' is an external link to 'x.h5:/b', outside the file") is refused. */
export function outsideError(source: string, what: string, cause?: unknown): FormatError {
  return new FormatError('KM_FORMAT_HDF5_EXTERNAL', `${source}: ${what}.`, cause === undefined ? {hint: HINT} : {hint: HINT, cause})
}

/** emscripten's errno for EACCES (its own numbering, not the host's). */
const EMSCRIPTEN_EACCES = 2

/** open(2) flags in emscripten's (Linux's) numbering: O_CREAT | O_EXCL. */
const O_CREAT_EXCL = 0o300

/** The names musl's tmpfile(3) gives. */
const PRIVATE_TEMP = /^\/tmp\/tmpfile_\w+$/

/**
 * h5wasm's error handler formats HDF5's error stack through tmpfile(3), which musl creates as a new
 * `/tmp/tmpfile_XXXXXX` with O_CREAT|O_EXCL: a file that did not exist, so opening it reads nothing.
 */
function isPrivateTempFile(path: string, flags: unknown): boolean {
  return typeof flags === 'number' && (flags & O_CREAT_EXCL) === O_CREAT_EXCL && PRIVATE_TEMP.test(path)
}

/** Per module: how many sessions permit each absolute path, and the opens refused since the last take. */
interface Confinement {
  permitted: Map<string, number>
  refused: string[]
}

const confinements = new WeakMap<H5Module, Confinement>()

/** Wraps the module's FS.open once, so that only permitted paths can be opened. */
export function installOpenGuard(module: H5Module): void {
  if (confinements.has(module)) return
  const state: Confinement = {permitted: new Map(), refused: []}
  confinements.set(module, state)
  const fs = module.FS as unknown as Fs
  const original = fs.open
  fs.open = function (this: unknown, path: unknown, ...rest: unknown[]) {
    const wanted = typeof path === 'string' ? resolve(path) : String(path)
    if (!state.permitted.has(wanted) && !isPrivateTempFile(wanted, rest[0])) {
      if (state.refused.length < 16) state.refused.push(wanted)
      throw new fs.ErrnoError(EMSCRIPTEN_EACCES) // HDF5 sees a failed open(2), as for an unreadable file
    }
    return original.call(this, path, ...rest)
  }
}

/**
 * Closes the host file descriptors of streams HDF5 left open on `path` after its last session ended. h5wasm's
 * error path unwinds HDF5 without closing what it opened (hdf5-module.ts), so each failed open or read of a
 * corrupt file kept one descriptor until exit, and so did the temp file its error handler formats each HDF5
 * error stack in (isPrivateTempFile; retired once no session is open). The stream itself stays in the table with no host descriptor
 * (nfd -1; hdf5-direct.ts fails its reads and writes with EBADF): its number is never handed out again, and
 * the stale HDF5 file that holds it is never used — a file opened again after a failure gets a fresh instance.
 */
function retireStreams(fs: Fs, retire: (path: string) => boolean): void {
  for (const stream of fs.streams) {
    if (typeof stream?.path !== 'string' || !retire(stream.path) || typeof stream.nfd !== 'number' || stream.nfd <= 2) continue
    try {
      closeSync(stream.nfd)
    } catch {
      // already closed: nothing held
    }
    stream.nfd = -1
  }
}

/** Lets HDF5 open `path` until the returned function is called (sessions nest and may share a path). */
export function permitOpen(module: H5Module, path: string): () => void {
  const state = confinements.get(module)
  if (state === undefined) return () => {}
  const key = resolve(path)
  state.permitted.set(key, (state.permitted.get(key) ?? 0) + 1)
  let done = false
  return () => {
    if (done) return
    done = true
    const n = (state.permitted.get(key) ?? 1) - 1
    if (n > 0) {
      state.permitted.set(key, n)
      return
    }
    state.permitted.delete(key)
    const idle = state.permitted.size === 0 // no h5wasm call is running: its error temp files are done with
    retireStreams(module.FS as unknown as Fs, (p) => p === key || (idle && PRIVATE_TEMP.test(p)))
  }
}

/** The paths refused since the last call (oldest first), and forgets them. */
export function takeRefusedOpens(module: H5Module): string[] {
  const state = confinements.get(module)
  if (state === undefined || state.refused.length === 0) return []
  return state.refused.splice(0)
}
