/**
 * The output mask of a concatenation (Concatenate's and Keras 1 `Merge(mode='concat')`'s `compute_mask`): each
 * input's mask is brought to the input's rank (an input without one counts as all-true over its whole shape),
 * the masks are concatenated along the same axis as the values, then reduced over the last axis.
 * - Keras 2 (tf-keras, Keras 1/2): a mask of lower rank gets a trailing axis of size 1; the reduction is `all`.
 * - Keras 3: a mask of lower rank is broadcast over the input's whole shape; the reduction is `any`.
 * No mask leaves the layer when no input has one.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import type {ComputeCall} from './types.js'

/** The concatenated mask of a concatenation along `axis`, or null when no input has a mask. */
export function concatMask(c: ComputeCall, axis: number): Tensor | null {
  const {tf} = c
  if (c.masks.every((m) => m === null || m === undefined)) return null
  const keras3 = c.generation === 'keras3'
  const parts = c.inputs.map((x, i) => {
    const m = c.masks[i] ?? null
    if (m === null) return tf.ones(x.shape, 'bool')
    if (m.rank >= x.rank) return m
    const expanded = tf.expandDims(m, -1)
    return keras3 ? tf.logicalOr(expanded, tf.zeros(x.shape, 'bool')) : expanded
  })
  const rank = parts[0]?.rank ?? 0
  const at = axis < 0 ? axis + rank : axis
  const fits = parts.every((p) => p.rank === rank && p.shape.every((d, k) => k === at || d === parts[0]?.shape[k]))
  if (!fits) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: the input masks cannot be concatenated along axis ${axis} (mask shapes ${parts.map((p) => JSON.stringify(p.shape)).join(', ')}).`, {
      hint: 'Keras fails on this call too: a masked input joined along a non-last axis to an input without a mask.',
    })
  }
  const joined = tf.concat(parts, axis)
  return keras3 ? tf.any(joined, -1) : tf.all(joined, -1)
}
