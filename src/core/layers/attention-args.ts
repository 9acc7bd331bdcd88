/**
 * Argument schemas and call-time refusals of Attention, AdditiveAttention and MultiHeadAttention, per
 * generation: Keras 3 checks arguments in `__init__` and only shapes MultiHeadAttention's key / value at build
 * (its symbolic call runs `compute_output_spec`, no math); tf-keras checks little in `__init__` but builds
 * and runs the call on the graph, so TensorFlow refuses sizes that do not multiply.
 */
import {type Json, type JsonObject, isArray} from '../json.js'
import type {Shape} from './types.js'
import {
  type ArgCheck, type ArgTable, type CrossCheck, type Generation, nullable, oneOf, perGeneration, pyInt,
  pyNumber, pyTruthy,
} from './args.js'
import {constraint, initializer, regularizer} from './identifiers.js'

/** `dropout > 0` must be a valid comparison (both generations). */
const comparable: ArgCheck = (v) => (pyNumber(v) ? undefined : 'a number')

/** Keras 3 `Dropout(rate)`: a number in [0, 1]; tf-keras checks the range only for ints and floats. */
const dropoutRate: ArgCheck = perGeneration({
  keras3: (v) => (pyNumber(v) && Number(v) >= 0 && Number(v) <= 1 ? undefined : 'a number between 0 and 1'),
  keras2: (v) => (!pyNumber(v) || (Number(v) >= 0 && Number(v) <= 1) ? undefined : 'a number between 0 and 1'),
})

/** Keras 3 `SeedGenerator(seed)` when dropout > 0: None or an int. */
const seedCheck: CrossCheck = (cfg, ctx) => {
  const dropout = cfg.dropout ?? 0
  const seed = cfg.seed ?? null
  if (ctx.generation !== 'keras3' || !pyNumber(dropout) || !(Number(dropout) > 0) || seed === null || pyInt(seed)) return undefined
  return {key: 'seed', message: `Argument \`seed\` must be an integer, found ${JSON.stringify(seed)}`}
}

/**
 * tf-keras MultiHeadAttention hands these to TensorFlow as shape sizes: non-bool ints ≥ `min`. Beyond 2^53 a
 * JSON number is a float to Python (`1e300`) or an int whose weights no machine allocates: refused either way.
 */
const tfDim = (min: number): ArgCheck => (v) => (safeIntAtLeast(v, min) ? undefined : min === 1 ? 'a positive integer' : `an integer ≥ ${min}`)
const safeIntAtLeast = (v: Json, min: number): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= min

/** Keras 3 `isinstance(v, int) and v > 0` (bool included), bounded as `tfDim`. */
const positiveInt: ArgCheck = (v) => (v === true || safeIntAtLeast(v, 1) ? undefined : 'a positive integer')

/** A shape size of `output_shape`: Keras 3 accepts bools (a Python int), tf-keras does not. */
const sizeOk = (x: Json, g: Generation): boolean => (g === 'keras3' && typeof x === 'boolean') || (typeof x === 'number' && Number.isInteger(x) && x >= 0)

/** `output_shape`: falsy means the query's last size; else an int or a list of sizes ≥ 0. */
const outputShape: ArgCheck = (v, ctx) => {
  if (!pyTruthy(v)) return undefined
  if (sizeOk(v, ctx.generation) || (isArray(v) && v.every((x) => sizeOk(x, ctx.generation)))) return undefined
  return 'an integer ≥ 0 or a list of them'
}

/** `attention_axes`: None, an int or a list of ints (range checked at build against the value's rank). */
const attentionAxes: ArgCheck = (v) => {
  if (v === null || pyInt(v) || (isArray(v) && v.every(pyInt)) || !pyTruthy(v)) return undefined
  return 'an integer or a list of integers'
}

/** Keras 3: `flash_attention=True` refuses dropout. */
const flashCheck: CrossCheck = (cfg, ctx) => {
  const dropout = cfg.dropout ?? 0
  if (ctx.generation !== 'keras3' || !pyTruthy(cfg.flash_attention ?? null) || !pyNumber(dropout) || !(Number(dropout) > 0)) return undefined
  return {key: 'dropout', message: `Dropout is not supported when flash attention is enabled (dropout=${JSON.stringify(dropout)})`}
}

const OBJECTS: Record<string, ArgCheck> = {
  kernel_initializer: initializer, bias_initializer: initializer, kernel_regularizer: regularizer,
  bias_regularizer: regularizer, activity_regularizer: regularizer, kernel_constraint: constraint, bias_constraint: constraint,
}

const scoreMode = oneOf('dot', 'concat')

/** Argument schemas of the attention layers this module covers. */
export const ATTENTION_ARG_TABLE: ArgTable = {
  Attention: {args: {score_mode: scoreMode, dropout: comparable}, cross: [seedCheck]},
  AdditiveAttention: {args: {score_mode: perGeneration({keras3: scoreMode, keras2: () => undefined}), dropout: comparable}, cross: [seedCheck]},
  MultiHeadAttention: {
    required: ['num_heads', 'key_dim'],
    args: {
      num_heads: perGeneration({keras3: positiveInt, keras2: tfDim(0)}),
      key_dim: perGeneration({keras3: positiveInt, keras2: tfDim(1)}),
      value_dim: perGeneration({keras3: nullable(positiveInt), keras2: (v, ctx) => (pyTruthy(v) ? tfDim(1)(v, ctx) : undefined)}),
      dropout: dropoutRate,
      output_shape: outputShape,
      attention_axes: attentionAxes,
      sliding_window: perGeneration({keras3: nullable(positiveInt), keras2: () => undefined}),
      ...OBJECTS,
    },
    cross: [flashCheck, seedCheck],
  },
}

