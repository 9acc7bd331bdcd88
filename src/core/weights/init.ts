/**
 * Fresh weight values from Keras initialiser configs, with Keras's formulas and defaults (Keras 2.2+ /
 * tf.keras / Keras 3 semantics) and kmodel's seeded generator (init-rng.ts: same seed → same values,
 * never the values NumPy/TF/JAX would give).
 *
 * Accepted forms of an initialiser:
 *   'glorot_uniform', 'GlorotUniform', Keras 1 names 'zero' / 'one' / 'uniform' / 'normal'
 *   {class_name: 'VarianceScaling', config: {scale: 2, mode: 'fan_in', distribution: 'truncated_normal'}}
 *   Keras 3 {module: 'keras.initializers', class_name: 'GlorotUniform', config: {seed: null}, registered_name: null}
 * An integer `seed` in the config makes that initialiser reproducible on its own, as in Keras.
 */
import {type Json, type JsonObject, isArray, isInt, isObject} from '../json.js'
import {WeightsError} from '../errors.js'
import {computeFans, orthogonal} from './init-math.js'
import {type Rng, makeRng} from './init-rng.js'
import type {WeightDType} from './types.js'

export {type Rng, makeRng, xoshiro128ss} from './init-rng.js'
export {bfloat16Bits, computeFans, encodeValues, float16Bits} from './init-math.js'

/** Keras's truncated-normal correction: the stddev of a unit normal truncated to ±2σ. */
export const TRUNCATED_NORMAL_STDDEV = 0.879_625_661_034_239_78

/** A parsed initialiser: canonical class and its config. */
export interface InitializerSpec {
  class_name: InitializerClass
  config: JsonObject
}

/** The built-in initialisers kmodel can sample. */
export type InitializerClass =
  | 'Zeros' | 'Ones' | 'Constant' | 'RandomUniform' | 'RandomNormal' | 'TruncatedNormal' | 'VarianceScaling'
  | 'GlorotUniform' | 'GlorotNormal' | 'HeUniform' | 'HeNormal' | 'LecunUniform' | 'LecunNormal' | 'Orthogonal' | 'Identity'

/** Names (lower-cased, underscores dropped) → class: Keras 2/3 class names, snake_case names, aliases. */
const CLASSES: Record<string, InitializerClass> = {
  zeros: 'Zeros', zero: 'Zeros', ones: 'Ones', one: 'Ones', constant: 'Constant',
  randomuniform: 'RandomUniform', uniform: 'RandomUniform', randomnormal: 'RandomNormal', normal: 'RandomNormal',
  truncatednormal: 'TruncatedNormal', variancescaling: 'VarianceScaling',
  glorotuniform: 'GlorotUniform', glorotnormal: 'GlorotNormal', heuniform: 'HeUniform', henormal: 'HeNormal',
  lecununiform: 'LecunUniform', lecunnormal: 'LecunNormal',
  orthogonal: 'Orthogonal', orthogonalinitializer: 'Orthogonal', identity: 'Identity', identityinitializer: 'Identity',
}

/** VarianceScaling presets: [scale, mode, distribution]. */
const PRESETS: Partial<Record<InitializerClass, [number, string, string]>> = {
  GlorotUniform: [1, 'fan_avg', 'uniform'], GlorotNormal: [1, 'fan_avg', 'truncated_normal'],
  HeUniform: [2, 'fan_in', 'uniform'], HeNormal: [2, 'fan_in', 'truncated_normal'],
  LecunUniform: [1, 'fan_in', 'uniform'], LecunNormal: [1, 'fan_in', 'truncated_normal'],
}

function unknown(what: string): WeightsError {
  return new WeightsError('KM_WEIGHTS_INITIALIZER', `Unknown initializer ${what}.`, {
    hint: 'kmodel samples the built-in Keras initializers only; load weights from a file for custom ones.',
  })
}

/** Parses any accepted initialiser form; WeightsError for unknown or custom ones. */
export function parseInitializer(initializer: Json): InitializerSpec {
  if (typeof initializer === 'string') {
    const cls = CLASSES[initializer.replace(/_/g, '').toLowerCase()]
    if (cls === undefined) throw unknown(`'${initializer}'`)
    return {class_name: cls, config: {}}
  }
  if (isObject(initializer) && typeof initializer.class_name === 'string') {
    const cls = CLASSES[initializer.class_name.replace(/_/g, '').toLowerCase()]
    if (cls === undefined) throw unknown(`'${initializer.class_name}'`)
    return {class_name: cls, config: isObject(initializer.config) ? initializer.config : {}}
  }
  throw unknown(JSON.stringify(initializer))
}

