/**
 * Layer wrappers: Bidirectional (forward then backward weights, `merge_mode` concat / sum / mul / ave / None,
 * states after the merged outputs) and TimeDistributed (the inner layer applied to every step).
 */
import {type JsonObject, isObject} from '../json.js'
import {entryOf, str} from './config.js'
import {type LayerRule, type RuleInput, type RuleResult, type RuleTable, type Shape, UNKNOWN, first, prefixed, refuse} from './types.js'
import {type ArgCheck, type ArgTable, type CrossCheck, generationFor, nullable, oneOf} from './args.js'
import {canRunBackwards, sameSetting} from './recurrent-args.js'

/** The `name` inside a wrapped layer entry, for weight prefixes (`forward_lstm/kernel`). */
function innerName(entry: JsonObject[string] | undefined, fallback: string): string {
  const parsed = entryOf(entry)
  const name = parsed?.config.name
  return typeof name === 'string' ? name : fallback
}

/** Merges the forward and backward sequence outputs. */
function mergeOutputs(mode: string | null, fwd: Shape | null, bwd: Shape | null): Array<Shape | null> {
  if (mode === null) return [fwd, bwd]
  if (mode !== 'concat' || fwd === null) return [fwd]
  const last = fwd.at(-1) ?? null
  const other = bwd?.at(-1) ?? null
  return [[...fwd.slice(0, -1), last === null || other === null ? null : last + other]]
}

/**
 * tf-keras merges the two directions with TensorFlow ops: `sum` / `mul` / `ave` of outputs whose last
 * dimensions differ fails there ("Dimensions must be equal"); Keras 3's symbolic call lets it through.
 */
function mergeRefusal(input: RuleInput, mode: string | null, fwd: Shape | null, bwd: Shape | null): string | undefined {
  if (mode === null || mode === 'concat' || generationFor(input.keras_version, input.dialect) !== 'keras2') return undefined
  const a = fwd?.at(-1) ?? null
  const b = bwd?.at(-1) ?? null
  return a !== null && b !== null && a !== b ? `merge_mode "${mode}" needs outputs of one size, got ${a} (forward) and ${b} (backward)` : undefined
}

const bidirectional: LayerRule = (input: RuleInput) => {
  const layer = input.config.layer
  const backwardEntry = isObject(input.config.backward_layer) ? input.config.backward_layer : layer
  const fwd = input.inner(layer, input.inputs.slice(0, 1))
  const bwd = input.inner(backwardEntry, input.inputs.slice(0, 1))
  const innerError = fwd.error ?? bwd.error
  if (innerError !== undefined) return refuse(innerError)
  const name = innerName(layer, 'layer')
  const bwdName = backwardEntry === layer ? name : innerName(backwardEntry, name)
  // Keras 3 configs already name the wrapped layers `forward_lstm` / `backward_lstm`.
  const fw = prefixed(fwd.weights, name.startsWith('forward_') ? name : `forward_${name}`)
  const bw = prefixed(bwd.weights, bwdName.startsWith('backward_') ? bwdName : `backward_${bwdName}`)
  const weights = fw === null || bw === null ? null : [...fw, ...bw]
  if (fwd.outputs === null) return {outputs: null, weights}
  const mode = input.config.merge_mode === null ? null : str(input.config, 'merge_mode', 'concat')
  const mergeProblem = mergeRefusal(input, mode, fwd.outputs[0] ?? null, bwd.outputs?.[0] ?? null)
  if (mergeProblem !== undefined) return refuse(mergeProblem)
  const merged = mergeOutputs(mode, fwd.outputs[0] ?? null, bwd.outputs?.[0] ?? null)
  const states = [...fwd.outputs.slice(1), ...(bwd.outputs?.slice(1) ?? [])]
  return {outputs: [...merged, ...states], weights}
}

/** Inserts the time axis back into each inner output: (batch, …) → (batch, steps, …). */
function withTime(result: RuleResult, batch: Shape[number], steps: Shape[number]): RuleResult {
  if (result.outputs === null || result.error !== undefined) return result
  return {outputs: result.outputs.map((s) => (s === null ? null : [batch, steps, ...s.slice(1)])), weights: result.weights}
}

const timeDistributed: LayerRule = (input: RuleInput) => {
  const shape = first(input)
  if (shape !== null && shape.length < 3) {
    return refuse(`TimeDistributed needs an input with at least 3 dimensions, received (${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`)
  }
  if (shape === null) {
    const inner = input.inner(input.config.layer, [null])
    return {...UNKNOWN, weights: inner.weights}
  }
  const inner = input.inner(input.config.layer, [[shape[0] ?? null, ...shape.slice(2)]])
  return withTime(inner, shape[0] ?? null, shape[1] ?? null)
}

/** Rules of this family. */
export const WRAPPER_RULES: RuleTable = {
  Bidirectional: bidirectional,
  TimeDistributed: timeDistributed,
}

/** A wrapped layer: `{class_name, config}` (None or a scalar is "not a Layer instance"; a missing config, KeyError). */
const layerEntry: ArgCheck = (v) =>
  isObject(v) && typeof v.class_name === 'string' && isObject(v.config) ? undefined : 'a layer config {"class_name", "config"}'

/** Bidirectional needs an RNN: tf-keras reads `config["go_backwards"]`, Keras 3 sets it (unknown to a Dense). */
const recurrentEntry: ArgCheck = (v, ctx) => {
  const problem = layerEntry(v, ctx)
  if (problem !== undefined || !isObject(v) || typeof v.class_name !== 'string') return problem
  return canRunBackwards(v.class_name) ? undefined : `a recurrent layer config (one with \`go_backwards\`), not ${v.class_name}`
}

const configOf = (v: unknown): JsonObject | undefined => (isObject(v) && isObject(v.config) ? v.config : undefined)

/**
 * `_verify_layer_config`: the two directions must differ in `go_backwards` and agree (Python ==) in
 * `stateful`, `return_sequences`, `return_state`. Without a `backward_layer`, tf-keras negates the forward
 * layer's value (never equal) while Keras 3 sets True, refusing a forward layer whose `go_backwards == True`.
 */
const directions: CrossCheck = (cfg, ctx) => {
  const fwd = configOf(cfg.layer)
  if (fwd === undefined) return undefined
  const bwd = configOf(cfg.backward_layer) ?? (ctx.generation === 'keras3' ? {...fwd, go_backwards: true} : undefined)
  if (bwd === undefined) return undefined
  const key = cfg.backward_layer === undefined || cfg.backward_layer === null ? 'layer' : 'backward_layer'
  if (sameSetting(fwd, bwd, 'go_backwards', false)) {
    return {key, message: `the forward and backward layers must differ in go_backwards (both ${JSON.stringify(fwd.go_backwards ?? false)})`}
  }
  for (const attr of ['stateful', 'return_sequences', 'return_state']) {
    if (!sameSetting(fwd, bwd, attr, false)) {
      return {key, message: `the forward and backward layers must have the same ${attr} (${JSON.stringify(fwd[attr] ?? false)} and ${JSON.stringify(bwd[attr] ?? false)})`}
    }
  }
  return undefined
}

/** Argument schemas of this family (layers/args.ts), by class name. */
export const WRAPPER_ARGS: ArgTable = {
  Bidirectional: {
    required: ['layer'],
    args: {
      layer: recurrentEntry,
      backward_layer: nullable(recurrentEntry),
      merge_mode: nullable(oneOf('sum', 'mul', 'ave', 'concat')),
    },
    cross: [directions],
  },
  TimeDistributed: {required: ['layer'], args: {layer: layerEntry}},
}
