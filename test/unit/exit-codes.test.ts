/**
 * One exit-code table for every command (README "Exit codes", DESIGN.md): the error code's prefix decides the
 * exit. The sources are scanned for every `KM_*` code they can produce — string literals, template prefixes —
 * and for every direct `new KmodelError(…)`, so a new code, or a hand-made error with the wrong exit, fails
 * here instead of exiting with a wrong status silently.
 */
import {readFileSync, readdirSync} from 'node:fs'
import {join, relative} from 'node:path'
import {describe, expect, it} from 'vitest'
import {BackendError, FormatError, InputError, InternalError, KmodelError, UsageError, WeightsError} from '../../src/core/errors.js'
import {ROOT} from '../helpers/paths.js'

/** The table: code prefix → exit. */
const TABLE: ReadonlyArray<{prefix: RegExp; exit: number; meaning: string}> = [
  {prefix: /^KM_UNEXPECTED$/, exit: 1, meaning: 'unexpected'},
  {prefix: /^KM_USAGE(_|$)/, exit: 2, meaning: 'usage'},
  {prefix: /^KM_INPUT_/, exit: 3, meaning: 'a file missing, unreadable or unwritable'},
  {prefix: /^KM_FORMAT_/, exit: 4, meaning: 'invalid or unsupported model, format or data'},
  {prefix: /^KM_WEIGHTS_/, exit: 5, meaning: 'weights mismatch'},
  {prefix: /^KM_BACKEND_/, exit: 6, meaning: 'backend or training failure'},
  {prefix: /^KM_INTERNAL$/, exit: 70, meaning: 'internal bug'},
]

/**
 * Codes that are not errors a command exits with, and why they are allowed.
 * KM_STRICT_WARNING: `from-config --strict` marks a warning promoted to an error in the per-file report; the
 * run's exit is the file's validation result (4), not this code's.
 */
const NOT_EXIT_CODES = new Set(['KM_STRICT_WARNING'])

const exitOf = (code: string): number | undefined => TABLE.find((row) => row.prefix.test(code))?.exit

const SRC = join(ROOT, 'src')
const sources = readdirSync(SRC, {recursive: true, withFileTypes: true})
  .filter((e) => e.isFile() && e.name.endsWith('.ts'))
  .map((e) => {
    const path = join(e.parentPath, e.name)
    return {file: relative(ROOT, path), text: readFileSync(path, 'utf8')}
  })

/** Every complete code in quotes (`'KM_X'`, `"KM_X"`, `` `KM_X` ``) or template prefix (`` `KM_INPUT_${…}` ``). */
function codesIn(text: string): string[] {
  return [...text.matchAll(/['"`](KM_[A-Z0-9_]*?)(?:['"`]|\$\{)/g)].map((m) => m[1] ?? '')
}

describe('exit codes', () => {
  const found = sources.flatMap(({file, text}) => codesIn(text).map((code) => ({file, code})))

  it('the scan finds the codes of every family (it is not looking at nothing)', () => {
    const codes = new Set(found.map((f) => f.code))
    expect(codes.size).toBeGreaterThan(80)
    for (const code of ['KM_USAGE_OUTPUT_EXISTS', 'KM_USAGE_CSV_COLUMN', 'KM_INPUT_NOT_FOUND', 'KM_FORMAT_DATA_SHAPE', 'KM_WEIGHTS_SHAPE', 'KM_BACKEND_NAN_LOSS', 'KM_UNEXPECTED']) expect(codes).toContain(code)
  })

  it('every KM_* code in src/ belongs to a row of the table', () => {
    const unknown = found.filter(({code}) => !NOT_EXIT_CODES.has(code) && exitOf(code) === undefined && !TABLE.some((row) => row.prefix.test(`${code}X`)))
    expect(unknown).toEqual([])
  })

  it('each error class exits as the table says for its prefix', () => {
    const cases: Array<[KmodelError, number]> = [
      [new UsageError('KM_USAGE_X', 'm'), 2],
      [new InputError('KM_INPUT_X', 'm'), 3],
      [new FormatError('KM_FORMAT_X', 'm'), 4],
      [new WeightsError('KM_WEIGHTS_X', 'm'), 5],
      [new BackendError('KM_BACKEND_X', 'm'), 6],
      [new InternalError('m'), 70],
    ]
    for (const [error, exit] of cases) {
      expect(error.exit, error.name).toBe(exit)
      expect(exitOf(error.code), error.code).toBe(exit)
    }
  })

  it('a code thrown through a class has that class\'s prefix', () => {
    const prefixes: Record<string, string> = {UsageError: 'KM_USAGE_', InputError: 'KM_INPUT_', FormatError: 'KM_FORMAT_', WeightsError: 'KM_WEIGHTS_', BackendError: 'KM_BACKEND_'}
    const wrong = sources.flatMap(({file, text}) => [...text.matchAll(/new (UsageError|InputError|FormatError|WeightsError|BackendError)\(\s*['"`](KM_[A-Z0-9_]*)/g)]
      .filter((m) => !(m[2] ?? '').startsWith(prefixes[m[1] ?? ''] ?? '?'))
      .map((m) => `${file}: ${m[1]} ${m[2]}`))
    expect(wrong).toEqual([])
  })

  it('a KmodelError built by hand carries the exit its code\'s prefix has', () => {
    // the subclasses (UsageError, InputError…) fix the exit; the few direct `new KmodelError(message, {code, exit})`
    // must agree with the table: by the literal code, or, for a helper passing its `code` on, by every code of its file
    const direct = sources.filter(({file}) => file !== join('src', 'core', 'errors.ts')).flatMap(({file, text}) =>
      [...text.matchAll(/new KmodelError\(/g)].map((m) => ({file, text, call: text.slice(m.index, m.index + 600)})))
    expect(direct.length).toBeGreaterThan(0)
    for (const {file, text, call} of direct) {
      const exit = Number(/\bexit:\s*(\d+)/.exec(call)?.[1])
      const literal = /\bcode:\s*['"`](KM_[A-Z0-9_]*)/.exec(call)?.[1]
      const codes = literal === undefined ? codesIn(text).filter((c) => !NOT_EXIT_CODES.has(c)) : [literal]
      expect(codes.length, file).toBeGreaterThan(0)
      for (const code of codes) expect(exit, `${file}: ${code}`).toBe(exitOf(code) ?? exitOf(`${code}X`))
    }
  })

  it('the README\'s exit-code table is this table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const rows = [...readme.matchAll(/^\| (\d+) \| [^|]+ \|\s*(.*?)\s*\|$/gm)].map((m) => ({exit: Number(m[1]), codes: (m[2] ?? '').trim()}))
    expect(rows.map((r) => r.exit)).toEqual([0, 1, 2, 3, 4, 5, 6, 70])
    for (const row of rows.slice(1)) {
      const code = /`(KM_[A-Z_]*)\*?`/.exec(row.codes)?.[1] ?? ''
      expect(exitOf(code) ?? exitOf(`${code}X`), row.codes).toBe(row.exit)
    }
  })
})
