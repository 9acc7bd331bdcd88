/**
 * Pooling: Max/Average pooling 1D/2D/3D (strides default to the pool size), global pooling with `keepdims`,
 * and Keras 3's adaptive pooling (fixed `output_size`). None has weights.
 */
import {isArray, isInt} from '../json.js'
import {bool, channelsFirst, str, tuple} from './config.js'
import {convLength, joinChannels, rankProblem, splitChannels, windowTooLarge} from './conv.js'
import {type LayerRule, type RuleInput, type RuleTable, UNKNOWN, first, refuse, single} from './types.js'
import {type ArgCheck, type ArgTable, type ClassArgs, all, generationFor, nullable, oneOf, oneOfLower, perGeneration, sizeTuple} from './args.js'

function pooling(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    const cfg = input.config
    if (shape === null) return UNKNOWN
    const rank = rankProblem(input, shape, n, true)
    if (rank !== undefined) return rank
    const pool = tuple(cfg, cfg.pool_size === undefined && cfg.pool_length !== undefined ? 'pool_length' : 'pool_size', n, 2)
    const strideKey = cfg.strides === undefined && cfg.stride !== undefined ? 'stride' : 'strides'
    const stridesGiven = cfg[strideKey] !== undefined && cfg[strideKey] !== null
    const strides = stridesGiven ? tuple(cfg, strideKey, n, 1) : pool
    const padding = str(cfg, 'padding', str(cfg, 'border_mode', 'valid')).toLowerCase()
    const cf = channelsFirst(cfg)
    const {spatial, channels} = splitChannels(shape, cf)
    const tooLarge = windowTooLarge(shape, spatial, pool, [], padding, 'pool_size')
    if (tooLarge !== undefined) return refuse(tooLarge)
    const out = spatial.map((d, i) => convLength(d, pool[i] ?? 2, padding, strides[i] ?? 1))
    return single(joinChannels(shape[0] ?? null, out, channels, cf))
  }
}

function globalPooling(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    if (shape === null) return UNKNOWN
    const rank = rankProblem(input, shape, n, true)
    if (rank !== undefined) return rank
    const cf = channelsFirst(input.config)
    const {spatial, channels} = splitChannels(shape, cf)
    if (spatial.includes(0) && generationFor(input.keras_version, input.dialect) === 'keras2') {
      return refuse(`Incorrect input shape ${JSON.stringify(shape)} with dimension 0 at a reduction axis`)
    }
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

const dataFormat = nullable(oneOfLower('channels_first', 'channels_last'))

/**
 * Max/AveragePooling: Keras 3 (`base_pooling.py`) standardizes `pool_size` / `strides` (floats pass inside a
 * list, a zero stride fails at call) and compares `padding` as is at call ("valid" / "same" only); tf-keras
 * (`base_pooling{1,2,3}d.py`) lower-cases `padding` and lets TensorFlow refuse "causal" and zero strides.
 */
function poolingArgs(n: number): ClassArgs {
  const floats = sizeTuple(n, {floats: true})
  // tf-keras hands the window to TensorFlow as ints: a float below 1 becomes a zero stride or size.
  const sizes: ArgCheck = perGeneration({keras3: floats, keras2: all(floats, (v) => (isArray(v) && v.some((x) => typeof x === 'number' && x < 1) ? 'at least 1 (tf-keras truncates floats)' : undefined))})
  return {
    args: {
      pool_size: sizes,
      strides: nullable(sizes),
      padding: perGeneration({keras3: oneOf('valid', 'same'), keras2: oneOfLower('valid', 'same')}),
      data_format: dataFormat,
    },
  }
}

/** Argument schemas of this family (layers/args.ts), by class name; `keepdims` is only tested for truth. */
export const POOLING_ARGS: ArgTable = Object.fromEntries(
  [1, 2, 3].flatMap((n) => [
    [`MaxPooling${n}D`, poolingArgs(n)],
    [`AveragePooling${n}D`, poolingArgs(n)],
    [`GlobalMaxPooling${n}D`, {args: {data_format: dataFormat}}],
    [`GlobalAveragePooling${n}D`, {args: {data_format: dataFormat}}],
  ]),
)
