/**
 * The fuzz runs' pool of unary layer families. Each family knows which input shapes it fits and computes its
 * output shape the way Keras does (conv/pool arithmetic, RNN return_sequences, reshapes), so the generated
 * models are ones Keras builds: a model Keras refuses is a defect of this file, not a finding.
 * Shapes exclude the batch axis. Sizes stay tiny (≤ MAX_ELEMENTS values per sample) to keep fixtures small.
 */
import type {Generation} from '../harness.js'
import type {Rng} from './random.js'

export type Shape = number[]

/** A layer as the model spec holds it (common.py), with the output shape it gives on the input shape. */
export interface LayerChoice {
  class_name: string
  args: Record<string, unknown>
  out: Shape
  /** Activation names used (for the case id). */
  activations?: string[]
}

/** One family: weighted, applicable to some shapes. `make` may return null when no variant fits. */
export interface Family {
  name: string
  weight: number
  fits: (s: Shape) => boolean
  make: (rng: Rng, s: Shape, g: Generation) => LayerChoice | null
}

/** Largest number of values per sample of any generated tensor. */
export const MAX_ELEMENTS = 128

export const elements = (s: Shape): number => s.reduce((a, b) => a * b, 1)
const last = (s: Shape): number => s[s.length - 1] ?? 1
const withLast = (s: Shape, d: number): Shape => [...s.slice(0, -1), d]

/**
 * Activation names both generations know (keras.activations.get and tf_keras.activations.get). RARE ones are
 * drawn a tenth as often: kmodel refuses them outright (the compute suite holds that per name), and a refusal
 * hides whatever else a model would show.
 */
export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'silu', 'gelu',
  'hard_sigmoid', 'relu6', 'mish', 'log_softmax'] as const
export const RARE_ACTIVATIONS = ['exponential', 'leaky_relu'] as const

/** Any activation name (RARE ones a tenth as often as the others). */
export const anyActivation = (rng: Rng, g: Generation): string =>
  rng.chance(0.014) ? rng.pick(RARE_ACTIVATIONS) : rng.pick(ACTIVATIONS.filter((a) => !LEFT_OUT.some((l) => l.generation === g && l.activation === a)))

/**
 * Values left out of a generation's pool while kmodel computes them differently from that Keras, each one a
 * compute-suite row of KNOWN-DIFFERENCES.md that holds it per class and argument (a value that shows in nearly
 * every model having it would only repeat that row case by case). fuzz.test.ts fails when the row is gone, to
 * bring the value back into the pool. Empty since kmodel's own compute core (#11): Keras 3's hard_sigmoid, the
 * last one, computes as Keras 3 defines it.
 */
export const LEFT_OUT: ReadonlyArray<{generation: Generation; activation: string; computeRow: string}> = []
/** Activations that give the same value (1, 0) for any input over one value, or often zero for all of them. */
const NARROW_UNSAFE = new Set(['softmax', 'log_softmax', 'relu', 'relu6'])

/**
 * An activation for an output whose last axis is `width` wide: over one value softmax is always 1 and a dead
 * ReLU (all four samples negative: common with one unit) is always 0, hiding every layer before it.
 */
function activation(rng: Rng, width: number, g: Generation): string {
  const act = rng.chance(0.4) ? 'linear' : anyActivation(rng, g)
  return width === 1 && NARROW_UNSAFE.has(act) ? 'linear' : act
}

/** Keras's conv/pool output length: valid = floor((L - span) / s) + 1, same/causal = ceil(L / s); null: too short. */
export function convLength(length: number, kernel: number, stride: number, padding: string, dilation = 1): number | null {
  const span = (kernel - 1) * dilation + 1
  if (padding === 'valid') return length < span ? null : Math.floor((length - span) / stride) + 1
  return Math.ceil(length / stride)
}

function dense(rng: Rng, s: Shape, g: Generation): LayerChoice {
  const units = rng.int(1, 5)
  const act = activation(rng, units, g)
  return {class_name: 'Dense', args: {units, activation: act, use_bias: rng.chance(0.85)}, out: withLast(s, units), activations: [act]}
}

/**
 * The activation layers. Left out: ReLU's negative_slope and threshold and a LeakyReLU slope other than the
 * default — kmodel ignores them (the compute suite holds that per class), and whether a random model shows it
 * depends on its values (a negative, or a value under the threshold, must reach the output), which no case-id
 * row can state. Softmax never runs over one value (always 1), a ReLU never makes a one-value bottleneck
 * (a dead one hides everything before it).
 */
