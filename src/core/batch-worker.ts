/** Worker thread of batch.ts: runs one BatchTask per message (a from-config check or a summary) and posts the result back. */
import {parentPort} from 'node:worker_threads'
import type {BatchTask} from './batch.js'

/** The check of a file that threw something other than a KmodelError (a bug): exit 1, as in-process. */
function unexpectedCheck(file: string, error: unknown): unknown {
  return {
    file, valid: false, className: null, kerasVersion: null, layers: null, warnings: [], exit: 1,
    errors: [{path: '$', message: error instanceof Error ? error.message : String(error), code: 'KM_UNEXPECTED', hint: 'This was unexpected; please report it.'}],
  }
}

/** The summary of a file whose module failed to load: exit 1 (summarizeFile itself never throws). */
function unexpectedSummary(file: string, error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error)
  return {result: {file, ok: false, error: {code: 'KM_UNEXPECTED', message, hint: 'This was unexpected; please report it.'}}, exit: 1, warnings: []}
}

async function run(task: BatchTask): Promise<unknown> {
  if (task.kind === 'summary') {
    const {summarizeFile} = await import('./batch.js')
    return summarizeFile(task.file, task.options).catch((error: unknown) => unexpectedSummary(task.file, error))
  }
  const {checkModelFile} = await import('./check.js')
  return checkModelFile(task.file).catch((error: unknown) => unexpectedCheck(task.file, error))
}

parentPort?.on('message', (task: BatchTask) => {
  run(task).then(
    (result) => parentPort?.postMessage(result),
    (error: unknown) => parentPort?.postMessage(task.kind === 'summary' ? unexpectedSummary(task.file, error) : unexpectedCheck(task.file, error)),
  )
})
