/**
 * Issue #13, train's limits, through the built CLI: a --validation-split outside Keras's [0, 1), a hostile
 * --checkpoint template (huge format widths, unsupported fields, names too long to write) and a CSV whose
 * header is 1,000,000 columns wide. Each gets its documented exit code, one `Error:` line and one `Hint:`
 * line, no stack trace, and leaves no file (no temp file, no checkpoint) behind.
 */
import {spawnSync} from 'node:child_process'
import {readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {type CliRun, kmodel} from '../helpers/cli.js'
import {ROOT} from '../helpers/paths.js'
import {blobs, mlpDoc, modelFile, npy, tmp} from '../unit/train/helpers.js'

const COMPILE = ['--loss', 'sparse_categorical_crossentropy', '--backend', 'cpu']

const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, {recursive: true, force: true})
})

function setup(): {dir: string; base: string[]; files: string[]} {
  const dir = tmp()
  made.push(dir)
  const {x, labels} = blobs(32)
  const base = ['train', modelFile(dir, mlpDoc()), '--x', npy(dir, 'x.npy', [32, 4], x), '--y', npy(dir, 'y.npy', [32], labels), ...COMPILE]
  return {dir, base, files: readdirSync(dir).sort()}
}

/** Ends with one `Error: … (CODE)` line and one `Hint:` line; nothing on stdout, no stack trace. */
function expectOneLine(run: CliRun, exit: number, code: string, message: RegExp): void {
  expect.soft(run.stdout).toBe('')
  expect.soft(run.stderr).not.toMatch(/\n\s+at |Caused by|unexpected/)
  // progress lines of the epochs trained before a failure at save time come first; the error is the tail
  const lines = run.stderr.slice(Math.max(0, run.stderr.indexOf('Error: '))).trimEnd().split('\n')
  expect(lines).toHaveLength(2)
  expect(lines[0]).toMatch(message)
  expect(lines[0]).toMatch(new RegExp(`\\(${code}\\)$`))
  expect(lines[1]).toMatch(/^Hint: \S/)
  expect(run.code).toBe(exit)
}

describe('train --validation-split: Keras\'s rule 0 ≤ split < 1, else a usage error (exit 2)', () => {
  const {base} = setup()
  for (const value of ['1.5', '-0.1', 'NaN', '1', 'abc', 'Infinity']) {
    it(`refuses ${value}`, () => {
      expectOneLine(kmodel([...base, `--validation-split=${value}`]), 2, 'KM_USAGE_VALIDATION_SPLIT', /^Error: --validation-split must be a fraction in \[0, 1\)/)
    })
  }

  it('--json carries the same error', () => {
    const run = kmodel([...base, '--validation-split', '1.5', '--json'])
    expect(run.code).toBe(2)
    expect(run.json?.error).toMatchObject({code: 'KM_USAGE_VALIDATION_SPLIT', hint: expect.stringContaining('--validation-split 0.2')})
  })

  it('accepts 0 (no split) and 0.9995 (below 1)', () => {
    const ok = kmodel([...base, '--validation-split', '0', '--json'])
    expect(ok.code).toBe(0)
    expect(ok.json?.result).toMatchObject({validationSamples: 0})
    // 32 samples × (1 − 0.9995) floors to 0 training samples: Keras's "not sufficient to split", not a usage error
    expect(kmodel([...base, '--validation-split', '0.9995']).code).toBe(3)
  })
})

