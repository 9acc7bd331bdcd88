/**
 * Every interop model that carries weights, written as a TensorFlow.js folder by kmodel, then read back twice:
 * (a) by kmodel (same architecture as the legacy document, bit-identical weights), and (b) by tfjs-layers 4.22
 * itself (`loadLayersModel`, strict), whose predict must equal kmodel's own predict within 1e-5. Models tfjs
 * cannot represent are refused, each with the reason asserted.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {loadTfjs} from '../../src/core/backend/runtime.js'
import {loadBackend} from '../../src/core/backend/select.js'
import {buildComputeModel} from '../../src/core/compute/model.js'
import {recurrentDefault, writeTfjsModel} from '../../src/core/formats/write-tfjs.js'
import {tfjsDocument} from '../../src/core/formats/write-tfjs-check.js'
import {type JsonObject, omit} from '../../src/core/json.js'
import {convertModel} from '../../src/core/model/dialect.js'
import {toDocument} from '../../src/core/model/write.js'
import {type ModelSpec, generationOf} from '../../src/core/model/spec.js'
import {type InputArray, predict} from '../../src/core/predict.js'
import {readModel} from '../../src/core/read.js'
import {loadInto, retarget} from '../../src/core/weights/load.js'
import {readWeights} from '../../src/core/weights/read.js'
import type {WeightsFile} from '../../src/core/weights/types.js'
import {type ManifestRow, architectureFiles, manifest} from '../helpers/interop.js'
import {HAVE_INTEROP, announceSkip} from '../helpers/paths.js'
import {loadFolder, tfjsPredict} from './tfjs-write-load.js'

if (!HAVE_INTEROP) announceSkip('interop tfjs writer suite', '../shared/interop is absent (CI has it)')

/** Architecture × weights pairs of the same entry (a full model pairs with itself). */
function pairs(): Array<{arch: ManifestRow; weights: ManifestRow}> {
  const rows = manifest()
  const weights = rows.filter((r) => r.weight_elements !== null && !r.file.endsWith('.bin'))
  return architectureFiles().flatMap((arch) => weights.filter((w) => w.entry === arch.entry).map((w) => ({arch, weights: w})))
}

/** Pairs tfjs cannot represent: the error code and a piece of the message. */
const REFUSED: Record<string, [string, string]> = {
  'dl4j-attention-k211/keras-attention.h5': ['KM_FORMAT_TFJS_UNSUPPORTED', "Layer 'attention' (Attention) is a class TensorFlow.js (tfjs-layers 4.22) does not have"],
  'dl4j-lambda/model_lambda.h5': ['KM_FORMAT_TFJS_UNSUPPORTED', '(Lambda) is a class TensorFlow.js'],
  'recommender-func-k218/model_architecture.json': ['KM_FORMAT_TFJS_UNSUPPORTED', "Layer 'string_lookup' (StringLookup) is a class"],
  'solar-gru/gru_model.h5': ['KM_FORMAT_TFJS_UNSUPPORTED', "Layer 'gru' (GRU) has reset_after=True"],
  'solar-gru/gru_model.json': ['KM_FORMAT_TFJS_UNSUPPORTED', "Layer 'gru' (GRU) has reset_after=True"],
}

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})

async function retargeted(arch: string, weights: string): Promise<{model: ModelSpec; file: WeightsFile}> {
  const {model} = await readModel(arch)
  const file = retarget(loadInto(model, await readWeights(weights), {byName: false, skipMismatch: false}), model)
  return {model, file}
}

/** A fixed input per model input: floats in [0, 1), or small ids for integer (Embedding) inputs. */
async function fixedInputs(model: ModelSpec): Promise<InputArray[]> {
  await loadBackend('cpu')
  const built = buildComputeModel((await loadTfjs()).core, model)
  try {
    return built.inputs.map((t, k) => {
      const shape = t.shape.map((d, i) => d ?? (i === 0 ? 3 : 4))
      const n = shape.reduce((a, b) => a * b, 1)
      if (t.dtype === 'int32') return {shape, data: Int32Array.from({length: n}, (_, i) => (i * 7 + k) % 5), dtype: 'int32' as const}
      return {shape, data: Float32Array.from({length: n}, (_, i) => ((i * 7919 + k * 13) % 1000) / 1000), dtype: 'float32' as const}
    })
  } finally {
    built.dispose()
  }
}

const all = HAVE_INTEROP ? pairs() : []

