/**
 * The tfjs writer's plan: model.json layout and manifest (as tensorflowjs_converter writes it), shards,
 * dtypes, quantization (checked against NumPy running the converter's formulas, and against tfjs-core's own
 * decoder), and the refusals. Folder writing is in write-tfjs-folder.test.ts; tfjs-layers loading every
 * layer class in write-tfjs-zoo.test.ts; the interop corpus in test/interop/tfjs-write.test.ts.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {DEFAULT_SHARD_BYTES, planTfjsModel, writeTfjsModel} from '../../../src/core/formats/write-tfjs.js'
import {affineQuantize, floatToHalf} from '../../../src/core/formats/write-tfjs-encode.js'
import type {JsonObject} from '../../../src/core/json.js'
import type {ModelSpec} from '../../../src/core/model/spec.js'
import {readWeights} from '../../../src/core/weights/read.js'
import type {LayerWeights, WeightTensor, WeightsFile} from '../../../src/core/weights/types.js'
import {readDoc} from '../../helpers/read.js'
import {tfjs} from '../../interop/tfjs-write-load.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_NUMPY = spawnSync(PYTHON, ['-c', 'import numpy'], {stdio: 'ignore'}).status === 0
if (!HAVE_NUMPY) console.warn(`\n*** SKIPPED tfjs quantization vs NumPy: ${PYTHON} cannot import numpy (install python3-numpy) ***\n`)

const t = (name: string, shape: number[], values: number[], dtype: WeightTensor['dtype'] = 'float32'): WeightTensor => ({name, shape, dtype, data: Float32Array.from(values)})
const layer = (name: string, weights: WeightTensor[]): LayerWeights => ({name, path: `/${name}`, name_is_layer_name: true, weights})
const weightsFile = (layers: LayerWeights[], extra: Partial<WeightsFile> = {}): WeightsFile => ({layout: 'keras2', source: 'test', keras_version: '2.15.0', backend: 'tensorflow', layers, top_level: [], ...extra})
const dense = (name: string, units: number, extra: Record<string, unknown> = {}) => ({class_name: 'Dense', config: {name, units, activation: 'linear', use_bias: true, ...extra}})

/** Sequential in(3) → z_dense(2) → a_dense(1), tf.keras 2.15. */
async function mlp(extra: Record<string, unknown> = {}): Promise<ModelSpec> {
  const doc = {
    class_name: 'Sequential',
    config: {name: 'seq', layers: [{class_name: 'InputLayer', config: {name: 'in', batch_input_shape: [null, 3], dtype: 'float32'}}, dense('z_dense', 2), dense('a_dense', 1)]},
    keras_version: '2.15.0', backend: 'tensorflow', ...extra,
  }
  return (await readDoc(doc)).model
}

const mlpWeights = (): WeightsFile => weightsFile([
  layer('z_dense', [t('z_dense/kernel:0', [3, 2], [1, 2, 3, 4, 5, 6]), t('z_dense/bias:0', [2], [0.5, -0.5])]),
  layer('a_dense', [t('a_dense/kernel:0', [2, 1], [7, 8]), t('a_dense/bias:0', [1], [9])]),
])

const manifestOf = (json: JsonObject) => (json.weightsManifest as Array<{paths: string[]; weights: JsonObject[]}>)
const f32 = (bytes: Uint8Array): number[] => Array.from(new Float32Array(bytes.slice().buffer))
/** A shard's bytes, its pieces joined. */
const joined = (pieces: readonly Uint8Array[] = []): Uint8Array => new Uint8Array(Buffer.concat(pieces))

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmodel-tfjs-unit-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

