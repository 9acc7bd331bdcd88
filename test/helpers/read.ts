/** Reading inline documents in tests through the real readModel path. */
import {readModel, type ReadResult} from '../../src/core/read.js'

/** Reads a JSON-serialisable value (or raw text) as if it were a file named `name`. */
export async function readDoc(doc: unknown, name = 'test.json'): Promise<ReadResult> {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc)
  return readModel({bytes: new TextEncoder().encode(text), name})
}

/** The thrown error of a promise, for asserting code / message / path. */
export async function errorOf(promise: Promise<unknown>): Promise<{code: string; message: string; path?: string; hint?: string; exit: number}> {
  try {
    await promise
  } catch (error) {
    return error as {code: string; message: string; path?: string; hint?: string; exit: number}
  }
  throw new Error('expected a rejection')
}

/** A legacy functional layer entry. */
export function fnLayer(cls: string, name: string, inputs: Array<[string, number, number]>, config: Record<string, unknown> = {}): Record<string, unknown> {
  return {class_name: cls, config: {name, ...config}, name, inbound_nodes: inputs.length === 0 ? [] : [inputs.map(([l, n, t]) => [l, n, t, {}])]}
}

/** A legacy functional model document. */
export function functional(layers: Array<Record<string, unknown>>, inputs: string[], outputs: string[]): Record<string, unknown> {
  return {class_name: 'Functional', config: {name: 'm', layers, input_layers: inputs.map((n) => [n, 0, 0]), output_layers: outputs.map((n) => [n, 0, 0])}, keras_version: '2.12.0', backend: 'tensorflow'}
}
