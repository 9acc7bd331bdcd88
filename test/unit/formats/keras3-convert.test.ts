/**
 * What a tf.keras model needs to become a config.json Keras 3 loads (write-keras-zip.ts keras3Config, with the
 * dialect.ts conversion): arguments tf.keras records that Keras 3 does not take are converted or dropped when
 * they change nothing, and a config Keras 3 would still refuse is refused before anything is written. Checked
 * against Keras 3.15 by hand (tf-keras 2.21 .h5 → kmodel save → keras.saving.load_model: the weights bit for
 * bit, the outputs within 1e-6) and by the files-load oracle suite.
 */
import {describe, expect, it} from 'vitest'
import {type Json, type JsonObject, isObject} from '../../../src/core/json.js'
import {checkKeras3Config, keras3Config} from '../../../src/core/formats/write-keras-zip.js'
import {readModel} from '../../../src/core/read.js'
import {keras3LayerPaths} from '../../../src/core/weights/keras3-paths.js'

const seq = (layers: Json[]): JsonObject => ({class_name: 'Sequential', keras_version: '2.15.0', backend: 'tensorflow', config: {name: 's', layers}})

async function converted(doc: JsonObject): Promise<JsonObject[]> {
  const {model} = await readModel({bytes: new TextEncoder().encode(JSON.stringify(doc)), name: 'm.json'})
  const {config} = keras3Config(model)
  checkKeras3Config(config, '3.6.0', 'm.keras')
  const inner = config.config
  return isObject(inner) && Array.isArray(inner.layers) ? inner.layers.filter(isObject) : []
}

const configOf = (entry: JsonObject | undefined): JsonObject => (isObject(entry?.config) ? entry.config : {})

describe('a tf.keras config becomes one Keras 3 loads', () => {
  it('moves the first layer\'s batch_input_shape into an InputLayer and drops it elsewhere', async () => {
    const layers = await converted(seq([
      {class_name: 'Dense', config: {name: 'a', units: 2, batch_input_shape: [null, 3]}},
      {class_name: 'Dense', config: {name: 'b', units: 1, batch_input_shape: [null, 2]}},
    ]))
    expect(layers.map((l) => l.class_name)).toEqual(['InputLayer', 'Dense', 'Dense'])
    expect(configOf(layers[0]).batch_shape).toEqual([null, 3])
    expect(layers.slice(1).map((l) => 'batch_shape' in configOf(l) || 'batch_input_shape' in configOf(l))).toEqual([false, false])
  })

  it('keeps an Embedding\'s input_dim (its vocabulary, not an input shape)', async () => {
    const [, emb] = await converted(seq([{class_name: 'Embedding', config: {name: 'e', input_dim: 39, output_dim: 4, batch_input_shape: [null, 6]}}]))
    expect(configOf(emb).input_dim).toBe(39)
  })

  it('drops time_major=false (also inside a wrapper), gives wrapped layers module keras.layers, BatchNormalization one axis', async () => {
    const layers = await converted(seq([
      {class_name: 'Bidirectional', config: {name: 'bi', batch_input_shape: [null, 5, 4], layer: {class_name: 'LSTM', config: {name: 'l', units: 2, time_major: false}}}},
      {class_name: 'Dense', config: {name: 'd', units: 3}},
      {class_name: 'BatchNormalization', config: {name: 'bn', axis: [1]}},
    ]))
    const wrapped = configOf(layers[1]).layer
    expect(isObject(wrapped) && wrapped.module).toBe('keras.layers')
    expect(isObject(wrapped) && isObject(wrapped.config) && 'time_major' in wrapped.config).toBe(false)
    expect(configOf(layers[3]).axis).toBe(1)
  })

  it('drops the dtype of TF 1-era initializer configs', async () => {
    const [, dense] = await converted(seq([{class_name: 'Dense', config: {name: 'd', units: 2, batch_input_shape: [null, 3], kernel_initializer: {class_name: 'GlorotUniform', config: {seed: null, dtype: 'float32'}}}}]))
    const init = configOf(dense).kernel_initializer
    expect(isObject(init) && init.config).toEqual({seed: null})
  })

  it('refuses what Keras 3 has no argument for (time_major=true)', async () => {
    await expect(converted(seq([{class_name: 'GRU', config: {name: 'g', units: 2, time_major: true, batch_input_shape: [null, 3, 2]}}]))).rejects.toMatchObject({code: 'KM_FORMAT_KERAS3_REFUSES', exit: 4})
  })
})

describe('keras3LayerPaths: where Keras 3 keeps each layer\'s variables', () => {
  it.each([
    [{class_name: 'Dense', config: {}}, 2, ['vars/0', 'vars/1']],
    [{class_name: 'LSTM', config: {}}, 3, ['cell/vars/0', 'cell/vars/1', 'cell/vars/2']],
    [{class_name: 'ConvLSTM2D', config: {}}, 3, ['cell/vars/0', 'cell/vars/1', 'cell/vars/2']],
    [{class_name: 'Bidirectional', config: {layer: {class_name: 'GRU', config: {}}}}, 6,
      ['forward_layer/cell/vars/0', 'forward_layer/cell/vars/1', 'forward_layer/cell/vars/2', 'backward_layer/cell/vars/0', 'backward_layer/cell/vars/1', 'backward_layer/cell/vars/2']],
    [{class_name: 'TimeDistributed', config: {layer: {class_name: 'Dense', config: {}}}}, 2, ['layer/vars/0', 'layer/vars/1']],
    [{class_name: 'MultiHeadAttention', config: {}}, 8,
      ['query_dense/vars/0', 'query_dense/vars/1', 'key_dense/vars/0', 'key_dense/vars/1', 'value_dense/vars/0', 'value_dense/vars/1', 'output_dense/vars/0', 'output_dense/vars/1']],
  ] as const)('%j × %i', (layer, n, paths) => {
    expect(keras3LayerPaths(layer as unknown as {class_name: string; config: JsonObject}, n, 'x')).toEqual(paths)
  })

  it('refuses stacked cells', () => {
    expect(() => keras3LayerPaths({class_name: 'RNN', config: {cell: {class_name: 'StackedRNNCells', config: {}}}}, 6, 'layer \'r\'')).toThrow(/Keras 3 stores them/)
  })
})
