/**
 * Conv2D, FusedConv2D and both Conv2D gradients (NHWC) on the addon's im2col + sgemm. Geometry comes from
 * tfjs' own computeConv2DInfo, so 'same'/'valid'/explicit padding, strides, dilations and dimRoundingMode
 * resolve exactly as the cpu backend resolves them. NCHW and non-float32 calls go back to the cpu kernels.
 */
import type {NamedAttrMap, TensorInfo, backend_util} from '@tensorflow/tfjs-core'
import {
  type BlasKernel, type KernelContext, activationCode, columnBias, floats, geometry, isChannelsLast, output, outputArray, sizeOf,
} from './common.js'

type Shape4 = [number, number, number, number]
type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding

/** tfjs' Conv2DInfo for an NHWC convolution described by a kernel's attributes (tfjs fills them in, so they
 * carry the attribute types its ops declare). */
export function convInfo(ctx: KernelContext, xShape: readonly number[], filterShape: readonly number[], attrs: NamedAttrMap | undefined, depthwise: boolean): backend_util.Conv2DInfo {
  const strides = (attrs?.['strides'] ?? 1) as number | [number, number]
  const dilations = (attrs?.['dilations'] ?? 1) as number | [number, number]
  const pad = (attrs?.['pad'] ?? 'valid') as Pad
  const rounding = attrs?.['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined
  return ctx.tf.backend_util.computeConv2DInfo([...xShape] as Shape4, [...filterShape] as Shape4, strides, dilations, pad, rounding, depthwise, 'channelsLast')
}

/** Output shape [N, outH, outW, outC] of a Conv2DInfo. */
export const outShape = (info: backend_util.Conv2DInfo): number[] => [info.batchSize, info.outHeight, info.outWidth, info.outChannels]

/** Input shape [N, inH, inW, inC] of a Conv2DInfo. */
export const inShape = (info: backend_util.Conv2DInfo): number[] => [info.batchSize, info.inHeight, info.inWidth, info.inChannels]

/** The forward convolution with an optional fused bias + activation; undefined to fall back. */
export function forward(args: Parameters<BlasKernel>[0], ctx: KernelContext, depthwise: boolean): TensorInfo | undefined {
  const {x, filter} = args.inputs
  const xv = floats(args.backend, x)
  const wv = floats(args.backend, filter)
  const act = activationCode(args.attrs)
  if (x === undefined || filter === undefined || xv === undefined || wv === undefined || act === undefined) return undefined
  if (!isChannelsLast(args.attrs) || x.shape.length !== 4 || args.inputs['preluActivationWeights'] !== undefined) return undefined
  const info = convInfo(ctx, x.shape, filter.shape, args.attrs, depthwise)
  const bias = columnBias(args.backend, args.inputs['bias'], info.outChannels)
  if (bias === undefined) return undefined
  const shape = outShape(info)
  const y = outputArray(sizeOf(shape))
  if (y.length > 0) {
    if (depthwise) ctx.addon.depthwise(xv, wv, y, geometry(info))
    else ctx.addon.conv2d(xv, wv, y, geometry(info))
    if (bias !== null || act !== 0) {
      ctx.addon.biasActivation(y, bias, y.length / info.outChannels, info.outChannels, act, Number(args.attrs?.['leakyreluAlpha'] ?? 0.2))
    }
  }
  return output(args.backend, shape, y)
}

/** The input gradient: dy and the filter give dx of attrs.inputShape; undefined to fall back. */
export function backpropInput(args: Parameters<BlasKernel>[0], ctx: KernelContext, depthwise: boolean): TensorInfo | undefined {
  const {dy, filter} = args.inputs
  const dyv = floats(args.backend, dy)
  const wv = floats(args.backend, filter)
  const shape = args.attrs?.['inputShape'] as number[] | undefined
  if (dy === undefined || filter === undefined || dyv === undefined || wv === undefined || shape?.length !== 4 || !isChannelsLast(args.attrs)) return undefined
  const info = convInfo(ctx, shape, filter.shape, args.attrs, depthwise)
  if (sizeOf(outShape(info)) !== dyv.length) return undefined
  const dx = outputArray(sizeOf(shape))
  if (dx.length > 0 && dyv.length > 0) {
    if (depthwise) ctx.addon.depthwiseBackpropInput(dyv, wv, dx, geometry(info))
    else ctx.addon.conv2dBackpropInput(dyv, wv, dx, geometry(info))
  } else {
    dx.fill(0)
  }
  return output(args.backend, [...shape], dx)
}

/** The filter gradient: x and dy give dW of attrs.filterShape; undefined to fall back. */
export function backpropFilter(args: Parameters<BlasKernel>[0], ctx: KernelContext, depthwise: boolean): TensorInfo | undefined {
  const {x, dy} = args.inputs
  const xv = floats(args.backend, x)
  const dyv = floats(args.backend, dy)
  const shape = args.attrs?.['filterShape'] as number[] | undefined
  if (x === undefined || dy === undefined || xv === undefined || dyv === undefined || shape?.length !== 4 || !isChannelsLast(args.attrs)) return undefined
  const info = convInfo(ctx, x.shape, shape, args.attrs, depthwise)
  if (sizeOf(outShape(info)) !== dyv.length) return undefined
  const dw = outputArray(sizeOf(shape))
  if (dw.length > 0 && dyv.length > 0) {
    if (depthwise) ctx.addon.depthwiseBackpropFilter(xv, dyv, dw, geometry(info))
    else ctx.addon.conv2dBackpropFilter(xv, dyv, dw, geometry(info))
  } else {
    dw.fill(0)
  }
  return output(args.backend, [...shape], dw)
}

/** Kernel `Conv2D`. */
export const conv2d: BlasKernel = (args, ctx) => forward(args, ctx, false)
/** Kernel `FusedConv2D` (bias along channels; every activation but prelu). */
export const fusedConv2d: BlasKernel = (args, ctx) => forward(args, ctx, false)
/** Kernel `Conv2DBackpropInput`. */
export const conv2dBackpropInput: BlasKernel = (args, ctx) => backpropInput(args, ctx, false)
/** Kernel `Conv2DBackpropFilter`. */
export const conv2dBackpropFilter: BlasKernel = (args, ctx) => backpropFilter(args, ctx, false)
