/**
 * GatherV2 and UnsortedSegmentSum, the pair behind Embedding (the lookup and its gradient) and behind
 * tfjs-layers' batch slicing in fit(). The cpu backend gathers element by element through index arithmetic,
 * and sums segments one mask at a time (O(segments × rows): a 10,000-word vocabulary makes 10,000 passes).
 * Here a gather copies whole rows and a segment sum is one scatter-add pass. Float32 (and int32 for gather)
 * only; batchDims > 0 and out-of-range indices go back to tfjs, whose kernel reports the error.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core'
import {type BlasKernel, type CpuBackend, floats, output, sizeOf} from './common.js'

function int32s(backend: unknown, info: TensorInfo | undefined): Int32Array | undefined {
  if (info === undefined || info.dtype !== 'int32') return undefined
  const values = (backend as CpuBackend).data.get(info.dataId)?.values
  return values instanceof Int32Array ? values : undefined
}

/** Kernel `GatherV2` (batchDims 0). */
export const gatherV2: BlasKernel = (args, ctx) => {
  const {x, indices} = args.inputs
  const iv = int32s(args.backend, indices)
  const xv = x?.dtype === 'int32' ? int32s(args.backend, x) : floats(args.backend, x)
  if (x === undefined || indices === undefined || xv === undefined || iv === undefined) return undefined
  if (Number(args.attrs?.['batchDims'] ?? 0) !== 0) return undefined
  const axis = ctx.tf.util.parseAxisParam((args.attrs?.['axis'] ?? 0) as number, x.shape)[0] ?? 0
  const dim = x.shape[axis] ?? 0
  for (const i of iv) if (i < 0 || i >= dim) return undefined
  const outer = sizeOf(x.shape.slice(0, axis))
  const inner = sizeOf(x.shape.slice(axis + 1))
  const out = x.dtype === 'int32' ? new Int32Array(outer * iv.length * inner) : new Float32Array(outer * iv.length * inner)
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < iv.length; k++) {
      const from = (o * dim + (iv[k] as number)) * inner
      const to = (o * iv.length + k) * inner
      if (inner === 1) out[to] = xv[from] as number
      else out.set(xv.subarray(from, from + inner), to)
    }
  }
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)]
  return (args.backend as CpuBackend).makeTensorInfo(shape, x.dtype, out)
}

/** Kernel `UnsortedSegmentSum`: rows whose segment id is outside [0, numSegments) are dropped, as in tfjs. */
export const unsortedSegmentSum: BlasKernel = (args) => {
  const {x, segmentIds} = args.inputs
  const xv = floats(args.backend, x)
  const ids = int32s(args.backend, segmentIds)
  const segments = Number(args.attrs?.['numSegments'])
  if (x === undefined || segmentIds === undefined || xv === undefined || ids === undefined || !Number.isInteger(segments)) return undefined
  const shape = [segments, ...x.shape.slice(segmentIds.shape.length)]
  const inner = sizeOf(shape.slice(1))
  if (ids.length * inner !== xv.length) return undefined
  const out = new Float32Array(segments * inner)
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r] as number
    if (id < 0 || id >= segments) continue
    const from = r * inner
    const to = id * inner
    for (let j = 0; j < inner; j++) out[to + j] = (out[to + j] as number) + (xv[from + j] as number)
  }
  return output(args.backend, shape, out)
}
