/**
 * Keras's regularizers as loss terms: weight penalties (`kernel_regularizer`, `bias_regularizer`, …) summed
 * into the training loss every step, and activity penalties (`activity_regularizer`) on a layer's outputs,
 * divided by the batch size where that Keras version does. Penalty: l1·Σ|x| + l2·Σx².
 *
 * Spellings: `"l1"`, `"l2"`, `"l1_l2"` (tf-keras only), `{"class_name": "L1" | "L2" | "L1L2", "config": …}`,
 * Keras 1's `{"name": "WeightRegularizer" | "ActivityRegularizer", "l1": …, "l2": …}`. Defaults as Keras's:
 * `l1`/`l2`/`L1`/`L2` 0.01, `l1_l2` 0.01 each, `L1L2` 0 each. OrthogonalRegularizer is refused.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type Json, type JsonObject, isObject} from '../json.js'
import type {Core} from '../backend/runtime.js'

/** The l1 and l2 factors of a saved regularizer, or null for none (null, or both factors 0). */
export function regularizerFactors(value: Json | undefined, owner: string): {l1: number; l2: number} | null {
  if (value === undefined || value === null) return null
  const num = (v: Json | undefined, fallback: number): number => (typeof v === 'number' ? v : fallback)
  let out: {l1: number; l2: number} | undefined
  if (typeof value === 'string') {
    out = {l1: {l1: 0.01, l1_l2: 0.01}[value] ?? 0, l2: {l2: 0.01, l1_l2: 0.01}[value] ?? 0}
    if (!['l1', 'l2', 'l1_l2'].includes(value)) out = undefined
  } else if (isObject(value)) {
    const cls = typeof value.class_name === 'string' ? value.class_name : typeof value.name === 'string' ? value.name : ''
    const cfg: JsonObject = isObject(value.config) ? value.config : value
    if (cls === 'L1' || cls === 'l1') out = {l1: num(cfg.l1, 0.01), l2: 0}
    else if (cls === 'L2' || cls === 'l2') out = {l1: 0, l2: num(cfg.l2, 0.01)}
    else if (cls === 'L1L2' || cls === 'WeightRegularizer' || cls === 'ActivityRegularizer') out = {l1: num(cfg.l1, 0), l2: num(cfg.l2, 0)}
  }
  if (out === undefined) {
    throw new BackendError('KM_BACKEND_REGULARIZER', `The regularizer ${JSON.stringify(value)} of ${owner} is not one kmodel computes.`, {hint: 'predict does not need it; for train, remove the regularizer or use L1, L2 or L1L2.'})
  }
  return out.l1 === 0 && out.l2 === 0 ? null : out
}

/** l1·Σ|x| + l2·Σx² as a scalar. */
export function penalty(tf: Core, x: Tensor, f: {l1: number; l2: number}): Tensor {
  let total: Tensor = tf.scalar(0)
  if (f.l1 !== 0) total = tf.add(total, tf.mul(f.l1, tf.sum(tf.abs(x))))
  if (f.l2 !== 0) total = tf.add(total, tf.mul(f.l2, tf.sum(tf.square(x))))
  return total
}

/**
 * The config keys that may hold a weight's `suffix` argument (`regularizer` or `constraint`): `kernel` →
 * kernel_<suffix> (Keras 1: W_<suffix>), `recurrent_kernel` → recurrent_<suffix> (U_<suffix>), `bias` →
 * bias_<suffix> (b_<suffix>), `embeddings` → embeddings_<suffix> (W_<suffix>), Keras 1's `W` / `b` →
 * W_<suffix> / b_<suffix> (or their Keras 2 names); any other weight `name` → name_<suffix>.
 */
export function weightArgKeys(weightName: string, suffix: 'regularizer' | 'constraint'): string[] {
  const short = weightName.split('/').at(-1) ?? weightName
  const k = (...prefixes: string[]): string[] => prefixes.map((p) => `${p}_${suffix}`)
  const special: Record<string, string[]> = {
    kernel: k('kernel', 'W'), bias: k('bias', 'b'), recurrent_kernel: k('recurrent', 'U'), embeddings: k('embeddings', 'W'),
    depthwise_kernel: k('depthwise'), pointwise_kernel: k('pointwise'), W: k('W', 'kernel'), b: k('b', 'bias'),
  }
  return special[short] ?? k(short)
}

