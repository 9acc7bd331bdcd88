/**
 * Helpers the core family's compute functions share: the call's input (as float32 where Keras casts it), weights
 * by the shape rule's names, Keras 3 LoRA (base + (lora_alpha / lora_rank) · A·B), the refusal of quantized
 * policies kmodel does not compute, and Dense's contraction over the last axis.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {quantizationMode} from '../layers/quantized.js'
import type {ComputeCall} from './types.js'
import {argError, floatArg} from './activation-math.js'

/** The call's one input. */
export function input(c: ComputeCall): Tensor {
  const x = c.inputs[0]
  if (x === undefined) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name} was called without an input.`)
  return x
}

/** The input as float32 (Dense and EinsumDense cast integer inputs to their compute dtype). */
export const floatInput = (c: ComputeCall): Tensor => {
  const x = input(c)
  return x.dtype === 'float32' ? x : c.tf.cast(x, 'float32')
}

/** The weight the shape rule names `name`, or undefined. */
export const weightNamed = (c: ComputeCall, name: string): Tensor | undefined => c.weights.find((w) => w.info.name === name)?.value

/** The weight the shape rule names `name`; a BackendError when the layer lacks it. */
export function requireWeight(c: ComputeCall, name: string): Tensor {
  const w = weightNamed(c, name)
  if (w === undefined) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name} has no weight '${name}' to compute with.`)
  return w.dtype === 'float32' ? w : c.tf.cast(w, 'float32')
}

/** Refuses a quantized dtype policy (Keras 3 `model.quantize`) on a layer whose quantized call kmodel does not compute. */
export function refuseQuantized(c: ComputeCall, allowed: readonly string[] = []): string | undefined {
  const mode = quantizationMode(c.config)
  if (mode === undefined || allowed.includes(mode)) return mode
  throw argError(c.class_name, 'dtype', c.config.dtype, `kmodel does not compute the ${mode}-quantized call`)
}

/**
 * `base` with Keras 3 LoRA applied when the shape rule lists `<prefix>_a` / `<prefix>_b`: base + (lora_alpha /
 * lora_rank) · (A · B), A's leading axes flattened for the product (Keras's ops.matmul broadcast).
 */
export function withLora(c: ComputeCall, base: Tensor, prefix: string): Tensor {
  const a = weightNamed(c, `${prefix}_a`)
  const b = weightNamed(c, `${prefix}_b`)
  if (a === undefined || b === undefined) return base
  const {tf} = c
  const rank = floatArg(c.config, 'lora_rank', 0, c.class_name) ?? 0
  const alpha = floatArg(c.config, 'lora_alpha', rank, c.class_name, true) ?? rank
  const ab = tf.reshape(tf.matMul(tf.reshape(a, [-1, a.shape.at(-1) ?? 1]), b), base.shape)
  return tf.add(base, tf.mul(alpha / rank, ab))
}

/** x · kernel contracting x's last axis (any rank ≥ 1), as Dense's matmul does. */
export function contractLast(c: ComputeCall, x: Tensor, kernel: Tensor): Tensor {
  const {tf} = c
  if (x.rank === 2) return tf.matMul(x, kernel)
  const units = kernel.shape.at(-1) ?? 1
  return tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape.at(-1) ?? 1]), kernel), [...x.shape.slice(0, -1), units])
}

