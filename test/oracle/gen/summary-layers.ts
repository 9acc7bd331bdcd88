/**
 * Suite c (summary), part one: the case types, the model-spec builders, and one case per layer family and
 * variant (a one-layer Sequential, so each layer's output shape and parameter count is checked on its own).
 */
import type {Generation, OracleCase} from '../harness.js'
import type {SummaryOptions} from '../checks/summary.js'

export type Args = Record<string, unknown>
/** An input shape without the batch dimension; null is a dimension of unknown size (`None`). */
export type Dims = Array<number | null>

/** One layer of a model spec (test/oracle/py/common.py); `model` for a nested `__model__`. */
export interface SummaryLayer {
  name: string
  class_name: string
  args?: Args
  model?: SummaryModel
}

/** One call of a functional spec; `extra_args` are further positional tensors (MultiHeadAttention's value). */
export interface SummaryNode {
  layer: string
  inputs: string | string[]
  extra_args?: string[]
  kwargs?: Args
  output: string | string[]
}

/** The Keras-side model spec (common.build_model); a missing name lets Keras pick its default. */
export interface SummaryModel {
  kind: 'sequential' | 'functional'
  name?: string
  inputs: Array<{name: string; shape: Dims; dtype?: string}>
  layers: SummaryLayer[]
  nodes?: SummaryNode[]
  outputs?: string[]
}

/** A case: a model, the layers frozen after the build (`outer/inner`, `.` = the model), the summary option sets. */
export interface SummaryCase extends OracleCase {
  model: SummaryModel
  freeze?: string[]
  variants: SummaryOptions[]
}

/** Extras of a case beyond its model. */
export interface CaseExtras {
  freeze?: string[]
  variants?: SummaryOptions[]
}

export const PLAIN: SummaryOptions[] = [{}]
export const TRAINABLE: SummaryOptions[] = [{}, {show_trainable: true}]
/** Nested models: collapsed, expanded, expanded with the Trainable column. */
export const NESTED: SummaryOptions[] = [{}, {expand_nested: true}, {expand_nested: true, show_trainable: true}]
/** Nested models with frozen parts: the Trainable column collapsed and expanded. */
export const NESTED_FROZEN: SummaryOptions[] = [{}, {show_trainable: true}, {expand_nested: true, show_trainable: true}]

/** A case from a model and its extras (variants default to the plain summary). */
export function makeCase(id: string, model: SummaryModel, extras: CaseExtras = {}): Omit<SummaryCase, 'seed'> {
  return {id, model, ...(extras.freeze === undefined ? {} : {freeze: extras.freeze}), variants: extras.variants ?? PLAIN}
}

/** A Sequential over one input of `shape` (dtype float32 unless given). */
export function sequential(name: string | undefined, shape: Dims, layers: SummaryLayer[], dtype?: string): SummaryModel {
  return {kind: 'sequential', ...(name === undefined ? {} : {name}), inputs: [{name: 'x', shape, ...(dtype === undefined ? {} : {dtype})}], layers}
}

export const layer = (name: string, className: string, args: Args = {}): SummaryLayer => ({name, class_name: className, args})

/** [id suffix, input shape, class, args, input dtype?]: one layer family member in a one-layer Sequential. */
type Single = [string, Dims, string, Args, string?]

export const INT = 'int32'

const CORE: Single[] = [
  ['Dense/units=3', [4], 'Dense', {units: 3}],
  ['Dense/no-bias,relu', [4], 'Dense', {units: 2, use_bias: false, activation: 'relu'}],
  ['Dense/3d-input', [3, 4], 'Dense', {units: 2}],
  ['EinsumDense/ab,bc->ac', [4], 'EinsumDense', {equation: 'ab,bc->ac', output_shape: 3, bias_axes: 'c'}],
  ['EinsumDense/abc,cd->abd', [2, 4], 'EinsumDense', {equation: 'abc,cd->abd', output_shape: [2, 3]}],
  ['Activation/tanh', [4], 'Activation', {activation: 'tanh'}],
  ['Dropout/0.5', [4], 'Dropout', {rate: 0.5}],
  ['Identity', [4], 'Identity', {}],
  ['Masking', [3, 2], 'Masking', {mask_value: 0}],
  ['ActivityRegularization', [4], 'ActivityRegularization', {l1: 0.01}],
  ['Embedding/10x3', [5], 'Embedding', {input_dim: 10, output_dim: 3}, INT],
  ['Embedding/mask_zero', [5], 'Embedding', {input_dim: 7, output_dim: 2, mask_zero: true}, INT],
  ['ReLU', [4], 'ReLU', {}],
  ['LeakyReLU', [4], 'LeakyReLU', {}],
  ['PReLU', [4], 'PReLU', {}],
  ['PReLU/shared_axes', [3, 2], 'PReLU', {shared_axes: [1]}],
  ['ELU', [4], 'ELU', {}],
  ['Softmax', [4], 'Softmax', {}],
  ['GaussianNoise', [4], 'GaussianNoise', {stddev: 0.1}],
  ['GaussianDropout', [4], 'GaussianDropout', {rate: 0.2}],
  ['AlphaDropout', [4], 'AlphaDropout', {rate: 0.2}],
  ['SpatialDropout1D', [3, 2], 'SpatialDropout1D', {rate: 0.2}],
  ['SpatialDropout2D', [3, 3, 2], 'SpatialDropout2D', {rate: 0.2}],
]