/** The saved `suffix` argument (regularizer or constraint) of a weight in `config`, or undefined. */
export function weightArgOf(config: JsonObject, weightName: string, suffix: 'regularizer' | 'constraint'): Json | undefined {
  for (const key of weightArgKeys(weightName, suffix)) if (config[key] !== undefined && config[key] !== null) return config[key]
  return undefined
}

/** The config keys that may hold a weight's regularizer (weightArgKeys with `regularizer`). */
export function regularizerKeys(weightName: string): string[] {
  return weightArgKeys(weightName, 'regularizer')
}

/** The saved regularizer of a weight in `config`, or undefined. */
export function regularizerOf(config: JsonObject, weightName: string): Json | undefined {
  return weightArgOf(config, weightName, 'regularizer')
}

/**
 * The config that holds a (possibly wrapped) weight's regularizer or constraint: `forward_lstm/kernel` in a
 * Bidirectional reads the wrapped layer's config, `backward_…` its backward_layer when given; any other weight
 * reads `layer` or `cell` when the config has one (TimeDistributed's and an RNN's unprefixed weights are
 * the wrapped layer's or cell's), else the layer's own config.
 */
export function regularizerConfig(config: JsonObject, weightName: string): JsonObject {
  const parts = weightName.split('/')
  const inner = (key: string): JsonObject | undefined => {
    const entry = config[key]
    return isObject(entry) && isObject(entry.config) ? entry.config : undefined
  }
  if (parts.length > 1 && (parts[0] ?? '').startsWith('backward_')) return inner('backward_layer') ?? inner('layer') ?? config
  return inner('layer') ?? inner('cell') ?? config
}

/** Config keys holding nested layer entries (wrappers, RNN cells). */
const NESTED = ['layer', 'backward_layer', 'cell', 'cells'] as const

/**
 * A training argument kmodel cannot attribute to a weight or an output, as `path: key`, or undefined: an
 * `activity_regularizer` of a wrapped layer or cell (kmodel applies activity penalties to top-level layers only),
 * and any regularizer or constraint deeper than one wrapper (TimeDistributed(Bidirectional(…)), StackedRNNCells'
 * `cells`), which regularizerConfig does not reach. Training such a model would silently leave the term out.
 */
export function unattributedTrainingArg(config: JsonObject): string | undefined {
  const stack: Array<{config: JsonObject; path: string; depth: number}> = []
  const push = (parent: JsonObject, path: string, depth: number): void => {
    for (const key of NESTED) {
      const value = parent[key]
      const entries = Array.isArray(value) ? value.map((v, i) => ({v, at: `${path}.${key}[${i}]`, d: depth + 2})) : [{v: value, at: `${path}.${key}`, d: depth + 1}]
      for (const {v, at, d} of entries) if (isObject(v) && isObject(v.config)) stack.push({config: v.config, path: `${at}.config`, depth: d})
    }
  }
  push(config, 'config', 0)
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    for (const [key, value] of Object.entries(item.config)) {
      if (value === null || value === undefined) continue
      if (key === 'activity_regularizer' || (item.depth > 1 && (key.endsWith('_regularizer') || key.endsWith('_constraint')))) return `${item.path}.${key}`
    }
    push(item.config, item.path, item.depth)
  }
  return undefined
}

/**
 * The activity penalty of a layer's outputs, or null when it has none; divided by the batch size when `divide`
 * (tf.keras, Keras 3 ≥ 3.14; not standalone Keras 1.2–2.3 nor Keras 3.0–3.13: activation-train.ts).
 */
export function activityPenalty(tf: Core, config: JsonObject, outputs: readonly Tensor[], divide: boolean): Tensor | null {
  const f = regularizerFactors(config.activity_regularizer, `layer '${String(config.name)}'`)
  if (f === null) return null
  let total: Tensor = tf.scalar(0)
  for (const y of outputs) total = tf.add(total, divide && y.rank > 0 ? tf.div(penalty(tf, y, f), y.shape[0] ?? 1) : penalty(tf, y, f))
  return total
}
