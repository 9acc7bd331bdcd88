/**
 * Compute functions of the merge family (see types.ts): the element-wise merges (Add, Subtract, Multiply,
 * Average, Maximum, Minimum), Concatenate, Dot and Keras 1's `Merge`.
 *
 * Element-wise merges: inputs of different ranks are first expanded at axis 1 until every input has the
 * highest rank (Keras's `_Merge.call` / `Merge.call` when `_reshape_required`), then combined with broadcasting.
 * Masks differ per generation:
 * - Keras 2 (tf-keras, Keras 1/2): values ignore masks; the output mask is the AND of the inputs' masks that
 *   exist (`_Merge.compute_mask`), none when no input has one.
 * - Keras 3: Add / Subtract / Average ignore masks and the output mask is the OR of the masks when every input
 *   has one (`Merge.compute_mask`). Maximum / Minimum take each masked-out value from the running result
 *   (`_apply_merge_op_and_or_mask`); Multiply treats masked-out values as 1 and, when every input is masked,
 *   zeroes positions no input keeps. Inputs expanded to a higher rank have lost their mask inside the call,
 *   as `ops.expand_dims` drops Keras's `_keras_mask`.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import type {Core} from '../backend/runtime.js'
import {DOT} from './merge-dot.js'
import {LEGACY_MERGE} from './merge-legacy.js'
import {concatMask} from './merge-mask.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute, RefusalTable} from './types.js'

type Binary = (tf: Core, a: Tensor, b: Tensor) => Tensor

/** Expands lower-rank inputs at axis 1 until all have the highest rank; `expanded[i]` says whether input i was. */
function alignRanks(tf: Core, inputs: readonly Tensor[]): {tensors: Tensor[]; expanded: boolean[]} {
  const top = Math.max(...inputs.map((x) => x.rank))
  const tensors = inputs.map((x) => {
    let y = x
    while (y.rank < top) y = tf.expandDims(y, 1)
    return y
  })
  return {tensors, expanded: inputs.map((x) => x.rank < top)}
}

/** The AND of the masks that exist (Keras 2's `_Merge.compute_mask`), or null when none does. */
function andMasks(tf: Core, masks: ReadonlyArray<Tensor | null>): Tensor | null {
  const present = masks.filter((m): m is Tensor => m !== null)
  if (present.length === 0) return null
  return present.slice(1).reduce((acc, m) => tf.logicalAnd(acc, m), present[0] as Tensor)
}

/** The OR of the masks when every input has one (Keras 3's `Merge.compute_mask`), else null. */
function orMasks(tf: Core, masks: ReadonlyArray<Tensor | null>): Tensor | null {
  if (masks.length === 0 || masks.some((m) => m === null)) return null
  const all = masks as Tensor[]
  return all.slice(1).reduce((acc, m) => tf.logicalOr(acc, m), all[0] as Tensor)
}

/** A mask of x.shape without the last axis, broadcast over x's last axis. */
const fullMask = (tf: Core, mask: Tensor, x: Tensor): Tensor => tf.broadcastTo(tf.expandDims(mask, -1), x.shape)

/** Keras 3 `_apply_merge_op_and_or_mask` (Maximum, Minimum): masked-out values come from the running result. */
function keras3MaskedFold(tf: Core, op: Binary, inputs: Tensor[], masks: Array<Tensor | null>): {output: Tensor; mask: Tensor | null} {
  let output = inputs[0] as Tensor
  let outMask = masks[0] === null || masks[0] === undefined ? null : fullMask(tf, masks[0], output)
  for (let i = 1; i < inputs.length; i++) {
    let x = inputs[i] as Tensor
    const raw = masks[i] ?? null
    const mask = raw === null ? null : fullMask(tf, raw, x)
    if (mask !== null) x = tf.where(mask, x, output)
    if (outMask !== null) output = tf.where(outMask, output, x)
    outMask = mask !== null && outMask !== null ? tf.logicalOr(outMask, mask) : null
    output = op(tf, output, x)
  }
  return {output, mask: outMask === null ? null : tf.any(outMask, -1)}
}

/** Keras 3 `Multiply._merge_function`: masked-out values count as 1; all inputs masked → zeros where none keeps. */
function keras3Multiply(tf: Core, inputs: Tensor[], masks: Array<Tensor | null>): {output: Tensor; mask: Tensor | null} {
  const every = masks.every((m) => m !== null)
  let output: Tensor | null = null
  let outMask: Tensor | null = null
  inputs.forEach((input, i) => {
    let x = input
    const raw = masks[i] ?? null
    if (raw !== null) {
      const mask = fullMask(tf, raw, x)
      x = tf.where(mask, x, tf.onesLike(x))
      if (every) outMask = outMask === null ? mask : tf.logicalOr(outMask, mask)
    }
    output = output === null ? x : tf.mul(output, x)
  })
  const out = output as unknown as Tensor
  if (!every || outMask === null) return {output: out, mask: null}
  const keep: Tensor = outMask
  return {output: tf.where(keep, out, tf.zerosLike(out)), mask: tf.any(keep, -1)}
}

