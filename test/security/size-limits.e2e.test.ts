/**
 * Size limits (issue #13), through the built CLI (run `npm run build` first): fresh save-weights of a
 * 1e10-parameter Dense and of a model over KMODEL_MAX_PARAMS, a tfjs weightsManifest listing one shard
 * 100,000 times or too many entries, and plot of a 1,500-layer chain. Each case: its documented exit code,
 * one error line + `Hint:`, no stack trace, and no output file left behind. Files are made in a tmpdir.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type CliRun, kmodel} from '../helpers/cli.js'
import {ROOT, fixture} from '../helpers/paths.js'

let dir: string

/** A Keras 2 Sequential JSON of `n` Dense layers of `units` units on an input of `inputs` features. */
function chain(n: number, units: number, inputs: number): string {
  const layers: unknown[] = [{class_name: 'InputLayer', config: {batch_input_shape: [null, inputs], dtype: 'float32', name: 'input_1'}}]
  for (let i = 0; i < n; i++) layers.push({class_name: 'Dense', config: {name: `dense_${i}`, units, activation: 'linear', use_bias: true, dtype: 'float32', trainable: true}})
  return JSON.stringify({class_name: 'Sequential', config: {name: 'chain', layers}, keras_version: '2.15.0', backend: 'tensorflow'})
}

/** Writes `text` as `name` in the test folder and returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** A tfjs model.json (the MLP fixture's topology) with the given weightsManifest, next to a 64-byte shard. */
function tfjs(name: string, manifest: unknown): string {
  const doc = JSON.parse(readFileSync(fixture('tfjs-mlp-model.json'), 'utf8')) as Record<string, unknown>
  writeFileSync(join(dir, 's.bin'), new Uint8Array(64))
  return file(name, JSON.stringify({...doc, weightsManifest: manifest}))
}

/** kmodel with extra environment variables. */
function kmodelEnv(args: string[], env: Record<string, string>): CliRun {
  const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {cwd: ROOT, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', DEBUG: '', ...env}})
  return {code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr, json: undefined}
}

/** The refusal shape every case must have: exit code, one error line then one Hint line, no stack trace. */
function expectRefusal(run: CliRun, exit: number, message: RegExp): void {
  expect(run.code, run.stderr).toBe(exit)
  const lines = run.stderr.trim().split('\n')
  expect(lines).toHaveLength(2)
  expect(lines[0]).toMatch(/^Error: /)
  expect(lines[0]).toMatch(message)
  expect(lines[1]).toMatch(/^Hint: /)
  expect(run.stderr).not.toMatch(/\n\s+at |Invalid typed array|Maximum call stack/)
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmodel-size-'))
})

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
})

describe('fresh save-weights size caps', () => {
  it('refuses a 1e10-parameter Dense with exit 4, naming the layer and the weight shape, writing nothing', () => {
    const model = file('huge.json', chain(1, 100_000, 100_000))
    const out = join(dir, 'huge.h5')
    const run = kmodel(['save-weights', model, out, '--fresh'])
    expectRefusal(run, 4, /'dense_0'.*'kernel'.*\(100000, 100000\).*10,000,000,000 elements.*KM_FORMAT_PARAMS_TOO_LARGE/)
    expect(readdirSync(dir)).not.toContain('huge.h5')
  })

  it('refuses a model over KMODEL_MAX_PARAMS (exit 4, hint names the variable) and writes it when raised', () => {
    const model = file('small.json', chain(3, 10, 10))
    const out = join(dir, 'small.h5')
    const refused = kmodelEnv(['save-weights', model, out, '--fresh'], {KMODEL_MAX_PARAMS: '200'})
    expectRefusal(refused, 4, /over 200 parameters.*'dense_1'.*KM_FORMAT_PARAMS_TOO_LARGE/)
    expect(refused.stderr).toMatch(/Hint: .*KMODEL_MAX_PARAMS/)
    expect(readdirSync(dir)).not.toContain('small.h5')
    const raised = kmodelEnv(['save-weights', model, out, '--fresh'], {KMODEL_MAX_PARAMS: '330'})
    expect(raised.code, raised.stderr).toBe(0)
    expect(raised.stdout).toMatch(/330 parameters/)
    rmSync(out)
  })

  it('refuses a KMODEL_MAX_PARAMS that is not a positive integer (exit 3)', () => {
    const model = file('small2.json', chain(1, 2, 2))
    expectRefusal(kmodelEnv(['save-weights', model, join(dir, 'x.h5'), '--fresh'], {KMODEL_MAX_PARAMS: 'lots'}), 3, /KMODEL_MAX_PARAMS is 'lots'/)
    expect(readdirSync(dir)).not.toContain('x.h5')
  })
})

