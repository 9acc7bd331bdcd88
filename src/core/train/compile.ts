/**
 * Compile settings (optimizer, loss per output, metrics per output) from the model file or from flags, as
 * `model.compile()` would take them. Where the file keeps them:
 *
 *   full-model .h5 / tfjs model.json (Keras 1/2): training_config = {optimizer_config, loss, metrics,
 *     loss_weights, weighted_metrics, sample_weight_mode}
 *   .keras (Keras 3): the root's compile_config = {optimizer, loss, metrics, loss_weights, weighted_metrics, …}
 *
 * `loss` and `metrics` may be one value for every output, a list in output order, or a dict by output name;
 * a list of lists gives metrics per output (tfjs files). Flags override the file. An unknown loss or optimizer
 * is a FormatError; an unknown metric is one when given as a flag and a warning (the metric is skipped) when it
 * comes from the file, since metrics never change training. Pure: no tfjs.
 */
import {KmodelError, UsageError, type Warning} from '../errors.js'
import {type Json, type JsonObject, isArray, isObject} from '../json.js'
import type {ModelSpec} from '../model/spec.js'
import {type LossName, type MetricName, lossName, metricName} from './names.js'
import {type OptimizerSpec, defaultOptimizer, parseOptimizer} from './optimizer-spec.js'
import {optimizerName} from './names.js'

/** One output's loss. */
export interface LossSpec {
  name: LossName
  fromLogits: boolean
  /** Crossentropy label smoothing (0 = off). */
  labelSmoothing: number
  /** Huber's delta. */
  delta: number
}

/** One metric of one output; `key` is its history name before any output prefix (`accuracy`, `acc`). */
export interface MetricSpec {
  key: string
  name: MetricName
  fromLogits: boolean
  /** binary_accuracy's threshold. */
  threshold: number
  /** top-k accuracy's k. */
  k: number
}

/** Resolved compile settings. */
export interface CompileSettings {
  optimizer: OptimizerSpec
  /** One per model output, in output order. */
  losses: LossSpec[]
  /** One per output (Keras `loss_weights`; default 1). */
  lossWeights: number[]
  /** Per output, in output order. */
  metrics: MetricSpec[][]
  /** Where the settings came from, for the report. */
  source: 'file' | 'flags' | 'file+flags'
  warnings: Warning[]
}

/** Compile options given on the command line. */
export interface CompileFlags {
  optimizer?: string
  learningRate?: number
  loss?: string
  metrics?: string[]
}

interface FileCompile {
  optimizer: Json
  loss: Json
  metrics: Json
  lossWeights: Json
  path: string
}

/** The compile settings a model file carries, or null. */
export function fileCompileConfig(model: ModelSpec): FileCompile | null {
  const tc = model.training_config
  if (isObject(tc)) {
    return {optimizer: tc.optimizer_config ?? null, loss: tc.loss ?? null, metrics: tc.metrics ?? null, lossWeights: tc.loss_weights ?? null, path: 'training_config'}
  }
  const cc = model.root.extra.compile_config
  if (isObject(cc)) return {optimizer: cc.optimizer ?? null, loss: cc.loss ?? null, metrics: cc.metrics ?? null, lossWeights: cc.loss_weights ?? null, path: 'compile_config'}
  return null
}

/** One value per output from a single value, a list in output order, or a dict by output name. */
function perOutput(value: Json, outputs: readonly string[], isSingle: (v: Json) => boolean): Json[] {
  if (isSingle(value)) return outputs.map(() => value)
  if (isArray(value)) return outputs.map((_, i) => value[i] ?? null)
  if (isObject(value)) return outputs.map((name) => value[name] ?? null)
  return outputs.map(() => null)
}

const isSerialized = (v: Json): boolean => typeof v === 'string' || (isObject(v) && typeof v.class_name === 'string')

/** A loss as a name (`"mse"`) or a serialized loss object (`{class_name: "CategoricalCrossentropy", config}`). */
export function parseLoss(value: Json, where: string): LossSpec {
  const name = typeof value === 'string' ? value : isObject(value) && typeof value.class_name === 'string' ? value.class_name : undefined
  if (name === undefined) throw new UsageError('KM_USAGE_NO_LOSS', `No loss is given ${where}.`, {hint: 'Pass --loss (for example --loss categorical_crossentropy).'})
  const config: JsonObject = isObject(value) && isObject(value.config) ? value.config : {}
  const fn = isObject(value) && typeof config.fn === 'string' ? config.fn : name // LossFunctionWrapper
  const number = (key: string, fallback: number): number => (typeof config[key] === 'number' ? config[key] : fallback)
  return {name: lossName(fn, where), fromLogits: config.from_logits === true, labelSmoothing: number('label_smoothing', 0), delta: number('delta', 1)}
}

