/**
 * `kmodel save` end to end, and the name rule every weights writer shares (output-kind.ts): exit codes, the
 * --json result, refusals (an extension Keras loads no model from, a --layout that disagrees with the name),
 * --force, and nothing left behind when a write is refused or fails.
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {writeNpy} from '../../src/core/io/npy.js'
import {readModel} from '../../src/core/read.js'
import {readWeights} from '../../src/core/weights/read.js'
import {kmodel} from '../helpers/cli.js'
import {fixture} from '../helpers/paths.js'

const dir = mkdtempSync(join(tmpdir(), 'kmodel-save-e2e-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const MLP = fixture('mlp-tfkeras212.json')

/** A fresh folder per case, so "nothing left behind" is a listing. */
function folder(name: string): string {
  const d = join(dir, name)
  mkdirSync(d)
  return d
}

describe('kmodel save', () => {
  it('writes a .keras from an architecture with fresh weights, with a warning, and the --json result', async () => {
    const d = folder('fresh')
    const run = kmodel(['save', MLP, '-o', 'm.keras', '--seed', '3', '--json'], {cwd: d})
    expect(run.code, run.stdout).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.json?.result).toEqual({output: 'm.keras', format: 'keras', kerasVersion: '3.6.0', layers: 4, tensors: 6, params: 235_146, weightsSource: 'initializers'}) // 784 → 256 → 128 → 10, a Dropout
    expect(JSON.stringify(run.json?.warnings)).toContain('fresh initial weights')
    const back = await readModel(join(d, 'm.keras'))
    expect(back.format).toBe('keras-zip')
    expect(back.model.dialect).toBe('keras3')
    expect((await readWeights(join(d, 'm.keras'))).layout).toBe('keras3')
    expect(readdirSync(d)).toEqual(['m.keras'])
  })

  it('.keras → .h5 → .keras keeps the weights (the model file\'s own)', async () => {
    const d = folder('chain')
    expect(kmodel(['save', MLP, '-o', 'a.keras'], {cwd: d}).code).toBe(0)
    const h5 = kmodel(['save', 'a.keras', '-o', 'b.h5', '--json'], {cwd: d})
    expect(h5.json?.result).toMatchObject({format: 'h5', weightsSource: 'model-file'})
    const keras = kmodel(['save', 'b.h5', '-o', 'c.keras', '--json'], {cwd: d})
    expect(keras.json?.result).toMatchObject({format: 'keras', weightsSource: 'model-file'})
    const tensors = async (p: string) => (await readWeights(join(d, p))).layers.flatMap((l) => l.weights.map((w) => Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).toString('hex')))
    expect(await tensors('c.keras')).toEqual(await tensors('a.keras'))
    expect(await tensors('b.h5')).toEqual(await tensors('a.keras'))
  })

  it('takes --weights, matched by order', async () => {
    const d = folder('weights')
    expect(kmodel(['save-weights', MLP, 'w.h5', '--seed', '5'], {cwd: d}).code).toBe(0)
    const run = kmodel(['save', MLP, '--weights', 'w.h5', '-o', 'm.h5', '--json'], {cwd: d})
    expect(run.json?.result).toMatchObject({output: 'm.h5', format: 'h5', weightsSource: 'weights-file'})
    expect(run.json?.warnings).toEqual([])
  })

  it.each([
    ['m.pb', 'KM_USAGE_OUTPUT_EXTENSION'], ['m.weights.h5', 'KM_USAGE_OUTPUT_KIND'], ['model', 'KM_USAGE_OUTPUT_EXTENSION'],
  ])('refuses -o %s (exit 2, a hint listing the extensions) and writes nothing', (out, code) => {
    const d = folder(`bad-${out}`)
    const run = kmodel(['save', MLP, '-o', out, '--json'], {cwd: d})
    expect(run.code).toBe(2)
    expect(run.json?.error).toMatchObject({code, hint: expect.stringContaining('.keras')})
    expect(readdirSync(d)).toEqual([])
  })

  it('refuses the tfjs-only flags with a file output', () => {
    const run = kmodel(['save', MLP, '-o', 'm.keras', '--quantize', 'uint8', '--json'], {cwd: folder('tfjs-only')})
    expect(run.code).toBe(2)
    expect(run.json?.error?.code).toBe('KM_USAGE_TFJS_ONLY')
  })

  it('never replaces an output without --force', () => {
    const d = folder('force')
    writeFileSync(join(d, 'm.keras'), 'old')
    const refused = kmodel(['save', MLP, '-o', 'm.keras', '--json'], {cwd: d})
    expect(refused.code).not.toBe(0)
    expect(refused.json?.error?.code).toMatch(/OUTPUT_EXISTS/)
    expect(readFileSync(join(d, 'm.keras'), 'utf8')).toBe('old')
    expect(kmodel(['save', MLP, '-o', 'm.keras', '--force'], {cwd: d}).code).toBe(0)
    expect(readdirSync(d)).toEqual(['m.keras'])
  })

  it('a model Keras 3 would refuse once converted: .keras refused (exit 4), nothing left; the legacy .h5 is written', () => {
    const d = folder('refuse')
    const gru = {class_name: 'Sequential', keras_version: '2.4.0', backend: 'tensorflow', config: {name: 's', layers: [
      {class_name: 'GRU', config: {name: 'g', units: 2, time_major: true, batch_input_shape: [null, 3, 2], dtype: 'float32'}},
    ]}}
    writeFileSync(join(d, 'gru.json'), JSON.stringify(gru))
    const run = kmodel(['save', 'gru.json', '-o', 'g.keras', '--json'], {cwd: d})
    expect(run.code, run.stdout).toBe(4)
    expect(run.json?.error).toMatchObject({code: 'KM_FORMAT_KERAS3_REFUSES', hint: expect.stringContaining('.h5')})
    expect(readdirSync(d)).toEqual(['gru.json'])
    expect(kmodel(['save', 'gru.json', '-o', 'g.h5'], {cwd: d}).code).toBe(0)
  })

  it('a Keras 3 part TensorFlow.js cannot compute the same: exit 4, the message names the model file, nothing left', () => {
    const d = folder('no-legacy')
    const doc = JSON.parse(readFileSync(fixture('residual-keras3.json'), 'utf8')) as {config: {layers: Array<{class_name: string; config: Record<string, unknown>}>}}
    const dense = doc.config.layers.find((l) => l.class_name === 'Dense')
    if (dense === undefined) throw new Error('the fixture has no Dense layer')
    dense.config.activation = 'hard_sigmoid' // Keras 3's is relu6(x + 3) / 6, tf.keras's clip(0.2·x + 0.5, 0, 1)
    writeFileSync(join(d, 'k3.json'), JSON.stringify(doc))
    const run = kmodel(['save', 'k3.json', '-o', 'web/'], {cwd: d})
    expect(run.code).toBe(4)
    expect(run.stderr).toMatch(/^Error: k3\.json: Layer '\w+' \(Dense\): activation="hard_sigmoid" has no Keras 2 \(tf\.keras\) form.*\(KM_FORMAT_NO_LEGACY_FORM\)$/m)
    expect(readdirSync(d)).toEqual(['k3.json'])
  })

  it('a missing output folder: exit 3, nothing written', () => {
    const d = folder('missing')
    const run = kmodel(['save', MLP, '-o', 'no/such/m.keras', '--json'], {cwd: d})
    expect(run.code).toBe(3)
    expect(readdirSync(d)).toEqual([])
  })

  it('a folder output is a TensorFlow.js model', async () => {
    const d = folder('tfjs')
    const run = kmodel(['save', MLP, '-o', 'web/', '--json'], {cwd: d})
    expect(run.code, run.stdout).toBe(0)
    expect(run.json?.result).toMatchObject({output: 'web/', format: 'tfjs'})
    expect(existsSync(join(d, 'web', 'model.json'))).toBe(true)
    expect((await readModel(join(d, 'web', 'model.json'))).format).toBe('tfjs')
  })
})

