/**
 * Core layers: InputLayer, Dense, EinsumDense, Embedding, Activation-like identities and the opaque
 * Python-function layers (Lambda, TFOpLambda, SlicingOpLambda), whose shape is only known from the config.
 */
import {isArray, isInt, type JsonObject} from '../json.js'
import type {Dim} from '../graph/summary-types.js'
import {bool, dimList, int, optInt, str} from './config.js'
import {type LayerRule, type RuleInput, type RuleResult, type RuleTable, type Shape, UNKNOWN, first, refuse, single, weight} from './types.js'
import {type ArgCheck, type ArgTable, type CrossCheck, perGeneration, pyInt, intValue, pyIntCast} from './args.js'
import {activation, constraint, initializer, regularizer} from './identifiers.js'

/**
 * The shape a layer config declares for its input, batch included:
 * `batch_input_shape` (Keras 2), `batch_shape` (Keras 3), `input_shape` (+ `batch_size`), `shape`,
 * `input_dim` (2-D) and Keras 1's `input_dim` + `input_length` (3-D for recurrent layers, 2-D for Embedding).
 */
export function declaredInputShape(cfg: JsonObject, className = ''): Shape | undefined {
  const batch = dimList(cfg.batch_input_shape) ?? dimList(cfg.batch_shape)
  if (batch !== undefined) return [...batch]
  const inner = dimList(cfg.input_shape) ?? (className === 'InputLayer' ? dimList(cfg.shape) : undefined)
  if (inner !== undefined) return [optInt(cfg, 'batch_size') ?? null, ...inner]
  const length = optInt(cfg, 'input_length')
  if (className === 'Embedding') return length === undefined ? undefined : [null, length]
  const dim = optInt(cfg, 'input_dim')
  if (dim === undefined) return undefined
  if (length !== undefined || SEQUENCE_CLASSES.has(className)) return [null, length ?? null, dim]
  return [null, dim]
}

/** Classes whose Keras 1 `input_dim` is the feature size of a (batch, steps, features) input. */
const SEQUENCE_CLASSES = new Set(['SimpleRNN', 'LSTM', 'GRU', 'CuDNNLSTM', 'CuDNNGRU', 'Conv1D', 'Convolution1D', 'LocallyConnected1D'])

/**
 * Keras 3 LoRA (`lora_rank` in the config): the base matrix is frozen and two trainable factors are added,
 * `a` (base dims but the last, rank) and `b` (rank, base's last dim), after the layer's own weights.
 */
function withLora(result: RuleResult, cfg: JsonObject, base: string, prefix: string, dtype: string): RuleResult {
  const rank = optInt(cfg, 'lora_rank')
  const main = result.weights?.find((w) => w.name === base)
  if (typeof rank !== 'number' || rank <= 0 || result.weights === null || main === undefined) return result
  const frozen = result.weights.map((w) => (w === main ? {...w, trainable: false} : w))
  const a = weight(`${prefix}_a`, [...main.shape.slice(0, -1), rank], dtype)
  const b = weight(`${prefix}_b`, [rank, main.shape.at(-1) ?? null], dtype)
  return {outputs: result.outputs, weights: [...frozen, a, b]}
}

const inputLayer: LayerRule = ({config}) => single(declaredInputShape(config, 'InputLayer') ?? null)

/** Identity: output = input (activations, dropout, noise, masking, augmentation). */
export const identity: LayerRule = (input) => ({outputs: input.inputs.length === 0 ? [null] : [first(input)], weights: []})

const isKeras2 = (input: RuleInput): boolean =>
  input.keras_version === null ? input.dialect !== 'keras3' : !(Number.parseInt(input.keras_version, 10) >= 3)

/** Dense's build refusals: rank < 2 (InputSpec min_ndim=2), an undefined last dim (tf-keras) or a 0 one (Keras 3). */
function denseRefusal(shape: Shape, input: RuleInput): string | undefined {
  if (shape.length < 2) return `expected min_ndim=2, found ndim=${shape.length}`
  const last = shape.at(-1)
  if (last === null && isKeras2(input)) return 'the last dimension of the inputs to a Dense layer should be defined, found None'
  if (last === 0 && !isKeras2(input)) return 'the last dimension of the inputs to a Dense layer is 0'
  return undefined
}

