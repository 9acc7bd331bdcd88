/**
 * Whole-model writers: the Keras 3 `.keras` zip (write-keras-zip.ts) and the legacy full-model `.h5`
 * (write-keras-h5.ts). Every file written is read back by kmodel (the architecture meant, every weight bit
 * for bit) and by h5py (every tensor at the path Keras loads it from); the zip's layout is Keras 3's.
 */
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {unzipSync} from 'fflate'
import {afterAll, describe, expect, it} from 'vitest'
import {KmodelError} from '../../../src/core/errors.js'
import {dateSaved, KERAS_ZIP_MEMBERS, keras3Config, writeKerasZip} from '../../../src/core/formats/write-keras-zip.js'
import {writeKerasH5Model} from '../../../src/core/formats/write-keras-h5.js'
import {summarize} from '../../../src/core/graph/summarize.js'
import {readModel} from '../../../src/core/read.js'
import {freshModelWeights} from '../../../src/core/weights/fresh.js'
import {writeWeightsH5} from '../../../src/core/weights/write-h5.js'
import {HAVE_H5PY, h5pyReadBack, h5pyView, kmodelReadBack} from '../../helpers/saved-model.js'
import {announceSkip, fixture} from '../../helpers/paths.js'
import {layer, tensor, weightsFile} from '../../helpers/weights-file.js'

if (!HAVE_H5PY) announceSkip('whole-model files read back by h5py', 'python3 cannot import h5py; install python3-h5py')

const dir = mkdtempSync(join(tmpdir(), 'kmodel-save-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const MODELS = ['mlp-tfkeras212.json', 'siamese-tfkeras212.json', 'nested-tfkeras212.json', 'residual-keras3.json', 'cnn-keras213.yaml']


async function fresh(name: string) {
  const {model} = await readModel(fixture(name))
  return {model, file: freshModelWeights(model, summarize(model), 7)}
}

describe.each(MODELS)('%s, fresh weights', (name) => {
  it.each(['keras', 'h5'] as const)('→ .%s reads back as written, by kmodel and h5py', async (format) => {
    const {model, file} = await fresh(name)
    const out = join(dir, `${name}.${format}`)
    if (format === 'keras') await writeKerasZip(out, model, file, false)
    else await writeKerasH5Model(out, model, file, false)
    expect(await kmodelReadBack(out, format, model, file)).toEqual([]) // nested models included (load.ts inNestedOrder)
    if (HAVE_H5PY) expect(h5pyReadBack(out, format, model, file)).toEqual([])
  })
})

describe('the .keras zip', () => {
  it('has Keras 3\'s members, in order, stored, with Keras\'s timestamps and metadata', async () => {
    const {model, file} = await fresh('mlp-tfkeras212.json')
    const out = join(dir, 'layout.keras')
    const now = new Date(2026, 2, 4, 5, 6, 7)
    const written = await writeKerasZip(out, model, file, false, now)
    expect(written.kerasVersion).toBe('3.6.0')
    const members = unzipSync(new Uint8Array(readFileSync(out)))
    expect(Object.keys(members)).toEqual([...KERAS_ZIP_MEMBERS])
    expect(JSON.parse(new TextDecoder().decode(members['metadata.json']))).toEqual({keras_version: '3.6.0', date_saved: '2026-03-04@05:06:07'})
    expect(dateSaved(now)).toBe('2026-03-04@05:06:07')
    if (!HAVE_H5PY) return
    const view = h5pyView(out)
    expect(view.zip?.map((m) => [m.name, m.compress_type, m.external_attr])).toEqual(KERAS_ZIP_MEMBERS.map((n) => [n, 0, 0o600 << 16]))
    expect(view.zip?.map((m) => m.date_time)).toEqual([[1980, 1, 1, 0, 0, 0], [1980, 1, 1, 0, 0, 0], [2026, 3, 4, 5, 6, 6]]) // DOS time: 2-second steps
    expect(Object.keys(view.config ?? {})).toEqual(['module', 'class_name', 'config', 'registered_name'])
    expect(view.attrs).toEqual({}) // Keras 3's .weights.h5 has no root attributes
    expect(view.groups.map((g) => g.path)).toEqual(expect.arrayContaining(['layers', 'layers/dense', 'layers/dense/vars', 'vars']))
  })

  it('refuses a converted model Keras 3 would refuse, writing nothing', async () => {
    const {model, file} = await fresh('mlp-tfkeras212.json')
    const first = model.root.graph.layers.find((l) => l.class_name === 'Dense')
    if (first === undefined) throw new Error('no Dense')
    first.config.time_major = true // not a Dense argument in any Keras 3
    const out = join(dir, 'refused.keras')
    const error = await writeKerasZip(out, model, file, false).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KmodelError)
    expect(error).toMatchObject({code: 'KM_FORMAT_KERAS3_REFUSES', exit: 4})
    expect(existsSync(out)).toBe(false)
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('never replaces a file without force, and leaves no temp file behind', async () => {
    const {model, file} = await fresh('mlp-tfkeras212.json')
    const out = join(dir, 'exists.keras')
    writeFileSync(out, 'old')
    await expect(writeKerasZip(out, model, file, false)).rejects.toMatchObject({code: expect.stringMatching(/OUTPUT_EXISTS/)})
    await writeKerasZip(out, model, file, true)
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })
})

describe('config.json of a converted legacy model', () => {
  it('warns, per layer, that hard_sigmoid computes differently in Keras 3', async () => {
    const doc = {class_name: 'Sequential', keras_version: '2.2.4', backend: 'tensorflow', config: {name: 's', layers: [
      {class_name: 'LSTM', config: {name: 'l1', units: 2, recurrent_activation: 'hard_sigmoid', batch_input_shape: [null, 3, 2]}},
      {class_name: 'Dense', config: {name: 'd1', units: 1, activation: 'sigmoid'}},
    ]}}
    const {model} = await readModel({bytes: new TextEncoder().encode(JSON.stringify(doc)), name: 'm.json'})
    const {warnings} = keras3Config(model)
    expect(warnings.map((w) => w.path)).toEqual(["layer 'l1'"])
    expect(warnings[0]?.message).toMatch(/relu6\(x \+ 3\) \/ 6.*clip\(0\.2·x \+ 0\.5\)/)
  })
})

describe('the full-model .h5', () => {
  it('has the root attributes and model_weights tf.keras writes', async () => {
    if (!HAVE_H5PY) return
    const {model, file} = await fresh('mlp-tfkeras212.json')
    const out = join(dir, 'attrs.h5')
    await writeKerasH5Model(out, model, file, false)
    const view = h5pyView(out)
    expect(Object.keys(view.attrs)).toEqual(['backend', 'keras_version', 'model_config']) // h5py lists them by name
    expect(view.attrs.keras_version).toBe('2.12.0')
    expect(JSON.parse(view.attrs.model_config as string)).toMatchObject({class_name: 'Sequential', config: {name: expect.any(String)}})
    expect(view.model_weights_attrs).toMatchObject({backend: 'tensorflow', keras_version: '2.12.0', layer_names: file.layers.map((l) => l.name)})
  })
})

describe('temp files of long output names', () => {
  it('an output name of 250 bytes is written (the temp name stays short) and nothing is left beside it', async () => {
    const sub = mkdtempSync(join(dir, 'long-'))
    const name = `${'w'.repeat(247)}.h5`
    await writeWeightsH5(join(sub, name), weightsFile([layer('d', tensor('d/kernel:0', [2, 2]))]), {layout: 'keras2', force: false})
    expect(readdirSync(sub)).toEqual([name])
  })
})
