import type {LayerRow} from './types.js'

/**
 * Convolution, pooling, locally-connected, normalization and attention layers.
 * Generated from a static read of the Keras / tf-keras sources; see types.ts for the row format.
 */
export const SPATIAL_ROWS: readonly LayerRow[] = [
  // convolutional
  ['Conv1D', '2.0-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer data_format dilation_rate filters groups kernel_constraint kernel_initializer kernel_regularizer kernel_size lora_alpha@3 lora_rank@3 padding strides use_bias +conv_op@2 +input_dtype@2 +rank', 'Convolution1D', 'convolutional'],
  ['Conv1DTranspose', '2.6-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer data_format dilation_rate filters groups@2 kernel_constraint kernel_initializer kernel_regularizer kernel_size output_padding padding strides use_bias +conv_op@2 +rank', 'Convolution1DTranspose', 'convolutional'],
  ['Conv2D', '2.0-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer data_format dilation_rate filters groups kernel_constraint kernel_initializer kernel_regularizer kernel_size lora_alpha@3 lora_rank@3 padding strides use_bias +conv_op@2 +input_dtype@2 +rank', 'Convolution2D', 'convolutional'],
  ['Conv2DTranspose', '2.0-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer data_format dilation_rate filters groups@2 kernel_constraint kernel_initializer kernel_regularizer kernel_size output_padding padding strides use_bias +conv_op@2 +input_dtype@2 +rank', 'Convolution2DTranspose Deconv2D Deconvolution2D', 'convolutional'],
  ['Conv3D', '2.0-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer data_format dilation_rate filters groups kernel_constraint kernel_initializer kernel_regularizer kernel_size lora_alpha@3 lora_rank@3 padding strides use_bias +conv_op@2 +input_dtype@2 +rank', 'Convolution3D', 'convolutional'],
  ['Conv3DTranspose', '2.0-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer data_format dilation_rate filters groups@2 kernel_constraint kernel_initializer kernel_regularizer kernel_size output_padding padding strides use_bias +conv_op@2 +input_dtype@2 +rank', 'Convolution3DTranspose Deconv3D Deconvolution3D', 'convolutional'],
  ['DepthwiseConv1D', '2.7-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer data_format depth_multiplier depthwise_constraint depthwise_initializer depthwise_regularizer dilation_rate groups@2 kernel_size padding strides use_bias +conv_op@2 +filters@2 +kernel_constraint@2 +kernel_initializer@2 +kernel_regularizer@2 +rank', '', 'convolutional'],
  ['DepthwiseConv2D', '2.1-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer data_format depth_multiplier depthwise_constraint depthwise_initializer depthwise_regularizer dilation_rate groups@2 kernel_size padding strides use_bias +conv_op@2 +filters@2 +input_dtype@2 +kernel_constraint@2 +kernel_initializer@2 +kernel_regularizer@2 +rank', '', 'convolutional'],
  ['SeparableConv1D', '2.1-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer data_format depth_multiplier depthwise_constraint depthwise_initializer depthwise_regularizer dilation_rate filters groups@2 kernel_constraint@2 kernel_initializer@2 kernel_regularizer@2 kernel_size padding pointwise_constraint pointwise_initializer pointwise_regularizer strides use_bias +conv_op@2 +input_dtype@2 +rank', 'SeparableConvolution1D', 'convolutional'],
  ['SeparableConv2D', '2.0-2.21 3.0-3.15', 'activation bias_constraint bias_initializer bias_regularizer data_format depth_multiplier depthwise_constraint depthwise_initializer depthwise_regularizer dilation_rate filters groups@2 kernel_constraint@2 kernel_initializer@2 kernel_regularizer@2 kernel_size padding pointwise_constraint pointwise_initializer pointwise_regularizer strides use_bias +conv_op@2 +input_dtype@2 +rank', 'SeparableConvolution2D', 'convolutional'],
  // pooling
  ['AdaptiveAveragePooling1D', '3.13-3.15', 'data_format output_size', '', 'pooling'],
  ['AdaptiveAveragePooling2D', '3.13-3.15', 'data_format output_size', '', 'pooling'],
  ['AdaptiveAveragePooling3D', '3.13-3.15', 'data_format output_size', '', 'pooling'],
  ['AdaptiveMaxPooling1D', '3.13-3.15', 'data_format output_size', '', 'pooling'],
  ['AdaptiveMaxPooling2D', '3.13-3.15', 'data_format output_size', '', 'pooling'],
  ['AdaptiveMaxPooling3D', '3.13-3.15', 'data_format output_size', '', 'pooling'],
  ['AveragePooling1D', '2.0-2.21 3.0-3.15', 'data_format padding pool_size strides +input_dtype@2 +pool_dimensions@3 +pool_function@2 +pool_mode@3', 'AvgPool1D', 'pooling'],
  ['AveragePooling2D', '2.0-2.21 3.0-3.15', 'data_format padding pool_size strides +input_dtype@2 +pool_dimensions@3 +pool_function@2 +pool_mode@3', 'AvgPool2D', 'pooling'],
  ['AveragePooling3D', '2.0-2.21 3.0-3.15', 'data_format padding pool_size strides +input_dtype@2 +pool_dimensions@3 +pool_function@2 +pool_mode@3', 'AvgPool3D', 'pooling'],
  ['GlobalAveragePooling1D', '2.0-2.21 3.0-3.15', 'data_format keepdims +input_dtype@2 +pool_dimensions@3', 'GlobalAvgPool1D', 'pooling'],
  ['GlobalAveragePooling2D', '2.0-2.21 3.0-3.15', 'data_format keepdims +input_dtype@2 +pool_dimensions@3', 'GlobalAvgPool2D', 'pooling'],
  ['GlobalAveragePooling3D', '2.0-2.21 3.0-3.15', 'data_format keepdims +input_dtype@2 +pool_dimensions@3', 'GlobalAvgPool3D', 'pooling'],
  ['GlobalMaxPooling1D', '2.0-2.21 3.0-3.15', 'data_format keepdims +input_dtype@2 +pool_dimensions@3', 'GlobalMaxPool1D', 'pooling'],
  ['GlobalMaxPooling2D', '2.0-2.21 3.0-3.15', 'data_format keepdims +input_dtype@2 +pool_dimensions@3', 'GlobalMaxPool2D', 'pooling'],
  ['GlobalMaxPooling3D', '2.0-2.21 3.0-3.15', 'data_format keepdims +input_dtype@2 +pool_dimensions@3', 'GlobalMaxPool3D', 'pooling'],
  ['MaxPooling1D', '2.0-2.21 3.0-3.15', 'data_format padding pool_size strides +input_dtype@2 +pool_dimensions@3 +pool_function@2 +pool_mode@3', 'MaxPool1D', 'pooling'],
  ['MaxPooling2D', '2.0-2.21 3.0-3.15', 'data_format padding pool_size strides +input_dtype@2 +pool_dimensions@3 +pool_function@2 +pool_mode@3', 'MaxPool2D', 'pooling'],
  ['MaxPooling3D', '2.0-2.21 3.0-3.15', 'data_format padding pool_size strides +input_dtype@2 +pool_dimensions@3 +pool_function@2 +pool_mode@3', 'MaxPool3D', 'pooling'],
  // locally_connected
  ['LocallyConnected1D', '2.0-2.21', 'activation bias_constraint bias_initializer bias_regularizer data_format filters kernel_constraint kernel_initializer kernel_regularizer kernel_size padding strides use_bias +input_dtype', '', 'locally_connected'],
  ['LocallyConnected2D', '2.0-2.21', 'activation bias_constraint bias_initializer bias_regularizer data_format filters kernel_constraint kernel_initializer kernel_regularizer kernel_size padding strides use_bias +input_dtype', '', 'locally_connected'],
  // normalization
  ['BatchNormalization', '2.0-2.21 3.0-3.15', 'axis beta_constraint beta_initializer beta_regularizer center epsilon gamma_constraint gamma_initializer gamma_regularizer momentum moving_mean_initializer moving_variance_initializer renorm renorm_clipping renorm_momentum scale synchronized virtual_batch_size@2 +adjustment@2 +fused@2 +input_dtype@2', '', 'normalization'],
  ['GroupNormalization', '2.11-2.21 3.0-3.15', 'axis beta_constraint beta_initializer beta_regularizer center epsilon gamma_constraint gamma_initializer gamma_regularizer groups scale', '', 'normalization'],
  ['LayerNormalization', '2.6-2.21 3.0-3.15', 'axis beta_constraint beta_initializer beta_regularizer center epsilon gamma_constraint gamma_initializer gamma_regularizer rms_scaling@3 scale', '', 'normalization'],
  ['RMSNormalization', '3.9-3.15', 'axis epsilon', '', 'normalization'],
  ['SpectralNormalization', '2.13-2.21 3.0-3.15', 'layer power_iterations', '', 'normalization'],
  ['SyncBatchNormalization', '2.6-2.21', 'axis beta_constraint beta_initializer beta_regularizer center epsilon gamma_constraint gamma_initializer gamma_regularizer momentum moving_mean_initializer moving_variance_initializer renorm renorm_clipping renorm_momentum scale virtual_batch_size +adjustment +fused +synchronized', '', 'normalization'],
  ['UnitNormalization', '2.9-2.21 3.0-3.15', 'axis', '', 'normalization'],
  ['BatchNormalizationV1', '2.6-2.21', '@BatchNormalization', '', 'normalization'],
  ['BatchNormalizationV2', '2.6-2.21', '@BatchNormalization', '', 'normalization'],
  // attention
  ['AdditiveAttention', '2.6-2.21 3.0-3.15', 'causal@2 dropout rng_type@2 seed use_scale +force_generator@2 +score_mode@3', '', 'attention'],
  ['Attention', '2.6-2.21 3.0-3.15', 'causal@2 dropout rng_type@2 score_mode seed use_scale +force_generator@2', '', 'attention'],
  ['GroupedQueryAttention', '3.0-3.15', 'bias_constraint bias_initializer bias_regularizer dropout head_dim kernel_constraint kernel_initializer kernel_regularizer num_key_value_heads num_query_heads seed sliding_window use_bias use_gate +flash_attention', 'GroupQueryAttention', 'attention'],
  ['MultiHeadAttention', '2.6-2.21 3.0-3.15', 'attention_axes bias_constraint bias_initializer bias_regularizer dropout kernel_constraint kernel_initializer kernel_regularizer key_dim key_shape@2 num_heads output_shape query_shape@2 seed@3 sliding_window@3 softmax_robust_masking@2 use_bias use_gate@3 value_dim value_shape@2 +flash_attention@3', '', 'attention'],
]
