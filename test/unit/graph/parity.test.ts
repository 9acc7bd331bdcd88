/**
 * Parity with tfjs-layers 4.22: for every class both support, small Keras-2-dialect configs are built by
 * tfjs (`modelFromJSON`) and by the engine; output shapes, parameter counts and weight shapes (in order) must
 * agree layer by layer.
 */
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
// tfjs's Orthogonal initializer (recurrent kernels) calls chained tensor ops, registered by this side-effect import.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops'
import * as tfl from '@tensorflow/tfjs-layers'
import {beforeAll, describe, expect, it} from 'vitest'
import {summarize} from '../../../src/core/graph/summarize.js'
import type {JsonObject} from '../../../src/core/json.js'
import {normalize} from '../../../src/core/model/normalize.js'

type Entry = {class_name: string; config: JsonObject}
const e = (class_name: string, config: JsonObject = {}): Entry => ({class_name, config})

/**
 * Layers whose tfjs output shape is known to differ from Keras's (the engine follows Keras; unit tests pin the
 * Keras values): tfjs leaves a Reshape `-1` as None, computes a causal Conv1D's length as `valid`, and its
 * CenterCrop / Resizing compute shapes wrongly (CenterCrop even rewrites the preceding layer's shape).
 * Only their parameter counts are compared.
 */
const TFJS_SHAPE_DEVIATIONS = new Set(['reshape_infer', 'conv_causal', 'pool_after_causal', 'pool_after_causal_2', 'rescale', 'crop', 'resize'])

