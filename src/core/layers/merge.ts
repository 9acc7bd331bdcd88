/**
 * Merge layers: element-wise (Add, Subtract, Multiply, Average, Maximum, Minimum) with Keras's broadcasting
 * rule, Concatenate along `axis`, and Dot with `axes`. None has weights. Keras 1's `Merge` is opaque.
 * The rules refuse what `Merge.build` / `compute_output_shape` refuse in Keras 3 and tf-keras alike: dims that
 * neither match nor broadcast, different batch sizes, Concatenate shapes that differ off the axis, Dot axes out
 * of range or of different sizes, Subtract / Dot on other than two inputs.
 */
import type {Json} from '../json.js'
import {isArray} from '../json.js'
import type {Dim} from '../graph/summary-types.js'
import {int, resolveAxis} from './config.js'
import {type LayerRule, type RuleInput, type RuleResult, type RuleTable, type Shape, UNKNOWN, refuse, single} from './types.js'
import {type ArgCheck, type ArgTable, generationFor, intValue, pyInt} from './args.js'
import {pyShape} from './reshaping-spatial.js'

/** Broadcasts two dims as Keras's merge layers do: unknown wins, 1 stretches, otherwise the first. */
function broadcastDim(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null
  if (a === 1) return b
  return a
}

/** Keras's `_compute_elemwise_op_output_shape` on shapes without the batch dimension (mismatches aside). */
function elementwise(a: Dim[], b: Dim[]): Dim[] {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a]
  const head = long.slice(0, long.length - short.length)
  const tail = long.slice(long.length - short.length).map((d, i) => broadcastDim(d, short[i] ?? null))
  return [...head, ...tail]
}

/** The first pair of aligned dims that neither match nor broadcast (Keras: "Inputs have incompatible shapes"). */
function elementwiseError(a: Dim[], b: Dim[]): string | undefined {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a]
  const offset = long.length - short.length
  const clash = short.some((j, k) => {
    const i = long[offset + k] ?? null
    return i !== null && j !== null && i !== 1 && j !== 1 && i !== j
  })
  return clash ? `Inputs have incompatible shapes. Received shapes ${pyShape(a)} and ${pyShape(b)}` : undefined
}

/** The merged batch dim: known only when every input agrees on it. */
function batchOf(shapes: Shape[]): Dim {
  const known = new Set(shapes.map((s) => s[0] ?? null))
  return known.size === 1 ? [...known][0] ?? null : null
}

function known(inputs: Array<Shape | null>): Shape[] | undefined {
  return inputs.every((s): s is Shape => s !== null) && inputs.length > 0 ? inputs : undefined
}

/** `Merge.build`: tensors of different known batch sizes cannot be merged. */
function batchError(shapes: Shape[]): string | undefined {
  const sizes = new Set(shapes.map((s) => s[0] ?? null).filter((d) => d !== null))
  return sizes.size > 1 ? `Cannot merge tensors with different batch sizes. Received tensors with shapes ${shapes.map(pyShape).join(', ')}` : undefined
}

/**
 * The shapes `build` checks: in Keras 3 the loader builds a layer on its `build_config.input_shape` before the
 * call (and never again), so `build`'s checks see those; tf-keras builds on the call's inputs.
 */
function builtOn(input: RuleInput, shapes: Shape[]): Shape[] {
  return generationFor(input.keras_version, input.dialect) === 'keras3' && input.build_shapes !== undefined ? input.build_shapes : shapes
}

/** A rule for a merge layer whose `build` wants exactly `count` inputs (Subtract, Dot), else `rule` itself. */
function exactly(count: number, name: string, rule: LayerRule): LayerRule {
  return (input) => {
    const n = builtOn(input, input.inputs as Shape[]).length
    return n === count ? rule(input) : refuse(`A \`${name}\` layer should be called on exactly ${count} inputs. Received ${n} inputs`)
  }
}

const elementwiseMerge: LayerRule = (input) => {
  const shapes = known(input.inputs)
  if (shapes === undefined) return UNKNOWN
  const built = builtOn(input, shapes)
  const problem = batchError(built) ?? (built === shapes ? undefined : foldError(built))
  if (problem !== undefined) return refuse(problem)
  const clash = foldError(shapes)
  if (clash !== undefined) return refuse(clash)
  const rest = shapes.map((s) => s.slice(1)).reduce((acc, s) => elementwise(acc, s))
  return single([batchOf(shapes), ...rest])
}

/** Folds the inputs (without batch) through `_compute_elemwise_op_output_shape`, stopping at a mismatch. */
function foldError(shapes: Shape[]): string | undefined {
  let rest = shapes[0]?.slice(1) ?? []
  for (const shape of shapes.slice(1)) {
    const clash = elementwiseError(rest, shape.slice(1))
    if (clash !== undefined) return clash
    rest = elementwise(rest, shape.slice(1))
  }
  return undefined
}

/** Python's `del shape[axis]` (undefined when the index is out of range). */
function without(shape: Shape, axis: number): Shape | undefined {
  const at = axis < 0 ? axis + shape.length : axis
  return at >= 0 && at < shape.length ? shape.filter((_, i) => i !== at) : undefined
}

const outOfRange = (axis: number, shape: Shape): string => `Concatenate axis ${axis} is out of range for an input of shape ${pyShape(shape)}`

/**
 * `Concatenate.build`: `del shape[axis]` on every input (Keras 3 skips a positive axis past the end), then the
 * shapes without the axis must agree wherever both dims are known.
 */