function reluLike(rng: Rng, s: Shape, g: Generation): LayerChoice {
  const width = last(s)
  let kind = rng.pick(['ReLU', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'Softmax', 'Activation', 'Activation'])
  if (width === 1 && (kind === 'Softmax' || kind === 'ReLU')) kind = 'PReLU'
  if (kind === 'ReLU') return {class_name: 'ReLU', args: rng.chance(0.4) ? {max_value: rng.pick([0.5, 1, 6])} : {}, out: s}
  if (kind === 'LeakyReLU') return {class_name: 'LeakyReLU', args: {}, out: s}
  if (kind === 'ELU') return {class_name: 'ELU', args: {alpha: rng.pick([1, 1, 0.5, 1.5])}, out: s}
  if (kind === 'PReLU') return {class_name: 'PReLU', args: s.length > 1 && rng.chance(0.5) ? {shared_axes: [1]} : {}, out: s}
  if (kind === 'Softmax') return {class_name: 'Softmax', args: {}, out: s}
  const act = activation(rng, width, g)
  return {class_name: 'Activation', args: {activation: act}, out: s, activations: [act]}
}

function noise(rng: Rng, s: Shape): LayerChoice {
  const options = ['Dropout', 'Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']
  if (s.length === 2) options.push('SpatialDropout1D')
  if (s.length === 3 && rng.chance(0.3)) options.push('SpatialDropout2D') // rare: kmodel refuses it (see ACTIVATIONS)
  const kind = rng.pick(options)
  const rate = rng.pick([0.1, 0.25, 0.5])
  return {class_name: kind, args: kind === 'GaussianNoise' ? {stddev: rate} : {rate}, out: s}
}

function normalization(rng: Rng, s: Shape): LayerChoice {
  // UnitNormalization rarely: kmodel refuses it outright (see ACTIVATIONS on why refusals stay rare). Over one
  // value LayerNormalization gives beta and UnitNormalization ±1 whatever the input: BatchNormalization there.
  let kind = rng.chance(0.05) ? 'UnitNormalization' : rng.pick(['BatchNormalization', 'LayerNormalization'])
  if (last(s) === 1) kind = 'BatchNormalization'
  if (kind === 'UnitNormalization') return {class_name: kind, args: {}, out: s}
  const args: Record<string, unknown> = {epsilon: rng.pick([0.001, 0.01]), center: rng.chance(0.8), scale: rng.chance(0.8)}
  if (kind === 'BatchNormalization') args.momentum = rng.pick([0.9, 0.99])
  return {class_name: kind, args, out: s}
}

/** A factor pair a * b = n with both > 1, or null. */
function split(rng: Rng, n: number): [number, number] | null {
  const divisors = Array.from({length: n}, (_, i) => i + 1).filter((d) => d > 1 && d < n && n % d === 0)
  if (divisors.length === 0) return null
  const a = rng.pick(divisors)
  return [a, n / a]
}

function reshape(rng: Rng, s: Shape): LayerChoice | null {
  const n = elements(s)
  if (s.length > 1 && rng.chance(0.5)) return {class_name: 'Flatten', args: {}, out: [n]}
  const pair = split(rng, n)
  const targets: Shape[] = [[n], [n, 1]]
  if (pair !== null) targets.push(pair, [pair[0], pair[1], 1])
  if (s.length === 3) targets.push([(s[0] ?? 1) * (s[1] ?? 1), last(s)])
  const target = rng.pick(targets.filter((t) => JSON.stringify(t) !== JSON.stringify(s)))
  return {class_name: 'Reshape', args: {target_shape: target}, out: target}
}

function vectorOnly(rng: Rng, s: Shape): LayerChoice | null {
  const n = rng.int(2, 3)
  if (elements(s) * n > MAX_ELEMENTS) return null
  return {class_name: 'RepeatVector', args: {n}, out: [n, last(s)]}
}

function conv1d(rng: Rng, s: Shape, g: Generation): LayerChoice | null {
  const [t = 1] = s
  const kind = rng.chance(0.07) ? 'SeparableConv1D' : 'Conv1D' // rare: kmodel refuses it (see ACTIVATIONS)
  const kernel = rng.int(1, 3)
  const padding = rng.pick(kind === 'Conv1D' ? ['valid', 'same', 'causal'] : ['valid', 'same'])
  const stride = rng.chance(0.3) ? 2 : 1
  const dilation = stride === 1 && kernel > 1 && rng.chance(0.25) ? 2 : 1
  const length = convLength(t, kernel, stride, padding, dilation)
  if (length === null) return null
  const filters = rng.int(1, 4)
  const act = activation(rng, filters, g)
  const args: Record<string, unknown> = {filters, kernel_size: kernel, strides: stride, padding, dilation_rate: dilation, activation: act, use_bias: rng.chance(0.85)}
  if (kind === 'SeparableConv1D') args.depth_multiplier = rng.int(1, 2)
  return {class_name: kind, args, out: [length, filters], activations: [act]}
}

