/**
 * The Keras 3 → legacy (tf.keras) rules of convertModel(…, 'keras2'), one by one (src/core/model/dialect-legacy.ts).
 * tf-keras 2.21's verdict on the same rules: test/oracle/dialect-keras2.test.ts.
 */
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {shapeLookup} from '../../../src/core/graph/shape-lookup.js'
import type {Json, JsonObject} from '../../../src/core/json.js'
import {convertModel} from '../../../src/core/model/dialect.js'
import {errorOf, readDoc} from '../../helpers/read.js'

const policy = {module: 'keras', class_name: 'DTypePolicy', config: {name: 'float32'}, registered_name: null}
const glorot = (extra: JsonObject = {}) => ({module: 'keras.initializers', class_name: 'GlorotUniform', config: {seed: null, input_axes: null, output_axes: null, ...extra}, registered_name: null})
const layer = (cls: string, config: JsonObject): JsonObject => ({module: 'keras.layers', class_name: cls, config: {trainable: true, dtype: policy, ...config}, registered_name: null})

/** A Keras 3 Sequential: an InputLayer of `shape`, then `layers`. */
function keras3(shape: number[], ...layers: JsonObject[]): JsonObject {
  const input = {module: 'keras.layers', class_name: 'InputLayer', config: {batch_shape: [null, ...shape], dtype: 'float32', sparse: false, name: 'in'}, registered_name: null}
  return {module: 'keras', class_name: 'Sequential', config: {name: 's', trainable: true, dtype: policy, layers: [input, ...layers]}, registered_name: null}
}

/** The legacy config of the model's layer `index` (1 = the first after the InputLayer), and the warnings. */
async function converted(doc: JsonObject, index = 1): Promise<{config: JsonObject; warnings: string[]}> {
  const {model} = await readDoc(doc)
  const {document, warnings} = convertModel(model, 'keras2')
  const layers = (document.config as JsonObject).layers as JsonObject[]
  return {config: layers[index]?.config as JsonObject, warnings: warnings.map((w) => `${w.path}: ${w.message}`)}
}

async function refusal(doc: JsonObject) {
  const {model} = await readDoc(doc)
  return errorOf(Promise.resolve().then(() => convertModel(model, 'keras2')))
}

const expectRefused = async (doc: JsonObject, message: string) => {
  const error = await refusal(doc)
  expect(error).toMatchObject({code: 'KM_FORMAT_NO_LEGACY_FORM', exit: 4})
  expect(error.message).toContain(message)
  expect(error.hint).toContain('keep the model as Keras 3')
}

