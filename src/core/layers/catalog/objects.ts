/**
 * Names of nested serialised objects (`{class_name, config}` or plain strings) that built-in Keras resolves.
 * Each entry is [name, versions]; versions use the same minor-series ranges as the layer rows (types.ts).
 * Lower-case names are the function/alias spellings that `get()`/`deserialize()` also accept.
 */

/** Initializer class names and aliases (Keras 3.0-3.6 serialise Orthogonal/Identity as *Initializer). */
export const INITIALIZER_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['Constant', '2.0-2.21 3.0-3.15'],
  ['constant', '2.0-2.21 3.0-3.15'],
  ['glorot_normal', '2.0-2.21 3.0-3.15'],
  ['glorot_uniform', '2.0-2.21 3.0-3.15'],
  ['GlorotNormal', '2.6-2.21 3.0-3.15'],
  ['GlorotUniform', '2.6-2.21 3.0-3.15'],
  ['he_normal', '2.0-2.21 3.0-3.15'],
  ['he_uniform', '2.0-2.21 3.0-3.15'],
  ['HeNormal', '2.6-2.21 3.0-3.15'],
  ['HeUniform', '2.6-2.21 3.0-3.15'],
  ['Identity', '2.0-2.21 3.0-3.15'],
  ['identity', '2.0-2.21 3.0-3.15'],
  ['IdentityInitializer', '3.0-3.15'],
  ['lecun_normal', '2.0-2.21 3.0-3.15'],
  ['lecun_uniform', '2.0-2.21 3.0-3.15'],
  ['LecunNormal', '2.6-2.21 3.0-3.15'],
  ['LecunUniform', '2.6-2.21 3.0-3.15'],
  ['normal', '2.0-2.21'],
  ['one', '2.0-2.3'],
  ['Ones', '2.0-2.21 3.0-3.15'],
  ['ones', '2.0-2.21 3.0-3.15'],
  ['Orthogonal', '2.0-2.21 3.0-3.15'],
  ['orthogonal', '2.0-2.21 3.0-3.15'],
  ['OrthogonalInitializer', '3.0-3.15'],
  ['random_normal', '2.0-2.21 3.0-3.15'],
  ['random_uniform', '2.0-2.21 3.0-3.15'],
  ['RandomNormal', '2.0-2.21 3.0-3.15'],
  ['RandomUniform', '2.0-2.21 3.0-3.15'],
  ['STFT', '3.7-3.15'],
  ['stft', '3.7-3.15'],
  ['STFTInitializer', '3.7-3.15'],
  ['truncated_normal', '2.0-2.21 3.0-3.15'],
  ['TruncatedNormal', '2.0-2.21 3.0-3.15'],
  ['uniform', '2.0-2.21'],
  ['variance_scaling', '2.6-2.21 3.0-3.15'],
  ['VarianceScaling', '2.0-2.21 3.0-3.15'],
  ['zero', '2.0-2.3'],
  ['Zeros', '2.0-2.21 3.0-3.15'],
  ['zeros', '2.0-2.21 3.0-3.15'],
]

/** Regularizer class names and aliases (tf.keras `l2()` serialises as `L2`). */
export const REGULARIZER_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['l1', '2.0-2.21 3.0-3.15'],
  ['L1', '2.6-2.21 3.0-3.15'],
  ['l1_l2', '2.0-2.21 3.0-3.15'],
  ['L1L2', '2.0-2.21 3.0-3.15'],
  ['l2', '2.0-2.21 3.0-3.15'],
  ['L2', '2.6-2.21 3.0-3.15'],
  ['orthogonal_regularizer', '2.9-2.21 3.0-3.15'],
  ['OrthogonalRegularizer', '2.9-2.21 3.0-3.15'],
]

/** Constraint class names and aliases. */
export const CONSTRAINT_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['max_norm', '2.0-2.21 3.0-3.15'],
  ['MaxNorm', '2.0-2.21 3.0-3.15'],
  ['maxnorm', '2.0-2.3'],
  ['min_max_norm', '2.0-2.21 3.0-3.15'],
  ['MinMaxNorm', '2.0-2.21 3.0-3.15'],
  ['non_neg', '2.0-2.21 3.0-3.15'],
  ['NonNeg', '2.0-2.21 3.0-3.15'],
  ['nonneg', '2.0-2.3'],
  ['radial_constraint', '2.6-2.21'],
  ['RadialConstraint', '2.6-2.21'],
  ['unit_norm', '2.0-2.21 3.0-3.15'],
  ['UnitNorm', '2.0-2.21 3.0-3.15'],
  ['unitnorm', '2.0-2.3'],
]

/** Activation identifiers accepted as strings (Keras 3 serialises swish as `silu`). */
export const ACTIVATION_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['celu', '3.7-3.15'],
  ['elu', '2.0-2.21 3.0-3.15'],
  ['exponential', '2.2-2.21 3.0-3.15'],
  ['gelu', '2.6-2.21 3.0-3.15'],
  ['glu', '3.7-3.15'],
  ['hard_shrink', '3.7-3.15'],
  ['hard_sigmoid', '2.0-2.21 3.0-3.15'],
  ['hard_silu', '3.0-3.15'],
  ['hard_swish', '3.0-3.15'],
  ['hard_tanh', '3.7-3.15'],
  ['leaky_relu', '3.0-3.15'],
  ['linear', '2.0-2.21 3.0-3.15'],
  ['log_sigmoid', '3.7-3.15'],
  ['log_softmax', '3.0-3.15'],
  ['mish', '2.13-2.21 3.0-3.15'],
  ['relu', '2.0-2.21 3.0-3.15'],
  ['relu6', '3.0-3.15'],
  ['selu', '2.0-2.21 3.0-3.15'],
  ['sigmoid', '2.0-2.21 3.0-3.15'],
  ['silu', '3.0-3.15'],
  ['soft_shrink', '3.7-3.15'],
  ['softmax', '2.0-2.21 3.0-3.15'],
  ['softplus', '2.0-2.21 3.0-3.15'],
  ['softsign', '2.0-2.21 3.0-3.15'],
  ['sparse_plus', '3.8-3.15'],
  ['sparse_sigmoid', '3.10-3.15'],
  ['sparsemax', '3.8-3.15'],
  ['squareplus', '3.7-3.15'],
  ['swish', '2.6-2.21 3.0-3.15'],
  ['tanh', '2.0-2.21 3.0-3.15'],
  ['tanh_shrink', '3.7-3.15'],
  ['threshold', '3.8-3.15'],
]

/** Mixed-precision / dtype policy class names (tf.keras `Policy`, Keras 3.4+ `DTypePolicy` objects). */
export const DTYPE_POLICY_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['AWQDTypePolicy', '3.14-3.15'],
  ['DTypePolicy', '3.0-3.15'],
  ['DTypePolicyMap', '3.4-3.15'],
  ['FloatDTypePolicy', '3.1-3.15'],
  ['GPTQDTypePolicy', '3.12-3.15'],
  ['Int4DTypePolicy', '3.14-3.15'],
  ['Policy', '2.6-2.21 3.0-3.15'],
  ['PolicyV1', '2.6-2.8'],
  ['QuantizedDTypePolicy', '3.1-3.15'],
  ['QuantizedFloat8DTypePolicy', '3.3-3.15'],
]
