/**
 * Keras 1 layer entries → their Keras 2 meaning, the way Keras 2.0–2.2's legacy interface converters rewrote
 * Keras 1 constructor arguments (`Convolution2D(nb_filter=…, border_mode=…)` → `Conv2D(filters=…, padding=…)`).
 * Keras 1 configs come from `model.to_json()` / full-model HDF5 files with `keras_version` "1.x".
 * Returns new objects; keys with no Keras 2 meaning are kept verbatim and reported as warnings.
 */
import type {Warning} from '../errors.js'
import {clone, isArray, isInt, isObject, jsonPath, type Json, type JsonObject} from '../json.js'
import {
  CONSUME_LESS_VALUES,
  DIM_ORDERING_VALUES,
  KERAS1_LEGACY_CLASSES,
  KERAS1_ONLY_KEYS,
  KERAS1_RULES,
  type Keras1Rule,
  type Preprocessor,
} from '../layers/catalog/keras1-rules.js'
import {isKnownLayerClass, unknownArgs} from '../layers/catalog.js'

/** Result of normalising one entry: the Keras 2 entry and what could not be converted. */
export interface Keras1Result {
  entry: JsonObject
  warnings: Warning[]
}

/** Keras 1 class names the converters rename (`Deconvolution2D` → `Conv2DTranspose`). */
const KERAS1_CLASS_HINTS = new Set(Object.entries(KERAS1_RULES).filter(([, r]) => r.to !== undefined).map(([k]) => k))

/**
 * True for a Keras 1 document: `keras_version` "1.x", or (no version) a layer config using Keras-1-only
 * argument names (`nb_filter`, `border_mode`, `W_regularizer`, …) or class names (`Convolution2D`, `Merge`).
 * Accepts the whole document, a `{model_config}` wrapper, a bare-list Sequential or a single layer entry.
 */
export function isKeras1(doc: unknown): boolean {
  if (isObject(doc) && typeof doc.keras_version === 'string') return doc.keras_version.startsWith('1.')
  return hasKeras1Hint(doc, 0)
}

function hasKeras1Hint(node: unknown, depth: number): boolean {
  if (depth > 64) return false
  if (isArray(node)) return node.some((child) => hasKeras1Hint(child, depth + 1))
  if (!isObject(node)) return false
  const className = node.class_name
  const config = node.config
  if (typeof className === 'string' && isObject(config)) {
    if (KERAS1_CLASS_HINTS.has(className) || className === 'Merge') return true
    if (KERAS1_ONLY_KEYS.some((key) => key in config)) return true
  }
  return Object.values(node).some((child) => hasKeras1Hint(child, depth + 1))
}

/**
 * Converts one serialised Keras 1 layer entry (`{class_name, config, …}`) to Keras 2 names, recursing into
 * wrapped layers (`Bidirectional`/`TimeDistributed` `config.layer`). `path` is the entry's JSON path, used
 * in warnings. Never mutates `entry`.
 */
export function normalizeKeras1Layer(entry: JsonObject, path: string): Keras1Result {
  const warnings: Warning[] = []
  const out = convertEntry(entry, path, warnings)
  return {entry: out, warnings}
}

function convertEntry(entry: JsonObject, path: string, warnings: Warning[]): JsonObject {
  const out = clone(entry)
  const className = out.class_name
  if (typeof className !== 'string' || !isObject(out.config)) return out
  const configPath = jsonPath(path, 'config')
  const rule = KERAS1_RULES[className]
  const config = rule === undefined ? out.config : applyRule(className, rule, out.config, configPath, warnings)
  renameInputDtype(config)
  const target = rule?.to ?? className
  if (isObject(config.layer)) config.layer = convertEntry(config.layer, jsonPath(configPath, 'layer'), warnings)
  out.class_name = target
  out.config = config
  warnAboutLeftovers(className, target, config, configPath, warnings)
  return out
}

/** Keras 2's base Layer read the Keras 1 `input_dtype` as `dtype` (engine/topology.py, "legacy"). */
function renameInputDtype(config: JsonObject): void {
  if ('input_dtype' in config && !('dtype' in config)) renameKey(config, 'input_dtype', 'dtype')
}

function applyRule(className: string, rule: Keras1Rule, input: JsonObject, path: string, warnings: Warning[]): JsonObject {
  const config = {...input}
  if (rule.pre !== undefined) preprocess(rule.pre, className, config, path, warnings)
  if (rule.dimOrdering === true && typeof config.dim_ordering === 'string' && config.dim_ordering in DIM_ORDERING_VALUES) {
    config.dim_ordering = DIM_ORDERING_VALUES[config.dim_ordering] ?? null
  }
  if (rule.pre === 'recurrent' && typeof config.consume_less === 'string' && config.consume_less in CONSUME_LESS_VALUES) {
    config.consume_less = CONSUME_LESS_VALUES[config.consume_less] ?? null
  }
  for (const [from, to] of rule.renames) {
    if (!(from in config)) continue
    if (to in config) {
      warnings.push({path: jsonPath(path, from), message: `Keras 1 argument '${from}' of '${className}' was kept because '${to}' is also set.`})
      continue
    }
    renameKey(config, from, to)
  }
  return config
}