describe('the name decides the layout (save-weights, load-weights -o)', () => {
  it.each([
    [['save-weights', MLP, 'x.h5', '--layout', 'keras3'], 'KM_USAGE_LAYOUT_EXTENSION'],
    [['save-weights', MLP, 'g.weights.h5', '--layout', 'keras2'], 'KM_USAGE_LAYOUT_EXTENSION'],
    [['save-weights', MLP, 'm.keras'], 'KM_USAGE_OUTPUT_KIND'],
    [['save-weights', MLP, 'w.bin'], 'KM_USAGE_OUTPUT_EXTENSION'],
    [['load-weights', MLP, 'w.h5', '-o', 'x.h5', '--layout', 'keras3'], 'KM_USAGE_LAYOUT_EXTENSION'],
  ])('%j is refused (exit 2) and writes nothing', (args, code) => {
    const d = folder(`layout-${code}-${args.length}-${args[2] ?? ''}`.replace(/[^\w.-]/g, '_'))
    writeFileSync(join(d, 'w.h5'), '')
    const run = kmodel([...args, '--json'], {cwd: d})
    expect(run.code).toBe(2)
    expect(run.json?.error?.code).toBe(code)
    expect(readdirSync(d)).toEqual(['w.h5'])
  })

  it('save-weights takes the layout from the name', async () => {
    const d = folder('by-name')
    const k3 = kmodel(['save-weights', MLP, 'g.weights.h5', '--json'], {cwd: d})
    expect(k3.json?.result).toMatchObject({layout: 'keras3'})
    expect((await readWeights(join(d, 'g.weights.h5'))).layout).toBe('keras3')
    expect(kmodel(['save-weights', MLP, 'w.h5', '--json'], {cwd: d}).json?.result).toMatchObject({layout: 'keras2'})
  })

  it('train -o m.keras writes the whole model, checkpoints by their names; a disagreeing --layout is refused before training', async () => {
    const d = folder('train')
    writeFileSync(join(d, 'x.npy'), writeNpy({dtype: 'float32', shape: [8, 4], data: Float32Array.from({length: 32}, (_, i) => Math.sin(i))}))
    writeFileSync(join(d, 'y.npy'), writeNpy({dtype: 'int32', shape: [8], data: Int32Array.from({length: 8}, (_, i) => i % 3)}))
    const model = {class_name: 'Sequential', keras_version: '2.15.0', backend: 'tensorflow', config: {name: 's', layers: [
      {class_name: 'InputLayer', config: {batch_input_shape: [null, 4], dtype: 'float32', name: 'in'}}, {class_name: 'Dense', config: {name: 'd', units: 3, activation: 'softmax'}},
    ]}}
    writeFileSync(join(d, 'm.json'), JSON.stringify(model))
    const train = ['train', 'm.json', '--x', 'x.npy', '--y', 'y.npy', '--loss', 'sparse_categorical_crossentropy', '--epochs', '1', '--backend', 'cpu']
    const refused = kmodel([...train, '-o', 'bad.h5', '--layout', 'keras3', '--json'], {cwd: d})
    expect(refused.code).toBe(2)
    expect(refused.json?.error?.code).toBe('KM_USAGE_LAYOUT_EXTENSION')
    const run = kmodel([...train, '-o', 'out.keras', '--checkpoint', 'c-{epoch}.weights.h5', '--json'], {cwd: d})
    expect(run.code, run.stdout).toBe(0)
    expect((await readModel(join(d, 'out.keras'))).format).toBe('keras-zip')
    expect((await readWeights(join(d, 'c-1.weights.h5'))).layout).toBe('keras3')
    expect(readdirSync(d).sort()).toEqual(['c-1.weights.h5', 'm.json', 'out.keras', 'x.npy', 'y.npy'])
  })

  it('load-weights -o m.keras writes the whole model', async () => {
    const d = folder('load-keras')
    expect(kmodel(['save-weights', MLP, 'w.h5', '--seed', '9'], {cwd: d}).code).toBe(0)
    const run = kmodel(['load-weights', MLP, 'w.h5', '-o', 'm.keras', '--json'], {cwd: d})
    expect(run.code, run.stdout).toBe(0)
    expect(run.json?.result).toMatchObject({output: 'm.keras'})
    const back = await readModel(join(d, 'm.keras'))
    expect(back.format).toBe('keras-zip')
    const a = (await readWeights(join(d, 'w.h5'))).layers.flatMap((l) => l.weights.map((w) => Array.from(w.data as Float32Array)))
    const b = (await readWeights(join(d, 'm.keras'))).layers.flatMap((l) => l.weights.map((w) => Array.from(w.data as Float32Array)))
    expect(b).toEqual(a)
  })
})
