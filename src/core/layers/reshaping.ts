/**
 * Reshaping layers: Reshape (one -1 inferred), Flatten, Permute, RepeatVector, and Cropping / UpSampling /
 * ZeroPadding in 1, 2 and 3 dimensions (reshaping-spatial.ts). None has weights. Each rule also refuses the
 * calls Keras refuses: a Reshape that changes the total size, an input rank the layer's InputSpec rejects.
 */
import {type Json, isArray} from '../json.js'
import type {Dim} from '../graph/summary-types.js'
import {type Generation, generationFor, intValue, pyInt} from './args.js'
import {product} from './config.js'
import {SPATIAL_RESHAPING_RULES, pyShape, rankError} from './reshaping-spatial.js'
import {type LayerRule, type RuleTable, type Shape, UNKNOWN, first, refuse, single} from './types.js'

export {RESHAPING_ARGS} from './reshaping-args.js'

/** `target_shape` entries as Keras 3 reads them: ints (bools as 0/1), anything else unknown (None). */
const targetDims = (raw: Json[]): Dim[] => raw.map((d) => (pyInt(d) ? intValue(d) : null))

/**
 * What Keras refuses when reshaping `rest` (the input without its batch axis) to `target`: Keras 3's
 * `compute_reshape_output_shape` (checked only when every dim is known), tf-keras's `_fix_unknown_dimension`
 * (every negative entry counts as the unknown one) and `tf.reshape`'s "Dimension -2 must be >= 0".
 */
function reshapeError(rest: Dim[], target: Dim[], g: Generation): string | undefined {
  const shown = `input_shape=${pyShape(rest)}, target_shape=${pyShape(target)}`
  if (rest.includes(null) || target.includes(null)) {
    return g === 'keras2' && target.some((d) => d !== null && d < -1) ? `Dimension ${target.find((d) => d !== null && d < -1)} must be >= 0 (${shown})` : undefined
  }
  const dims = target as number[]
  if (g === 'keras3' && dims.some((d) => d < -1)) return undefined // the argument check refuses it
  const unknown = dims.filter((d) => (g === 'keras2' ? d < 0 : d === -1)).length
  if (unknown > 1) return g === 'keras2' ? `There must be at most one unknown dimension in output_shape (${shown})` : undefined
  const size = product(rest) ?? 0
  const known = dims.filter((d) => d >= 0).reduce((a, b) => a * b, 1)
  if (unknown === 1 ? known === 0 || size % known !== 0 : size !== known) return `The total size of the tensor must be unchanged (${shown})`
  return undefined
}

const reshape: LayerRule = (input) => {
  const raw = input.config.target_shape ?? input.config.dims
  if (!isArray(raw)) return UNKNOWN
  const shape = first(input)
  const g = generationFor(input.keras_version, input.dialect)
  const target = targetDims(raw)
  const rest = shape?.slice(1) ?? null
  if (rest !== null) {
    const problem = reshapeError(rest, target, g)
    if (problem !== undefined) return refuse(problem)
  }
  const batch = shape?.[0] ?? null
  const unknownAt = target.findIndex((d) => d !== null && d < 0)
  const size = rest === null || target.includes(null) ? null : product(rest)
  const known = product(target.filter((_, i) => i !== unknownAt))
  const inferred = size === null || known === null || known === 0 ? null : size / known
  return single([batch, ...target.map((d, i) => (i === unknownAt ? inferred : d))])
}

/** Flatten: Keras 3's `InputSpec(min_ndim=1)` refuses a rank-0 input (tf-keras flattens it). */
const flatten: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  if (shape.length === 0 && generationFor(input.keras_version, input.dialect) === 'keras3') {
    return refuse('Input 0 is incompatible with the layer: expected min_ndim=1, found ndim=0. Full shape received: ()')
  }
  return single([shape[0] ?? null, shape.length <= 1 ? 1 : product(shape.slice(1))])
}

/** Permute: `InputSpec(ndim=len(dims) + 1)`. */
const permute: LayerRule = (input) => {
  const shape = first(input)
  const dims = input.config.dims
  if (shape === null || !isArray(dims) || !dims.every(pyInt)) return UNKNOWN
  const problem = rankError(shape, dims.length + 1)
  if (problem !== undefined) return refuse(problem)
  return single([shape[0] ?? null, ...dims.map((d) => shape[intValue(d)] ?? null)])
}

/** RepeatVector: `InputSpec(ndim=2)`; tf-keras's `n = -1` repeats an unknown number of times. */
const repeatVector: LayerRule = (input) => {
  const shape = first(input)
  if (shape !== null) {
    const problem = rankError(shape, 2)
    if (problem !== undefined) return refuse(problem)
  }
  const n = input.config.n ?? 1
  const times: Shape[number] = pyInt(n) ? (intValue(n) < 0 ? null : intValue(n)) : null
  return single([shape?.[0] ?? null, times, shape?.[1] ?? null])
}

/** Rules of this family. */
export const RESHAPING_RULES: RuleTable = {
  Reshape: reshape,
  Flatten: flatten,
  Permute: permute,
  RepeatVector: repeatVector,
  ...SPATIAL_RESHAPING_RULES,
}