describe('model.json as tensorflowjs_converter writes it', () => {
  it('has the converter keys, the legacy topology and a manifest in h5py name order', async () => {
    const plan = planTfjsModel(await mlp(), mlpWeights())
    expect(Object.keys(plan.modelJson)).toEqual(['format', 'generatedBy', 'convertedBy', 'modelTopology', 'weightsManifest'])
    expect(plan.modelJson.format).toBe('layers-model')
    expect(plan.modelJson.generatedBy).toBe('keras v2.15.0')
    const topology = plan.modelJson.modelTopology as JsonObject
    expect(Object.keys(topology)).toEqual(['keras_version', 'backend', 'model_config'])
    expect(topology.keras_version).toBe('2.15.0')
    expect(Object.keys(topology.model_config as JsonObject)).toEqual(['class_name', 'config'])
    // The converter walks model_weights' groups as h5py lists them (by name), each layer's weights in saved order.
    expect(manifestOf(plan.modelJson)).toEqual([{paths: ['group1-shard1of1.bin'], weights: [
      {name: 'a_dense/kernel', shape: [2, 1], dtype: 'float32'}, {name: 'a_dense/bias', shape: [1], dtype: 'float32'},
      {name: 'z_dense/kernel', shape: [3, 2], dtype: 'float32'}, {name: 'z_dense/bias', shape: [2], dtype: 'float32'},
    ]}])
    expect(plan.shards).toHaveLength(1)
    expect(f32(joined(plan.shards[0]))).toEqual([7, 8, 9, 1, 2, 3, 4, 5, 6, 0.5, -0.5])
    expect(plan.tensors).toBe(4)
    expect(plan.warnings).toEqual([])
  })

  it('keeps a tf.keras training_config and writes Python json.dumps separators', async () => {
    const training = {loss: 'mse', metrics: null, optimizer_config: {class_name: 'Adam', config: {learning_rate: 0.001}}}
    const model = {...(await mlp()), training_config: training}
    const {files} = await writeTfjsModel(join(dir, 'm'), model, mlpWeights(), {force: false})
    const text = readFileSync(files[0] ?? '', 'utf8')
    expect(text.startsWith('{"format": "layers-model", "generatedBy": "keras v2.15.0", "convertedBy": "kmodel", "modelTopology": {"keras_version": "2.15.0"')).toBe(true)
    expect((JSON.parse(text) as {modelTopology: JsonObject}).modelTopology.training_config).toEqual(training)
  })

  it('gives weights saved under other names (Keras 1, TF scopes, Keras 3 legacy .h5) the tfjs name layer/weight', async () => {
    const file = weightsFile([
      layer('z_dense', [t('global/net/dense_2_W:0', [3, 2], [1, 2, 3, 4, 5, 6]), t('global/net/dense_2_b:0', [2], [0, 0])]),
      layer('a_dense', [t('seq/a_dense/kernel:0', [2, 1], [1, 1]), t('seq/a_dense/bias:0', [1], [0])]),
    ])
    const names = manifestOf(planTfjsModel(await mlp(), file).modelJson)[0]?.weights.map((w) => w.name)
    expect(names).toEqual(['a_dense/kernel', 'a_dense/bias', 'z_dense/kernel', 'z_dense/bias'])
  })

  it('writes a Keras 3 model in the legacy dialect, without a Keras 3 version', async () => {
    const doc = {
      module: 'keras', class_name: 'Sequential', registered_name: null,
      config: {name: 'seq', trainable: true, dtype: {module: 'keras', class_name: 'DTypePolicy', config: {name: 'float32'}, registered_name: null}, layers: [
        {module: 'keras.layers', class_name: 'InputLayer', config: {batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'in'}, registered_name: null},
        {module: 'keras.layers', class_name: 'LeakyReLU', config: {name: 'leaky', trainable: true, dtype: 'float32', negative_slope: 0.2}, registered_name: null},
      ]},
    }
    const {model} = await readDoc(doc)
    const json = planTfjsModel(model, weightsFile([])).modelJson
    const topology = json.modelTopology as {model_config: {config: {layers: Array<{class_name: string; config: JsonObject}>}}}
    expect(json.generatedBy).toBeNull()
    expect('keras_version' in (json.modelTopology as JsonObject)).toBe(false)
    const [input, leaky] = topology.model_config.config.layers
    expect(input?.config.batch_input_shape).toEqual([null, 3])
    expect(leaky?.config).toEqual({name: 'leaky', trainable: true, dtype: 'float32', alpha: 0.2}) // tf.keras / tfjs spelling
    expect(manifestOf(json)).toEqual([{paths: [], weights: []}]) // no weights: the converter writes an empty group
  })

  it('writes out a missing LSTM recurrent_activation as the Keras that wrote the model defaults it', async () => {
    const lstm = (version: string) => readDoc({class_name: 'Sequential', config: {name: 's', layers: [{class_name: 'LSTM', config: {name: 'lstm', units: 2, batch_input_shape: [null, 3, 1]}}]}, keras_version: version, backend: 'tensorflow'})
    const activation = async (version: string) => ((planTfjsModel((await lstm(version)).model, weightsFile([])).modelJson.modelTopology as {model_config: {config: {layers: Array<{config: JsonObject}>}}}).model_config.config.layers[0]?.config.recurrent_activation)
    expect(await activation('2.2.0')).toBe('hard_sigmoid')
    expect(await activation('2.3.1')).toBe('sigmoid')
    const ambiguous = {...(await lstm('2.3.1')).model, keras_version: '2.2.4-tf'}
    expect(() => planTfjsModel(ambiguous, weightsFile([]))).toThrow(expect.objectContaining({code: 'KM_FORMAT_TFJS_UNSUPPORTED', message: expect.stringContaining("Layer 'lstm' (LSTM) has no recurrent_activation")}))
  })
})