describe('tfjs weightsManifest caps', () => {
  it('refuses one shard listed 100,000 times (exit 4) before reading it', () => {
    const model = tfjs('dup.json', [{paths: Array.from({length: 100_000}, () => 's.bin'), weights: []}])
    const run = kmodel(['save-weights', model, join(dir, 'dup.h5')])
    expectRefusal(run, 4, /shard 's\.bin' listed a second time \(first at \$\.weightsManifest\[0\]\.paths\[0\]\) at \$\.weightsManifest\[0\]\.paths\[1\].*KM_FORMAT_TFJS_MANIFEST/)
    expect(readdirSync(dir)).not.toContain('dup.h5')
  })

  it('refuses the same shard in two groups under another spelling (./s.bin)', () => {
    const model = tfjs('dup2.json', [{paths: ['s.bin'], weights: []}, {paths: ['./s.bin'], weights: []}])
    expectRefusal(kmodel(['save-weights', model, join(dir, 'dup2.h5')]), 4, /shard '\.\/s\.bin' listed a second time/)
  })

  it('refuses more than 10,000 distinct shard paths (exit 4)', () => {
    const model = tfjs('many.json', [{paths: Array.from({length: 10_001}, (_, i) => `s${i}.bin`), weights: []}])
    expectRefusal(kmodel(['save-weights', model, join(dir, 'many.h5')]), 4, /over 10,000 shard paths/)
    expect(readdirSync(dir)).not.toContain('many.h5')
  })
})

describe('plot of a long chain', () => {
  const model = (): string => join(dir, 'chain1500.json')
  beforeAll(() => {
    file('chain1500.json', chain(1500, 4, 8))
  })

  it('draws a 1,500-layer chain as SVG (was exit 70: Graphviz ortho routing overflowed the stack)', () => {
    const out = join(dir, 'chain.svg')
    const run = kmodel(['plot', model(), '--output', out])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/1500 layer boxes, 1499 edges/)
    expect(readFileSync(out, 'utf8')).toMatch(/^<\?xml|<svg/)
  }, 60_000)

  it('keeps right-angled edges for small graphs and drops them for large ones in the DOT text', () => {
    const big = join(dir, 'chain.dot')
    expect(kmodel(['plot', model(), '--output', big]).code).toBe(0)
    expect(readFileSync(big, 'utf8')).not.toMatch(/splines=ortho/)
    const small = join(dir, 'small.dot')
    expect(kmodel(['plot', file('chain10.json', chain(10, 4, 8)), '--output', small]).code).toBe(0)
    expect(readFileSync(small, 'utf8')).toMatch(/splines=ortho/)
  })

  it('refuses an SVG of over 10,000 layer boxes with exit 3 and a hint to write DOT, writing nothing', () => {
    const path = file('chain10001.json', chain(10_001, 2, 2))
    const run = kmodel(['plot', path, '--output', join(dir, 'huge.svg')])
    expectRefusal(run, 3, /10,001 layer boxes.*over the 10,000.*KM_INPUT_PLOT_TOO_LARGE/)
    expect(run.stderr).toMatch(/Hint: .*--output model\.dot/)
    expect(readdirSync(dir)).not.toContain('huge.svg')
  }, 60_000)
})