function pool1d(rng: Rng, s: Shape): LayerChoice | null {
  const [t = 1, d = 1] = s
  if (rng.chance(0.35)) return {class_name: rng.pick(['GlobalAveragePooling1D', 'GlobalMaxPooling1D']), args: {}, out: [d]}
  const pool = rng.int(2, 3)
  const stride = rng.chance(0.6) ? pool : 1
  const padding = rng.pick(['valid', 'same'])
  const length = convLength(t, pool, stride, padding)
  if (length === null) return null
  return {class_name: rng.pick(['MaxPooling1D', 'AveragePooling1D']), args: {pool_size: pool, strides: stride, padding}, out: [length, d]}
}

function resize1d(rng: Rng, s: Shape): LayerChoice | null {
  const [t = 1, d = 1] = s
  const kind = rng.pick(['UpSampling1D', 'ZeroPadding1D', 'Cropping1D', 'Permute'])
  if (kind === 'Permute') return {class_name: 'Permute', args: {dims: [2, 1]}, out: [d, t]}
  if (kind === 'Cropping1D') {
    const [a, b] = [rng.int(0, 1), rng.int(1, 2)]
    return t - a - b >= 1 ? {class_name: kind, args: {cropping: [a, b]}, out: [t - a - b, d]} : null
  }
  const grow = kind === 'UpSampling1D' ? t : 2
  if ((t + grow) * d > MAX_ELEMENTS) return null
  return kind === 'UpSampling1D'
    ? {class_name: kind, args: {size: 2}, out: [2 * t, d]}
    : {class_name: kind, args: {padding: [1, 1]}, out: [t + 2, d]}
}

/** An LSTM, GRU or SimpleRNN spec (also the layer of Bidirectional). */
export function rnnLayer(rng: Rng, returnSequences: boolean, wrapped = false): {class_name: string; args: Record<string, unknown>; units: number; activations: string[]} {
  const kind = rng.pick(['LSTM', 'GRU', 'SimpleRNN'])
  const units = rng.int(1, 4)
  const args: Record<string, unknown> = {units, return_sequences: returnSequences}
  const activations: string[] = []
  if (rng.chance(0.2)) {
    args.activation = rng.pick(units === 1 ? ['sigmoid', 'linear'] : ['relu', 'sigmoid', 'linear'])
    activations.push(args.activation as string)
  }
  // Keras 3's Bidirectional refuses a forward layer that goes backwards (its backward copy would too).
  if (rng.chance(0.15) && !wrapped) args.go_backwards = true
  if (rng.chance(0.15)) args.use_bias = false
  if (kind === 'GRU' && rng.chance(0.3)) args.reset_after = false
  if (kind === 'LSTM' && rng.chance(0.2)) args.unit_forget_bias = false
  return {class_name: kind, args, units, activations}
}

function recurrent(rng: Rng, s: Shape): LayerChoice {
  const [t = 1] = s
  const returnSequences = rng.chance(0.45)
  const wrapped = rng.chance(0.3)
  const inner = rnnLayer(rng, returnSequences, wrapped)
  const shape = (units: number): Shape => (returnSequences ? [t, units] : [units])
  if (!wrapped) return {class_name: inner.class_name, args: inner.args, out: shape(inner.units), activations: inner.activations}
  const mode = rng.pick(['concat', 'concat', 'sum', 'mul', 'ave'])
  const layer = {class_name: inner.class_name, args: inner.args}
  return {class_name: 'Bidirectional', args: {layer, merge_mode: mode}, out: shape(mode === 'concat' ? 2 * inner.units : inner.units), activations: inner.activations}
}

function timeDistributed(rng: Rng, s: Shape, g: Generation): LayerChoice {
  const units = rng.int(1, 4)
  const act = activation(rng, units, g)
  return {class_name: 'TimeDistributed', args: {layer: {class_name: 'Dense', args: {units, activation: act}}}, out: withLast(s, units), activations: [act]}
}