const dense: LayerRule = (input) => {
  const shape = first(input)
  const problem = shape === null ? undefined : denseRefusal(shape, input)
  if (problem !== undefined) return refuse(problem)
  const units = int(input.config, 'units', int(input.config, 'output_dim', 0))
  const inDim = shape?.at(-1) ?? null
  const weights = [weight('kernel', [inDim, units], input.dtype)]
  if (bool(input.config, 'use_bias', bool(input.config, 'bias', true))) weights.push(weight('bias', [units], input.dtype))
  return single(shape === null ? null : [...shape.slice(0, -1), units], shape === null ? null : weights)
}

/** tf.keras Embedding fills unknown input dims from `input_length` (an int, or a list for rank ≥ 3 inputs). */
function withInputLength(shape: Shape, cfg: JsonObject): Shape {
  const raw = cfg.input_length
  const lengths = isInt(raw) ? [raw] : dimList(raw)
  if (lengths === undefined || lengths.length !== shape.length - 1) return shape
  return [shape[0] ?? null, ...shape.slice(1).map((d, i) => d ?? lengths[i] ?? null)]
}

const embedding: LayerRule = (input) => {
  const shape = first(input)
  const dims = [optInt(input.config, 'input_dim') ?? null, int(input.config, 'output_dim', 0)]
  return single(shape === null ? null : [...withInputLength(shape, input.config), dims[1] ?? null], [weight('embeddings', dims, input.dtype)])
}

/** `"ab,bc->ac"`, `"...b,bc->...c"` or `"ab...,bc->ac..."` → its specs and where the ellipsis sits. */
function einsumSpecs(equation: string): {inSpec: string; kernelSpec: string; outSpec: string; left: boolean} | undefined {
  const eq = equation.replace(/\s/g, '')
  const plain = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$/.exec(eq)
  const left = /^\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)$/.exec(eq)
  const right = /^([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]{2,})\.\.\.$/.exec(eq)
  const m = plain ?? left ?? right
  if (m === null) return undefined
  return {inSpec: m[1] ?? '', kernelSpec: m[2] ?? '', outSpec: m[3] ?? '', left: left !== null}
}

/** The full output shape: batch, then `output_shape`, with elided input dims inserted (left) or appended. */
function einsumOutput(shape: Shape, partial: Shape, elided: number, left: boolean): Shape {
  const out: Shape = [shape[0] ?? null, ...partial]
  if (elided > 0 && left) out.splice(1, 0, ...shape.slice(1, elided))
  else if (elided > 0) out.push(...shape.slice(shape.length - elided))
  return out
}

/** EinsumDense: kernel dims come from the input for shared letters, else from the output (Keras's analysis). */
const einsumDense: LayerRule = (input) => {
  const shape = first(input)
  const specs = einsumSpecs(str(input.config, 'equation', ''))
  const rawOut = input.config.output_shape
  const partial = isInt(rawOut) ? [rawOut] : dimList(rawOut) ?? []
  if (shape === null || specs === undefined) return UNKNOWN
  const elided = shape.length - specs.inSpec.length
  const out = einsumOutput(shape, partial, elided, specs.left)
  const inAt = (c: string): number => specs.inSpec.indexOf(c) + (specs.left ? elided : 0)
  const outAt = (c: string): number => specs.outSpec.indexOf(c) + (specs.left ? elided : 0)
  const size = (c: string): Dim => (specs.inSpec.includes(c) ? shape[inAt(c)] ?? null : out[outAt(c)] ?? null)
  const weights = [weight('kernel', [...specs.kernelSpec].map(size), input.dtype)]
  const biasAxes = typeof input.config.bias_axes === 'string' ? input.config.bias_axes : ''
  if (biasAxes !== '') {
    const start = Math.min(...[...biasAxes].map((c) => specs.outSpec.indexOf(c)).filter((i) => i >= 0))
    const bias: Shape = [...specs.outSpec.slice(start)].map((c) => (biasAxes.includes(c) ? out[outAt(c)] ?? null : 1))
    if (!specs.left) for (let i = 0; i < elided; i++) bias.push(1)
    weights.push(weight('bias', bias, input.dtype))
  }
  return single(out, weights)
}

