// The two benchmark models and their synthetic data, shared by kmodel.js (speed) and profile.js (per kernel):
// the MLP 784-256-128-10 (batch 128) and the CNN conv32(3x3)-maxpool-conv64(3x3)-maxpool-dense128-dense10 on
// 28x28x1 (batch 64), SGD(0.01), categorical cross-entropy — the same as torch_bench.py.

// Samples per epoch match torch_bench.py (80 MLP batches, 24 CNN batches) unless a caller says otherwise.
export const SPEC = {
  mlp: {batch: 128, batches: 80, input: [784]},
  cnn: {batch: 64, batches: 24, input: [28, 28, 1]},
}

/** Model `name` ('mlp' or 'cnn') as a Keras 2 Sequential to_json() document, for kmodel. */
export function kerasDocument(name) {
  const dense = (n, units, activation) => ({class_name: 'Dense', config: {name: n, units, activation, use_bias: true}})
  const conv = (n, filters) => ({class_name: 'Conv2D', config: {name: n, filters, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', use_bias: true}})
  const pool = (n) => ({class_name: 'MaxPooling2D', config: {name: n, pool_size: [2, 2], strides: [2, 2], padding: 'valid'}})
  const input = {class_name: 'InputLayer', config: {name: 'x', batch_input_shape: [null, ...SPEC[name].input], dtype: 'float32'}}
  const body = name === 'mlp'
    ? [dense('d1', 256, 'relu'), dense('d2', 128, 'relu')]
    : [conv('c1', 32), pool('p1'), conv('c2', 64), pool('p2'), {class_name: 'Flatten', config: {name: 'f'}}, dense('d1', 128, 'relu')]
  return {class_name: 'Sequential', keras_version: '2.15.0', backend: 'tensorflow', config: {name, layers: [input, ...body, dense('out', 10, 'softmax')]}}
}

/** The compiled tfjs-layers model `name` ('mlp' or 'cnn'). */
export function buildModel(tf, tfl, name) {
  const model = tfl.sequential()
  if (name === 'mlp') {
    model.add(tfl.layers.dense({units: 256, activation: 'relu', inputShape: [784]}))
    model.add(tfl.layers.dense({units: 128, activation: 'relu'}))
  } else {
    model.add(tfl.layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1]}))
    model.add(tfl.layers.maxPooling2d({poolSize: 2}))
    model.add(tfl.layers.conv2d({filters: 64, kernelSize: 3, activation: 'relu'}))
    model.add(tfl.layers.maxPooling2d({poolSize: 2}))
    model.add(tfl.layers.flatten())
    model.add(tfl.layers.dense({units: 128, activation: 'relu'}))
  }
  model.add(tfl.layers.dense({units: 10, activation: 'softmax'}))
  model.compile({optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy'})
  return model
}

/** Seeded uniform inputs and one-hot targets for `samples` samples of model `name`. */
export function syntheticData(tf, name, samples) {
  const x = tf.randomUniform([samples, ...SPEC[name].input], 0, 1, 'float32', 1)
  const y = tf.oneHot(tf.randomUniform([samples], 0, 10, 'int32', 2), 10).toFloat()
  return {x, y}
}