const add: Binary = (tf, a, b) => tf.add(a, b)
const maximum: Binary = (tf, a, b) => tf.maximum(a, b)
const minimum: Binary = (tf, a, b) => tf.minimum(a, b)
const multiply: Binary = (tf, a, b) => tf.mul(a, b)

/** Folds `op` left to right over the inputs (`output = op(output, inputs[i])`). */
const fold = (tf: Core, op: Binary, xs: Tensor[]): Tensor => xs.slice(1).reduce((acc, x) => op(tf, acc, x), xs[0] as Tensor)

/** Keras's "exactly 2 inputs" check of Subtract and Dot. */
function exactlyTwo(c: ComputeCall): [Tensor, Tensor] {
  const [a, b] = c.inputs
  if (c.inputs.length !== 2 || a === undefined || b === undefined) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: it is called on ${c.inputs.length} inputs; Keras computes it on exactly 2.`, {hint: 'Keras refuses this call too.'})
  }
  return [a, b]
}

type Kind = 'add' | 'subtract' | 'average' | 'maximum' | 'minimum' | 'multiply'

/** The values of one element-wise merge, ignoring masks (Keras 2, and Keras 3's mask-free merges). */
function plainValues(tf: Core, kind: Kind, xs: Tensor[]): Tensor {
  switch (kind) {
    case 'add': return fold(tf, add, xs)
    case 'subtract': return tf.sub(xs[0] as Tensor, xs[1] as Tensor)
    case 'average': {
      // Python's `/` on an integer tensor is true division (a float result), never floor division.
      const sum = fold(tf, add, xs)
      return tf.div(sum.dtype === 'float32' ? sum : tf.cast(sum, 'float32'), xs.length)
    }
    case 'maximum': return fold(tf, maximum, xs)
    case 'minimum': return fold(tf, minimum, xs)
    case 'multiply': return fold(tf, multiply, xs)
  }
}

/** One element-wise merge call: rank alignment, values, and the output mask per generation. */
function elementwise(kind: Kind): LayerCompute {
  return {
    call(c: ComputeCall): ComputeOutput {
      const {tf} = c
      if (kind === 'subtract') exactlyTwo(c)
      const {tensors, expanded} = alignRanks(tf, c.inputs)
      if (c.generation === 'keras2') return {outputs: [plainValues(tf, kind, tensors)], masks: [andMasks(tf, c.masks)]}
      // Inside the call Keras 3 sees the masks still attached to the (possibly expanded) tensors.
      const inner = c.masks.map((m, i) => (expanded[i] === true ? null : m ?? null))
      const own = kind === 'maximum' || kind === 'minimum'
        ? keras3MaskedFold(tf, kind === 'maximum' ? maximum : minimum, tensors, inner)
        : kind === 'multiply' ? keras3Multiply(tf, tensors, inner) : {output: plainValues(tf, kind, tensors), mask: null}
      return {outputs: [own.output], masks: [own.mask ?? orMasks(tf, c.masks)]}
    },
  }
}

/** Concatenate: `tf.concat` along `axis` (default -1); the mask is concatenated too (merge-mask.ts). */
const concatenate: LayerCompute = {
  call(c) {
    const raw = c.config.axis
    const axis = typeof raw === 'number' ? raw : typeof raw === 'boolean' ? Number(raw) : -1
    const rank = c.inputs[0]?.rank ?? 0
    if (axis < -rank || axis >= rank) {
      throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class Concatenate: argument 'axis' = ${axis} is out of range for inputs of rank ${rank}.`, {hint: 'Keras refuses this call too.'})
    }
    const output = c.tf.concat(c.inputs, axis)
    return {outputs: [output], masks: [concatMask(c, axis)]}
  },
}

/** Compute functions of this family, by class name. */
export const MERGE_COMPUTE: ComputeTable = {
  Add: elementwise('add'),
  Subtract: elementwise('subtract'),
  Multiply: elementwise('multiply'),
  Average: elementwise('average'),
  Maximum: elementwise('maximum'),
  Minimum: elementwise('minimum'),
  Concatenate: concatenate,
  Dot: DOT,
  Merge: LEGACY_MERGE,
}

/** Merge classes kmodel refuses: none (Keras 1 `Merge` with a Python `mode` is refused per call). */
export const MERGE_REFUSED: RefusalTable = {}
