/**
 * Argument schemas of the categorical preprocessing layers (CategoryEncoding, Hashing, HashedCrossing,
 * Discretization, StringLookup, IntegerLookup, TextVectorization) and of the adaptable Normalization layer, per
 * generation, as Keras 3 (keras/src/layers/preprocessing/…) and tf-keras 2.x (tf_keras/src/layers/preprocessing/…)
 * check them in `__init__`, `from_config` and `set_vocabulary`; plus the call-time refusals of these layers.
 */
import {type Json, type JsonObject, isArray, isObject} from '../json.js'
import type {Shape} from './types.js'
import {
  type ArgCheck, type ArgTable, type CrossCheck, type Generation, nullable, only, oneOf, perGeneration, pyInt,
  pyNumber, pyTruthy,
} from './args.js'

const num = (v: Json): number => Number(v)
const show = (v: Json | undefined): string => (v === undefined ? 'None' : JSON.stringify(v))
const get = (cfg: JsonObject, key: string): Json => (Object.hasOwn(cfg, key) ? (cfg[key] as Json) : null)

/** `v <op> n` must be a valid Python comparison: numbers and bools (NaN compares false, so it passes). */
const numberWhere = (phrase: string, bad: (x: number) => boolean): ArgCheck => (v) => (pyNumber(v) && !bad(num(v)) ? undefined : phrase)

/** Python ints (bools included) ≥ 1: the size of an output axis (a float fails as a shape). */
const positiveInt: ArgCheck = (v) => (pyInt(v) && num(v) >= 1 ? undefined : 'an integer ≥ 1')

/** Hashing `salt`: None, an int, or a list of two (tf-keras then hashes with them as ints). */
const salt: ArgCheck = (v, ctx) => {
  if (v === null || pyInt(v)) return undefined
  if (isArray(v) && v.length === 2 && (ctx.generation === 'keras3' || v.every(pyInt))) return undefined
  return 'null, an integer or a list of two integers'
}

/** `sparse=True` with an integer output (`output_mode` default `fallback`). */
const sparseInt = (fallback: string): CrossCheck => (cfg) => {
  const mode = Object.hasOwn(cfg, 'output_mode') ? cfg.output_mode : fallback
  if (!pyTruthy(get(cfg, 'sparse')) || mode !== 'int') return undefined
  return {key: 'sparse', message: `\`sparse\` may only be true if \`output_mode\` is "one_hot", "multi_hot", "count" or "tf_idf" (sparse=${show(cfg.sparse)}, output_mode="int")`}
}

const LOOKUP_MODES = ['int', 'one_hot', 'multi_hot', 'count', 'tf_idf', 'binary', 'tf-idf']

/** The lookup layers' `output_mode` after Keras's aliases (`binary` → multi_hot, `tf-idf` → tf_idf). */
function lookupMode(cfg: JsonObject): Json {
  const mode = Object.hasOwn(cfg, 'output_mode') ? (cfg.output_mode as Json) : 'int'
  return mode === 'binary' ? 'multi_hot' : mode === 'tf-idf' ? 'tf_idf' : mode
}

/** IndexLookup `__init__` and `set_vocabulary`: the combinations both generations refuse. */
const lookupCross: CrossCheck = (cfg) => {
  const mode = lookupMode(cfg)
  if (pyTruthy(get(cfg, 'pad_to_max_tokens')) && get(cfg, 'max_tokens') === null) return {key: 'pad_to_max_tokens', message: 'If pad_to_max_tokens is True, must set `max_tokens` (max_tokens=None)'}
  if (pyTruthy(get(cfg, 'invert')) && mode !== 'int') return {key: 'invert', message: `\`output_mode\` must be "int" when \`invert\` is true (output_mode=${show(mode)})`}
  if (pyTruthy(get(cfg, 'sparse')) && mode === 'int') return {key: 'sparse', message: '`sparse` may only be true if `output_mode` is not "int"'}
  const idf = get(cfg, 'idf_weights')
  if (idf !== null && mode !== 'tf_idf') return {key: 'idf_weights', message: `\`idf_weights\` should only be set if \`output_mode\` is "tf_idf" (output_mode=${show(mode)})`}
  if (mode === 'tf_idf' && isArray(get(cfg, 'vocabulary')) && idf === null) return {key: 'idf_weights', message: '`idf_weights` must be set if `output_mode` is "tf_idf" and a vocabulary is passed'}
  return undefined
}

