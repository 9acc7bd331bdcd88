/**
 * Suite b (validation): the argument sweeps per layer family (issue #17 §3b, issue #12). Values are JSON texts.
 * `bad` values are what a file may hold by mistake (Keras decides whether it refuses them); `good` values are
 * other valid spellings of the argument, which Keras must accept.
 */
import type {Generation} from '../harness.js'
import type {Structural, Sweep} from './validation-edits.js'
import {structuralCases as structure} from './validation-structure.js'

/** A positive integer argument, every way it can be wrong (and spellings that are almost right). */
export const INT_FULL = [
  '"ten"', '[3]', '{"value": 3}', 'true', 'null', '-5', '0', '2.5', 'NaN', 'Infinity', '-Infinity', '1e400',
  '9007199254740993', '1e300', '-0', '-0.0', '3.0', '"3"',
] as const
/** The same, shorter, for the less central integer arguments. */
export const INT_SMALL = ['"ten"', '-5', '0', '2.5', 'NaN', '1e400', '-0', '3.0'] as const
/** A rate in [0, 1). */
const RATE = ['1', '1.5', '-0.1', '"half"', 'NaN', 'Infinity', 'null', '[0.5]'] as const
const RATE_GOOD = ['0', '0.999', '0.25'] as const
const ACTIVATION = ['"reluu"', '"RELU"', '""', '5', '{"class_name": "Reluu", "config": {}}'] as const
const ACTIVATION_GOOD = ['"relu"', '"tanh"', '"softmax"', '"gelu"', '"selu"', '"linear"', 'null'] as const
const INITIALIZER = ['"glorot_uniformm"', '5', '{"class_name": "GlorotUniformm", "config": {}}', '{"class_name": "RandomNormal", "config": {"stddev": "x"}}'] as const
const INITIALIZER_GOOD = ['"glorot_uniform"', '"he_normal"', '"zeros"', '{"class_name": "GlorotUniform", "config": {"seed": null}}', '{"class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": 0.5}}'] as const
const REGULARIZER = ['"l3"', '5', '{"class_name": "L3", "config": {}}', '{"class_name": "L2", "config": {"l2": "x"}}', '{"class_name": "L2", "config": {"l2": -1}}'] as const
const REGULARIZER_GOOD = ['"l2"', '"l1"', '{"class_name": "L2", "config": {"l2": 0.01}}', '{"class_name": "L1L2", "config": {"l1": 0.01, "l2": 0.0}}'] as const
const CONSTRAINT = ['"max_normm"', '5', '{"class_name": "MaxNormm", "config": {}}'] as const
const CONSTRAINT_GOOD = ['"max_norm"', '"non_neg"', '"unit_norm"', '{"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}}'] as const
const BOOL = ['"yes"', '1', 'null'] as const
const PADDING = ['"vaild"', '"VALID"', '"same "', '""', '5', 'null'] as const
const DATA_FORMAT = ['"channels_lats"', '"CHANNELS_LAST"', '5'] as const

