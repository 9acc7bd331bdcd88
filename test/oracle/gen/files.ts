import {gunzipSync} from 'node:zlib'
/**
 * Suite d (files, both ways): the small models Keras writes and reads back, the file kinds each generation
 * writes (files-read) and the kmodel commands whose output Keras loads (files-load). Fixed, not random: every
 * model covers one structure whose weights files differ (BatchNormalization's non-trainable weights, RNN cells,
 * wrappers, nested models, shared layers, several inputs and outputs).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ROOT} from '../../helpers/paths.js'
import {type FileEntry, fileBytes, fileEntry, writtenDigest} from '../checks/files.js'
import {fixturePath, type Generation, type OracleCase} from '../harness.js'
import type {ModelSpecCase} from './compute.js'

/** A file Keras writes: see test/oracle/py/suites/files_read.py. */
export type FileKind = 'keras' | 'h5' | 'weights.h5' | 'legacy.h5' | 'npz'

/** files-read: one model, one file Keras writes of it. */
export interface FilesReadCase extends OracleCase {
  model: ModelSpecCase
  file: FileKind
}

type Args = Record<string, unknown>
const layer = (name: string, className: string, args: Args = {}): ModelSpecCase['layers'][number] => ({name, class_name: className, args})
const seq = (name: string, shape: number[], layers: ModelSpecCase['layers'], input: Partial<ModelSpecCase['inputs'][number]> = {}): ModelSpecCase => ({
  kind: 'sequential', name, inputs: [{name: 'x', shape, ...input}], layers,
})

/** The models, by id; every layer is named (kmodel's retargeting and the renamed twin rely on the names). */
export const FILE_MODELS: ReadonlyArray<{id: string; seed: number; model: ModelSpecCase}> = [
  {id: 'mlp', seed: 101, model: seq('mlp', [3], [layer('d1', 'Dense', {units: 4, activation: 'relu'}), layer('drop1', 'Dropout', {rate: 0.5}), layer('d2', 'Dense', {units: 2, activation: 'softmax'})])},
  {id: 'cnn-bn', seed: 102, model: seq('cnn_bn', [6, 6, 1], [
    layer('conv1', 'Conv2D', {filters: 2, kernel_size: [3, 3]}), layer('bn1', 'BatchNormalization'), layer('pool1', 'MaxPooling2D', {pool_size: [2, 2]}),
    layer('flat1', 'Flatten'), layer('d1', 'Dense', {units: 2}),
  ])},
  {id: 'lstm-gru', seed: 103, model: seq('lstm_gru', [4, 2], [layer('lstm1', 'LSTM', {units: 3, return_sequences: true}), layer('gru1', 'GRU', {units: 2})])},
  {id: 'bidirectional', seed: 104, model: seq('bidir', [3, 2], [
    layer('bi1', 'Bidirectional', {layer: {class_name: 'LSTM', args: {units: 2, name: 'lstm_in'}}}), layer('d1', 'Dense', {units: 1}),
  ])},
  {id: 'embedding', seed: 105, model: seq('emb', [4], [
    layer('emb1', 'Embedding', {input_dim: 6, output_dim: 3}), layer('gap1', 'GlobalAveragePooling1D'), layer('d1', 'Dense', {units: 2}),
  ], {dtype: 'int32', range: [0, 6]})},
  {id: 'multi-io', seed: 106, model: {
    kind: 'functional', name: 'multi_io', inputs: [{name: 'a', shape: [3]}, {name: 'b', shape: [2]}],
    layers: [layer('da', 'Dense', {units: 4, activation: 'relu'}), layer('db', 'Dense', {units: 4, activation: 'tanh'}), layer('cat1', 'Concatenate'), layer('out1', 'Dense', {units: 2}), layer('out2', 'Dense', {units: 1, activation: 'sigmoid'})],
    nodes: [
      {layer: 'da', inputs: 'a', output: 'ta'}, {layer: 'db', inputs: 'b', output: 'tb'}, {layer: 'cat1', inputs: ['ta', 'tb'], output: 'tc'},
      {layer: 'out1', inputs: 'tc', output: 'o1'}, {layer: 'out2', inputs: 'tc', output: 'o2'},
    ],
    outputs: ['o1', 'o2'],
  }},
  {id: 'nested', seed: 107, model: seq('outer', [4], [
    {name: 'inner1', class_name: '__model__', model: seq('inner1', [4], [layer('di1', 'Dense', {units: 3, activation: 'relu'}), layer('bni', 'BatchNormalization')])},
    layer('d1', 'Dense', {units: 2}),
  ])},
  {id: 'shared', seed: 108, model: {
    kind: 'functional', name: 'shared', inputs: [{name: 'a', shape: [3]}, {name: 'b', shape: [3]}],
    layers: [layer('sh1', 'Dense', {units: 2, activation: 'tanh'}), layer('add1', 'Add'), layer('d1', 'Dense', {units: 1})],
    nodes: [
      {layer: 'sh1', inputs: 'a', output: 'ha'}, {layer: 'sh1', inputs: 'b', output: 'hb'}, {layer: 'add1', inputs: ['ha', 'hb'], output: 's'},
      {layer: 'd1', inputs: 's', output: 'o'},
    ],
    outputs: ['o'],
  }},
]

