/**
 * The accelerated kernel path for the cpu backend (issue #5): the hot kernels of training (matrix products,
 * convolutions and their gradients, depthwise convolutions, max pooling) are re-registered for tfjs'
 * `cpu` backend on top of the optional OpenBLAS addon in native/. Each replacement reads and writes the cpu
 * backend's TypedArrays in place, produces tfjs' own layouts, and hands any case it does not implement
 * (other dtypes, NCHW, prelu, odd bias broadcasts) back to the cpu kernel it replaced. Gradients are
 * registered by kernel name, not by backend, so tfjs' own gradient functions run the new kernels too.
 *
 * When the addon is absent nothing changes and the reason says why, in one line, for the caller to print.
 */
import type {KernelConfig, KernelFunc} from '@tensorflow/tfjs-core'
import {type AddonLoad, loadBlasAddon} from './blas/addon.js'
import {type BlasOptions, blasOptions} from './blas/options.js'
import type {BlasKernel, Core, KernelContext} from './blas/common.js'
import {toKernelConfig} from './blas/common.js'
import {conv2d, conv2dBackpropFilter, conv2dBackpropInput, fusedConv2d} from './blas/conv.js'
import {depthwise, depthwiseBackpropFilter, depthwiseBackpropInput, fusedDepthwise} from './blas/depthwise.js'
import {batchMatMul, fusedMatMul} from './blas/matmul.js'
import {add, multiply, relu, step, sub} from './blas/elementwise.js'
import {gatherV2, unsortedSegmentSum} from './blas/gather.js'
import {maxPool, maxPoolGrad} from './blas/pool.js'
import {sum} from './blas/reduce.js'

/** Outcome of enableBlasKernels: `reason` is the one-line notice to show when `enabled` is false. */
export interface BlasStatus {
  enabled: boolean
  reason: string
}

/** Every kernel replaced, by tfjs kernel name: the products on OpenBLAS, then the memory-bound kernels
 * around them (elementwise, Sum, gather/scatter) in plain typed-array loops. */
export const BLAS_KERNELS: Readonly<Record<string, BlasKernel>> = {
  BatchMatMul: batchMatMul,
  _FusedMatMul: fusedMatMul,
  Conv2D: conv2d,
  FusedConv2D: fusedConv2d,
  Conv2DBackpropInput: conv2dBackpropInput,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  DepthwiseConv2dNative: depthwise,
  FusedDepthwiseConv2D: fusedDepthwise,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
  MaxPool: maxPool,
  MaxPoolGrad: maxPoolGrad,
  Add: add,
  Sub: sub,
  Multiply: multiply,
  Relu: relu,
  Step: step,
  Sum: sum,
  GatherV2: gatherV2,
  UnsortedSegmentSum: unsortedSegmentSum,
}

/** The cpu kernels that were replaced, per tfjs-core instance, so disableBlasKernels can put them back. */
const replaced = new WeakMap<Core, Map<string, KernelConfig>>()

/**
 * Registers the BLAS kernels for tfjs' `cpu` backend (which must already be loaded, i.e.
 * @tensorflow/tfjs-backend-cpu required). Idempotent. Never throws: without the addon it returns
 * `{enabled: false, reason}` and tfjs keeps its own kernels. Side effect when enabled: glibc keeps freed
 * blocks up to 32 MiB for reuse (addon.retainFreedMemory), so the process's RSS stays at its high-water mark.
 * OpenBLAS uses all cores unless `options.threads` (the command layer's KMODEL_BLAS_THREADS) or OpenBLAS's
 * own OPENBLAS_NUM_THREADS says otherwise; products with a side under 32 always run on one thread (native/src/gemm.cc). On 2-vCPU VMs one
 * thread measured faster than two (BENCHMARKS.md "Training speed").
 */
export function enableBlasKernels(tf: Core, load: AddonLoad = loadBlasAddon(), options: BlasOptions = blasOptions()): BlasStatus {
  if (load.addon === undefined) return {enabled: false, reason: load.reason}
  if (replaced.has(tf)) return {enabled: true, reason: `OpenBLAS kernels active (${load.addon.info()})`}
  const originals = new Map<string, KernelConfig>()
  for (const name of Object.keys(BLAS_KERNELS)) {
    const config = tf.getKernel(name, 'cpu')
    if (config !== undefined) originals.set(name, config)
  }
  if (originals.size === 0) return {enabled: false, reason: 'the tfjs cpu backend is not loaded, so there is nothing to accelerate'}
  const ctx: KernelContext = {
    tf,
    addon: load.addon,
    original: (name: string): KernelFunc => {
      const config = originals.get(name)
      if (config === undefined) throw new Error(`no cpu kernel '${name}' to fall back to`)
      return config.kernelFunc
    },
  }
  load.addon.retainFreedMemory()
  const threads = options.threads
  if (threads !== undefined && Number.isInteger(threads) && threads >= 1) load.addon.setThreads(threads)
  for (const [name, kernel] of Object.entries(BLAS_KERNELS)) {
    if (!originals.has(name)) continue
    tf.unregisterKernel(name, 'cpu')
    tf.registerKernel(toKernelConfig(name, kernel, ctx))
  }
  replaced.set(tf, originals)
  return {enabled: true, reason: `OpenBLAS kernels active (${load.addon.info()})`}
}

/** Restores the cpu backend's own kernels (tests compare both paths in one process). */
export function disableBlasKernels(tf: Core): void {
  const originals = replaced.get(tf)
  if (originals === undefined) return
  for (const [name, config] of originals) {
    tf.unregisterKernel(name, 'cpu')
    tf.registerKernel(config)
  }
  replaced.delete(tf)
}

/** True when the BLAS kernels are registered in this tfjs instance. */
export const blasKernelsEnabled = (tf: Core): boolean => replaced.has(tf)