const convSweeps: Sweep[] = [
  {base: 'Conv2D', key: 'filters', bad: INT_FULL, good: ['4', '1']},
  {base: 'Conv2D', key: 'kernel_size', bad: ['[0, 0]', '[0, 3]', '[-1, 3]', '[3]', '[3, 3, 3]', '0', '-1', '2.5', '[2.5, 3]', '"3"', '[7, 7]', '[null, 3]', 'NaN', '[3, NaN]', '[]', '[1e400, 3]', 'true', '[3.0, 3.0]'], good: ['3', '[3, 3]', '[6, 6]', '[1, 1]']},
  {base: 'Conv2D', key: 'strides', bad: ['[0, 0]', '0', '-1', '[1]', '[1, 1, 1]', '2.5', '"2"', '[0, 1]', 'null'], good: ['2', '[2, 2]', '[9, 9]']},
  {base: 'Conv2D', key: 'dilation_rate', bad: ['[0, 0]', '0', '-1', '[4, 4]', '2.5'], good: ['2', '[2, 2]']},
  {base: 'Conv2D', key: 'padding', bad: [...PADDING, '"causal"', '"full"'], good: ['"same"']},
  {base: 'Conv2D', key: 'data_format', bad: [...DATA_FORMAT, '"channels_first"'], good: ['null']},
  {base: 'Conv2D', key: 'groups', bad: ['0', '-1', '3', '2.5'], good: ['2']},
  {base: 'Conv2D', key: 'activation', bad: ACTIVATION, good: ACTIVATION_GOOD},
  {base: 'Conv2D', key: 'use_bias', bad: BOOL, good: ['false']},
  {base: 'Conv2D', key: 'kernel_initializer', bad: INITIALIZER, good: INITIALIZER_GOOD},
  {base: 'Conv2D', key: 'kernel_regularizer', bad: REGULARIZER, good: REGULARIZER_GOOD},
  {base: 'Conv2D', key: 'kernel_constraint', bad: CONSTRAINT, good: CONSTRAINT_GOOD},
  {base: 'Conv1D', key: 'filters', bad: INT_SMALL},
  {base: 'Conv1D', key: 'kernel_size', bad: ['0', '[0]', '9', '[9]', '-1', '[3, 3]'], good: ['8', '3', '[3]']},
  {base: 'Conv1D', key: 'strides', bad: ['0', '[0]', '-1'], good: ['2', '[2]']},
  {base: 'Conv1D', key: 'padding', bad: ['"vaild"', '"full"'], good: ['"causal"', '"same"']},
  {base: 'Conv1D', key: 'dilation_rate', bad: ['0', '[4]'], good: ['2']},
  {base: 'Conv1D', key: 'data_format', bad: ['"channels_lats"']},
  {base: 'Conv3D', key: 'filters', bad: INT_SMALL},
  {base: 'Conv3D', key: 'kernel_size', bad: ['[0, 0, 0]', '[5, 5, 5]', '[2, 2]', '0'], good: ['2', '[4, 4, 4]']},
  {base: 'Conv3D', key: 'strides', bad: ['[0, 1, 1]', '0'], good: ['[2, 2, 2]']},
  {base: 'Conv3D', key: 'padding', bad: ['"vaild"', '"causal"']},
  {base: 'Conv2DTranspose', key: 'filters', bad: INT_SMALL},
  {base: 'Conv2DTranspose', key: 'kernel_size', bad: ['0', '[0, 0]', '-1']},
  {base: 'Conv2DTranspose', key: 'strides', bad: ['0', '[0, 0]'], good: ['2']},
  {base: 'Conv2DTranspose', key: 'output_padding', bad: ['[2, 2]', '-1', '[1, 1]'], good: ['null']},
  {base: 'Conv2DTranspose', key: 'padding', bad: ['"vaild"']},
  {base: 'SeparableConv2D', key: 'filters', bad: INT_SMALL},
  {base: 'SeparableConv2D', key: 'depth_multiplier', bad: ['0', '-1', '2.5', '"2"'], good: ['2']},
  {base: 'SeparableConv2D', key: 'kernel_size', bad: ['[7, 7]', '0']},
  {base: 'DepthwiseConv2D', key: 'depth_multiplier', bad: INT_SMALL, good: ['2']},
  {base: 'DepthwiseConv2D', key: 'kernel_size', bad: ['0', '[7, 7]', '[0, 0]']},
  {base: 'DepthwiseConv2D', key: 'padding', bad: ['"vaild"']},
]

