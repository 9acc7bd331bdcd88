/**
 * Dot and Keras 1's `Merge`, built on Keras's `batch_dot`: the per-sample dot product of two batched tensors
 * along one axis of each. The contracted axis of `x` is moved last and that of `y` to position 1, inputs of
 * rank 2 get a size-1 axis (removed again from the result), inputs above rank 3 are flattened to rank 3
 * around a batched matmul and restored after it. Keras 3 and tf-keras compute it alike.
 *
 * Dot resolves a negative `axes` per input (Python `%`); `normalize` L2-normalizes both inputs along their
 * axes first: Keras 3 `x * min(rsqrt(Σx²), 1/1e-7)`, Keras 2 `tf.linalg.l2_normalize` (`x * rsqrt(max(Σx²,
 * 1e-12))`). Neither passes a mask on.
 *
 * Keras < 2.3 (Keras 1 and standalone Keras 2.0–2.2) had another `batch_dot`, which agrees with this one only
 * for two inputs of rank 2 or two of rank 3; other ranks are refused for those files.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type Json, isArray} from '../json.js'
import type {Core} from '../backend/runtime.js'
import {pyTruthy} from '../layers/args.js'
import type {ComputeCall, LayerCompute} from './types.js'

/** Python's `a % b`. */
const pyMod = (a: number, b: number): number => ((a % b) + b) % b

const unsupported = (className: string, message: string, hint = 'Keras refuses this call too.'): BackendError =>
  new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${className}: ${message}`, {hint})

/** Moves axis `from` of a rank-`rank` tensor to `to`, keeping the others in order (Keras's patterns). */
function moveAxis(tf: Core, x: Tensor, from: number, to: number): Tensor {
  if (from === to) return x
  const order = Array.from({length: x.rank}, (_, i) => i).filter((i) => i !== from)
  order.splice(to < 0 ? x.rank + to : to, 0, from)
  return tf.transpose(x, order)
}

/**
 * Keras's `batch_dot(x, y, axes)` with non-negative axes: ranks ≥ 2, no batch axis, equal contracted sizes.
 * `className` names the layer in errors.
 */
export function batchDot(tf: Core, x0: Tensor, y0: Tensor, axes: [number, number], className: string): Tensor {
  if (x0.rank < 2 || y0.rank < 2) throw unsupported(className, `batch_dot needs inputs of rank ≥ 2, got shapes ${JSON.stringify(x0.shape)} and ${JSON.stringify(y0.shape)}.`)
  let [a0, a1] = axes
  if (a0 === 0 || a1 === 0) throw unsupported(className, `argument 'axes' = ${JSON.stringify(axes)} includes the batch axis 0, which batch_dot cannot contract.`)
  if (x0.shape[a0] !== y0.shape[a1]) throw unsupported(className, `the contracted axes differ in size: x.shape[${a0}] = ${x0.shape[a0]} != y.shape[${a1}] = ${y0.shape[a1]}.`)
  let x = x0
  let y = y0
  if (x.rank === 2) {
    x = tf.expandDims(x, 1)
    a0 += 1
  }
  if (y.rank === 2) y = tf.expandDims(y, 2)
  x = moveAxis(tf, x, a0, x.rank - 1)
  y = moveAxis(tf, y, a1, 1)
  const xMid = x.shape.slice(1, -1)
  const yTrail = y.shape.slice(2)
  const xSquashed = x.rank > 3
  const ySquashed = y.rank > 3
  if (xSquashed) x = tf.reshape(x, [x.shape[0] ?? -1, -1, x.shape[x.rank - 1] ?? -1])
  if (ySquashed) y = tf.reshape(y, [y.shape[0] ?? -1, y.shape[1] ?? -1, -1])
  let out = tf.matMul(x, y)
  let shape = out.shape
  if (xSquashed) shape = [shape[0] ?? -1, ...xMid, shape[shape.length - 1] ?? -1]
  if (ySquashed) shape = [...shape.slice(0, -1), ...yTrail]
  if (xSquashed || ySquashed) out = tf.reshape(out, shape)
  if (x0.rank === 2) return tf.squeeze(out, [1])
  if (y0.rank === 2) return tf.squeeze(out, [out.rank - 1])
  return out
}

/** Dot's axes for these inputs as `_merge_function` resolves them (negative → Python `%` of each rank). */
export function dotAxes(value: Json | undefined, ranks: [number, number], className: string): [number, number] {
  const raw = value === undefined ? -1 : value
  if (typeof raw === 'number' || typeof raw === 'boolean') {
    const v = Number(raw)
    return v < 0 ? [pyMod(v, ranks[0]), pyMod(v, ranks[1])] : [v, v]
  }
  if (isArray(raw) && raw.length === 2 && raw.every((a) => typeof a === 'number' && Number.isInteger(a))) {
    const [p, q] = raw as [number, number]
    return [p < 0 ? pyMod(p, ranks[0]) : p, q < 0 ? pyMod(q, ranks[1]) : q]
  }
  throw unsupported(className, `argument 'axes' = ${JSON.stringify(raw)} is not an integer or a list of two integers.`)
}

/** L2 normalization along `axis` as each generation's Dot(normalize=True) computes it. */
export function l2Normalize(c: ComputeCall, x: Tensor, axis: number | number[] | undefined): Tensor {
  const {tf} = c
  const squares = tf.sum(tf.square(x), axis, true)
  if (c.generation === 'keras3') return tf.mul(x, tf.minimum(tf.rsqrt(squares), 1 / 1e-7))
  return tf.mul(x, tf.rsqrt(tf.maximum(squares, 1e-12)))
}

/** True for files of Keras 1 and standalone Keras 2.0–2.2 (not tf.keras's `-tf`), whose `batch_dot` differs above rank 3. */
export const legacyBatchDot = (c: ComputeCall): boolean => /^(1\.|2\.[0-2]\.)/.test(c.keras_version ?? '') && !(c.keras_version ?? '').includes('tf')

/** Refuses ranks where the old `batch_dot` computed other numbers than this one. */
export function checkLegacyRanks(c: ComputeCall, x: Tensor, y: Tensor): void {
  if (!legacyBatchDot(c) || (x.rank === y.rank && (x.rank === 2 || x.rank === 3))) return
  throw unsupported(c.class_name, `inputs of rank ${x.rank} and ${y.rank} are not computed by kmodel for a Keras ${c.keras_version ?? ''} file (its batch_dot contracted such inputs differently from today's, depending on the backend).`,
    'Inputs of rank 2 or 3 (both the same) compute; re-save the model with Keras ≥ 2.3 to compute other ranks.')
}

/** Dot(axes, normalize): batch_dot of the two inputs, optionally L2-normalized first. */
export const DOT: LayerCompute = {
  call(c) {
    const [a, b] = c.inputs
    if (c.inputs.length !== 2 || a === undefined || b === undefined) throw unsupported('Dot', `it is called on ${c.inputs.length} inputs; Keras computes it on exactly 2.`)
    checkLegacyRanks(c, a, b)
    const axes = dotAxes(c.config.axes, [a.rank, b.rank], 'Dot')
    const normalize = pyTruthy(c.config.normalize ?? false)
    const x = normalize ? l2Normalize(c, a, axes[0]) : a
    const y = normalize ? l2Normalize(c, b, axes[1]) : b
    return {outputs: [batchDot(c.tf, x, y, axes, 'Dot')], masks: [null]}
  },
}