describe.skipIf(!HAVE_INTEROP)('interop: kmodel writes tfjs folders that tfjs-layers loads and that predict the same', () => {
  it('finds the pairs', () => {
    expect(all.length).toBeGreaterThanOrEqual(40)
  })

  it.each(all.map((p) => [`${p.arch.entry}: ${p.arch.file} + ${p.weights.file}`, p] as const))('%s', async (name, {arch, weights}) => {
    const {model, file} = await retargeted(arch.path, weights.path)
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-tfjs-write-'))
    dirs.push(dir)
    const out = join(dir, 'model')
    const refused = REFUSED[`${arch.entry}/${arch.file}`]
    if (refused !== undefined) {
      await expect(writeTfjsModel(out, model, file, {force: false})).rejects.toMatchObject({code: refused[0], message: expect.stringContaining(refused[1]), exit: 4})
      return
    }
    const written = await writeTfjsModel(out, model, file, {force: false})
    expect(written.files[0]).toBe(join(out, 'model.json'))

    // (a) kmodel reads it back: the legacy document (LeakyReLU's Keras 3 slope under its tf.keras name), and
    // every weight of every layer, in order, bit for bit.
    const back = await readModel(join(out, 'model.json'))
    const bare = (doc: JsonObject) => omit(doc, ['keras_version', 'backend'])
    expect(bare(toDocument(back.model))).toEqual(tfjsDocument(bare(convertModel(model, 'keras2').document), recurrentDefault(model), generationOf(model) === 'keras3'))
    const again = retarget(loadInto(back.model, await readWeights(join(out, 'model.json')), {byName: true, skipMismatch: false}), back.model)
    const bits = (f: WeightsFile) => f.layers.filter((l) => l.weights.length > 0).map((l) => ({layer: l.name, weights: l.weights.map((w) => ({shape: w.shape, dtype: w.dtype, bits: Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).toString('hex')}))}))
    expect(bits(again)).toEqual(bits(file))

    // (b) tfjs-layers loads it and computes what kmodel computes.
    const inputs = await fixedInputs(model)
    const mine = await predict(model, file, inputs, {backend: 'cpu'})
    const loaded = await loadFolder(out)
    const theirs = tfjsPredict(loaded, inputs.map((x) => ({shape: x.shape, data: x.data as Float32Array | Int32Array})))
    loaded.dispose()
    expect(theirs.length).toBe(mine.outputs.length)
    mine.outputs.forEach((o, i) => {
      const t = theirs[i] ?? new Float32Array(0)
      expect(t.length).toBe(o.data.length)
      const worst = o.data.reduce((w, v, j) => Math.max(w, Math.abs(v - (t[j] ?? Number.NaN)) / Math.max(1, Math.abs(v))), 0)
      expect(worst, `${name} output ${i}`).toBeLessThanOrEqual(1e-5)
    })
  })
})

/** Models written quantized: every weight within half a quantization step, and tfjs computes those weights as kmodel does. */
const QUANTIZED = ['deepanomaly-ff3/ff3_model.json', 'cifar-cnn-k216/model.json', 'battery-lstm-k224tf/model.json', 'tfjs-genre-bn-k250/cnn_model.h5', 'flownet-k3/final_model.keras']
const quantCases = all.filter((p) => QUANTIZED.includes(`${p.arch.entry}/${p.arch.file}`) && (p.arch.path === p.weights.path || !p.weights.file.endsWith('.json')))
  .flatMap((p) => (['float16', 'uint8', 'uint16'] as const).map((q) => [`${p.arch.entry}/${p.arch.file} --quantize ${q}`, p, q] as const))

describe.skipIf(!HAVE_INTEROP)('interop: quantized tfjs folders', () => {
  it('covers every listed model', () => {
    expect(quantCases.length).toBe(QUANTIZED.length * 3)
  })

  it.each(quantCases)('%s', async (name, {arch, weights}, quantize) => {
    const {model, file} = await retargeted(arch.path, weights.path)
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-tfjs-quant-'))
    dirs.push(dir)
    const out = join(dir, 'model')
    await writeTfjsModel(out, model, file, {force: false, quantize})
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as {weightsManifest: Array<{weights: Array<{name: string; quantization?: {scale?: number}}>}>}
    const steps = new Map(json.weightsManifest.flatMap((g) => g.weights).map((e) => [e.name, e.quantization?.scale ?? 0]))
    const back = retarget(loadInto(model, await readWeights(join(out, 'model.json')), {byName: true, skipMismatch: false}), model)
    file.layers.forEach((layer, li) => layer.weights.forEach((w, wi) => {
      const q = back.layers[li]?.weights[wi]
      const step = steps.get(q?.name.replace(/:0$/, '') ?? '') ?? Number.NaN
      const original = w.data as Float32Array
      const worst = (q?.data as Float32Array).reduce((m, v, i) => {
        const o = original[i] ?? 0
        // Half a step, plus the float32 rounding of the converter's code arithmetic (NumPy 1.x): up to qmax × 2^-23 steps.
        const qmax = quantize === 'uint8' ? 255 : 65535
        const bound = quantize === 'float16' ? Math.max(Math.abs(o) * 2 ** -11, 2 ** -25) : step * (0.5 + qmax * 2 ** -22) + Math.abs(o) * 2 ** -23
        return Math.max(m, Math.abs(v - o) / bound)
      }, 0)
      expect(worst, `${name}: ${w.name}`).toBeLessThanOrEqual(1.0001)
    }))
    const inputs = await fixedInputs(model)
    const mine = await predict(model, back, inputs, {backend: 'cpu'})
    const loaded = await loadFolder(out)
    const theirs = tfjsPredict(loaded, inputs.map((x) => ({shape: x.shape, data: x.data as Float32Array | Int32Array})))
    loaded.dispose()
    mine.outputs.forEach((o, i) => {
      const t = theirs[i] ?? new Float32Array(0)
      const worst = o.data.reduce((w, v, j) => Math.max(w, Math.abs(v - (t[j] ?? Number.NaN)) / Math.max(1, Math.abs(v))), 0)
      expect(worst, `${name} output ${i}`).toBeLessThanOrEqual(1e-5)
    })
  })
})
