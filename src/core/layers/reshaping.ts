/**
 * Reshaping layers: Reshape (one -1 inferred), Flatten, Permute, RepeatVector, and Cropping / UpSampling /
 * ZeroPadding in 1, 2 and 3 dimensions. None has weights.
 */
import {type Json, type JsonObject, isArray, isInt} from '../json.js'
import type {Dim} from '../graph/summary-types.js'
import {channelsFirst, dimList, int, product, tuple} from './config.js'
import {joinChannels, splitChannels} from './conv.js'
import {type LayerRule, type RuleInput, type RuleTable, type Shape, UNKNOWN, first, single} from './types.js'

const reshape: LayerRule = (input) => {
  const shape = first(input)
  const target = dimList(input.config.target_shape) ?? dimList(input.config.dims)
  if (target === undefined) return UNKNOWN
  const batch = shape?.[0] ?? null
  const unknownAt = target.findIndex((d) => d === -1 || d === null)
  if (unknownAt === -1) return single([batch, ...target])
  const total = shape === null ? null : product(shape.slice(1))
  const known = product(target.filter((_, i) => i !== unknownAt))
  const inferred = total === null || known === null || known === 0 ? null : total / known
  return single([batch, ...target.map((d, i) => (i === unknownAt ? inferred : d))])
}

const flatten: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  return single([shape[0] ?? null, shape.length <= 1 ? 1 : product(shape.slice(1))])
}

const permute: LayerRule = (input) => {
  const shape = first(input)
  const dims = dimList(input.config.dims)
  if (shape === null || dims === undefined) return UNKNOWN
  return single([shape[0] ?? null, ...dims.map((d) => (d === null ? null : shape[d] ?? null))])
}

const repeatVector: LayerRule = (input) => {
  const shape = first(input)
  return single([shape?.[0] ?? null, int(input.config, 'n', 1), shape?.[1] ?? null])
}

/** `cropping`/`padding` as `[before, after]` per axis: `1`, `[1, 2]` (1D), `[[1, 1], [2, 2]]`, `[1, 2]` (2D: symmetric per axis). */
function amounts(value: Json | undefined, n: number, fallback: number): Array<[number, number]> {
  const pair = (v: Json | undefined): [number, number] =>
    isInt(v) ? [v, v] : isArray(v) && v.length === 2 && isInt(v[0]) && isInt(v[1]) ? [v[0], v[1]] : [fallback, fallback]
  if (isInt(value)) return Array.from({length: n}, () => [value, value])
  if (!isArray(value)) return Array.from({length: n}, () => [fallback, fallback])
  if (n === 1) return [pair(value)]
  if (value.length === n && value.every(isInt)) return value.map((v) => pair(v))
  return Array.from({length: n}, (_, i) => pair(value[i]))
}

/** 1D layers act on axis 1 of (batch, steps, features); 2D/3D layers on the spatial axes in their data format. */
function spatialOp(n: number, key: string, fallback: number, op: (d: Dim, a: [number, number], size: number) => Dim): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    if (shape === null || shape.length !== n + 2) return UNKNOWN
    const cfg: JsonObject = input.config
    const cf = n > 1 && channelsFirst(cfg)
    const {spatial, channels} = splitChannels(shape, cf)
    const pads = amounts(cfg[key], n, fallback)
    const sizes = key === 'size' ? tuple(cfg, 'size', n, 2) : []
    const out = spatial.map((d, i) => op(d, pads[i] ?? [0, 0], sizes[i] ?? 2))
    return single(joinChannels(shape[0] ?? null, out, channels, cf) as Shape)
  }
}

const crop = (d: Dim, a: [number, number]): Dim => (d === null ? null : d - a[0] - a[1])
const pad = (d: Dim, a: [number, number]): Dim => (d === null ? null : d + a[0] + a[1])
const upsample = (d: Dim, _a: [number, number], size: number): Dim => (d === null ? null : d * size)

/** Rules of this family. */
export const RESHAPING_RULES: RuleTable = {
  Reshape: reshape,
  Flatten: flatten,
  Permute: permute,
  RepeatVector: repeatVector,
  ...Object.fromEntries([1, 2, 3].flatMap((n) => [
    [`Cropping${n}D`, spatialOp(n, 'cropping', n === 2 ? 0 : 1, crop)],
    [`ZeroPadding${n}D`, spatialOp(n, 'padding', 1, pad)],
    [`UpSampling${n}D`, spatialOp(n, 'size', 2, upsample)],
  ])),
}
