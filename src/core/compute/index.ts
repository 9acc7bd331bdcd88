/**
 * The compute registry: every Keras class kmodel computes, by class name, and every class it refuses to
 * compute, with the reason. A class in neither table is refused too (KM_BACKEND_UNSUPPORTED_LAYER), so nothing
 * is ever approximated. `kmodel backends --layers` prints this account.
 */
import {ACTIVATION_COMPUTE, ACTIVATION_REFUSED} from './activation.js'
import {ATTENTION_COMPUTE, ATTENTION_REFUSED} from './attention.js'
import {CONV_COMPUTE, CONV_REFUSED} from './conv.js'
import {CORE_COMPUTE, CORE_REFUSED} from './core.js'
import {MERGE_COMPUTE, MERGE_REFUSED} from './merge.js'
import {NORMALIZATION_COMPUTE, NORMALIZATION_REFUSED} from './normalization.js'
import {OPS_COMPUTE, OPS_REFUSED} from './ops.js'
import {POOLING_COMPUTE, POOLING_REFUSED} from './pooling.js'
import {PREPROCESSING_COMPUTE, PREPROCESSING_REFUSED} from './preprocessing.js'
import {RECURRENT_COMPUTE, RECURRENT_REFUSED} from './recurrent.js'
import {RESHAPING_COMPUTE, RESHAPING_REFUSED} from './reshaping.js'
import type {LayerCompute, RefusalTable} from './types.js'
import {WRAPPERS_COMPUTE, WRAPPERS_REFUSED} from './wrappers.js'

export type {ComputeCall, ComputeOutput, ComputeTable, ComputeWeight, LayerCompute, RefusalTable} from './types.js'

/** Every compute function, by Keras class name. */
export const COMPUTE: ReadonlyMap<string, LayerCompute> = new Map(Object.entries({
  ...CORE_COMPUTE,
  ...ACTIVATION_COMPUTE,
  ...CONV_COMPUTE,
  ...POOLING_COMPUTE,
  ...RESHAPING_COMPUTE,
  ...MERGE_COMPUTE,
  ...NORMALIZATION_COMPUTE,
  ...RECURRENT_COMPUTE,
  ...WRAPPERS_COMPUTE,
  ...ATTENTION_COMPUTE,
  ...PREPROCESSING_COMPUTE,
}))

/** Keras 3 operations saved as graph nodes (`module: keras.src.ops.*`), by class name. */
export const OPERATIONS: ReadonlyMap<string, LayerCompute> = new Map(Object.entries(OPS_COMPUTE))

/** Catalogued classes outside the layer families that kmodel refuses to compute, with the reason. */
const OTHER_REFUSED: RefusalTable = {
  Network: 'standalone Keras 2.2–2.3 wrote a nested functional model as class Network, which kmodel reads for summary but does not compute; re-save it with tf.keras',
  LinearModel: 'a premade model (tf.keras.experimental) whose call is Python code, not a saved graph',
  WideDeepModel: 'a premade model (tf.keras.experimental) whose call is Python code, not a saved graph',
  SharpnessAwareMinimization: 'a training wrapper model whose call is Python code, not a saved graph',
  DenseFeatures: 'feature columns are TensorFlow objects in Python code, not a saved computation',
  SequenceFeatures: 'feature columns are TensorFlow objects in Python code, not a saved computation',
  DynamicEmbedding: 'its vocabulary changes during training in Python code (tf_keras.layers.experimental)',
  DynamicLookup: 'its vocabulary changes during training in Python code (tf_keras.layers.experimental)',
  FlaxLayer: 'it wraps a JAX/Flax module: code from another framework, which kmodel never runs',
  JaxLayer: 'it wraps a JAX function: code from another framework, which kmodel never runs',
  TorchModuleWrapper: 'it wraps a PyTorch module: code from another framework, which kmodel never runs',
  CategoryCrossing: 'it crosses features as strings (tf.keras 2.x experimental preprocessing); kmodel has no string tensors',
}

/** Classes kmodel refuses to compute, with the reason. */
export const REFUSED: ReadonlyMap<string, string> = new Map(Object.entries({
  ...OTHER_REFUSED,
  ...CORE_REFUSED,
  ...ACTIVATION_REFUSED,
  ...CONV_REFUSED,
  ...POOLING_REFUSED,
  ...RESHAPING_REFUSED,
  ...MERGE_REFUSED,
  ...NORMALIZATION_REFUSED,
  ...RECURRENT_REFUSED,
  ...WRAPPERS_REFUSED,
  ...ATTENTION_REFUSED,
  ...PREPROCESSING_REFUSED,
  ...OPS_REFUSED,
}))