/** Sequential cases: an input shape (without batch) and a chain of layers. */
const SEQUENTIAL: Array<[string, number[], Entry[]]> = [
  ['dense chain', [4], [e('Dense', {units: 3, activation: 'relu'}), e('Dense', {units: 2, use_bias: false}), e('Dropout', {rate: 0.5}), e('Activation', {activation: 'softmax'})]],
  ['dense on 3-D', [5, 4], [e('Dense', {units: 3}), e('Flatten'), e('RepeatVector', {n: 2}), e('Permute', {dims: [2, 1]}), e('Reshape', {target_shape: [10, 3]}), e('Reshape', {name: 'reshape_infer', target_shape: [-1, 6]})]],
  ['embedding', [7], [e('Embedding', {input_dim: 50, output_dim: 4}), e('Masking', {mask_value: 0}), e('GlobalAveragePooling1D'), e('SpatialDropout1D', {rate: 0.1})].slice(0, 3)],
  ['activations', [6, 3], [e('ReLU'), e('LeakyReLU', {alpha: 0.2}), e('PReLU', {shared_axes: [1]}), e('PReLU'), e('ELU'), e('ThresholdedReLU'), e('Softmax'), e('SpatialDropout1D', {rate: 0.1})]],
  ['noise', [6], [e('GaussianNoise', {stddev: 0.1}), e('GaussianDropout', {rate: 0.1}), e('AlphaDropout', {rate: 0.1})]],
  ['conv1d', [20, 3], [e('Conv1D', {filters: 4, kernel_size: [3], strides: [2], padding: 'valid'}), e('Conv1D', {filters: 4, kernel_size: [3], dilation_rate: [2]}), e('MaxPooling1D', {pool_size: [2]}), e('AveragePooling1D', {pool_size: [2], padding: 'same'}), e('GlobalMaxPooling1D')]],
  ['conv1d causal', [20, 3], [e('Conv1D', {name: 'conv_causal', filters: 4, kernel_size: [3], padding: 'causal', dilation_rate: [2]}), e('MaxPooling1D', {name: 'pool_after_causal', pool_size: [2]}), e('MaxPooling1D', {name: 'pool_after_causal_2', pool_size: [2]})]],
  ['conv2d', [28, 28, 1], [
    e('Conv2D', {filters: 8, kernel_size: [3, 3], padding: 'same', strides: [2, 2]}),
    e('ZeroPadding2D', {padding: [[1, 2], [0, 1]]}),
    e('Conv2D', {filters: 4, kernel_size: [3, 3], dilation_rate: [2, 2]}),
    e('BatchNormalization', {axis: -1}),
    e('SeparableConv2D', {filters: 6, kernel_size: [3, 3], depth_multiplier: 2}),
    e('DepthwiseConv2D', {kernel_size: [2, 2], depth_multiplier: 3}),
    e('Cropping2D', {cropping: [[1, 0], [0, 1]]}),
    e('UpSampling2D', {size: [2, 3]}),
    e('MaxPooling2D', {pool_size: [2, 2], strides: [1, 1]}),
    e('AveragePooling2D', {pool_size: [3, 3], padding: 'same'}),
    e('GlobalAveragePooling2D'),
  ]],
  ['conv2d transpose', [7, 7, 16], [e('Conv2DTranspose', {filters: 4, kernel_size: [3, 3], strides: [2, 2], padding: 'same'}), e('Conv2DTranspose', {filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'valid'}), e('GlobalMaxPooling2D')]],
  ['channels_first', [3, 16, 16], [e('Conv2D', {filters: 4, kernel_size: [3, 3], data_format: 'channels_first'}), e('MaxPooling2D', {pool_size: [2, 2], data_format: 'channels_first'}), e('Flatten', {data_format: 'channels_first'})]],
  ['conv3d', [8, 8, 8, 2], [e('Conv3D', {filters: 3, kernel_size: [3, 3, 3]}), e('MaxPooling3D', {pool_size: [2, 2, 2]}), e('Conv3DTranspose', {filters: 2, kernel_size: [2, 2, 2], strides: [2, 2, 2]}), e('AveragePooling3D', {pool_size: [2, 2, 2]})]],
  ['recurrent', [10, 4], [e('SimpleRNN', {units: 5, return_sequences: true}), e('GRU', {units: 5, reset_after: false, return_sequences: true}), e('LSTM', {units: 3, return_sequences: true}), e('TimeDistributed', {layer: e('Dense', {units: 2})}), e('LSTM', {units: 2})]],
  ['bidirectional', [10, 4], [e('Bidirectional', {layer: e('LSTM', {units: 3, return_sequences: true}), merge_mode: 'concat'}), e('Bidirectional', {layer: e('GRU', {units: 2, reset_after: false}), merge_mode: 'sum'})]],
  ['rnn cells', [10, 4], [e('RNN', {cell: e('StackedRNNCells', {cells: [e('LSTMCell', {units: 3}), e('SimpleRNNCell', {units: 2})]}), return_sequences: true}), e('RNN', {cell: e('GRUCell', {units: 2, reset_after: false})})]],
  ['bidirectional modes', [10, 4], [e('Bidirectional', {layer: e('SimpleRNN', {units: 3, return_sequences: true}), merge_mode: 'ave'}), e('Bidirectional', {layer: e('LSTM', {units: 2}), merge_mode: 'mul'})]],
  ['convlstm', [4, 10, 10, 1], [e('ConvLSTM2D', {filters: 2, kernel_size: [3, 3], return_sequences: true}), e('ConvLSTM2D', {filters: 3, kernel_size: [3, 3], padding: 'same'})]],
  ['layer norm', [5, 8], [e('LayerNormalization', {axis: -1}), e('BatchNormalization', {axis: 1, scale: false})]],
  ['image preprocessing', [32, 30, 3], [e('Rescaling', {name: 'rescale', scale: 0.5, offset: 0}), e('CenterCrop', {name: 'crop', height: 20, width: 24}), e('Resizing', {name: 'resize', height: 10, width: 12, interpolation: 'bilinear'})]],
  ['category encoding', [3], [e('CategoryEncoding', {num_tokens: 10, output_mode: 'multi_hot'})]],
]

/** Functional cases: inputs (without batch) and layers with legacy inbound nodes. */
const MERGES: Array<[string, number[][], string]> = [
  ['Add', [[4], [4]], 'Add'], ['Multiply', [[3, 4], [3, 4]], 'Multiply'], ['Average', [[4], [4]], 'Average'],
  ['Maximum', [[4], [4]], 'Maximum'], ['Minimum', [[4], [4]], 'Minimum'], ['Concatenate', [[2, 3], [2, 5]], 'Concatenate'],
  ['Dot', [[3, 4], [6, 4]], 'Dot'],
]

function sequentialDoc(shape: number[], layers: Entry[]): JsonObject {
  const named = layers.map((l, i) => ({class_name: l.class_name, config: {name: `l${i}`, ...l.config}}))
  const first = {class_name: 'InputLayer', config: {name: 'in', batch_input_shape: [null, ...shape], dtype: 'float32'}}
  return {class_name: 'Sequential', config: {name: 'seq', layers: [first, ...named]}, keras_version: '2.12.0', backend: 'tensorflow'}
}

