/**
 * `model.to_yaml()` documents (Keras 1.x – tf.keras 2.5; removed afterwards for CVE-2021-37678).
 *
 * Keras dumped configs with PyYAML's default Dumper, so every tuple carries `!!python/tuple`. Reading uses
 * js-yaml's safe default schema plus exactly that one tag (as a plain sequence), the two string tags
 * Python 2 emitted, and TF 2.4's ListWrapper of a plain list (read as the list); every other tag (`!!python/object/apply`, `!!python/name`, …) is refused, so nothing in a
 * file is ever constructed or executed. Alias expansion is bounded against "billion laughs" documents.
 */
import yaml from 'js-yaml'
import {FormatError, type Warning} from '../errors.js'
import {type Json, isArray, isObject} from '../json.js'

const tupleType = new yaml.Type('tag:yaml.org,2002:python/tuple', {kind: 'sequence', construct: (data: unknown) => data ?? []})
const unicodeType = new yaml.Type('tag:yaml.org,2002:python/unicode', {kind: 'scalar', construct: (data: unknown) => data ?? ''})
const strType = new yaml.Type('tag:yaml.org,2002:python/str', {kind: 'scalar', construct: (data: unknown) => data ?? ''})
/**
 * TF 2.4's to_yaml wrote a list a layer kept as an attribute (BatchNormalization `axis`) as TensorFlow's
 * `ListWrapper` object: `!!python/object/apply:…ListWrapper` over the argument list `[[3]]`. PyYAML's unsafe
 * loader called `ListWrapper([3])`, i.e. the list itself; it is read here as that list, nothing constructed.
 */
const LIST_WRAPPER = 'tag:yaml.org,2002:python/object/apply:tensorflow.python.training.tracking.data_structures.ListWrapper'
const listWrapperArgs = (data: unknown): unknown => (Array.isArray(data) ? data : data !== null && typeof data === 'object' && 'args' in data ? (data as {args: unknown}).args : undefined)
const listWrapperType = (kind: 'sequence' | 'mapping'): yaml.Type => new yaml.Type(LIST_WRAPPER, {
  kind,
  resolve: (data: unknown) => {
    const args = listWrapperArgs(data)
    return Array.isArray(args) && args.length === 1 && Array.isArray(args[0])
  },
  construct: (data: unknown) => (listWrapperArgs(data) as unknown[])[0],
})
const KERAS_SCHEMA = yaml.DEFAULT_SCHEMA.extend([tupleType, unicodeType, strType, listWrapperType('sequence'), listWrapperType('mapping')])

/** Most nodes a document may expand to through aliases before it is refused. */
export const MAX_EXPANDED_NODES = 5_000_000

/** Counts the nodes the value stands for once aliases are expanded (shared objects counted per use). */
function expandedSize(value: unknown, memo: Map<object, number>, limit: number): number {
  if (typeof value !== 'object' || value === null) return 1
  const known = memo.get(value)
  if (known !== undefined) return known
  memo.set(value, limit + 1) // a reference cycle counts as too large
  let total = 1
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value)
  for (const child of children) {
    total += expandedSize(child, memo, limit)
    if (total > limit) break
  }
  memo.set(value, total)
  return total
}

/**
 * Whether aliases could make the document larger than the limit. Without an `&` there is no anchor, so no alias
 * (js-yaml refuses an alias to an unknown anchor) and no reference cycle, and every node comes from at least one
 * character of the text: a text no longer than the limit cannot exceed it, and the walk is skipped (~10% of
 * reading a 112 KB Keras YAML; Keras never writes anchors).
 */
function mayExpand(text: string): boolean {
  return text.includes('&') || text.length > MAX_EXPANDED_NODES
}

/** PyYAML (YAML 1.1) wrote `keras_version: 2.10` unquoted; YAML 1.2 reads a number. Take the source text. */
function keepVersionStrings(doc: Json, text: string): Json {
  if (!isObject(doc)) return doc
  const out = {...doc}
  for (const key of ['keras_version', 'backend']) {
    if (typeof out[key] !== 'number') continue
    const match = new RegExp(`^${key}:\\s*['"]?([^\\s'"#]+)`, 'm').exec(text)
    if (match?.[1] !== undefined) out[key] = match[1]
  }
  return out
}

/** A parsed YAML document and what was tolerated on the way. */
export interface ParsedYaml {
  doc: Json
  warnings: Warning[]
}

/**
 * PyYAML lets a later duplicate key win silently (a file written twice into one stream reads as its last copy);
 * js-yaml refuses it. Read it as PyYAML does, and say so.
 */
function load(text: string, source: string): {doc: unknown; warnings: Warning[]} {
  try {
    return {doc: yaml.load(text, {schema: KERAS_SCHEMA, filename: source}), warnings: []}
  } catch (error) {
    if (!(error instanceof yaml.YAMLException) || error.reason !== 'duplicated mapping key') throw error
    const line = error.mark ? error.mark.line + 1 : 0
    const doc = yaml.load(text, {schema: KERAS_SCHEMA, filename: source, json: true})
    return {doc, warnings: [{path: `line ${line}`, message: 'The YAML repeats a mapping key (the later value wins, as PyYAML reads it); the file may hold the model twice.'}]}
  }
}

/** Parses a Keras YAML document. `source` names the file in messages. */
export function parseKerasYaml(text: string, source: string): Json {
  return parseKerasYamlWithWarnings(text, source).doc
}

