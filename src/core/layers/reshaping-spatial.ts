/**
 * Cropping / ZeroPadding / UpSampling in 1, 2 and 3 dimensions: output shapes, and the calls Keras refuses —
 * an input of the wrong rank (`InputSpec(ndim=n + 2)`), a crop that leaves nothing, a fractional amount (Keras 3
 * builds a float dimension on a known axis; tf-keras slices or pads with a float), a negative padded size.
 */
import {type Json, type JsonObject, isArray} from '../json.js'
import type {Dim} from '../graph/summary-types.js'
import {type Generation, generationFor, pyIntCast} from './args.js'
import {channelsFirst} from './config.js'
import {joinChannels, splitChannels} from './conv.js'
import {type LayerRule, type RuleInput, type RuleResult, type Shape, UNKNOWN, first, refuse, single} from './types.js'

type Pair = [number, number]

/** Python's `(None, 8, 2)` for a shape in a message. */
export function pyShape(shape: readonly Dim[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)))
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`
}

/** `InputSpec(ndim=…)`: the sentence Keras raises for an input of another rank, or undefined. */
export function rankError(shape: Shape, ndim: number): string | undefined {
  return shape.length === ndim ? undefined : `Input 0 is incompatible with the layer: expected ndim=${ndim}, found ndim=${shape.length}. Full shape received: ${pyShape(shape)}`
}

const num = (v: Json | undefined): number | undefined => (typeof v === 'number' || typeof v === 'boolean' ? Number(v) : undefined)

/** `cropping`/`padding` as `[before, after]` per axis: `1`, `[1, 2]` (1D), `[[1, 1], [2, 2]]`, `[1, 2]` (2D: symmetric per axis). */
function amounts(value: Json | undefined, n: number, fallback: number): Pair[] {
  const pair = (v: Json | undefined): Pair | undefined => {
    const one = num(v)
    if (one !== undefined) return [one, one]
    const [a, b] = isArray(v) && v.length === 2 ? [num(v[0]), num(v[1])] : []
    return a !== undefined && b !== undefined ? [a, b] : undefined
  }
  const whole = num(value)
  if (whole !== undefined) return Array.from({length: n}, () => [whole, whole])
  const pairs = n === 1 ? [pair(value)] : isArray(value) && value.length === n ? value.map(pair) : []
  return pairs.length === n && pairs.every((p) => p !== undefined) ? (pairs as Pair[]) : Array.from({length: n}, () => [fallback, fallback])
}

/** Python's `len(range(d)[start:stop])`: how many steps a slice keeps (tf-keras crops by slicing). */
function sliceLength(d: number, start: number, stop: number): number {
  const clamp = (i: number): number => (i < 0 ? Math.max(i + d, 0) : Math.min(i, d))
  return Math.max(clamp(stop) - clamp(start), 0)
}

const fractional = (pairs: Pair[]): boolean => pairs.some(([a, b]) => !Number.isInteger(a) || !Number.isInteger(b))

interface Op {
  /** New dims for the spatial dims, or a refusal. */
  apply: (spatial: Dim[], cfg: JsonObject, g: Generation) => Dim[] | string
  /** Whether the layer reads `data_format` (1D layers do not, except Keras 3 ZeroPadding1D). */
  formatted: (g: Generation) => boolean
}

/** One spatial layer: checks the rank, splits the channels off, applies `op`. */
function spatialRule(n: number, op: Op): LayerRule {
  return (input: RuleInput): RuleResult => {
    const shape = first(input)
    if (shape === null) return UNKNOWN
    const problem = rankError(shape, n + 2)
    if (problem !== undefined) return refuse(problem)
    const g = generationFor(input.keras_version, input.dialect)
    const cf = op.formatted(g) && channelsFirst(input.config)
    const {spatial, channels} = splitChannels(shape, cf)
    const out = op.apply(spatial, input.config, g)
    if (typeof out === 'string') return refuse(`${out}. Received: input_shape=${pyShape(shape)}`)
    return single(joinChannels(shape[0] ?? null, out, channels, cf))
  }
}

/** Cropping: Keras 3 refuses a crop leaving ≤ 0 on a known axis; tf-keras slices (1D/2D refuse crops ≥ the axis). */
function cropping(n: number, fallback: number): Op {
  return {
    formatted: () => n > 1,
    apply: (spatial, cfg, g) => {
      const pairs = amounts(cfg.cropping, n, fallback)
      if (g === 'keras2' && fractional(pairs)) return `cropping must be integers to slice with, found ${JSON.stringify(cfg.cropping)}`
      const out: Dim[] = []
      for (const [i, d] of spatial.entries()) {
        const [a, b] = pairs[i] ?? [0, 0]
        if (d === null) out.push(null)
        else if (g === 'keras3' && (d - a - b <= 0 || !Number.isInteger(a + b))) return `Values in \`cropping\` (${JSON.stringify(cfg.cropping)}) must be whole and smaller than the spatial dimension ${d}`
        else if (g === 'keras2' && n < 3 && a + b >= d) return `\`cropping\` (${JSON.stringify(cfg.cropping)}) must be smaller than the spatial dimension ${d}`
        else out.push(g === 'keras2' ? sliceLength(d, a, b === 0 ? d : -b) : d - a - b)
      }
      return out
    },
  }
}

