/**
 * Compute cases, core family: Dense, EinsumDense (left, right and no ellipsis, bias over any axes), every
 * activation name (as Activation and as Dense's `activation=`) and activation layer objects as `activation=`,
 * the activation layers (Softmax over several axes and with an explicit mask), the layers that are the identity
 * at inference (the Dropout family, noise, ActivityRegularization, Identity), tf-keras's RandomFourierFeatures,
 * and Keras 3's wrapping of negative Embedding ids.
 */
import type {Generation} from '../harness.js'
import {type Args, type ComputeCase, graph, nested, one} from './compute-build.js'

/**
 * The activation names each generation's `activations.get` resolves, verified against the pinned Keras:
 * Keras 3 `ALL_OBJECTS_DICT` (with the swish / hard_swish aliases), tf-keras's module functions. Keras 3's
 * `threshold` is left out: it has two required arguments, so the name alone cannot be called. `gelu`'s
 * `approximate` is no layer argument in either generation (only the function takes it), so it has no case.
 */
export const ACTIVATIONS: Record<Generation, readonly string[]> = {
  keras3: [
    'celu', 'elu', 'exponential', 'gelu', 'glu', 'hard_shrink', 'hard_sigmoid', 'hard_silu', 'hard_swish', 'hard_tanh',
    'leaky_relu', 'linear', 'log_sigmoid', 'log_softmax', 'mish', 'relu', 'relu6', 'selu', 'sigmoid', 'silu', 'soft_shrink',
    'softmax', 'softplus', 'softsign', 'sparse_plus', 'sparse_sigmoid', 'sparsemax', 'squareplus', 'swish', 'tanh', 'tanh_shrink',
  ],
  keras2: [
    'elu', 'exponential', 'gelu', 'hard_sigmoid', 'leaky_relu', 'linear', 'log_softmax', 'mish', 'relu', 'relu6', 'selu',
    'sigmoid', 'silu', 'softmax', 'softplus', 'softsign', 'swish', 'tanh',
  ],
}

function dense(): ComputeCase[] {
  return [
    one('Dense', {units: 3}, [4]),
    one('Dense', {units: 3, use_bias: false}, [4]),
    one('Dense', {units: 1, activation: 'sigmoid'}, [5]),
    one('Dense', {units: 2, activation: 'relu'}, [3, 4], {}, ' on rank 3'),
    one('Dense', {units: 2, activation: 'tanh'}, [2, 3, 4], {}, ' on rank 4'),
  ]
}

function einsum(): ComputeCase[] {
  const e = (equation: string, output_shape: unknown, shape: number[], extra: Args = {}): ComputeCase => one('EinsumDense', {equation, output_shape, ...extra}, shape)
  return [
    e('ab,bc->ac', 3, [4], {bias_axes: 'c', activation: 'relu'}),
    e('ab,bc->ac', 2, [4]),
    e('abc,cd->abd', [3, 2], [3, 4], {bias_axes: 'd'}),
    e('abc,cde->abde', [3, 2, 2], [3, 4], {bias_axes: 'de', activation: 'tanh'}),
    e('abc,bcd->ad', 2, [3, 4], {bias_axes: 'd'}),
    e('...b,bc->...c', 2, [2, 3, 4], {activation: 'gelu'}),
    e('...b,bc->...c', 3, [2, 4], {bias_axes: 'c'}),
    e('ab...,bc->ac...', 2, [3, 4], {bias_axes: 'c'}),
    e('abc,bd->adc', [2, 4], [3, 4], {bias_axes: 'd'}),
  ]
}

/** Every activation name twice: as an Activation layer (inputs wide enough to reach every kink) and in Dense. */
function activations(g: Generation): ComputeCase[] {
  const asLayer = ACTIVATIONS[g].map((name) => one('Activation', {activation: name}, [6], {range: [-7, 7]}))
  const inDense = ACTIVATIONS[g].map((name) => one('Dense', {units: 4, activation: name}, [3], {range: [-4, 4]}))
  // Activation layer objects as `activation=` (Keras serialises the layer with its config).
  const slope = g === 'keras3' ? 'negative_slope' : 'alpha'
  const objects = [
    one('Dense', {units: 3, activation: nested('LeakyReLU', {[slope]: 0.1})}, [4], {range: [-4, 4]}),
    one('Dense', {units: 3, activation: nested('ReLU', {max_value: 1, threshold: 0.2})}, [4], {range: [-4, 4]}),
    one('Dense', {units: 3, activation: nested('Softmax', {})}, [4], {range: [-4, 4]}),
  ]
  if (g === 'keras3') objects.push(one('Dense', {units: 3, activation: nested('Activation', {activation: 'tanh'})}, [4], {range: [-4, 4]}))
  return [...asLayer, ...inDense, ...objects, one('Activation', {activation: 'softmax'}, [3, 4], {range: [-3, 3]}, ' on rank 3')]
}

