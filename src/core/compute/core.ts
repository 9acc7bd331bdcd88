/**
 * Compute functions of the core family (see types.ts): InputLayer and Identity (the input unchanged), Dense
 * (x · kernel over the last axis, any rank ≥ 2, + bias, activation), EinsumDense (its equation over input and
 * kernel, + bias broadcast, activation), Activation, Masking (zeroes the steps whose features all equal
 * mask_value and masks them out), plus Embedding / ReversibleEmbedding (core-embedding.ts) and the Keras 1 and
 * tf-keras extras (core-legacy.ts). Keras 3 LoRA layers compute with kernel + (lora_alpha / lora_rank) · A·B.
 * Layers holding Python code or TensorFlow graph ops are refused.
 */
import type {ComputeTable, LayerCompute, RefusalTable} from './types.js'
import type {Tensor2D} from '@tensorflow/tfjs-core'
import {activationFn, activationName} from './activations.js'
import {argError, floatArg} from './activation-math.js'
import {contractLast, floatInput, input, refuseQuantized, requireWeight, weightNamed, withLora} from './core-util.js'
import {einsum2} from './core-einsum.js'
import {EMBEDDING_COMPUTE} from './core-embedding.js'
import {LEGACY_COMPUTE} from './core-legacy.js'

/** Dense (and Keras 1 Dense): activation(x · kernel + bias). */
const dense: LayerCompute = {
  passMask: true,
  call: (c) => {
    refuseQuantized(c)
    const x = floatInput(c)
    const kernel = withLora(c, requireWeight(c, 'kernel'), 'lora_kernel')
    const bias = weightNamed(c, 'bias')
    // x · kernel + bias, then relu or nothing, in one fused kernel (the same arithmetic in one pass).
    const activation = activationName(c.config.activation, c.generation)
    if (x.rank === 2 && bias !== undefined && (activation === 'linear' || activation === 'relu')) {
      return {outputs: [c.tf.fused.matMul({a: x as Tensor2D, b: kernel as Tensor2D, bias, activation})]}
    }
    let y = contractLast(c, x, kernel)
    if (bias !== undefined) y = c.tf.add(y, bias)
    return {outputs: [activationFn(c.tf, c.generation, c.config.activation, c.keras_version)(y)]}
  },
}

/** EinsumDense: activation(einsum(equation, x, kernel) + bias). Keras's regex forms only; no mask support. */
const einsumDense: LayerCompute = {
  call: (c) => {
    refuseQuantized(c)
    const equation = c.config.equation
    if (typeof equation !== 'string') throw argError('EinsumDense', 'equation', equation, 'a string is needed')
    let y = einsum2(c.tf, equation, floatInput(c), withLora(c, requireWeight(c, 'kernel'), 'lora_kernel'))
    const bias = weightNamed(c, 'bias')
    if (bias !== undefined) y = c.tf.add(y, bias)
    return {outputs: [activationFn(c.tf, c.generation, c.config.activation, c.keras_version)(y)]}
  },
}

/** Activation: the named activation function, elementwise; the mask passes. */
const activation: LayerCompute = {
  passMask: true,
  call: (c) => ({outputs: [activationFn(c.tf, c.generation, c.config.activation, c.keras_version)(input(c))]}),
}

/**
 * Masking: a step is kept when any feature differs from mask_value (default 0); kept steps pass, the others become
 * 0 (Keras 3 selects with where; Keras 1/2 multiply by the cast mask), and the output mask is the kept steps.
 */
const masking: LayerCompute = {
  call: (c) => {
    const {tf} = c
    const x = floatInput(c)
    const value = floatArg(c.config, 'mask_value', 0, 'Masking') ?? 0
    const keep = tf.any(tf.notEqual(x, value), -1, true)
    const out = c.generation === 'keras3' ? tf.where(tf.broadcastTo(keep, x.shape), x, tf.zerosLike(x)) : tf.mul(x, tf.cast(keep, 'float32'))
    return {outputs: [out], masks: [tf.squeeze(keep, [-1])]}
  },
}

/** InputLayer: the input itself (the executor feeds it). */
const inputLayer: LayerCompute = {passMask: true, call: (c) => ({outputs: [input(c)]})}

/** Identity: the input unchanged; Keras 3's supports masking, tf-keras's drops the mask. */
const identity: LayerCompute = {
  call: (c) => ({outputs: [input(c)], masks: [c.generation === 'keras3' ? c.masks[0] ?? null : null]}),
}

const CODE = 'holds Python code, which kmodel never runs'
const TF_OPS = 'holds TensorFlow graph operations, which kmodel never runs'

/** Compute functions of this family, by class name. */
export const CORE_COMPUTE: ComputeTable = {
  InputLayer: inputLayer,
  Dense: dense,
  EinsumDense: einsumDense,
  Activation: activation,
  Masking: masking,
  Identity: identity,
  ...EMBEDDING_COMPUTE,
  ...LEGACY_COMPUTE,
}

/** Classes of this family kmodel refuses, with the reason. */
export const CORE_REFUSED: RefusalTable = {
  Lambda: CODE,
  TFOpLambda: TF_OPS,
  SlicingOpLambda: TF_OPS,
  TensorFlowOpLayer: TF_OPS,
  ClassMethod: TF_OPS,
  InstanceMethod: TF_OPS,
  InstanceProperty: TF_OPS,
}
