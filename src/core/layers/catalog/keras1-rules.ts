/**
 * The Keras 1 → Keras 2 argument tables (catalog data used by src/core/model/keras1.ts), transcribed as facts from standalone Keras 2.0–2.2
 * `keras/legacy/interfaces.py` (the `legacy_*_support` decorators) and `keras/legacy/layers.py`
 * (`AtrousConvolution1D/2D`). model/keras1.ts applies them to a serialised layer entry.
 */

/** `[keras1Name, keras2Name]` pairs, applied in order; a pair whose Keras 2 key already exists is not applied. */
export type Renames = ReadonlyArray<readonly [string, string]>

/** Extra conversion a converter did besides renaming (kernel_size assembly, input_shape, …). */
export type Preprocessor = 'conv1d' | 'conv2d' | 'conv3d' | 'recurrent' | 'convlstm2d' | 'separable' | 'deconv2d'
  | 'batchnorm' | 'embedding' | 'zeropadding2d' | 'atrous'

/** How one Keras 1 class maps to Keras 2. */
export interface Keras1Rule {
  /** Keras 2 class name, when Keras 1 used another one (`Convolution2D` → `Conv2D`). */
  readonly to?: string
  readonly renames: Renames
  /** Converter also rewrote `dim_ordering` values (`tf`/`th`/`default`). */
  readonly dimOrdering?: boolean
  readonly pre?: Preprocessor
}

const BIAS_AND_WEIGHTS: Renames = [
  ['W_regularizer', 'kernel_regularizer'], ['b_regularizer', 'bias_regularizer'],
  ['W_constraint', 'kernel_constraint'], ['b_constraint', 'bias_constraint'], ['bias', 'use_bias'],
]
const DENSE: Renames = [['output_dim', 'units'], ['init', 'kernel_initializer'], ...BIAS_AND_WEIGHTS]
const CONV1D: Renames = [
  ['nb_filter', 'filters'], ['filter_length', 'kernel_size'], ['subsample_length', 'strides'],
  ['border_mode', 'padding'], ['init', 'kernel_initializer'], ...BIAS_AND_WEIGHTS,
]
const CONV_ND: Renames = [
  ['nb_filter', 'filters'], ['subsample', 'strides'], ['border_mode', 'padding'], ['dim_ordering', 'data_format'],
  ['init', 'kernel_initializer'], ...BIAS_AND_WEIGHTS,
]
const SEPARABLE: Renames = [
  ['nb_filter', 'filters'], ['subsample', 'strides'], ['border_mode', 'padding'], ['dim_ordering', 'data_format'],
  ['b_regularizer', 'bias_regularizer'], ['b_constraint', 'bias_constraint'], ['bias', 'use_bias'],
]
const RECURRENT: Renames = [
  ['output_dim', 'units'], ['init', 'kernel_initializer'], ['inner_init', 'recurrent_initializer'],
  ['inner_activation', 'recurrent_activation'], ['W_regularizer', 'kernel_regularizer'],
  ['b_regularizer', 'bias_regularizer'], ['U_regularizer', 'recurrent_regularizer'], ['dropout_W', 'dropout'],
  ['dropout_U', 'recurrent_dropout'], ['consume_less', 'implementation'],
]
const CONVLSTM: Renames = [
  ['nb_filter', 'filters'], ['subsample', 'strides'], ['border_mode', 'padding'], ['dim_ordering', 'data_format'],
  ['init', 'kernel_initializer'], ['inner_init', 'recurrent_initializer'], ['W_regularizer', 'kernel_regularizer'],
  ['U_regularizer', 'recurrent_regularizer'], ['b_regularizer', 'bias_regularizer'],
  ['inner_activation', 'recurrent_activation'], ['dropout_W', 'dropout'], ['dropout_U', 'recurrent_dropout'],
  ['bias', 'use_bias'],
]
const POOL1D: Renames = [['pool_length', 'pool_size'], ['stride', 'strides'], ['border_mode', 'padding']]
const POOL_ND: Renames = [['border_mode', 'padding'], ['dim_ordering', 'data_format']]
const DIM: Renames = [['dim_ordering', 'data_format']]
const P_RATE: Renames = [['p', 'rate']]

