/** Small builders for layer-rule tests: evaluate one call of a class and count its weights. */
import {argumentProblems} from '../../../src/core/model/validate.js'
import type {Generation} from '../../../src/core/layers/args.js'
import type {JsonObject} from '../../../src/core/json.js'
import {countWeights} from '../../../src/core/graph/params.js'
import {evaluateLayer} from '../../../src/core/layers/index.js'
import type {RuleResult, Shape} from '../../../src/core/layers/index.js'
import type {Dialect} from '../../../src/core/model/spec.js'

/** Evaluates `class_name(config)` called on `inputs`. */
export function run(
  class_name: string, config: JsonObject, inputs: Array<Shape | null>,
  opts: {dialect?: Dialect; kwargs?: JsonObject; named?: Record<string, Shape | null>; version?: string} = {},
): RuleResult {
  return evaluateLayer({class_name, config, inputs, dialect: opts.dialect ?? 'keras2', call_kwargs: opts.kwargs ?? {}, kwarg_inputs: opts.named ?? {}, keras_version: opts.version ?? null})
}

/** The single output shape of a call. */
export function out(result: RuleResult): Shape | null | undefined {
  return result.outputs === null ? null : result.outputs[0]
}

/** Total parameters of a call's weights (null when unknown). */
export function params(result: RuleResult): number | null {
  return countWeights(result.weights).total
}

/** Non-trainable parameters of a call's weights. */
export function frozen(result: RuleResult): number | null {
  return countWeights(result.weights).non_trainable
}

/** `[name, shape]` pairs of a call's weights, for order checks. */
export function shapes(result: RuleResult): Array<[string, Shape]> {
  return (result.weights ?? []).map((w) => [w.name, w.shape])
}

/** `{class_name, config}` entry, as wrappers and RNN cells hold them. */
export function entry(class_name: string, config: JsonObject): JsonObject {
  return {class_name, config}
}

/**
 * The first problem a class's argument schema finds in `config` for a generation (model/validate.ts
 * argumentProblems), as `key: expected` / `missing key` / the cross check's sentence; undefined when it accepts.
 */
export function argProblem(className: string, config: JsonObject, generation: Generation): string | undefined {
  const problem = argumentProblems(className, config, generation)[0]
  if (problem === undefined) return undefined
  return problem.kind === 'required' ? `missing ${problem.key}` : problem.kind === 'arg' ? `${problem.key}: ${problem.message}` : problem.message
}
