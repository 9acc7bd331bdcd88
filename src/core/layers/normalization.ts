/**
 * Normalization layers: BatchNormalization (moving statistics are non-trainable), LayerNormalization,
 * GroupNormalization, UnitNormalization, RMSNormalization, the adaptable Normalization preprocessing layer
 * (non-trainable mean / variance, plus an int64 count in tf.keras) and the SpectralNormalization wrapper.
 */
import type {WeightInfo} from '../graph/summary-types.js'
import {axes, bool, resolveAxis} from './config.js'
import {type LayerRule, type RuleInput, type RuleTable, type Shape, UNKNOWN, first, single, weight} from './types.js'

/** The resolved axes of `axis` against the input rank, or undefined when any is out of range. */
function resolvedAxes(input: RuleInput, shape: Shape, fallback: number[] | null): number[] | undefined {
  const given = axes(input.config, 'axis', fallback) ?? []
  const out = given.map((a) => resolveAxis(a, shape.length))
  return out.some((a) => a < 0) ? undefined : out
}

/** gamma/beta as `scale`/`center` say. */
function affine(input: RuleInput, shape: Shape, scaleName = 'gamma'): WeightInfo[] {
  const out: WeightInfo[] = []
  if (bool(input.config, 'scale', true)) out.push(weight(scaleName, shape, input.dtype))
  if (bool(input.config, 'center', true)) out.push(weight('beta', shape, input.dtype))
  return out
}

/**
 * BatchNormalization: one axis gives (C,) parameters; several axes give a broadcast shape with 1 elsewhere
 * (tf.keras). `renorm` adds two more non-trainable statistics (tf.keras only).
 */
const batchNorm: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const ax = resolvedAxes(input, shape, [-1])
  if (ax === undefined) return single(shape, null)
  const param: Shape = ax.length === 1 ? [shape[ax[0] ?? 0] ?? null] : shape.map((d, i) => (ax.includes(i) ? d : 1))
  const stats = ['moving_mean', 'moving_variance']
  if (bool(input.config, 'renorm', false)) stats.push('renorm_mean', 'renorm_stddev')
  const weights = [...affine(input, param), ...stats.map((n) => weight(n, param, input.dtype, false))]
  return single(shape, weights)
}

const layerNorm: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const ax = resolvedAxes(input, shape, [-1])
  if (ax === undefined) return single(shape, null)
  return single(shape, affine(input, ax.map((a) => shape[a] ?? null)))
}

/** GroupNormalization / RMSNormalization: parameters of the size of the (single) normalized axis. */
function perChannel(scaleName: string, centered: boolean): LayerRule {
  return (input) => {
    const shape = first(input)
    if (shape === null) return UNKNOWN
    const ax = resolvedAxes(input, shape, [-1])
    if (ax === undefined) return single(shape, null)
    const param = [shape[ax[0] ?? 0] ?? null]
    if (!centered) return single(shape, [weight(scaleName, param, input.dtype)])
    return single(shape, affine(input, param, scaleName))
  }
}

/** Normalization: mean/variance over the kept axes; no weights when `mean`/`variance` are given in the config. */
const normalization: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const hasConstants = input.config.mean !== undefined && input.config.mean !== null
  if (hasConstants) return single(shape)
  const ax = resolvedAxes(input, shape, [-1])
  if (ax === undefined) return single(shape, null)
  const param = [...ax].sort((a, b) => a - b).map((a) => shape[a] ?? null)
  const weights = [weight('mean', param, input.dtype, false), weight('variance', param, input.dtype, false)]
  if (input.dialect === 'keras2') weights.push(weight('count', [], 'int64', false))
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
  GroupNormalization: perChannel('gamma', true),
  RMSNormalization: perChannel('scale', false),
  UnitNormalization: (input) => single(first(input)),
  Normalization: normalization,
  SpectralNormalization: spectralNormalization,
}
