/**
 * Validates a tfjs `weightsManifest` (parse, don't cast) into plain records the shard reader can trust.
 * Every problem names its JSON path: `$.weightsManifest[0].weights[3].shape`.
 *
 *   [{"paths": ["group1-shard1of1.bin"],
 *     "weights": [{"name": "dense/kernel", "shape": [8, 12], "dtype": "float32",
 *                  "quantization"?: {"dtype": "uint8" | "uint16" | "float16", "min"?, "scale"?, "original_dtype"?},
 *                  "group"?: "model" | "optimizer"}]}]
 */
import {posix} from 'node:path'
import {FormatError, WeightsError} from '../errors.js'
import {type Json, isArray, isInt, isObject, jsonPath} from '../json.js'

/** A quantised tensor's storage: uint8/uint16 codes with `min + scale * q`, or float16 bits. */
export type Quantization = {dtype: 'uint8' | 'uint16'; min: number; scale: number} | {dtype: 'float16'}

/** One validated `weights` entry. */
export interface ManifestEntry {
  name: string
  shape: number[]
  /** The tensor's dtype after dequantisation. */
  dtype: 'float32' | 'int32' | 'bool'
  quantization: Quantization | null
  /** Bytes one element takes in the shard (the quantised size when quantised). */
  bytesPerElement: number
  /** `group` of the entry (`model`, `optimizer`), null when absent. */
  group: string | null
  /** JSON path of the entry, for messages. */
  where: string
}

/** One validated manifest group: its shard paths and entries in storage order. */
export interface ManifestGroup {
  paths: string[]
  weights: ManifestEntry[]
  where: string
}

const BASE = '$.weightsManifest'
const PLAIN_BYTES = {float32: 4, int32: 4, bool: 1} as const
const QUANT_BYTES = {uint8: 1, uint16: 2, float16: 2} as const

function bad(source: string, where: string, what: string): FormatError {
  return new FormatError('KM_FORMAT_TFJS_MANIFEST', `${source}: ${what} at ${where}.`, {
    path: where,
    hint: 'The model.json is not a valid tfjs layers-model manifest; convert the model again with tensorflowjs_converter.',
  })
}

/** A shard path must stay inside the model.json's folder: no absolute paths, URLs or '..' segments. */
function checkPath(value: Json | undefined, source: string, where: string): string {
  if (typeof value !== 'string' || value === '') throw bad(source, where, 'a shard path that is not a non-empty string')
  if (/^[/\\]/.test(value) || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) || value.split(/[/\\]/).includes('..')) {
    throw new FormatError('KM_FORMAT_TFJS_SHARD_PATH', `${source}: shard path '${value}' at ${where} leaves the model.json's folder.`, {
      path: where,
      hint: 'kmodel reads shards from the folder of model.json only; download remote shards next to it and list them by file name.',
    })
  }
  return value
}

function parseQuantization(value: Json, source: string, where: string): Quantization {
  if (!isObject(value)) throw bad(source, where, "a 'quantization' that is not an object")
  const {dtype, min, scale} = value
  if (dtype === 'float16') return {dtype}
  if (dtype !== 'uint8' && dtype !== 'uint16') {
    throw bad(source, jsonPath(where, 'dtype'), `unsupported quantization dtype ${JSON.stringify(dtype ?? null)} (expected uint8, uint16 or float16)`)
  }
  if (typeof min !== 'number' || typeof scale !== 'number' || !Number.isFinite(min) || !Number.isFinite(scale)) {
    throw bad(source, where, `${dtype} quantization without finite 'min' and 'scale'`)
  }
  return {dtype, min, scale}
}

