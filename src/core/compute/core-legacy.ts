/**
 * The core family's rarer classes:
 * - Highway (Keras 1, Keras 2.0–2.3 legacy): t = sigmoid(x · W_carry + b_carry), h = activation(x · W + b),
 *   output h·t + (1 − t)·x.
 * - MaxoutDense (Keras 1, Keras 2.0–2.3 legacy): the max over `nb_feature` linear pieces x · W[i] + b[i].
 * - RandomFourierFeatures (tf-keras): cos(x · (unscaled_kernel / kernel_scale) + bias), the reciprocal of the scale
 *   taken first as Keras does.
 * - TernaryDense (Keras master, unreleased): the kernel ternarised to sign(k) · (|k| > t), t = threshold or half the
 *   mean |k| (then the product scaled by that mean |k|), with a straight-through gradient.
 */
import type {GradSaveFunc, Tensor} from '@tensorflow/tfjs-core'
import type {ComputeCall, ComputeTable, LayerCompute} from './types.js'
import {activationFn} from './activations.js'
import {floatArg} from './activation-math.js'
import {contractLast, floatInput, refuseQuantized, requireWeight, weightNamed} from './core-util.js'

/** x · w (+ b when the layer has it). */
function affine(c: ComputeCall, x: Tensor, w: string, b: string): Tensor {
  const y = contractLast(c, x, requireWeight(c, w))
  const bias = weightNamed(c, b)
  return bias === undefined ? y : c.tf.add(y, bias)
}

const highway: LayerCompute = {
  call: (c) => {
    const {tf} = c
    const x = floatInput(c)
    const transform = tf.sigmoid(affine(c, x, 'W_carry', 'b_carry'))
    const act = tf.mul(activationFn(tf, c.generation, c.config.activation, c.keras_version)(affine(c, x, 'W', 'b')), transform)
    return {outputs: [tf.add(act, tf.mul(tf.sub(1, transform), x))]}
  },
}

const maxoutDense: LayerCompute = {
  call: (c) => {
    const {tf} = c
    const x = floatInput(c)
    const w = requireWeight(c, 'W')
    const [pieces, inDim, units] = [w.shape[0] ?? 1, w.shape[1] ?? 1, w.shape[2] ?? 1]
    // Keras's K.dot with a 3-D W: W moved to (in, pieces, out), flattened to (in, pieces·out).
    const flat = tf.reshape(tf.transpose(w, [1, 0, 2]), [inDim, pieces * units])
    let y = tf.reshape(tf.matMul(x, flat), [-1, pieces, units])
    const b = weightNamed(c, 'b')
    if (b !== undefined) y = tf.add(y, b)
    return {outputs: [tf.max(y, 1)]}
  },
}

const randomFourierFeatures: LayerCompute = {
  call: (c) => {
    const {tf} = c
    const kernel = tf.mul(tf.div(1, requireWeight(c, 'kernel_scale')), requireWeight(c, 'unscaled_kernel'))
    return {outputs: [tf.cos(tf.add(tf.matMul(floatInput(c), kernel), requireWeight(c, 'bias')))]}
  },
}

/** TernaryDense's forward kernel: kernel + (ternary − kernel), the difference outside the gradient. */
function ternaryKernel(c: ComputeCall, kernel: Tensor, threshold: number | null): Tensor {
  const {tf} = c
  const ste = tf.customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const k = args[0] as Tensor
    const absK = tf.abs(k)
    const t = threshold ?? tf.mul(0.5, tf.mean(absK))
    const ternary = tf.mul(tf.sign(k), tf.cast(tf.greater(absK, t), 'float32'))
    return {value: tf.add(k, tf.sub(ternary, k)), gradFunc: (dy: Tensor) => dy}
  })
  return ste(kernel)
}

const ternaryDense: LayerCompute = {
  passMask: true,
  call: (c) => {
    const {tf} = c
    refuseQuantized(c)
    const kernel = requireWeight(c, 'kernel')
    const threshold = floatArg(c.config, 'threshold', null, c.class_name, true)
    let y = contractLast(c, floatInput(c), ternaryKernel(c, kernel, threshold))
    if (threshold === null) y = tf.mul(y, tf.mean(tf.abs(kernel)))
    const bias = weightNamed(c, 'bias')
    if (bias !== undefined) y = tf.add(y, bias)
    return {outputs: [activationFn(tf, c.generation, c.config.activation, c.keras_version)(y)]}
  },
}

/** Legacy and rare core classes, by class name. */
export const LEGACY_COMPUTE: ComputeTable = {
  Highway: highway,
  MaxoutDense: maxoutDense,
  RandomFourierFeatures: randomFourierFeatures,
  TernaryDense: ternaryDense,
}