function conv2dArgs(rng: Rng, s: Shape, kind: string, g: Generation): LayerChoice | null {
  const [h = 1, w = 1, c = 1] = s
  const kernel = [rng.int(1, 3), rng.int(1, 3)]
  const padding = rng.pick(['valid', 'same'])
  // TensorFlow's CPU depthwise kernel (DepthwiseConv2D, SeparableConv2D) takes equal row and column strides only.
  const square = kind === 'DepthwiseConv2D' || kind === 'SeparableConv2D'
  const stride = rng.chance(0.3) ? [2, square ? 2 : rng.int(1, 2)] : [1, 1]
  // Dilation changes nothing along a kernel of one: only drawn when both kernel axes are wider.
  const dilation = stride[0] === 1 && kind !== 'Conv2DTranspose' && kernel.every((k) => k > 1) && rng.chance(0.3) ? [2, 2] : [1, 1]
  const filters = rng.int(1, 4)
  const multiplier = kind === 'DepthwiseConv2D' || kind === 'SeparableConv2D' ? rng.int(1, 2) : 1
  const channels = kind === 'DepthwiseConv2D' ? c * multiplier : filters
  const act = activation(rng, channels, g)
  const args: Record<string, unknown> = {kernel_size: kernel, strides: stride, padding, activation: act, use_bias: rng.chance(0.85)}
  if (kind !== 'DepthwiseConv2D') args.filters = filters
  if (kind !== 'Conv2DTranspose') args.dilation_rate = dilation
  if (multiplier > 1 || kind === 'DepthwiseConv2D') args.depth_multiplier = multiplier
  let dims: Array<number | null>
  if (kind === 'Conv2DTranspose') {
    dims = [h, w].map((d, i) => (padding === 'same' ? d * (stride[i] ?? 1) : d * (stride[i] ?? 1) + Math.max((kernel[i] ?? 1) - (stride[i] ?? 1), 0)))
  } else {
    dims = [h, w].map((d, i) => convLength(d, kernel[i] ?? 1, stride[i] ?? 1, padding, dilation[i] ?? 1))
  }
  if (dims.some((d) => d === null)) return null
  const out = [...(dims as number[]), channels]
  return elements(out) > MAX_ELEMENTS ? null : {class_name: kind, args, out, activations: [act]}
}

