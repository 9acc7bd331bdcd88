/**
 * The compute suite's coverage account: which Keras classes its cases build (read from the cases themselves, so
 * the list cannot drift from them), and NOT_GENERATED, every catalogued class (src/core/layers/catalog.ts) the
 * suite leaves out, with the reason. compute.test.ts holds the two to the catalogue per generation.
 */
import type {Generation} from '../harness.js'
import type {ComputeCase, ModelSpecCase} from './compute-build.js'

/** Why a class has no compute case; `generations`: where the reason holds (default both). */
export interface NotGenerated {
  reason: string
  generations?: readonly Generation[]
}

const K2: readonly Generation[] = ['keras2']
const GONE = 'not in tf-keras 2.21, the oracle\'s Keras 2 (a Keras 2.0–2.3 class: the files suite reads such configs)'
const TF_OP = 'a TensorFlow-op layer tf-keras writes for raw tf calls in a functional model: it carries code, which kmodel never runs'

/** Every catalogued class without a compute case, and why (verified against the pinned Keras, not assumed). */
export const NOT_GENERATED: Readonly<Record<string, NotGenerated>> = {
  InputLayer: {reason: 'no case of its own: every case\'s model starts with one (keras.Input), so every case computes it'},
  Lambda: {reason: 'holds Python code (kmodel refuses to run code: KM_BACKEND_CODE_LAYER)'},
  Model: {reason: 'the pre-2.6 name of a functional model; tf-keras 2.21 writes "Functional" (generated)', generations: K2},
  Network: {reason: GONE, generations: K2},
  Highway: {reason: GONE, generations: K2},
  MaxoutDense: {reason: GONE, generations: K2},
  Merge: {reason: GONE, generations: K2},
  ConvLSTM2DCell: {reason: GONE, generations: K2},
  ConvRNN2D: {reason: GONE, generations: K2},
  CategoryCrossing: {reason: 'not in tf-keras 2.21, the oracle\'s Keras 2 (tf.keras 2.6–2.7 only; HashedCrossing replaced it and is generated)', generations: K2},
  BatchNormalizationV1: {reason: 'a TF 1.13-era serialization name that tf-keras 2.21 reads as BatchNormalization but never writes (tf_keras.layers has no such class)', generations: K2},
  BatchNormalizationV2: {reason: 'a TF 1.13-era serialization name that tf-keras 2.21 reads as BatchNormalization but never writes (tf_keras.layers has no such class)', generations: K2},
  CuDNNGRU: {reason: 'GPU only: tf.compat.v1.keras.layers exports it, and its CudnnRNN op has no CPU kernel', generations: K2},
  CuDNNLSTM: {reason: 'GPU only: tf.compat.v1.keras.layers exports it, and its CudnnRNN op has no CPU kernel', generations: K2},
  ClassMethod: {reason: TF_OP, generations: K2},
  InstanceMethod: {reason: TF_OP, generations: K2},
  InstanceProperty: {reason: TF_OP, generations: K2},
  SlicingOpLambda: {reason: TF_OP, generations: K2},
  TFOpLambda: {reason: TF_OP, generations: K2},
  TensorFlowOpLayer: {reason: TF_OP, generations: K2},
  LinearModel: {reason: 'a premade subclassed model (tf_keras.experimental), not a layer: a model file holds it only as its own config, which the files suite reads', generations: K2},
  WideDeepModel: {reason: 'a premade subclassed model (tf_keras.experimental) of two sub-models, not a layer (see LinearModel)', generations: K2},
  SharpnessAwareMinimization: {reason: 'a training-step wrapper model: it changes train_step only, its call is the wrapped model\'s (the fit suite\'s scope)', generations: K2},
  DenseFeatures: {reason: 'takes tf.feature_column objects and dict inputs: no JSON config a file can carry', generations: K2},
  SequenceFeatures: {reason: 'takes sequence feature columns over sparse inputs: no JSON config a file can carry', generations: K2},
  DynamicEmbedding: {reason: 'its vocabulary is a TF hash table filled by a training callback (initial_vocabulary a tensor), not a saved weight', generations: K2},
  DynamicLookup: {reason: 'a TF hash-table lookup whose vocabulary is a tensor argument, not a saved weight', generations: K2},
  StringLookup: {reason: 'string inputs: kmodel predict takes numeric arrays only (.npy/.npz/HDF5 numbers)'},
  TextVectorization: {reason: 'string inputs: kmodel predict takes numeric arrays only (.npy/.npz/HDF5 numbers)'},
  FlaxLayer: {reason: 'wraps a Flax module (JAX backend code), not available on the TensorFlow backend', generations: ['keras3']},
  JaxLayer: {reason: 'wraps a JAX function (code), not available on the TensorFlow backend', generations: ['keras3']},
  TorchModuleWrapper: {reason: 'wraps a PyTorch module (code), only on the torch backend', generations: ['keras3']},
  SpectralNormalization: {reason: 'tf-keras 2.21 cannot build it: "Layer input_spec must be an instance of InputSpec. Got: InputSpec(...)" (its build uses tf.keras.layers.InputSpec, which with Keras 3 installed is Keras 3\'s class)', generations: K2},
  Equalization: {reason: 'Keras 3.15 cannot place it in a model: calling it on a symbolic input raises "Tensor … from operation \'l\' is part of a cycle"', generations: ['keras3']},
  TFSMLayer: {reason: 'loads a TensorFlow SavedModel at build time: the computation is a SavedModel graph, not a config', generations: ['keras3']},
}

/** True when NOT_GENERATED lists the class for this generation. */
export const notGenerated = (className: string, g: Generation): NotGenerated | undefined => {
  const entry = NOT_GENERATED[className]
  return entry !== undefined && (entry.generations ?? [g]).includes(g) ? entry : undefined
}

function walkValue(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) walkValue(v, into)
  else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>
    if (typeof o.class_name === 'string' && 'args' in o) into.add(o.class_name)
    for (const v of Object.values(o)) walkValue(v, into)
  }
}

function walkModel(model: ModelSpecCase, into: Set<string>): void {
  into.add(model.kind === 'sequential' ? 'Sequential' : 'Functional')
  for (const layer of model.layers) {
    if (layer.model !== undefined) walkModel(layer.model, into)
    else into.add(layer.class_name)
    walkValue(layer.args ?? {}, into)
  }
}

/** The Keras class names the cases build (as the spec names them: an exported alias stays an alias). */
export function generatedClasses(cases: readonly ComputeCase[]): Set<string> {
  const into = new Set<string>()
  for (const c of cases) walkModel(c.model, into)
  return into
}