/** ZeroPadding: Keras 3 refuses a negative or fractional size on a known axis; tf-keras pads with int amounts only. */
function padding(n: number): Op {
  return {
    formatted: (g) => n > 1 || g === 'keras3',
    apply: (spatial, cfg, g) => {
      const pairs = amounts(cfg.padding, n, 1)
      if (g === 'keras2' && fractional(pairs)) return `\`padding\` must be integers, found ${JSON.stringify(cfg.padding)}`
      const out: Dim[] = []
      for (const [i, d] of spatial.entries()) {
        const [a, b] = pairs[i] ?? [0, 0]
        const size = d === null ? null : d + a + b
        if (size !== null && (size < 0 || !Number.isInteger(size))) return `Cannot pad to a size of ${size}: dimensions must be non-negative integers`
        out.push(size)
      }
      return out
    },
  }
}

/** The factors of `size` (an int, or a list of n numbers; tf-keras UpSampling1D casts `int(size)`). */
function factors(value: Json | undefined, n: number, g: Generation): number[] {
  if (n === 1 && g === 'keras2') return [pyIntCast(value ?? 2) ?? 2]
  const one = num(value)
  if (one !== undefined) return Array.from({length: n}, () => one)
  const list = isArray(value) && value.length === n ? value.map(num) : []
  return list.length === n && list.every((x) => x !== undefined) ? (list as number[]) : Array.from({length: n}, () => 2)
}

/** UpSampling: Keras 3 refuses a fractional factor on a known axis; tf-keras truncates in 2D, refuses in 3D. */
function upsampling(n: number): Op {
  return {
    formatted: () => n > 1,
    apply: (spatial, cfg, g) => {
      let sizes = factors(cfg.size, n, g)
      if (g === 'keras2' && n === 3 && sizes.some((s) => !Number.isInteger(s))) return `\`size\` must be integers, found ${JSON.stringify(cfg.size)}`
      if (g === 'keras2') sizes = sizes.map(Math.trunc)
      const out: Dim[] = []
      for (const [i, d] of spatial.entries()) {
        const s = sizes[i] ?? 2
        if (d !== null && (!Number.isInteger(s) || (g === 'keras2' && n === 1 && s <= 0))) return `Cannot repeat an axis of ${d} by ${s}`
        out.push(d === null ? null : d * s)
      }
      return out
    },
  }
}

/** Rules of the spatial reshaping layers, by class name. */
export const SPATIAL_RESHAPING_RULES: Record<string, LayerRule> = Object.fromEntries(
  [1, 2, 3].flatMap((n) => [
    [`Cropping${n}D`, spatialRule(n, cropping(n, n === 2 ? 0 : 1))],
    [`ZeroPadding${n}D`, spatialRule(n, padding(n))],
    [`UpSampling${n}D`, spatialRule(n, upsampling(n))],
  ]),
)
