/**
 * TensorFlow's image-resize sampling along one axis, as its CPU kernels compute it in float32 (tensorflow/core/
 * kernels/image: resize_bilinear_op, resize_bicubic_op, resize_area_op, resize_nearest_neighbor_op,
 * scale_and_translate_op with sampling_kernels.h) for `tf.image.resize` (resize_images_v2: half-pixel centers,
 * no align_corners). Each function returns, per tap in TensorFlow's summation order, the input index and the
 * float32 weight of every output position; Math.fround reproduces each float32 rounding of the C++ code, so the
 * weights are TensorFlow's bit for bit (the bicubic ones come from its 1024-entry coefficient table).
 * image-resize.ts applies them; this is kmodel's one definition of these kernels.
 */

const f = Math.fround

/** Taps of a resampling along one axis: output o is Σ_t weights[t][o] · input[indices[t][o]], summed in t order. */
export interface AxisTaps {
  indices: number[][]
  weights: number[][]
}

/** Bilinear interpolation in TensorFlow's lerp form: a + (b − a) · t with a = input[lower], b = input[upper]. */
export interface AxisLerp {
  lower: number[]
  upper: number[]
  lerp: number[]
}

const bound = (i: number, limit: number): number => Math.min(limit - 1, Math.max(0, i))

/** `in / out` as TensorFlow's CalculateResizeScale computes it (no align_corners). */
const resizeScale = (inSize: number, outSize: number): number => f(inSize / outSize)

/** HalfPixelScaler: (x + 0.5) · scale − 0.5 in float32. */
const halfPixel = (x: number, scale: number): number => f(f(f(x + 0.5) * scale) - 0.5)

