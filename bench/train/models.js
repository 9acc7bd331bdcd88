// The two benchmark models and their synthetic data, shared by kmodel.js (speed) and profile.js (per kernel):
// the MLP 784-256-128-10 (batch 128) and the CNN conv32(3x3)-maxpool-conv64(3x3)-maxpool-dense128-dense10 on
// 28x28x1 (batch 64), SGD(0.01), categorical cross-entropy — the same as torch_bench.py.

// Samples per epoch match torch_bench.py (80 MLP batches, 24 CNN batches) unless a caller says otherwise.
export const SPEC = {
  mlp: {batch: 128, batches: 80, input: [784]},
  cnn: {batch: 64, batches: 24, input: [28, 28, 1]},
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