/** Per-class rules keyed by the Keras 1 `class_name`. Classes not listed keep their name and arguments. */
export const KERAS1_RULES: Readonly<Record<string, Keras1Rule>> = {
  Dense: {renames: DENSE},
  Dropout: {renames: P_RATE},
  SpatialDropout1D: {renames: P_RATE},
  SpatialDropout2D: {renames: [...P_RATE, ...DIM], dimOrdering: true},
  SpatialDropout3D: {renames: [...P_RATE, ...DIM], dimOrdering: true},
  GaussianNoise: {renames: [['sigma', 'stddev']]},
  GaussianDropout: {renames: P_RATE},
  PReLU: {renames: [['init', 'alpha_initializer']]},
  Embedding: {
    renames: [['init', 'embeddings_initializer'], ['W_regularizer', 'embeddings_regularizer'], ['W_constraint', 'embeddings_constraint']],
    pre: 'embedding',
  },
  BatchNormalization: {renames: [['beta_init', 'beta_initializer'], ['gamma_init', 'gamma_initializer']], pre: 'batchnorm'},
  Convolution1D: {to: 'Conv1D', renames: CONV1D, pre: 'conv1d'},
  AtrousConvolution1D: {to: 'Conv1D', renames: CONV1D, pre: 'atrous'},
  Convolution2D: {to: 'Conv2D', renames: CONV_ND, dimOrdering: true, pre: 'conv2d'},
  AtrousConvolution2D: {to: 'Conv2D', renames: CONV_ND, dimOrdering: true, pre: 'atrous'},
  Convolution3D: {to: 'Conv3D', renames: CONV_ND, dimOrdering: true, pre: 'conv3d'},
  Deconvolution2D: {to: 'Conv2DTranspose', renames: CONV_ND, dimOrdering: true, pre: 'deconv2d'},
  SeparableConvolution2D: {to: 'SeparableConv2D', renames: SEPARABLE, dimOrdering: true, pre: 'separable'},
  LocallyConnected1D: {renames: CONV1D, pre: 'conv1d'},
  LocallyConnected2D: {renames: CONV_ND, dimOrdering: true, pre: 'conv2d'},
  ConvLSTM2D: {renames: CONVLSTM, dimOrdering: true, pre: 'convlstm2d'},
  SimpleRNN: {renames: RECURRENT, pre: 'recurrent'},
  GRU: {renames: RECURRENT, pre: 'recurrent'},
  LSTM: {renames: RECURRENT, pre: 'recurrent'},
  MaxPooling1D: {renames: POOL1D},
  AveragePooling1D: {renames: POOL1D},
  MaxPooling2D: {renames: POOL_ND, dimOrdering: true},
  AveragePooling2D: {renames: POOL_ND, dimOrdering: true},
  MaxPooling3D: {renames: POOL_ND, dimOrdering: true},
  AveragePooling3D: {renames: POOL_ND, dimOrdering: true},
  GlobalMaxPooling2D: {renames: DIM, dimOrdering: true},
  GlobalAveragePooling2D: {renames: DIM, dimOrdering: true},
  GlobalMaxPooling3D: {renames: DIM, dimOrdering: true},
  GlobalAveragePooling3D: {renames: DIM, dimOrdering: true},
  UpSampling1D: {renames: [['length', 'size']]},
  UpSampling2D: {renames: DIM, dimOrdering: true},
  UpSampling3D: {renames: DIM, dimOrdering: true},
  ZeroPadding2D: {renames: DIM, dimOrdering: true, pre: 'zeropadding2d'},
  ZeroPadding3D: {renames: DIM, dimOrdering: true},
  Cropping2D: {renames: DIM, dimOrdering: true},
  Cropping3D: {renames: DIM, dimOrdering: true},
  InputLayer: {renames: [['input_dtype', 'dtype']]},
}

/** `dim_ordering` value → Keras 2 `data_format` value (`default` meant "use keras.json", i.e. None). */
export const DIM_ORDERING_VALUES: Readonly<Record<string, string | null>> = {
  tf: 'channels_last',
  th: 'channels_first',
  default: null,
}

/** `consume_less` value → Keras 2 `implementation` value. */
export const CONSUME_LESS_VALUES: Readonly<Record<string, number>> = {cpu: 0, mem: 1, gpu: 2}

/**
 * Keras 1 classes Keras 2 kept only in `keras/legacy/layers.py` with their Keras 1 arguments, and the last
 * standalone series that had them (removed from tf.keras and Keras 3).
 */
export const KERAS1_LEGACY_CLASSES: Readonly<Record<string, string>> = {Merge: '2.1', MaxoutDense: '2.3', Highway: '2.3'}

/** Argument names only Keras 1 wrote (never a Keras 2+ built-in key); `isKeras1` looks for them. */
export const KERAS1_ONLY_KEYS: readonly string[] = [
  'nb_filter', 'nb_row', 'nb_col', 'border_mode', 'subsample', 'subsample_length', 'filter_length', 'dim_ordering',
  'W_regularizer', 'b_regularizer', 'U_regularizer', 'W_constraint', 'b_constraint', 'inner_init',
  'inner_activation', 'dropout_W', 'dropout_U', 'consume_less', 'forget_bias_init', 'input_dtype',
]
