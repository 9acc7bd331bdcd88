/**
 * What the BLAS kernels share: the tfjs types they touch, reading the cpu backend's TypedArrays in place,
 * packing a tfjs Conv2DInfo into the addon's geometry array, and the fallback to the kernel they replaced.
 */
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu'
import type * as TfCore from '@tensorflow/tfjs-core'
import type {KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo, backend_util} from '@tensorflow/tfjs-core'
import type {BlasAddon} from './addon.js'
import {hookBackend, markRecyclable, takeFree} from './recycle.js'

/** tfjs-core's namespace, as loaded by backend/runtime.ts. */
export type Core = typeof TfCore

/** The arguments tfjs passes a kernel. */
export interface KernelArgs {
  inputs: NamedTensorInfoMap
  backend: unknown
  attrs?: NamedAttrMap
}

/** What each kernel factory gets: tfjs, the addon, and the cpu kernel it overrides (for cases it leaves to tfjs). */
export interface KernelContext {
  tf: Core
  addon: BlasAddon
  /** The cpu backend's own kernel of that name. */
  original(kernelName: string): KernelFunc
}

/** One replacement kernel: returns undefined to hand the call to the original cpu kernel. */
export type BlasKernel = (args: KernelArgs, ctx: KernelContext) => TensorInfo | undefined

/** Codes of native/src/kernels.h `Activation`; prelu is absent (it falls back to tfjs). */
export const ACTIVATION_CODES: Readonly<Record<string, number>> = {linear: 0, relu: 1, relu6: 2, leakyrelu: 3, sigmoid: 4, elu: 5}

/** The cpu backend, narrowed to the members the kernels use. */
export type CpuBackend = Pick<MathBackendCPU, 'data' | 'makeTensorInfo'>

/** The float32 values of a cpu-backend tensor, without copying; undefined for other dtypes or layouts. */
export function floats(backend: unknown, info: TensorInfo | undefined): Float32Array | undefined {
  if (info === undefined || info.dtype !== 'float32') return undefined
  const values = (backend as CpuBackend).data.get(info.dataId)?.values
  return values instanceof Float32Array ? values : undefined
}

/** A new float32 cpu-backend tensor that owns `values`. */
export function output(backend: unknown, shape: number[], values: Float32Array): TensorInfo {
  hookBackend(backend)
  return (backend as CpuBackend).makeTensorInfo(shape, 'float32', values)
}

/** Below this many elements an output is an ordinary (zeroed) array. */
const UNINITIALISED_FROM = 16_384

/**
 * A float32 output array for a kernel that overwrites every element. Large ones are an array a disposed
 * kernel output left behind (recycle.ts), else a fresh one without the zero fill (Buffer.allocUnsafeSlow: a
 * dedicated, unpooled ArrayBuffer, offset 0, exactly n elements); either way their contents are undefined.
 */
export function outputArray(n: number): Float32Array {
  if (n < UNINITIALISED_FROM) return new Float32Array(n)
  let array = takeFree(n)
  if (array === undefined) {
    const buffer = Buffer.allocUnsafeSlow(n * 4)
    array = new Float32Array(buffer.buffer, buffer.byteOffset, n)
  }
  markRecyclable(array)
  return array
}

/** Elements in a shape. */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1)

/** Packs a tfjs Conv2DInfo (NHWC, padding resolved) into the addon's 15-field geometry. */
export function geometry(info: backend_util.Conv2DInfo): Int32Array {
  return Int32Array.of(
    info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
    info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
  )
}

/** True when a conv/pool attribute set asks for NHWC (the only layout the addon implements). */
export const isChannelsLast = (attrs: NamedAttrMap | undefined): boolean => attrs?.['dataFormat'] === undefined || attrs['dataFormat'] === 'NHWC'

/** A bias as one value per output column, or undefined when its broadcast is not "along the last axis". */
export function columnBias(backend: unknown, bias: TensorInfo | undefined, cols: number): Float32Array | null | undefined {
  if (bias === undefined) return null
  const values = floats(backend, bias)
  if (values === undefined) return undefined
  if (values.length === 1) return new Float32Array(cols).fill(values[0] ?? 0)
  const last = bias.shape[bias.shape.length - 1]
  return values.length === cols && last === cols ? values : undefined
}

/** The addon's activation code for tfjs' `activation` attribute, or undefined (prelu, unknown) to fall back. */
export function activationCode(attrs: NamedAttrMap | undefined): number | undefined {
  const name = attrs?.['activation'] ?? 'linear'
  return typeof name === 'string' ? ACTIVATION_CODES[name] : undefined
}

/** Wraps a BlasKernel into a tfjs KernelConfig for the cpu backend, falling back to the replaced kernel. */
export function toKernelConfig(kernelName: string, kernel: BlasKernel, ctx: KernelContext): KernelConfig {
  const fallback = ctx.original(kernelName)
  const kernelFunc: KernelFunc = (args) => kernel(args, ctx) ?? fallback(args)
  return {kernelName, backendName: 'cpu', kernelFunc}
}