describe('Keras 3 arguments tf.keras spells differently or not at all', () => {
  it("renames LeakyReLU's negative_slope to alpha (tf.keras: 'Keyword argument not understood')", async () => {
    const {config} = await converted(keras3([3], layer('LeakyReLU', {name: 'lr', negative_slope: 0.25})))
    expect(config).toEqual({name: 'lr', trainable: true, dtype: 'float32', alpha: 0.25})
  })

  it('drops null input_axes / output_axes from every initializer, and refuses set ones', async () => {
    const dense = layer('Dense', {name: 'd', units: 2, kernel_initializer: glorot({seed: 3}), quantization_config: null})
    const {config} = await converted(keras3([3], dense))
    expect(config.kernel_initializer).toEqual({class_name: 'GlorotUniform', config: {seed: 3}})
    const lstm = layer('LSTM', {name: 'l', units: 2, kernel_initializer: glorot({input_axes: [0], output_axes: [1]})})
    await expectRefused(keras3([4, 3], lstm), "Layer 'l' (LSTM): kernel_initializer.input_axes=[0]")
  })

  it('drops a null quantization_config; refuses quantization (its config or a quantized dtype policy)', async () => {
    for (const cls of ['Dense', 'Embedding']) {
      const {config} = await converted(keras3([3], layer(cls, {name: 'x', units: 2, input_dim: 5, output_dim: 2, quantization_config: null})))
      expect('quantization_config' in config).toBe(false)
    }
    await expectRefused(keras3([3], layer('Dense', {name: 'q', units: 2, quantization_config: {module: 'keras.quantizers', class_name: 'Int8QuantizationConfig', config: {}, registered_name: null}})), "Layer 'q' (Dense): quantization_config=")
    const quantized = {module: 'keras.dtype_policies', class_name: 'QuantizedDTypePolicy', config: {mode: 'int8', source_name: 'float32'}, registered_name: null}
    await expectRefused(keras3([3], layer('Dense', {name: 'q', units: 2, dtype: quantized})), "Layer 'q' (Dense): dtype=\"QuantizedDTypePolicy\"")
  })

  it('drops LayerNormalization rms_scaling=false, refuses true', async () => {
    const {config} = await converted(keras3([3], layer('LayerNormalization', {name: 'ln', axis: [-1], epsilon: 1e-3, rms_scaling: false})))
    expect(config).toEqual({name: 'ln', trainable: true, dtype: 'float32', axis: [-1], epsilon: 1e-3})
    await expectRefused(keras3([3], layer('LayerNormalization', {name: 'ln', rms_scaling: true})), "Layer 'ln' (LayerNormalization): rms_scaling=true")
  })

  it('drops the channels_last data_format of Resizing, CenterCrop and the Random* layers; refuses channels_first', async () => {
    const resize = layer('Resizing', {name: 'r', height: 4, width: 4, data_format: 'channels_last', interpolation: 'bilinear', crop_to_aspect_ratio: false, pad_to_aspect_ratio: false, fill_mode: 'constant', fill_value: 0, antialias: false})
    expect((await converted(keras3([8, 8, 2], resize))).config).toEqual({name: 'r', trainable: true, dtype: 'float32', height: 4, width: 4, interpolation: 'bilinear', crop_to_aspect_ratio: false})
    for (const cls of ['CenterCrop', 'RandomFlip', 'RandomZoom']) {
      expect((await converted(keras3([8, 8, 2], layer(cls, {name: 'c', height: 4, width: 4, data_format: 'channels_last'})))).config).not.toHaveProperty('data_format')
      await expectRefused(keras3([2, 8, 8], layer(cls, {name: 'c', height: 4, width: 4, data_format: 'channels_first'})), `Layer 'c' (${cls}): data_format="channels_first"`)
    }
    await expectRefused(keras3([8, 8, 2], layer('Resizing', {name: 'r', height: 4, width: 4, antialias: true})), 'antialias=true')
    await expectRefused(keras3([8, 8, 2], layer('Resizing', {name: 'r', height: 4, width: 4, pad_to_aspect_ratio: true})), 'pad_to_aspect_ratio=true')
  })

  it("drops RandomContrast's default value_range [0, 255] (tf.keras clips to it), refuses another", async () => {
    expect((await converted(keras3([4, 4, 3], layer('RandomContrast', {name: 'c', factor: 0.2, value_range: [0, 255], seed: null})))).config).toEqual({name: 'c', trainable: true, dtype: 'float32', factor: 0.2, seed: null})
    await expectRefused(keras3([4, 4, 3], layer('RandomContrast', {name: 'c', factor: 0.2, value_range: [0, 1]})), 'value_range=[0,1]')
  })

  it('refuses LoRA; drops a ConvLSTM seed with a warning', async () => {
    await expectRefused(keras3([3], layer('Dense', {name: 'd', units: 2, lora_rank: 2, lora_alpha: 2})), "Layer 'd' (Dense): lora_rank=2")
    const {config, warnings} = await converted(keras3([3, 5, 5, 2], layer('ConvLSTM2D', {name: 'c', filters: 2, kernel_size: [3, 3], seed: 7})))
    expect(config).not.toHaveProperty('seed')
    expect(warnings).toEqual(["layer 'c': seed dropped: tf.keras ConvLSTM takes none (it only seeds dropout masks in training)"])
  })
})

describe('MultiHeadAttention in the tf.keras form', () => {
  // Keras 3.15's to_json of Model([q (3, 4), v (5, 4)], MultiHeadAttention(num_heads=2, key_dim=3)(q, v)).
  const doc = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'mha-cross-keras3.json'), 'utf8')) as JsonObject
  const mhaOf = (document: JsonObject): JsonObject => ((document.config as JsonObject).layers as JsonObject[]).find((l) => l.class_name === 'MultiHeadAttention') ?? {}

  it('passes the value as a keyword argument and records the build shapes, as tf-keras 2.21 writes them', async () => {
    const {model} = await readDoc(doc)
    const mha = mhaOf(convertModel(model, 'keras2', shapeLookup(model)).document)
    expect(mha.inbound_nodes).toEqual([[['input_layer', 0, 0, {value: ['input_layer_1', 0, 0]}]]])
    expect(mha.config).toMatchObject({query_shape: [null, 3, 4], key_shape: [null, 5, 4], value_shape: [null, 5, 4]})
    expect(mha.config).not.toHaveProperty('use_gate')
    expect(mha.config).not.toHaveProperty('sliding_window')
  })

  it('writes null build shapes when none are known (tf.keras then builds at the first call)', async () => {
    const {model} = await readDoc(doc)
    expect(mhaOf(convertModel(model, 'keras2').document).config).toMatchObject({query_shape: null, key_shape: null, value_shape: null})
  })

  it('refuses the Keras 3 gate and sliding window', async () => {
    await expectRefused(keras3([4, 6], layer('MultiHeadAttention', {name: 'm', num_heads: 2, key_dim: 3, use_gate: true})), "Layer 'm' (MultiHeadAttention): use_gate=true")
    await expectRefused(keras3([4, 6], layer('MultiHeadAttention', {name: 'm', num_heads: 2, key_dim: 3, sliding_window: 2})), "Layer 'm' (MultiHeadAttention): sliding_window=2")
  })
})

