/**
 * Which compute function a layer gets, and the refusal before anything runs: every layer of the model (nested
 * models, wrapped layers, RNN cells) must have a compute function, or the model is refused by name with the
 * reason from the refusal tables — never approximated. Code-carrying layers are refused as such, and so are
 * layers whose dtype policy computes in float16, bfloat16 or float64 (kmodel computes in float32).
 */
import {BackendError} from '../errors.js'
import {type Json, type JsonObject, isArray, isObject, jsonPath} from '../json.js'
import {policyName} from '../layers/config.js'
import {isOperation} from '../layers/ops.js'
import {type LayerSpec, MODEL_CLASSES} from '../model/spec.js'
import type {GraphSpec} from '../model/spec.js'
import {COMPUTE, OPERATIONS, REFUSED} from './index.js'
import type {LayerCompute} from './types.js'

/** Classes whose config carries Python code or TF graph ops. */
export const CODE_LAYERS: ReadonlySet<string> = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda', 'TensorFlowOpLayer', 'TFSMLayer', 'KerasLayer', 'ClassMethod', 'InstanceMethod', 'InstanceProperty'])

/** Config keys that hold a nested layer entry: wrappers' `layer`, `backward_layer`, RNN's `cell` / `cells`. */
const NESTED_KEYS = ['layer', 'backward_layer', 'cell', 'cells'] as const

function refusal(className: string, name: string, path: string, operation: boolean): BackendError {
  if (CODE_LAYERS.has(className)) {
    return new BackendError('KM_BACKEND_CODE_LAYER', `Layer '${name}' is a ${className} layer at ${path}: it holds code, which kmodel never runs, so the model cannot be computed.`, {
      hint: 'summary and to-json still work. To compute, rebuild the model with built-in layers in place of the Lambda and re-save it.',
    })
  }
  const reason = REFUSED.get(className)
  const what = operation ? `the Keras operation '${className}'` : `class '${className}'`
  const why = reason ?? (operation ? 'kmodel has no compute function for this operation' : 'kmodel has no compute function for this class')
  return new BackendError('KM_BACKEND_UNSUPPORTED_LAYER', `Layer '${name}' at ${path} is ${what}, which kmodel does not compute: ${why.replace(/\.+$/, '')}.`, {
    hint: 'summary and to-json still work; `kmodel backends --layers` lists what computes. Computing needs a model made of those layers.',
  })
}

/** Compute dtypes of Keras dtype policies other than float32, by policy name. */
const OTHER_COMPUTE_DTYPES: Readonly<Record<string, string>> = {
  mixed_float16: 'float16', mixed_bfloat16: 'bfloat16', float16: 'float16', bfloat16: 'bfloat16', half: 'float16',
  float64: 'float64', double: 'float64',
}

/** Refuses a layer whose dtype policy computes in another float type than float32 (kmodel computes in float32). */
function checkDtype(config: JsonObject, name: string, path: string): void {
  const policy = policyName(config.dtype)
  const dtype = policy === undefined ? undefined : OTHER_COMPUTE_DTYPES[policy]
  if (dtype === undefined) return
  throw new BackendError('KM_BACKEND_DTYPE', `Layer '${name}' at ${path} computes in ${dtype} (dtype policy '${policy}'); kmodel computes in float32 only, which would not give Keras's numbers.`, {
    hint: 'summary and to-json still work. To compute, build and save the model under the float32 policy (keras.mixed_precision.set_global_policy("float32")) with the same weights.',
  })
}

/** The compute function of a class (an operation when `module` says keras.src.ops), or undefined. */
export function lookupCompute(className: string, module: Json | undefined): LayerCompute | undefined {
  return isOperation(module) ? OPERATIONS.get(className) : CODE_LAYERS.has(className) ? undefined : COMPUTE.get(className)
}

/** The compute function of a leaf layer; BackendError when there is none (checkComputable runs first). */
export function computeOf(layer: LayerSpec): LayerCompute {
  const fn = lookupCompute(layer.class_name, layer.extra.module)
  if (fn === undefined) throw refusal(layer.class_name, layer.name, '$', isOperation(layer.extra.module))
  return fn
}

/** Checks a raw nested entry (`{class_name, config}`) and the entries inside it. */
function checkEntry(entry: Json, path: string): void {
  if (!isObject(entry) || typeof entry.class_name !== 'string') return
  const config: JsonObject = isObject(entry.config) ? entry.config : {}
  const name = typeof config.name === 'string' ? config.name : '?'
  if (MODEL_CLASSES.has(entry.class_name)) throw new BackendError('KM_BACKEND_UNSUPPORTED_LAYER', `Layer '${name}' at ${path} is a whole model wrapped inside a layer, which kmodel does not compute yet.`, {hint: 'summary and to-json still work.'})
  if (lookupCompute(entry.class_name, entry.module) === undefined) throw refusal(entry.class_name, name, path, isOperation(entry.module))
  checkDtype(config, name, path)
  checkNested(config, jsonPath(path, 'config'))
}

function checkNested(config: JsonObject, path: string): void {
  for (const key of NESTED_KEYS) {
    const value = config[key]
    if (isArray(value)) value.forEach((v, i) => checkEntry(v, jsonPath(path, key, i)))
    else if (value !== undefined && value !== null) checkEntry(value, jsonPath(path, key))
  }
}

/**
 * Refuses the model unless every layer in it computes: throws BackendError KM_BACKEND_CODE_LAYER or
 * KM_BACKEND_UNSUPPORTED_LAYER naming the first layer that does not, with its JSON path.
 */
export function checkComputable(graph: GraphSpec, path = '$.config'): void {
  const stack: Array<{graph: GraphSpec; path: string}> = [{graph, path}]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    item.graph.layers.forEach((layer, i) => {
      const at = jsonPath(item.path, 'layers', i)
      if (layer.graph !== undefined) {
        stack.push({graph: layer.graph, path: jsonPath(at, 'config')})
        return
      }
      if (layer.class_name === 'InputLayer') return
      if (lookupCompute(layer.class_name, layer.extra.module) === undefined) throw refusal(layer.class_name, layer.name, at, isOperation(layer.extra.module))
      checkDtype(layer.config, layer.name, at)
      checkNested(layer.config, jsonPath(at, 'config'))
    })
  }
}
