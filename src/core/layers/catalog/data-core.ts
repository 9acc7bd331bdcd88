import type {LayerRow} from './types.js'

/**
 * Core, activation, regularization, reshaping, merging and wrapper layers.
 * Generated from a static read of the Keras / tf-keras sources; see types.ts for the row format.
 */
export const CORE_ROWS: readonly LayerRow[] = [
  // core
  ['Dense', '2.0-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer kernel_constraint kernel_initializer kernel_regularizer lora_alpha@3 lora_rank@3 quantization_config@3 units use_bias +input_dtype@2', '', 'core'],
  ['EinsumDense', '2.6-2.21 3.0-3.15', 'activation bias_axes bias_constraint bias_initializer bias_regularizer equation gptq_unpacked_column_size@3 kernel_constraint kernel_initializer kernel_regularizer lora_alpha@3 lora_rank@3 output_shape quantization_config@3', '', 'core'],
  ['Embedding', '2.0-2.21 3.0-3.15', 'embeddings_constraint embeddings_initializer embeddings_regularizer input_length lora_alpha@3 lora_rank@3 mask_zero output_dim quantization_config@3 +input_dtype@2 +sparse@2 +use_one_hot_matmul@2 +weights', '', 'core'],
  ['Identity', '2.12-2.21 3.0-3.15', '', '', 'core'],
  ['InputLayer', '2.0-2.21 3.0-3.15', 'batch_input_shape batch_shape@3 optional ragged sparse type_spec@2 +batch_size +input_tensor +shape@3', '', 'core'],
  ['Lambda', '2.0-2.21 3.0-3.15', 'arguments function function_type@2 mask mask_module@2 mask_type@2 module@2 output_shape output_shape_module@2 output_shape_type@2 +input_dtype@2', '', 'core'],
  ['Masking', '2.0-2.21 3.0-3.15', 'mask_value +input_dtype@2', '', 'core'],
  ['ReversibleEmbedding', '3.12-3.15', 'embeddings_constraint embeddings_initializer embeddings_regularizer logit_soft_cap lora_alpha lora_rank mask_zero output_dim quantization_config reverse_dtype tie_weights +input_length +weights', '', 'core'],
  // activation
  ['Activation', '2.0-2.21 3.0-3.15', 'activation +input_dtype@2', '', 'activation'],
  ['ELU', '2.0-2.21 3.0-3.15', 'alpha +input_dtype@2', '', 'activation'],
  ['LeakyReLU', '2.0-2.21 3.0-3.15', 'alpha negative_slope@3 +input_dtype@2', '', 'activation'],
  ['PReLU', '2.0-2.21 3.0-3.15', 'alpha_constraint alpha_initializer alpha_regularizer shared_axes +input_dtype@2', '', 'activation'],
  ['ReLU', '2.2-2.21 3.0-3.15', 'max_value negative_slope threshold +input_dtype@2', '', 'activation'],
  ['Softmax', '2.1-2.21 3.0-3.15', 'axis robust_masking@2 +input_dtype@2', '', 'activation'],
  ['ThresholdedReLU', '2.0-2.21', 'theta +input_dtype', '', 'activation'],
  // regularization
  ['ActivityRegularization', '2.0-2.21 3.0-3.15', 'l1 l2 +input_dtype@2', '', 'regularization'],
  ['AlphaDropout', '2.0-2.21 3.0-3.15', 'noise_shape rate rng_type@2 seed +force_generator@2 +input_dtype@2', '', 'regularization'],
  ['Dropout', '2.0-2.21 3.0-3.15', 'noise_shape rate rng_type@2 seed +force_generator@2 +input_dtype@2', '', 'regularization'],
  ['GaussianDropout', '2.0-2.21 3.0-3.15', 'rate rng_type@2 seed +force_generator@2 +input_dtype@2', '', 'regularization'],
  ['GaussianNoise', '2.0-2.21 3.0-3.15', 'rng_type@2 seed stddev +force_generator@2 +input_dtype@2', '', 'regularization'],
  ['SpatialDropout1D', '2.0-2.21 3.0-3.15', 'noise_shape@2 rate rng_type@2 seed +force_generator@2 +input_dtype@2', '', 'regularization'],
  ['SpatialDropout2D', '2.0-2.21 3.0-3.15', 'data_format noise_shape@2 rate rng_type@2 seed +force_generator@2 +input_dtype@2', '', 'regularization'],
  ['SpatialDropout3D', '2.0-2.21 3.0-3.15', 'data_format noise_shape@2 rate rng_type@2 seed +force_generator@2 +input_dtype@2', '', 'regularization'],
  // reshaping
  ['Cropping1D', '2.0-2.21 3.0-3.15', 'cropping +data_format@2 +input_dtype@2', '', 'reshaping'],
  ['Cropping2D', '2.0-2.21 3.0-3.15', 'cropping data_format +input_dtype@2', '', 'reshaping'],
  ['Cropping3D', '2.0-2.21 3.0-3.15', 'cropping data_format +input_dtype@2', '', 'reshaping'],
  ['Flatten', '2.0-2.21 3.0-3.15', 'data_format +input_dtype@2', '', 'reshaping'],
  ['Permute', '2.0-2.21 3.0-3.15', 'dims +input_dtype@2', '', 'reshaping'],
  ['RepeatVector', '2.0-2.21 3.0-3.15', 'n +input_dtype@2', '', 'reshaping'],
  ['Reshape', '2.0-2.21 3.0-3.15', 'target_shape +input_dtype@2', '', 'reshaping'],
  ['UpSampling1D', '2.0-2.21 3.0-3.15', 'size +data_format@2 +input_dtype@2', '', 'reshaping'],
  ['UpSampling2D', '2.0-2.21 3.0-3.15', 'data_format interpolation size +input_dtype@2', '', 'reshaping'],
  ['UpSampling3D', '2.0-2.21 3.0-3.15', 'data_format size +input_dtype@2', '', 'reshaping'],
  ['ZeroPadding1D', '2.0-2.21 3.0-3.15', 'data_format padding +input_dtype@2', '', 'reshaping'],
  ['ZeroPadding2D', '2.0-2.21 3.0-3.15', 'data_format padding +input_dtype@2', '', 'reshaping'],
  ['ZeroPadding3D', '2.0-2.21 3.0-3.15', 'data_format padding +input_dtype@2', '', 'reshaping'],
  // merging
  ['Add', '2.0-2.21 3.0-3.15', '+input_dtype@2', '', 'merging'],
  ['Average', '2.0-2.21 3.0-3.15', '+input_dtype@2', '', 'merging'],
  ['Concatenate', '2.0-2.21 3.0-3.15', 'axis +input_dtype@2', '', 'merging'],
  ['Dot', '2.0-2.21 3.0-3.15', 'axes normalize +input_dtype@2', '', 'merging'],
  ['Maximum', '2.0-2.21 3.0-3.15', '+input_dtype@2', '', 'merging'],
  ['Minimum', '2.0-2.21 3.0-3.15', '+input_dtype@2', '', 'merging'],
  ['Multiply', '2.0-2.21 3.0-3.15', '+input_dtype@2', '', 'merging'],
  ['Subtract', '2.0-2.21 3.0-3.15', '+input_dtype@2', '', 'merging'],
  // wrapper
  ['Bidirectional', '2.0-2.21 3.0-3.15', 'backward_layer layer merge_mode num_constants@2 +input_dtype@2 +weights', '', 'wrapper'],
  ['TimeDistributed', '2.0-2.21 3.0-3.15', 'layer +input_dtype@2', '', 'wrapper'],
]
