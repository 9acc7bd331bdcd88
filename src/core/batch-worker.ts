/** Worker thread of batch.ts: checks one file per message and posts the FileCheck back. */
import {parentPort} from 'node:worker_threads'
import {checkModelFile} from './check.js'

parentPort?.on('message', (file: string) => {
  checkModelFile(file).then(
    (result) => parentPort?.postMessage(result),
    (error: unknown) => parentPort?.postMessage({
      file, valid: false, className: null, kerasVersion: null, layers: null, warnings: [], exit: 1,
      errors: [{path: '$', message: error instanceof Error ? error.message : String(error), code: 'KM_UNEXPECTED', hint: 'This was unexpected; please report it.'}],
    }),
  )
})
