/**
 * Writing a mutated document back to text the way the files it imitates are written: Keras's one-line
 * to_json(), an indented JSON, or to_yaml()-style YAML. Bare-number markers become tokens afterwards.
 */
import fc from 'fast-check'
import {stringifyPythonJson} from '../../../src/core/formats/python-json.js'
import {dumpKerasYaml} from '../../../src/core/formats/yaml.js'
import type {Json} from '../../../src/core/json.js'
import {restoreRawTokens} from './mutate.js'

/** The text layouts a mutated document is written in. */
export type TextLayout = 'json' | 'json-indent' | 'yaml'

/** Arbitrary layout. */
export const layoutArb: fc.Arbitrary<TextLayout> = fc.constantFrom('json', 'json-indent', 'yaml')

/** The document as text in `layout`. */
export function serialize(doc: Json, layout: TextLayout): string {
  const text = layout === 'yaml' ? dumpKerasYaml(doc) : stringifyPythonJson(doc, layout === 'json' ? null : 2)
  return restoreRawTokens(text)
}
