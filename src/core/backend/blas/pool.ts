/**
 * MaxPool and MaxPoolGrad (NHWC) in the addon. The cpu backend's versions are generic JS loops and cost more
 * than the convolutions around them once those run on OpenBLAS. The gradient sends each dy to the first
 * maximum of its window, recomputed from the input, which is the cpu backend's rule.
 */
import type {NamedAttrMap, backend_util} from '@tensorflow/tfjs-core'
import {type BlasKernel, type KernelContext, floats, geometry, output, outputArray, sizeOf} from './common.js'

type Shape4 = [number, number, number, number]

function poolInfo(ctx: KernelContext, xShape: readonly number[], attrs: NamedAttrMap | undefined): backend_util.Conv2DInfo {
  const filterSize = (attrs?.['filterSize'] ?? 1) as number | [number, number]
  const strides = (attrs?.['strides'] ?? 1) as number | [number, number]
  const pad = (attrs?.['pad'] ?? 'valid') as 'valid' | 'same' | number | backend_util.ExplicitPadding
  const rounding = attrs?.['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined
  return ctx.tf.backend_util.computePool2DInfo([...xShape] as Shape4, filterSize, strides, 1, pad, rounding)
}

/** Kernel `MaxPool`. */
export const maxPool: BlasKernel = (args, ctx) => {
  const {x} = args.inputs
  const xv = floats(args.backend, x)
  if (x === undefined || xv === undefined || x.shape.length !== 4) return undefined
  const info = poolInfo(ctx, x.shape, args.attrs)
  const shape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels]
  const y = outputArray(sizeOf(shape))
  if (y.length > 0) ctx.addon.maxPool(xv, y, geometry(info))
  return output(args.backend, shape, y)
}

/** Kernel `MaxPoolGrad` (inputs dy, input, output; the output is not needed). */
export const maxPoolGrad: BlasKernel = (args, ctx) => {
  const {dy, input} = args.inputs
  const dyv = floats(args.backend, dy)
  const xv = floats(args.backend, input)
  if (input === undefined || dyv === undefined || xv === undefined || input.shape.length !== 4) return undefined
  const info = poolInfo(ctx, input.shape, args.attrs)
  if (info.batchSize * info.outHeight * info.outWidth * info.outChannels !== dyv.length) return undefined
  const dx = outputArray(xv.length)
  if (dx.length > 0 && dyv.length > 0) ctx.addon.maxPoolGrad(xv, dyv, dx, geometry(info))
  else dx.fill(0)
  return output(args.backend, [...input.shape], dx)
}
