/**
 * JSON as Python's `json.dumps` writes it. Python emits the bare tokens `NaN`, `Infinity` and `-Infinity`
 * (allow_nan=True is the default), which JSON.parse rejects; Keras configs carry them in e.g. `max_value` or
 * clipping settings. They are read here as the numbers they stand for. Everything else is standard JSON.
 */
import {FormatError} from '../errors.js'
import type {Json} from '../json.js'
import {jsonErrorOffset} from './json-locate.js'

const SENTINEL = '\u0000kmodel-number:'
const SPECIAL: Record<string, number> = {NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY}

/** Replaces the Python number tokens outside string literals with sentinel strings. */
function protectSpecialNumbers(text: string): string {
  if (!/NaN|Infinity/.test(text)) return text
  let out = ''
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      out += text.slice(i, j + 1)
      i = j + 1
      continue
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i))
    if (token === undefined) {
      out += ch
      i++
    } else {
      out += JSON.stringify(SENTINEL + token)
      i += token.length
    }
  }
  return out
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): {line: number; column: number} {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return {line, column: offset - before.lastIndexOf('\n')}
}

/**
 * Parses Python-flavoured JSON. `source` names the file in the error message.
 * Throws FormatError KM_FORMAT_JSON with line and column when the text is not JSON.
 */
export function parsePythonJson(text: string, source: string): Json {
  try {
    const protectedText = protectSpecialNumbers(text)
    // a reviver makes JSON.parse several times slower: only pay for it when there is something to revive
    if (protectedText === text) return JSON.parse(text) as Json
    return JSON.parse(protectedText, (_key, value: unknown) =>
      typeof value === 'string' && value.startsWith(SENTINEL) ? SPECIAL[value.slice(SENTINEL.length)] : value,
    ) as Json
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const offset = jsonErrorOffset(text)
    const truncated = offset >= text.trimEnd().length
    const {line, column} = lineColumn(text, Math.min(offset, text.length))
    const what = truncated ? 'it ends before the document is complete' : `unexpected ${JSON.stringify(text.slice(offset, offset + 12))}`
    throw new FormatError('KM_FORMAT_JSON', `${source} is not valid JSON at line ${line}, column ${column}: ${what}.`, {
      hint: truncated ? 'The file looks truncated; re-export it with model.to_json().' : `Check the file is a Keras model.to_json() document (${message.split('\n')[0] ?? ''}).`,
      cause: error,
    })
  }
}

/**
 * Serialises like Python's `json.dumps`: NaN / Infinity as bare tokens, never `null`, and (ensure_ascii, its
 * default, which Keras's to_json keeps) every character outside printable ASCII as a `\uXXXX` escape — so bidi
 * overrides and C1 controls in names never reach a terminal or file raw. `indent` null gives Keras's own one-line
 * form with `", "` and `": "` separators.
 */
export function stringifyPythonJson(value: Json, indent: number | null): string {
  const text = indent !== null ? JSON.stringify(value, replacer, indent) : compact(value)
  return asciiOnly(restoreSpecialNumbers(text))
}

/** Python's ensure_ascii: DEL and every non-ASCII UTF-16 unit as `\uXXXX` (lower-case hex, as Python writes it). */
function asciiOnly(text: string): string {
  return /[^\x00-\x7e]/.test(text) ? text.replace(/[^\x00-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) : text
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return SENTINEL + (Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity')
  }
  return value
}

function restoreSpecialNumbers(text: string): string {
  return text.includes('kmodel-number:') ? text.replace(/"\\u0000kmodel-number:(-?Infinity|NaN)"/g, '$1') : text
}

/** A JSON string literal, or one separator outside string literals. */
const TOKEN = /"(?:[^"\\]|\\.)*"|[,:]/g

/** Keras's one-line form: JSON.stringify's output with `", "` and `": "` separators (strings left untouched). */
function compact(value: Json): string {
  return JSON.stringify(value, replacer).replace(TOKEN, (token) => (token === ',' ? ', ' : token === ':' ? ': ' : token))
}