const poolSweeps: Sweep[] = [
  {base: 'MaxPooling2D', key: 'pool_size', bad: ['[0, 0]', '0', '[7, 7]', '-1', '[2]', '2.5', '"2"', 'null', '[2, 2, 2]'], good: ['[3, 3]', '2', '[6, 6]']},
  {base: 'MaxPooling2D', key: 'strides', bad: ['0', '[0, 0]', '-2', '[2]'], good: ['null', '[1, 1]', '3']},
  {base: 'MaxPooling2D', key: 'padding', bad: ['"vaild"', '"causal"', '"VALID"', '5'], good: ['"same"']},
  {base: 'MaxPooling2D', key: 'data_format', bad: DATA_FORMAT},
  {base: 'MaxPooling1D', key: 'pool_size', bad: ['0', '9', '[0]', '-1'], good: ['8', '3', '[3]']},
  {base: 'MaxPooling1D', key: 'strides', bad: ['0', '-1'], good: ['null', '1']},
  {base: 'MaxPooling1D', key: 'padding', bad: ['"vaild"'], good: ['"same"']},
  {base: 'AveragePooling2D', key: 'pool_size', bad: ['[0, 0]', '[7, 7]'], good: ['[6, 6]']},
  {base: 'AveragePooling2D', key: 'padding', bad: ['"vaild"'], good: ['"same"']},
  {base: 'MaxPooling3D', key: 'pool_size', bad: ['[5, 5, 5]', '[0, 2, 2]', '[2, 2]'], good: ['[4, 4, 4]', '2']},
  {base: 'GlobalAveragePooling2D', key: 'keepdims', bad: ['"yes"', '1'], good: ['true']},
  {base: 'GlobalAveragePooling2D', key: 'data_format', bad: DATA_FORMAT, good: ['"channels_first"']},
  {base: 'GlobalMaxPooling1D', key: 'data_format', bad: ['"channels_lats"'], good: ['"channels_first"']},
  {base: 'GlobalMaxPooling1D', key: 'keepdims', bad: ['"no"'], good: ['true']},
]

const recurrentSweeps: Sweep[] = [
  {base: 'LSTM', key: 'units', bad: INT_FULL, good: ['1', '7']},
  {base: 'LSTM', key: 'activation', bad: ACTIVATION, good: ['"relu"', '"sigmoid"', 'null']},
  {base: 'LSTM', key: 'recurrent_activation', bad: ['"hard_sigmoidd"', '5'], good: ['"sigmoid"', '"hard_sigmoid"']},
  {base: 'LSTM', key: 'dropout', bad: RATE, good: RATE_GOOD},
  {base: 'LSTM', key: 'recurrent_dropout', bad: ['1.5', '-0.1', '"x"'], good: ['0.5']},
  {base: 'LSTM', key: 'return_sequences', bad: ['"yes"', '1'], good: ['true']},
  {base: 'LSTM', key: 'go_backwards', bad: ['"no"'], good: ['true']},
  {base: 'LSTM', key: 'unroll', bad: ['"no"'], good: ['true']},
  {base: 'LSTM', key: 'stateful', bad: ['"no"', 'true']},
  {base: 'LSTM', key: 'unit_forget_bias', bad: ['"yes"'], good: ['false']},
  {base: 'LSTM', key: 'recurrent_initializer', bad: ['"orthogonall"', '5'], good: ['"orthogonal"', '"glorot_uniform"']},
  {base: 'LSTM', key: 'kernel_regularizer', bad: ['"l3"'], good: ['"l2"']},
  {base: 'GRU', key: 'units', bad: INT_SMALL},
  {base: 'GRU', key: 'reset_after', bad: ['"no"', '0'], good: ['false']},
  {base: 'GRU', key: 'activation', bad: ['"reluu"']},
  {base: 'GRU', key: 'recurrent_activation', bad: ['"sigmoidd"']},
  {base: 'GRU', key: 'dropout', bad: ['1.5', '-1']},
  {base: 'SimpleRNN', key: 'units', bad: INT_SMALL},
  {base: 'SimpleRNN', key: 'activation', bad: ['"reluu"'], good: ['"relu"']},
  {base: 'SimpleRNN', key: 'dropout', bad: ['1.5']},
  {base: 'Bidirectional', key: 'merge_mode', bad: ['"sumx"', '"SUM"', '5', 'null'], good: ['"sum"', '"ave"', '"mul"', '"concat"']},
  {base: 'Bidirectional', key: 'layer.units', path: ['config', 'layer', 'config', 'units'], bad: INT_SMALL},
  {base: 'Bidirectional', key: 'layer.class_name', path: ['config', 'layer', 'class_name'], bad: ['"Dense"', '"LSTMM"', '5', '"GRU"']},
  {base: 'Bidirectional', key: 'layer.activation', path: ['config', 'layer', 'config', 'activation'], bad: ['"reluu"']},
  {base: 'TimeDistributed', key: 'layer.units', path: ['config', 'layer', 'config', 'units'], bad: INT_SMALL},
  {base: 'TimeDistributed', key: 'layer.class_name', path: ['config', 'layer', 'class_name'], bad: ['"Densee"']},
  {base: 'TimeDistributed', key: 'layer.activation', path: ['config', 'layer', 'config', 'activation'], bad: ['"reluu"'], good: ['"relu"']},
  {base: 'Embedding', key: 'input_dim', bad: INT_SMALL, good: ['1']},
  {base: 'Embedding', key: 'output_dim', bad: INT_FULL, good: ['1']},
  {base: 'Embedding', key: 'mask_zero', bad: ['"yes"'], good: ['true']},
  {base: 'Embedding', key: 'embeddings_initializer', bad: ['"uniformm"', '5'], good: ['"uniform"', '"glorot_uniform"']},
  {base: 'Embedding', key: 'embeddings_regularizer', bad: ['"l3"'], good: ['"l2"']},
  {base: 'Embedding', key: 'input_length', bad: ['7', '-1', '"x"', '5']},
]

