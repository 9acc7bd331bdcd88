import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'
import {type Schema, validate} from '../helpers/json-schema.js'
import {ROOT, announceSkip} from '../helpers/paths.js'
import {blobs, dense, mlpDoc, modelFile, npy, sequential, tmp} from '../unit/train/helpers.js'

function setup(samples = 150): {dir: string; model: string; x: string; y: string} {
  const dir = tmp()
  const {x, labels} = blobs(samples)
  return {dir, model: modelFile(dir, mlpDoc()), x: npy(dir, 'x.npy', [samples, 4], x), y: npy(dir, 'y.npy', [samples], labels)}
}
const schemaOf = (command: string): Schema => JSON.parse(readFileSync(join(ROOT, 'schemas', `${command}.json`), 'utf8')) as Schema
const COMPILE = ['--loss', 'sparse_categorical_crossentropy', '--metrics', 'accuracy', '--optimizer', 'adam', '--learning-rate', '0.02', '--backend', 'cpu']
const HAVE_ADDON = existsSync(join(ROOT, 'native', 'build', 'Release', 'kmodel_blas.node'))
const HAVE_H5PY = spawnSync('/usr/bin/python3', ['-c', 'import h5py'], {encoding: 'utf8'}).status === 0
if (!HAVE_H5PY) announceSkip('train e2e: h5py check of the trained weights', '/usr/bin/python3 has no h5py (apt-get install python3-h5py)')

describe('kmodel train', () => {
  it('--json: the documented envelope, weights that load-weights and h5py read, and evaluate agrees', () => {
    const {dir, model, x, y} = setup()
    const out = join(dir, 'trained.h5')
    const run = kmodel(['train', model, '--x', x, '--y', y, '--epochs', '8', '--validation-split', '0.2', '-o', out, '--json', ...COMPILE])
    expect.soft(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(validate(schemaOf('train'), run.json)).toEqual([])
    const result = run.json?.result as {history: Record<string, number[]>; epochs: number; samplesPerSecond: number; backend: string; output: string}
    expect(result).toMatchObject({epochs: 8, backend: 'cpu', output: out, stopped: 'completed', samples: 120, validationSamples: 30})
    expect(Object.keys(result.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy'])
    expect(result.history.loss?.at(-1)).toBeLessThan(result.history.loss?.[0] ?? 0)
    expect(result.history.val_accuracy?.at(-1)).toBeGreaterThanOrEqual(0.9)
    expect(result.samplesPerSecond).toBeGreaterThan(0)
    expect(kmodel(['load-weights', model, out, '--json']).code).toBe(0)
    const evaluated = kmodel(['evaluate', model, '--weights', out, '--x', x, '--y', y, '--json', '--loss', 'sparse_categorical_crossentropy', '--metrics', 'accuracy', '--backend', 'cpu'])
    expect(evaluated.code).toBe(0)
    expect(validate(schemaOf('evaluate'), evaluated.json)).toEqual([])
    expect(evaluated.json?.result).toMatchObject({samples: 150, backend: 'cpu', results: {loss: expect.any(Number), accuracy: expect.any(Number)}})
    if (HAVE_H5PY) {
      const py = spawnSync('/usr/bin/python3', ['-c', `import h5py; f = h5py.File(${JSON.stringify(out)}, 'r'); print([n.decode() for n in f.attrs['layer_names']], f['hidden/hidden/kernel:0'].shape)`], {encoding: 'utf8'})
      expect(py.stdout.trim()).toBe("['hidden', 'out'] (4, 16)")
    }
  })

  it('prints one line per epoch on a non-terminal and the result on stdout', () => {
    const {dir, model, x, y} = setup(64)
    const run = kmodel(['train', model, '--x', x, '--y', y, '--epochs', '2', '-o', join(dir, 'w.h5'), ...COMPILE])
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/^Training on 64 samples \(cpu[^\n]*\)\.\nEpoch 1\/2: 2\/2 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - \d+m?s\/step\nEpoch 2\/2: /)
    expect(run.stdout).toMatch(/^Wrote .*w\.h5: 2 epoch\(s\), loss \d\.\d{4}, accuracy \d\.\d{4}; [\d,]+ samples\/s on cpu\.\n$/)
  })

  it('Ctrl-C finishes the batch, writes --output and exits 130', async () => {
    const {dir, model, x, y} = setup(400)
    const out = join(dir, 'w.h5')
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'train', model, '--x', x, '--y', y, '--epochs', '1000', '--batch-size', '8', '-o', out, ...COMPILE], {env: {...process.env, NO_COLOR: '1'}})
    let stderr = ''
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (stderr.includes('Epoch 1/1000:')) child.kill('SIGINT')
      })
      child.on('close', resolve)
    })
    expect(code).toBe(130)
    expect(existsSync(out)).toBe(true)
  })
})

