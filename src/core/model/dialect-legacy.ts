/**
 * What a Keras 3 layer config needs to load in tf.keras (Keras 2 / tf-keras 2.x) with the same numbers: Keras 3
 * arguments tf.keras rejects are dropped when they hold tf.keras's behaviour, renamed when tf.keras spells them
 * differently, and refused when tf.keras cannot express them (checked against tf-keras 2.21 by
 * test/oracle/dialect-keras2.test.ts). Used by dialect.ts for `convertModel(model, 'keras2')`.
 */
import {FormatError} from '../errors.js'
import {type Json, type JsonObject, isObject} from '../json.js'

/** The layer being converted (the innermost one, for wrapped layers), and where conversion warnings go. */
export interface LegacyContext {
  layer: string
  className: string
  warn: (message: string) => void
}

const HINT = 'Keras 2 readers (tf.keras, TensorFlow.js) cannot compute this layer as Keras 3 does; keep the model as Keras 3 (a .keras file, or to-json without --dialect keras2).'

/** Refuses the conversion: tf.keras has no way to express `arg` = `value` on this layer. */
export function refuse(ctx: LegacyContext, arg: string, value: Json, why: string): never {
  const shown = JSON.stringify(value)
  throw new FormatError('KM_FORMAT_NO_LEGACY_FORM', `Layer '${ctx.layer}' (${ctx.className}): ${arg}=${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown} has no Keras 2 (tf.keras) form: ${why}.`, {
    path: `layer '${ctx.layer}'.${arg}`,
    hint: HINT,
  })
}

/** `error` with `source` (the file) named at the start of its message, when it is a refusal that does not already. */
export function namedBy(source: string | undefined, error: unknown): unknown {
  if (source === undefined || !(error instanceof FormatError) || error.message.startsWith(source)) return error
  return new FormatError(error.code as `KM_FORMAT_${string}`, `${source}: ${error.message}`, {
    ...(error.hint === undefined ? {} : {hint: error.hint}),
    ...(error.path === undefined ? {} : {path: error.path}),
  })
}

/** Runs `fn`, naming `source` (the file) at the start of a refusal's message. */
export function inSource<T>(source: string | undefined, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    throw namedBy(source, error)
  }
}

/** Activation names tf.keras (tf_keras.activations) knows, with the numbers Keras 3 gives them. */
const TF_KERAS_ACTIVATIONS: ReadonlySet<string> = new Set(['softmax', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'relu', 'gelu', 'tanh', 'sigmoid', 'exponential', 'linear', 'mish'])

/** A Keras 3 activation name → tf.keras's name for the same function. */
export function legacyActivation(name: string, key: string, ctx: LegacyContext): string {
  if (name === 'silu') return 'swish'
  if (name === 'hard_sigmoid') {
    refuse(ctx, key, name, "Keras 3's hard_sigmoid is relu6(x + 3) / 6, tf.keras's is clip(0.2·x + 0.5, 0, 1): same name, different numbers")
  }
  if (!TF_KERAS_ACTIVATIONS.has(name)) ctx.warn(`${key}: tf.keras has no activation '${name}' and will refuse to load the layer (tfjs may know it)`)
  return name
}

/**
 * Keras 3.15 initializers of the VarianceScaling family record `input_axes` / `output_axes` (null unless set by
 * EinsumDense); tf.keras initializers take neither.
 */
export function legacyInitializerConfig(config: JsonObject, key: string, ctx: LegacyContext): JsonObject {
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(config)) {
    if (k !== 'input_axes' && k !== 'output_axes') out[k] = v
    else if (v !== null) refuse(ctx, `${key}.${k}`, v, "tf.keras initializers compute their fans from the kernel's first and last axes only")
  }
  return out
}

/** `config[key]` is dropped when it equals `absent` (tf.keras's behaviour), else refused with `why`. */
function dropIf(config: JsonObject, key: string, absent: Json, why: string, ctx: LegacyContext): void {
  if (!(key in config)) return
  if (JSON.stringify(config[key]) !== JSON.stringify(absent)) refuse(ctx, key, config[key] ?? null, why)
  delete config[key]
}

/** Image layers of Keras 3 that take `data_format`; their tf.keras forms work on channels_last only. */
const CHANNELS_LAST_ONLY: ReadonlySet<string> = new Set([
  'Resizing', 'CenterCrop', 'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomTranslation', 'RandomCrop', 'RandomBrightness',
])

