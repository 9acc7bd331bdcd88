/**
 * schemas/<command>.json lock the `--json` surface (sf's schemas/ + command-snapshot.json): they are generated
 * from the TypeScript result types by scripts/schemas.js and must be current; every command has one; and the
 * real stdout of every command — success and error envelopes, run through the built CLI on fixtures, and for
 * train / predict / evaluate on a tiny MLP with generated arrays — validates against its schema, while a renamed,
 * missing or extra field does not.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'
import {type Schema, validate} from '../helpers/json-schema.js'
import {ROOT, fixture} from '../helpers/paths.js'
import {blobs, mlpDoc, modelFile, npy} from './train/helpers.js'

const schemaOf = (command: string): Schema => JSON.parse(readFileSync(join(ROOT, 'schemas', `${command.replace(/:/g, '-')}.json`), 'utf8')) as Schema
const MLP = fixture('mlp-tfkeras212.json')
const SIAMESE = fixture('siamese-tfkeras212.json')

/** One CLI run to check: the command id, its argv, and the exit code it must end with. */
interface Case {
  command: string
  args: string[]
  exit: number
}

/** Compile settings of the tfjs-backed cases: the tiny MLP of the train tests on the cpu backend. */
const COMPILE = ['--loss', 'sparse_categorical_crossentropy', '--metrics', 'accuracy', '--backend', 'cpu']

/**
 * Cases in order (later ones read files earlier ones wrote), relative outputs inside the run's tmpdir. The
 * tfjs-backed cases read `mlp.json` (4 → 16 → 3, 131 params), `x.npy` [24, 4], `y.npy` [24] and `wide.npy`
 * [24, 5], which beforeAll writes there.
 */
const CASES: Case[] = [
  ...['mlp-tfkeras212.json', 'siamese-tfkeras212.json', 'nested-tfkeras212.json', 'residual-keras3.json', 'cnn-keras213.yaml', 'lenet-keras122.json', 'tfjs-mlp-model.json']
    .map((f) => ({command: 'summary', args: ['summary', fixture(f), '--json'], exit: 0})),
  {command: 'summary', args: ['summary', fixture('subclassed-simplemlp.json'), '--json'], exit: 4},
  {command: 'summary', args: ['summary', 'missing.json', '--json'], exit: 3},
  {command: 'to-json', args: ['to-json', fixture('cnn-keras213.yaml'), '-o', 'model.json', '--json'], exit: 0},
  {command: 'to-json', args: ['to-json', MLP, '--json'], exit: 2},
  {command: 'to-yaml', args: ['to-yaml', fixture('residual-keras3.json'), '-o', 'model.yaml', '--dialect', 'keras2', '--json'], exit: 0},
  {command: 'to-yaml', args: ['to-yaml', MLP, '-o', 'model.yaml', '--json'], exit: 2}, // the output exists: usage
  {command: 'from-config', args: ['from-config', MLP, SIAMESE, fixture('cnn-keras213.yaml'), '--json'], exit: 0},
  {command: 'from-config', args: ['from-config', MLP, join(ROOT, 'test', 'bad-inputs', 'cycle.json'), '--json'], exit: 4},
  {command: 'save-weights', args: ['save-weights', MLP, 'w.h5', '--json'], exit: 0},
  {command: 'save-weights', args: ['save-weights', MLP, 'w.h5', '--json'], exit: 2}, // the output exists: usage
  {command: 'load-weights', args: ['load-weights', MLP, 'w.h5', '--json'], exit: 0},
  {command: 'load-weights', args: ['load-weights', SIAMESE, 'w.h5', '--json'], exit: 5},
  {command: 'diff', args: ['diff', MLP, SIAMESE, '--json'], exit: 1}, // exit 1: the models differ, as diff(1)
  {command: 'diff', args: ['diff', MLP, MLP, '--weights-a', 'w.h5', '--weights-b', 'w.h5', '--json'], exit: 0},
  {command: 'plot', args: ['plot', SIAMESE, '-o', 'graph.dot', '--json'], exit: 0},
  {command: 'weights:export', args: ['weights', 'export', MLP, '--weights', 'w.h5', '-o', 'w.npz', '--keys', 'names', '--json'], exit: 0},
  {command: 'weights:import', args: ['weights', 'import', MLP, 'w.npz', '-o', 'w2.h5', '--json'], exit: 0},
  {command: 'weights:show', args: ['weights', 'show', 'w.h5', MLP, '--json'], exit: 0},
  {command: 'weights:show', args: ['weights', 'show', MLP, '--json'], exit: 4}, // an architecture, not weights
  {command: 'save', args: ['save', MLP, '--weights', 'w.h5', '-o', 'mlp.keras', '--json'], exit: 0},
  {command: 'save', args: ['save', MLP, '-o', 'mlp.txt', '--json'], exit: 2}, // no format has that extension
  {command: 'backends', args: ['backends', '--json'], exit: 0},
  // history with val_* keys, a checkpoint (result.checkpoint not null), a CSV log and early stopping armed
  {command: 'train', args: ['train', 'mlp.json', '--x', 'x.npy', '--y', 'y.npy', '--epochs', '2', '--validation-split', '0.25', '--checkpoint', 'ckpt-{epoch:02d}.h5', '--csv-log', 'log.csv', '--early-stopping-patience', '1', ...COMPILE, '-o', 'trained.h5', '--json'], exit: 0},
  {command: 'train', args: ['train', 'mlp.json', '--x', 'x.npy', '--y', 'y.npy', '--backend', 'cpu', '-o', 'untrained.h5', '--json'], exit: 2}, // no loss anywhere
  {command: 'predict', args: ['predict', 'mlp.json', '--weights', 'trained.h5', '--x', 'x.npy', '-o', 'pred.npy', '--backend', 'cpu', '--json'], exit: 0},
  {command: 'predict', args: ['predict', 'mlp.json', '--weights', 'trained.h5', '--x', 'wide.npy', '-o', 'wide-pred.npy', '--backend', 'cpu', '--json'], exit: 4}, // data of the wrong shape
  {command: 'evaluate', args: ['evaluate', 'mlp.json', '--weights', 'trained.h5', '--x', 'x.npy', '--y', 'y.npy', ...COMPILE, '--json'], exit: 0},
  // fresh weights (a warning in the envelope) and an unknown loss
  {command: 'evaluate', args: ['evaluate', 'mlp.json', '--x', 'x.npy', '--y', 'y.npy', '--loss', 'contrastive', '--backend', 'cpu', '--json'], exit: 4},
]