/** Parses a Keras YAML document, also returning what was tolerated (duplicate keys). */
export function parseKerasYamlWithWarnings(text: string, source: string): ParsedYaml {
  let doc: unknown
  let warnings: Warning[] = []
  try {
    ({doc, warnings} = load(text, source))
  } catch (error) {
    const message = error instanceof yaml.YAMLException ? error.reason : String(error)
    const mark = error instanceof yaml.YAMLException && error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : ''
    const tag = /unknown tag !<([^>]+)>/.exec(message)?.[1]
    if (tag !== undefined) {
      throw new FormatError('KM_FORMAT_YAML_TAG', `${source} uses the YAML tag '${tag.replace('tag:yaml.org,2002:', '!!')}'${mark}, which kmodel refuses to construct.`, {
        hint: 'Only !!python/tuple (Keras writes it for shapes) and TF 2.4\'s ListWrapper of a plain list are accepted; other Python tags can run code and are never loaded. Re-export with model.to_json().',
        cause: error,
      })
    }
    throw new FormatError('KM_FORMAT_YAML', `${source} is not valid YAML${mark}: ${message}.`, {hint: 'Check the file is a Keras model.to_yaml() document.', cause: error})
  }
  if (mayExpand(text) && expandedSize(doc, new Map(), MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES) {
    throw new FormatError('KM_FORMAT_YAML_ALIASES', `${source} expands to more than ${MAX_EXPANDED_NODES} nodes through YAML aliases.`, {
      hint: 'This is how "billion laughs" documents look; a Keras config is far smaller. Re-export the model.',
    })
  }
  if (!isObject(doc) && !isArray(doc)) {
    throw new FormatError('KM_FORMAT_NOT_A_MODEL', `${source} is YAML but not a Keras model document (its top level is ${doc === null || doc === undefined ? 'empty' : typeof doc}).`, {
      hint: 'A Keras YAML file has class_name, config, keras_version and backend at the top level.',
    })
  }
  return {doc: keepVersionStrings(doc as Json, text), warnings}
}

/** PyYAML's named escapes in double-quoted scalars (its emitter's ESCAPE_REPLACEMENTS). */
const PYYAML_ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e',
  '"': '"', '\\': '\\', '\x85': 'N', '\xa0': '_', '\u2028': 'L', '\u2029': 'P',
}
const hex = (code: number, width: number): string => code.toString(16).toUpperCase().padStart(width, '0')

/**
 * A string as PyYAML writes it with Keras's `yaml.dump` defaults (allow_unicode=False): double-quoted, every
 * character outside printable ASCII escaped (`"d\xE9nse"`, `"\u202E"`, `"\U0001F600"`). So no raw non-ASCII,
 * bidi or control character reaches the file or a terminal.
 */
export function pyyamlQuoted(text: string): string {
  let out = '"'
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0
    const named = PYYAML_ESCAPES[ch]
    if (named !== undefined) out += `\\${named}`
    else if (code >= 0x20 && code <= 0x7e) out += ch
    else out += code <= 0xff ? `\\x${hex(code, 2)}` : code <= 0xffff ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`
  }
  return `${out}"`
}

const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/u

/**
 * Writes YAML that `yaml.safe_load` reads: plain lists, no Python tags, sorted keys as PyYAML does; strings with
 * characters outside printable ASCII double-quoted and escaped as PyYAML escapes them (pyyamlQuoted). js-yaml
 * would write them raw: such strings go through it as unique ASCII placeholders, replaced afterwards.
 */
export function dumpKerasYaml(doc: Json): string {
  const nonce = `kmodel${Math.random().toString(36).slice(2)}`
  const quoted = new Map<string, string>()
  const original = new Map<string, string>()
  const swap = (text: string): string => {
    if (!NOT_PRINTABLE_ASCII.test(text)) return text
    const token = `${nonce}_${quoted.size}_`
    quoted.set(token, pyyamlQuoted(text))
    original.set(token, text)
    return token
  }
  const stack: Array<{value: Json; set: (v: Json) => void}> = []
  let root: Json = doc
  stack.push({value: doc, set: (v) => (root = v)})
  while (stack.length > 0) { // no recursion: documents are capped in depth, but the walk need not rely on it
    const {value, set} = stack.pop() as {value: Json; set: (v: Json) => void}
    if (typeof value === 'string') set(swap(value))
    else if (isArray(value)) {
      const copy = [...value]
      set(copy)
      copy.forEach((v, i) => stack.push({value: v, set: (x) => (copy[i] = x)}))
    } else if (isObject(value)) {
      const copy: Record<string, Json> = {}
      set(copy)
      for (const [k, v] of Object.entries(value)) {
        const key = swap(k)
        copy[key] = v
        stack.push({value: v, set: (x) => (copy[key] = x)})
      }
    }
  }
  const byOriginal = (a: string, b: string): number => {
    const x = original.get(a) ?? a
    const y = original.get(b) ?? b
    return x < y ? -1 : x > y ? 1 : 0
  }
  const text = yaml.dump(root, {sortKeys: byOriginal, noRefs: true, lineWidth: -1, schema: yaml.DEFAULT_SCHEMA})
  return quoted.size === 0 ? text : text.replace(new RegExp(`${nonce}_\\d+_`, 'g'), (token) => quoted.get(token) ?? token)
}