const normalizationSweeps: Sweep[] = [
  {base: 'BatchNormalization', key: 'axis', bad: ['5', '-5', '"1"', '2.5', '[1, 5]', '[-1]'], good: ['1', '-1', '2']},
  {base: 'BatchNormalization', key: 'momentum', bad: ['2', '-1', '"x"', 'NaN'], good: ['0.9']},
  {base: 'BatchNormalization', key: 'epsilon', bad: ['-1', '0', '"x"'], good: ['0.01']},
  {base: 'BatchNormalization', key: 'center', bad: ['"no"'], good: ['false']},
  {base: 'BatchNormalization', key: 'scale', bad: ['"yes"'], good: ['false']},
  {base: 'BatchNormalization', key: 'beta_initializer', bad: ['"zeross"'], good: ['"ones"']},
  {base: 'BatchNormalization', key: 'moving_variance_initializer', bad: ['"oness"']},
  {base: 'BatchNormalization', key: 'gamma_regularizer', bad: ['"l3"']},
  {base: 'LayerNormalization', key: 'axis', bad: ['5', '"x"', '[3]', '[1, 5]'], good: ['[-1]', '[1, 2]', '1']},
  {base: 'LayerNormalization', key: 'epsilon', bad: ['-1', '"x"']},
  {base: 'LayerNormalization', key: 'center', bad: ['"no"'], good: ['false']},
  {base: 'GroupNormalization', key: 'groups', bad: ['3', '0', '-1', '2.5', '8'], good: ['4', '1']},
  {base: 'GroupNormalization', key: 'axis', bad: ['5', '"x"']},
  {base: 'UnitNormalization', key: 'axis', bad: ['9', '"x"'], good: ['[1, 2]', '1']},
]