describe('kmodel train: every bad input gives one clear line and its exit code', () => {
  const {dir, model, x, y} = setup(32)
  const csv = join(dir, 'data.csv')
  writeFileSync(csv, 'a,b,c,d,label\n1,2,3,4,0\n5,6,seven,8,1\n')
  const lambda = modelFile(dir, sequential('lam', [4], [{class_name: 'Lambda', config: {name: 'fn', function: ['4wEA', null, null], function_type: 'lambda', arguments: {}}}, dense('o', 3)]), 'lambda.json')
  const wide = npy(dir, 'wide.npy', [32, 5], new Float32Array(160))
  const cases: Array<[string, string[], number, RegExp]> = [
    ['unknown loss', ['--x', x, '--y', y, '--loss', 'contrastive', '-o', join(dir, 'w.h5')], 4, /Unknown loss 'contrastive' given to --loss\. \(KM_FORMAT_UNKNOWN_LOSS\)\nHint: Known losses: mse, mae/],
    ['no loss at all', ['--x', x, '--y', y, '-o', join(dir, 'w.h5')], 2, /No loss is given.*KM_USAGE_NO_LOSS/],
    ['shape mismatch', ['--x', wide, '--y', y, '--loss', 'sparse_categorical_crossentropy'], 4, /input 'mlp_input' expects shape \(None, 4\); the array given for it \('wide'\) has shape \(32, 5\)\. \(KM_FORMAT_DATA_SHAPE\)/],
    ['missing column', ['--x', csv, '--x-columns', 'a,b,c,e', '--y-columns', 'label', '--loss', 'sparse_categorical_crossentropy'], 2, /has no column 'e' \(named by --x-columns\)\. \(KM_USAGE_CSV_COLUMN\)\nHint: Its columns are: a, b, c, d, label\./],
    ['wrong dtype', ['--x', csv, '--y-columns', 'label', '--loss', 'sparse_categorical_crossentropy'], 3, /row 3, column 'c' holds "seven", which is not a number\. \(KM_INPUT_DTYPE\)/],
  ]
  it.each(cases)('%s', (_name, args, exit, pattern) => {
    const run = kmodel(['train', model, ...args, '--backend', 'cpu'])
    expect(run.code).toBe(exit)
    expect(run.stderr).toMatch(pattern)
    expect(run.stderr.split('\n').filter((l) => l.startsWith('Error:'))).toHaveLength(1)
  })

  it('a Lambda model: exit 6, as --json too', () => {
    const run = kmodel(['train', lambda, '--x', x, '--y', y, '--loss', 'mse', '--backend', 'cpu', '--json'])
    expect(run.code).toBe(6)
    expect(run.json?.error).toMatchObject({code: 'KM_BACKEND_CODE_LAYER', message: expect.stringContaining("Layer 'fn' is a Lambda layer")})
  })

  it('a NaN loss: exit 6, no output, the last good checkpoint kept', () => {
    const {x: bx} = blobs(96)
    const onehot = blobs(96).onehot
    const lin = modelFile(dir, sequential('lin', [4], [dense('h', 8, 'relu'), dense('o', 3)]), 'lin.json')
    const out = join(dir, 'nan-out.h5')
    const ckpt = join(dir, 'nan-ckpt.h5')
    const run = kmodel(['train', lin, '--x', npy(dir, 'bx.npy', [96, 4], bx), '--y', npy(dir, 'by.npy', [96, 3], onehot), '--loss', 'mse', '--optimizer', 'sgd', '--learning-rate', '3', '--epochs', '30', '--checkpoint', ckpt, '-o', out, '--backend', 'cpu', '--seed', '1'])
    expect(run.code).toBe(6)
    expect(run.stderr).toMatch(/Error: The loss became NaN or infinite at epoch \d+, batch \d+; training stopped and no output was written\. \(KM_BACKEND_NAN_LOSS\)\nHint: The last good checkpoint is /)
    expect(existsSync(out)).toBe(false)
    expect(existsSync(ckpt)).toBe(true)
  })
})

describe('kmodel backends', () => {
  it('lists every backend with its state and says which auto picks', () => {
    const run = kmodel(['backends', '--json'])
    expect(run.code).toBe(0)
    expect(validate(schemaOf('backends'), run.json)).toEqual([])
    const result = run.json?.result as {backends: Array<{name: string; available: boolean; reason: string}>; auto: string}
    expect(result.backends.map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
    expect(result.backends.find((b) => b.name === 'cpu')?.available).toBe(true)
    const picked = result.backends.find((b) => b.name === result.auto)
    expect(picked?.available).toBe(true)
    expect(picked?.reason).toMatch(/^(auto picks it: |first backend in auto order)/)
    const native = result.backends.slice(0, 2).some((b) => b.available)
    if (!native && HAVE_ADDON) expect(result.auto).toBe('cpu') // cpu + OpenBLAS beats wasm
  })

  it('KMODEL_BLAS=0: auto falls back to wasm and says why (read by the command, not by core)', () => {
    const saved = process.env['KMODEL_BLAS']
    process.env['KMODEL_BLAS'] = '0'
    try {
      const run = kmodel(['backends'])
      expect(run.code).toBe(0)
      expect(run.stderr).toBe('')
      if (!/^ {2}tensorflow\S* +available/m.test(run.stdout)) {
        expect(run.stdout).toContain('* wasm            available  auto picks it: cpu has no working OpenBLAS kernels (the BLAS kernels are disabled by KMODEL_BLAS=0)')
      }
      expect(run.stdout).toContain('cpu: tfjs kernels (the BLAS kernels are disabled by KMODEL_BLAS=0)')
    } finally {
      if (saved === undefined) delete process.env['KMODEL_BLAS']
      else process.env['KMODEL_BLAS'] = saved
    }
  })
})