/**
 * `set_vocabulary` of an in-config list: not empty; after the leading special tokens get_vocabulary() lists (the
 * mask, then OOV tokens), no repeated term and no mask token.
 */
const vocabularyCross: CrossCheck = (cfg, ctx) => {
  const vocab = get(cfg, 'vocabulary')
  if (!isArray(vocab)) return undefined
  if (vocab.length === 0) return {key: 'vocabulary', message: 'Cannot set an empty vocabulary'}
  const mask = get(cfg, 'mask_token')
  const oov = Object.hasOwn(cfg, 'oov_token') ? cfg.oov_token : ctx.className === 'IntegerLookup' ? -1 : '[UNK]'
  const keys = vocab.map((t) => JSON.stringify(t))
  let start = mask !== null && keys[0] === JSON.stringify(mask) ? 1 : 0
  while (start < keys.length && keys[start] === JSON.stringify(oov)) start += 1
  const tokens = keys.slice(start)
  if (new Set(tokens).size !== tokens.length) return {key: 'vocabulary', message: 'The passed vocabulary has at least one repeated term'}
  if (mask !== null && tokens.includes(JSON.stringify(mask))) return {key: 'mask_token', message: `Found reserved mask token ${show(mask)} at unexpected location in \`vocabulary\``}
  return undefined
}

/** A vocabulary given in the config: a list of `item`s (a string is a file path Keras opens: not checked). */
const vocabulary = (item: (x: Json) => boolean, phrase: string): ArgCheck => (v) =>
  v === null || typeof v === 'string' || (isArray(v) && v.every(item)) ? undefined : phrase

const lookupArgs = (token: (x: Json) => boolean, tokenPhrase: string): Record<string, ArgCheck> => ({
  max_tokens: nullable(numberWhere('null or a number > 1', (x) => x <= 1)),
  num_oov_indices: numberWhere('a number ≥ 0', (x) => x < 0),
  output_mode: oneOf(...LOOKUP_MODES),
  oov_method: only('keras3', oneOf('floormod', 'farmhash')),
  salt: only('keras3', salt),
  mask_token: nullable((v) => (token(v) ? undefined : tokenPhrase)),
  vocabulary: vocabulary(token, `a list of ${tokenPhrase}s`),
})

const isString = (x: Json): boolean => typeof x === 'string'

/** Normalization `axis`: None, an int or a list of ints. */
const normAxis: ArgCheck = (v) => (v === null || pyInt(v) || (isArray(v) && v.every(pyInt)) ? undefined : 'null, an integer or a list of integers')

/** The shape numpy gives a nested list (`np.shape`), or undefined for ragged lists. */
function npShape(v: Json): number[] | undefined {
  if (!isArray(v)) return []
  const inner = v.map(npShape)
  if (inner.some((s) => s === undefined)) return undefined
  const firstShape = JSON.stringify(inner[0] ?? [])
  return inner.every((s) => JSON.stringify(s) === firstShape) ? [v.length, ...(inner[0] ?? [])] : undefined
}

/** Normalization: `mean` and `variance` together; Keras 3 also wants equal shapes of rank ≤ the number of axes. */
const normCross: CrossCheck = (cfg, ctx) => {
  const mean = get(cfg, 'mean')
  const variance = get(cfg, 'variance')
  if ((mean === null) !== (variance === null)) return {key: mean === null ? 'variance' : 'mean', message: `When setting values directly, both \`mean\` and \`variance\` must be set (mean=${show(mean)}, variance=${show(variance)})`}
  if (mean === null || ctx.generation !== 'keras3') return undefined
  const ms = npShape(mean)
  const vs = npShape(variance)
  if (ms === undefined || vs === undefined) return undefined
  if (JSON.stringify(ms) !== JSON.stringify(vs)) return {key: 'variance', message: `When setting values directly, \`mean\` and \`variance\` must have the same shape (mean shape ${JSON.stringify(ms)}, variance shape ${JSON.stringify(vs)})`}
  const axis = Object.hasOwn(cfg, 'axis') ? (cfg.axis as Json) : -1
  const axes = axis === null ? 0 : isArray(axis) ? axis.length : 1
  return ms.length > axes ? {key: 'mean', message: `The rank of \`mean\` must be less than or equal to the number of axes (${axes}), found mean shape ${JSON.stringify(ms)}`} : undefined
}