describe('schemas/<command>.json', () => {
  it('are what scripts/schemas.js generates from the current result types', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'schemas.js'), '--check'], {cwd: ROOT, encoding: 'utf8'})
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  })

  it('exist for every command, and every command is exercised below', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
    const commands = Object.keys(manifest.commands).sort()
    for (const command of commands) expect(() => schemaOf(command), command).not.toThrow()
    expect([...new Set(CASES.map((c) => c.command))].sort()).toEqual(commands)
  })
})

describe('--json output of every command validates against its schema', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kmodel-schemas-'))
    const {x, labels} = blobs(24)
    modelFile(dir, mlpDoc(), 'mlp.json')
    npy(dir, 'x.npy', [24, 4], x)
    npy(dir, 'y.npy', [24], labels)
    npy(dir, 'wide.npy', [24, 5], new Float32Array(24 * 5))
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it.each(CASES.map((c, i) => [`${i}: ${c.args.slice(0, -1).map((a) => a.replace(`${ROOT}/`, '')).join(' ')}`, c] as const))('%s', (_name, c) => {
    const run = kmodel(c.args, {cwd: dir})
    expect.soft(run.code, run.stderr).toBe(c.exit)
    expect.soft(run.stderr).toBe('')
    expect(run.json, run.stdout).toBeDefined()
    expect(validate(schemaOf(c.command), run.json)).toEqual([])
    // from-config and diff report a verdict with a non-zero exit code in a success envelope whose status is that code
    expect(run.json !== undefined && 'result' in run.json ? 'result' : 'error').toBe(c.exit === 0 || ['from-config', 'diff'].includes(c.command) ? 'result' : 'error')
    expect(run.json?.status).toBe(c.exit)
  })
})

describe('the schemas catch drift', () => {
  const summary = (): Record<string, unknown> => {
    const run = kmodel(['summary', SIAMESE, '--json'])
    return run.json as unknown as Record<string, unknown>
  }

  it('a renamed, missing or extra field, or a wrong type, fails validation', () => {
    const schema = schemaOf('summary')
    const good = summary()
    expect(validate(schema, good)).toEqual([])
    const result = good.result as Record<string, unknown>
    const {totalParams, ...rest} = result
    const renamed = {...good, result: {...rest, totalParameters: totalParams}}
    expect(validate(schema, renamed).map((e) => e.message).join('\n')).toMatch(/\$\.result lacks required property 'totalParams'/)
    expect(validate(schema, {...good, result: {...result, totalParameters: totalParams}}).map((e) => e.message).join('\n')).toMatch(/\$\.result has property 'totalParameters', which the schema does not allow/)
    const layers = result.layers as Array<Record<string, unknown>>
    const layerRenamed = {...good, result: {...result, layers: layers.map(({className, ...l}) => ({...l, class_name: className}))}}
    expect(validate(schema, layerRenamed).length).toBeGreaterThan(0)
    expect(validate(schema, {...good, result: {...result, paramsExact: 'yes'}}).length).toBeGreaterThan(0)
    expect(validate(schema, {...good, warnings: [{path: '$', text: 'renamed message'}]}).length).toBeGreaterThan(0)
    expect(validate(schema, {status: 4, error: {code: 'KM_X', name: 'FormatError', message: 'm', hint: null, extra: 1}, warnings: []}).length).toBeGreaterThan(0)
  })

  it('the validator refuses keywords it does not implement instead of ignoring them', () => {
    expect(() => validate({type: 'string', pattern: '^a'}, 'b')).toThrow(/unsupported keyword 'pattern'/)
  })
})