describe('train --checkpoint: the template is checked before training, and nothing is left behind', () => {
  const cases: Array<[string, string, number, string, RegExp]> = [
    ['a huge format width', 'ck-{epoch:0999999999d}.h5', 2, 'KM_USAGE_CHECKPOINT', /asks for a width of 999999999; at most 64/],
    ['a width just over the cap', 'ck-{epoch:065d}.h5', 2, 'KM_USAGE_CHECKPOINT', /asks for a width of 65; at most 64/],
    ['a huge precision', 'ck-{loss:.99999f}.h5', 2, 'KM_USAGE_CHECKPOINT', /asks for a precision of 99999/],
    ['a conversion', 'ck-{epoch!r}.h5', 2, 'KM_USAGE_CHECKPOINT', /is not a value name with an optional format spec/],
    ['an alignment', 'ck-{epoch:>5}.h5', 2, 'KM_USAGE_CHECKPOINT', /format spec kmodel does not support/],
    ['an unclosed brace', 'ck-{epoch.h5', 2, 'KM_USAGE_CHECKPOINT', /never closed/],
    ['a stray closing brace', 'ck-}.h5', 2, 'KM_USAGE_CHECKPOINT', /single '\}'/],
    ['a name too long once filled in', `${'a'.repeat(240)}-{epoch}.h5`, 3, 'KM_INPUT_CHECKPOINT', /is 245 bytes long; at most 223/],
    ['a value-dependent name too long', `ck${'-{loss:064.60f}'.repeat(4)}.h5`, 3, 'KM_INPUT_CHECKPOINT', /bytes long; at most 223/],
    ['a folder that does not exist', 'missing/ck-{epoch}.h5', 3, 'KM_INPUT_WRITE_FAILED', /does not exist/],
  ]
  for (const [what, template, exit, code, message] of cases) {
    it(`refuses ${what} (exit ${exit}) and leaves no file`, () => {
      const {dir, base, files} = setup()
      expectOneLine(kmodel([...base, '--checkpoint', join(dir, template)], {cwd: dir}), exit, code, message)
      expect(readdirSync(dir).sort()).toEqual(files)
    })
  }

  it('still fills the supported forms, with {{ }} as literal braces', () => {
    const {dir, base, files} = setup()
    const run = kmodel([...base, '--epochs', '2', '--checkpoint', join(dir, '{{run}}-{epoch:03d}-{loss:.2f}.h5'), '--json'])
    expect(run.code).toBe(0)
    const written = readdirSync(dir).filter((f) => !files.includes(f)).sort()
    expect(written).toHaveLength(2)
    expect(written[0]).toMatch(/^\{run\}-001-\d\.\d\d\.h5$/)
    expect(written[1]).toMatch(/^\{run\}-002-\d\.\d\d\.h5$/)
  })
})

describe('train --x data.csv: a header of 1,000,000 columns is refused at once (exit 4), and the limit can be raised', () => {
  const {dir, base} = setup()
  const model = base[1] as string
  const columns = 1_000_000
  const wide = join(dir, 'wide.csv')
  const header = Array.from({length: columns}, (_, i) => `c${i}`)
  writeFileSync(wide, `${header.join(',')}\n${header.map((_, i) => String(i % 3)).join(',')}\n`)
  const args = ['train', model, '--x', wide, '--y-columns', 'c0', '--x-columns', 'c1,c2,c3,c999999', ...COMPILE]

  it('refuses it by default, within seconds, naming the limit and how to raise it', () => {
    const started = performance.now()
    const run = kmodel(args)
    expect(performance.now() - started).toBeLessThan(10_000)
    expectOneLine(run, 4, 'KM_FORMAT_CSV_COLUMNS', /wide\.csv has more than 100,000 columns in its header/)
    expect(run.stderr).toMatch(/--max-csv-columns N or KMODEL_MAX_CSV_COLUMNS=N/)
  })

  it('reads it with --max-csv-columns or KMODEL_MAX_CSV_COLUMNS raised (linear in the header: a few seconds)', () => {
    const started = performance.now()
    const run = kmodel([...args, '--max-csv-columns', '1000000', '--json'])
    expect(performance.now() - started).toBeLessThan(20_000)
    expect(run.code).toBe(0)
    expect(run.json?.result).toMatchObject({samples: 1})
    const env = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1', DEBUG: '', KMODEL_MAX_CSV_COLUMNS: '999999'}})
    expect(env.status).toBe(4)
    expect(env.stderr).toMatch(/more than 999,999 columns/)
  })
})
