/**
 * `kmodel save` on the real files of ../shared/interop: every model that carries weights (a full-model .h5,
 * a .keras, a tfjs model.json, or an architecture with its weights file) is written as `.keras` and as a
 * full-model `.h5`; each output reads back (kmodel: the architecture meant and the summary of the original,
 * every weight bit for bit; h5py: every tensor at the path Keras loads it from). A model whose conversion Keras 3
 * would refuse is refused, never written: those are listed below with the reason, so a change shows.
 * And a `.keras` kmodel writes has the members, config layout and weight paths of the Keras 3 files there.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {KmodelError} from '../../src/core/errors.js'
import {saveModel, weightsToSave} from '../../src/core/formats/save-model.js'
import {isObject} from '../../src/core/json.js'
import {readModel} from '../../src/core/read.js'
import {type ManifestRow, architectureFiles, manifest} from '../helpers/interop.js'
import {HAVE_INTEROP, INTEROP, announceSkip} from '../helpers/paths.js'
import {HAVE_H5PY, type H5pyView, h5pyReadBack, h5pyView, kmodelReadBack} from '../helpers/saved-model.js'

if (!HAVE_INTEROP) announceSkip('interop save suite', '../shared/interop is absent (CI has it)')
if (HAVE_INTEROP && !HAVE_H5PY) announceSkip('interop save: h5py read-back', 'python3 cannot import h5py; install python3-h5py')

/** Model files with the weights they carry, and architectures with their weights file (same entry). */
function sources(): Array<{id: string; arch: ManifestRow; weights: string | undefined}> {
  const rows = manifest()
  const weights = rows.filter((r) => r.weight_elements !== null && !r.file.endsWith('.bin'))
  const out = new Map<string, {id: string; arch: ManifestRow; weights: string | undefined}>()
  for (const arch of architectureFiles()) {
    for (const w of weights.filter((r) => r.entry === arch.entry)) {
      const id = w.path === arch.path ? `${arch.entry}: ${arch.file}` : `${arch.entry}: ${arch.file} + ${w.file}`
      out.set(id, {id, arch, weights: w.path === arch.path ? undefined : w.path})
    }
  }
  return [...out.values()]
}

/**
 * Conversions refused on purpose: Keras 3 takes no such argument, so a `.keras` would not load (the legacy
 * `.h5` is still written: tf.keras loads it). `id → error code`.
 */
const REFUSED_KERAS: Readonly<Record<string, string>> = {
  // Lambda layers with legacy marshalled bytecode (function_type, module, output_shape_type …): no Keras 3 form.
  'dl4j-lambda: model_lambda.h5': 'KM_FORMAT_KERAS3_REFUSES',
  'recommender-func-k218: model_architecture.json + model_weights.h5': 'KM_FORMAT_KERAS3_REFUSES',
}

const all = HAVE_INTEROP ? sources() : []
const dir = mkdtempSync(join(tmpdir(), 'kmodel-interop-save-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe.skipIf(!HAVE_INTEROP)('interop: every model with weights → .keras and .h5, read back', () => {
  it('finds the models', () => {
    expect(all.length).toBeGreaterThanOrEqual(30)
  })

  it.each(all.flatMap((s, i) => (['keras', 'h5'] as const).map((format) => [`${s.id} → .${format}`, s, format, i] as const)))('%s', async (_n, s, format, i) => {
    const read = await readModel(s.arch.path)
    const {file} = await weightsToSave(read, s.arch.path, {weights: s.weights, byName: false, seed: 0})
    const out = join(dir, `${i}.${format}`)
    const refused = format === 'keras' ? REFUSED_KERAS[s.id] : undefined
    const written = await saveModel(out, format, read.model, file, {force: false}).catch((error: unknown) => error)
    if (refused !== undefined) {
      expect(written).toBeInstanceOf(KmodelError)
      expect((written as KmodelError).code).toBe(refused)
      return
    }
    if (written instanceof Error) throw written
    expect(await kmodelReadBack(out, format, read.model, file)).toEqual([])
    if (HAVE_H5PY) expect(h5pyReadBack(out, format, read.model, file)).toEqual([])
  })
})

