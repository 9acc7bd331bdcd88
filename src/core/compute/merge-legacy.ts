/**
 * Keras 1's `Merge` layer (Keras 1.x, kept as `keras.legacy.layers.Merge` in standalone Keras 2.0–2.2) with a
 * built-in `mode`:
 * - `sum` / `ave` / `mul` / `max`: element-wise over inputs of one shape (`ave` divides the sum by the count);
 *   the output mask is the AND of the masks that exist.
 * - `concat`: concatenation along `concat_axis` (default -1), masks joined as Keras 2's Concatenate does.
 * - `dot`: `batch_dot` along `dot_axes` (an int applies to both inputs, negative → Python `%` of each rank).
 * - `cos`: batch_dot(a, b) / max(sqrt(batch_dot(a, a) · batch_dot(b, b)), 1e-7) on inputs of rank 2, giving
 *   (batch, 1). Keras 1.2 then added one more axis of size 1 while declaring (batch, 1); kmodel returns the
 *   declared shape (the values are the same).
 * `dot` and `cos` pass no mask. A `mode` given as Python code (`mode_type` lambda / function) is refused.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {isArray} from '../json.js'
import type {Core} from '../backend/runtime.js'
import {batchDot} from './merge-dot.js'
import {concatMask} from './merge-mask.js'
import type {ComputeCall, ComputeOutput, LayerCompute} from './types.js'

const MODES = ['sum', 'mul', 'concat', 'ave', 'cos', 'dot', 'max'] as const
type Mode = (typeof MODES)[number]

const refuse = (message: string, hint: string): BackendError => new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class Merge: ${message}`, {hint})

/** The built-in mode, or a refusal for Python-code and unknown modes. */
function modeOf(c: ComputeCall): Mode {
  const mode = c.config.mode ?? 'sum'
  const type = c.config.mode_type ?? 'raw'
  if (type !== 'raw' || typeof mode !== 'string') {
    throw refuse(`argument 'mode' is Python code (mode_type = ${JSON.stringify(type)}), which kmodel never runs.`, 'Rebuild the model with the built-in merge layers (Add, Concatenate, Dot, …) and re-save it.')
  }
  if (!(MODES as readonly string[]).includes(mode)) throw refuse(`argument 'mode' = ${JSON.stringify(mode)} is not a Keras 1 merge mode.`, `Keras 1 modes: ${MODES.join(', ')}.`)
  return mode as Mode
}

/** Keras 1 `dot_axes` resolved for two inputs of rank 2 or 3 (the ranks its batch_dot shares with today's). */
function legacyAxes(c: ComputeCall, a: Tensor, b: Tensor): [number, number] {
  const hint = 'Keras 1 Merge dot/cos computes in kmodel for two inputs of rank 2, or two of rank 3 with non-negative dot_axes.'
  if (a.rank !== b.rank || (a.rank !== 2 && a.rank !== 3)) {
    throw refuse(`mode 'dot'/'cos' on inputs of rank ${a.rank} and ${b.rank} is not computed by kmodel (Keras 1's batch_dot contracted such inputs differently per backend).`, hint)
  }
  const raw = c.config.dot_axes ?? -1
  if (typeof raw === 'number') return raw < 0 ? [((raw % a.rank) + a.rank) % a.rank, ((raw % b.rank) + b.rank) % b.rank] : [raw, raw]
  if (isArray(raw) && raw.length === 2 && raw.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    const [p, q] = raw as [number, number]
    // Keras 1's rank-2 path is reduce_sum(x * y, axis), where -1 is the last axis; its rank-3 path read a
    // negative axis as "not the last one", so negative axes on rank 3 are refused.
    if (a.rank === 2) return [p < 0 ? p + 2 : p, q < 0 ? q + 2 : q]
    if (p >= 0 && q >= 0) return [p, q]
  }
  throw refuse(`argument 'dot_axes' = ${JSON.stringify(raw)} is not computed by kmodel for inputs of rank ${a.rank}.`, hint)
}

function elementwise(tf: Core, mode: Mode, xs: Tensor[]): Tensor {
  const first = xs[0] as Tensor
  const rest = xs.slice(1)
  if (mode === 'mul') return rest.reduce((s, x) => tf.mul(s, x), first)
  if (mode === 'max') return rest.reduce((s, x) => tf.maximum(s, x), first)
  const sum = rest.reduce((s, x) => tf.add(s, x), first)
  if (mode !== 'ave') return sum
  return tf.div(sum.dtype === 'float32' ? sum : tf.cast(sum, 'float32'), xs.length)
}

function twoInputs(c: ComputeCall, mode: Mode): [Tensor, Tensor] {
  const [a, b] = c.inputs
  if (c.inputs.length !== 2 || a === undefined || b === undefined) throw refuse(`mode '${mode}' takes exactly 2 inputs, got ${c.inputs.length}.`, 'Keras 1 refuses this call too.')
  return [a, b]
}

/** Keras 1 cos: batch_dot(a, b) / max(sqrt(batch_dot(a, a) · batch_dot(b, b)), K.epsilon() = 1e-7). */
function cosine(c: ComputeCall, a: Tensor, b: Tensor): Tensor {
  const {tf} = c
  if (a.rank !== 2) throw refuse(`mode 'cos' on inputs of rank ${a.rank} is not computed by kmodel (Keras 1 only defined it for rank 2).`, 'Use inputs of shape (batch, n).')
  const axes = legacyAxes(c, a, b)
  const denominator = tf.maximum(tf.sqrt(tf.mul(batchDot(tf, a, a, axes, 'Merge'), batchDot(tf, b, b, axes, 'Merge'))), 1e-7)
  return tf.div(batchDot(tf, a, b, axes, 'Merge'), denominator)
}

/** Keras 1 Merge with a built-in mode. */
export const LEGACY_MERGE: LayerCompute = {
  call(c): ComputeOutput {
    const {tf} = c
    const mode = modeOf(c)
    if (c.inputs.length < 2) throw refuse(`it must be called on a list of at least 2 tensors, got ${c.inputs.length}.`, 'Keras 1 refuses this call too.')
    if (mode === 'concat') {
      const raw = c.config.concat_axis
      const axis = typeof raw === 'number' ? raw : -1
      return {outputs: [tf.concat(c.inputs, axis)], masks: [concatMask(c, axis)]}
    }
    if (mode === 'dot') {
      const [a, b] = twoInputs(c, mode)
      return {outputs: [batchDot(tf, a, b, legacyAxes(c, a, b), 'Merge')], masks: [null]}
    }
    if (mode === 'cos') {
      const [a, b] = twoInputs(c, mode)
      return {outputs: [cosine(c, a, b)], masks: [null]}
    }
    const present = c.masks.filter((m): m is Tensor => m !== null && m !== undefined)
    const mask = present.length === 0 ? null : present.slice(1).reduce((acc, m) => tf.logicalAnd(acc, m), present[0] as Tensor)
    return {outputs: [elementwise(tf, mode, c.inputs)], masks: [mask]}
  },
}
