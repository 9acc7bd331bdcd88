/**
 * DepthwiseConv2dNative, FusedDepthwiseConv2D and both depthwise gradients (NHWC, filter
 * [kH, kW, inC, multiplier]) on the addon's direct loops; SeparableConv2D runs these plus a 1×1 Conv2D.
 * Geometry and fallbacks are those of conv.ts, with tfjs' depthwise flag set.
 */
import type {BlasKernel} from './common.js'
import {backpropFilter, backpropInput, forward} from './conv.js'

/** Kernel `DepthwiseConv2dNative`. */
export const depthwise: BlasKernel = (args, ctx) => forward(args, ctx, true)
/** Kernel `FusedDepthwiseConv2D` (bias along output channels; every activation but prelu). */
export const fusedDepthwise: BlasKernel = (args, ctx) => forward(args, ctx, true)
/** Kernel `DepthwiseConv2dNativeBackpropInput`. */
export const depthwiseBackpropInput: BlasKernel = (args, ctx) => backpropInput(args, ctx, true)
/** Kernel `DepthwiseConv2dNativeBackpropFilter`. */
export const depthwiseBackpropFilter: BlasKernel = (args, ctx) => backpropFilter(args, ctx, true)