// ---- call-time refusals ----

const show = (shape: Shape): string => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`
/** Sizes that TensorFlow can broadcast (or unknown). */
const broadcastable = (a: Shape[number] | undefined, b: Shape[number] | undefined): boolean =>
  a === null || b === null || a === undefined || b === undefined || a === b || a === 1 || b === 1
const known = (a: Shape[number] | undefined, b: Shape[number] | undefined): boolean => a !== null && b !== null && a !== undefined && b !== undefined

/**
 * tf-keras Attention / AdditiveAttention, run on the graph: query·keyᵀ (dot: equal last sizes; concat and
 * additive: broadcastable ones), then scores·value (key and value share the time size); additive `scale` has
 * the value's last size.
 */
export function denseAttentionRefusal(cfg: JsonObject, additive: boolean, q: Shape, v: Shape, k: Shape): string | undefined {
  const [dq, dk, dv] = [q.at(-1), k.at(-1), v.at(-1)]
  const concat = additive || cfg.score_mode === 'concat'
  if (concat ? !broadcastable(dq, dk) : known(dq, dk) && dq !== dk) {
    return `Dimensions must be equal, but are ${String(dq)} and ${String(dk)} (query ${show(q)}, key ${show(k)})`
  }
  if (k !== v && known(k.at(-2), v.at(-2)) && k.at(-2) !== v.at(-2) && k.length >= 2 && v.length >= 2) {
    return `Dimensions must be equal, but are ${String(k.at(-2))} and ${String(v.at(-2))} (key ${show(k)}, value ${show(v)})`
  }
  if (additive && pyTruthy(cfg.use_scale ?? true)) {
    const dqk = dq === 1 ? dk : dq
    if (!broadcastable(dqk, dv)) return `Dimensions must be equal, but are ${String(dqk)} and ${String(dv)} (the scale has the value's last size)`
  }
  return undefined
}

/** The `attention_axes` list as ints (None → undefined: the default), or null when not ints. */
function axesOf(raw: Json | undefined): number[] | undefined | null {
  if (raw === undefined || raw === null) return undefined
  if (pyInt(raw)) return [Number(raw)]
  if (isArray(raw)) return raw.every(pyInt) ? raw.map(Number) : null
  return pyTruthy(raw) ? null : []
}

/** Keras 3 MultiHeadAttention: key and value agree except on the last axis; axes index the projected rank. */
function keras3Mha(cfg: JsonObject, v: Shape, k: Shape, keyGiven: boolean): string | undefined {
  if (keyGiven && (v.length !== k.length || v.slice(1, -1).some((d, i) => d !== k[i + 1]))) {
    return `All dimensions of \`value\` and \`key\`, except the last one, must be equal. Received: value_shape=${show(v)} and key_shape=${show(k)}`
  }
  const axes = axesOf(cfg.attention_axes)
  if (!axes) return undefined
  const rank = v.length + 1
  const bad = axes.find((a) => {
    const r = a >= 0 ? a : rank - 1 + a
    return r < -rank || r >= rank
  })
  return bad === undefined ? undefined : `attention_axes ${JSON.stringify(axes)}: index ${bad} is out of bounds for the projected rank ${rank}`
}

/**
 * tf-keras MultiHeadAttention, built and run on the graph: query, key and value of one rank, key and value
 * agreeing except on the last axis, attention axes in range, distinct and not the projected channel axis, and
 * the other (batch-like) axes of equal size in query and key.
 */
function keras2Mha(cfg: JsonObject, q: Shape, v: Shape, k: Shape): string | undefined {
  if (q.length !== v.length || k.length !== v.length) return `query ${show(q)}, key ${show(k)} and value ${show(v)} must have the same rank`
  if (v.slice(1, -1).some((d, i) => known(d, k[i + 1]) && d !== k[i + 1])) return `key ${show(k)} and value ${show(v)} must agree except on the last axis`
  const rank = v.length + 1
  const given = axesOf(cfg.attention_axes)
  if (given === null) return undefined
  const axes = given ?? Array.from({length: Math.max(0, rank - 3)}, (_, i) => i + 1)
  if (axes.some((a) => a < -rank || a >= rank)) return `attention_axes ${JSON.stringify(axes)} out of bounds for the projected rank ${rank}`
  const resolved = axes.map((a) => (a < 0 ? a + rank : a))
  if (resolved.includes(rank - 1) || new Set(resolved).size !== resolved.length) return `attention_axes ${JSON.stringify(axes)}: an einsum label would appear more than once`
  for (let i = 1; i < rank - 2; i++) {
    if (!resolved.includes(i) && known(q[i], k[i]) && q[i] !== k[i]) return `Dimensions must be equal, but are ${String(k[i])} and ${String(q[i])} (axis ${i} is not an attention axis: query ${show(q)}, key ${show(k)})`
  }
  return undefined
}

/** MultiHeadAttention's refusal for these query / value / key shapes, in the generation's rules. */
export function mhaRefusal(cfg: JsonObject, g: Generation, q: Shape, v: Shape, k: Shape, keyGiven: boolean): string | undefined {
  return g === 'keras3' ? keras3Mha(cfg, v, k, keyGiven) : keras2Mha(cfg, q, v, k)
}