function concatenateError(shapes: Shape[], axis: number, keras3: boolean): string | undefined {
  const reduced: Shape[] = []
  for (const shape of shapes) {
    const rest = without(shape, axis)
    if (rest === undefined && !(keras3 && axis >= 0)) return outOfRange(axis, shape)
    reduced.push(rest ?? shape)
  }
  const mismatch = `A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[${shapes.map(pyShape).join(', ')}]`
  const rank = reduced[0]?.length ?? 0
  if (reduced.some((s) => s.length !== rank)) return mismatch
  for (let i = 0; i < rank; i++) {
    if (new Set(reduced.map((s) => s[i] ?? null).filter((d) => d !== null)).size > 1) return mismatch
  }
  return undefined
}

const concatenate: LayerRule = (input) => {
  const shapes = known(input.inputs)
  if (shapes === undefined) return UNKNOWN
  const raw = input.config.axis ?? -1
  if (!pyInt(raw)) return UNKNOWN
  const keras3 = generationFor(input.keras_version, input.dialect) === 'keras3'
  const problem = concatenateError(builtOn(input, shapes), intValue(raw), keras3)
  if (problem !== undefined) return refuse(problem)
  // Keras 3's compute_output_shape indexes every input at the axis once there are two or more.
  const short = keras3 && shapes.length > 1 ? shapes.find((s) => without(s, intValue(raw)) === undefined) : undefined
  if (short !== undefined) return refuse(outOfRange(intValue(raw), short))
  const rank = shapes[0]?.length ?? 0
  const axis = resolveAxis(intValue(raw), rank)
  if (axis < 0) return UNKNOWN
  const out: Shape = []
  for (let i = 0; i < rank; i++) {
    const dims = shapes.map((s) => s[i] ?? null)
    if (i === axis) out.push(dims.reduce<Dim>((a, b) => (a === null || b === null ? null : a + b), 0))
    else out.push(dims.find((d) => d !== null) ?? null)
  }
  return single(out)
}

/** Dot's axes as `build` indexes them: a negative int wraps (Python `%`) per input; a list is used as given. */
function dotAxes(value: Json, a: Shape, b: Shape): [number, number] | undefined {
  if (pyInt(value)) {
    const v = intValue(value)
    return v < 0 ? [((v % a.length) + a.length) % a.length, ((v % b.length) + b.length) % b.length] : [v, v]
  }
  if (isArray(value) && value.length === 2 && value.every(pyInt)) return [intValue(value[0] as number), intValue(value[1] as number)]
  return undefined
}

/**
 * `Dot.build` (and `compute_output_shape`'s `pop`): both axes must exist; with `sizes`, their sizes must be equal
 * too (an unknown size only equals another unknown).
 */
function dotError(a: Shape, b: Shape, ax: [number, number], sizes: boolean): string | undefined {
  const at = (s: Shape, i: number): Dim | undefined => (i >= -s.length && i < s.length ? s.at(i) : undefined)
  const [da, db] = [at(a, ax[0]), at(b, ax[1])]
  if (da === undefined || db === undefined) return `Dot axes ${JSON.stringify(ax)} are out of range for input shapes ${pyShape(a)}, ${pyShape(b)}`
  if (sizes && da !== db) return `Incompatible input shapes: axis values ${da ?? 'None'} (at axis ${ax[0]}) != ${db ?? 'None'} (at axis ${ax[1]}). Full input shapes: ${pyShape(a)}, ${pyShape(b)}`
  return undefined
}

const dot: LayerRule = (input): RuleResult => {
  const shapes = known(input.inputs)
  const [a, b] = shapes ?? []
  if (a === undefined || b === undefined) return UNKNOWN
  const [ba, bb] = builtOn(input, [a, b])
  const bx = ba === undefined || bb === undefined ? undefined : dotAxes(input.config.axes ?? -1, ba, bb)
  const ax = dotAxes(input.config.axes ?? -1, a, b)
  const problem = (ba && bb && bx && dotError(ba, bb, bx, true)) || (ax && dotError(a, b, ax, false))
  if (problem) return refuse(problem)
  const resolved = ax === undefined ? [a.length - 1, b.length - 1] : [resolveAxis(ax[0], a.length), resolveAxis(ax[1], b.length)]
  const left = a.filter((_, i) => i !== resolved[0])
  const right = b.filter((_, i) => i !== resolved[1]).slice(1)
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
  Subtract: exactly(2, 'Subtract', elementwiseMerge),
  Multiply: elementwiseMerge,
  Average: elementwiseMerge,
  Maximum: elementwiseMerge,
  Minimum: elementwiseMerge,
  Concatenate: concatenate,
  Dot: exactly(2, 'Dot', dot),
  Merge: legacyMerge,
}

/** Concatenate's `axis`: indexes shape lists, so a Python int (bools too). */
const axisArg: ArgCheck = (v) => (pyInt(v) ? undefined : 'an integer')

/** Dot's `axes`: an int, or a list of exactly two ints (`Dot.__init__`, the same in both generations). */
const dotAxesArg: ArgCheck = (v) => (pyInt(v) || (isArray(v) && v.length === 2 && v.every(pyInt)) ? undefined : 'an integer or a list of two integers')

/** Argument schemas of this family (layers/args.ts), by class name. `normalize` is not checked by Keras. */
export const MERGE_ARGS: ArgTable = {
  Concatenate: {args: {axis: axisArg}},
  Dot: {required: ['axes'], args: {axes: dotAxesArg}},
}