describe('refusals', () => {
  it('name the file first when the caller gives it (to-json / to-yaml do), in one line', async () => {
    const {model} = await readDoc(keras3([3], layer('LayerNormalization', {name: 'ln', rms_scaling: true})))
    const error = await errorOf(Promise.resolve().then(() => convertModel(model, 'keras2', undefined, 'model.json')))
    expect(error.message).toMatch(/^model\.json: Layer 'ln' \(LayerNormalization\): rms_scaling=true has no Keras 2 \(tf\.keras\) form: [^\n]+\.$/)
    expect(error).toMatchObject({code: 'KM_FORMAT_NO_LEGACY_FORM', path: "layer 'ln'.rms_scaling"})
  })

  it('are only for the Keras 3 → legacy direction: keras3 → keras3 writes the document as it is', async () => {
    const {model} = await readDoc(keras3([3], layer('LayerNormalization', {name: 'ln', rms_scaling: true})))
    expect(JSON.stringify(convertModel(model, 'keras3').document)).toContain('"rms_scaling":true')
  })
})

describe('activations', () => {
  it("refuses Keras 3's hard_sigmoid as activation or recurrent_activation, naming the (wrapped) layer", async () => {
    await expectRefused(keras3([4], layer('Activation', {name: 'hs', activation: 'hard_sigmoid'})), "Layer 'hs' (Activation): activation=\"hard_sigmoid\"")
    const lstm = layer('LSTM', {name: 'forward_l', units: 2, recurrent_activation: 'hard_sigmoid'})
    await expectRefused(keras3([5, 3], layer('Bidirectional', {name: 'bi', layer: lstm, merge_mode: 'concat'})), "Layer 'forward_l' (LSTM): recurrent_activation=\"hard_sigmoid\"")
  })

  it("keeps a legacy model's hard_sigmoid (it is tf.keras's own)", async () => {
    const {model} = await readDoc({class_name: 'Sequential', config: {name: 's', layers: [{class_name: 'Dense', config: {name: 'd', units: 1, activation: 'hard_sigmoid', batch_input_shape: [null, 2]}}]}, keras_version: '2.15.0', backend: 'tensorflow'})
    expect(JSON.stringify(convertModel(model, 'keras2').document)).toContain('"hard_sigmoid"')
  })

  it('renames silu to swish; warns about an activation tf.keras does not have', async () => {
    const {config, warnings} = await converted(keras3([3], layer('Dense', {name: 'd', units: 2, activation: 'silu'}), layer('Activation', {name: 'r6', activation: 'relu6'})))
    expect(config.activation).toBe('swish')
    expect(warnings).toEqual(["layer 'r6': activation: tf.keras has no activation 'relu6' and will refuse to load the layer (tfjs may know it)"])
  })
})

describe('Bidirectional', () => {
  const lstm = (name: string, goBackwards: boolean, activation = 'tanh'): JsonObject => ({
    ...layer('LSTM', {name, units: 3, go_backwards: goBackwards, activation, kernel_initializer: glorot()}), build_config: {input_shape: [null, 5, 3]},
  })
  const bi = (forward: JsonObject, backward: JsonObject) => keras3([5, 3], layer('Bidirectional', {name: 'bi', merge_mode: 'concat', layer: forward, backward_layer: backward}))

  it("writes a mirrored backward layer as tf.keras does: left out, the forward layer under its own name", async () => {
    const {config} = await converted(bi(lstm('forward_lstm', false), lstm('backward_lstm', true)))
    expect(config).not.toHaveProperty('backward_layer')
    expect(config.layer).toEqual({class_name: 'LSTM', config: {name: 'lstm', trainable: true, dtype: 'float32', units: 3, go_backwards: false, activation: 'tanh', kernel_initializer: {class_name: 'GlorotUniform', config: {seed: null}}}})
  })

  it('keeps a backward layer of its own (tf.keras takes it), in the legacy layout', async () => {
    const {config} = await converted(bi(lstm('forward_f', false), lstm('b', true, 'relu')))
    expect((config.layer as JsonObject).config).toMatchObject({name: 'f'})
    const backward = config.backward_layer as Json
    expect(backward).toEqual({class_name: 'LSTM', config: {name: 'b', trainable: true, dtype: 'float32', units: 3, go_backwards: true, activation: 'relu', kernel_initializer: {class_name: 'GlorotUniform', config: {seed: null}}}})
  })
})