const reshapingSweeps: Sweep[] = [
  {base: 'Reshape', key: 'target_shape', bad: ['[5]', '[-1, -1]', '[0]', '[-2, 3]', '[2.5, 2]', '"6"', '6', '[]', '[null]', '[7, -1]', '[1e400]', '[4, -1]'], good: ['[6]', '[-1]', '[3, 2]', '[3, -1]', '[1, 6]']},
  {base: 'Flatten', key: 'data_format', bad: ['"channels_lats"', '5'], good: ['"channels_first"']},
  {base: 'Permute', key: 'dims', bad: ['[1, 1]', '[0, 1]', '[3, 1]', '[1]', '[1, 2, 3]', '"21"', '[2.5, 1]'], good: ['[1, 2]', '[2, 1]']},
  {base: 'RepeatVector', key: 'n', bad: INT_FULL, good: ['1']},
  {base: 'ZeroPadding2D', key: 'padding', bad: ['-1', '[[-1, 0], [0, 0]]', '2.5', '[1, 1, 1]', '"1"', '[[1, 1], [1]]'], good: ['2', '[1, 2]', '[[1, 0], [0, 1]]', '0']},
  {base: 'Cropping1D', key: 'cropping', bad: ['[5, 5]', '[4, 4]', '-1', '[1]'], good: ['[1, 2]', '3']},
  {base: 'Cropping2D', key: 'cropping', bad: ['[3, 3]', '[4, 4]', '-1', '[[-1, 0], [0, 0]]'], good: ['[[1, 1], [2, 2]]', '2', '[1, 2]']},
  {base: 'UpSampling1D', key: 'size', bad: ['0', '-1', '2.5', '"2"'], good: ['3']},
  {base: 'UpSampling2D', key: 'size', bad: ['0', '[0, 0]', '-2', '2.5', '"2"', '[2]'], good: ['[2, 3]', '2']},
  {base: 'UpSampling2D', key: 'interpolation', bad: ['"bilinaer"', '"BILINEAR"', '5', 'null'], good: ['"bilinear"', '"nearest"', '"bicubic"', '"area"']},
]

const mergeSweeps: Sweep[] = [
  {base: 'Concatenate', key: 'axis', bad: ['5', '-4', '"1"', '2.5', 'null', '[1]'], good: ['1', '-2', '2']},
  {base: 'Dot', key: 'axes', bad: ['5', '[1, 2]', '"1"', '[1]', '2.5', '[1, 1, 1]'], good: ['-1', '[1, 1]', '[-1, 1]']},
  {base: 'Dot', key: 'normalize', bad: ['"yes"'], good: ['true']},
  {base: 'Attention', key: 'use_scale', bad: ['"yes"'], good: ['true']},
  {base: 'Attention', key: 'score_mode', bad: ['"dott"', '5'], good: ['"concat"', '"dot"']},
  {base: 'Attention', key: 'dropout', bad: ['1.5', '-1', '"x"'], good: ['0.5']},
  {base: 'AdditiveAttention', key: 'use_scale', bad: ['"no"'], good: ['false']},
  {base: 'AdditiveAttention', key: 'dropout', bad: ['2']},
  {base: 'MultiHeadAttention', key: 'num_heads', bad: INT_FULL, good: ['1', '3']},
  {base: 'MultiHeadAttention', key: 'key_dim', bad: INT_SMALL, good: ['1']},
  {base: 'MultiHeadAttention', key: 'value_dim', bad: ['-1', '0', '"x"'], good: ['3', 'null']},
  {base: 'MultiHeadAttention', key: 'dropout', bad: ['1.5', '-1'], good: ['0.5']},
  {base: 'MultiHeadAttention', key: 'attention_axes', bad: ['[5]', '5', '"x"', '[0]'], good: ['[1]', '1', 'null']},
  {base: 'MultiHeadAttention', key: 'output_shape', bad: ['[-1]', '[0]', '"x"'], good: ['[6]', '6', 'null']},
  {base: 'MultiHeadAttention', key: 'use_bias', bad: ['"yes"'], good: ['false']},
  {base: 'MultiHeadAttention', key: 'kernel_initializer', bad: ['"glorot_uniformm"'], good: ['"he_normal"']},
]

