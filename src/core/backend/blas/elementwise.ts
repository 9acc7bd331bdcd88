/**
 * Float32 fast paths for the memory-bound kernels around the products: Add, Sub, Multiply (same shape, or
 * one operand broadcast along the trailing axes: a bias row, a scalar learning rate), Relu and Step (ReLU's
 * gradient is dy · step(x)). The cpu backend runs these through generic per-element closures and index
 * arithmetic for broadcasts, which costs more than the OpenBLAS products once those are fast; the addon's
 * loops are branch-free and vectorised (a JS `v > 0 ? v : 0` mispredicts on random signs: ~10 ns/element).
 * Every other case (int32, broadcasts in the middle, both operands broadcast) goes back to tfjs.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core'
import {type BlasKernel, floats, output, outputArray, sizeOf} from './common.js'

const OPS = {add: 0, sub: 1, mul: 2} as const

/** True when `shape`, without leading 1s, equals the trailing dimensions of `out`. */
function isTrailing(shape: readonly number[], out: readonly number[]): boolean {
  let start = 0
  while (start < shape.length && shape[start] === 1) start++
  const rest = shape.slice(start)
  return rest.length <= out.length && rest.every((d, i) => d === out[out.length - rest.length + i])
}

function binary(kind: keyof typeof OPS): BlasKernel {
  return (args, ctx) => {
    const {a, b} = args.inputs
    const av = floats(args.backend, a)
    const bv = floats(args.backend, b)
    if (a === undefined || b === undefined || av === undefined || bv === undefined || av.length === 0 || bv.length === 0) return undefined
    const shape = ctx.tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape)
    const n = sizeOf(shape)
    const aFull = av.length === n && (bv.length === n || isTrailing(b.shape, shape))
    if (!aFull && !(bv.length === n && isTrailing(a.shape, shape))) return undefined
    const out = outputArray(n)
    if (aFull) ctx.addon.binary(OPS[kind], av, bv, out, false)
    else ctx.addon.binary(OPS[kind], bv, av, out, true)
    return output(args.backend, shape, out)
  }
}

/** Kernel `Add`. */
export const add = binary('add')
/** Kernel `Sub`. */
export const sub = binary('sub')
/** Kernel `Multiply`. */
export const multiply = binary('mul')

/** Kernel `Relu`: max(0, x) as Math.max computes it (NaN stays NaN, -0 becomes +0). */
export const relu: BlasKernel = (args, ctx) => {
  const x: TensorInfo | undefined = args.inputs['x']
  const xv = floats(args.backend, x)
  if (x === undefined || xv === undefined) return undefined
  const out = outputArray(xv.length)
  ctx.addon.relu(xv, out)
  return output(args.backend, [...x.shape], out)
}

/** Kernel `Step`: 1 where x > 0, else alpha; NaN stays NaN. */
export const step: BlasKernel = (args, ctx) => {
  const x: TensorInfo | undefined = args.inputs['x']
  const xv = floats(args.backend, x)
  if (x === undefined || xv === undefined) return undefined
  const out = outputArray(xv.length)
  ctx.addon.step(xv, out, Number(args.attrs?.['alpha'] ?? 0))
  return output(args.backend, [...x.shape], out)
}
