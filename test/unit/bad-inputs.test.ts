/**
 * The bad-input corpus (test/bad-inputs/expectations.json): each file gives its error code, exit code and a
 * phrase of the message, in-process; and through the CLI: one line + hint, no stack trace, nothing written.
 */
import {mkdtempSync, readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readModel} from '../../src/core/read.js'
import {kmodel} from '../helpers/cli.js'
import {ROOT} from '../helpers/paths.js'
import {errorOf} from '../helpers/read.js'

const DIR = join(ROOT, 'test', 'bad-inputs')
interface Expectation {
  file: string
  exit: number
  code: string
  phrase: string
}
const expectations = JSON.parse(readFileSync(join(DIR, 'expectations.json'), 'utf8')) as Expectation[]

describe('bad-input corpus', () => {
  it('has an expectation for every file', () => {
    expect(expectations.map((e) => e.file).sort()).toEqual(readdirSync(DIR).filter((f) => f !== 'expectations.json').sort())
  })

  it.each(expectations.map((e) => [e.file, e] as const))('%s', async (_name, e) => {
    const err = await errorOf(readModel(join(DIR, e.file)))
    expect(err.code).toBe(e.code)
    expect(err.exit).toBe(e.exit)
    expect(err.message).toContain(e.phrase)
    expect(err.message).toContain(e.file)
  })
})

describe('bad-input corpus through the CLI', () => {
  it.each(expectations.map((e) => [e.file, e] as const))('%s: exit code, one message line and a hint, nothing written', (_name, e) => {
    const out = mkdtempSync(join(tmpdir(), 'kmodel-bad-'))
    const run = kmodel(['to-json', join(DIR, e.file), '-o', join(out, 'out.json')])
    expect(run.code).toBe(e.exit)
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines[0]).toMatch(new RegExp(`^Error: .*\\(${e.code}\\)$`))
    expect(lines.slice(1).every((l) => l.startsWith('Hint: ') || l.startsWith('Warning: '))).toBe(true)
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(readdirSync(out)).toEqual([])
  })
})
