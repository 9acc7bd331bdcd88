/**
 * Parameter and byte counting over expected weights (KERAS-REFERENCE §4.3–4.4): a row counts all of a layer's
 * weights; totals count each layer once (shared layers de-duplicated) and split trainable / non-trainable;
 * bytes are Σ elements × dtype size, as tf.keras 2.13+ and Keras 3 print them.
 */
import type {WeightInfo} from './summary-types.js'

/** Bytes per element of a Keras variable dtype; unknown dtypes count as 4 (float32). */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float16: 2, bfloat16: 2, float32: 4, float64: 8, half: 2, float: 4, double: 8,
  int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1,
  complex64: 8, complex128: 16, float8_e4m3fn: 1, float8_e5m2: 1, int4: 1,
}

/** Size in bytes of one element of `dtype`. */
export function dtypeBytes(dtype: string): number {
  return DTYPE_BYTES[dtype] ?? 4
}

/** Elements of one weight (a scalar counts 1); null when a dimension is unknown. */
export function weightElements(w: WeightInfo): number | null {
  let n = 1
  for (const d of w.shape) {
    if (d === null) return null
    n *= d
  }
  return n
}

/** Counts of a list of weights; every field null when any weight's size is unknown. */
export interface WeightCounts {
  total: number | null
  trainable: number | null
  non_trainable: number | null
}

/** Parameter counts of a layer's weights; all null when the weights are unknown (null) or a size is unknown. */
export function countWeights(weights: WeightInfo[] | null): WeightCounts {
  if (weights === null) return {total: null, trainable: null, non_trainable: null}
  let trainable = 0
  let nonTrainable = 0
  for (const w of weights) {
    const n = weightElements(w)
    if (n === null) return {total: null, trainable: null, non_trainable: null}
    if (w.trainable) trainable += n
    else nonTrainable += n
  }
  return {total: trainable + nonTrainable, trainable, non_trainable: nonTrainable}
}

/** Totals over several layers' weights (each layer listed once); unknown layers are skipped and reported. */
export interface Totals {
  total_params: number
  trainable_params: number
  non_trainable_params: number
  total_bytes: number
  trainable_bytes: number
  non_trainable_bytes: number
  params_exact: boolean
}

/** Sums weights of the given layers; a null list or an unknown size makes the result a lower bound. */
export function totals(perLayer: Array<WeightInfo[] | null>): Totals {
  const out: Totals = {total_params: 0, trainable_params: 0, non_trainable_params: 0, total_bytes: 0, trainable_bytes: 0, non_trainable_bytes: 0, params_exact: true}
  for (const weights of perLayer) {
    if (weights === null) {
      out.params_exact = false
      continue
    }
    for (const w of weights) {
      const n = weightElements(w)
      if (n === null) {
        out.params_exact = false
        continue
      }
      const bytes = n * dtypeBytes(w.dtype)
      if (w.trainable) {
        out.trainable_params += n
        out.trainable_bytes += bytes
      } else {
        out.non_trainable_params += n
        out.non_trainable_bytes += bytes
      }
    }
  }
  out.total_params = out.trainable_params + out.non_trainable_params
  out.total_bytes = out.trainable_bytes + out.non_trainable_bytes
  return out
}

/**
 * A model's weights in Keras's saved order: every sublayer's trainable weights in layer order, then every
 * non-trainable one; a frozen model (`trainable: false`) keeps that order but marks all non-trainable.
 */
export function modelWeights(perLayer: Array<WeightInfo[] | null>, trainable: boolean): WeightInfo[] | null {
  if (perLayer.some((w) => w === null)) return null
  const all = perLayer.flatMap((w) => w ?? [])
  const ordered = [...all.filter((w) => w.trainable), ...all.filter((w) => !w.trainable)]
  return trainable ? ordered : ordered.map((w) => ({...w, trainable: false}))
}
