/**
 * An optimizer's Keras config → OptimizerSpec, with Keras's defaults filled in. Configs come in three shapes:
 *
 *   Keras 1/2:  {"class_name": "SGD", "config": {"lr": 0.01, "momentum": 0.0, "decay": 0.0, "nesterov": false}}
 *   tf.keras 2.11–2.15: {"class_name": "Custom>Adam", "config": {"learning_rate": 0.005, "weight_decay": null, …}}
 *   Keras 3:    {"module": "keras.optimizers", "class_name": "Adam", "config": {"learning_rate": 0.001, …}}
 *
 * `lr` (Keras 1/2) and `learning_rate` mean the same; `decay` is Keras 1/2's time-based decay
 * (lr / (1 + decay · iterations)); `weight_decay` is the decoupled decay every Keras 3 optimizer takes (AdamW's
 * by default). A learning-rate schedule object is refused: kmodel has none.
 *
 * Legacy optimizers: Keras 1/2 and tf-keras's pre-2.11 optimizers (`tf.keras.optimizers.legacy`, what Keras 2
 * files saved before TF 2.11 carry) place ε differently in two rules (see optimizers.ts). Their configs are told
 * by `is_legacy_optimizer: true`, or — written before that key existed — by a `decay` or `lr` key without
 * `weight_decay` (the new optimizers write `weight_decay` and `is_legacy_optimizer: false`, Keras 3 never
 * writes `decay`). Standalone Keras's Adagrad (no `initial_accumulator_value` in its config) starts its
 * accumulators at 0.
 */
import {FormatError} from '../errors.js'
import {type Json, type JsonObject, isObject} from '../json.js'
import {type OptimizerName, optimizerName} from './names.js'

/** Everything an optimizer update needs; fields an optimizer does not use keep their defaults. */
export interface OptimizerSpec {
  name: OptimizerName
  learningRate: number
  /** Keras 1/2 time-based decay: the step uses lr / (1 + decay · iterations). 0 = off. */
  decay: number
  /** Decoupled weight decay: w ← w − lr · weightDecay · w before each update. 0 = off. */
  weightDecay: number
  beta1: number
  beta2: number
  epsilon: number
  amsgrad: boolean
  momentum: number
  nesterov: boolean
  /** RMSprop / Adadelta decay rate. */
  rho: number
  centered: boolean
  initialAccumulator: number
  /** Per-variable gradient norm clip, element clip and global-norm clip (Keras `clipnorm` etc.); null = off. */
  clipnorm: number | null
  clipvalue: number | null
  globalClipnorm: number | null
  /** Keras 1/2 / tf-keras legacy optimizer: RMSprop without momentum and Adagrad add ε after the square root. */
  legacy: boolean
}

/** Keras's default learning rate per optimizer (Keras 2.3+ / 3; Keras 1's Adadelta used 1.0). */
const DEFAULT_LR: Record<OptimizerName, number> = {sgd: 0.01, adam: 0.001, adamw: 0.001, rmsprop: 0.001, adagrad: 0.001, adadelta: 0.001, adamax: 0.001}
const DEFAULT_RHO: Partial<Record<OptimizerName, number>> = {rmsprop: 0.9, adadelta: 0.95}

/** The spec of `name` with Keras's defaults. */
export function defaultOptimizer(name: OptimizerName): OptimizerSpec {
  return {
    name, learningRate: DEFAULT_LR[name], decay: 0, weightDecay: name === 'adamw' ? 0.004 : 0,
    beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, momentum: 0, nesterov: false,
    rho: DEFAULT_RHO[name] ?? 0.9, centered: false, initialAccumulator: 0.1, clipnorm: null, clipvalue: null, globalClipnorm: null, legacy: false,
  }
}

function num(config: JsonObject, keys: readonly string[], fallback: number, where: string): number {
  for (const key of keys) {
    const value = config[key]
    if (value === undefined || value === null) continue
    if (typeof value === 'number' && Number.isFinite(value)) return value
    if (isObject(value) && key.includes('learning_rate')) {
      throw new FormatError('KM_FORMAT_LR_SCHEDULE', `The optimizer's learning rate ${where} is a schedule ('${String(value.class_name ?? '?')}'), which kmodel does not implement.`, {
        hint: 'Pass a constant --learning-rate.',
      })
    }
    throw new FormatError('KM_FORMAT_OPTIMIZER_CONFIG', `The optimizer's '${key}' ${where} is ${JSON.stringify(value)}, not a number.`, {hint: 'Fix the compile settings, or pass --optimizer and --learning-rate.'})
  }
  return fallback
}

const optional = (config: JsonObject, key: string, where: string): number | null => (config[key] === undefined || config[key] === null ? null : num(config, [key], 0, where))

/** True for a Keras 1/2 or tf-keras legacy optimizer's config (see the module comment). */
export function isLegacy(config: JsonObject): boolean {
  if (typeof config.is_legacy_optimizer === 'boolean') return config.is_legacy_optimizer
  // standalone Keras ≤ 2.2 writes `lr` (Keras 1.0's Adagrad and RMSprop even without `decay`)
  return (config.decay !== undefined || config.lr !== undefined) && config.weight_decay === undefined
}

/** Reads a serialized optimizer (`{class_name, config}`) or a bare name (`"adam"`) as Keras would build it. */
export function parseOptimizer(value: Json, where: string): OptimizerSpec {
  if (typeof value === 'string') return defaultOptimizer(optimizerName(value, where))
  if (!isObject(value) || typeof value.class_name !== 'string') {
    throw new FormatError('KM_FORMAT_OPTIMIZER_CONFIG', `The optimizer ${where} is ${JSON.stringify(value)?.slice(0, 80)}, not a name or a {class_name, config} object.`, {hint: 'Pass --optimizer.'})
  }
  const name = optimizerName(value.class_name, where)
  const config = isObject(value.config) ? value.config : {}
  const base = defaultOptimizer(name)
  const legacy = isLegacy(config)
  // standalone Keras (1.x–2.3) Adagrad keeps no initial value: its accumulators start at 0
  const accumulator = legacy && config.initial_accumulator_value === undefined ? 0 : base.initialAccumulator
  return {
    name,
    learningRate: num(config, ['learning_rate', 'lr'], base.learningRate, where),
    decay: num(config, ['decay'], 0, where),
    weightDecay: num(config, ['weight_decay'], base.weightDecay, where),
    beta1: num(config, ['beta_1'], base.beta1, where),
    beta2: num(config, ['beta_2'], base.beta2, where),
    epsilon: num(config, ['epsilon'], base.epsilon, where),
    amsgrad: config.amsgrad === true,
    momentum: num(config, ['momentum'], 0, where),
    nesterov: config.nesterov === true,
    rho: num(config, ['rho'], base.rho, where),
    centered: config.centered === true,
    initialAccumulator: num(config, ['initial_accumulator_value'], accumulator, where),
    clipnorm: optional(config, 'clipnorm', where),
    clipvalue: optional(config, 'clipvalue', where),
    globalClipnorm: optional(config, 'global_clipnorm', where),
    legacy,
  }
}
