/**
 * Kernels the tfjs wasm backend (4.22) lacks for training, registered for `wasm` so every layer kmodel
 * supports trains there too (DEPENDENCY-FACTS: without them Conv1D/Conv2D/SeparableConv2D/ConvLSTM2D
 * training throws on Conv2DBackpropFilter, DepthwiseConv2D on its two gradients, Embedding on
 * UnsortedSegmentSum).
 *
 * Conv2DBackpropFilter, the hot one, is composed of the backend's own kernels: for each filter tap
 * (kh, kw), a strided slice of the padded input [N·outH·outW, inC] times dy [N·outH·outW, outC] (transposed
 * product) gives dW[kh, kw] — kH·kW products on the backend's fast matmul. The depthwise gradients and the
 * segment sum run as typed-array loops on views of the wasm heap (wasm-fill/loops.ts).
 * Kernels the wasm backend already has are never replaced.
 */
import type {BackendWasm} from '@tensorflow/tfjs-backend-wasm'
import type {KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo, backend_util} from '@tensorflow/tfjs-core'
import type {Core} from './blas/common.js'
import {depthwiseBackpropFilter, depthwiseBackpropInput, segmentSum} from './wasm-fill/loops.js'

/** Outcome of fillWasmKernels: the kernel names it registered (empty when wasm already had them all). */
export interface WasmFillResult {
  filled: string[]
}

type Shape4 = [number, number, number, number]
type Run = (name: string, inputs: NamedTensorInfoMap, attrs?: NamedAttrMap) => TensorInfo

/** tfjs' Conv2DInfo for a wasm gradient kernel's attributes (NHWC only: tfjs-layers always passes NHWC). */
function convInfo(tf: Core, xShape: number[], filterShape: number[], attrs: NamedAttrMap | undefined, depthwise: boolean): backend_util.Conv2DInfo {
  if (attrs?.['dataFormat'] !== undefined && attrs['dataFormat'] !== 'NHWC') throw new Error('kmodel wasm fill: only NHWC convolutions are supported')
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4, filterShape as Shape4, (attrs?.['strides'] ?? 1) as number | [number, number], (attrs?.['dilations'] ?? 1) as number | [number, number],
    (attrs?.['pad'] ?? 'valid') as 'valid' | 'same' | number | backend_util.ExplicitPadding, attrs?.['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined, depthwise, 'channelsLast',
  )
}

/** Conv2DBackpropFilter from PadV2, StridedSlice, Reshape, BatchMatMul and Concat of the wasm backend. */
function conv2dBackpropFilter(tf: Core, run: Run, free: (t: TensorInfo) => void, args: {inputs: NamedTensorInfoMap; attrs?: NamedAttrMap}): TensorInfo {
  const {x, dy} = args.inputs
  const filterShape = args.attrs?.['filterShape'] as number[] | undefined
  if (x === undefined || dy === undefined || filterShape === undefined) throw new Error('kmodel wasm fill: Conv2DBackpropFilter needs x, dy and filterShape')
  const info = convInfo(tf, x.shape, filterShape, args.attrs, false)
  const {top, bottom, left, right} = info.padInfo
  const padded = top + bottom + left + right === 0 ? x : run('PadV2', {x}, {paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0})
  const rows = info.batchSize * info.outHeight * info.outWidth
  const dy3 = run('Reshape', {x: dy}, {shape: [1, rows, info.outChannels]})
  const parts: TensorInfo[] = []
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const h0 = kh * info.dilationHeight
      const w0 = kw * info.dilationWidth
      const slice = run('StridedSlice', {x: padded}, {
        begin: [0, h0, w0, 0], end: [info.batchSize, h0 + (info.outHeight - 1) * info.strideHeight + 1, w0 + (info.outWidth - 1) * info.strideWidth + 1, info.inChannels],
        strides: [1, info.strideHeight, info.strideWidth, 1], beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
      })
      const a = run('Reshape', {x: slice}, {shape: [1, rows, info.inChannels]})
      const product = run('BatchMatMul', {a, b: dy3}, {transposeA: true, transposeB: false})
      parts.push(run('Reshape', {x: product}, {shape: [info.inChannels, info.outChannels]}))
      for (const t of [slice, a, product]) free(t)
    }
  }
  // Concat takes its inputs as an array (tfjs' concat op passes the tensor list itself as the input map).
  const stacked = parts.length === 1 ? (parts[0] as TensorInfo) : run('Concat', parts as unknown as NamedTensorInfoMap, {axis: 0})
  const result = run('Reshape', {x: stacked}, {shape: filterShape})
  for (const t of [dy3, ...(parts.length === 1 ? [] : parts), stacked]) free(t)
  if (padded !== x) free(padded)
  return result
}

