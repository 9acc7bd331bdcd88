/**
 * Pooling: Max/Average pooling 1D/2D/3D (strides default to the pool size), global pooling with `keepdims`,
 * and Keras 3's adaptive pooling (fixed `output_size`). None has weights.
 */
import {isArray, isInt} from '../json.js'
import {bool, channelsFirst, str, tuple} from './config.js'
import {convLength, joinChannels, splitChannels} from './conv.js'
import {type LayerRule, type RuleInput, type RuleTable, UNKNOWN, first, single} from './types.js'

function pooling(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    const cfg = input.config
    if (shape === null || shape.length !== n + 2) return UNKNOWN
    const pool = tuple(cfg, cfg.pool_size === undefined && cfg.pool_length !== undefined ? 'pool_length' : 'pool_size', n, 2)
    const strideKey = cfg.strides === undefined && cfg.stride !== undefined ? 'stride' : 'strides'
    const stridesGiven = cfg[strideKey] !== undefined && cfg[strideKey] !== null
    const strides = stridesGiven ? tuple(cfg, strideKey, n, 1) : pool
    const padding = str(cfg, 'padding', str(cfg, 'border_mode', 'valid')).toLowerCase()
    const cf = channelsFirst(cfg)
    const {spatial, channels} = splitChannels(shape, cf)
    const out = spatial.map((d, i) => convLength(d, pool[i] ?? 2, padding, strides[i] ?? 1))
    return single(joinChannels(shape[0] ?? null, out, channels, cf))
  }
}

function globalPooling(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    if (shape === null || shape.length !== n + 2) return UNKNOWN
    const cf = channelsFirst(input.config)
    const {channels} = splitChannels(shape, cf)
    if (!bool(input.config, 'keepdims', false)) return single([shape[0] ?? null, channels])
    return single(joinChannels(shape[0] ?? null, Array.from({length: n}, () => 1), channels, cf))
  }
}

function adaptivePooling(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    if (shape === null || shape.length !== n + 2) return UNKNOWN
    const cf = channelsFirst(input.config)
    const {channels} = splitChannels(shape, cf)
    const size = input.config.output_size
    const out = isInt(size) || isArray(size) ? tuple(input.config, 'output_size', n, 1) : Array.from({length: n}, () => 1)
    return single(joinChannels(shape[0] ?? null, out, channels, cf))
  }
}

/** Rules of this family, with the Keras `*Pool*` aliases. */
export const POOLING_RULES: RuleTable = Object.fromEntries(
  [1, 2, 3].flatMap((n) => [
    [`MaxPooling${n}D`, pooling(n)],
    [`MaxPool${n}D`, pooling(n)],
    [`AveragePooling${n}D`, pooling(n)],
    [`AvgPool${n}D`, pooling(n)],
    [`GlobalMaxPooling${n}D`, globalPooling(n)],
    [`GlobalMaxPool${n}D`, globalPooling(n)],
    [`GlobalAveragePooling${n}D`, globalPooling(n)],
    [`GlobalAvgPool${n}D`, globalPooling(n)],
    [`AdaptiveMaxPooling${n}D`, adaptivePooling(n)],
    [`AdaptiveAveragePooling${n}D`, adaptivePooling(n)],
  ]),
)
