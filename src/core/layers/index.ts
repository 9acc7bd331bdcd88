/**
 * The registry of shape rules, keyed by Keras `class_name`, and the one entry point the graph engine uses
 * to evaluate a call: dtype policy, `trainable: false` and nested wrapper configs are handled here so that
 * the per-family rules stay pure tables.
 */
import {type Json, type JsonObject, isObject} from '../json.js'
import {type Dialect, MODEL_CLASSES} from '../model/spec.js'
import {ACTIVATION_ARGS, ACTIVATION_RULES} from './activation.js'
import {ATTENTION_ARGS, ATTENTION_RULES} from './attention.js'
import {bool, entryOf, variableDtype} from './config.js'
import {CONV_ARGS, CONV_RULES} from './conv.js'
import {CORE_ARGS, CORE_RULES} from './core.js'
import {MERGE_ARGS, MERGE_RULES} from './merge.js'
import {NORMALIZATION_ARGS, NORMALIZATION_RULES} from './normalization.js'
import {POOLING_ARGS, POOLING_RULES} from './pooling.js'
import {PREPROCESSING_ARGS, PREPROCESSING_RULES} from './preprocessing.js'
import {isOperation, operation} from './ops.js'
import {quantized} from './quantized.js'
import {RECURRENT_ARGS, RECURRENT_RULES} from './recurrent.js'
import {RESHAPING_ARGS, RESHAPING_RULES} from './reshaping.js'
import type {ClassArgs} from './args.js'
import {type LayerRule, type RuleResult, type Shape, UNKNOWN} from './types.js'
import {WRAPPER_ARGS, WRAPPER_RULES} from './wrappers.js'

export {declaredInputShape} from './core.js'
export type {LayerRule, RuleInput, RuleResult, Shape} from './types.js'

/** Every built-in rule, by class name. */
export const RULES: ReadonlyMap<string, LayerRule> = new Map(Object.entries({
  ...CORE_RULES,
  ...CONV_RULES,
  ...POOLING_RULES,
  ...RECURRENT_RULES,
  ...WRAPPER_RULES,
  ...MERGE_RULES,
  ...NORMALIZATION_RULES,
  ...RESHAPING_RULES,
  ...ATTENTION_RULES,
  ...PREPROCESSING_RULES,
  ...ACTIVATION_RULES,
}))

/** Every built-in argument schema, by canonical class name. */
const ARG_SCHEMAS: ReadonlyMap<string, ClassArgs> = new Map(Object.entries({
  ...CORE_ARGS,
  ...CONV_ARGS,
  ...POOLING_ARGS,
  ...RECURRENT_ARGS,
  ...WRAPPER_ARGS,
  ...MERGE_ARGS,
  ...NORMALIZATION_ARGS,
  ...RESHAPING_ARGS,
  ...ATTENTION_ARGS,
  ...PREPROCESSING_ARGS,
  ...ACTIVATION_ARGS,
} satisfies Record<string, ClassArgs>))

/** The argument schema of a canonical class name (layers/args.ts), if kmodel has one. */
export function argSchema(className: string): ClassArgs | undefined {
  return ARG_SCHEMAS.get(className)
}

/** True when kmodel knows the class's shapes and weights. */
export function isKnownClass(className: string): boolean {
  return RULES.has(className)
}

/** One call to evaluate. */
export interface CallInput {
  class_name: string
  config: JsonObject
  inputs: Array<Shape | null>
  dialect: Dialect
  /** The Keras version that wrote the file, when known (a few layouts changed within a major version). */
  keras_version?: string | null
  /** Keyword arguments of the call (`return_attention_scores`, …); `{}` when none. */
  call_kwargs?: JsonObject
  /** Shapes of tensors passed by keyword, by argument name; `{}` when none. */
  kwarg_inputs?: Readonly<Record<string, Shape | null>>
  /** The entry's `module` (Keras 3): `keras.src.ops.*` marks a saved operation (layers/ops.ts), not a layer. */
  module?: Json
  /** The dtype inherited from an enclosing wrapper, when the config has none. */
  dtype?: string
  /**
   * Evaluates a whole model found inside a wrapper's config (`TimeDistributed(Sequential(...))`); supplied
   * by the graph engine, which owns model graphs. Without it such wrappers are opaque.
   */
  model?: ModelEvaluator
  /** The entry's `build_config.input_shape` (see RuleInput.build_shapes). */
  build_shapes?: Shape[]
}

/** Evaluates a raw nested model entry `{class_name: 'Sequential' | 'Functional' | 'Model', config}`. */
export type ModelEvaluator = (entry: JsonObject, inputs: Array<Shape | null>) => RuleResult

/** Moves every weight to non-trainable when the layer is frozen, keeping the saved order. */
function freeze(result: RuleResult, trainable: boolean): RuleResult {
  if (trainable || result.weights === null) return result
  return {...result, weights: result.weights.map((w) => ({...w, trainable: false}))}
}

/**
 * Evaluates one call of a built-in layer class. Unknown classes give UNKNOWN (opaque: output and weights
 * unknown); the caller may fill the output in from neighbouring information.
 */
export function evaluateLayer(call: CallInput): RuleResult {
  const rule = isOperation(call.module) ? operation : RULES.get(call.class_name)
  if (rule === undefined) return UNKNOWN
  const dtype = variableDtype(call.config, call.dtype)
  const inner = (entry: Json | undefined, inputs: Array<Shape | null>): RuleResult => {
    const parsed = entryOf(entry)
    if (parsed === undefined) return UNKNOWN
    if (MODEL_CLASSES.has(parsed.class_name) && isObject(entry)) return call.model?.(entry, inputs) ?? UNKNOWN
    const next: CallInput = {class_name: parsed.class_name, config: parsed.config, inputs, dialect: call.dialect, keras_version: call.keras_version ?? null, dtype}
    if (call.model !== undefined) next.model = call.model
    return evaluateLayer(next)
  }
  const result = rule({
    class_name: call.class_name, config: call.config, inputs: call.inputs, dtype, dialect: call.dialect, keras_version: call.keras_version ?? null,
    call_kwargs: call.call_kwargs ?? {}, kwarg_inputs: call.kwarg_inputs ?? {}, inner,
    ...(call.build_shapes === undefined ? {} : {build_shapes: call.build_shapes}),
  })
  // Keras 3 does not carry a wrapper's own `trainable: false` over to the layer it wraps (whose config says
  // trainable: true): Keras 3.15's model_from_json and live models alike count such weights as trainable.
  const container = call.dialect === 'keras3' && isObject(call.config.layer)
  return freeze(quantized(call.class_name, call.config, result, dtype), container || bool(call.config, 'trainable', true))
}