/** Renames a key in place, keeping its position in the object (only on objects this module created). */
function renameKey(config: JsonObject, from: string, to: string, value: Json | undefined = config[from]): void {
  const entries = Object.entries(config).map(([k, v]): [string, Json] => (k === from ? [to, value ?? null] : [k, v]))
  for (const key of Object.keys(config)) delete config[key]
  for (const [k, v] of entries) config[k] = v
}

function preprocess(kind: Preprocessor, className: string, config: JsonObject, path: string, warnings: Warning[]): void {
  switch (kind) {
    case 'conv1d':
    case 'recurrent': {
      if (kind === 'recurrent') forgetBias(className, config, path, warnings)
      if ('input_dim' in config) {
        const shape: Json = [config.input_length ?? null, config.input_dim ?? null]
        delete config.input_length
        renameKey(config, 'input_dim', 'input_shape', shape)
      }
      return
    }
    case 'atrous': {
      const rate = config.atrous_rate ?? 1
      if ('atrous_rate' in config) renameKey(config, 'atrous_rate', 'dilation_rate', rate)
      else config.dilation_rate = rate
      if ('nb_row' in config || 'nb_col' in config) kernelSize(config, ['nb_row', 'nb_col'])
      else if ('input_dim' in config) preprocess('conv1d', className, config, path, warnings)
      return
    }
    case 'convlstm2d':
      forgetBias(className, config, path, warnings)
      kernelSize(config, ['nb_row', 'nb_col'])
      return
    case 'conv2d':
      kernelSize(config, ['nb_row', 'nb_col'])
      return
    case 'conv3d':
      kernelSize(config, ['kernel_dim1', 'kernel_dim2', 'kernel_dim3'])
      return
    case 'separable':
      if ('init' in config) {
        const init = config.init ?? null
        renameKey(config, 'init', 'depthwise_initializer')
        config.pointwise_initializer = init
      }
      kernelSize(config, ['nb_row', 'nb_col'])
      return
    case 'deconv2d':
      if ('output_shape' in config) {
        warnings.push({path: jsonPath(path, 'output_shape'), message: `Dropped Keras 1 'output_shape' ${JSON.stringify(config.output_shape)} of 'Deconvolution2D': Conv2DTranspose computes its output shape.`})
        delete config.output_shape
      }
      kernelSize(config, ['nb_row', 'nb_col'])
      return
    case 'batchnorm':
      if (config.mode === 0) delete config.mode
      else if ('mode' in config) warnings.push({path: jsonPath(path, 'mode'), message: `BatchNormalization 'mode' ${JSON.stringify(config.mode)} has no Keras 2 equivalent (only mode 0 was kept).`})
      return
    case 'embedding':
      return
    case 'zeropadding2d':
      zeroPadding(config)
  }
}

/** `forget_bias_init: 'one'` became `unit_forget_bias: true`; any other value was ignored by Keras 2. */
function forgetBias(className: string, config: JsonObject, path: string, warnings: Warning[]): void {
  if (!('forget_bias_init' in config)) return
  const value = config.forget_bias_init
  if (value === 'one' && !('unit_forget_bias' in config)) renameKey(config, 'forget_bias_init', 'unit_forget_bias', true)
  else warnings.push({path: jsonPath(path, 'forget_bias_init'), message: `Keras 1 'forget_bias_init' ${JSON.stringify(value)} of '${className}' has no Keras 2 equivalent (only 'one' maps to unit_forget_bias).`})
}

/** `nb_row`/`nb_col` (or `kernel_dim1..3`) → `kernel_size`, only when all parts are present, as Keras did. */
function kernelSize(config: JsonObject, parts: readonly string[]): void {
  if ('kernel_size' in config || !parts.every((p) => p in config)) return
  const size: Json = parts.map((p) => config[p] ?? null)
  renameKey(config, parts[0] ?? '', 'kernel_size', size)
  for (const p of parts.slice(1)) delete config[p]
}

/** ZeroPadding2D `{top_pad, bottom_pad, left_pad, right_pad}` → `[[top, bottom], [left, right]]`. */
function zeroPadding(config: JsonObject): void {
  const padding = config.padding
  const sides = ['top_pad', 'bottom_pad', 'left_pad', 'right_pad']
  if (!isObject(padding) || !Object.keys(padding).every((k) => sides.includes(k))) return
  const side = (k: string): Json => (isInt(padding[k]) ? padding[k] : 0)
  config.padding = [[side('top_pad'), side('bottom_pad')], [side('left_pad'), side('right_pad')]]
}

function warnAboutLeftovers(className: string, target: string, config: JsonObject, path: string, warnings: Warning[]): void {
  const legacyUntil = KERAS1_LEGACY_CLASSES[className]
  if (legacyUntil !== undefined) {
    warnings.push({path, message: `Layer class '${className}' is Keras 1-only (kept by standalone Keras up to ${legacyUntil} as a legacy layer); it was left unchanged.`})
    return
  }
  if (!isKnownLayerClass(target)) {
    warnings.push({path, message: `Keras 1 layer class '${className}' has no Keras 2 equivalent; it was left unchanged.`})
    return
  }
  for (const key of unknownArgs(target, config, 2)) {
    if (key === 'mode' && className === 'BatchNormalization') continue
    if (key === 'forget_bias_init') continue
    warnings.push({path: jsonPath(path, key), message: `Keras 1 argument '${key}' of '${className}' has no Keras 2 meaning; it was kept unchanged.`})
  }
}
