/** Suite b (validation): how a case describes its edits of the base document (see py/suites/validation.py). */
import type {BaseName} from './validation-bases.js'

/** One change to the base document (test/oracle/py/suites/validation.py applies it). */
export interface ValidationEdit {
  /** The entry of config.layers with this name; null: the document's root. */
  layer: string | null
  path: Array<string | number>
  op: 'set' | 'delete' | 'rename'
  /** `set`: the JSON text written in place of the key's value. */
  value?: string
  /** `rename`: the new key. */
  to?: string
}

/** One argument of one base, swept over values (`good` ones are expected to be accepted). */
export interface Sweep {
  base: BaseName
  /** The label in the id (`units`, `layer.units`); the path is ['config', key] unless `path` says otherwise. */
  key: string
  path?: Array<string | number>
  /** The layer edited (default `l`). */
  layer?: string | null
  bad?: readonly string[]
  good?: readonly string[]
}

/** A case spelt out: its id after the base's name, its edits. */
export interface Structural {
  base: BaseName
  label: string
  edits: ValidationEdit[]
  valid?: true
}

/** `set` of a layer's config key (or of `path` below the layer's entry). */
export const set = (key: string | Array<string | number>, value: string, layer: string | null = 'l'): ValidationEdit => ({
  layer, path: typeof key === 'string' ? ['config', key] : key, op: 'set', value,
})
export const del = (key: string | Array<string | number>, layer: string | null = 'l'): ValidationEdit => ({layer, path: typeof key === 'string' ? ['config', key] : key, op: 'delete'})
export const rename = (key: string, to: string, layer: string | null = 'l'): ValidationEdit => ({layer, path: ['config', key], op: 'rename', to})
