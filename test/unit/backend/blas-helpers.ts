/**
 * Test support for the BLAS kernels: tfjs on the cpu backend, a seeded RNG, a tolerance check, and the loud
 * skip used when the native addon is not built.
 */
import {createRequire} from 'node:module'
import type * as TfCore from '@tensorflow/tfjs-core'
import type * as TfLayers from '@tensorflow/tfjs-layers'
import {loadBlasAddon} from '../../../src/core/backend/blas/addon.js'
import {disableBlasKernels, enableBlasKernels} from '../../../src/core/backend/blas.js'

const require = createRequire(import.meta.url)

/** tfjs-core with tfjs-layers' gradients and the cpu backend active. */
export const tf = require('@tensorflow/tfjs-core') as typeof TfCore
tf.env().set('PROD', true)
/** tfjs-layers (loaded for its gradients and for the training tests). */
export const tfl = require('@tensorflow/tfjs-layers') as typeof TfLayers
require('@tensorflow/tfjs-backend-cpu')
await tf.setBackend('cpu')

const load = loadBlasAddon()
/** Why the BLAS tests skip, or undefined when the addon is built. */
export const skipReason = load.addon === undefined ? load.reason : undefined
if (skipReason !== undefined) console.warn(`SKIPPED: BLAS kernel tests: ${skipReason}`)

/** Names of the addon functions called since the last reset, so tests can tell a BLAS run from a fallback. */
const called = new Set<string>()
if (load.addon !== undefined) {
  const addon = load.addon as unknown as Record<string, unknown>
  for (const [name, fn] of Object.entries(addon)) {
    if (typeof fn !== 'function') continue
    addon[name] = (...args: unknown[]): unknown => {
      called.add(name)
      return (fn as (...a: unknown[]) => unknown)(...args)
    }
  }
}

/** Mulberry32: small, seeded, good enough for test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A float32 tensor of uniform values in [-1, 1). */
export function random(shape: number[], seed: number): TfCore.Tensor {
  const next = rng(seed)
  const values = Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, () => next() * 2 - 1)
  return tf.tensor(values, shape, 'float32')
}

/**
 * Runs `f` with the cpu backend's own kernels and again with the BLAS kernels; returns both results and the
 * addon functions the second run called.
 */
export function both<T>(f: () => T): {reference: T; blas: T; calls: string[]} {
  disableBlasKernels(tf)
  const reference = f()
  const status = enableBlasKernels(tf)
  if (!status.enabled) throw new Error(status.reason)
  called.clear()
  try {
    const blas = f()
    return {reference, blas, calls: [...called].sort()}
  } finally {
    disableBlasKernels(tf)
  }
}

/** max |a - b| / max(|b|, 1e-6): the error relative to the reference's magnitude. */
export function relativeError(actual: TfCore.Tensor, expected: TfCore.Tensor): number {
  if (actual.shape.join() !== expected.shape.join()) return Number.POSITIVE_INFINITY
  const a = actual.dataSync()
  const b = expected.dataSync()
  let diff = 0
  let scale = 1e-6
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] ?? Number.NaN) - (b[i] ?? 0)))
    scale = Math.max(scale, Math.abs(b[i] ?? 0))
  }
  return Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff / scale
}
