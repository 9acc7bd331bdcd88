/**
 * The library entry (package.json `exports`): the typed ES module in dist/ as a user imports it, `require()` through
 * index.cjs, and every exported function callable without its options argument.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {freshModelWeights} from '../../src/core/weights/fresh.js'
import * as kmodel from '../../src/index.js'
import {oraclePython} from '../oracle/harness.js'
import {ROOT, fixture} from '../helpers/paths.js'

const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {exports: {'.': {import: string; require: string; types: string}}}
const entry = pjson.exports['.']
const tmp = mkdtempSync(join(tmpdir(), 'kmodel-library-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

/** Runs a script with node in a folder outside the repository, as a user's program would. */
function node(args: string[]): {code: number; stdout: string; stderr: string} {
  const res = spawnSync(process.execPath, args, {cwd: tmp, encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})
  return {code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr}
}

describe('library entry point', () => {
  it('reads and summarises without the CLI', async () => {
    const {model} = await kmodel.readModel(fixture('mlp-tfkeras212.json'))
    expect(kmodel.summarize(model).total_params).toBe(235146)
    expect(typeof kmodel.convertModel).toBe('function')
    expect(new kmodel.FormatError('KM_FORMAT_X', 'm').exit).toBe(4)
    expect(new kmodel.UsageError('KM_USAGE_X', 'm').exit).toBe(2)
  })

  it('every options argument has a default: renderers, summaryToJson, weights', async () => {
    const {model} = await kmodel.readModel(fixture('siamese-tfkeras212.json'))
    const summary = kmodel.summarize(model)
    const table = kmodel.renderTable(summary)
    expect(table).toContain('Total params: 221')
    expect(table).not.toContain('\u001B[') // no colour unless asked
    // without a style: the one of the generation that wrote the file (tf.keras 2.12 here), as the CLI's -f keras
    expect(kmodel.renderKerasText(summary)).toBe(kmodel.renderKerasText(summary, {style: kmodel.defaultKerasStyle(summary.keras_version)}))
    expect(kmodel.renderKerasText(summary)).toContain('Total params: 221\n')
    expect(kmodel.summaryToJson(summary).totalParams).toBe(221)
    expect(kmodel.convertModel(model).document).toBeDefined()
  })

  it('weights: load, match and write without options, with Keras\'s defaults (by order, no skip, layout by name)', async () => {
    const {model} = await kmodel.readModel(fixture('mlp-tfkeras212.json'))
    const weights = freshModelWeights(model, kmodel.summarize(model), 1)
    const loaded = kmodel.loadInto(model, weights)
    expect(loaded.assignments.length).toBe(3)
    expect(kmodel.matchWeights(loaded.summary.rows.map((r) => ({name: r.name, class_name: r.class_name, weights: r.weights})), weights).report.mode).toBe('order')
    const out = join(tmp, 'w.weights.h5')
    await kmodel.writeWeightsH5(out, weights)
    expect((await kmodel.readWeights(out)).layout).toBe('keras3')
    await expect(kmodel.writeWeightsH5(out, weights)).rejects.toMatchObject({code: 'KM_USAGE_OUTPUT_EXISTS', exit: 2})
    const legacy = join(tmp, 'w.h5')
    await kmodel.writeWeightsH5(legacy, weights)
    expect((await kmodel.readWeights(legacy)).layout).toBe('keras2')
  })
})

describe('the built package entry (dist/)', () => {
  const built = existsSync(join(ROOT, entry.import))

  it.skipIf(!built)('import: the exports map\'s ES module, from a program outside the repository', () => {
    const url = pathToFileURL(join(ROOT, entry.import)).href
    const script = `const k = await import(${JSON.stringify(url)}); const {model} = await k.readModel(${JSON.stringify(fixture('siamese-tfkeras212.json'))}); console.log(k.renderTable(k.summarize(model)).split('\\n').at(-3))`
    const run = node(['--input-type=module', '-e', script])
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe('Total params: 221 (884.00 B)')
    expect(existsSync(join(ROOT, entry.types))).toBe(true)
  })

  it.skipIf(!built)('require: index.cjs hands over the ES module where Node can require() it', () => {
    const required = createRequire(import.meta.url)(join(ROOT, entry.require)) as typeof kmodel
    expect(typeof required.readModel).toBe('function')
    expect(Object.keys(required).sort()).toEqual(Object.keys(kmodel).sort())
  })

  it.skipIf(!built)('require: where Node cannot require() an ES module, one clear message saying to use import()', () => {
    const run = node(['--no-experimental-require-module', '-e', `require(${JSON.stringify(join(ROOT, entry.require))})`])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("kmodel-cli is an ES module and this Node.js cannot require() it: use `const kmodel = await import('kmodel-cli')`")
  })
})

describe('the example the package ships (examples/siamese.json), against tf.keras', () => {
  const python = oraclePython()
  const example = join(ROOT, 'examples', 'siamese.json')

  it.skipIf(python === null)('is what tf.keras writes (model_from_json → to_json is the same text), and renderKerasText prints its model.summary()', async () => {
    const script = [
      'import os, sys, json',
      "os.environ['TF_USE_LEGACY_KERAS'] = '1'",
      'import tf_keras',
      'text = open(sys.argv[1]).read()',
      'm = tf_keras.models.model_from_json(text)',
      'lines = []',
      'm.summary(print_fn=lambda s, **k: lines.append(s))',
      "print(json.dumps({'same': m.to_json() == text, 'summary': '\\n'.join(lines)}))",
    ].join('\n')
    const res = spawnSync(python ?? '', ['-c', script, example], {encoding: 'utf8', env: {...process.env, TF_CPP_MIN_LOG_LEVEL: '3'}})
    expect(res.status, res.stderr).toBe(0)
    const keras = JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}') as {same: boolean; summary: string}
    expect(keras.same).toBe(true)
    const {model} = await kmodel.readModel(example)
    expect(kmodel.renderKerasText(kmodel.summarize(model))).toBe(keras.summary)
  }, 120_000)
})