/** A metric as a name or a serialized metric object; its history key is the name given or the object's `name`. */
export function parseMetric(value: Json, where: string): MetricSpec {
  if (typeof value === 'string') return {key: value, name: metricName(value, where), fromLogits: false, threshold: 0.5, k: 5}
  const config: JsonObject = isObject(value) && isObject(value.config) ? value.config : {}
  const cls = isObject(value) && typeof value.class_name === 'string' ? value.class_name : ''
  const fn = typeof config.fn === 'string' ? config.fn : cls
  const key = typeof config.name === 'string' ? config.name : fn
  return {
    key, name: metricName(fn === '' ? JSON.stringify(value) : fn, where), fromLogits: config.from_logits === true,
    threshold: typeof config.threshold === 'number' ? config.threshold : 0.5, k: typeof config.k === 'number' ? config.k : 5,
  }
}

function fileMetrics(value: Json, outputs: readonly string[], path: string, warnings: Warning[]): MetricSpec[][] {
  const listOfLists = isArray(value) && value.length > 0 && value.every(isArray)
  const per = listOfLists ? outputs.map((_, i) => value[i] ?? null) : perOutput(value, outputs, (v) => isArray(v) || isSerialized(v))
  return per.map((entry, o) => {
    const list = entry === null ? [] : isArray(entry) ? entry : [entry]
    return list.flatMap((m, i) => {
      try {
        return [parseMetric(m, `in the file's ${path}.metrics`)]
      } catch (error) {
        if (!(error instanceof KmodelError)) throw error
        warnings.push({path: `$.${path}.metrics[${i}]`, message: `metric ${JSON.stringify(m)} of output '${outputs[o] ?? o}' is not one kmodel computes; it is skipped`})
        return []
      }
    })
  })
}

function lossWeightsOf(value: Json, outputs: readonly string[]): number[] {
  return perOutput(value, outputs, (v) => typeof v === 'number').map((w) => (typeof w === 'number' ? w : 1))
}

/**
 * Resolves the compile settings for a model with outputs `outputs` (output layer names, in order): flags
 * first, then the file, then Keras's compile defaults (optimizer rmsprop). Without any loss: exit 2 (usage).
 */
export function compileSettings(model: ModelSpec, outputs: readonly string[], flags: CompileFlags): CompileSettings {
  const file = fileCompileConfig(model)
  const warnings: Warning[] = []
  const where = file === null ? '' : `in the file's ${file.path}`
  let optimizer = flags.optimizer !== undefined ? defaultOptimizer(optimizerName(flags.optimizer, 'given to --optimizer')) : file?.optimizer !== null && file?.optimizer !== undefined ? parseOptimizer(file.optimizer, where) : defaultOptimizer('rmsprop')
  if (flags.learningRate !== undefined) optimizer = {...optimizer, learningRate: flags.learningRate}
  const lossValue = flags.loss ?? file?.loss ?? null
  const noLoss = 'for the model (the file has no compile settings and --loss was not given)'
  const losses = lossValue === null ? [parseLoss(null, noLoss)] : flags.loss !== undefined ? outputs.map(() => parseLoss(flags.loss ?? null, 'given to --loss')) : perOutput(lossValue, outputs, isSerialized).map((l, i) => parseLoss(l, l === null ? `for output '${outputs[i] ?? i}' ${where}` : where))
  const metrics = flags.metrics !== undefined ? outputs.map(() => (flags.metrics ?? []).map((m) => parseMetric(m, 'given to --metrics'))) : file?.metrics === null || file === null ? outputs.map(() => []) : fileMetrics(file.metrics, outputs, file.path, warnings)
  const fromFlags = flags.optimizer !== undefined || flags.loss !== undefined || flags.metrics !== undefined || flags.learningRate !== undefined
  return {
    optimizer, losses, metrics, warnings,
    lossWeights: file === null ? outputs.map(() => 1) : lossWeightsOf(file.lossWeights, outputs),
    source: file === null ? 'flags' : fromFlags ? 'file+flags' : 'file',
  }
}

/**
 * Resolves `accuracy` / `crossentropy` to the variant that fits the output, as Keras does: binary when the
 * loss is binary crossentropy or the output has one unit; sparse when the loss is sparse or the labels lack
 * the class axis (rank below the output's, or a last axis of 1 against several classes); else categorical.
 */
export function resolveMetric(metric: MetricSpec, loss: LossSpec, outputShape: ReadonlyArray<number | null>, yShape: readonly number[]): MetricSpec {
  if (metric.name !== 'accuracy' && metric.name !== 'crossentropy') return metric
  const last = outputShape[outputShape.length - 1]
  const binary = loss.name === 'binary_crossentropy' || last === 1
  const sparse = loss.name === 'sparse_categorical_crossentropy' || yShape.length < outputShape.length || (yShape[yShape.length - 1] === 1 && last !== 1)
  const variant = binary ? 'binary' : sparse ? 'sparse_categorical' : 'categorical'
  const name = metric.name === 'accuracy' ? (`${variant}_accuracy` as const) : (`${variant}_crossentropy` as const)
  return {...metric, name, fromLogits: metric.fromLogits || (metric.name === 'crossentropy' && loss.fromLogits)}
}