/**
 * Lambda: the function is opaque; `output_shape` (a tuple without the batch dimension, Keras 2 `raw` type)
 * fixes the shape when given, otherwise the shape is unknown. Lambda layers never own weights in a file.
 */
const lambda: LayerRule = (input) => {
  const declared = dimList(input.config.output_shape)
  const batch = first(input)?.[0] ?? null
  if (declared !== undefined) return single([batch, ...declared], [])
  if (isArray(input.config.output_shape) && input.config.output_shape.every((s) => dimList(s) !== undefined)) {
    return {outputs: input.config.output_shape.map((s) => [batch, ...(dimList(s) ?? [])]), weights: []}
  }
  return {outputs: null, weights: []}
}

const opaqueNoWeights: LayerRule = () => ({outputs: null, weights: []})

/** Keras 3 ReversibleEmbedding: embeddings, plus reverse_embeddings (output_dim, input_dim) when untied. */
const reversibleEmbedding: LayerRule = (input) => {
  const base = embedding(input)
  if (bool(input.config, 'tie_weights', true) || base.weights === null) return base
  const dims = [optInt(input.config, 'output_dim') ?? null, optInt(input.config, 'input_dim') ?? null]
  return {outputs: base.outputs, weights: [...base.weights, weight('reverse_embeddings', dims, input.dtype)]}
}

/** Keras 1 Highway: a gated Dense of the input size (W, W_carry, b, b_carry). */
const highway: LayerRule = (input) => {
  const shape = first(input)
  const n = shape?.at(-1) ?? null
  const weights = [weight('W', [n, n], input.dtype), weight('W_carry', [n, n], input.dtype)]
  if (bool(input.config, 'bias', true)) weights.push(weight('b', [n], input.dtype), weight('b_carry', [n], input.dtype))
  return single(shape, shape === null ? null : weights)
}

/** Keras 1 MaxoutDense: `nb_feature` Dense pieces (W (nb, in, out), b (nb, out)) reduced by max. */
const maxoutDense: LayerRule = (input) => {
  const shape = first(input)
  const units = int(input.config, 'output_dim', 0)
  const pieces = int(input.config, 'nb_feature', 4)
  const weights = [weight('W', [pieces, shape?.at(-1) ?? null, units], input.dtype)]
  if (bool(input.config, 'bias', true)) weights.push(weight('b', [pieces, units], input.dtype))
  return single(shape === null ? null : [shape[0] ?? null, units], shape === null ? null : weights)
}

/**
 * tf.keras RandomFourierFeatures: fixed random projection (non-trainable) and a trainable kernel_scale. Its
 * `weights` (hence the saved order) are trainable first: kernel_scale, then unscaled_kernel and bias.
 */
const randomFourierFeatures: LayerRule = (input) => {
  const shape = first(input)
  const units = int(input.config, 'output_dim', 0)
  const weights = [
    weight('kernel_scale', [1], input.dtype),
    weight('unscaled_kernel', [shape?.at(-1) ?? null, units], input.dtype, false),
    weight('bias', [units], input.dtype, false),
  ]
  return single(shape === null ? null : [...shape.slice(0, -1), units], shape === null ? null : weights)
}

/** Rules of this family. */
export const CORE_RULES: RuleTable = {
  InputLayer: inputLayer,
  Dense: (input) => withLora(dense(input), input.config, 'kernel', 'lora_kernel', input.dtype),
  TernaryDense: dense,
  EinsumDense: (input) => withLora(einsumDense(input), input.config, 'kernel', 'lora_kernel', input.dtype),
  Embedding: (input) => withLora(embedding(input), input.config, 'embeddings', 'lora_embeddings', input.dtype),
  Activation: identity,
  Masking: identity,
  Identity: identity,
  Lambda: lambda,
  TFOpLambda: opaqueNoWeights,
  SlicingOpLambda: opaqueNoWeights,
  TensorFlowOpLayer: opaqueNoWeights,
  ClassMethod: opaqueNoWeights,
  InstanceMethod: opaqueNoWeights,
  InstanceProperty: opaqueNoWeights,
  ReversibleEmbedding: reversibleEmbedding,
  Highway: highway,
  MaxoutDense: maxoutDense,
  RandomFourierFeatures: randomFourierFeatures,
}

