/**
 * Readers for raw layer configs that accept every spelling Keras has written: ints or one-element lists for
 * `axis`, ints or tuples for `kernel_size`, dtype strings or DTypePolicy dicts, Keras 1 / Keras 2 / Keras 3 names.
 * Missing or ill-typed values fall back to Keras's defaults; rules never throw on odd configs.
 */
import {type Json, type JsonObject, isArray, isInt, isObject} from '../json.js'
import type {Dim} from '../graph/summary-types.js'

/** A whole number from `cfg[key]`, or `fallback`. */
export function int(cfg: JsonObject, key: string, fallback: number): number {
  const v = cfg[key]
  return isInt(v) ? v : fallback
}

/** A whole number or null (Keras `None`) from `cfg[key]`; `undefined` when absent. */
export function optInt(cfg: JsonObject, key: string): number | null | undefined {
  const v = cfg[key]
  if (v === null) return null
  return isInt(v) ? v : undefined
}

/** A string from `cfg[key]`, or `fallback`. */
export function str(cfg: JsonObject, key: string, fallback: string): string {
  const v = cfg[key]
  return typeof v === 'string' ? v : fallback
}

/** A boolean from `cfg[key]`, or `fallback`. */
export function bool(cfg: JsonObject, key: string, fallback: boolean): boolean {
  const v = cfg[key]
  return typeof v === 'boolean' ? v : fallback
}

/** `3` or `[3, 3]` or `[3]` → an n-tuple (`kernel_size`, `strides`, `dilation_rate`, `size`). */
export function tuple(cfg: JsonObject, key: string, n: number, fallback: number): number[] {
  const v = cfg[key]
  if (isInt(v)) return Array.from({length: n}, () => v)
  const ints = intList(v)
  if (ints?.length === 1) return Array.from({length: n}, () => ints[0] ?? fallback)
  if (ints?.length === n) return ints
  return Array.from({length: n}, () => fallback)
}

/**
 * Axes from `axis`: `-1`, `[3]` (Keras 2 after build), `[1, 2]`, or null (Normalization's "no axis").
 * Returns null for a JSON null, `fallback` when absent.
 */
export function axes(cfg: JsonObject, key: string, fallback: number[] | null): number[] | null {
  const v = cfg[key]
  if (v === null) return null
  if (isInt(v)) return [v]
  const ints = intList(v)
  return ints !== undefined && ints.length > 0 ? ints : fallback
}

/** Resolves a possibly negative axis against a rank; returns -1 when out of range. */
export function resolveAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis
  return a >= 0 && a < rank ? a : -1
}

/** `channels_last` unless the config says `channels_first` (also Keras 1 `dim_ordering: "th"`). */
export function channelsFirst(cfg: JsonObject): boolean {
  return cfg.data_format === 'channels_first' || cfg.dim_ordering === 'th'
}

/** The name of a dtype policy: `"float32"`, `{"class_name": "DTypePolicy", "config": {"name": ...}}`, Policy. */
export function policyName(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value
  if (isObject(value) && isObject(value.config) && typeof value.config.name === 'string') return value.config.name
  return undefined
}

/**
 * The dtype of a layer's variables: mixed policies (`mixed_float16`, `mixed_bfloat16`) keep float32
 * variables; a quantized policy (`int8_from_float32`) keeps its source dtype for the summary.
 */
export function variableDtype(cfg: JsonObject, inherited = 'float32'): string {
  const name = policyName(cfg.dtype)
  if (name === undefined) return inherited
  if (name.startsWith('mixed_')) return 'float32'
  const from = /_from_(\w+)$/.exec(name) ?? /^(?:gptq|awq)\/.*?(\w+)$/.exec(name)
  return from?.[1] ?? name
}

/** Product of known dims; null when any is unknown. */
export function product(dims: readonly Dim[]): number | null {
  let out = 1
  for (const d of dims) {
    if (d === null) return null
    out *= d
  }
  return out
}

/** A list of ints or nulls (a shape written in a config), or undefined. */
export function dimList(value: Json | undefined): Dim[] | undefined {
  if (!isArray(value)) return undefined
  const dims = value.filter((d): d is number | null => d === null || isInt(d))
  return dims.length === value.length ? dims : undefined
}

/** A list of whole numbers, or undefined when `value` is anything else. */
export function intList(value: Json | undefined): number[] | undefined {
  if (!isArray(value)) return undefined
  const ints = value.filter(isInt)
  return ints.length === value.length ? ints : undefined
}

/** `{"class_name": ..., "config": {...}}` → its parts, or undefined. */
export function entryOf(value: Json | undefined): {class_name: string; config: JsonObject} | undefined {
  if (!isObject(value) || typeof value.class_name !== 'string') return undefined
  return {class_name: value.class_name, config: isObject(value.config) ? value.config : {}}
}
