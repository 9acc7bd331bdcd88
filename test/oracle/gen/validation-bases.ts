/**
 * Suite b (validation): the valid base models, one per layer family, that the cases perturb. Each is small
 * (a few features, timesteps, pixels) so the recorded documents stay small; the layer under test is named `l`,
 * the inputs `x` (and `y`, `z`).
 */

/** A model spec as test/oracle/py/common.py builds it (nodes may pass further tensors as `extra_args`). */
export interface ValidationModel {
  kind: 'sequential' | 'functional'
  name: string
  inputs: Array<{name: string; shape: number[]; dtype?: string}>
  layers: Array<{name: string; class_name: string; args?: Record<string, unknown>}>
  nodes?: Array<{layer: string; inputs: string | string[]; extra_args?: string[]; output: string}>
  outputs?: string[]
}

type Args = Record<string, unknown>

/** Input `x` of `shape`, then the layer `l`. */
export const seq = (shape: number[], className: string, args: Args = {}, dtype?: string): ValidationModel => ({
  kind: 'sequential', name: 'm', inputs: [{name: 'x', shape, ...(dtype === undefined ? {} : {dtype})}], layers: [{name: 'l', class_name: className, args}],
})

const INPUT_NAMES = ['x', 'y', 'z']

/** Inputs x, y (, z) of `shapes`, all fed as a list to the layer `l` (merge layers, Attention). */
export const merged = (shapes: number[][], className: string, args: Args = {}): ValidationModel => {
  const names = shapes.map((_s, i) => INPUT_NAMES[i] ?? `i${i}`)
  return {
    kind: 'functional', name: 'm', inputs: shapes.map((shape, i) => ({name: names[i] ?? '', shape})), layers: [{name: 'l', class_name: className, args}],
    nodes: [{layer: 'l', inputs: names, output: 't'}], outputs: ['t'],
  }
}

/** x → l(x) as a functional model (outer layer names and inbound nodes are in its document). */
export const functional = (shape: number[], className: string, args: Args = {}): ValidationModel => ({
  kind: 'functional', name: 'm', inputs: [{name: 'x', shape}], layers: [{name: 'l', class_name: className, args}],
  nodes: [{layer: 'l', inputs: 'x', output: 't'}], outputs: ['t'],
})

/** l(query=x, value=y) as MultiHeadAttention is called: the value passed as the second positional argument. */
export const attention = (query: number[], value: number[], className: string, args: Args): ValidationModel => ({
  kind: 'functional', name: 'm', inputs: [{name: 'x', shape: query}, {name: 'y', shape: value}], layers: [{name: 'l', class_name: className, args}],
  nodes: [{layer: 'l', inputs: 'x', extra_args: ['y'], output: 't'}], outputs: ['t'],
})

const wrapped = (className: string, args: Args): Args => ({layer: {class_name: className, args}})