describe('layer count cap (KMODEL_MAX_LAYERS)', () => {
  it('refuses a 100,001-layer Sequential with exit 4 before building it, and reads it when the cap is raised', () => {
    const path = file('chain100001.json', chain(100_000, 1, 1))
    expectRefusal(kmodel(['summary', path]), 4, /more than 100,000 layers.*KM_FORMAT_TOO_MANY_LAYERS/)
    expectRefusal(kmodel(['to-yaml', path]), 4, /KM_FORMAT_TOO_MANY_LAYERS/)
    const raised = kmodelEnv(['from-config', path], {KMODEL_MAX_LAYERS: '100001'})
    expect(raised.code, raised.stderr).toBe(0)
    expect(raised.stdout).toMatch(/valid Sequential \(100,?001 layers/)
  }, 120_000)

  it('counts the layers of nested models too', () => {
    const inner = JSON.parse(chain(3, 2, 2)) as {config: unknown}
    const doc = {class_name: 'Sequential', config: {name: 'outer', layers: [{class_name: 'Sequential', config: inner.config}]}, keras_version: '2.15.0'}
    const path = file('nested-count.json', JSON.stringify(doc))
    expectRefusal(kmodelEnv(['summary', path], {KMODEL_MAX_LAYERS: '4'}), 4, /more than 4 layers/)
    expect(kmodelEnv(['summary', path], {KMODEL_MAX_LAYERS: '5'}).code).toBe(0)
  })
})

describe('models nested as deep as a document may be', () => {
  /** `depth` Sequentials, each holding the next, around one Dense declaring its input (3 document levels each). */
  function nestedSequentials(depth: number): string {
    let text = JSON.stringify({class_name: 'Dense', config: {name: 'd0', units: 2, batch_input_shape: [null, 3]}})
    for (let i = depth - 1; i >= 0; i--) text = `{"class_name":"Sequential","config":{"name":"s${i}","layers":[${text}]}}`
    return text.replace(/^\{/, '{"keras_version":"2.15.0","backend":"tensorflow",')
  }

  it('refuses 2,000 nested Sequentials (6,000 levels) with exit 4 in every command, not a stack overflow', () => {
    const path = file('nested2000.json', nestedSequentials(2000))
    for (const args of [['summary', path, '--expand-nested'], ['save-weights', path, join(dir, 'n.h5')], ['plot', path, '--output', join(dir, 'n.svg')], ['to-yaml', path]]) {
      expectRefusal(kmodel(args), 4, /more than 1000 levels deep.*KM_FORMAT_TOO_DEEP/)
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('n.'))).toEqual([])
  }, 60_000)

  it('handles 330 nested Sequentials (just under the depth cap) in summary, save-weights, predict and diff', () => {
    const path = file('nested330.json', nestedSequentials(330))
    const summary = kmodel(['summary', path, '--expand-nested', '--json'])
    expect(summary.code, summary.stderr).toBe(0)
    expect((JSON.parse(summary.stdout) as {result: {totalParams: number}}).result.totalParams).toBe(8)
    const weights = join(dir, 'nested330.h5')
    expect(kmodel(['save-weights', path, weights]).code).toBe(0)
    writeFileSync(join(dir, 'x.npy'), npyFloat32([4, 3], new Float32Array(12).fill(1)))
    const predicted = kmodel(['predict', path, '--weights', weights, '--x', join(dir, 'x.npy'), '--output', join(dir, 'y.npy'), '--json'])
    expect(predicted.code, predicted.stderr).toBe(0)
    expect((JSON.parse(predicted.stdout) as {result: {outputs: Array<{shape: number[]}>}}).result.outputs[0]?.shape).toEqual([4, 2])
    const other = file('nested331.json', nestedSequentials(331))
    const diff = kmodel(['diff', path, other])
    expect(diff.code, diff.stderr).toBe(1)
    expect(diff.stdout).toMatch(/~ layer s1\n\s+layers\[0\]\.config\.layers/)
  }, 120_000)
})

/** A little-endian float32 .npy of `shape`. */
function npyFloat32(shape: number[], data: Float32Array): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`
  while ((10 + header.length + 1) % 64 !== 0) header += ' '
  header += '\n'
  const out = new Uint8Array(10 + header.length + data.byteLength)
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8])
  out.set(new TextEncoder().encode(header), 10)
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length)
  return out
}

describe('standard input cap (KMODEL_MAX_STDIN_BYTES)', () => {
  const stdin = (input: Uint8Array | string, env: Record<string, string>): CliRun => {
    const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), 'summary', '-'], {cwd: ROOT, input, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', DEBUG: '', ...env}})
    return {code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr, json: undefined}
  }

  it('refuses standard input past the cap with exit 4 (it is held in memory), and reads it under the cap', () => {
    const model = readFileSync(join(ROOT, 'examples', 'siamese.json'))
    expectRefusal(stdin(model, {KMODEL_MAX_STDIN_BYTES: String(model.length - 1)}), 4, /<stdin> passes the \d+-byte limit on standard input.*KM_FORMAT_FILE_TOO_LARGE/)
    const under = stdin(model, {KMODEL_MAX_STDIN_BYTES: String(model.length)})
    expect(under.code, under.stderr).toBe(0)
    expect(under.stdout).toContain('Model: "siamese"')
    expectRefusal(stdin(model, {KMODEL_MAX_STDIN_BYTES: '2GB'}), 3, /KMODEL_MAX_STDIN_BYTES is '2GB', not a positive integer/)
  })
})
