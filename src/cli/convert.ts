/** Shared by to-json and to-yaml: read, convert the dialect, write the document to stdout or atomically. */
import type {Dialect} from '../core/model/spec.js'
import {convertModel} from '../core/model/dialect.js'
import {lazyShapeLookup} from '../core/graph/shape-lookup.js'
import type {Json} from '../core/json.js'
import {writeFileAtomic} from '../core/files.js'
import type {ReadResult} from '../core/read.js'
import type {Warning} from '../core/errors.js'

/** What to-json / to-yaml report with --json. */
export interface ConvertResult {
  output: string | null
  format: 'json' | 'yaml'
  dialect: Dialect
  sourceFormat: string
  layers: number
}

/** Converts and serialises; returns the text, the result and the conversion warnings. */
export function convertRead(read: ReadResult, dialect: Dialect | undefined, serialize: (doc: Json) => string): {text: string; warnings: Warning[]; dialect: Dialect} {
  const target = dialect ?? read.model.dialect
  // Shapes only for the legacy form (a MultiHeadAttention's build shapes); Keras 3 ignores its tensor shapes on load.
  const shapes = target === 'keras2' ? lazyShapeLookup(read.model) : undefined
  const {document, warnings} = convertModel(read.model, target, shapes, read.source)
  return {text: serialize(document), warnings, dialect: target}
}

/** Writes to the output file, or returns false when the text should go to stdout. */
export async function emit(text: string, output: string | undefined, force: boolean): Promise<boolean> {
  if (output === undefined || output === '-') return false
  await writeFileAtomic(output, text.endsWith('\n') ? text : `${text}\n`, force)
  return true
}