const denseSweeps: Sweep[] = [
  {base: 'Dense', key: 'units', bad: INT_FULL, good: ['1', '8']},
  {base: 'Dense', key: 'activation', bad: ACTIVATION, good: ACTIVATION_GOOD},
  {base: 'Dense', key: 'use_bias', bad: BOOL, good: ['false']},
  {base: 'Dense', key: 'kernel_initializer', bad: INITIALIZER, good: INITIALIZER_GOOD},
  {base: 'Dense', key: 'bias_initializer', bad: ['"zeross"'], good: ['"ones"', '{"class_name": "Constant", "config": {"value": 0.5}}']},
  {base: 'Dense', key: 'kernel_regularizer', bad: REGULARIZER, good: REGULARIZER_GOOD},
  {base: 'Dense', key: 'bias_constraint', bad: CONSTRAINT, good: CONSTRAINT_GOOD},
  {base: 'Dense', key: 'trainable', bad: ['"yes"', '1', 'null'], good: ['false']},
  {base: 'Dense', key: 'name', bad: ['""', '5', 'null', '"x"', '"a/b"'], good: ['"dense_renamed"']},
]

function activationSweeps(generation: Generation): Sweep[] {
  const slope = generation === 'keras3' ? 'negative_slope' : 'alpha'
  return [
    {base: 'Activation', key: 'activation', bad: [...ACTIVATION, 'null', '{"class_name": "ReLU", "config": {}}'], good: ['"relu"', '"tanh"', '"softmax"', '"gelu"', '"swish"', '"hard_sigmoid"', '"elu"', '"exponential"', '"softplus"']},
    {base: 'ReLU', key: 'max_value', bad: ['-1', '"x"', 'NaN'], good: ['6', 'null', '0.5']},
    {base: 'ReLU', key: 'negative_slope', bad: ['-1', '"x"'], good: ['0.1']},
    {base: 'ReLU', key: 'threshold', bad: ['"x"', '-1'], good: ['0.5']},
    {base: 'LeakyReLU', key: slope, bad: ['-1', '"x"', 'NaN', 'null'], good: ['0.2', '0']},
    {base: 'ELU', key: 'alpha', bad: ['"x"', '-1'], good: ['0.5']},
    {base: 'Softmax', key: 'axis', bad: ['5', '"x"'], good: ['-1', '1', '[1]']},
    {base: 'PReLU', key: 'shared_axes', bad: ['[5]', '"x"', '[0]'], good: ['[1]', 'null', '1']},
    {base: 'PReLU', key: 'alpha_initializer', bad: ['"zeross"'], good: ['"ones"']},
    {base: 'Dropout', key: 'rate', bad: RATE, good: RATE_GOOD},
    {base: 'Dropout', key: 'noise_shape', bad: ['[1, 5]', '"x"', '[-1, 4]'], good: ['[null, 1]', 'null']},
    {base: 'Dropout', key: 'seed', bad: ['"x"', '2.5'], good: ['7', 'null']},
    {base: 'SpatialDropout1D', key: 'rate', bad: ['1.5', '-1'], good: ['0']},
    {base: 'GaussianNoise', key: 'stddev', bad: ['-1', '"x"', 'NaN', '2'], good: ['0', '0.5']},
    {base: 'GaussianDropout', key: 'rate', bad: ['1.5', '-1', '1'], good: ['0.1']},
    {base: 'AlphaDropout', key: 'rate', bad: ['1.5', '-1'], good: ['0.1']},
  ]
}

/** Every argument sweep for a generation (only the argument names the generation writes differ). */
export function argumentSweeps(generation: Generation): Sweep[] {
  return [...denseSweeps, ...convSweeps, ...poolSweeps, ...recurrentSweeps, ...normalizationSweeps, ...reshapingSweeps, ...mergeSweeps, ...activationSweeps(generation)]
}

/** The spelt-out cases (graph, names, keys, inputs, aliases): validation-structure.ts. */
export const structuralCases = (generation: Generation): Structural[] => structure(generation)
