/**
 * Normalization layers: BatchNormalization (moving statistics are non-trainable), LayerNormalization,
 * GroupNormalization, UnitNormalization, RMSNormalization, the adaptable Normalization preprocessing layer
 * (non-trainable mean / variance / count) and the SpectralNormalization wrapper.
 */
import type {WeightInfo} from '../graph/summary-types.js'
import {axes, bool, resolveAxis} from './config.js'
import {type LayerRule, type RuleInput, type RuleTable, type Shape, UNKNOWN, first, refuse, single, weight} from './types.js'
import {type ArgTable, generationFor} from './args.js'
import {normalizationRefusal} from './preprocessing-args-categorical.js'
import {NORMALIZATION_ARG_TABLE, batchNormRefusal, groupNormRefusal, layerNormRefusal, unitNormRefusal} from './normalization-args.js'

/** The refusal `check` finds for this call's generation, if any. */
function refusal(input: RuleInput, shape: Shape, check: typeof batchNormRefusal): string | undefined {
  return check(input.config, shape, generationFor(input.keras_version, input.dialect))
}

/** The resolved axes of `axis` against the input rank, or undefined when any is out of range. */
function resolvedAxes(input: RuleInput, shape: Shape, fallback: number[] | null): number[] | undefined {
  const given = axes(input.config, 'axis', fallback) ?? []
  const out = given.map((a) => resolveAxis(a, shape.length))
  return out.some((a) => a < 0) ? undefined : out
}

/** gamma/beta as `scale`/`center` say. */
function affine(input: RuleInput, shape: Shape): WeightInfo[] {
  const out: WeightInfo[] = []
  if (bool(input.config, 'scale', true)) out.push(weight('gamma', shape, input.dtype))
  if (bool(input.config, 'center', true)) out.push(weight('beta', shape, input.dtype))
  return out
}

/**
 * BatchNormalization: one axis gives (C,) parameters; several axes give a broadcast shape with 1 elsewhere
 * (tf.keras). `renorm` adds moving_stddev, renorm_mean and renorm_stddev, all non-trainable.
 */
const batchNorm: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const problem = refusal(input, shape, batchNormRefusal)
  if (problem !== undefined) return refuse(problem)
  const ax = resolvedAxes(input, shape, [-1])
  if (ax === undefined) return single(shape, null)
  const param: Shape = ax.length === 1 ? [shape[ax[0] ?? 0] ?? null] : shape.map((d, i) => (ax.includes(i) ? d : 1))
  const stats = ['moving_mean', 'moving_variance']
  if (bool(input.config, 'renorm', false)) stats.push('moving_stddev', 'renorm_mean', 'renorm_stddev')
  const weights = [...affine(input, param), ...stats.map((n) => weight(n, param, input.dtype, false))]
  return single(shape, weights)
}

const layerNorm: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const problem = refusal(input, shape, layerNormRefusal)
  if (problem !== undefined) return refuse(problem)
  const ax = resolvedAxes(input, shape, [-1])
  if (ax === undefined) return single(shape, null)
  const param = ax.map((a) => shape[a] ?? null)
  // Keras 3 rms_scaling: gamma always, no beta (keras/src/layers/normalization/layer_normalization.py build).
  if (bool(input.config, 'rms_scaling', false)) return single(shape, [weight('gamma', param, input.dtype)])
  return single(shape, affine(input, param))
}

/** GroupNormalization: gamma / beta of the size of the channel axis. */
const groupNorm: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const problem = refusal(input, shape, groupNormRefusal)
  if (problem !== undefined) return refuse(problem)
  const ax = resolvedAxes(input, shape, [-1])
  if (ax === undefined) return single(shape, null)
  return single(shape, affine(input, [shape[ax[0] ?? 0] ?? null]))
}

/** UnitNormalization: shape-preserving once its axes fit the input. */
const unitNorm: LayerRule = (input) => {
  const shape = first(input)
  const problem = shape === null ? undefined : refusal(input, shape, unitNormRefusal)
  return problem === undefined ? single(shape) : refuse(problem)
}

/** RMSNormalization (Keras 3.9+): one `scale` over all normalized axes (sorted). */
const rmsNorm: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const ax = resolvedAxes(input, shape, [-1])
  if (ax === undefined) return single(shape, null)
  return single(shape, [weight('scale', [...ax].sort((a, b) => a - b).map((a) => shape[a] ?? null), input.dtype)])
}

/** Normalization: mean/variance over the kept axes; no weights when `mean`/`variance` are given in the config. */
const normalization: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const problem = normalizationRefusal(input.config, shape)
  if (problem !== undefined) return refuse(problem)
  const hasConstants = input.config.mean !== undefined && input.config.mean !== null
  if (hasConstants) return single(shape)
  const ax = resolvedAxes(input, shape, [-1])
  if (ax === undefined) return single(shape, null)
  const param = [...ax].sort((a, b) => a - b).map((a) => shape[a] ?? null)
  const weights = [weight('mean', param, input.dtype, false), weight('variance', param, input.dtype, false)]
  // tf.keras and Keras ≥ 3.3 keep an int64 sample count (int32 on non-TF Keras 3 backends); Keras 3.0–3.2 had none.
  if (!/^3\.[0-2]\./.test(input.keras_version ?? '')) weights.push(weight('count', [], 'int64', false))
  return single(shape, weights)
}

/** SpectralNormalization(layer): the wrapped layer's weights, then `vector_u` (1, kernel's last dim). */
const spectralNormalization: LayerRule = (input) => {
  const inner = input.inner(input.config.layer, input.inputs)
  if (inner.weights === null) return inner
  const kernel = inner.weights.find((w) => w.name === 'kernel' || w.name === 'embeddings')
  const extra = weight('vector_u', [1, kernel?.shape.at(-1) ?? null], input.dtype, false)
  return {outputs: inner.outputs, weights: [...inner.weights, extra]}
}

/** Rules of this family. */
export const NORMALIZATION_RULES: RuleTable = {
  BatchNormalization: batchNorm,
  SyncBatchNormalization: batchNorm,
  BatchNormalizationV1: batchNorm,
  BatchNormalizationV2: batchNorm,
  LayerNormalization: layerNorm,
  GroupNormalization: groupNorm,
  RMSNormalization: rmsNorm,
  UnitNormalization: unitNorm,
  Normalization: normalization,
  SpectralNormalization: spectralNormalization,
}

/** Argument schemas of this family (layers/args.ts), by class name. */
export const NORMALIZATION_ARGS: ArgTable = NORMALIZATION_ARG_TABLE