/**
 * Dense `units`: Keras 3 needs a Python int > 0 (`True` counts as 1); tf-keras casts `int(units)` (so "3" and 2.5
 * pass) and refuses only a negative result, or a bool when the kernel shape is made. Beyond 2^53 Keras fails
 * too (a float such as 1e300 is refused, a huge int runs out of memory), so such sizes are refused in both.
 */
const denseUnits: ArgCheck = perGeneration({
  keras3: (v) => (pyInt(v) && intValue(v) > 0 && intValue(v) <= Number.MAX_SAFE_INTEGER ? undefined : 'a positive integer'),
  keras2: (v) => {
    const n = typeof v === 'boolean' ? undefined : pyIntCast(v)
    return n !== undefined && n >= 0 && n <= Number.MAX_SAFE_INTEGER ? undefined : 'a non-negative integer'
  },
})

/** Embedding `input_dim` / `output_dim`: a Python int (not bool, not float) > 0 in both generations. */
const positiveDim: ArgCheck = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? undefined : 'a positive integer')

const KERNEL_OBJECTS = {
  kernel_initializer: initializer, bias_initializer: initializer,
  kernel_regularizer: regularizer, bias_regularizer: regularizer, activity_regularizer: regularizer,
  kernel_constraint: constraint, bias_constraint: constraint,
}

/**
 * A required argument, unless the file spells it the Keras 1 way (`output_dim`, `p`): tf-keras refuses those, but
 * the Keras 1 files kmodel reads use them, and refusing a real file is worse than accepting a rare edit.
 */
export const requiredUnlessKeras1 = (key: string, keras1: string): CrossCheck => (config) =>
  Object.hasOwn(config, key) || Object.hasOwn(config, keras1) ? undefined : {key, message: `it is missing its required argument '${key}'`}

/**
 * InputLayer `batch_shape` (Keras 3 `standardize_shape`) / `batch_input_shape` (tf-keras TensorShape): a list of
 * None or ints ≥ 0 (floats, strings, NaN, inf refused; beyond 2^53 Keras runs out of memory).
 */
const nullableShape = (check: ArgCheck): ArgCheck => (v, ctx) => (v === null ? undefined : check(v, ctx))
const batchShape: ArgCheck = (v) =>
  Array.isArray(v) && v.every((d) => d === null || (typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) ? undefined : 'a list of non-negative integers or nulls'

/** Keras 3 InputLayer needs `shape` or `batch_shape` (or an input tensor). */
const inputShapeGiven: CrossCheck = (config, ctx) => {
  if (ctx.generation !== 'keras3' || ['shape', 'input_shape', 'batch_input_shape'].some((k) => isArray(config[k]))) return undefined
  return config.batch_shape === undefined || config.batch_shape === null ? {key: 'batch_shape', message: 'it needs a `shape` or `batch_shape` argument'} : undefined
}

/** Argument schemas of this family (layers/args.ts), by class name. */
export const CORE_ARGS: ArgTable = {
  InputLayer: {args: {batch_shape: nullableShape(batchShape), batch_input_shape: nullableShape(batchShape)}, cross: [inputShapeGiven]},
  Dense: {cross: [requiredUnlessKeras1('units', 'output_dim')], args: {units: denseUnits, activation, ...KERNEL_OBJECTS}},
  EinsumDense: {required: ['equation'], args: {activation, ...KERNEL_OBJECTS}},
  Embedding: {
    required: ['input_dim', 'output_dim'],
    args: {
      input_dim: positiveDim, output_dim: positiveDim, embeddings_initializer: initializer,
      embeddings_regularizer: regularizer, activity_regularizer: regularizer, embeddings_constraint: constraint,
    },
  },
  Activation: {required: ['activation'], args: {activation, activity_regularizer: regularizer}},
  Masking: {args: {activity_regularizer: regularizer}},
}