function num(config: JsonObject, key: string, fallback: number): number {
  const v = config[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback
}

function axes(config: JsonObject, key: string): number[] | undefined {
  const v = config[key]
  return isArray(v) && v.every(isInt) ? v : undefined
}

/** A normal value within ±2σ of the mean (values outside are redrawn, as TF/JAX truncated_normal do). */
function truncated(rng: Rng): number {
  for (;;) {
    const z = rng.normal()
    if (Math.abs(z) <= 2) return z
  }
}

/** Keras's VarianceScaling: scale / max(1, fan), then truncated-normal (÷0.8796…), normal, or uniform. */
function varianceScaling(shape: readonly number[], scale: number, mode: string, distribution: string, rng: Rng, config: JsonObject): Float64Array {
  const [fanIn, fanOut] = computeFans(shape, axes(config, 'input_axes'), axes(config, 'output_axes'))
  const m = mode.toLowerCase()
  const fan = m === 'fan_in' ? fanIn : m === 'fan_out' ? fanOut : m === 'fan_avg' ? (fanIn + fanOut) / 2 : Number.NaN
  if (Number.isNaN(fan)) throw unknown(`mode '${mode}' of VarianceScaling`)
  const s = scale / Math.max(1, fan)
  const size = shape.reduce((a, b) => a * b, 1)
  const dist = distribution.toLowerCase() === 'normal' ? 'truncated_normal' : distribution.toLowerCase()
  if (dist === 'uniform') {
    const limit = Math.sqrt(3 * s)
    return Float64Array.from({length: size}, () => (2 * rng.uniform() - 1) * limit)
  }
  if (dist === 'truncated_normal') {
    const stddev = Math.sqrt(s) / TRUNCATED_NORMAL_STDDEV
    return Float64Array.from({length: size}, () => truncated(rng) * stddev)
  }
  if (dist === 'untruncated_normal') return Float64Array.from({length: size}, () => rng.normal() * Math.sqrt(s))
  throw unknown(`distribution '${distribution}' of VarianceScaling`)
}

/** Constant: a scalar `value`, or (tf.keras) a flat list of exactly `size` values. */
function constant(config: JsonObject, size: number): Float64Array {
  const v = config.value
  if (v === undefined || v === null || typeof v === 'number') return new Float64Array(size).fill(typeof v === 'number' ? v : 0)
  const flat: number[] = []
  const walk = (x: Json): boolean => (typeof x === 'number' ? flat.push(x) > 0 : isArray(x) && x.every(walk))
  if (walk(v) && flat.length === size) return Float64Array.from(flat)
  throw new WeightsError('KM_WEIGHTS_INITIALIZER', `The Constant initializer's value ${JSON.stringify(v)} does not fill ${size} values.`)
}

function identity(shape: readonly number[], gain: number): Float64Array {
  const [rows = 0, cols = 0] = shape
  if (shape.length !== 2) throw new WeightsError('KM_WEIGHTS_INITIALIZER', `The Identity initializer needs a 2-D weight, not shape [${shape.join(', ')}].`)
  const out = new Float64Array(rows * cols)
  for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = gain
  return out
}

function checkShape(shape: readonly number[]): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new WeightsError('KM_WEIGHTS_SHAPE', `Cannot initialise a weight of shape [${shape.join(', ')}]; every dimension must be known.`)
  }
}

/**
 * Samples an initialiser as float64, row-major. The config's own integer `seed` (if any) replaces `rng`
 * with makeRng(seed), so two layers with the same seeded initialiser and shape get the same values.
 */
export function sampleInitializer(initializer: Json, shape: readonly number[], rng: Rng): Float64Array {
  checkShape(shape)
  const {class_name: cls, config} = parseInitializer(initializer)
  const size = shape.reduce((a, b) => a * b, 1)
  const r = isInt(config.seed) ? makeRng(config.seed) : rng
  const preset = PRESETS[cls]
  if (preset !== undefined) return varianceScaling(shape, preset[0], preset[1], preset[2], r, config)
  switch (cls) {
    case 'Zeros': return new Float64Array(size)
    case 'Ones': return new Float64Array(size).fill(1)
    case 'Constant': return constant(config, size)
    case 'RandomUniform': {
      const lo = num(config, 'minval', -0.05)
      const hi = num(config, 'maxval', 0.05)
      return Float64Array.from({length: size}, () => lo + (hi - lo) * r.uniform())
    }
    case 'RandomNormal': {
      const [mean, sd] = [num(config, 'mean', 0), num(config, 'stddev', 0.05)]
      return Float64Array.from({length: size}, () => mean + sd * r.normal())
    }
    case 'TruncatedNormal': {
      const [mean, sd] = [num(config, 'mean', 0), num(config, 'stddev', 0.05)]
      return Float64Array.from({length: size}, () => mean + sd * truncated(r))
    }
    case 'VarianceScaling': {
      const mode = typeof config.mode === 'string' ? config.mode : 'fan_in'
      const dist = typeof config.distribution === 'string' ? config.distribution : 'truncated_normal'
      return varianceScaling(shape, num(config, 'scale', 1), mode, dist, r, config)
    }
    case 'Orthogonal': return orthogonal(shape, num(config, 'gain', 1), r)
    case 'Identity': return identity(shape, num(config, 'gain', 1))
    default: throw unknown(`'${cls}'`)
  }
}

const FLOATS: ReadonlySet<WeightDType> = new Set(['float16', 'bfloat16', 'float32', 'float64'])

/**
 * Fresh values for one weight, as float32 (row-major). `dtype` is the weight's dtype: random initialisers
 * on integer or bool weights are refused, as Keras's random ops refuse them. For float64 weights use
 * sampleInitializer (full precision) and encodeValues.
 */
export function initialize(initializer: Json, shape: number[], rng: Rng, dtype: WeightDType = 'float32'): Float32Array {
  const spec = parseInitializer(initializer)
  const deterministic = spec.class_name === 'Zeros' || spec.class_name === 'Ones' || spec.class_name === 'Constant' || spec.class_name === 'Identity'
  if (!FLOATS.has(dtype) && !deterministic) {
    throw new WeightsError('KM_WEIGHTS_DTYPE', `The ${spec.class_name} initializer cannot fill a ${dtype} weight.`)
  }
  return Float32Array.from(sampleInitializer(initializer, shape, rng))
}
