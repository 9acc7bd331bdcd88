/**
 * The optional native addon (native/, built by scripts/build-native.js at install). It is a plain N-API module,
 * so one build serves every Node version of the machine it was built on. When it is absent (no compiler or no
 * OpenBLAS headers at install) or fails to load, loadBlasAddon says why in one line instead of throwing.
 */
import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
import {type BlasOptions, blasOptions} from './options.js'

/**
 * What native/src/addon.cc exports. Every function writes into an output array the caller allocated and
 * throws a TypeError (never corrupts memory) when an array is shorter than its geometry needs. A geometry is
 * an Int32Array of 15 fields: batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilH, dilW,
 * padTop, padLeft (see `geometry()` in common.ts).
 */
export interface BlasAddon {
  /** c[i] = op(a[i]) · op(b[i]) (+ beta · c[i]), row-major, strides in elements (0 repeats one matrix). */
  gemm(
    a: Float32Array, b: Float32Array, c: Float32Array, batch: number, m: number, n: number, k: number,
    transA: boolean, transB: boolean, strideA: number, strideB: number, strideC: number, beta: number,
  ): void
  /** y = act(y + bias) in place over rows × cols; act codes in ACTIVATION_CODES. */
  biasActivation(y: Float32Array, bias: Float32Array | null, rows: number, cols: number, act: number, alpha: number): void
  conv2d(x: Float32Array, filter: Float32Array, y: Float32Array, geometry: Int32Array): void
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: Int32Array): void
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: Int32Array): void
  depthwise(x: Float32Array, filter: Float32Array, y: Float32Array, geometry: Int32Array): void
  depthwiseBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: Int32Array): void
  depthwiseBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: Int32Array): void
  maxPool(x: Float32Array, y: Float32Array, geometry: Int32Array): void
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, geometry: Int32Array): void
  /** out = max(0, x) (NaN kept, -0 → +0, as Math.max). */
  relu(x: Float32Array, out: Float32Array): void
  /** out = x > 0 ? 1 : alpha (NaN kept). */
  step(x: Float32Array, out: Float32Array, alpha: number): void
  /** out = full op part with part repeated along full (its length divides full's); op 0 add, 1 sub, 2 mul;
   * `swap` computes part − full. */
  binary(op: number, full: Float32Array, part: Float32Array, out: Float32Array, swap: boolean): void
  /** out[o, j] = Σ_r x[o, r, j] over a [outer, reduced, inner] view, accumulated in float64. */
  sumMiddle(x: Float32Array, out: Float32Array, outer: number, reduced: number, inner: number): void
  /**
   * Makes glibc keep freed blocks up to 32 MiB for reuse instead of unmapping them (mallopt). tfjs allocates a
   * fresh array per op result, and on these VMs a 4 KiB page fault costs ~15 µs, so re-faulting every
   * result costs more than the arithmetic. Process-wide; true when glibc accepted the settings.
   */
  retainFreedMemory(): boolean
  /** OpenBLAS thread count (default: all cores). */
  setThreads(n: number): void
  /** OpenBLAS build line and thread count, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH … Haswell …; threads 2`. */
  info(): string
}

/** The addon, or why it cannot be used. */
export type AddonLoad = {addon: BlasAddon; path: string} | {addon: undefined; reason: string}

/** Where node-gyp puts the build: native/build/Release, two levels above src/core/backend/blas and dist/…. */
export const ADDON_PATH = fileURLToPath(new URL('../../../../native/build/Release/kmodel_blas.node', import.meta.url))

let cached: AddonLoad | undefined

/**
 * Loads the addon once per process and checks that it computes (a 2×3 by 3×2 product against its known
 * result), so a build linked to a broken BLAS is refused rather than trusted. `disabled` (the command layer
 * sets it from KMODEL_BLAS=0, for benchmarks and bisecting) refuses it; `path` overrides the location (tests).
 * Never throws.
 */
export function loadBlasAddon(options: BlasOptions = blasOptions(), path: string = ADDON_PATH): AddonLoad {
  if (options.disabled === true) return {addon: undefined, reason: 'the BLAS kernels are disabled by KMODEL_BLAS=0'}
  if (cached !== undefined && path === ADDON_PATH) return cached
  const result = tryLoad(path)
  if (path === ADDON_PATH) cached = result
  return result
}

/** Why the addon's product is wrong, or undefined when [[1,2,3],[4,5,6]]·[[1,2],[3,4],[5,6]] = [[22,28],[49,64]]. */
export function selfTest(addon: BlasAddon): string | undefined {
  const c = new Float32Array(4)
  try {
    addon.gemm(Float32Array.of(1, 2, 3, 4, 5, 6), Float32Array.of(1, 2, 3, 4, 5, 6), c, 1, 2, 2, 3, false, false, 0, 0, 0, 0)
  } catch (error) {
    return `the native BLAS addon failed its self-test: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`
  }
  return c.join() === '22,28,49,64' ? undefined : `the native BLAS addon computes wrong products (self-test gave ${c.join()})`
}

function tryLoad(path: string): AddonLoad {
  if (!existsSync(path)) {
    const script = fileURLToPath(new URL('../../../../scripts/build-native.js', import.meta.url))
    return {addon: undefined, reason: `the native BLAS addon is not built (needs a C++ compiler and libopenblas-dev at install; then run \`node ${script}\`)`}
  }
  try {
    const addon = createRequire(import.meta.url)(path) as BlasAddon
    if (typeof addon.gemm !== 'function' || typeof addon.conv2d !== 'function') {
      return {addon: undefined, reason: `the native BLAS addon at ${path} lacks the expected functions (rebuild it)`}
    }
    const broken = selfTest(addon)
    return broken === undefined ? {addon, path} : {addon: undefined, reason: broken}
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
    return {addon: undefined, reason: `the native BLAS addon failed to load: ${message}`}
  }
}
