// The predict benchmark's models, as Keras 2 to_json() documents (kmodel) and as tfjs-layers models (the path
// kmodel used before its own compute core, issue #11): MLP 784-256-128-10, the CNN of bench/train, and an
// LSTM(64) over 50 steps of 32 features → Dense(10). The same architectures as keras_bench.py.

/** Input shape (without the batch axis) and samples per timed pass. */
export const SPEC = {
  mlp: {input: [784], samples: 8192},
  cnn: {input: [28, 28, 1], samples: 2048},
  lstm: {input: [50, 32], samples: 1024},
}

const dense = (name, units, activation) => ({class_name: 'Dense', config: {name, units, activation, use_bias: true}})

/** Model `name` as a Keras 2 Sequential document. */
export function kerasDocument(name) {
  const input = {class_name: 'InputLayer', config: {name: 'x', batch_input_shape: [null, ...SPEC[name].input], dtype: 'float32'}}
  const conv = (n, filters) => ({class_name: 'Conv2D', config: {name: n, filters, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', use_bias: true}})
  const pool = (n) => ({class_name: 'MaxPooling2D', config: {name: n, pool_size: [2, 2], strides: [2, 2], padding: 'valid'}})
  const body = {
    mlp: [dense('d1', 256, 'relu'), dense('d2', 128, 'relu')],
    cnn: [conv('c1', 32), pool('p1'), conv('c2', 64), pool('p2'), {class_name: 'Flatten', config: {name: 'f'}}, dense('d1', 128, 'relu')],
    lstm: [{class_name: 'LSTM', config: {name: 'lstm', units: 64, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, return_sequences: false}}],
  }[name]
  return {class_name: 'Sequential', keras_version: '2.15.0', backend: 'tensorflow', config: {name, layers: [input, ...body, dense('out', 10, 'softmax')]}}
}

/** Model `name` in tfjs-layers. */
export function tfjsLayersModel(tfl, name) {
  const model = tfl.sequential()
  const inputShape = SPEC[name].input
  if (name === 'mlp') {
    model.add(tfl.layers.dense({units: 256, activation: 'relu', inputShape}))
    model.add(tfl.layers.dense({units: 128, activation: 'relu'}))
  } else if (name === 'cnn') {
    model.add(tfl.layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu', inputShape}))
    model.add(tfl.layers.maxPooling2d({poolSize: 2}))
    model.add(tfl.layers.conv2d({filters: 64, kernelSize: 3, activation: 'relu'}))
    model.add(tfl.layers.maxPooling2d({poolSize: 2}))
    model.add(tfl.layers.flatten())
    model.add(tfl.layers.dense({units: 128, activation: 'relu'}))
  } else {
    model.add(tfl.layers.lstm({units: 64, recurrentActivation: 'sigmoid', inputShape}))
  }
  model.add(tfl.layers.dense({units: 10, activation: 'softmax'}))
  return model
}
