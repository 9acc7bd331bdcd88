import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'
import {fixture} from '../helpers/paths.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'kmodel-e2e-'))

describe('kmodel to-json / to-yaml', () => {
  it('prints the to_json() document on one line, like Keras', () => {
    const run = kmodel(['to-json', fixture('mlp-tfkeras212.json')])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe(readFileSync(fixture('mlp-tfkeras212.json'), 'utf8').trim())
  })

  it('reads YAML (with !!python/tuple) and writes JSON atomically to --output', () => {
    const dir = tmp()
    const out = join(dir, 'model.json')
    const run = kmodel(['to-json', fixture('cnn-keras213.yaml'), '--output', out, '--json'])
    expect(run.code).toBe(0)
    expect(run.json).toEqual({status: 0, result: {output: out, format: 'json', dialect: 'keras2', sourceFormat: 'yaml', layers: 4}, warnings: []})
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({class_name: 'Sequential', keras_version: '2.1.3'})
    expect(readdirSync(dir)).toEqual(['model.json'])
  })

  it('refuses to overwrite without --force and leaves the file alone', () => {
    const dir = tmp()
    const out = join(dir, 'model.yaml')
    writeFileSync(out, 'keep me')
    const run = kmodel(['to-yaml', fixture('mlp-tfkeras212.json'), '-o', out])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`Error: Output ${out} already exists. (KM_USAGE_OUTPUT_EXISTS)`)
    expect(run.stderr).toContain('Hint: Pass --force')
    expect(readFileSync(out, 'utf8')).toBe('keep me')
    expect(kmodel(['to-yaml', fixture('mlp-tfkeras212.json'), '-o', out, '--force']).code).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('class_name: Sequential')
  })

  it('reads the model from stdin with -', () => {
    const run = kmodel(['to-yaml', '-'], {input: readFileSync(fixture('residual-keras3.json'))})
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('class_name: Functional')
  })

  it('converts a Keras 3 model with --dialect keras2', () => {
    const run = kmodel(['to-json', fixture('residual-keras3.json'), '--dialect', 'keras2', '--indent', '1'])
    expect(run.code).toBe(0)
    const doc = JSON.parse(run.stdout) as {config: {input_layers: unknown}}
    expect(doc.config.input_layers).toEqual([['features', 0, 0]])
  })

  it('converts a Keras 3 MultiHeadAttention with --dialect keras2 as tf.keras writes it (value as a keyword, build shapes)', () => {
    const run = kmodel(['to-json', join('test', 'unit', 'model', 'fixtures', 'mha-cross-keras3.json'), '--dialect', 'keras2'])
    expect(run.code, run.stderr).toBe(0)
    const layers = (JSON.parse(run.stdout) as {config: {layers: Array<{class_name: string; config: Record<string, unknown>; inbound_nodes: unknown}>}}).config.layers
    const mha = layers.find((l) => l.class_name === 'MultiHeadAttention')
    expect(mha?.inbound_nodes).toEqual([[['input_layer', 0, 0, {value: ['input_layer_1', 0, 0]}]]])
    expect(mha?.config).toMatchObject({query_shape: [null, 3, 4], key_shape: [null, 5, 4], value_shape: [null, 5, 4]})
  })

  it('needs --output for --json', () => {
    const run = kmodel(['to-json', fixture('mlp-tfkeras212.json'), '--json'])
    expect(run.code).toBe(2)
    expect(run.json?.error?.message).toContain('needs --output')
  })
})

describe('kmodel error exits', () => {
  it('exit 3 for a missing file, one line and a hint, no stack', () => {
    const run = kmodel(['to-json', 'nope.json'])
    expect(run.code).toBe(3)
    expect(run.stderr).toBe('Error: nope.json does not exist. (KM_INPUT_NOT_FOUND)\nHint: Check the path; use - to read the model from standard input.\n')
    expect(run.stdout).toBe('')
  })

  it('exit 4 for a truncated JSON file, with the JSON error envelope', () => {
    const dir = tmp()
    const file = join(dir, 'cut.json')
    writeFileSync(file, readFileSync(fixture('mlp-tfkeras212.json'), 'utf8').slice(0, 300))
    const run = kmodel(['to-json', file, '--json', '-o', join(dir, 'out.json')])
    expect(run.code).toBe(4)
    expect(run.json?.status).toBe(4)
    expect(run.json?.error).toMatchObject({code: 'KM_FORMAT_JSON', name: 'FormatError'})
    expect(readdirSync(dir)).toEqual(['cut.json'])
  })

  it('exit 4 for a subclassed model, with the explanation', () => {
    const run = kmodel(['to-json', fixture('subclassed-simplemlp.json')])
    expect(run.code).toBe(4)
    expect(run.stderr).toContain('is a subclassed model')
    expect(run.stderr).toContain('functional API')
  })

  it('exit 2 for an unknown flag', () => {
    expect(kmodel(['to-json', fixture('mlp-tfkeras212.json'), '--bogus']).code).toBe(2)
  })
})