/** Discretization: Keras 3 needs `num_bins` or `bin_boundaries`; tf-keras refuses both together. */
const discretizationCross: CrossCheck = (cfg, ctx) => {
  const bins = get(cfg, 'num_bins')
  const boundaries = get(cfg, 'bin_boundaries')
  if (ctx.generation === 'keras3' && bins === null && boundaries === null) return {key: 'num_bins', message: 'You need to set either `num_bins` or `bin_boundaries`'}
  if (ctx.generation === 'keras2' && bins !== null && boundaries !== null) return {key: 'num_bins', message: `Both \`num_bins\` and \`bin_boundaries\` should not be set (num_bins=${show(bins)}, bin_boundaries=${show(boundaries)})`}
  return undefined
}

/** CategoryEncoding `num_tokens` (tf-keras also reads the deprecated `max_tokens`): it must be set. */
const numTokensSet: CrossCheck = (cfg, ctx) => {
  const set = get(cfg, 'num_tokens') !== null || (ctx.generation === 'keras2' && get(cfg, 'max_tokens') !== null)
  return set ? undefined : {key: 'num_tokens', message: 'num_tokens must be set to use this layer'}
}

/** Keras 3 TextVectorization `from_config` reads these keys: a config without one raises KeyError. */
const textKeys: CrossCheck = (cfg, ctx) => {
  const keys = ctx.generation === 'keras3' ? ['standardize', 'split', 'ngrams'] : ['standardize', 'split']
  const missing = keys.find((k) => !Object.hasOwn(cfg, k))
  return missing === undefined ? undefined : {key: missing, message: `TextVectorization's from_config requires \`${missing}\` in the config (KeyError: '${missing}')`}
}

/** TextVectorization: `output_sequence_length` / `ragged` only with the int mode (tf-keras: not together). */
const textCross: CrossCheck = (cfg, ctx) => {
  const mode = get(cfg, 'output_mode') ?? 'int'
  const length = get(cfg, 'output_sequence_length')
  if (length !== null && mode !== 'int') return {key: 'output_sequence_length', message: `\`output_sequence_length\` must not be set if \`output_mode\` is not "int" (output_mode=${show(mode)})`}
  if (length !== null && !pyInt(length)) return {key: 'output_sequence_length', message: `\`output_sequence_length\` must be either None or an integer, found ${show(length)}`}
  if (length !== null && num(length) < 0) return {key: 'output_sequence_length', message: `Dimension ${show(length)} must be >= 0 (output_sequence_length)`}
  if (pyTruthy(get(cfg, 'ragged')) && mode !== 'int') return {key: 'ragged', message: '`ragged` must not be true if `output_mode` is not "int"'}
  if (ctx.generation === 'keras2' && pyTruthy(get(cfg, 'ragged')) && length !== null) return {key: 'ragged', message: '`output_sequence_length` must not be set if ragged is True'}
  return undefined
}

/** Keras 3 Hashing: the int mode needs an int32 / int64 dtype policy (tf-keras switches to int64). */
const hashingDtype: CrossCheck = (cfg, ctx) => {
  const mode = Object.hasOwn(cfg, 'output_mode') ? cfg.output_mode : 'int'
  const dtype = get(cfg, 'dtype')
  const name = typeof dtype === 'string' ? dtype : isObject(dtype) && isObject(dtype.config ?? null) ? (dtype.config as JsonObject).name : null
  if (ctx.generation !== 'keras3' || mode !== 'int' || typeof name !== 'string' || name === 'int32' || name === 'int64') return undefined
  return {key: 'dtype', message: `When \`output_mode="int"\`, \`dtype\` should be an integer type, 'int32' or 'int64' (dtype=${show(dtype)})`}
}

/** TextVectorization `ngrams`: None, an int, or (Keras 3) a list of ints. */
const ngrams: ArgCheck = (v, ctx) => {
  if (v === null || pyInt(v)) return undefined
  return ctx.generation === 'keras3' && isArray(v) && v.every(pyInt) ? undefined : 'null, an integer or a tuple of integers'
}

