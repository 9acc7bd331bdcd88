/**
 * The contract of a per-class shape rule: one call of a layer, its input shapes in, its output shapes and
 * expected weights out. Rules read the raw Keras config (snake_case, Keras 2 or Keras 3 spelling) and never
 * allocate weight bytes.
 */
import type {Json, JsonObject} from '../json.js'
import type {Dim, WeightInfo} from '../graph/summary-types.js'
import type {Dialect} from '../model/spec.js'

/** A tensor shape including the batch dimension: `[null, 28, 28, 1]`. */
export type Shape = Dim[]

/** Evaluates a layer given as a raw `{class_name, config}` (the `layer` of a wrapper, the `cell` of an RNN). */
export type InnerEvaluator = (entry: Json | undefined, inputs: Array<Shape | null>) => RuleResult

/** Everything a rule sees about one call. */
export interface RuleInput {
  class_name: string
  config: JsonObject
  /** Shapes of the tensors passed to the call (positional first, then keyword tensors); null = unknown. */
  inputs: Array<Shape | null>
  /** The variable dtype implied by the layer's dtype policy (`float32` for `mixed_float16`). */
  dtype: string
  dialect: Dialect
  /** The Keras version that wrote the file (`"2.12.0"`, `"3.4.1"`), or null when the file does not say. */
  keras_version: string | null
  /** Keyword arguments of the call (`return_attention_scores`, …) as the file has them. */
  call_kwargs: JsonObject
  /** Shapes of tensors passed by keyword, by argument name (`value`, `key`, `mask`); null = unknown. */
  kwarg_inputs: Readonly<Record<string, Shape | null>>
  /** Evaluates a nested layer config (wrappers, RNN cells); bound to the registry by the caller. */
  inner: InnerEvaluator
  /**
   * The entry's `build_config.input_shape` (Keras 3 files), one shape per input: Keras 3's loader builds the
   * layer on these before calling it, so `build`'s checks (Concatenate, Dot) see them, not the call's inputs.
   */
  build_shapes?: Shape[]
}

/**
 * A rule's answer. `outputs` lists one shape per output tensor (null when a shape cannot be determined);
 * `outputs === null` means the whole output is unknown. `weights === null` means the weights are unknown.
 */
export interface RuleResult {
  outputs: Array<Shape | null> | null
  weights: WeightInfo[] | null
  /**
   * Set when Keras would refuse to build or call the layer on these inputs (a kernel larger than its input,
   * merge inputs that do not fit): one sentence, Keras's reason with the offending values, no layer prefix.
   */
  error?: string
}

/** A shape rule for one Keras class. */
export type LayerRule = (input: RuleInput) => RuleResult

/** A table of rules keyed by Keras `class_name`. */
export type RuleTable = Readonly<Record<string, LayerRule>>

/** The answer for a call Keras refuses (see RuleResult.error). */
export function refuse(message: string): RuleResult {
  return {outputs: null, weights: null, error: message}
}

/** The answer for a layer whose outputs and weights cannot be determined. */
export const UNKNOWN: RuleResult = {outputs: null, weights: null}

/** One trainable weight of `dtype` (rules mark non-trainable ones explicitly). */
export function weight(name: string, shape: Shape, dtype: string, trainable = true): WeightInfo {
  return {name, shape, dtype, trainable}
}

/** A rule result with a single output. */
export function single(shape: Shape | null, weights: WeightInfo[] | null = []): RuleResult {
  return {outputs: [shape], weights}
}

/** The first input shape, or null. */
export function first(input: RuleInput): Shape | null {
  return input.inputs[0] ?? null
}

/** Prefixes every weight name with `prefix/` (wrapper and nested-model weights). */
export function prefixed(weights: WeightInfo[] | null, prefix: string): WeightInfo[] | null {
  return weights === null ? null : weights.map((w) => ({...w, name: `${prefix}/${w.name}`}))
}