function conv2d(rng: Rng, s: Shape, g: Generation): LayerChoice | null {
  return conv2dArgs(rng, s, rng.pick(['Conv2D', 'Conv2D', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose']), g)
}

function pool2d(rng: Rng, s: Shape): LayerChoice | null {
  const [h = 1, w = 1, c = 1] = s
  if (rng.chance(0.3)) return {class_name: rng.pick(['GlobalAveragePooling2D', 'GlobalMaxPooling2D']), args: {}, out: [c]}
  const pool = [rng.int(1, 2), 2]
  const strides = rng.chance(0.6) ? pool : [1, 1]
  const padding = rng.pick(['valid', 'same'])
  const dims = [h, w].map((d, i) => convLength(d, pool[i] ?? 1, strides[i] ?? 1, padding))
  if (dims.some((d) => d === null)) return null
  return {class_name: rng.pick(['MaxPooling2D', 'AveragePooling2D']), args: {pool_size: pool, strides, padding}, out: [...(dims as number[]), c]}
}

function resize2d(rng: Rng, s: Shape): LayerChoice | null {
  const [h = 1, w = 1, c = 1] = s
  const kind = rng.pick(['UpSampling2D', 'ZeroPadding2D', 'Cropping2D'])
  if (kind === 'Cropping2D') {
    const crop = [[rng.int(0, 1), rng.int(0, 1)], [rng.int(0, 1), 1]] as const
    const out = [h - crop[0][0] - crop[0][1], w - crop[1][0] - crop[1][1], c]
    return out.every((d) => d >= 1) ? {class_name: kind, args: {cropping: crop}, out} : null
  }
  if (kind === 'ZeroPadding2D') {
    const out = [h + 2, w + 1, c]
    return elements(out) > MAX_ELEMENTS ? null : {class_name: kind, args: {padding: [[1, 1], [0, 1]]}, out}
  }
  const out = [2 * h, w * 2, c]
  if (elements(out) > MAX_ELEMENTS) return null
  return {class_name: kind, args: {size: [2, 2], interpolation: rng.pick(['nearest', 'nearest', 'bilinear'])}, out}
}

const any = (): boolean => true
const rank = (r: number) => (s: Shape): boolean => s.length === r
const denseFits = (s: Shape): boolean => elements(s.slice(0, -1)) * 5 <= MAX_ELEMENTS

/** Every family with its weight; shape-preserving ones are also used to make the twins shared layers need. */
export const FAMILIES: readonly Family[] = [
  {name: 'dense', weight: 10, fits: denseFits, make: dense},
  {name: 'activation', weight: 5, fits: any, make: reluLike},
  {name: 'noise', weight: 2, fits: any, make: noise},
  {name: 'normalization', weight: 3, fits: any, make: normalization},
  {name: 'reshape', weight: 2, fits: (s) => elements(s) > 1 || s.length > 1, make: reshape},
  {name: 'repeat', weight: 2, fits: rank(1), make: vectorOnly},
  {name: 'conv1d', weight: 6, fits: rank(2), make: conv1d},
  {name: 'pool1d', weight: 3, fits: rank(2), make: pool1d},
  {name: 'resize1d', weight: 2, fits: rank(2), make: resize1d},
  {name: 'recurrent', weight: 7, fits: rank(2), make: recurrent},
  {name: 'timedistributed', weight: 1, fits: rank(2), make: timeDistributed},
  {name: 'conv2d', weight: 7, fits: rank(3), make: conv2d},
  {name: 'pool2d', weight: 3, fits: rank(3), make: pool2d},
  {name: 'resize2d', weight: 2, fits: rank(3), make: resize2d},
]

/** Picks a family by weight among those fitting `s`, and a variant of it; retries when a variant does not fit. */
export function unaryLayer(rng: Rng, s: Shape, g: Generation, families: readonly Family[] = FAMILIES): LayerChoice {
  const fitting = families.filter((f) => f.fits(s))
  for (let attempt = 0; attempt < 20; attempt++) {
    const total = fitting.reduce((a, f) => a + f.weight, 0)
    let r = rng.next() * total
    const family = fitting.find((f) => (r -= f.weight) < 0) ?? fitting[0]
    const choice = family?.make(rng, s, g) ?? null
    if (choice !== null) return choice
  }
  return reluLike(rng, s, g)
}

/** A layer whose output shape equals its input shape (a twin for shared layers, a residual branch). */
export function preservingLayer(rng: Rng, s: Shape, g: Generation): LayerChoice {
  const kind = rng.int(0, 3)
  if (kind === 0 && denseFits(s)) {
    const act = activation(rng, last(s), g)
    return {class_name: 'Dense', args: {units: last(s), activation: act}, out: s, activations: [act]}
  }
  if (kind === 1) return normalization(rng, s)
  if (kind === 2) return noise(rng, s)
  return reluLike(rng, s, g)
}

/**
 * Keras's defaults of the arguments whose value may change what kmodel does; a layer given another value is
 * tagged `Class+arg` (numbers, booleans) or `Class+value` (strings) in the case id, so that a known-difference
 * row can name the variant (`*[Conv1D+causal]*`).
 */
const NOTABLE: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  ReLU: {max_value: undefined, negative_slope: 0, threshold: 0},
  LeakyReLU: {negative_slope: 0.3, alpha: 0.3},
  ELU: {alpha: 1},
  PReLU: {shared_axes: undefined},
  Dense: {use_bias: true},
  Conv1D: {padding: 'valid', strides: 1, dilation_rate: 1, use_bias: true},
  Conv2D: {padding: 'valid', strides: [1, 1], dilation_rate: [1, 1], use_bias: true},
  DepthwiseConv2D: {padding: 'valid', strides: [1, 1], dilation_rate: [1, 1], depth_multiplier: 1},
  SeparableConv2D: {padding: 'valid', strides: [1, 1], dilation_rate: [1, 1], depth_multiplier: 1},
  Conv2DTranspose: {padding: 'valid', strides: [1, 1]},
  MaxPooling1D: {padding: 'valid'},
  AveragePooling1D: {padding: 'valid'},
  MaxPooling2D: {padding: 'valid'},
  AveragePooling2D: {padding: 'valid'},
  UpSampling2D: {interpolation: 'nearest'},
  LSTM: {return_sequences: false, go_backwards: false, use_bias: true, activation: 'tanh'},
  GRU: {return_sequences: false, go_backwards: false, use_bias: true, activation: 'tanh', reset_after: true},
  SimpleRNN: {return_sequences: false, go_backwards: false, use_bias: true, activation: 'tanh'},
  Bidirectional: {merge_mode: 'concat'},
  BatchNormalization: {center: true, scale: true},
  LayerNormalization: {center: true, scale: true},
  Embedding: {mask_zero: false},
}

/** The `Class+…` tags of a layer (see NOTABLE). */
export function variantsOf(className: string, args: Readonly<Record<string, unknown>>): string[] {
  const defaults = NOTABLE[className] ?? {}
  const tags: string[] = []
  for (const [key, fallback] of Object.entries(defaults)) {
    if (!(key in args) || JSON.stringify(args[key]) === JSON.stringify(fallback)) continue
    const value = args[key]
    tags.push(`${className}+${typeof value === 'string' ? value : key}`)
  }
  return tags
}