/** Class-specific rules, on a config whose values were already converted (dtype, initializers, activations). */
export function legacyLayerRules(className: string, config: JsonObject, ctx: LegacyContext): JsonObject {
  const out: JsonObject = {...config}
  dropIf(out, 'quantization_config', null, 'tf.keras has no quantized layers', ctx)
  // Written only when LoRA is enabled (Keras 3 Dense, EinsumDense, Embedding, convolutions): extra weights.
  dropIf(out, 'lora_rank', null, 'tf.keras layers have no LoRA weights', ctx)
  delete out.lora_alpha
  if (className === 'LeakyReLU' && 'negative_slope' in out) {
    out.alpha = out.negative_slope ?? 0.2
    delete out.negative_slope
  }
  if (className === 'LayerNormalization') dropIf(out, 'rms_scaling', false, 'tf.keras LayerNormalization always centres and scales by the standard deviation', ctx)
  if (CHANNELS_LAST_ONLY.has(className)) dropIf(out, 'data_format', 'channels_last', `tf.keras's ${className} works on channels_last inputs only`, ctx)
  if (className === 'Resizing') {
    dropIf(out, 'pad_to_aspect_ratio', false, 'tf.keras Resizing cannot pad to the aspect ratio', ctx)
    dropIf(out, 'antialias', false, 'tf.keras Resizing does not antialias', ctx)
    // Only used when padding to the aspect ratio (refused above).
    delete out.fill_mode
    delete out.fill_value
  }
  if (className === 'RandomContrast') dropIf(out, 'value_range', [0, 255], 'tf.keras RandomContrast always clips its training outputs to [0, 255]', ctx)
  if (className === 'ConvLSTM1D' || className === 'ConvLSTM2D' || className === 'ConvLSTM3D') {
    if (out.seed !== null && out.seed !== undefined) ctx.warn('seed dropped: tf.keras ConvLSTM takes none (it only seeds dropout masks in training)')
    delete out.seed
  }
  if (className === 'MultiHeadAttention') {
    dropIf(out, 'use_gate', false, 'tf.keras MultiHeadAttention has no output gate', ctx)
    dropIf(out, 'sliding_window', null, 'tf.keras MultiHeadAttention attends over the whole sequence', ctx)
    if (out.seed !== null && out.seed !== undefined) ctx.warn('seed dropped: tf.keras MultiHeadAttention takes none (it only seeds dropout in training)')
    delete out.seed
  }
  if (className === 'Bidirectional') return legacyBidirectional(out)
  return out
}

/**
 * tf.keras's MultiHeadAttention.from_config requires `query_shape`, `key_shape` and `value_shape` (it builds the
 * layer from them, or at its first call when they are null) and to_json writes them once the layer is built:
 * the shapes of the first call's query and value, the key being the value when none is passed. Keras 3 builds
 * from the call and writes none. `shapes` are those of the first call's positional inputs (null: unknown).
 */
export function legacyAttentionShapes(config: JsonObject, shapes: ReadonlyArray<Json>): JsonObject {
  const [query = null, value = null, key = value] = shapes
  return {...config, query_shape: query, key_shape: key, value_shape: value}
}

const nameOf = (layer: Json | undefined): string | undefined => (isObject(layer) && isObject(layer.config) && typeof layer.config.name === 'string' ? layer.config.name : undefined)

/**
 * Keras 3 writes a Bidirectional's forward layer named `forward_<name>` and always writes its backward layer;
 * tf.keras writes the wrapped layer under its own name and a backward layer only when one was given (it
 * prefixes both names itself when it builds them). A backward layer that merely mirrors the forward one
 * (same config but its name and go_backwards) is left out, as tf.keras would write it.
 */
function legacyBidirectional(config: JsonObject): JsonObject {
  const forward = config.layer
  const name = nameOf(forward)
  if (!isObject(forward) || !isObject(forward.config) || name === undefined) return config
  const base = name.startsWith('forward_') ? name.slice('forward_'.length) : name
  const out: JsonObject = {...config, layer: {...forward, config: {...forward.config, name: base}}}
  const backward = config.backward_layer
  if (isObject(backward) && isObject(backward.config) && nameOf(backward) === `backward_${base}`) {
    const mirror = {...backward, config: {...backward.config, name, go_backwards: forward.config.go_backwards ?? false}}
    if (JSON.stringify(mirror) === JSON.stringify(forward)) delete out.backward_layer
  }
  return out
}
