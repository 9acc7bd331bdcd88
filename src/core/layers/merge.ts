/**
 * Merge layers: element-wise (Add, Subtract, Multiply, Average, Maximum, Minimum) with Keras's broadcasting
 * rule, Concatenate along `axis`, and Dot with `axes`. None has weights. Keras 1's `Merge` is opaque.
 */
import type {Dim} from '../graph/summary-types.js'
import {axes, int, resolveAxis} from './config.js'
import {type LayerRule, type RuleTable, type Shape, UNKNOWN, single} from './types.js'

/** Broadcasts two dims as Keras's merge layers do: unknown wins, 1 stretches, otherwise the first. */
function broadcastDim(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null
  if (a === 1) return b
  return a
}

/** Keras's `_compute_elemwise_op_output_shape` on shapes without the batch dimension. */
function elementwise(a: Dim[], b: Dim[]): Dim[] {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a]
  const head = long.slice(0, long.length - short.length)
  const tail = long.slice(long.length - short.length).map((d, i) => broadcastDim(d, short[i] ?? null))
  return [...head, ...tail]
}

/** The merged batch dim: known only when every input agrees on it. */
function batchOf(shapes: Shape[]): Dim {
  const known = new Set(shapes.map((s) => s[0] ?? null))
  return known.size === 1 ? [...known][0] ?? null : null
}

function known(inputs: Array<Shape | null>): Shape[] | undefined {
  return inputs.every((s): s is Shape => s !== null) && inputs.length > 0 ? inputs : undefined
}

const elementwiseMerge: LayerRule = (input) => {
  const shapes = known(input.inputs)
  if (shapes === undefined) return UNKNOWN
  const rest = shapes.map((s) => s.slice(1)).reduce((acc, s) => elementwise(acc, s))
  return single([batchOf(shapes), ...rest])
}

const concatenate: LayerRule = (input) => {
  const shapes = known(input.inputs)
  if (shapes === undefined) return UNKNOWN
  const rank = shapes[0]?.length ?? 0
  const axis = resolveAxis(int(input.config, 'axis', -1), rank)
  if (axis < 0) return UNKNOWN
  const out: Shape = []
  for (let i = 0; i < rank; i++) {
    const dims = shapes.map((s) => s[i] ?? null)
    if (i === axis) out.push(dims.reduce<Dim>((a, b) => (a === null || b === null ? null : a + b), 0))
    else out.push(dims.find((d) => d !== null) ?? null)
  }
  return single(out)
}

const dot: LayerRule = (input) => {
  const shapes = known(input.inputs)
  const [a, b] = shapes ?? []
  if (a === undefined || b === undefined) return UNKNOWN
  const given = axes(input.config, 'axes', [-1]) ?? [-1]
  const pair = given.length === 1 ? [given[0] ?? -1, given[0] ?? -1] : given
  const ax = [resolveAxis(pair[0] ?? -1, a.length), resolveAxis(pair[1] ?? -1, b.length)]
  const left = a.filter((_, i) => i !== ax[0])
  const right = b.filter((_, i) => i !== ax[1]).slice(1)
  const out = [...left, ...right]
  return single(out.length === 1 ? [...out, 1] : out)
}

/**
 * Keras 1 `Merge` used as a functional layer: `mode` sum / mul / ave / max → element-wise, concat on
 * `concat_axis`, dot / cos on `dot_axes` (cos yields (batch, 1)). A Sequential-branch Merge stays opaque.
 */
const legacyMerge: LayerRule = (input) => {
  const mode = typeof input.config.mode === 'string' ? input.config.mode : 'sum'
  if (mode === 'concat') return concatenate({...input, config: {axis: int(input.config, 'concat_axis', -1)}})
  if (mode === 'dot') return dot({...input, config: {axes: input.config.dot_axes ?? -1}})
  if (mode === 'cos') return single([input.inputs[0]?.[0] ?? null, 1])
  if (['sum', 'mul', 'ave', 'max'].includes(mode)) return elementwiseMerge(input)
  return UNKNOWN
}

/** Rules of this family. */
export const MERGE_RULES: RuleTable = {
  Add: elementwiseMerge,
  Subtract: elementwiseMerge,
  Multiply: elementwiseMerge,
  Average: elementwiseMerge,
  Maximum: elementwiseMerge,
  Minimum: elementwiseMerge,
  Concatenate: concatenate,
  Dot: dot,
  Merge: legacyMerge,
}
