/** Reading the MODEL argument: a path, or `-` for standard input (outside core, which never touches process). */
import {validateRead} from '../core/check.js'
import {FormatError} from '../core/errors.js'
import {DEFAULT_MAX_STDIN_BYTES, envLimit} from '../core/limits.js'
import {type ReadResult, readModel} from '../core/read.js'

/**
 * Standard input, held in memory: refused once it passes KMODEL_MAX_STDIN_BYTES (2 GiB by default), so an
 * endless pipe cannot exhaust memory. A file given by its path is never read whole.
 */
async function readStdin(): Promise<Uint8Array> {
  const max = envLimit('KMODEL_MAX_STDIN_BYTES', DEFAULT_MAX_STDIN_BYTES)
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length
    if (total > max) {
      process.stdin.destroy()
      throw new FormatError('KM_FORMAT_FILE_TOO_LARGE', `<stdin> passes the ${max}-byte limit on standard input.`, {
        hint: 'Give the file by its path (it is then never read whole), or raise the limit with KMODEL_MAX_STDIN_BYTES=N.',
      })
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks, total)
}

/**
 * Reads the model named on the command line and, unless `validate` is false, runs the validation pass on it
 * (a model Keras would refuse to load is refused with exit 4; its warnings join the read's).
 */
export async function loadModel(arg: string, opts: {validate?: boolean} = {}): Promise<ReadResult> {
  const read = arg === '-' ? await readModel({bytes: await readStdin(), name: '<stdin>'}) : await readModel(arg)
  return opts.validate === false ? read : validateRead(read)
}