const CONV: Single[] = [
  ['Conv1D/3x3', [6, 2], 'Conv1D', {filters: 3, kernel_size: 3}],
  ['Conv1D/causal,dilation', [6, 2], 'Conv1D', {filters: 2, kernel_size: 2, padding: 'causal', dilation_rate: 2}],
  ['Conv2D/valid', [5, 5, 2], 'Conv2D', {filters: 2, kernel_size: 3}],
  ['Conv2D/same,strides', [5, 5, 2], 'Conv2D', {filters: 3, kernel_size: [3, 2], strides: 2, padding: 'same'}],
  ['Conv2D/groups', [4, 4, 4], 'Conv2D', {filters: 2, kernel_size: 1, groups: 2}],
  ['Conv2D/no-bias', [4, 4, 1], 'Conv2D', {filters: 2, kernel_size: 2, use_bias: false}],
  ['Conv3D', [4, 4, 4, 1], 'Conv3D', {filters: 2, kernel_size: 2}],
  ['SeparableConv1D', [6, 2], 'SeparableConv1D', {filters: 3, kernel_size: 3, depth_multiplier: 2}],
  ['SeparableConv2D', [5, 5, 2], 'SeparableConv2D', {filters: 3, kernel_size: 3}],
  ['DepthwiseConv1D', [6, 2], 'DepthwiseConv1D', {kernel_size: 3}],
  ['DepthwiseConv2D', [5, 5, 2], 'DepthwiseConv2D', {kernel_size: 3, depth_multiplier: 2}],
  ['Conv1DTranspose', [4, 2], 'Conv1DTranspose', {filters: 2, kernel_size: 3, strides: 2}],
  ['Conv2DTranspose', [3, 3, 2], 'Conv2DTranspose', {filters: 2, kernel_size: 3, strides: 2, padding: 'same'}],
  ['Conv3DTranspose', [2, 2, 2, 1], 'Conv3DTranspose', {filters: 2, kernel_size: 2}],
  ['ConvLSTM1D', [3, 5, 2], 'ConvLSTM1D', {filters: 2, kernel_size: 3}],
  ['ConvLSTM2D/return_sequences', [3, 4, 4, 1], 'ConvLSTM2D', {filters: 2, kernel_size: 3, return_sequences: true}],
]

const POOL: Single[] = [
  ['MaxPooling1D', [6, 2], 'MaxPooling1D', {pool_size: 2}],
  ['MaxPooling1D/same,strides=1', [6, 2], 'MaxPooling1D', {pool_size: 3, strides: 1, padding: 'same'}],
  ['MaxPooling2D', [4, 4, 2], 'MaxPooling2D', {pool_size: 2}],
  ['MaxPooling3D', [4, 4, 4, 1], 'MaxPooling3D', {pool_size: 2}],
  ['AveragePooling1D', [6, 2], 'AveragePooling1D', {pool_size: 3}],
  ['AveragePooling2D/same', [5, 5, 1], 'AveragePooling2D', {pool_size: 2, padding: 'same'}],
  ['AveragePooling3D', [4, 4, 4, 1], 'AveragePooling3D', {pool_size: 2}],
  ['GlobalMaxPooling1D', [6, 2], 'GlobalMaxPooling1D', {}],
  ['GlobalAveragePooling1D/keepdims', [6, 2], 'GlobalAveragePooling1D', {keepdims: true}],
  ['GlobalMaxPooling2D', [4, 4, 2], 'GlobalMaxPooling2D', {}],
  ['GlobalAveragePooling2D/keepdims', [4, 4, 2], 'GlobalAveragePooling2D', {keepdims: true}],
  ['GlobalAveragePooling3D', [3, 3, 3, 2], 'GlobalAveragePooling3D', {}],
]

