/**
 * Pieces shared by the attention layers' compute (attention.ts, attention-mha.ts), each as Keras computes it:
 * the EinsumDense projections of MultiHeadAttention / GroupQueryAttention, the causal and sliding-window masks,
 * NumPy's `expand_dims` as Keras applies it to masks, and the masked softmax of each generation (Keras 3's
 * Softmax layer replaces masked scores by -1e9 and zeroes them after; tf-keras adds -1e9 × (1 - mask), or
 * replaces with `softmax_robust_masking`; Keras 3's `dot_product_attention` replaces by -0.7 × 3.38953e38).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import type {Json} from '../json.js'
import {isArray} from '../json.js'
import {pyTruthy} from '../layers/args.js'
import type {Core} from '../backend/runtime.js'
import type {ComputeCall} from './types.js'

/** The value of the weight the shape rule names `name` (`query/kernel`, `scale`), or undefined. */
export function weightNamed(c: ComputeCall, name: string): Tensor | undefined {
  return c.weights.find((w) => w.info.name === name)?.value
}

/** A number from a config value as Python reads it (bools are ints); `fallback` when absent or not a number. */
export function num(value: Json | undefined, fallback: number): number {
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return Number(value)
  return fallback
}

/** A call argument that may be saved as a keyword argument of the call or (older files) in the config. */
export function callFlag(c: ComputeCall, key: string): boolean {
  return pyTruthy(c.call_kwargs[key] ?? c.config[key] ?? false)
}

/**
 * An EinsumDense projection of an attention layer: the last `bound` axes of `x` contracted with the first
 * `bound` axes of `kernel` (`abc,cde->abde`, `abcd,cde->abe`), then `+ bias`, as a matrix product.
 */
export function project(tf: Core, x: Tensor, kernel: Tensor, bias: Tensor | undefined, bound: number): Tensor {
  const inner = kernel.shape.slice(0, bound).reduce((a, b) => a * b, 1)
  const outDims = kernel.shape.slice(bound)
  const outSize = outDims.reduce((a, b) => a * b, 1)
  const lead = x.shape.slice(0, x.rank - bound)
  const flat = tf.matMul(tf.reshape(x, [-1, inner]), tf.reshape(kernel, [inner, outSize]))
  const out = tf.reshape(flat, [...lead, ...outDims])
  return bias === undefined ? out : tf.add(out, bias)
}

/** The projection whose weights the shape rule names `<name>/kernel`, `<name>/bias`. */
export function projectNamed(c: ComputeCall, name: string, x: Tensor, bound: number): Tensor {
  const kernel = weightNamed(c, `${name}/kernel`)
  if (kernel === undefined) {
    throw new BackendError('KM_BACKEND_WEIGHTS', `Layer class ${c.class_name}: the weight '${name}/kernel' is missing.`, {hint: 'The weights file must hold every projection of the layer.'})
  }
  return project(c.tf, x, kernel, weightNamed(c, `${name}/bias`), bound)
}

/** NumPy `expand_dims(x, axis)` (axis may be negative: counted in the result's rank); Keras raises out of range. */
export function expandAt(tf: Core, x: Tensor, axis: number): Tensor {
  const rank = x.rank + 1
  const at = axis < 0 ? axis + rank : axis
  if (at < 0 || at >= rank) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `A mask of rank ${x.rank} cannot be expanded at axis ${axis} (Keras raises here).`, {hint: 'Check the attention mask and attention_axes of the layer.'})
  }
  return tf.expandDims(x, at)
}

/** `expandAt(axis)` repeated until `x` has rank `rank` (Keras's `_masked_softmax` mask expansion). */
export function expandToRank(tf: Core, x: Tensor, rank: number, axis: number): Tensor {
  let out = x
  while (out.rank < rank) out = expandAt(tf, out, axis)
  return out
}

/** Keras's causal mask of shape (1, tq, tv): position i attends to positions j ≤ i. */
export function causalMask(tf: Core, tq: number, tv: number): Tensor {
  const rows = tf.reshape(tf.range(0, tq, 1, 'int32'), [1, tq, 1])
  const cols = tf.reshape(tf.range(0, tv, 1, 'int32'), [1, 1, tv])
  return tf.greaterEqual(rows, cols)
}