describe('shards', () => {
  it('cuts the group bytes into shards of shardSizeBytes, a cut falling inside a tensor, and reads back bit for bit', async () => {
    const plan = planTfjsModel(await mlp(), mlpWeights(), {shardSizeBytes: 10})
    expect(plan.shardNames).toEqual(['group1-shard1of5.bin', 'group1-shard2of5.bin', 'group1-shard3of5.bin', 'group1-shard4of5.bin', 'group1-shard5of5.bin'])
    expect(plan.shards.map((s) => joined(s).length)).toEqual([10, 10, 10, 10, 4])
    // Shards are views of the weights' own bytes: writing holds the weights once, not a concatenated copy too.
    const weights = mlpWeights()
    const viewed = planTfjsModel(await mlp(), weights, {shardSizeBytes: 10})
    expect(viewed.shards[4]?.[0]?.buffer).toBe(weights.layers[0]?.weights[1]?.data.buffer)
    const out = join(dir, 'm')
    const written = await writeTfjsModel(out, await mlp(), mlpWeights(), {force: false, shardSizeBytes: 10})
    expect(written.bytes).toBe(44)
    expect(readdirSync(out).sort()).toEqual(['group1-shard1of5.bin', 'group1-shard2of5.bin', 'group1-shard3of5.bin', 'group1-shard4of5.bin', 'group1-shard5of5.bin', 'model.json'])
    const back = await readWeights(join(out, 'model.json'))
    expect(back.layers.map((l) => [l.name, l.weights.map((w) => [w.name, Array.from(w.data as Float32Array)])])).toEqual([
      ['a_dense', [['a_dense/kernel', [7, 8]], ['a_dense/bias', [9]]]],
      ['z_dense', [['z_dense/kernel', [1, 2, 3, 4, 5, 6]], ['z_dense/bias', [0.5, -0.5]]]],
    ])
  })

  it("defaults to the converter's 4 MiB", async () => {
    const big = 1_500_000 // 6,000,000 bytes → 4,194,304 + 1,805,696
    const file = weightsFile([layer('z_dense', [t('z_dense/kernel:0', [3, 2], [0, 0, 0, 0, 0, 0]), t('z_dense/bias:0', [2], [0, 0])]), layer('a_dense', [{name: 'a_dense/kernel:0', shape: [2, 1], dtype: 'float32', data: new Float32Array(2)}, {name: 'a_dense/bias:0', shape: [1], dtype: 'float32', data: new Float32Array(1)}])])
    const extra: WeightTensor = {name: 'a_dense/extra:0', shape: [big], dtype: 'float32', data: new Float32Array(big)}
    file.layers[1]?.weights.push(extra)
    const plan = planTfjsModel(await mlp(), file)
    expect(DEFAULT_SHARD_BYTES).toBe(4194304)
    expect(plan.shards.map((s) => joined(s).length)).toEqual([4194304, 6_000_044 - 4194304])
  })

  it('refuses a shard size that is not a positive integer', async () => {
    const model = await mlp()
    for (const size of [0, -1, 1.5]) expect(() => planTfjsModel(model, mlpWeights(), {shardSizeBytes: size})).toThrow(expect.objectContaining({code: 'KM_USAGE_SHARD_SIZE', exit: 2}))
  })
})

