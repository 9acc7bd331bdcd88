/**
 * Layer wrappers: Bidirectional (forward then backward weights, `merge_mode` concat / sum / mul / ave / None,
 * states after the merged outputs) and TimeDistributed (the inner layer applied to every step).
 */
import {type JsonObject, isObject} from '../json.js'
import {entryOf, str} from './config.js'
import {type LayerRule, type RuleInput, type RuleResult, type RuleTable, type Shape, UNKNOWN, first, prefixed} from './types.js'

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

const bidirectional: LayerRule = (input: RuleInput) => {
  const layer = input.config.layer
  const backwardEntry = isObject(input.config.backward_layer) ? input.config.backward_layer : layer
  const fwd = input.inner(layer, input.inputs.slice(0, 1))
  const bwd = input.inner(backwardEntry, input.inputs.slice(0, 1))
  const name = innerName(layer, 'layer')
  const bwdName = backwardEntry === layer ? name : innerName(backwardEntry, name)
  // Keras 3 configs already name the wrapped layers `forward_lstm` / `backward_lstm`.
  const fw = prefixed(fwd.weights, name.startsWith('forward_') ? name : `forward_${name}`)
  const bw = prefixed(bwd.weights, bwdName.startsWith('backward_') ? bwdName : `backward_${bwdName}`)
  const weights = fw === null || bw === null ? null : [...fw, ...bw]
  if (fwd.outputs === null) return {outputs: null, weights}
  const mode = input.config.merge_mode === null ? null : str(input.config, 'merge_mode', 'concat')
  const merged = mergeOutputs(mode, fwd.outputs[0] ?? null, bwd.outputs?.[0] ?? null)
  const states = [...fwd.outputs.slice(1), ...(bwd.outputs?.slice(1) ?? [])]
  return {outputs: [...merged, ...states], weights}
}

/** Inserts the time axis back into each inner output: (batch, …) → (batch, steps, …). */
function withTime(result: RuleResult, batch: Shape[number], steps: Shape[number]): RuleResult {
  if (result.outputs === null) return result
  return {outputs: result.outputs.map((s) => (s === null ? null : [batch, steps, ...s.slice(1)])), weights: result.weights}
}

const timeDistributed: LayerRule = (input: RuleInput) => {
  const shape = first(input)
  if (shape === null || shape.length < 3) {
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
