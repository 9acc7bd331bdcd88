/**
 * Issue #13, reads outside the model: a model, weights or data file must make kmodel read nothing outside
 * itself. Every hostile file points at a canary (outside/canary.h5, outside/canary.bin) whose values are all
 * CANARY; each run must exit with its documented code, print one error line and a Hint (no stack trace),
 * write no output, and never show the canary's value. HDF5 files are made by make_outside.py with h5py
 * (Debian /usr/bin/python3); tfjs folders are made here. Needs `npm run build` (spawns dist/ via bin/run.js).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ROOT, announceSkip} from '../helpers/paths.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_H5PY = spawnSync(PYTHON, ['-c', 'import h5py'], {encoding: 'utf8'}).status === 0
if (!HAVE_H5PY) announceSkip('HDF5 outside-read corpus (test/security/outside-reads)', `${PYTHON} cannot import h5py`)
const HAVE_MKFIFO = spawnSync('mkfifo', ['--version'], {encoding: 'utf8'}).status === 0
if (!HAVE_MKFIFO) announceSkip('tfjs FIFO shard check', 'mkfifo is not available')

/** Exactly representable in float32, and in no file kmodel would print otherwise. */
const CANARY = 31337.25
const CANARY_TEXT = '31337'
const root = mkdtempSync(join(tmpdir(), 'kmodel-outside-'))
const model = (name: string): string => join(root, 'model', name)
const out = (name: string): string => join(root, 'out', name)

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** The built CLI, as test/helpers/cli.ts runs it, but with a timeout: a FIFO must not hang the suite. */
function kmodel(args: string[]): Run {
  const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
    cwd: root, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', DEBUG: ''}, timeout: 60_000, maxBuffer: 64 << 20,
  })
  return {code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr}
}

/** A .npy of float32 ones, shape (4, 3). */
function ones(path: string): void {
  const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }"
  const header = dict.padEnd(64 - 10 - 1, ' ') + '\n'
  const head = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, header.length, 0]), Buffer.from(header, 'latin1')])
  writeFileSync(path, Buffer.concat([head, Buffer.from(new Float32Array(12).fill(1).buffer)]))
}

/** Asserts a refusal: exit code, one `Error:` line with the code, one `Hint:` line, no stack, no canary, no output. */
function expectRefused(run: Run, exit: number, code: string, output?: string): void {
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Warning:'))
  expect(run.code, run.stderr).toBe(exit)
  expect(lines, run.stderr).toHaveLength(2)
  expect(lines[0]).toMatch(new RegExp(`^Error: .*\\(${code}\\)$`))
  expect(lines[1]).toMatch(/^Hint: \S/)
  expect(run.stderr).not.toMatch(/^\s+at |HDF5-DIAG/m)
  expect(run.stdout + run.stderr).not.toContain(CANARY_TEXT)
  if (output !== undefined) expect(existsSync(output)).toBe(false)
  expect(readdirSync(join(root, 'out'))).toEqual(['x.npy']) // nothing written, no temp file left behind
}

beforeAll(() => {
  mkdirSync(join(root, 'out'))
  ones(out('x.npy'))
  if (!HAVE_H5PY) return
  const made = spawnSync(PYTHON, [join(dirname(fileURLToPath(import.meta.url)), 'make_outside.py'), root, String(CANARY)], {encoding: 'utf8'})
  if (made.status !== 0) throw new Error(`make_outside.py failed: ${made.stderr}`)
  writeFileSync(model('custom.json'), JSON.stringify({class_name: 'Sequential', config: {name: 's', layers: [
    {class_name: 'InputLayer', config: {batch_input_shape: [null, 3], dtype: 'float32', name: 'in'}},
    {class_name: 'MyDense', config: {name: 'dense', units: 2}},
  ]}, keras_version: '2.12.0', backend: 'tensorflow'}))
})
afterAll(() => rmSync(root, {recursive: true, force: true}))

const HOSTILE_WEIGHTS = [
  ['ext-abs.h5', 'an external link (absolute path) to a dataset', /'\/dense\/dense\/kernel:0' is an external link to '.*canary\.h5:\/kernel'/],
  ['ext-rel.h5', 'an external link (../ path) to a layer group', /'\/dense' is an external link to '\.\.\/outside\/canary\.h5:\/dense'/],
  ['efl.h5', 'a dataset with EXTERNAL raw storage', /dataset '\/dense\/dense\/kernel:0' would open '.*canary\.bin'/],
  ['vds.h5', 'a virtual dataset', /'\/dense\/dense\/kernel:0' is a virtual dataset mapped onto '.*canary\.h5:\/kernel'/],
  ['soft-ext.h5', 'a soft link through an external link', /'\/e' is an external link/],
] as const