describe('dtypes tfjs can hold', () => {
  it('casts float64 to float32 with a warning when values round, widens bfloat16, narrows exact int64, keeps bool', async () => {
    const file = weightsFile([
      layer('z_dense', [{name: 'z_dense/kernel:0', shape: [3, 2], dtype: 'float64', data: Float64Array.from([0.1, 2, 3, 4, 5, 6])}, {name: 'z_dense/bias:0', shape: [2], dtype: 'bfloat16', data: Uint16Array.from([0x3f80, 0xc000])}]),
      layer('a_dense', [{name: 'a_dense/kernel:0', shape: [2, 1], dtype: 'int64', data: BigInt64Array.from([7n, -8n])}, {name: 'a_dense/bias:0', shape: [1], dtype: 'bool', data: Uint8Array.from([1])}]),
    ])
    const plan = planTfjsModel(await mlp(), file)
    expect(manifestOf(plan.modelJson)[0]?.weights.map((w) => w.dtype)).toEqual(['int32', 'bool', 'float32', 'float32'])
    expect(plan.warnings).toEqual([{path: "layer 'z_dense'", message: "weight 'z_dense/kernel' is float64; cast to float32 as tensorflowjs_converter does (values rounded)"}])
    const bytes = joined(plan.shards[0])
    expect(Array.from(new Int32Array(bytes.slice(0, 8).buffer))).toEqual([7, -8])
    expect(bytes[8]).toBe(1)
    expect(f32(bytes.slice(9, 9 + 32))).toEqual([Math.fround(0.1), 2, 3, 4, 5, 6, 1, -2])
  })

  it('refuses an int64 value int32 cannot hold, naming the layer', async () => {
    const file = mlpWeights()
    const first = file.layers[0]
    if (first !== undefined) first.weights[0] = {name: 'z_dense/kernel:0', shape: [3, 2], dtype: 'int64', data: BigInt64Array.from([1n, 2n, 3n, 4n, 5n, 2n ** 40n])}
    const model = await mlp()
    expect(() => planTfjsModel(model, file)).toThrow(expect.objectContaining({code: 'KM_FORMAT_TFJS_DTYPE', exit: 4, message: expect.stringContaining("Weight 'z_dense/kernel' of layer 'z_dense' is int64 and holds 1099511627776 at flat index 5")}))
  })
})

