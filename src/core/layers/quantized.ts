/**
 * Keras 3 quantized layers (`model.quantize(mode)`; dtype policy `int8_from_float32`, `int4_from_…`,
 * `float8_from_…`, `gptq/…`): the stored variables replace the float kernel. int8 Dense and Embedding have a
 * layout that has not changed across Keras 3 releases and are modelled; every other quantized layer with
 * weights is reported as unknown (its params then come from a weights file), never guessed.
 */
import type {JsonObject} from '../json.js'
import {policyName} from './config.js'
import type {RuleResult} from './types.js'
import {weight} from './types.js'

/** The quantization mode of a layer's dtype policy (`int8`, `int4`, `float8`, `gptq`, …), if any. */
export function quantizationMode(cfg: JsonObject): string | undefined {
  const name = policyName(cfg.dtype)
  if (name === undefined) return undefined
  const m = /^(\w+?)_from_\w+$/.exec(name) ?? /^(gptq|awq)\//.exec(name)
  return m?.[1]
}

/** int8: the int8 matrix (non-trainable) and a float per-row/per-unit scale, before any bias. */
function int8(className: string, result: RuleResult, dtype: string): RuleResult {
  const weights = result.weights ?? []
  const main = weights.find((w) => w.name === (className === 'Embedding' ? 'embeddings' : 'kernel'))
  if (main === undefined || (className !== 'Dense' && className !== 'Embedding')) return {...result, weights: null}
  const scaleDim = className === 'Embedding' ? main.shape[0] ?? null : main.shape.at(-1) ?? null
  const scale = weight(`${main.name}_scale`, [scaleDim], dtype, false)
  const rest = weights.filter((w) => w !== main)
  return {...result, weights: [{...main, dtype: 'int8', trainable: false}, scale, ...rest]}
}

/** Applies a quantized policy to a rule's result (see the module comment). */
export function quantized(className: string, cfg: JsonObject, result: RuleResult, dtype: string): RuleResult {
  const mode = quantizationMode(cfg)
  if (mode === undefined || result.weights === null || result.weights.length === 0) return result
  if (mode === 'int8') return int8(className, result, dtype)
  return {...result, weights: null}
}