/** What each generation writes: Keras 3's save_weights only takes `.weights.h5` (the legacy layout comes from model.save('x.h5')). */
export const FILE_KINDS: Readonly<Record<Generation, readonly FileKind[]>> = {
  keras3: ['keras', 'h5', 'weights.h5', 'npz'],
  keras2: ['keras', 'h5', 'legacy.h5', 'weights.h5', 'npz'],
}

/** files-read cases: every model × every file kind of the generation. */
export function filesReadCases(generation: Generation): FilesReadCase[] {
  return FILE_MODELS.flatMap(({id, seed, model}) => FILE_KINDS[generation].map((file) => ({id: `${id}/${file}`, seed, model, file})))
}

/** The prefix of the renamed twin's layer names (load-weights by order onto other names). */
export const RENAME_PREFIX = 'r_'

/** The top-level layer names the renamed twin changes (inputs keep theirs): the same set files_load.py renames. */
export function renamedLayers(model: ModelSpecCase): string[] {
  return model.layers.map((l) => l.name)
}

/**
 * Keras's to_json of the model with its top-level layer names prefixed: each name is a whole JSON string
 * token (`"d1"`) wherever it occurs (config name, inbound nodes, output_layers), and no other string of these
 * models equals a layer name (a rename that broke the document would show as kmodel refusing r.json).
 */
export function renameInJson(json: string, model: ModelSpecCase): string {
  let out = json
  for (const name of renamedLayers(model)) out = out.split(JSON.stringify(name)).join(JSON.stringify(`${RENAME_PREFIX}${name}`))
  return out
}

// ---- files-load: what kmodel writes from Keras's files ----

/** files-load: one kmodel command on Keras's files of a model, and the weights file it wrote. */
export interface FilesLoadCase extends OracleCase {
  model: ModelSpecCase
  /** Keras builds the target with the renamed top-level layers kmodel's MODEL had (load-weights by order). */
  rename: boolean
  layout: 'keras2' | 'keras3'
  /**
   * What kmodel wrote: a weights file (Keras builds the model and calls load_weights), or a whole model that
   * Keras loads with load_model: `keras` (a .keras zip: Keras 3, whichever generation wrote the source) or
   * `h5` (a full-model .h5: the generation's own Keras).
   */
  kind: 'weights' | 'keras' | 'h5'
  /** The kmodel command, run in a folder holding Keras's files (m.json, r.json, m.h5, m.keras, w.h5, m.npz). */
  command: string[]
  /** What kmodel wrote (null when it failed), and its digest (timestamps masked: checks/files.ts writtenDigest). */
  file: FileEntry | null
  digest: string | null
  kmodel_error: string | null
}

/** Keras's answer a files-load case needs from files-read: the file it wrote, its to_json, the weights. */
export interface ReadFileAnswer {
  id: string
  written?: 'ok' | 'error'
  file?: FileEntry
  model_json?: string
}