/** Runs the converter's quantization formulas (quantization.py) in NumPy on `values` (float32). */
function numpyQuantize(values: Float32Array, dtype: 'uint8' | 'uint16' | 'float16'): {codes: number[]; min?: number; scale?: number} {
  const script = `
import sys, json, numpy as np

def quantize(req):
    data = np.frombuffer(bytes.fromhex(req['hex']), dtype=np.float32)
    if req['dtype'] == 'float16':
        return {'codes': data.astype(np.float16).view(np.uint16).tolist()}
    q = np.uint8 if req['dtype'] == 'uint8' else np.uint16
    min_val = data.min().astype(np.float64); max_val = data.max().astype(np.float64)
    if min_val == max_val:
        codes = np.zeros_like(data, dtype=q); scale = 1.0
    else:
        quant_max = np.iinfo(q).max
        scale = (max_val - min_val) / quant_max
        if min_val <= 0 <= max_val:
            nudged_zero_point = np.round((0 - min_val) / scale)
            min_val = -nudged_zero_point * scale
            max_val = quant_max * scale + min_val
        codes = np.round((data.clip(min_val, max_val) - min_val) / scale).astype(q)
    return {'codes': codes.tolist(), 'min': float(min_val), 'scale': float(scale)}

print(json.dumps(quantize(json.load(sys.stdin))))
`
  const hex = Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('hex')
  const run = spawnSync(PYTHON, ['-c', script], {input: JSON.stringify({hex, dtype}), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  if (run.status !== 0) throw new Error(run.stderr)
  return JSON.parse(run.stdout) as {codes: number[]; min?: number; scale?: number}
}

/** Awkward float32 values: ties, subnormals, float16's edges, zeros, plus a seeded spread. */
function awkward(): Float32Array {
  const fixed = [0, -0, 1, -1, 65504, -65504, 65519.99, 6.1e-5, 5.96e-8, 2.98e-8, 1e-9, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 0.1, -0.3, 3.14159, 1e-3, 2 ** -24 * 1.5]
  let s = 12345
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4 - 2
  return Float32Array.from([...fixed, ...Array.from({length: 5000}, rand)])
}

describe.skipIf(!HAVE_NUMPY)('quantization: the converter formulas, run by NumPy', () => {
  it('float16 rounds as NumPy astype(float16) does, bit for bit', () => {
    const values = Float32Array.from([...awkward(), Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-45])
    expect(Array.from(values, floatToHalf)).toEqual(numpyQuantize(values, 'float16').codes)
  })

  it.each(['uint8', 'uint16'] as const)('%s codes, min and scale equal quantize_weights', (dtype) => {
    for (const values of [awkward(), Float32Array.from(awkward(), (v) => Math.abs(v) + 0.5), Float32Array.from([0.25, 0.25, 0.25]), Float32Array.from(awkward(), (v) => -Math.abs(v) - 1)]) {
      const mine = affineQuantize(values, dtype)
      const theirs = numpyQuantize(values, dtype)
      expect(Array.from(mine.codes)).toEqual(theirs.codes)
      expect(mine.min).toBe(theirs.min)
      expect(mine.scale).toBe(theirs.scale)
    }
  })
})

describe('quantized manifests', () => {
  it.each(['float16', 'uint8', 'uint16'] as const)('%s: entries as the converter writes them; tfjs-core decodes what kmodel reads back', async (quantize) => {
    const model = await mlp()
    const plan = planTfjsModel(model, mlpWeights(), {quantize})
    const entry = manifestOf(plan.modelJson)[0]?.weights[2]
    expect(entry).toMatchObject({name: 'z_dense/kernel', shape: [3, 2], dtype: 'float32'})
    expect(Object.keys((entry?.quantization ?? {}) as JsonObject)).toEqual(quantize === 'float16' ? ['dtype', 'original_dtype'] : ['dtype', 'min', 'scale', 'original_dtype'])
    const out = join(dir, quantize)
    await writeTfjsModel(out, model, mlpWeights(), {force: false, quantize})
    const back = await readWeights(join(out, 'model.json'))
    const {core} = tfjs()
    const decoded = core.io.decodeWeights(joined(plan.shards[0]).buffer as ArrayBuffer, manifestOf(plan.modelJson)[0]?.weights as unknown as Parameters<typeof core.io.decodeWeights>[1])
    for (const l of back.layers) {
      for (const w of l.weights) expect(Array.from(w.data as Float32Array)).toEqual(Array.from(decoded[w.name]?.dataSync() ?? []))
    }
    // Within the quantization step of the original values.
    const original = mlpWeights().layers.flatMap((l) => l.weights)
    for (const w of back.layers.flatMap((l) => l.weights)) {
      const o = original.find((x) => x.name.replace(':0', '') === w.name)?.data as Float32Array
      const q = manifestOf(plan.modelJson)[0]?.weights.find((e) => e.name === w.name)?.quantization as {scale?: number}
      const step = quantize === 'float16' ? 0 : (q.scale ?? 1) / 2
      Array.from(w.data as Float32Array).forEach((v, i) => expect(Math.abs(v - (o[i] ?? 0))).toBeLessThanOrEqual(step + Math.abs(o[i] ?? 0) * 2 ** -11 + 1e-7))
    }
  })

  it('leaves int32 weights unquantized', async () => {
    const file = mlpWeights()
    const first = file.layers[0]
    if (first !== undefined) first.weights[1] = {name: 'z_dense/bias:0', shape: [2], dtype: 'int32', data: Int32Array.from([3, 4])}
    const entries = manifestOf(planTfjsModel(await mlp(), file, {quantize: 'uint8'}).modelJson)[0]?.weights ?? []
    expect(entries.find((e) => e.name === 'z_dense/bias')).toEqual({name: 'z_dense/bias', shape: [2], dtype: 'int32'})
  })

  it('refuses NaN under affine quantization and float16 overflow', async () => {
    const withValue = (v: number) => {
      const file = mlpWeights()
      const w = file.layers[0]?.weights[0]
      if (w !== undefined) (w.data as Float32Array)[1] = v
      return file
    }
    const model = await mlp()
    expect(() => planTfjsModel(model, withValue(Number.NaN), {quantize: 'uint8'})).toThrow(expect.objectContaining({code: 'KM_FORMAT_TFJS_DTYPE', message: expect.stringContaining('NaN or infinite')}))
    expect(() => planTfjsModel(model, withValue(70000), {quantize: 'float16'})).toThrow(expect.objectContaining({code: 'KM_FORMAT_TFJS_DTYPE', message: expect.stringContaining("beyond float16's range")}))
    expect(planTfjsModel(model, withValue(Number.NaN), {quantize: 'float16'}).shards).toHaveLength(1)
  })
})