describe('kmodel from-config', () => {
  it('validates several files and reports each, exit 0 when all are valid', () => {
    const run = kmodel(['from-config', fixture('mlp-tfkeras212.json'), fixture('residual-keras3.json'), fixture('cnn-keras213.yaml'), '--json'])
    expect(run.code).toBe(0)
    const results = (run.json?.result as {results: Array<{file: string; valid: boolean}>}).results
    expect(results.map((r) => r.valid)).toEqual([true, true, true])
  })

  it('exit 4 and every error with its path when one file is invalid', () => {
    const dir = tmp()
    const bad = join(dir, 'bad.json')
    const doc = JSON.parse(readFileSync(fixture('mlp-tfkeras212.json'), 'utf8')) as {config: {layers: Array<{config: Record<string, unknown>}>}}
    const layer = doc.config.layers[3]
    if (layer !== undefined) layer.config.units = 'ten' // tf-keras int('128') would take '128'; int('ten') raises
    writeFileSync(bad, JSON.stringify(doc))
    const run = kmodel(['from-config', fixture('mlp-tfkeras212.json'), bad, '--json'])
    expect(run.code).toBe(4)
    const results = (run.json?.result as {results: Array<{valid: boolean; errors: Array<{path: string; message: string}>}>}).results
    expect(results[1]?.valid).toBe(false)
    expect(results[1]?.errors[0]?.path).toBe('$.config.layers[3].config.units')
  })

  it('exit 3 when a file is missing, still checking the others', () => {
    const run = kmodel(['from-config', 'missing.json', fixture('mlp-tfkeras212.json')])
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('✗ missing.json: invalid')
    expect(run.stdout).toContain('✓ ')
  })
})

describe('kmodel diff', () => {
  it('exit 0 for the same model in two formats, 1 with the differences listed', () => {
    const dir = tmp()
    const yaml = join(dir, 'mlp.yaml')
    expect(kmodel(['to-yaml', fixture('mlp-tfkeras212.json'), '-o', yaml]).code).toBe(0)
    const same = kmodel(['diff', fixture('mlp-tfkeras212.json'), yaml, '--json'])
    expect(same.code).toBe(0)
    expect(same.json?.result).toMatchObject({same: true, added: [], removed: [], changed: []})
    const other = kmodel(['diff', fixture('mlp-tfkeras212.json'), fixture('cnn-keras213.yaml')])
    expect(other.code).toBe(1)
    expect(other.stdout).toContain('--- ')
    expect(other.stdout).toMatch(/^[-+~] layer /m)
  })
})

describe('kmodel from-config over folders (worker threads)', () => {
  it('checks every model file under a folder in parallel, skips weights-only files, keeps input order', () => {
    const dir = tmp()
    const sub = join(dir, 'more')
    mkdirSync(sub)
    for (const f of ['mlp-tfkeras212.json', 'siamese-tfkeras212.json', 'residual-keras3.json']) copyFileSync(fixture(f), join(dir, f))
    copyFileSync(fixture('cnn-keras213.yaml'), join(sub, 'cnn.yaml'))
    expect(kmodel(['save-weights', fixture('mlp-tfkeras212.json'), join(sub, 'weights.h5')]).code).toBe(0)
    const run = kmodel(['from-config', dir, '--jobs', '2', '--json'])
    expect(run.code).toBe(0)
    const results = (run.json?.result as {results: Array<{file: string; valid: boolean; skipped?: string}>}).results
    expect(results.map((r) => [r.file.slice(dir.length + 1), r.valid, r.skipped ?? null])).toEqual([
      ['mlp-tfkeras212.json', true, null], ['more/cnn.yaml', true, null], ['more/weights.h5', true, 'weights only, no architecture'],
      ['residual-keras3.json', true, null], ['siamese-tfkeras212.json', true, null],
    ])
    writeFileSync(join(sub, 'broken.json'), '{"class_name": "Sequential"')
    const bad = kmodel(['from-config', dir, '--jobs', '2', '--json'])
    expect(bad.code).toBe(4)
  })
})
