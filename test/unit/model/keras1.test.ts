import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readKerasH5Model} from '../../../src/core/formats/keras-h5.js'
import {unknownArgs} from '../../../src/core/layers/catalog.js'
import {isArray, isObject, type Json, type JsonObject} from '../../../src/core/json.js'
import {isKeras1, normalizeKeras1Layer} from '../../../src/core/model/keras1.js'
import {announceSkip, HAVE_INTEROP, INTEROP} from '../../helpers/paths.js'

const layer = (class_name: string, config: JsonObject): JsonObject => ({class_name, config})
const convert = (class_name: string, config: JsonObject) => normalizeKeras1Layer(layer(class_name, config), '$.config[0]')
const W = {W_regularizer: null, b_regularizer: null, W_constraint: null, b_constraint: null, bias: true}
const K2W = {kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null, use_bias: true}

describe('normalizeKeras1Layer: inline Keras 1 entries', () => {
  it('Dense', () => {
    const input = layer('Dense', {name: 'd', output_dim: 4, init: 'glorot_uniform', activation: 'relu', ...W, input_dim: 3, input_dtype: 'float32'})
    const snapshot = structuredClone(input)
    const {entry, warnings} = normalizeKeras1Layer(input, '$.config[0]')
    expect(entry).toEqual(layer('Dense', {name: 'd', units: 4, kernel_initializer: 'glorot_uniform', activation: 'relu', ...K2W, input_dim: 3, dtype: 'float32'}))
    expect(warnings).toEqual([])
    expect(input).toEqual(snapshot)
  })

  it('Convolution2D → Conv2D', () => {
    const {entry, warnings} = convert('Convolution2D', {name: 'c', nb_filter: 5, nb_row: 3, nb_col: 2, init: 'he_normal', activation: 'linear',
      border_mode: 'same', subsample: [2, 2], dim_ordering: 'th', ...W})
    expect(entry).toEqual(layer('Conv2D', {name: 'c', filters: 5, kernel_size: [3, 2], kernel_initializer: 'he_normal', activation: 'linear',
      padding: 'same', strides: [2, 2], data_format: 'channels_first', ...K2W}))
    expect(warnings).toEqual([])
  })

  it('Convolution1D, Convolution3D and AtrousConvolution2D', () => {
    expect(convert('Convolution1D', {name: 'c', nb_filter: 4, filter_length: 3, subsample_length: 1, border_mode: 'valid', input_dim: 8, input_length: 10}).entry)
      .toEqual(layer('Conv1D', {name: 'c', filters: 4, kernel_size: 3, strides: 1, padding: 'valid', input_shape: [10, 8]}))
    expect(convert('Convolution3D', {name: 'c', nb_filter: 2, kernel_dim1: 1, kernel_dim2: 2, kernel_dim3: 3, dim_ordering: 'tf'}).entry)
      .toEqual(layer('Conv3D', {name: 'c', filters: 2, kernel_size: [1, 2, 3], data_format: 'channels_last'}))
    expect(convert('AtrousConvolution2D', {name: 'a', nb_filter: 2, nb_row: 3, nb_col: 3, atrous_rate: [2, 2], dim_ordering: 'default'}).entry)
      .toEqual(layer('Conv2D', {name: 'a', filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2], data_format: null}))
  })

  it('Deconvolution2D drops output_shape with a warning', () => {
    const {entry, warnings} = convert('Deconvolution2D', {name: 'd', nb_filter: 3, nb_row: 2, nb_col: 2, output_shape: [null, 8, 8, 3], subsample: [2, 2]})
    expect(entry).toEqual(layer('Conv2DTranspose', {name: 'd', filters: 3, kernel_size: [2, 2], strides: [2, 2]}))
    expect(warnings.map((w) => w.path)).toEqual(['$.config[0].config.output_shape'])
  })

  it('SeparableConvolution2D', () => {
    expect(convert('SeparableConvolution2D', {name: 's', nb_filter: 4, nb_row: 3, nb_col: 3, init: 'glorot_uniform', depth_multiplier: 1,
      depthwise_regularizer: null, pointwise_regularizer: null, b_regularizer: null, bias: false}).entry)
      .toEqual(layer('SeparableConv2D', {name: 's', filters: 4, kernel_size: [3, 3], depthwise_initializer: 'glorot_uniform', depth_multiplier: 1,
        depthwise_regularizer: null, pointwise_regularizer: null, bias_regularizer: null, use_bias: false, pointwise_initializer: 'glorot_uniform'}))
  })

  it('LSTM, GRU and SimpleRNN', () => {
    const k1 = {name: 'l', output_dim: 8, init: 'glorot_uniform', inner_init: 'orthogonal', forget_bias_init: 'one', activation: 'tanh',
      inner_activation: 'hard_sigmoid', W_regularizer: null, U_regularizer: null, b_regularizer: null, dropout_W: 0.1, dropout_U: 0.2,
      consume_less: 'gpu', input_dim: 5, input_length: 7}
    const k2 = {name: 'l', units: 8, kernel_initializer: 'glorot_uniform', recurrent_initializer: 'orthogonal', unit_forget_bias: true,
      activation: 'tanh', recurrent_activation: 'hard_sigmoid', kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null,
      dropout: 0.1, recurrent_dropout: 0.2, implementation: 2, input_shape: [7, 5]}
    expect(convert('LSTM', k1)).toEqual({entry: layer('LSTM', k2), warnings: []})
    const {forget_bias_init: _f, ...gru} = k1
    const {unit_forget_bias: _u, ...gru2} = k2
    expect(convert('GRU', {...gru, consume_less: 'mem'}).entry).toEqual(layer('GRU', {...gru2, implementation: 1}))
    expect(convert('SimpleRNN', {name: 's', output_dim: 2, consume_less: 'cpu'}).entry).toEqual(layer('SimpleRNN', {name: 's', units: 2, implementation: 0}))
  })

  it('keeps and reports a forget_bias_init other than one', () => {
    const {entry, warnings} = convert('LSTM', {name: 'l', output_dim: 2, forget_bias_init: 'zero'})
    expect(entry).toEqual(layer('LSTM', {name: 'l', units: 2, forget_bias_init: 'zero'}))
    expect(warnings).toHaveLength(1)
  })

  it('ConvLSTM2D', () => {
    expect(convert('ConvLSTM2D', {name: 'c', nb_filter: 4, nb_row: 3, nb_col: 3, inner_init: 'orthogonal', dim_ordering: 'tf', forget_bias_init: 'one',
      border_mode: 'same', dropout_W: 0, dropout_U: 0, bias: true}).entry)
      .toEqual(layer('ConvLSTM2D', {name: 'c', filters: 4, kernel_size: [3, 3], recurrent_initializer: 'orthogonal', data_format: 'channels_last',
        unit_forget_bias: true, padding: 'same', dropout: 0, recurrent_dropout: 0, use_bias: true}))
  })

  it('pooling, upsampling, padding, dropout and noise layers', () => {
    expect(convert('MaxPooling1D', {name: 'p', pool_length: 2, stride: null, border_mode: 'valid'}).entry)
      .toEqual(layer('MaxPooling1D', {name: 'p', pool_size: 2, strides: null, padding: 'valid'}))
    expect(convert('AveragePooling2D', {name: 'p', pool_size: [2, 2], strides: [2, 2], border_mode: 'same', dim_ordering: 'th'}).entry)
      .toEqual(layer('AveragePooling2D', {name: 'p', pool_size: [2, 2], strides: [2, 2], padding: 'same', data_format: 'channels_first'}))
    expect(convert('GlobalMaxPooling2D', {name: 'g', dim_ordering: 'tf'}).entry).toEqual(layer('GlobalMaxPooling2D', {name: 'g', data_format: 'channels_last'}))
    expect(convert('UpSampling1D', {name: 'u', length: 2}).entry).toEqual(layer('UpSampling1D', {name: 'u', size: 2}))
    expect(convert('ZeroPadding2D', {name: 'z', padding: {top_pad: 1, bottom_pad: 2, left_pad: 3, right_pad: 4}, dim_ordering: 'tf'}).entry)
      .toEqual(layer('ZeroPadding2D', {name: 'z', padding: [[1, 2], [3, 4]], data_format: 'channels_last'}))
    expect(convert('Dropout', {name: 'd', p: 0.5}).entry).toEqual(layer('Dropout', {name: 'd', rate: 0.5}))
    expect(convert('SpatialDropout2D', {name: 'd', p: 0.5, dim_ordering: 'th'}).entry)
      .toEqual(layer('SpatialDropout2D', {name: 'd', rate: 0.5, data_format: 'channels_first'}))
    expect(convert('GaussianNoise', {name: 'n', sigma: 0.1}).entry).toEqual(layer('GaussianNoise', {name: 'n', stddev: 0.1}))
    expect(convert('PReLU', {name: 'p', init: 'zero'}).entry).toEqual(layer('PReLU', {name: 'p', alpha_initializer: 'zero'}))
  })

  it('Embedding keeps the removed dropout argument and reports it', () => {
    const {entry, warnings} = convert('Embedding', {name: 'e', input_dim: 100, output_dim: 8, init: 'uniform', W_regularizer: null, W_constraint: null,
      mask_zero: false, input_length: 10, dropout: 0.2})
    expect(entry).toEqual(layer('Embedding', {name: 'e', input_dim: 100, output_dim: 8, embeddings_initializer: 'uniform', embeddings_regularizer: null,
      embeddings_constraint: null, mask_zero: false, input_length: 10, dropout: 0.2}))
    expect(warnings).toEqual([{path: '$.config[0].config.dropout', message: expect.stringContaining("'dropout'") as string}])
  })

  it('BatchNormalization', () => {
    expect(convert('BatchNormalization', {name: 'b', epsilon: 0.001, mode: 0, axis: 1, gamma_init: 'one', beta_init: 'zero', momentum: 0.99}))
      .toEqual({entry: layer('BatchNormalization', {name: 'b', epsilon: 0.001, axis: 1, gamma_initializer: 'one', beta_initializer: 'zero', momentum: 0.99}), warnings: []})
    const mode2 = convert('BatchNormalization', {name: 'b', mode: 2})
    expect(mode2.entry).toEqual(layer('BatchNormalization', {name: 'b', mode: 2}))
    expect(mode2.warnings).toHaveLength(1)
  })

  it('InputLayer, wrappers and Keras 1-only classes', () => {
    expect(convert('InputLayer', {batch_input_shape: [null, 3], input_dtype: 'float32', sparse: false, name: 'in'}).entry)
      .toEqual(layer('InputLayer', {batch_input_shape: [null, 3], dtype: 'float32', sparse: false, name: 'in'}))
    expect(convert('Bidirectional', {name: 'b', merge_mode: 'concat', layer: layer('LSTM', {name: 'l', output_dim: 3})}).entry)
      .toEqual(layer('Bidirectional', {name: 'b', merge_mode: 'concat', layer: layer('LSTM', {name: 'l', units: 3})}))
    for (const cls of ['Merge', 'MaxoutDense', 'Highway', 'TimeDistributedDense']) {
      const {entry, warnings} = convert(cls, {name: 'm', output_dim: 2, W_regularizer: null})
      expect(entry).toEqual(layer(cls, {name: 'm', output_dim: 2, W_regularizer: null}))
      expect(warnings, cls).toHaveLength(1)
    }
  })
})