/**
 * Registers, for the `wasm` backend, each of Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter,
 * DepthwiseConv2dNativeBackpropInput and UnsortedSegmentSum that it lacks. Needs the wasm backend module
 * loaded (its kernels registered); idempotent.
 */
export function fillWasmKernels(tf: Core): WasmFillResult {
  const has = (name: string): boolean => tf.getKernel(name, 'wasm') !== undefined
  if (!has('BatchMatMul')) return {filled: []}
  const original = (name: string): KernelFunc => {
    const config = tf.getKernel(name, 'wasm')
    if (config === undefined) throw new Error(`kmodel wasm fill: the wasm backend has no '${name}' kernel`)
    return config.kernelFunc
  }
  const fills: Record<string, KernelFunc> = {
    Conv2DBackpropFilter: ({inputs, backend, attrs}) => {
      const wasm = backend as BackendWasm
      const run: Run = (name, ins, at) => original(name)({inputs: ins, backend, ...(at === undefined ? {} : {attrs: at})}) as TensorInfo
      return conv2dBackpropFilter(tf, run, (t) => wasm.disposeData(t.dataId), {inputs, ...(attrs === undefined ? {} : {attrs})})
    },
    DepthwiseConv2dNativeBackpropFilter: ({inputs, backend, attrs}) => {
      const wasm = backend as BackendWasm
      const {x, dy} = inputs as {x: TensorInfo; dy: TensorInfo}
      const shape = attrs?.['filterShape'] as number[]
      const out = wasm.makeOutput(shape, 'float32')
      depthwiseBackpropFilter(view(wasm, x), view(wasm, dy), view(wasm, out), convInfo(tf, x.shape, shape, attrs, true))
      return out
    },
    DepthwiseConv2dNativeBackpropInput: ({inputs, backend, attrs}) => {
      const wasm = backend as BackendWasm
      const {dy, filter} = inputs as {dy: TensorInfo; filter: TensorInfo}
      const shape = attrs?.['inputShape'] as number[]
      const out = wasm.makeOutput(shape, 'float32')
      depthwiseBackpropInput(view(wasm, dy), view(wasm, filter), view(wasm, out), convInfo(tf, shape, filter.shape, attrs, true))
      return out
    },
    UnsortedSegmentSum: ({inputs, backend, attrs}) => {
      const wasm = backend as BackendWasm
      const {x, segmentIds} = inputs as {x: TensorInfo; segmentIds: TensorInfo}
      const segments = Number(attrs?.['numSegments'])
      const out = wasm.makeOutput([segments, ...x.shape.slice(segmentIds.shape.length)], 'float32')
      const values = view(wasm, out)
      values.fill(0)
      segmentSum(view(wasm, x), wasm.typedArrayFromHeap(segmentIds) as Int32Array, values, segments)
      return out
    },
  }
  const filled: string[] = []
  for (const [kernelName, kernelFunc] of Object.entries(fills)) {
    if (has(kernelName)) continue
    tf.registerKernel({kernelName, backendName: 'wasm', kernelFunc})
    filled.push(kernelName)
  }
  return {filled}
}

/** A Float32Array view of a tensor on the wasm heap; take views only after the last allocation of a kernel
 * (an allocation can grow the heap and detach older views). */
function view(backend: BackendWasm, t: TensorInfo): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`kmodel wasm fill: expected float32, got ${t.dtype}`)
  return backend.typedArrayFromHeap(t) as Float32Array
}
