/**
 * JSON values as Keras writes them, and small guards for narrowing parsed input without casts.
 * Python's json module may also emit NaN / Infinity, which the Keras JSON reader turns into numbers.
 */
export type Json = null | boolean | number | string | Json[] | JsonObject
export interface JsonObject {
  [key: string]: Json
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** True for an array. */
export function isArray(value: unknown): value is Json[] {
  return Array.isArray(value)
}

/** True for a whole number (Keras writes dimensions and indices as ints). */
export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value)
}

/** A JSONPath-style location used in every error message: `$.config.layers[3].config.units`. */
export function jsonPath(base: string, ...parts: Array<string | number>): string {
  let out = base
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += `.${part}`
    else out += `[${JSON.stringify(part)}]`
  }
  return out
}

/**
 * A copy of `obj` without the listed keys; key order of the rest is kept. Keys are copied as own properties
 * (a `__proto__` key stays a key, as Python reads it, and never becomes the copy's prototype).
 */
export function omit(obj: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(obj)) if (!keys.includes(k)) Object.defineProperty(out, k, {value: v, enumerable: true, writable: true, configurable: true})
  return out
}

/** A deep copy of a JSON value (inputs are never mutated). */
export function clone<T extends Json>(value: T): T {
  return structuredClone(value)
}

/** Structural equality of two JSON values; object key order is ignored. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b)
  if (isArray(a) && isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]))
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(b).length) return false
    return ka.every((k) => k in b && jsonEqual(a[k], b[k]))
  }
  return false
}
