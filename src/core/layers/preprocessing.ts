/**
 * Preprocessing layers: image resizing and cropping, Rescaling, CategoryEncoding, the lookup / hashing /
 * discretization family and TextVectorization (their `output_mode` decides the shape; vocabularies are
 * lookup tables, not weights), and the Random* augmentation layers (shape-preserving, except the
 * width/height/crop ones), and Keras 3's audio layers (preprocessing-audio.ts). Normalization lives in
 * normalization.ts.
 */
import type {JsonObject} from '../json.js'
import type {Dim} from '../graph/summary-types.js'
import {channelsFirst, int, optInt, str} from './config.js'
import {identity} from './core.js'
import {type LayerRule, type RuleInput, type RuleTable, type Shape, UNKNOWN, first, refuse, single} from './types.js'
import {type ArgTable, type Generation, generationFor} from './args.js'
import {IMAGE_ARG_TABLE} from './preprocessing-args.js'
import {AUGMENT_ARG_TABLE} from './preprocessing-args-augment.js'
import {CATEGORICAL_ARG_TABLE, encodedRankRefusal} from './preprocessing-args-categorical.js'
import {AUDIO_ARG_TABLE} from './preprocessing-args-audio.js'
import {AUDIO_RULES} from './preprocessing-audio.js'

type SizeFn = (cfg: JsonObject, height: Dim, width: Dim) => [Dim, Dim]

/** Layers that change (batch, height, width, channels) in their data format. */
function toSize(fn: SizeFn): LayerRule {
  return (input) => {
    const shape = first(input)
    if (shape === null || shape.length < 3) return UNKNOWN
    const n = shape.length
    const [hi, wi] = channelsFirst(input.config) ? [n - 2, n - 1] : [n - 3, n - 2]
    const [h, w] = fn(input.config, shape[hi] ?? null, shape[wi] ?? null)
    return single(shape.map((d, i) => (i === hi ? h : i === wi ? w : d)))
  }
}

/** A fixed output size; a negative one (tf-keras Resizing takes it) gives an unknown size, as TensorFlow does. */
const sizeOf = (cfg: JsonObject, key: string): Dim => {
  const v = optInt(cfg, key)
  return typeof v === 'number' && v >= 0 ? v : null
}
const fixedSize: SizeFn = (cfg) => [sizeOf(cfg, 'height'), sizeOf(cfg, 'width')]

const generation = (input: RuleInput): Generation => generationFor(input.keras_version, input.dialect)

/** tf-keras refuses encoded outputs of rank > 2 (preprocessing-args-categorical.ts), before the shape rule runs. */
function rankChecked(rule: LayerRule, defaultMode: string): LayerRule {
  return (input) => {
    const shape = first(input)
    const mode = str(input.config, 'output_mode', defaultMode)
    const problem = shape === null ? undefined : encodedRankRefusal(shape, mode === 'binary' ? 'multi_hot' : mode, generation(input))
    return problem === undefined ? rule(input) : refuse(problem)
  }
}

/** tf-keras Rescaling multiplies by `scale` and adds `offset`: a flat list must broadcast against the last axis. */
const rescaling: LayerRule = (input) => {
  const shape = first(input)
  if (shape !== null && generation(input) === 'keras2') {
    const last = shape.at(-1) ?? null
    for (const key of ['scale', 'offset']) {
      const v = input.config[key]
      if (Array.isArray(v) && v.every((x) => !Array.isArray(x)) && v.length !== 1 && last !== null && v.length !== last) {
        return refuse(`Dimensions must be equal, but are ${last} and ${v.length} (${key} of length ${v.length} against the input's last axis)`)
      }
    }
  }
  return identity(input)
}

/**
 * A categorical output of `size` tokens (CategoryEncoding, Hashing, Discretization): `one_hot` adds an axis
 * unless the last one is 1, which it replaces; `multi_hot` / `count` / `tf_idf` replace the last axis (a
 * rank-1 input is one sample, as in Keras).
 */
function encoded(shape: Shape, mode: string, size: Dim): Shape {
  if (mode === 'one_hot' && shape.at(-1) !== 1) return [...shape, size]
  return [...shape.slice(0, -1), size]
}

/** The token count of a lookup layer's encoded output: `vocabulary_size`, a padded `max_tokens`, or the listed vocabulary. */
function vocabularySize(cfg: JsonObject): Dim {
  const explicit = optInt(cfg, 'vocabulary_size')
  if (typeof explicit === 'number') return explicit
  if (cfg.pad_to_max_tokens === true) return optInt(cfg, 'max_tokens') ?? null
  if (Array.isArray(cfg.vocabulary)) {
    const oov = int(cfg, 'num_oov_indices', 1)
    const mask = cfg.mask_token === null || cfg.mask_token === undefined ? 0 : 1
    return cfg.vocabulary.length + oov + mask
  }
  return null
}