/** Keras 3's sliding-window mask of shape (1, tq, tv): |i - j| < window. */
export function slidingMask(tf: Core, tq: number, tv: number, window: number): Tensor {
  const rows = tf.reshape(tf.range(0, tq, 1, 'int32'), [1, tq, 1])
  const cols = tf.reshape(tf.range(0, tv, 1, 'int32'), [1, 1, tv])
  return tf.less(tf.abs(tf.sub(rows, cols)), tf.scalar(window, 'int32'))
}

/** Logical AND of optional bool masks (broadcasting), null when none is given. */
export function andMasks(tf: Core, masks: ReadonlyArray<Tensor | null | undefined>): Tensor | null {
  let out: Tensor | null = null
  for (const m of masks) {
    if (m === null || m === undefined) continue
    out = out === null ? m : tf.logicalAnd(out, m)
  }
  return out
}

/** Softmax over the last `n` axes: `softmax(x, -1)` for one, `exp(x - logsumexp(x, axes))` for several. */
export function softmaxLast(tf: Core, x: Tensor, n: number): Tensor {
  if (n <= 1) return tf.softmax(x, -1)
  const axes = Array.from({length: n}, (_v, i) => x.rank - n + i)
  return tf.exp(tf.sub(x, tf.logSumExp(x, axes, true)))
}

/**
 * Keras 3's Softmax layer with a mask: a non-bool mask keeps values > 0.5; masked scores become -1e9, and after
 * the softmax masked positions are set to 0 (a fully masked row gives zeros).
 */
export function softmaxKeras3(tf: Core, x: Tensor, mask: Tensor | null, n: number): Tensor {
  if (mask === null) return softmaxLast(tf, x, n)
  const keep = mask.dtype === 'bool' ? mask : tf.greater(mask, tf.scalar(0.5, mask.dtype))
  const out = softmaxLast(tf, tf.where(keep, x, tf.scalar(-1e9)), n)
  return tf.where(keep, out, tf.scalar(0))
}

/**
 * tf-keras's Softmax layer with a mask: `x + (1 - mask) × -1e9` (any mask dtype, cast to float), or with
 * `robust` masking `where(mask, x, -1e9)` (a non-bool mask keeps values > 0.5).
 */
export function softmaxKeras2(tf: Core, x: Tensor, mask: Tensor | null, n: number, robust: boolean): Tensor {
  if (mask === null) return softmaxLast(tf, x, n)
  if (robust) {
    const keep = mask.dtype === 'bool' ? mask : tf.greater(mask, tf.scalar(0.5, mask.dtype))
    return softmaxLast(tf, tf.where(keep, x, tf.scalar(-1e9)), n)
  }
  const adder = tf.mul(tf.sub(tf.scalar(1), tf.cast(mask, 'float32')), tf.scalar(-1e9))
  return softmaxLast(tf, tf.add(x, adder), n)
}

/** Dropout on attention probabilities in a training step (Keras's inverted dropout), else the input. */
export function trainingDropout(c: ComputeCall, x: Tensor, rate: number): Tensor {
  return c.training && rate > 0 ? c.tf.dropout(x, rate, undefined, c.seed()) : x
}

/**
 * An explicit `mask=[…]` call argument of a list-input attention layer, which Keras uses as given in place of
 * the inputs' masks: mask tensors (the executor's `mask/0`, `mask/1`, …) or an all-None list; a list mixing
 * tensors and None reaches kmodel without its tensors, so it is refused.
 */
export function explicitMaskList(c: ComputeCall): Array<Tensor | null> | undefined {
  const listed: Tensor[] = []
  for (let i = 0; c.kwargs[`mask/${i}`] !== undefined; i++) listed.push(c.kwargs[`mask/${i}`] as Tensor)
  const raw = c.call_kwargs.mask
  const list = listed.length > 0 ? listed : isArray(raw) && raw.every((m) => m === null) ? raw.map(() => null) : undefined
  if (list !== undefined && (list.length < 2 || list.length > 3)) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument 'mask' must list 2 or 3 masks, [query_mask, value_mask(, key_mask)], not ${list.length} (Keras raises).`)
  }
  if (list !== undefined) return list
  if (raw === undefined || raw === null) return undefined
  throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: argument 'mask' = a list mixing mask tensors and None is not computed by kmodel (its tensors are not handed to the layer).`, {
    hint: 'Attach the masks to the inputs (Masking, Embedding mask_zero) instead of passing mask= to the call.',
  })
}
