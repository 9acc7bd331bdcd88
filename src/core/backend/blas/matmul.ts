/**
 * BatchMatMul (what tf.matMul runs) and _FusedMatMul (matMul + bias + activation, what a Dense layer runs
 * outside gradient tapes) on OpenBLAS sgemm. Shapes follow tfjs: a [...batchA, r, c], b [...batchB, r, c],
 * the batch dimensions broadcast, and the output is [...broadcast, M, N].
 */
import {type BlasKernel, type KernelArgs, type KernelContext, activationCode, columnBias, floats, output, outputArray, sizeOf} from './common.js'

interface Product {
  shape: number[]
  values: Float32Array
  rows: number
  cols: number
}

/** Offsets (in matrices) of each output batch entry into an operand whose batch shape broadcasts to `out`. */
function batchOffsets(shape: readonly number[], out: readonly number[]): number[] {
  const padded = [...Array.from({length: out.length - shape.length}, () => 1), ...shape]
  const offsets: number[] = []
  const total = sizeOf(out)
  for (let flat = 0; flat < total; flat++) {
    let rest = flat
    let offset = 0
    let stride = 1
    for (let d = out.length - 1; d >= 0; d--) {
      const dim = out[d] ?? 1
      const index = rest % dim
      rest = Math.floor(rest / dim)
      const own = padded[d] ?? 1
      offset += (own === 1 ? 0 : index) * stride
      stride *= own
    }
    offsets.push(offset)
  }
  return offsets
}

/** The sgemm product of a and b with tfjs' transpose and batch-broadcast rules; undefined for non-float32. */
function product(args: KernelArgs, ctx: KernelContext): Product | undefined {
  const {a, b} = args.inputs
  const av = floats(args.backend, a)
  const bv = floats(args.backend, b)
  if (a === undefined || b === undefined || av === undefined || bv === undefined || a.shape.length < 2 || b.shape.length < 2) return undefined
  const transA = args.attrs?.['transposeA'] === true
  const transB = args.attrs?.['transposeB'] === true
  const [aR, aC] = a.shape.slice(-2) as [number, number]
  const [bR, bC] = b.shape.slice(-2) as [number, number]
  const m = transA ? aC : aR
  const k = transA ? aR : aC
  const n = transB ? bR : bC
  if ((transB ? bC : bR) !== k) return undefined
  const outerA = a.shape.slice(0, -2)
  const outerB = b.shape.slice(0, -2)
  const outer = ctx.tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB)
  const batch = sizeOf(outer)
  const values = outputArray(batch * m * n)
  if (batch > 0 && m * n > 0) {
    const [batchA, batchB] = [sizeOf(outerA), sizeOf(outerB)]
    if ((batchA === batch || batchA === 1) && (batchB === batch || batchB === 1)) {
      ctx.addon.gemm(av, bv, values, batch, m, n, k, transA, transB, batchA === 1 ? 0 : m * k, batchB === 1 ? 0 : k * n, m * n, 0)
    } else {
      const offA = batchOffsets(outerA, outer)
      const offB = batchOffsets(outerB, outer)
      for (let i = 0; i < batch; i++) {
        const sa = (offA[i] ?? 0) * m * k
        const sb = (offB[i] ?? 0) * k * n
        ctx.addon.gemm(av.subarray(sa, sa + m * k), bv.subarray(sb, sb + k * n), values.subarray(i * m * n, (i + 1) * m * n), 1, m, n, k, transA, transB, 0, 0, 0, 0)
      }
    }
  }
  return {shape: [...outer, m, n], values, rows: batch * m, cols: n}
}

/** Kernel `BatchMatMul`. */
export const batchMatMul: BlasKernel = (args, ctx) => {
  const p = product(args, ctx)
  return p === undefined ? undefined : output(args.backend, p.shape, p.values)
}

/** Kernel `_FusedMatMul`: the product, then bias (broadcast along the last axis) and activation in one pass. */
export const fusedMatMul: BlasKernel = (args, ctx) => {
  const act = activationCode(args.attrs)
  if (act === undefined || args.inputs['preluActivationWeights'] !== undefined) return undefined
  const n = args.inputs['b']?.shape
  const cols = n === undefined ? 0 : (args.attrs?.['transposeB'] === true ? n[n.length - 2] : n[n.length - 1]) ?? 0
  const bias = columnBias(args.backend, args.inputs['bias'], cols)
  if (bias === undefined) return undefined
  const p = product(args, ctx)
  if (p === undefined) return undefined
  const alpha = Number(args.attrs?.['leakyreluAlpha'] ?? 0.2)
  if (bias !== null || act !== 0) ctx.addon.biasActivation(p.values, bias, p.rows, p.cols, act, alpha)
  return output(args.backend, p.shape, p.values)
}
