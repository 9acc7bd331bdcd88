/**
 * What `from_config` would object to, checked without building anything: argument types of the common
 * layer arguments (errors), unknown layer classes and arguments (warnings: custom layers are legitimate, but
 * kmodel cannot vouch for them). Graph integrity is checked by graph/topology.ts when the model is read.
 */
import type {Warning} from '../errors.js'
import {type Json, type JsonObject, isArray, isInt, isObject, jsonPath} from '../json.js'
import {isKnownLayerClass, unknownArgs} from '../layers/catalog.js'
import type {GraphSpec, LayerSpec, ModelSpec} from './spec.js'

/** One problem found, located by JSON path. */
export interface Issue {
  path: string
  message: string
}

/** Errors (the model would not load in Keras) and warnings (it may, but kmodel cannot check it). */
export interface Validation {
  errors: Issue[]
  warnings: Warning[]
}

type Check = (value: Json) => string | undefined

const positiveInt: Check = (v) => (isInt(v) && v > 0 ? undefined : 'a positive integer')
const intOrInts: Check = (v) => (isInt(v) && v > 0) || (isArray(v) && v.length > 0 && v.every((x) => isInt(x) && x > 0)) ? undefined : 'a positive integer or a list of them'
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false')
const rate: Check = (v) => (typeof v === 'number' && v >= 0 && v < 1 ? undefined : 'a number in [0, 1)')
const shape: Check = (v) => (isArray(v) && v.every((d) => d === null || (isInt(d) && d >= 0)) ? undefined : 'a list of non-negative integers or null')
const oneOf = (...options: Array<string | null>): Check => (v) => (options.includes(v as string | null) ? undefined : `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`)
const stringOrObject: Check = (v) => (v === null || typeof v === 'string' || isObject(v) ? undefined : 'a name, a {class_name, config} object or null')

/** Argument checks, keyed by config key; `classes` restricts a check to some layer classes. */
const CHECKS: Array<{key: string; check: Check; classes?: RegExp}> = [
  {key: 'name', check: (v) => (typeof v === 'string' && v !== '' ? undefined : 'a non-empty string')},
  {key: 'units', check: positiveInt},
  {key: 'filters', check: positiveInt, classes: /Conv/},
  {key: 'input_dim', check: positiveInt, classes: /^Embedding$/},
  {key: 'output_dim', check: positiveInt, classes: /^Embedding$/},
  {key: 'kernel_size', check: intOrInts},
  {key: 'strides', check: (v) => (v === null ? undefined : intOrInts(v))},
  {key: 'dilation_rate', check: intOrInts},
  {key: 'pool_size', check: (v) => (v === null ? undefined : intOrInts(v))},
  {key: 'rate', check: rate, classes: /Dropout$/},
  {key: 'dropout', check: rate}, {key: 'recurrent_dropout', check: rate},
  {key: 'padding', check: oneOf('valid', 'same', 'causal', 'full'), classes: /Conv|Pool|LocallyConnected/},
  {key: 'data_format', check: oneOf('channels_last', 'channels_first', null)},
  {key: 'use_bias', check: bool}, {key: 'trainable', check: bool},
  {key: 'return_sequences', check: bool}, {key: 'return_state', check: bool},
  {key: 'activation', check: stringOrObject}, {key: 'recurrent_activation', check: stringOrObject},
  {key: 'batch_input_shape', check: shape}, {key: 'batch_shape', check: shape},
]

function checkArgs(layer: LayerSpec, path: string, errors: Issue[]): void {
  for (const {key, check, classes} of CHECKS) {
    const value = layer.config[key]
    if (value === undefined || (classes !== undefined && !classes.test(layer.class_name))) continue
    const expected = check(value)
    if (expected !== undefined) {
      errors.push({path: jsonPath(path, 'config', key), message: `'${key}' of ${layer.class_name} layer '${layer.name}' must be ${expected}, found ${JSON.stringify(value)}.`})
    }
  }
}

/** Wrappers (Bidirectional, TimeDistributed) carry an inner layer whose class must be known too. */
function innerLayer(config: JsonObject): {className: string; config: JsonObject} | undefined {
  const inner = config.layer
  if (isObject(inner) && typeof inner.class_name === 'string' && isObject(inner.config)) return {className: inner.class_name, config: inner.config}
  return undefined
}

function checkClass(className: string, config: JsonObject, path: string, warnings: Warning[]): void {
  if (!isKnownLayerClass(className)) {
    warnings.push({path, message: `Unknown layer class '${className}' (a custom layer?): its arguments and weights cannot be checked.`})
    return
  }
  for (const arg of unknownArgs(className, config)) {
    warnings.push({path: jsonPath(path, 'config', arg), message: `${className} does not take the argument '${arg}'; Keras would refuse it.`})
  }
  const inner = innerLayer(config)
  if (inner !== undefined) checkClass(inner.className, inner.config, jsonPath(path, 'config', 'layer'), warnings)
}

function validateGraph(graph: GraphSpec, path: string, out: Validation): void {
  graph.layers.forEach((layer, i) => {
    const at = jsonPath(path, 'layers', i)
    if (layer.graph !== undefined) {
      validateGraph(layer.graph, jsonPath(at, 'config'), out)
      return
    }
    checkArgs(layer, at, out.errors)
    checkClass(layer.class_name, layer.config, at, out.warnings)
    if (layer.class_name === 'Lambda') out.warnings.push({path: at, message: `Lambda layer '${layer.name}' holds Python code; kmodel never runs it, so its output shape may be unknown.`})
  })
}

/** Validates a model read by readModel. */
export function validateModel(model: ModelSpec): Validation {
  const out: Validation = {errors: [], warnings: []}
  validateGraph(model.root.graph, '$.config', out)
  return out
}