function activationLayers(g: Generation): ComputeCase[] {
  const r: [number, number] = [-2, 2]
  // Values between 0 and each threshold / theta and above max_value, whatever the draw gives.
  const kinks = {range: r, set: [{index: [0, 0], value: 0.25}, {index: [0, 1], value: 1.75}, {index: [1, 0], value: -0.5}, {index: [1, 1], value: 0.75}]}
  const relu: ComputeCase[] = []
  for (const max_value of [null, 1.5]) {
    for (const negative_slope of [0, 0.1]) {
      for (const threshold of [0, 0.5]) relu.push(one('ReLU', {max_value, negative_slope, threshold}, [6], kinks))
    }
  }
  const slope = g === 'keras3' ? 'negative_slope' : 'alpha'
  const cases = [
    ...relu,
    one('ReLU', {}, [6], {range: r}),
    one('ELU', {}, [6], {range: r}),
    one('ELU', {alpha: 0.5}, [6], {range: r}),
    one('ELU', {alpha: 2}, [6], {range: r}),
    one('LeakyReLU', {}, [6], {range: r}),
    one('LeakyReLU', {[slope]: 0.01}, [6], {range: r}),
    one('LeakyReLU', {[slope]: 0.5}, [6], {range: r}),
    one('PReLU', {}, [3, 4], {range: r}),
    one('PReLU', {shared_axes: [1]}, [3, 4], {range: r}),
    one('PReLU', {shared_axes: [1, 2]}, [2, 3, 4], {range: r}),
    one('Softmax', {}, [5], {range: [-3, 3]}),
    one('Softmax', {axis: 1}, [3, 4], {range: [-3, 3]}),
    one('Softmax', {axis: -1}, [2, 3, 4], {range: [-3, 3]}),
    one('Softmax', {axis: [1, 2]}, [2, 3, 4], {range: [-3, 3]}),
    one('ReLU', {max_value: 6}, [6], {range: [-8, 8]}),
    softmaxMasked(),
  ]
  // Keras 3 still takes LeakyReLU's Keras 2 name (with a warning) and writes negative_slope.
  if (g === 'keras3') cases.push(one('LeakyReLU', {alpha: 0.2}, [6], {range: r}))
  if (g === 'keras2') for (const theta of [1, 0.5, 0]) cases.push(one('ThresholdedReLU', {theta}, [6], kinks))
  return cases
}

/** Softmax with an explicit mask (a second positional tensor, 0/1 ints): rows may be fully masked. */
function softmaxMasked(): ComputeCase {
  const inputs = [{name: 'x', shape: [4, 5], range: [-3, 3] as [number, number]}, {name: 'm', shape: [4, 5], dtype: 'int32', range: [0, 2] as [number, number]}]
  return graph('Softmax/axis=-1 with a mask', inputs, [{name: 's', class_name: 'Softmax', args: {axis: -1}}], [{layer: 's', inputs: 'x', extra_args: ['m'], output: 'y'}], ['y'])
}

/** Layers that are the identity at inference (predict runs with training=False). */
function inferenceIdentity(g: Generation): ComputeCase[] {
  const cases = [
    one('Dropout', {rate: 0.5}, [4]),
    one('Dropout', {rate: 0.3, noise_shape: [1, 4]}, [3, 4]),
    one('GaussianNoise', {stddev: 0.5}, [4]),
    one('GaussianDropout', {rate: 0.4}, [4]),
    one('AlphaDropout', {rate: 0.2}, [4]),
    one('SpatialDropout1D', {rate: 0.5}, [3, 4]),
    one('SpatialDropout2D', {rate: 0.5}, [3, 3, 2]),
    one('SpatialDropout2D', {rate: 0.5, data_format: 'channels_first'}, [2, 3, 3]),
    one('SpatialDropout3D', {rate: 0.5}, [2, 2, 2, 2]),
    one('ActivityRegularization', {l1: 0.01, l2: 0.02}, [4]),
    one('Identity', {}, [3, 2]),
  ]
  if (g === 'keras2') {
    cases.push(
      one('RandomFourierFeatures', {output_dim: 4, kernel_initializer: 'gaussian', scale: 2}, [3]),
      one('RandomFourierFeatures', {output_dim: 3, kernel_initializer: 'laplacian'}, [3]),
    )
  }
  return cases
}

/** The core family for one generation. */
export function coreCases(g: Generation): ComputeCase[] {
  // Keras ≥ 3.3 wraps a negative id once (id + input_dim); tf-keras raises on it, so Keras 3 only.
  const negativeIds = g === 'keras3' ? [one('Embedding', {input_dim: 6, output_dim: 3}, [5], {dtype: 'int32', range: [-6, 6]}, ' with negative ids')] : []
  return [...dense(), ...einsum(), ...activations(g), ...activationLayers(g), ...inferenceIdentity(g), ...negativeIds]
}