type Command = {op: string; rename: boolean; layout: 'keras2' | 'keras3'; kind: FilesLoadCase['kind']; args: string[]}

/**
 * The kmodel commands of each model: both writers, both load-weights modes, weights import in both layouts,
 * and `save` to whole models: Keras's full .h5 (and its to_json with a weights file) to `.keras`, Keras's own
 * files to a full-model `.h5`.
 */
function commands(generation: Generation): Command[] {
  const weights = generation === 'keras3' ? 'm.weights.h5' : 'w.h5'
  const weightsCommands: Command[] = [
    {op: 'save-weights.keras2', rename: false, layout: 'keras2', kind: 'weights', args: ['save-weights', 'm.h5', 'out.h5', '--layout', 'keras2']},
    {op: 'save-weights.keras3', rename: false, layout: 'keras3', kind: 'weights', args: ['save-weights', 'm.keras', 'out.weights.h5', '--layout', 'keras3']},
    {op: 'load-weights.order.keras2', rename: true, layout: 'keras2', kind: 'weights', args: ['load-weights', 'r.json', weights, '-o', 'out.h5']},
    {op: 'load-weights.by-name.keras3', rename: false, layout: 'keras3', kind: 'weights', args: ['load-weights', 'm.json', weights, '--by-name', '-o', 'out.weights.h5', '--layout', 'keras3']},
    {op: 'import.keras2', rename: false, layout: 'keras2', kind: 'weights', args: ['weights', 'import', 'm.json', 'm.npz', '-o', 'out.h5']},
    {op: 'import.keras3', rename: false, layout: 'keras3', kind: 'weights', args: ['weights', 'import', 'm.json', 'm.npz', '-o', 'out.weights.h5', '--layout', 'keras3']},
  ]
  const own = generation === 'keras3' ? 'm.keras' : 'm.h5'
  return [
    ...weightsCommands,
    {op: 'save.keras.from-h5', rename: false, layout: 'keras3', kind: 'keras', args: ['save', 'm.h5', '-o', 'out.keras']},
    {op: 'save.keras.from-json', rename: false, layout: 'keras3', kind: 'keras', args: ['save', 'm.json', '--weights', weights, '-o', 'out.keras']},
    {op: 'save.h5.from-own', rename: false, layout: 'keras2', kind: 'h5', args: ['save', own, '-o', 'out.h5']},
    {op: 'save.h5.from-json', rename: false, layout: 'keras2', kind: 'h5', args: ['save', 'm.json', '--weights', weights, '-o', 'out.h5']},
  ]
}

/** Keras's files of one model, written into `dir` under the names the commands use; the names missing. */
function stageKerasFiles(dir: string, id: string, model: ModelSpecCase, answers: ReadonlyMap<string, ReadFileAnswer>, generation: Generation): string[] {
  const missing: string[] = []
  const names: Record<string, string> = {keras: 'm.keras', h5: 'm.h5', 'weights.h5': 'm.weights.h5', 'legacy.h5': 'w.h5', npz: 'm.npz'}
  let json: string | undefined
  for (const kind of FILE_KINDS[generation]) {
    const answer = answers.get(`${id}/${kind}`)
    if (answer?.file === undefined) missing.push(names[kind] ?? kind)
    else writeFileSync(join(dir, names[kind] ?? kind), fileBytes(answer.file))
    json ??= answer?.model_json
  }
  if (json === undefined) return [...missing, 'm.json', 'r.json']
  writeFileSync(join(dir, 'm.json'), json)
  writeFileSync(join(dir, 'r.json'), renameInJson(json, model))
  return missing
}

/** The committed files-load cases by id (their file bytes are reused when kmodel's output has the same digest). */
function committedLoadCases(generation: Generation): Map<string, FilesLoadCase> {
  const path = fixturePath('files-load', generation)
  if (!existsSync(path)) return new Map()
  const fixture = JSON.parse((path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path)).toString('utf8')) as {cases: Array<{case: FilesLoadCase}>}
  return new Map(fixture.cases.map((c) => [c.case.id, c.case]))
}

