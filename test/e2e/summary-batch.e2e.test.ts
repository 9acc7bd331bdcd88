/**
 * `kmodel summary MODEL...` over several files and folders (issue 7.5): each file's own summary under a
 * `==> FILE <==` line, one `{results}` JSON report, every file read whatever fails, the from-config exit-code
 * rule, worker threads giving the same output as in-process, and one file keeping the one-file shape. The last
 * part runs over the whole real-Keras corpus (skipped, loudly, when ../shared/interop is absent).
 */
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'
import {type ManifestRow, manifest} from '../helpers/interop.js'
import {type Schema, validate} from '../helpers/json-schema.js'
import {HAVE_INTEROP, INTEROP, ROOT, announceSkip, fixture} from '../helpers/paths.js'

const TMP = mkdtempSync(join(tmpdir(), 'kmodel-summary-batch-'))
afterAll(() => rmSync(TMP, {recursive: true, force: true}))

const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'schemas', 'summary.json'), 'utf8')) as Schema
const MLP = fixture('mlp-tfkeras212.json')
const SIAMESE = fixture('siamese-tfkeras212.json')
const NESTED = fixture('nested-tfkeras212.json')
const CNN = fixture('cnn-list-keras208.json')
const YAML = fixture('cnn-keras213.yaml')
const SUBCLASSED = fixture('subclassed-simplemlp.json') // exit 4: no layer graph
const MISSING = join(TMP, 'missing.json') // exit 3

interface FileResult {
  file: string
  ok: boolean
  summary?: Record<string, unknown>
  error?: {code: string; message: string; hint: string | null}
  skipped?: string
}

const resultsOf = (run: ReturnType<typeof kmodel>): FileResult[] => (run.json?.result as {results: FileResult[]}).results

/** What the one-file command prints for `file` with `flags`. */
function alone(file: string, ...flags: string[]): string {
  const run = kmodel(['summary', file, ...flags])
  expect(run.code, run.stderr).toBe(0)
  return run.stdout
}

