/**
 * The validation pass wired into the commands (issue 12): every command that reads a model refuses one Keras
 * would refuse (exit 4, one line with the JSON path and a hint), to-json/to-yaml unless --no-validate;
 * from-config --strict; zero models found is exit 3; folder scans skip JSON that is not a model.
 */
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'
import {ROOT, fixture} from '../helpers/paths.js'

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kmodel-validate-'))
const UNITS = join(ROOT, 'test', 'validation', 'keras2', 'refused--dense-units-minus5--ValueError-Received-an-invalid-value-for-units-expected.json')
const PATH = '$.config.layers[1].config.units'

/** A Keras 3 Sequential whose InputLayer carries an argument Keras 3 drops (a warning, not an error). */
function warnOnly(dir: string): string {
  const doc = JSON.parse(readFileSync(fixture('residual-keras3.json'), 'utf8')) as {config: {layers: Array<{class_name: string; config: Record<string, unknown>}>}}
  const input = doc.config.layers.find((l) => l.class_name === 'InputLayer')
  if (input !== undefined) input.config.zzz_unknown = 1
  const file = join(dir, 'warn.json')
  writeFileSync(file, JSON.stringify(doc))
  return file
}

describe('every command that reads a model validates it', () => {
  it.each([
    [['summary']], [['to-json']], [['to-yaml']], [['plot', '--output', 'x.svg']], [['diff', UNITS]],
    [['predict', '--x', 'x.npy', '--output', 'y.npy']], [['evaluate', '--x', 'x.npy', '--y', 'y.npy']], [['train', '--x', 'x.npy', '--y', 'y.npy']],
  ])('%j refuses Dense(units=-5) with exit 4, the JSON path and a hint', (cmd) => {
    const [name, ...rest] = cmd
    const run = kmodel([name as string, UNITS, ...rest], {cwd: tmp()})
    expect(run.code).toBe(4)
    expect(run.stderr).toContain(PATH)
    expect(run.stderr).toContain('(KM_FORMAT_INVALID_ARG)')
    expect(run.stderr).toMatch(/^Hint: /m)
  })

  it('--json carries the error in the envelope', () => {
    const run = kmodel(['summary', UNITS, '--json'])
    expect(run.json?.status).toBe(4)
    expect(run.json?.error?.message).toContain(PATH)
  })

  it('to-json --no-validate converts it anyway', () => {
    const run = kmodel(['to-json', UNITS, '--no-validate'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('"units": -5')
  })

  it('warnings go to stderr and into the JSON warnings', () => {
    const file = warnOnly(tmp())
    const human = kmodel(['summary', file])
    expect(human.code).toBe(0)
    expect(human.stderr).toContain('zzz_unknown')
    expect(kmodel(['summary', file, '--json']).json?.warnings.length).toBeGreaterThan(0)
  })

  it('summary of several files reports the invalid one and exits 4', () => {
    const run = kmodel(['summary', fixture('mlp-tfkeras212.json'), UNITS, '--json'])
    expect(run.code).toBe(4)
    const results = (run.json?.result as {results: Array<{ok: boolean; error?: {message: string}}>}).results
    expect(results.map((r) => r.ok)).toEqual([true, false])
    expect(results[1]?.error?.message).toContain(PATH)
  })
})

describe('from-config', () => {
  it('--strict turns warnings into errors; --json lists both', () => {
    const file = warnOnly(tmp())
    expect(kmodel(['from-config', file]).code).toBe(0)
    const run = kmodel(['from-config', file, '--strict', '--json'])
    expect(run.code).toBe(4)
    const [r] = (run.json?.result as {results: Array<{errors: Array<{code: string}>; warnings: unknown[]}>}).results
    expect(r?.warnings.length).toBeGreaterThan(0)
    expect(r?.errors.some((e) => e.code === 'KM_STRICT_WARNING')).toBe(true)
  })

  it.each(['from-config', 'summary'])('%s: an empty folder is exit 3 with a clear line', (cmd) => {
    const run = kmodel([cmd, tmp()])
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('No model file found')
    expect(run.stderr).toContain('(KM_INPUT_NO_MODELS)')
  })

  it.each(['from-config', 'summary'])('%s: a folder of non-model JSON only is exit 3; beside a model it is skipped and listed', (cmd) => {
    const dir = tmp()
    writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'x', version: '1.0.0'}))
    writeFileSync(join(dir, 'history.json'), JSON.stringify([{loss: 1}, {loss: 0.5}]))
    expect(kmodel([cmd, dir]).code).toBe(3)
    mkdirSync(join(dir, 'models'))
    writeFileSync(join(dir, 'models', 'mlp.json'), readFileSync(fixture('mlp-tfkeras212.json')))
    const run = kmodel([cmd, dir, '--json'])
    expect(run.code).toBe(0)
    const results = (run.json?.result as {results: Array<{file: string; skipped?: string}>}).results
    expect(results.filter((r) => r.skipped !== undefined).map((r) => r.skipped)).toEqual(['not a Keras model document', 'not a Keras model document'])
  })

  it('a non-model JSON named directly is still an error', () => {
    const dir = tmp()
    writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'x'}))
    expect(kmodel(['from-config', join(dir, 'package.json')]).code).toBe(4)
  })
})