describe.skipIf(!HAVE_H5PY)('HDF5 files that point outside themselves (KM_FORMAT_HDF5_EXTERNAL, exit 4)', () => {
  it('controls: in-file data and in-file soft links still load', () => {
    for (const name of ['good.h5', 'soft-ok.h5']) {
      const run = kmodel(['load-weights', model('model.json'), model(name), '-o', out('w.h5')])
      expect(run.code, run.stderr).toBe(0)
      rmSync(out('w.h5'))
    }
    expect(kmodel(['predict', model('model.json'), '--weights', model('good.h5'), '--x', `${model('data-ok.h5')}:/x`, '-o', out('p.npy')]).code).toBe(0)
    rmSync(out('p.npy'))
  })

  for (const [file, what, message] of HOSTILE_WEIGHTS) {
    it(`${file}: ${what} is refused by load-weights, summary --weights and predict --weights`, () => {
      const load = kmodel(['load-weights', model('model.json'), model(file), '-o', out('w.h5')])
      expectRefused(load, 4, 'KM_FORMAT_HDF5_EXTERNAL', out('w.h5'))
      expect(load.stderr).toMatch(message)
      expectRefused(kmodel(['summary', model('custom.json'), '--weights', model(file)]), 4, 'KM_FORMAT_HDF5_EXTERNAL')
      expectRefused(kmodel(['predict', model('model.json'), '--weights', model(file), '--x', out('x.npy'), '-o', out('p.npy')]), 4, 'KM_FORMAT_HDF5_EXTERNAL', out('p.npy'))
    })
  }

  it('--json gives the envelope with the code and the hint', () => {
    const run = kmodel(['load-weights', model('model.json'), model('ext-abs.h5'), '--json'])
    expect(run.code).toBe(4)
    const doc = JSON.parse(run.stdout) as {status: number; error: {code: string; hint: string}}
    expect(doc.status).toBe(4)
    expect(doc.error.code).toBe('KM_FORMAT_HDF5_EXTERNAL')
    expect(doc.error.hint).toMatch(/nothing outside/)
    expect(run.stdout).not.toContain(CANARY_TEXT)
  })

  it('dangling and looping soft links are refused (KM_FORMAT_HDF5_LINK)', () => {
    const dangling = kmodel(['load-weights', model('model.json'), model('soft-dangling.h5')])
    expectRefused(dangling, 4, 'KM_FORMAT_HDF5_LINK')
    expect(dangling.stderr).toContain("'/dense/dense/kernel:0' is a soft link to '/nowhere', which does not exist")
    const loop = kmodel(['load-weights', model('model.json'), model('soft-cycle.h5')])
    expectRefused(loop, 4, 'KM_FORMAT_HDF5_LINK')
    expect(loop.stderr).toMatch(/soft link in a loop/)
  })

  it('a .keras whose model.weights.h5 holds an external link', () => {
    const run = kmodel(['predict', model('ext.keras'), '--x', out('x.npy'), '-o', out('p.npy')])
    expectRefused(run, 4, 'KM_FORMAT_HDF5_EXTERNAL', out('p.npy'))
    expect(run.stderr).toContain("(model.weights.h5): '/layers/dense/vars/0' is an external link")
    expectRefused(kmodel(['load-weights', model('model.json'), model('ext.keras')]), 4, 'KM_FORMAT_HDF5_EXTERNAL')
  })

  it('a full-model .h5 whose model_weights group is an external link', () => {
    expectRefused(kmodel(['predict', model('full-ext.h5'), '--x', out('x.npy'), '-o', out('p.npy')]), 4, 'KM_FORMAT_HDF5_EXTERNAL', out('p.npy'))
    const summary = kmodel(['summary', model('full-ext.h5')]) // reads model_config only: nothing outside
    expect(summary.code, summary.stderr).toBe(0)
    expect(summary.stdout + summary.stderr).not.toContain(CANARY_TEXT)
  })

  for (const kind of ['ext', 'efl', 'vds']) {
    it(`predict --x data-${kind}.h5:/x (a data file pointing outside) is refused`, () => {
      const run = kmodel(['predict', model('model.json'), '--weights', model('good.h5'), '--x', `${model(`data-${kind}.h5`)}:/x`, '-o', out('p.npy')])
      expectRefused(run, 4, 'KM_FORMAT_HDF5_EXTERNAL', out('p.npy'))
      expect(run.stderr).toContain("'/x'")
    })
  }
})