/** One kmodel run of the CLI runner: exit code and output. */
interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs `node bin/run.js ARGS --json` for every job, as a user would, two at a time (one node process each,
 * ~0.4 s of start-up, so a hundred runs would take a minute one after the other).
 */
function runCli(jobs: ReadonlyArray<{cwd: string; args: string[]}>): CliResult[] {
  const runner = `
    import {spawn} from 'node:child_process'
    const jobs = JSON.parse(process.argv[1]), results = new Array(jobs.length)
    let next = 0
    const lane = () => new Promise((done) => {
      const i = next++
      if (i >= jobs.length) return done()
      const p = spawn(process.execPath, [${JSON.stringify(join(ROOT, 'bin', 'run.js'))}, ...jobs[i].args, '--json'], {cwd: jobs[i].cwd, env: {...process.env, NO_COLOR: '1', DEBUG: ''}})
      let stdout = '', stderr = ''
      p.stdout.on('data', (d) => { stdout += d }); p.stderr.on('data', (d) => { stderr += d })
      p.on('close', (code) => { results[i] = {code: code ?? -1, stdout, stderr}; lane().then(done) })
    })
    await Promise.all([lane(), lane()])
    process.stdout.write(JSON.stringify(results))`
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', runner, JSON.stringify(jobs)], {encoding: 'utf8', maxBuffer: 256 << 20})
  if (run.status !== 0) throw new Error(`the kmodel runner failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as CliResult[]
}

/** What a run wrote (out.* in its folder), or the error kmodel reported. */
function outcome(dir: string, args: readonly string[], run: CliResult): {bytes: Uint8Array | null; error: string | null} {
  const out = join(dir, args.find((a) => a.startsWith('out.')) ?? '')
  if (run.code === 0 && existsSync(out)) return {bytes: readFileSync(out), error: null}
  let error: {code?: string; message?: string} | undefined
  try {
    error = (JSON.parse(run.stdout) as {error?: {code: string; message: string}}).error
  } catch {
    error = undefined
  }
  return {bytes: null, error: error === undefined ? `exit ${run.code}: ${run.stderr.split('\n')[0] ?? ''}` : `${error.code}: ${error.message}`}
}

/**
 * files-load cases: every kmodel command on Keras's files (the files-read answers) of every model, run through
 * the built CLI, each in its own folder. A written file whose digest equals the committed case's keeps the
 * committed bytes, so the case is the one Keras answered; any other change of kmodel's output makes the
 * fixture stale (regenerate live).
 */
export function filesLoadCases(generation: Generation, readAnswers: readonly ReadFileAnswer[]): FilesLoadCase[] {
  const answers = new Map(readAnswers.map((a) => [a.id, a]))
  const committed = committedLoadCases(generation)
  const root = mkdtempSync(join(tmpdir(), 'kmodel-oracle-files-'))
  try {
    const planned = FILE_MODELS.flatMap(({id, seed, model}) => commands(generation).map((command) => {
      const dir = join(root, `${id}-${command.op}`)
      mkdirSync(dir)
      const missing = stageKerasFiles(dir, id, model, answers, generation).filter((name) => command.args.includes(name))
      return {id: `${id}/${command.op}`, seed, model, command, dir, missing}
    }))
    const runnable = planned.filter((p) => p.missing.length === 0)
    const results = new Map(runCli(runnable.map((p) => ({cwd: p.dir, args: p.command.args}))).map((r, i) => [runnable[i]?.id ?? '', r]))
    return planned.map(({id, seed, model, command, dir, missing}) => {
      const run = results.get(id)
      const {bytes, error} = run === undefined ? {bytes: null, error: `Keras wrote no ${missing.join(', ')} (see files-read)`} : outcome(dir, command.args, run)
      const digest = bytes === null ? null : writtenDigest(bytes)
      const before = committed.get(id)
      const file = bytes === null ? null : before?.digest === digest && before.file !== null ? before.file : fileEntry(command.args.find((a) => a.startsWith('out.')) ?? 'out', bytes)
      return {id, seed, model, rename: command.rename, layout: command.layout, kind: command.kind, command: ['kmodel', ...command.args], file, digest, kmodel_error: error}
    })
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
}
