/**
 * Embedding and Keras 3's ReversibleEmbedding. The ids are cast to int32 when they are not integers (truncating,
 * as TensorFlow's cast does) and looked up in the embeddings (with Keras 3 LoRA applied; Keras 3 int8-quantized
 * embeddings are divided by their per-row scale). Out-of-range ids follow each version: Keras 3.0–3.2 clip them
 * into range (tf.experimental.numpy.take), Keras ≥ 3.3 wraps negatives once (i + input_dim), tf-keras's
 * `use_one_hot_matmul` gives zero rows; an id still out of range makes TensorFlow raise, so kmodel refuses it.
 * `mask_zero` gives the output mask ids ≠ 0. Keras 1's `dropout` drops whole embedding rows in training (scaled by
 * 1 / (1 − dropout)). ReversibleEmbedding's `reverse=True` call computes logits x · embeddingsᵀ (or its untied
 * reverse_embeddings), soft-capped by cap · tanh(logits / cap) when `logit_soft_cap` is set.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute} from './types.js'
import {argError, floatArg} from './activation-math.js'
import {isTraining, versionAtLeast} from './activation-train.js'
import {contractLast, floatInput, input, refuseQuantized, requireWeight, weightNamed, withLora} from './core-util.js'

/** The ids as int32: integer tensors as they are, floats truncated toward zero (non-finite ones refused). */
function ids(c: ComputeCall): Tensor {
  const {tf} = c
  const x = input(c)
  if (x.dtype === 'int32') return x
  if (x.dtype === 'float32' && !tf.all(tf.isFinite(x)).dataSync()[0]) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: an id is NaN or infinite, which has no int32 value.`, {hint: 'Feed integer ids.'})
  }
  return tf.cast(x, 'int32')
}

/** The ids Keras looks up, per version (see the module comment); a BackendError for an id Keras would raise on. */
function lookupIds(c: ComputeCall, raw: Tensor, rows: number): Tensor {
  const {tf} = c
  if (c.generation === 'keras3' && !versionAtLeast(c.keras_version, 3, 3)) return tf.clipByValue(raw, 0, rows - 1)
  const wrapped = c.generation === 'keras3' ? tf.where(tf.less(raw, 0), tf.add(raw, tf.scalar(rows, 'int32')), raw) : raw
  const lo = raw.size === 0 ? 0 : tf.min(wrapped).dataSync()[0] ?? 0
  const hi = raw.size === 0 ? 0 : tf.max(wrapped).dataSync()[0] ?? 0
  if (lo < 0 || hi >= rows) {
    const bad = lo < 0 ? lo : hi
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: id ${bad} is outside the embedding's ${rows} rows [0, ${rows - 1}].`, {
      hint: 'TensorFlow raises on this id too ("indices … is not in [0, input_dim)"); feed ids below input_dim.',
    })
  }
  return wrapped
}

/** Keras 1 Embedding `dropout` in training: each row kept with probability 1 − dropout and scaled by its inverse. */
function keras1Dropout(c: ComputeCall, table: Tensor): Tensor {
  const rate = floatArg(c.config, 'dropout', 0, c.class_name) ?? 0
  if (!(rate > 0 && rate < 1) || !isTraining(c)) return table
  const {tf} = c
  const keep = tf.cast(tf.less(tf.randomUniform([table.shape[0] ?? 0, 1], 0, 1, 'float32', c.seed()), 1 - rate), 'float32')
  return tf.mul(table, tf.mul(keep, 1 / (1 - rate)))
}

/** The looked-up vectors for the call's ids (int8 tables de-scaled, one-hot matmul where tf-keras uses it). */
function embed(c: ComputeCall): Tensor {
  const {tf} = c
  const mode = refuseQuantized(c, ['int8'])
  const raw = ids(c)
  if (mode === 'int8') {
    const table = requireWeight(c, 'embeddings')
    const at = lookupIds(c, raw, table.shape[0] ?? 0)
    const scale = tf.expandDims(tf.gather(requireWeight(c, 'embeddings_scale'), at), -1)
    const out = tf.div(tf.gather(table, at), scale)
    const a = weightNamed(c, 'lora_embeddings_a')
    const b = weightNamed(c, 'lora_embeddings_b')
    if (a === undefined || b === undefined) return out
    const rank = floatArg(c.config, 'lora_rank', 1, c.class_name) ?? 1
    const alpha = floatArg(c.config, 'lora_alpha', rank, c.class_name, true) ?? rank
    return tf.add(out, tf.mul(alpha / rank, contractLast(c, tf.gather(a, at), b)))
  }
  const table = keras1Dropout(c, withLora(c, requireWeight(c, 'embeddings'), 'lora_embeddings'))
  const rows = table.shape[0] ?? 0
  if (c.generation === 'keras2' && c.config.use_one_hot_matmul === true) return contractLast(c, tf.oneHot(raw, rows, 1, 0, 'float32'), table)
  return tf.gather(table, lookupIds(c, raw, rows))
}

/** The output mask: ids ≠ 0 when mask_zero (compared on the ids as fed). */
function zeroMask(c: ComputeCall): Tensor | null {
  return c.config.mask_zero === true ? c.tf.notEqual(input(c), 0) : null
}

const embedding: LayerCompute = {call: (c) => ({outputs: [embed(c)], masks: [zeroMask(c)]})}

/** ReversibleEmbedding's `reverse=True` call: logits = x · kernel, soft-capped; no mask. */
function reverse(c: ComputeCall): ComputeOutput {
  const {tf} = c
  refuseQuantized(c)
  const dtype = c.config.reverse_dtype
  if (dtype !== undefined && dtype !== null && dtype !== 'float32') throw argError(c.class_name, 'reverse_dtype', dtype, 'kmodel computes in float32 only')
  const kernel = c.config.tie_weights === false ? requireWeight(c, 'reverse_embeddings') : tf.transpose(withLora(c, requireWeight(c, 'embeddings'), 'lora_embeddings'))
  let logits = contractLast(c, floatInput(c), kernel)
  const cap = floatArg(c.config, 'logit_soft_cap', null, c.class_name, true)
  if (cap !== null) logits = tf.mul(tf.tanh(tf.div(logits, cap)), cap)
  return {outputs: [logits], masks: [null]}
}

const reversibleEmbedding: LayerCompute = {
  call: (c) => (c.call_kwargs.reverse === true ? reverse(c) : {outputs: [embed(c)], masks: [zeroMask(c)]}),
}

/** Embedding classes, by class name. */
export const EMBEDDING_COMPUTE: ComputeTable = {
  Embedding: embedding,
  ReversibleEmbedding: reversibleEmbedding,
}
