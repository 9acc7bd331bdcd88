/**
 * Many files at once (issue 7.5): folders are expanded to the model files inside them, and the files are
 * checked in parallel worker threads, results kept in input order.
 */
import {readdir, stat} from 'node:fs/promises'
import {cpus} from 'node:os'
import {join} from 'node:path'
import {Worker} from 'node:worker_threads'
import type {FileCheck} from './check.js'

/** Extensions a folder is searched for (a named file is always taken, whatever its extension). */
const MODEL_FILE = /\.(json|ya?ml|h5|hdf5|keras)$/i

/** Files named directly, and the model files found (recursively, sorted) in folders named. */
export async function expandInputs(inputs: string[]): Promise<{files: string[]; found: Set<string>}> {
  const out: string[] = []
  const found = new Set<string>()
  for (const input of inputs) {
    const info = input === '-' ? undefined : await stat(input).catch(() => undefined)
    if (info?.isDirectory() !== true) {
      out.push(input)
      continue
    }
    const entries = await readdir(input, {recursive: true, withFileTypes: true})
    const files = entries.filter((e) => e.isFile() && MODEL_FILE.test(e.name)).map((e) => join(e.parentPath, e.name)).sort()
    out.push(...files)
    for (const f of files) found.add(f)
  }
  return {files: out, found}
}

/** Files a folder scan finds that hold no architecture: reported as skipped, not as invalid. */
export const NOT_AN_ARCHITECTURE: ReadonlySet<string> = new Set(['KM_FORMAT_WEIGHTS_ONLY', 'KM_FORMAT_H5_NOT_KERAS'])

/**
 * Default parallelism. A worker pays its own start-up (module loading, h5wasm) of ~0.5 s, which only
 * large batches repay (bench/batch.js: 81 files were faster in-process than in 2 workers), so in-process
 * below 200 files, one worker per core above.
 */
export function defaultJobs(files: number): number {
  return files < 200 ? 1 : Math.max(1, Math.min(files, cpus().length))
}

/**
 * Checks files in `jobs` worker threads (each reads and validates one file at a time). `onResult` sees each
 * result as it arrives; the returned list is in input order.
 */
export async function checkInWorkers(files: string[], jobs: number, onResult?: (r: FileCheck, index: number) => void): Promise<FileCheck[]> {
  const results: FileCheck[] = new Array<FileCheck>(files.length)
  let next = 0
  const worker = async (): Promise<void> => {
    const w = new Worker(new URL('./batch-worker.js', import.meta.url))
    try {
      while (next < files.length) {
        const index = next++
        const result = await new Promise<FileCheck>((resolve, reject) => {
          const onMessage = (m: FileCheck): void => {
            w.off('error', reject)
            resolve(m)
          }
          w.once('message', onMessage)
          w.once('error', reject)
          w.postMessage(files[index])
        })
        results[index] = result
        onResult?.(result, index)
      }
    } finally {
      await w.terminate()
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(jobs, files.length))}, worker))
  return results
}