export const lstm = (args: Args = {}): Args => ({class_name: 'LSTM', args: {units: 2, ...args}})
const RNN: Single[] = [
  ['SimpleRNN', [4, 3], 'SimpleRNN', {units: 2}],
  ['SimpleRNN/return_sequences', [4, 3], 'SimpleRNN', {units: 2, return_sequences: true}],
  ['LSTM', [4, 3], 'LSTM', {units: 2}],
  ['LSTM/no-bias', [4, 3], 'LSTM', {units: 2, use_bias: false}],
  ['GRU', [4, 3], 'GRU', {units: 2}],
  ['GRU/reset_after=false', [4, 3], 'GRU', {units: 2, reset_after: false}],
  ['RNN/LSTMCell', [4, 3], 'RNN', {cell: {class_name: 'LSTMCell', args: {units: 2}}}],
  ['RNN/GRUCell,return_sequences', [4, 3], 'RNN', {cell: {class_name: 'GRUCell', args: {units: 2}}, return_sequences: true}],
  ['Bidirectional/LSTM,concat', [4, 3], 'Bidirectional', {layer: lstm()}],
  ['Bidirectional/LSTM,sum,return_sequences', [4, 3], 'Bidirectional', {layer: lstm({return_sequences: true}), merge_mode: 'sum'}],
  ['Bidirectional/GRU,ave', [4, 3], 'Bidirectional', {layer: {class_name: 'GRU', args: {units: 2}}, merge_mode: 'ave'}],
  ['Bidirectional/SimpleRNN,mul', [4, 3], 'Bidirectional', {layer: {class_name: 'SimpleRNN', args: {units: 2}}, merge_mode: 'mul'}],
  ['TimeDistributed/Dense', [4, 3], 'TimeDistributed', {layer: {class_name: 'Dense', args: {units: 2}}}],
  ['TimeDistributed/Conv2D', [2, 4, 4, 1], 'TimeDistributed', {layer: {class_name: 'Conv2D', args: {filters: 2, kernel_size: 3}}}],
]

const NORM: Single[] = [
  ['BatchNormalization', [4], 'BatchNormalization', {}],
  ['BatchNormalization/image', [3, 3, 2], 'BatchNormalization', {}],
  ['BatchNormalization/center=false', [4], 'BatchNormalization', {center: false}],
  ['BatchNormalization/scale=false', [4], 'BatchNormalization', {scale: false}],
  ['BatchNormalization/axis=1', [3, 2], 'BatchNormalization', {axis: 1}],
  ['BatchNormalization/trainable=false', [4], 'BatchNormalization', {trainable: false}],
  ['LayerNormalization', [3, 4], 'LayerNormalization', {}],
  ['LayerNormalization/no-center', [4], 'LayerNormalization', {center: false}],
  ['GroupNormalization', [3, 4], 'GroupNormalization', {groups: 2}],
  ['UnitNormalization', [4], 'UnitNormalization', {}],
]

const RESHAPE: Single[] = [
  ['Flatten', [3, 2], 'Flatten', {}],
  ['Flatten/4d', [2, 2, 2], 'Flatten', {}],
  ['Reshape/(6,)', [3, 2], 'Reshape', {target_shape: [6]}],
  ['Reshape/(-1,2)', [6], 'Reshape', {target_shape: [-1, 2]}],
  ['Permute', [3, 2], 'Permute', {dims: [2, 1]}],
  ['RepeatVector', [4], 'RepeatVector', {n: 3}],
  ['Cropping1D', [6, 2], 'Cropping1D', {cropping: [1, 2]}],
  ['Cropping2D', [5, 5, 1], 'Cropping2D', {cropping: [[1, 1], [0, 2]]}],
  ['Cropping3D', [4, 4, 4, 1], 'Cropping3D', {cropping: 1}],
  ['UpSampling1D', [3, 2], 'UpSampling1D', {size: 2}],
  ['UpSampling2D', [2, 2, 1], 'UpSampling2D', {size: [2, 3]}],
  ['UpSampling3D', [2, 2, 2, 1], 'UpSampling3D', {size: 2}],
  ['ZeroPadding1D', [3, 2], 'ZeroPadding1D', {padding: 2}],
  ['ZeroPadding2D', [2, 2, 1], 'ZeroPadding2D', {padding: [[1, 0], [2, 1]]}],
  ['ZeroPadding3D', [2, 2, 2, 1], 'ZeroPadding3D', {padding: 1}],
]