/** Argument schemas of the categorical preprocessing layers and Normalization. */
export const CATEGORICAL_ARG_TABLE: ArgTable = {
  CategoryEncoding: {
    args: {num_tokens: nullable(positiveInt), output_mode: oneOf('count', 'one_hot', 'multi_hot', 'binary')},
    cross: [numTokensSet],
  },
  Hashing: {
    required: ['num_bins'],
    args: {
      num_bins: perGeneration({
        keras3: numberWhere('a number > 0', (x) => x <= 0),
        keras2: numberWhere('a finite number > 0', (x) => !(x > 0) || !Number.isFinite(x)),
      }),
      output_mode: oneOf('int', 'one_hot', 'multi_hot', 'count'),
      salt,
    },
    cross: [sparseInt('int'), hashingDtype],
  },
  HashedCrossing: {required: ['num_bins'], args: {output_mode: oneOf('int', 'one_hot')}},
  Discretization: {
    args: {
      num_bins: nullable(numberWhere('null or a number ≥ 0', (x) => x < 0)),
      bin_boundaries: only('keras2', nullable((v) => (isArray(v) && v.every(pyNumber) ? undefined : 'a list of numbers'))),
      output_mode: oneOf('int', 'one_hot', 'multi_hot', 'count'),
    },
    cross: [discretizationCross, sparseInt('int')],
  },
  StringLookup: {args: lookupArgs(isString, 'string'), cross: [lookupCross, vocabularyCross]},
  IntegerLookup: {
    args: {
      ...lookupArgs((x) => pyNumber(x), 'number'),
      vocabulary_dtype: oneOf('int64'),
      oov_token: only('keras2', (v) => (pyNumber(v) || v === null ? undefined : 'an integer')),
    },
    cross: [lookupCross, vocabularyCross],
  },
  TextVectorization: {
    args: {
      max_tokens: nullable(numberWhere('null or a number > 1', (x) => x <= 1)),
      ngrams,
      output_mode: perGeneration({
        keras3: oneOf('int', 'one_hot', 'multi_hot', 'count', 'tf_idf', 'binary', 'tf-idf'),
        keras2: nullable(oneOf('int', 'multi_hot', 'count', 'tf_idf', 'binary', 'tf-idf')),
      }),
      split: nullable(oneOf('whitespace', 'character')),
      standardize: nullable(oneOf('lower_and_strip_punctuation', 'lower', 'strip_punctuation')),
    },
    cross: [textKeys, lookupCross, vocabularyCross, textCross],
  },
  Normalization: {args: {axis: normAxis}, cross: [normCross]},
}

// ---- call-time refusals ----

/**
 * tf-keras `encode_categorical_inputs`: any output mode but "int" supports outputs of rank ≤ 2 only (one_hot
 * adds an axis unless the last is 1). Keras 3 encodes any rank.
 */
export function encodedRankRefusal(shape: Shape, mode: string, generation: Generation): string | undefined {
  if (generation !== 'keras2' || mode === 'int') return undefined
  const rank = mode === 'one_hot' && shape.at(-1) !== 1 ? shape.length + 1 : shape.length
  return rank > 2 ? `When output_mode is not 'int', maximum supported output rank is 2 (output_mode=${JSON.stringify(mode)}, input rank ${shape.length})` : undefined
}

/**
 * Normalization `build`: every kept axis in range and of a known size (the batch axis never is), no
 * duplicates (the broadcast reshape fails).
 */
export function normalizationRefusal(cfg: JsonObject, shape: Shape): string | undefined {
  const raw = Object.hasOwn(cfg, 'axis') ? (cfg.axis as Json) : -1
  const list = raw === null ? [] : isArray(raw) ? raw : [raw]
  if (!list.every(pyInt)) return undefined
  const rank = shape.length
  const axes = list.map(Number)
  const resolved = axes.map((a) => (a < 0 ? a + rank : a))
  if (resolved.some((a) => a < 0 || a >= rank || shape[a] === null)) {
    return `All \`axis\` values to be kept must have a known shape (axis=${JSON.stringify(raw)}, input shape (${shape.map((d) => (d === null ? 'None' : d)).join(', ')}))`
  }
  if (new Set(resolved).size !== resolved.length) return `Duplicate \`axis\` values: ${JSON.stringify(raw)}`
  return undefined
}