/** StringLookup / IntegerLookup: `int` (and `invert`) keep the shape; encodings give (batch, vocabulary). */
const lookup: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const mode = str(input.config, 'output_mode', 'int')
  return single(mode === 'int' ? shape : [shape[0] ?? null, vocabularySize(input.config)])
}

/** A layer whose integer mode keeps the shape and whose other modes encode `size(cfg)` tokens. */
function categorical(size: (cfg: JsonObject) => Dim, defaultMode = 'int'): LayerRule {
  return (input) => {
    const shape = first(input)
    if (shape === null) return UNKNOWN
    const mode = str(input.config, 'output_mode', defaultMode)
    return single(mode === 'int' ? shape : encoded(shape, mode, size(input.config)))
  }
}

const textVectorization: LayerRule = (input) => {
  const shape = first(input)
  const batch = shape?.[0] ?? null
  const mode = str(input.config, 'output_mode', 'int')
  if (mode === 'int') return single([batch, optInt(input.config, 'output_sequence_length') ?? null])
  return single([batch, vocabularySize(input.config)])
}

const discretizationSize = (cfg: JsonObject): Dim =>
  Array.isArray(cfg.bin_boundaries) ? cfg.bin_boundaries.length + 1 : optInt(cfg, 'num_bins') ?? null

const hashedCrossing: LayerRule = (input) => {
  const batch = first(input)?.[0] ?? null
  const mode = str(input.config, 'output_mode', 'int')
  return single(mode === 'int' ? [batch] : [batch, optInt(input.config, 'num_bins') ?? null])
}

/** Keras 3 RandomColorDegeneration `compute_output_shape`: rank 3 or 4, and 3 channels when the count is known. */
const colorDegeneration: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  if (shape.length !== 3 && shape.length !== 4) return refuse(`Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). Received: input_shape=(${shape.map((d) => d ?? 'None').join(', ')})`)
  const first3 = typeof input.config.data_format === 'string' && input.config.data_format.toLowerCase() === 'channels_first'
  const channels = first3 ? shape.at(-3) : shape.at(-1)
  if (typeof channels === 'number' && channels !== 3) return refuse(`Input images must have 3 channels, but received images with ${channels} channels.`)
  return identity(input)
}

const AUGMENTATION = [
  'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomTranslation', 'RandomBrightness',
  'RandomGrayscale', 'RandomHue', 'RandomSaturation', 'RandomSharpness', 'RandomShear', 'RandomColorJitter',
  'RandomColorDegeneration', 'RandomPosterization', 'RandomInvert', 'RandomErasing', 'RandomGaussianBlur',
  'RandomElasticTransform', 'RandomPerspective', 'AutoContrast', 'Equalization', 'Solarization', 'MixUp',
  'CutMix', 'AugMix', 'RandAugment', 'ContrastLimitedAdaptiveHistogramEqualization', 'MaxNumBoundingBoxes',
]

/** Rules of this family. */
export const PREPROCESSING_RULES: RuleTable = {
  ...Object.fromEntries(AUGMENTATION.map((c) => [c, identity])),
  RandomColorDegeneration: colorDegeneration,
  Rescaling: rescaling,
  Resizing: toSize(fixedSize),
  CenterCrop: toSize(fixedSize),
  RandomCrop: toSize(fixedSize),
  RandomWidth: toSize((_cfg, h) => [h, null]),
  RandomHeight: toSize((_cfg, _h, w) => [null, w]),
  CategoryEncoding: rankChecked(categorical((cfg) => optInt(cfg, 'num_tokens') ?? null, 'multi_hot'), 'multi_hot'),
  StringLookup: rankChecked(lookup, 'int'),
  IntegerLookup: rankChecked(lookup, 'int'),
  Hashing: rankChecked(categorical((cfg) => optInt(cfg, 'num_bins') ?? null), 'int'),
  Discretization: rankChecked(categorical(discretizationSize), 'int'),
  HashedCrossing: hashedCrossing,
  TextVectorization: textVectorization,
  ...AUDIO_RULES,
}

/** Argument schemas of this family (layers/args.ts), by class name (Normalization's included). */
export const PREPROCESSING_ARGS: ArgTable = {...IMAGE_ARG_TABLE, ...CATEGORICAL_ARG_TABLE, ...AUGMENT_ARG_TABLE, ...AUDIO_ARG_TABLE}