/** lrintf: round half to even. */
function lrint(v: number): number {
  const r = Math.round(v)
  return Math.abs(v - Math.trunc(v)) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** ResizeBilinear with half_pixel_centers (tf.image.resize "bilinear" without antialias). */
export function bilinearTaps(inSize: number, outSize: number): AxisLerp {
  const scale = resizeScale(inSize, outSize)
  const out: AxisLerp = {lower: [], upper: [], lerp: []}
  for (let o = 0; o < outSize; o++) {
    const at = halfPixel(o, scale)
    const floor = Math.floor(at)
    out.lower.push(Math.max(floor, 0))
    out.upper.push(Math.min(Math.ceil(at), inSize - 1))
    out.lerp.push(f(at - floor))
  }
  return out
}

/** ResizeNearestNeighbor with half_pixel_centers: floor((x + 0.5) · scale), clamped to the axis. */
export function nearestIndices(inSize: number, outSize: number): number[] {
  const scale = resizeScale(inSize, outSize)
  return Array.from({length: outSize}, (_, o) => Math.max(0, Math.min(Math.floor(f(f(o + 0.5) * scale)), inSize - 1)))
}

const TABLE_SIZE = 1024
let keysTable: Float32Array | undefined

/** InitCoeffsTable(-0.5): Keys' cubic weights at 1025 offsets (computed in double, stored as float). */
function keysCoefficients(): Float32Array {
  if (keysTable !== undefined) return keysTable
  const a = -0.5
  const table = new Float32Array((TABLE_SIZE + 1) * 2)
  for (let i = 0; i <= TABLE_SIZE; i++) {
    let x = f(i / TABLE_SIZE)
    table[i * 2] = ((a + 2) * x - (a + 3)) * x * x + 1
    x = f(x + 1)
    table[i * 2 + 1] = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
  }
  keysTable = table
  return table
}

/**
 * Divides float32 weights by their float32 sum, as TensorFlow renormalizes. For a sum below 1000 · FLT_MIN
 * TensorFlow skips that: ResizeBicubic keeps the raw weights, ScaleAndTranslate leaves them 0 (`tinyAsZero`).
 */
function normalized(weights: number[], tinyAsZero = false): number[] {
  const sum = weights.reduce((s, w) => f(s + w), 0)
  if (Math.abs(sum) < 1000 * 1.1754943508222875e-38) return tinyAsZero ? weights.map(() => 0) : weights
  const inverse = f(1 / sum)
  return weights.map((w) => f(w * inverse))
}

/** ResizeBicubic with half_pixel_centers: Keys' cubic (a = −0.5), out-of-image taps zeroed and renormalized. */
export function bicubicTaps(inSize: number, outSize: number): AxisTaps {
  const scale = resizeScale(inSize, outSize)
  const table = keysCoefficients()
  const taps: AxisTaps = {indices: [[], [], [], []], weights: [[], [], [], []]}
  for (let o = 0; o < outSize; o++) {
    const at = halfPixel(o, scale)
    const loc = Math.floor(at)
    const offset = lrint(f(f(at - loc) * TABLE_SIZE))
    const coefficient = [offset * 2 + 1, offset * 2, (TABLE_SIZE - offset) * 2, (TABLE_SIZE - offset) * 2 + 1]
    const raw = coefficient.map((k, t) => (bound(loc - 1 + t, inSize) === loc - 1 + t ? table[k] ?? 0 : 0))
    normalized(raw).forEach((w, t) => {
      taps.indices[t]?.push(bound(loc - 1 + t, inSize))
      taps.weights[t]?.push(w)
    })
  }
  return taps
}

/** The share of input cell i inside [from, to) as ResizeArea computes it (float32). */
function areaShare(i: number, from: number, to: number, scale: number): number {
  if (i < from) return i + 1 > to ? scale : f(i + 1 - from)
  return i + 1 > to ? f(to - i) : 1
}

/**
 * ResizeArea (no align_corners): output o covers [o · scale, (o + 1) · scale) of the input; each touched cell
 * weighs the length it has inside. The first and last cells get partial shares, middle cells 1. The caller
 * multiplies the 2-D sum by `areaNorm`.
 */
export function areaTaps(inSize: number, outSize: number): AxisTaps {
  const scale = resizeScale(inSize, outSize)
  const spans = Array.from({length: outSize}, (_, o) => {
    const from = f(o * scale)
    const to = f((o + 1) * scale)
    const start = Math.floor(from)
    const end = Math.ceil(to)
    const cells = Array.from({length: Math.max(end - start, 1)}, (_, k) => start + k)
    const last = cells.length - 1
    return cells.map((i, k) => ({index: bound(i, inSize), weight: k === 0 || k === last ? areaShare(i, from, to, scale) : 1}))
  })
  return padTaps(spans)
}

/** ResizeArea's final factor 1 / (height_scale · width_scale). */
export function areaNorm(inH: number, outH: number, inW: number, outW: number): number {
  return f(1 / f(resizeScale(inH, outH) * resizeScale(inW, outW)))
}

/** Variable-length spans → taps; a missing tap reads the span's first index with weight 0. */
function padTaps(spans: Array<Array<{index: number; weight: number}>>): AxisTaps {
  const width = Math.max(1, ...spans.map((s) => s.length))
  const taps: AxisTaps = {indices: [], weights: []}
  for (let t = 0; t < width; t++) {
    taps.indices.push(spans.map((s) => s[t]?.index ?? s[0]?.index ?? 0))
    taps.weights.push(spans.map((s) => s[t]?.weight ?? 0))
  }
  return taps
}

/** A sampling kernel of scale_and_translate: its radius and its float32 value at a distance. */
export interface SamplingKernel {
  radius: number
  at(x: number): number
}

const KPI = f(3.14159265359)

/** LanczosKernelFunc(radius): radius · sin(πx) · sin(πx / radius) / (π² x²), 1 near 0, 0 beyond the radius. */
function lanczos(radius: number): SamplingKernel {
  return {
    radius,
    at: (v) => {
      const x = Math.abs(v)
      if (x > radius) return 0
      if (x <= 1e-3) return 1
      const px = f(KPI * x)
      const numerator = f(f(radius * f(Math.sin(px))) * f(Math.sin(f(px / radius))))
      return f(numerator / f(f(f(KPI * KPI) * x) * x))
    },
  }
}

/** A kernel of radius r whose value is `inside(|x|)` below r and 0 from r on. */
const cut = (radius: number, inside: (x: number) => number): SamplingKernel => ({
  radius,
  at: (v) => (Math.abs(v) >= radius ? 0 : inside(Math.abs(v))),
})

/**
 * The scale_and_translate kernels tf.image.resize uses by method name: lanczos3/5, gaussian (σ = 0.5),
 * mitchellcubic (B = C = 1/3), and the antialiased forms of bilinear (triangle) and bicubic (keyscubic).
 */
export const SAMPLING_KERNELS: Readonly<Record<string, SamplingKernel>> = {
  lanczos3: lanczos(3),
  lanczos5: lanczos(5),
  gaussian: cut(1.5, (x) => f(Math.exp(-f(x * x) / 0.5))),
  mitchellcubic: cut(2, (x) => (x >= 1
    ? f(f(f(f(f(f(f(-7 / 18) * x) + 2) * x) - f(10 / 3)) * x) + f(16 / 9))
    : f(f(f(f(f(f(7 / 6) * x) - 2) * x) * x) + f(8 / 9)))),
  triangle: cut(1, (x) => f(1 - x)),
  keyscubic: cut(2, (x) => (x >= 1 ? f(f(f(f(f(f(-0.5 * x) + 2.5) * x) - 4) * x) + 2) : f(f(f(f(f(1.5 * x) - 2.5) * x) * x) + 1))),
}

/**
 * ScaleAndTranslate's spans (ComputeSpansCore, scale out/in, no translation), weights renormalized. With
 * `antialias` a downscale widens the kernel by in/out (kernel_scale), as TensorFlow does.
 */
export function scaleTranslateTaps(kernel: SamplingKernel, inSize: number, outSize: number, antialias = false): AxisTaps {
  const inverse = f(1 / f(outSize / inSize))
  const kernelScale = antialias ? Math.max(inverse, 1) : 1
  const invKernelScale = f(1 / kernelScale)
  const reach = f(kernel.radius * kernelScale)
  const spanSize = Math.min(2 * Math.ceil(reach) + 1, inSize)
  const spans = Array.from({length: outSize}, (_, o) => {
    const sample = f(f(o + 0.5) * inverse)
    if (sample < 0 || sample > inSize) return []
    const start = bound(Math.ceil(f(f(sample - reach) - 0.5)), inSize)
    const end = bound(Math.floor(f(f(sample + reach) - 0.5)), inSize) + 1
    const raw = Array.from({length: end - start}, (_, k) => kernel.at(f(f(f(start + k + 0.5) - sample) * invKernelScale)))
    const weights = normalized(raw, true)
    const real = Math.min(start + spanSize, inSize) - start
    return Array.from({length: real}, (_, k) => ({index: start + k, weight: weights[k] ?? 0}))
  })
  return padTaps(spans)
}