function mergeDoc(className: string, shapes: number[][]): JsonObject {
  const inputs = shapes.map((s, i) => ({class_name: 'InputLayer', name: `in${i}`, config: {name: `in${i}`, batch_input_shape: [null, ...s]}, inbound_nodes: []}))
  const config: JsonObject = className === 'Dot' ? {axes: [2, 2]} : className === 'Concatenate' ? {axis: -1} : {}
  const merge = {class_name: className, name: 'm', config: {name: 'm', ...config}, inbound_nodes: [shapes.map((_, i) => [`in${i}`, 0, 0, {}])]}
  const dense = {class_name: 'Dense', name: 'd', config: {name: 'd', units: 2}, inbound_nodes: [[['m', 0, 0, {}]]]}
  return {class_name: 'Functional', keras_version: '2.12.0', backend: 'tensorflow', config: {
    name: 'f', layers: [...inputs, merge, dense], input_layers: shapes.map((_, i) => [`in${i}`, 0, 0]), output_layers: [['d', 0, 0]],
  }}
}

/** A functional model that calls a nested Sequential (node index 1, Keras 2) and shares a Dense twice. */
function nestedDoc(): JsonObject {
  const inner = {class_name: 'Sequential', name: 'inner', config: {name: 'inner', layers: [
    {class_name: 'InputLayer', config: {name: 'inner_in', batch_input_shape: [null, 4]}},
    {class_name: 'Dense', config: {name: 'inner_d', units: 3}},
    {class_name: 'BatchNormalization', config: {name: 'inner_bn'}},
  ]}, inbound_nodes: [[['a', 0, 0, {}]]]}
  const shared = {class_name: 'Dense', name: 'shared', config: {name: 'shared', units: 3}, inbound_nodes: [[['inner', 1, 0, {}]], [['b', 0, 0, {}]]]}
  const add = {class_name: 'Add', name: 'add', config: {name: 'add'}, inbound_nodes: [[['shared', 0, 0, {}], ['shared', 1, 0, {}]]]}
  const input = (name: string, dim: number) => ({class_name: 'InputLayer', name, config: {name, batch_input_shape: [null, dim]}, inbound_nodes: []})
  return {class_name: 'Model', keras_version: '2.2.4', backend: 'tensorflow', config: {
    name: 'outer', layers: [input('a', 4), input('b', 3), inner, shared, add], input_layers: [['a', 0, 0], ['b', 0, 0]], output_layers: [['add', 0, 0]],
  }}
}

/** Compares every non-input layer of the tfjs model with the engine's row of the same name. */
async function compare(doc: JsonObject): Promise<void> {
  const built = await tfl.models.modelFromJSON(structuredClone(doc) as never)
  const summary = summarize(normalize({format: 'keras-json', document: doc, keras_version: null, backend: null, training_config: null}, 'test').model)
  for (const tfLayer of built.layers.filter((l) => l.getClassName() !== 'InputLayer')) {
    const row = summary.rows.find((r) => r.name === tfLayer.name)
    if (!TFJS_SHAPE_DEVIATIONS.has(tfLayer.name)) {
      expect.soft(row?.output_shape, `${tfLayer.name} (${tfLayer.getClassName()}) shape`).toEqual(tfLayer.outputShape)
    }
    expect.soft(row?.params, `${tfLayer.name} (${tfLayer.getClassName()}) params`).toBe(tfLayer.countParams())
    expect.soft(row?.weights?.map((w) => w.shape), `${tfLayer.name} (${tfLayer.getClassName()}) weight shapes`).toEqual(tfLayer.weights.map((w) => w.shape))
  }
  expect(summary.total_params).toBe(built.countParams())
}

describe('parity with tfjs-layers 4.22', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true)
    await tf.setBackend('cpu')
  })

  for (const [name, shape, layers] of SEQUENTIAL) {
    it(`${name}: ${layers.map((l) => l.class_name).join(', ')}`, async () => compare(sequentialDoc(shape, layers)))
  }
  it('nested Sequential referenced as node 1, shared Dense counted once', async () => compare(nestedDoc()))
  it('Sequential without InputLayer: input from the first layer (batch_input_shape)', async () => compare({
    class_name: 'Sequential', keras_version: '2.1.6', backend: 'tensorflow', config: {name: 's', layers: [
      {class_name: 'Embedding', config: {name: 'emb', input_dim: 30, output_dim: 4, batch_input_shape: [null, 12], input_length: 12}},
      {class_name: 'Conv1D', config: {name: 'conv', filters: 3, kernel_size: [3]}},
      {class_name: 'Flatten', config: {name: 'flat'}},
      {class_name: 'Dense', config: {name: 'out', units: 2}},
    ]},
  }))
  for (const [name, shapes, className] of MERGES) {
    it(`merge ${name}`, async () => compare(mergeDoc(className, shapes)))
  }
})