function parseEntry(value: Json, source: string, where: string): ManifestEntry {
  if (!isObject(value)) throw bad(source, where, 'a weight entry that is not an object')
  const {name, shape, dtype, quantization, group} = value
  if (typeof name !== 'string' || name === '') throw bad(source, jsonPath(where, 'name'), 'a weight without a name')
  if (!isArray(shape) || !shape.every((d): d is number => isInt(d) && d >= 0)) {
    throw bad(source, jsonPath(where, 'shape'), `weight '${name}' with a shape that is not a list of non-negative integers`)
  }
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
    throw new WeightsError('KM_WEIGHTS_DTYPE', `${source}: weight '${name}' at ${where} has dtype ${JSON.stringify(dtype ?? null)}, which kmodel cannot read (float32, int32 and bool only).`, {
      hint: 'String and complex64 tensors do not occur in Keras layer weights; convert the Keras model again.',
    })
  }
  const quant = quantization === undefined || quantization === null ? null : parseQuantization(quantization, source, jsonPath(where, 'quantization'))
  if (quant !== null && dtype === 'bool') throw bad(source, jsonPath(where, 'quantization'), `quantization of bool weight '${name}'`)
  return {
    name,
    shape,
    dtype,
    quantization: quant,
    bytesPerElement: quant === null ? PLAIN_BYTES[dtype] : QUANT_BYTES[quant.dtype],
    group: typeof group === 'string' ? group : null,
    where,
  }
}

/** Most shard paths one manifest may list (tfjs writes 4 MB shards: 10,000 is 40 GB of weights). */
export const MAX_SHARD_PATHS = 10_000
/** Most weight entries one manifest may list. */
export const MAX_WEIGHT_ENTRIES = 1_000_000

/**
 * Refuses, before any shard is opened, a manifest listing more shard paths or weight entries than the
 * caps, or one shard twice (the same name after `./` and `\\` are normalised), in any group.
 */
function checkCounts(groups: Json[], source: string): void {
  let paths = 0
  let weights = 0
  const seen = new Map<string, string>()
  for (const [g, group] of groups.entries()) {
    if (!isObject(group)) continue
    const where = jsonPath(BASE, g)
    if (isArray(group.paths)) {
      for (const [i, p] of group.paths.entries()) {
        if (++paths > MAX_SHARD_PATHS) throw tooMany(source, jsonPath(where, 'paths'), `over ${MAX_SHARD_PATHS.toLocaleString('en-US')} shard paths`)
        if (typeof p !== 'string') continue
        const key = posix.normalize(p.replaceAll('\\', '/'))
        const here = jsonPath(where, 'paths', i)
        const first = seen.get(key)
        if (first !== undefined) throw bad(source, here, `shard '${p}' listed a second time (first at ${first})`)
        seen.set(key, here)
      }
    }
    weights += isArray(group.weights) ? group.weights.length : 0
    if (weights > MAX_WEIGHT_ENTRIES) throw tooMany(source, jsonPath(where, 'weights'), `over ${MAX_WEIGHT_ENTRIES.toLocaleString('en-US')} weight entries`)
  }
}

function tooMany(source: string, where: string, what: string): FormatError {
  return new FormatError('KM_FORMAT_TFJS_MANIFEST', `${source}: the weightsManifest lists ${what} (reached at ${where}).`, {
    path: where,
    hint: 'kmodel refuses manifests this large before reading any shard; convert the model again with tensorflowjs_converter.',
  })
}

/**
 * Validates `doc.weightsManifest` into groups. FormatError KM_FORMAT_TFJS_MANIFEST names the bad place;
 * counts and duplicate shards are checked first (checkCounts).
 */
export function parseManifest(value: Json | undefined, source: string): ManifestGroup[] {
  if (!isArray(value)) throw bad(source, BASE, "a 'weightsManifest' that is not a list")
  checkCounts(value, source)
  return value.map((group, g) => {
    const where = jsonPath(BASE, g)
    if (!isObject(group)) throw bad(source, where, 'a weight group that is not an object')
    const {paths, weights} = group
    if (!isArray(paths)) throw bad(source, jsonPath(where, 'paths'), "a weight group without a 'paths' list")
    if (!isArray(weights)) throw bad(source, jsonPath(where, 'weights'), "a weight group without a 'weights' list")
    return {
      paths: paths.map((p, i) => checkPath(p, source, jsonPath(where, 'paths', i))),
      weights: weights.map((w, i) => parseEntry(w, source, jsonPath(where, 'weights', i))),
      where,
    }
  })
}