describe('kmodel summary over several files', () => {
  it('prints each file\'s own summary under a ==> FILE <== line, an error as one line, and goes on', () => {
    const run = kmodel(['summary', MLP, MISSING, SUBCLASSED, SIAMESE])
    expect(run.code).toBe(3) // a missing file outranks an invalid one, as in from-config
    const head = `==> ${MLP} <==\n${alone(MLP)}\n==> ${MISSING} <==\nError: ${MISSING} does not exist. (KM_INPUT_NOT_FOUND)\n\n==> ${SUBCLASSED} <==\n`
    const tail = `\n==> ${SIAMESE} <==\n${alone(SIAMESE)}`
    expect(run.stdout.startsWith(head)).toBe(true)
    expect(run.stdout.endsWith(tail)).toBe(true)
    const middle = run.stdout.slice(head.length, run.stdout.length - tail.length)
    expect(middle).toMatch(/^Error: [^\n]*subclassed model[^\n]* \(KM_FORMAT_SUBCLASSED\)\n$/) // one line
    expect(run.stderr).toBe('2 summarised, 2 failed\n')
  })

  it('--json: one report in input order; each summary is the one-file result; errors carry code, message, hint', () => {
    const run = kmodel(['summary', SIAMESE, SUBCLASSED, MLP, '--json'])
    expect(run.code).toBe(4)
    expect.soft(run.stderr).toBe('')
    expect(run.json?.status).toBe(4)
    expect(validate(SCHEMA, run.json)).toEqual([])
    const results = resultsOf(run)
    expect(results.map((r) => [r.file, r.ok])).toEqual([[SIAMESE, true], [SUBCLASSED, false], [MLP, true]])
    expect(results[0]?.summary).toEqual(kmodel(['summary', SIAMESE, '--json']).json?.result)
    expect(results[2]?.summary).toEqual(kmodel(['summary', MLP, '--json']).json?.result)
    const single = kmodel(['summary', SUBCLASSED, '--json']).json?.error
    expect(results[1]?.error).toEqual({code: single?.code, message: single?.message, hint: single?.hint})
    expect(Object.keys(results[1] ?? {})).toEqual(['file', 'ok', 'error'])
  })

  it('exit 0 only when every file was read; 3 before 4 whatever the order', () => {
    expect(kmodel(['summary', MLP, YAML, NESTED, '--json']).code).toBe(0)
    expect(kmodel(['summary', SUBCLASSED, MISSING, '--json']).code).toBe(3)
    expect(kmodel(['summary', MISSING, SUBCLASSED]).code).toBe(3)
    expect(kmodel(['summary', MLP, SUBCLASSED]).code).toBe(4)
  })

  it('worker threads (--jobs 2) print and report exactly what in-process does, in input order', () => {
    const files = [CNN, MLP, SUBCLASSED, SIAMESE, NESTED, YAML]
    for (const flags of [['--flops', '--format', 'keras'], ['--expand-nested', '--show-trainable'], ['--json', '--flops']]) {
      const inProcess = kmodel(['summary', ...files, '--jobs', '1', ...flags])
      const workers = kmodel(['summary', ...files, '--jobs', '2', ...flags])
      expect(inProcess.code).toBe(4)
      expect(workers.code).toBe(4)
      expect(workers.stdout).toBe(inProcess.stdout)
      expect(workers.stderr).toBe(inProcess.stderr)
    }
    const report = resultsOf(kmodel(['summary', ...files, '--jobs', '2', '--json', '--flops']))
    expect(report.map((r) => r.file)).toEqual(files)
    expect(report[0]?.summary).toMatchObject({totalMacs: 48672 + 13520, macsExact: true})
  })

  it('--format json without --json prints the one report as a document', () => {
    const run = kmodel(['summary', MLP, SIAMESE, '--format', 'json'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual(kmodel(['summary', MLP, SIAMESE, '--json']).json?.result)
  })

  it('reads - (standard input) among other files', () => {
    const run = kmodel(['summary', '-', MLP, '--json'], {input: readFileSync(SIAMESE, 'utf8')})
    expect(run.code).toBe(0)
    expect(resultsOf(run).map((r) => [r.file, (r.summary as {name: string}).name])).toEqual([['-', 'siamese'], [MLP, 'mnist_mlp']])
  })

  it('a folder is searched; weights-only files found there are skipped, but refused when named', () => {
    const dir = join(TMP, 'models')
    mkdirSync(join(dir, 'sub'), {recursive: true})
    expect(kmodel(['save-weights', MLP, join(dir, 'sub', 'w.h5'), '--seed', '1']).code).toBe(0)
    expect(kmodel(['to-json', YAML, '-o', join(dir, 'cnn.json')]).code).toBe(0)
    const run = kmodel(['summary', dir, '--json'])
    expect(run.code).toBe(0)
    expect(validate(SCHEMA, run.json)).toEqual([])
    expect(resultsOf(run)).toEqual([
      {file: join(dir, 'cnn.json'), ok: true, summary: expect.objectContaining({className: 'Sequential'})},
      {file: join(dir, 'sub', 'w.h5'), ok: true, skipped: 'weights only, no architecture'},
    ])
    const text = kmodel(['summary', dir])
    expect(text.stdout).toContain(`\n==> ${join(dir, 'sub', 'w.h5')} <==\nSkipped: weights only, no architecture.\n`)
    expect(text.stderr).toBe('1 summarised, 0 failed, 1 skipped (no architecture)\n')
    const named = kmodel(['summary', MLP, join(dir, 'sub', 'w.h5'), '--json'])
    expect(named.code).toBe(4)
    expect(resultsOf(named)[1]?.error?.code).toBe('KM_FORMAT_WEIGHTS_ONLY')
  })

  it('one file keeps the one-file result; one folder is a batch even with one model in it', () => {
    const one = kmodel(['summary', MLP, '--json'])
    expect(one.json?.result).toMatchObject({name: 'mnist_mlp', totalParams: 235146})
    expect(one.json?.result).not.toHaveProperty('results')
    const dir = join(TMP, 'one')
    mkdirSync(dir, {recursive: true})
    expect(kmodel(['to-json', MLP, '-o', join(dir, 'mlp.json')]).code).toBe(0)
    expect(resultsOf(kmodel(['summary', dir, '--json'])).map((r) => [relative(dir, r.file), r.ok])).toEqual([['mlp.json', true]])
  })

  it('exit 2 for --weights with several files', () => {
    const run = kmodel(['summary', MLP, SIAMESE, '--weights', 'w.h5', '--json'])
    expect(run.code).toBe(2)
    expect(run.json?.error?.message).toContain('--weights')
  })
})

if (!HAVE_INTEROP) announceSkip('summary over the real-Keras corpus folder', '../shared/interop is absent')
describe.skipIf(!HAVE_INTEROP)('kmodel summary over the whole real-Keras corpus', () => {
  const rows: ManifestRow[] = HAVE_INTEROP ? manifest() : []
  /** The entry's parameter oracle: the element count of a weights file of the same entry (MANIFEST). */
  const weightCount = (entry: string): number | null => rows.find((r) => r.entry === entry && r.weight_elements !== null)?.weight_elements ?? null

  it('summarises every architecture (totals = MANIFEST counts), skips every weights-only file; --jobs 1 and 2 agree', () => {
    const workers = kmodel(['summary', INTEROP, '--jobs', '2', '--json'])
    expect(workers.code, workers.stdout.slice(0, 2000)).toBe(0)
    expect(validate(SCHEMA, workers.json)).toEqual([])
    const results = resultsOf(workers)
    const modelFiles = readdirSync(INTEROP, {recursive: true, encoding: 'utf8'}).filter((f) => /\.(json|ya?ml|h5|hdf5|keras)$/i.test(f)).map((f) => join(INTEROP, f)).sort()
    expect(results.map((r) => r.file)).toEqual(modelFiles)
    for (const r of results) {
      const row = rows.find((m) => m.path === r.file)
      const label = relative(INTEROP, r.file)
      expect(row, label).toBeDefined()
      if (row?.model_class === '-' || row?.model_class === '') {
        expect(r.skipped, label).toMatch(/^(weights only, no architecture|HDF5 but not a Keras file)$/)
        continue
      }
      expect(r.ok && r.summary !== undefined, label).toBe(true)
      const summary = r.summary as {totalParams: number; paramsExact: boolean}
      const expected = weightCount(row?.entry ?? '')
      if (expected === null) continue
      if (summary.paramsExact) expect(summary.totalParams, label).toBe(expected)
      else expect(summary.totalParams, label).toBeLessThanOrEqual(expected)
    }
    expect(results.filter((r) => r.summary !== undefined).length).toBeGreaterThan(50)
    expect(results.filter((r) => r.skipped !== undefined).length).toBeGreaterThan(15)
    expect(kmodel(['summary', INTEROP, '--jobs', '1', '--json']).json).toEqual(workers.json)
  })
})