const PREPROCESSING: Single[] = [
  ['Rescaling', [4], 'Rescaling', {scale: 0.5, offset: 0.1}],
  ['Normalization/mean,variance', [3], 'Normalization', {mean: [0.1, 0.2, 0.3], variance: [1, 2, 3]}],
  ['Normalization/unadapted', [3], 'Normalization', {}],
  ['Resizing', [4, 4, 1], 'Resizing', {height: 3, width: 2}],
  ['CenterCrop', [4, 4, 1], 'CenterCrop', {height: 2, width: 3}],
  ['RandomFlip', [4, 4, 1], 'RandomFlip', {}],
  ['RandomRotation', [4, 4, 1], 'RandomRotation', {factor: 0.1}],
  ['RandomContrast', [4, 4, 1], 'RandomContrast', {factor: 0.2}],
  ['CategoryEncoding/multi_hot', [3], 'CategoryEncoding', {num_tokens: 5, output_mode: 'multi_hot'}, INT],
  ['Hashing', [3], 'Hashing', {num_bins: 4}, INT],
  ['IntegerLookup', [3], 'IntegerLookup', {vocabulary: [3, 5, 7]}, INT],
  ['StringLookup', [2], 'StringLookup', {vocabulary: ['a', 'b', 'c']}, 'string'],
  ['Discretization', [3], 'Discretization', {bin_boundaries: [0, 0.5]}],
]

const ONLY_KERAS2: Single[] = [
  ['ThresholdedReLU', [4], 'ThresholdedReLU', {theta: 0.5}],
  ['LocallyConnected1D', [5, 2], 'LocallyConnected1D', {filters: 2, kernel_size: 2}],
  ['LocallyConnected2D', [4, 4, 1], 'LocallyConnected2D', {filters: 2, kernel_size: 2}],
]

const ONLY_KERAS3: Single[] = [
  ['RMSNormalization', [4], 'RMSNormalization', {}],
  // tf-keras 2.21 cannot build it (its input_spec check rejects the InputSpec it makes itself).
  ['SpectralNormalization/Dense', [4], 'SpectralNormalization', {layer: {class_name: 'Dense', args: {units: 3}}}],
  // The audio layers (a named STFT window needs scipy, not in the oracle venv: none, or the window as numbers).
  ['STFTSpectrogram', [64, 1], 'STFTSpectrogram', {frame_length: 16, frame_step: 8, window: null}],
  ['STFTSpectrogram/stft,same,expand_dims', [61, 2], 'STFTSpectrogram', {mode: 'stft', frame_length: 16, frame_step: 5, fft_length: 32, window: null, padding: 'same', expand_dims: true}],
  ['STFTSpectrogram/real,channels_first', [2, 64], 'STFTSpectrogram', {mode: 'real', frame_length: 10, window: null, data_format: 'channels_first'}],
  ['STFTSpectrogram/imag,channels_first,expand_dims', [3, null], 'STFTSpectrogram', {mode: 'imag', frame_length: 8, window: [0.1, 0.5, 0.9, 1, 1, 0.9, 0.5, 0.1], data_format: 'channels_first', expand_dims: true}],
  ['MelSpectrogram', [64], 'MelSpectrogram', {fft_length: 16, sequence_stride: 8, num_mel_bins: 4, sampling_rate: 800}],
  ['MelSpectrogram/any-length', [null], 'MelSpectrogram', {fft_length: 32, sequence_stride: 5, sequence_length: 20}],
]

/** Inputs with dimensions of unknown size: variable-length sequences and images. */
const DYNAMIC: Single[] = [
  ['LSTM/any-length', [null, 3], 'LSTM', {units: 2, return_sequences: true}],
  ['Conv1D/any-length', [null, 2], 'Conv1D', {filters: 2, kernel_size: 3}],
  ['Conv2D/any-size', [null, null, 1], 'Conv2D', {filters: 2, kernel_size: 3, strides: 2}],
  ['GlobalMaxPooling2D/any-size', [null, null, 2], 'GlobalMaxPooling2D', {}],
  ['Embedding/any-length', [null], 'Embedding', {input_dim: 5, output_dim: 2}, INT],
  ['Dense/any-middle', [null, 4], 'Dense', {units: 2}],
  ['Reshape/any-length', [null, 4], 'Reshape', {target_shape: [-1, 2]}],
]

const FAMILIES: Array<[string, Single[]]> = [
  ['core', CORE], ['conv', CONV], ['pooling', POOL], ['rnn', RNN], ['normalization', NORM], ['reshaping', RESHAPE],
  ['preprocessing', PREPROCESSING], ['dynamic', DYNAMIC],
]

/** The one-layer cases of every family (and those only one generation has). */
export function singles(generation: Generation): Array<Omit<SummaryCase, 'seed'>> {
  const families = [...FAMILIES, generation === 'keras2' ? ['keras2-only', ONLY_KERAS2] as const : ['keras3-only', ONLY_KERAS3] as const]
  return families.flatMap(([family, list]) =>
    list.map(([id, shape, className, args, dtype]) => makeCase(`${family}/${id}`, sequential('m', shape, [layer('l', className, args)], dtype))))
}