/** A tfjs folder whose model.json lists one shard, `shard` (a path as the manifest gives it). */
function tfjsFolder(name: string, shard: string, make: (dir: string) => void): string {
  const dir = join(root, name)
  mkdirSync(dir)
  const topology = {class_name: 'Sequential', config: {name: 's', layers: [
    {class_name: 'Dense', config: {name: 'dense', units: 2, batch_input_shape: [null, 3], activation: 'linear', use_bias: true}},
  ]}, keras_version: '2.12.0', backend: 'tensorflow'}
  const weights = [{name: 'dense/kernel', shape: [3, 2], dtype: 'float32'}, {name: 'dense/bias', shape: [2], dtype: 'float32'}]
  writeFileSync(join(dir, 'model.json'), JSON.stringify({format: 'layers-model', modelTopology: topology, weightsManifest: [{paths: [shard], weights}]}))
  make(dir)
  return join(dir, 'model.json')
}

describe('tfjs shards outside the model.json folder or not regular files (KM_FORMAT_TFJS_SHARD_PATH, exit 4)', () => {
  const canaryBin = (): string => {
    const path = join(root, 'tfjs-canary.bin')
    if (!existsSync(path)) writeFileSync(path, Buffer.from(new Float32Array(16).fill(CANARY).buffer))
    return path
  }
  const bytes = Buffer.from(new Float32Array(8).fill(0.5).buffer)

  it('controls: a shard in the folder, and a symlink to a file in the folder, load', () => {
    const plain = tfjsFolder('tfjs-ok', 'w.bin', (d) => writeFileSync(join(d, 'w.bin'), bytes))
    expect(kmodel(['load-weights', plain, plain]).code).toBe(0)
    const linked = tfjsFolder('tfjs-link-in', 'w.bin', (d) => {
      mkdirSync(join(d, 'real'))
      writeFileSync(join(d, 'real', 'x.bin'), bytes)
      symlinkSync(join(d, 'real', 'x.bin'), join(d, 'w.bin'))
    })
    expect(kmodel(['load-weights', linked, linked]).code).toBe(0)
  })

  it('a shard that is a symlink to a file outside the folder', () => {
    const json = tfjsFolder('tfjs-link-out', 'w.bin', (d) => symlinkSync(canaryBin(), join(d, 'w.bin')))
    const run = kmodel(['predict', json, '--x', out('x.npy'), '-o', out('p.npy')])
    expectRefused(run, 4, 'KM_FORMAT_TFJS_SHARD_PATH', out('p.npy'))
    expect(run.stderr).toMatch(/weight shard 'w\.bin' \(\$\.weightsManifest\[0\]\.paths\[0\]\) leads to '.*tfjs-canary\.bin', outside the folder/)
    expectRefused(kmodel(['load-weights', json, json]), 4, 'KM_FORMAT_TFJS_SHARD_PATH')
  })

  it('a shard listed as ../x.bin or by absolute path', () => {
    canaryBin()
    const up = tfjsFolder('tfjs-up', '../tfjs-canary.bin', () => {})
    expectRefused(kmodel(['load-weights', up, up]), 4, 'KM_FORMAT_TFJS_SHARD_PATH')
    const abs = tfjsFolder('tfjs-abs', canaryBin(), () => {})
    expectRefused(kmodel(['load-weights', abs, abs]), 4, 'KM_FORMAT_TFJS_SHARD_PATH')
  })

  it.skipIf(!HAVE_MKFIFO)('a shard that is a FIFO is refused without blocking', () => {
    const json = tfjsFolder('tfjs-fifo', 'w.bin', (d) => expect(spawnSync('mkfifo', [join(d, 'w.bin')]).status).toBe(0))
    const run = kmodel(['load-weights', json, json])
    expectRefused(run, 4, 'KM_FORMAT_TFJS_SHARD_PATH')
    expect(run.stderr).toContain('is a FIFO (named pipe), not a regular file')
  })

  it('a shard that is a folder, or a symlink to a device', () => {
    const folder = tfjsFolder('tfjs-dir', 'w.bin', (d) => mkdirSync(join(d, 'w.bin')))
    const dir = kmodel(['load-weights', folder, folder])
    expectRefused(dir, 4, 'KM_FORMAT_TFJS_SHARD_PATH')
    expect(dir.stderr).toContain('is a folder, not a regular file')
    const device = tfjsFolder('tfjs-dev', 'w.bin', (d) => symlinkSync('/dev/zero', join(d, 'w.bin')))
    expectRefused(kmodel(['load-weights', device, device]), 4, 'KM_FORMAT_TFJS_SHARD_PATH')
  })
})