describe('isKeras1', () => {
  it('reads keras_version, then argument and class hints', () => {
    expect(isKeras1({keras_version: '1.2.2', class_name: 'Sequential', config: []})).toBe(true)
    expect(isKeras1({keras_version: '2.0.8', class_name: 'Sequential', config: []})).toBe(false)
    expect(isKeras1({class_name: 'Sequential', config: [layer('Dense', {output_dim: 2, init: 'x', W_regularizer: null})]})).toBe(true)
    expect(isKeras1([layer('Convolution2D', {name: 'c'})])).toBe(true)
    expect(isKeras1({class_name: 'Sequential', config: [layer('Dense', {units: 2})]})).toBe(false)
    expect(isKeras1({class_name: 'Sequential', config: [layer('Embedding', {input_dim: 3, output_dim: 2})]})).toBe(false)
  })
})

/** The layer entries of a Keras 1 Sequential (bare list) or `{layers}` config. */
function entries(doc: Json): JsonObject[] {
  const config = isObject(doc) ? doc.config : undefined
  const list = isArray(config) ? config : isObject(config) && isArray(config.layers) ? config.layers : []
  return list.filter(isObject)
}

describe.runIf(HAVE_INTEROP)('real Keras 1.2.2 configs', () => {
  const sources: Array<[string, () => Promise<Json>]> = [
    ['dl4j-simple-lstm-tf-keras-1/simple_lstm_tf_keras_1_config.json', async () => JSON.parse(readFileSync(join(INTEROP, 'dl4j-simple-lstm-tf-keras-1/simple_lstm_tf_keras_1_config.json'), 'utf8')) as Json],
    ['dl4j-tfscope-k122/model.json', async () => JSON.parse(readFileSync(join(INTEROP, 'dl4j-tfscope-k122/model.json'), 'utf8')) as Json],
    ['dl4j-bidir-lstm-k1-k2/bidirectional_lstm_tensorflow_1.h5', async () => (await readKerasH5Model(join(INTEROP, 'dl4j-bidir-lstm-k1-k2/bidirectional_lstm_tensorflow_1.h5'))).document],
    ['dl4j-bn-conv2d-k1-k2/batch_to_conv2d_tensorflow_1.h5', async () => (await readKerasH5Model(join(INTEROP, 'dl4j-bn-conv2d-k1-k2/batch_to_conv2d_tensorflow_1.h5'))).document],
  ]
  it.each(sources)('%s normalises to Keras 2 entries with no unknown arguments', async (_name, load) => {
    const doc = await load()
    expect(isKeras1(doc)).toBe(true)
    const list = entries(doc)
    expect(list.length).toBeGreaterThan(0)
    list.forEach((raw, i) => {
      const {entry, warnings} = normalizeKeras1Layer(raw, `$.config[${i}]`)
      expect(warnings).toEqual([])
      const config = entry.config
      if (typeof entry.class_name !== 'string' || !isObject(config)) throw new Error('bad entry')
      expect(unknownArgs(entry.class_name, config, 2)).toEqual([])
      if (isObject(config.layer) && typeof config.layer.class_name === 'string' && isObject(config.layer.config)) {
        expect(unknownArgs(config.layer.class_name, config.layer.config, 2)).toEqual([])
      }
    })
  })
})

if (!HAVE_INTEROP) announceSkip('real Keras 1.2.2 configs', 'the ../shared/interop folder is absent')
