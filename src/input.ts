/** Reading the MODEL argument: a path, or `-` for standard input (outside core, which never touches process). */
import {type ReadResult, readModel} from './core/read.js'

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Reads the model named on the command line. */
export async function loadModel(arg: string): Promise<ReadResult> {
  return arg === '-' ? readModel({bytes: await readStdin(), name: '<stdin>'}) : readModel(arg)
}
