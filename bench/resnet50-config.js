// Writes a ResNet-50-shaped functional config (tf.keras 2.x layout: 177 layers, ~25.6M parameters) for the
// benchmarks. Structure follows keras.applications.ResNet50 (conv/bn/relu blocks, projection shortcuts, add).
import {writeFileSync} from 'node:fs'

const layers = []
const node = (...names) => [names.map((n) => [n, 0, 0, {}])]
// tf.keras writes no `trainable` for InputLayer (tf-keras 2.21's InputLayer refuses the argument).
const add = (class_name, name, config, inputs) => {
  const base = class_name === 'InputLayer' ? {name, dtype: 'float32'} : {name, trainable: true, dtype: 'float32'}
  layers.push({class_name, config: {...base, ...config}, name, inbound_nodes: inputs.length ? node(...inputs) : []})
  return name
}
const conv = (name, filters, k, s, input, padding = 'valid') => add('Conv2D', name, {filters, kernel_size: [k, k], strides: [s, s], padding, data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'linear', use_bias: true, kernel_initializer: {class_name: 'GlorotUniform', config: {seed: null}}, bias_initializer: {class_name: 'Zeros', config: {}}, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null}, [input])
const bn = (name, input) => add('BatchNormalization', name, {axis: [3], momentum: 0.99, epsilon: 1.001e-5, center: true, scale: true, beta_initializer: {class_name: 'Zeros', config: {}}, gamma_initializer: {class_name: 'Ones', config: {}}, moving_mean_initializer: {class_name: 'Zeros', config: {}}, moving_variance_initializer: {class_name: 'Ones', config: {}}, beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null}, [input])
const relu = (name, input) => add('Activation', name, {activation: 'relu'}, [input])

add('InputLayer', 'input_1', {batch_input_shape: [null, 224, 224, 3], sparse: false, ragged: false}, [])
let x = add('ZeroPadding2D', 'conv1_pad', {padding: [[3, 3], [3, 3]], data_format: 'channels_last'}, ['input_1'])
x = relu('conv1_relu', bn('conv1_bn', conv('conv1_conv', 64, 7, 2, x)))
x = add('ZeroPadding2D', 'pool1_pad', {padding: [[1, 1], [1, 1]], data_format: 'channels_last'}, [x])
x = add('MaxPooling2D', 'pool1_pool', {pool_size: [3, 3], padding: 'valid', strides: [2, 2], data_format: 'channels_last'}, [x])

function block(prefix, filters, stride, shortcutConv, input) {
  const shortcut = shortcutConv ? bn(`${prefix}_0_bn`, conv(`${prefix}_0_conv`, 4 * filters, 1, stride, input)) : input
  let y = relu(`${prefix}_1_relu`, bn(`${prefix}_1_bn`, conv(`${prefix}_1_conv`, filters, 1, stride, input)))
  y = relu(`${prefix}_2_relu`, bn(`${prefix}_2_bn`, conv(`${prefix}_2_conv`, filters, 3, 1, y, 'same')))
  y = bn(`${prefix}_3_bn`, conv(`${prefix}_3_conv`, 4 * filters, 1, 1, y))
  return relu(`${prefix}_out`, add('Add', `${prefix}_add`, {}, [shortcut, y]))
}
for (const [stage, filters, blocks, stride] of [[2, 64, 3, 1], [3, 128, 4, 2], [4, 256, 6, 2], [5, 512, 3, 2]]) {
  for (let b = 1; b <= blocks; b++) x = block(`conv${stage}_block${b}`, filters, b === 1 ? stride : 1, b === 1, x)
}
x = add('GlobalAveragePooling2D', 'avg_pool', {data_format: 'channels_last', keepdims: false}, [x])
x = add('Dense', 'predictions', {units: 1000, activation: 'softmax', use_bias: true, kernel_initializer: {class_name: 'GlorotUniform', config: {seed: null}}, bias_initializer: {class_name: 'Zeros', config: {}}, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null}, [x])

const doc = {class_name: 'Functional', config: {name: 'resnet50', layers, input_layers: [['input_1', 0, 0]], output_layers: [[x, 0, 0]]}, keras_version: '2.12.0', backend: 'tensorflow'}
const out = process.argv[2] ?? 'resnet50.json'
writeFileSync(out, JSON.stringify(doc))
console.log(`${out}: ${layers.length} layers`)
