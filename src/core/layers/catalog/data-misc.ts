import type {LayerRow} from './types.js'

/**
 * Models, TF-op wrappers, Keras 1 leftovers kept by Keras 2.0-2.3, and backend-specific layers.
 * Generated from a static read of the Keras / tf-keras sources; see types.ts for the row format.
 */
export const MISC_ROWS: readonly LayerRow[] = [
  // model
  ['Sequential', '2.0-2.21 3.0-3.15', 'name layers build_input_shape trainable@3 dtype@3', '', 'model'],
  ['Model', '2.0-2.21', 'name layers input_layers output_layers', '', 'model'],
  ['Functional', '2.6-2.21 3.0-3.15', 'name layers input_layers output_layers trainable@3', '', 'model'],
  ['Network', '2.2-2.3', 'name layers input_layers output_layers', '', 'model'],
  ['LinearModel', '2.7-2.21', 'activation batch_input_shape bias_initializer bias_regularizer dtype kernel_initializer kernel_regularizer name trainable units use_bias +activity_regularizer +autocast +batch_size +dynamic +implementation +input_dim +weights', '', 'model'],
  ['SharpnessAwareMinimization', '2.10-2.21', 'batch_input_shape dtype model name rho trainable +num_batch_splits', '', 'model'],
  ['WideDeepModel', '2.7-2.21', 'activation batch_input_shape dnn_model dtype linear_model name trainable +activity_regularizer +autocast +batch_size +dynamic +implementation +input_dim +weights', '', 'model'],
  // tf_op
  ['ClassMethod', '2.6-2.21', 'cls_symbol method_name +cls_ref', '', 'tf_op'],
  ['InstanceMethod', '2.6-2.21', 'attr_name', '', 'tf_op'],
  ['InstanceProperty', '2.6-2.21', 'attr_name', '', 'tf_op'],
  ['SlicingOpLambda', '2.6-2.21', 'function', '', 'tf_op'],
  ['TFOpLambda', '2.6-2.21', 'function', '', 'tf_op'],
  ['TensorFlowOpLayer', '2.6-2.21', 'constants node_def', '', 'tf_op'],
  // legacy
  ['Highway', '2.0-2.3', 'W_constraint W_regularizer activation b_constraint b_regularizer bias init +input_dtype +transform_bias', '', 'legacy'],
  ['MaxoutDense', '2.0-2.3', 'W_constraint W_regularizer b_constraint b_regularizer bias init nb_feature output_dim +input_dtype', '', 'legacy'],
  ['Merge', '2.0-2.1', 'arguments concat_axis dot_axes mode mode_type output_mask output_mask_type output_shape output_shape_type +layers +node_indices +tensor_indices', '', 'legacy'],
  // other
  ['DenseFeatures', '2.6-2.21', 'feature_columns partitioner +expected_column_type', '', 'other'],
  ['DynamicEmbedding', '2.16-2.21', 'embedding_initializer eviction_policy initial_vocabulary input_length num_oov_indices output_dim', '', 'other'],
  ['DynamicLookup', '2.16-2.21', 'eviction_policy initial_vocabulary vocabulary_size', '', 'other'],
  ['FlaxLayer', '3.2-3.15', 'method module native_serialization_platforms +call_fn +init_fn +params +seed +state +variables', '', 'other'],
  ['JaxLayer', '3.2-3.15', 'call_fn init_fn native_serialization_platforms +params +seed +state', '', 'other'],
  ['RandomFourierFeatures', '2.6-2.21', 'kernel_initializer output_dim scale', '', 'other'],
  ['TFSMLayer', '3.0-3.15', 'call_endpoint call_training_endpoint filepath', '', 'other'],
  ['TorchModuleWrapper', '3.0-3.15', 'module output_shape', '', 'other'],
  ['SequenceFeatures', '2.6-2.21', 'feature_columns +trainable +name', '', 'other'],
]
