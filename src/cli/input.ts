/** Reading the MODEL argument: a path, or `-` for standard input (outside core, which never touches process). */
import {validateRead} from '../core/check.js'
import {type ReadResult, readModel} from '../core/read.js'

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * Reads the model named on the command line and, unless `validate` is false, runs the validation pass on it
 * (a model Keras would refuse to load is refused with exit 4; its warnings join the read's).
 */
export async function loadModel(arg: string, opts: {validate?: boolean} = {}): Promise<ReadResult> {
  const read = arg === '-' ? await readModel({bytes: await readStdin(), name: '<stdin>'}) : await readModel(arg)
  return opts.validate === false ? read : validateRead(read)
}