/** The base models by the name the case ids start with. */
export const BASES = {
  Dense: seq([4], 'Dense', {units: 3}),
  DenseFunctional: functional([4], 'Dense', {units: 3}),
  Conv1D: seq([8, 3], 'Conv1D', {filters: 2, kernel_size: 3}),
  Conv2D: seq([6, 6, 2], 'Conv2D', {filters: 2, kernel_size: [3, 3]}),
  Conv3D: seq([4, 4, 4, 1], 'Conv3D', {filters: 2, kernel_size: [2, 2, 2]}),
  Conv2DTranspose: seq([4, 4, 2], 'Conv2DTranspose', {filters: 2, kernel_size: 3}),
  SeparableConv2D: seq([6, 6, 2], 'SeparableConv2D', {filters: 2, kernel_size: 3}),
  DepthwiseConv2D: seq([6, 6, 2], 'DepthwiseConv2D', {kernel_size: 3}),
  MaxPooling1D: seq([8, 3], 'MaxPooling1D', {pool_size: 2}),
  MaxPooling2D: seq([6, 6, 2], 'MaxPooling2D', {pool_size: [2, 2]}),
  AveragePooling2D: seq([6, 6, 2], 'AveragePooling2D', {pool_size: [2, 2]}),
  MaxPooling3D: seq([4, 4, 4, 1], 'MaxPooling3D', {pool_size: [2, 2, 2]}),
  GlobalAveragePooling2D: seq([4, 4, 2], 'GlobalAveragePooling2D'),
  GlobalMaxPooling1D: seq([5, 3], 'GlobalMaxPooling1D'),
  SimpleRNN: seq([5, 3], 'SimpleRNN', {units: 2}),
  LSTM: seq([5, 3], 'LSTM', {units: 2}),
  GRU: seq([5, 3], 'GRU', {units: 2}),
  Bidirectional: seq([5, 3], 'Bidirectional', wrapped('LSTM', {units: 2})),
  TimeDistributed: seq([5, 3], 'TimeDistributed', wrapped('Dense', {units: 2})),
  Embedding: seq([5], 'Embedding', {input_dim: 10, output_dim: 3}, 'int32'),
  BatchNormalization: seq([4, 3], 'BatchNormalization'),
  LayerNormalization: seq([4, 3], 'LayerNormalization'),
  GroupNormalization: seq([3, 4], 'GroupNormalization', {groups: 2}),
  UnitNormalization: seq([4, 3], 'UnitNormalization'),
  Reshape: seq([2, 3], 'Reshape', {target_shape: [6]}),
  Flatten: seq([2, 3], 'Flatten'),
  Permute: seq([2, 3], 'Permute', {dims: [2, 1]}),
  RepeatVector: seq([4], 'RepeatVector', {n: 2}),
  ZeroPadding2D: seq([4, 4, 1], 'ZeroPadding2D', {padding: 1}),
  Cropping1D: seq([8, 2], 'Cropping1D', {cropping: 1}),
  Cropping2D: seq([6, 6, 1], 'Cropping2D', {cropping: 1}),
  UpSampling1D: seq([4, 2], 'UpSampling1D', {size: 2}),
  UpSampling2D: seq([3, 3, 1], 'UpSampling2D', {size: 2}),
  Add: merged([[4], [4]], 'Add'),
  Add3: merged([[4], [4], [4]], 'Add'),
  Subtract: merged([[4], [4]], 'Subtract'),
  Multiply: merged([[4], [4]], 'Multiply'),
  Average: merged([[4], [4]], 'Average'),
  Maximum: merged([[4], [4]], 'Maximum'),
  Minimum: merged([[4], [4]], 'Minimum'),
  Concatenate: merged([[2, 4], [2, 4]], 'Concatenate', {axis: -1}),
  Dot: merged([[4], [4]], 'Dot', {axes: 1}),
  Attention: merged([[3, 4], [5, 4]], 'Attention'),
  AdditiveAttention: merged([[3, 4], [5, 4]], 'AdditiveAttention'),
  MultiHeadAttention: attention([3, 4], [5, 4], 'MultiHeadAttention', {num_heads: 2, key_dim: 2}),
  Activation: seq([4], 'Activation', {activation: 'relu'}),
  ReLU: seq([4], 'ReLU'),
  LeakyReLU: seq([4], 'LeakyReLU'),
  ELU: seq([4], 'ELU'),
  Softmax: seq([4], 'Softmax'),
  PReLU: seq([4, 3], 'PReLU'),
  Dropout: seq([4], 'Dropout', {rate: 0.5}),
  SpatialDropout1D: seq([4, 3], 'SpatialDropout1D', {rate: 0.5}),
  GaussianNoise: seq([4], 'GaussianNoise', {stddev: 0.1}),
  GaussianDropout: seq([4], 'GaussianDropout', {rate: 0.5}),
  AlphaDropout: seq([4], 'AlphaDropout', {rate: 0.5}),
} satisfies Record<string, ValidationModel>

export type BaseName = keyof typeof BASES