/** The Keras 3 `.keras` files Keras 3 itself wrote (the tf.keras 2.14 one has its own variant). */
const KERAS3_FILES = ['gradadmit-k3/model.keras', 'flownet-k3/final_model.keras', 'stock-lstm-k341/model.keras']

/** Layer-entry keys of a config.json, per layer. */
function entryKeys(view: H5pyView): string[][] {
  const config = view.config?.config
  const layers = isObject(config) && Array.isArray(config.layers) ? config.layers : []
  return layers.map((l) => (isObject(l) ? Object.keys(l) : []))
}

/** The weight datasets and vars groups of the model (training state left out: kmodel writes none). */
function weightPaths(view: H5pyView): {datasets: string[]; vars: string[]} {
  const model = (p: string): boolean => !/^(optimizer|metrics|compile_metrics)(\/|$)/.test(p)
  return {
    datasets: view.datasets.map((d) => d.path).filter(model).sort(),
    vars: view.groups.map((g) => g.path).filter((p) => model(p) && p.endsWith('vars')).sort(),
  }
}

describe.skipIf(!HAVE_INTEROP || !HAVE_H5PY)('interop: a .keras kmodel writes is laid out as Keras 3\'s', () => {
  it.each(KERAS3_FILES)('%s → save → the same members, config layout and weight paths', async (name) => {
    const source = join(INTEROP, name)
    const read = await readModel(source)
    const {file} = await weightsToSave(read, source, {weights: undefined, byName: false, seed: 0})
    const out = join(dir, name.replace(/\W/g, '_'))
    await saveModel(`${out}.keras`, 'keras', read.model, file, {force: false})
    const keras = h5pyView(source)
    const ours = h5pyView(`${out}.keras`)
    expect(ours.zip?.map((m) => [m.name, m.compress_type])).toEqual(keras.zip?.map((m) => [m.name, m.compress_type]))
    expect(Object.keys(ours.metadata ?? {})).toEqual(Object.keys(keras.metadata ?? {}))
    expect(ours.metadata?.keras_version).toBe(keras.metadata?.keras_version)
    const {compile_config: _compiled, ...kerasRoot} = keras.config ?? {}
    expect(Object.keys(ours.config ?? {})).toEqual(Object.keys(kerasRoot).concat(_compiled === undefined ? [] : ['compile_config']))
    expect(entryKeys(ours)).toEqual(entryKeys(keras))
    expect(weightPaths(ours)).toEqual(weightPaths(keras))
    expect(ours.attrs).toEqual(keras.attrs)
  })

  it('a legacy .h5 converted to .keras has the entries and weight paths Keras 3 writes for the same model', async () => {
    // gradadmit-k3 holds the same model saved by Keras 3.13 both ways: model.h5 (legacy) and model.keras.
    const source = join(INTEROP, 'gradadmit-k3', 'model.h5')
    const read = await readModel(source)
    const {file} = await weightsToSave(read, source, {weights: undefined, byName: false, seed: 0})
    const out = join(dir, 'gradadmit-from-h5.keras')
    await saveModel(out, 'keras', read.model, file, {force: false})
    const keras = h5pyView(join(INTEROP, 'gradadmit-k3', 'model.keras'))
    const ours = h5pyView(out)
    expect(ours.zip?.map((m) => [m.name, m.compress_type])).toEqual(keras.zip?.map((m) => [m.name, m.compress_type]))
    expect(entryKeys(ours).map((k) => k.filter((key) => key !== 'build_config'))).toEqual(entryKeys(keras).map((k) => k.filter((key) => key !== 'build_config')))
    expect(weightPaths(ours)).toEqual(weightPaths(keras))
  })
})
