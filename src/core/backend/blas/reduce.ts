/**
 * Sum over one contiguous run of axes (float32), without the transpose the cpu backend makes first: the bias
 * gradients of Dense and Conv2D sum over the leading axes of large tensors, the losses over the last one.
 * The tensor is viewed as [outer, reduced, inner]; partial sums are kept in float64 (in the addon), as tfjs' JS loop does.
 */
import {type BlasKernel, floats, output, outputArray, sizeOf} from './common.js'

/** Kernel `Sum`. */
export const sum: BlasKernel = (args, ctx) => {
  const x = args.inputs['x']
  const xv = floats(args.backend, x)
  if (x === undefined || xv === undefined) return undefined
  const axis = args.attrs?.['axis'] as number | number[] | null | undefined
  const axes = axis === null || axis === undefined ? x.shape.map((_, i) => i) : ctx.tf.util.parseAxisParam(axis, x.shape)
  const sorted = [...new Set(axes)].sort((p, q) => p - q)
  const first = sorted[0]
  const last = sorted[sorted.length - 1]
  if (first === undefined || last === undefined || last - first !== sorted.length - 1) return undefined
  const outer = sizeOf(x.shape.slice(0, first))
  const reduced = sizeOf(x.shape.slice(first, last + 1))
  const inner = sizeOf(x.shape.slice(last + 1))
  const out = outputArray(outer * inner)
  if (out.length > 0) ctx.addon.sumMiddle(xv, out, outer, reduced, inner)
  const keepDims = args.attrs?.['keepDims'] === true
  const shape = keepDims ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : x.shape.filter((_, i) => i < first || i > last)
  return output(args.backend, shape, out)
}
