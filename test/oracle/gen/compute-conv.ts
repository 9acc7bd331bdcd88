/**
 * Compute cases, spatial family: every convolution class × data_format × padding (causal for Conv1D) × strides
 * / dilation, the pooling layers (local, global, adaptive), and tf-keras's LocallyConnected1D/2D.
 */
import type {Generation} from '../harness.js'
import {type Args, type ComputeCase, one} from './compute-build.js'
import {Rng} from './random.js'

/**
 * Classes whose channels_first call Keras itself cannot compute on TensorFlow's CPU kernels (verified on the
 * pinned versions: UnimplementedError "The Conv2D op currently only supports the NHWC tensor format on the CPU",
 * InvalidArgumentError from Conv2DBackpropInput / Conv3D / MaxPool / AvgPool / DepthwiseConv2dNative). Keras 3
 * transposes around some of these kernels itself, tf-keras around others, hence two lists. No case is generated
 * for them: there is no Keras answer to hold kmodel to.
 */
export const CPU_CHANNELS_FIRST_REFUSED: Record<Generation, ReadonlySet<string>> = {
  keras3: new Set(['Conv1D', 'Conv2D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'ConvLSTM1D', 'ConvLSTM2D']),
  keras2: new Set([
    'Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv3DTranspose', 'SeparableConv1D', 'SeparableConv2D', 'DepthwiseConv1D',
    'MaxPooling2D', 'AveragePooling2D',
  ]),
}

/** Spatial rank → [channels_last shape, channels_first shape] (2 channels, a few pixels). */
const SHAPES: Record<1 | 2 | 3, [number[], number[]]> = {
  1: [[6, 2], [2, 6]],
  2: [[5, 5, 2], [2, 5, 5]],
  3: [[3, 3, 3, 2], [2, 3, 3, 3]],
}

interface ConvClass {
  name: string
  rank: 1 | 2 | 3
  /** The class's own sizing arguments (filters / depth_multiplier, kernel_size). */
  base: Args
  extras: Args[]
}

const CONVS: readonly ConvClass[] = [
  {name: 'Conv1D', rank: 1, base: {filters: 2, kernel_size: 3}, extras: [{activation: 'relu', use_bias: false}, {groups: 2}]},
  {name: 'Conv2D', rank: 2, base: {filters: 2, kernel_size: 3}, extras: [{activation: 'relu', use_bias: false}, {groups: 2}, {kernel_size: [2, 3], strides: [2, 1]}]},
  {name: 'Conv3D', rank: 3, base: {filters: 2, kernel_size: 2}, extras: [{activation: 'tanh'}, {groups: 2}]},
  {name: 'Conv1DTranspose', rank: 1, base: {filters: 2, kernel_size: 3}, extras: [{strides: 2, output_padding: 1}, {activation: 'relu'}]},
  {name: 'Conv2DTranspose', rank: 2, base: {filters: 2, kernel_size: 3}, extras: [{strides: 2, output_padding: 1}, {strides: [2, 1], padding: 'same', use_bias: false}]},
  {name: 'Conv3DTranspose', rank: 3, base: {filters: 1, kernel_size: 2}, extras: [{strides: 2, output_padding: 1}]},
  {name: 'SeparableConv1D', rank: 1, base: {filters: 3, kernel_size: 3}, extras: [{depth_multiplier: 2}, {activation: 'relu', use_bias: false}]},
  {name: 'SeparableConv2D', rank: 2, base: {filters: 3, kernel_size: 3}, extras: [{depth_multiplier: 2}, {activation: 'relu', use_bias: false}]},
  {name: 'DepthwiseConv1D', rank: 1, base: {kernel_size: 3}, extras: [{depth_multiplier: 2}, {activation: 'relu', use_bias: false}]},
  {name: 'DepthwiseConv2D', rank: 2, base: {kernel_size: 3}, extras: [{depth_multiplier: 2}, {activation: 'relu', use_bias: false}]},
]

/**
 * Padding × stride / dilation variants (Keras refuses strides > 1 together with dilation > 1). The transposed
 * convolutions get no dilation: TensorFlow's CPU Conv2DBackpropInput / Conv3DBackpropInputV2 refuse dilations
 * above 1, so Keras cannot compute them here (InvalidArgumentError, both generations).
 */
function variantsOf(c: ConvClass): Args[] {
  const dilation = c.name.endsWith('Transpose') ? [] : [{padding: 'valid', dilation_rate: 2}, {padding: 'same', dilation_rate: 2}]
  const causal = c.name === 'Conv1D' ? [{padding: 'causal'}, {padding: 'causal', dilation_rate: 2}] : []
  return [{padding: 'valid'}, {padding: 'same'}, {padding: 'valid', strides: 2}, ...dilation, ...causal]
}

function convCasesOf(c: ConvClass, g: Generation): ComputeCase[] {
  const [last, first] = SHAPES[c.rank]
  const variants = variantsOf(c)
  const cases = variants.map((v) => one(c.name, {...c.base, ...v}, last))
  for (const extra of c.extras) cases.push(one(c.name, {...c.base, ...extra}, last))
  if (!CPU_CHANNELS_FIRST_REFUSED[g].has(c.name)) {
    const rng = new Rng(c.name.length * 7919 + c.rank)
    cases.push(one(c.name, {...c.base, ...rng.pick(variants.slice(0, 3)), data_format: 'channels_first'}, first))
  }
  return cases
}

function poolingOf(kind: 'Max' | 'Average', rank: 1 | 2 | 3, g: Generation): ComputeCase[] {
  const name = `${kind}Pooling${rank}D`
  const [last, first] = SHAPES[rank]
  // Keras 3's AveragePooling has no default pool_size (MaxPooling's is 2): every case names it.
  const cases = [
    one(name, {pool_size: 2}, last),
    one(name, {pool_size: 3, strides: 1, padding: 'same'}, last),
    one(name, {pool_size: 3, strides: 2, padding: 'valid'}, last),
  ]
  if (!CPU_CHANNELS_FIRST_REFUSED[g].has(name)) cases.push(one(name, {pool_size: 2, padding: 'same', data_format: 'channels_first'}, first))
  return cases
}

function globalPooling(): ComputeCase[] {
  const cases: ComputeCase[] = []
  for (const kind of ['Max', 'Average']) {
    for (const rank of [1, 2, 3] as const) {
      const name = `Global${kind}Pooling${rank}D`
      const [last, first] = SHAPES[rank]
      cases.push(one(name, {}, last), one(name, {data_format: 'channels_first'}, first))
      if (rank === 2) cases.push(one(name, {keepdims: true}, last), one(name, {keepdims: true, data_format: 'channels_first'}, first))
    }
  }
  return cases
}

/** Keras 3.13+'s adaptive pooling, one case per class (channels_first for 2D). */
function adaptivePooling(): ComputeCase[] {
  const cases: ComputeCase[] = []
  for (const kind of ['Max', 'Average']) {
    for (const rank of [1, 2, 3] as const) {
      const name = `Adaptive${kind}Pooling${rank}D`
      const [last, first] = SHAPES[rank]
      cases.push(rank === 2 ? one(name, {output_size: 3, data_format: 'channels_first'}, first) : one(name, {output_size: 2}, last))
    }
  }
  return cases
}

function locallyConnected(): ComputeCase[] {
  const cases: ComputeCase[] = []
  for (const implementation of [1, 2, 3]) {
    cases.push(one('LocallyConnected1D', {filters: 2, kernel_size: 3, implementation}, [7, 2]))
    cases.push(one('LocallyConnected2D', {filters: 2, kernel_size: 2, implementation}, [4, 4, 2]))
  }
  cases.push(
    one('LocallyConnected1D', {filters: 2, kernel_size: 2, strides: 2, activation: 'relu'}, [7, 2]),
    one('LocallyConnected2D', {filters: 2, kernel_size: 2, strides: 2, use_bias: false}, [5, 5, 2]),
    one('LocallyConnected2D', {filters: 2, kernel_size: 2, data_format: 'channels_first'}, [2, 4, 4]),
  )
  return cases
}

const CF = 'channels_first'

/**
 * Convolution cases beyond the class × variant grid: channels_first for every rank, SAME with strides wider
 * than the window, transposed output lengths (output_padding, stride > kernel), and what only one generation
 * computes. TensorFlow's CPU kernels refuse channels_first Conv1D/2D (and tf-keras's Conv3D), but both Keras
 * generations run a grouped convolution through XLA, which computes it: the channels_first cases are grouped
 * (2 input channels per group, and 1 for the depthwise-like split). Keras 3 on TensorFlow adds a
 * channels_first bias along the last axis when that axis is as long as the filter count (the [4, 5, 6] and
 * [2, 5, 6] inputs make it so).
 */
function convExtras(g: Generation): ComputeCase[] {
  const grouped = {filters: 4, kernel_size: 3, groups: 2, data_format: CF}
  const cases = [
    ...[{padding: 'valid'}, {padding: 'same'}, {padding: 'causal'}, {padding: 'causal', dilation_rate: 2}, {padding: 'valid', strides: 2}, {padding: 'same', dilation_rate: 2}]
      .map((v) => one('Conv1D', {...grouped, ...v}, [4, 7])),
    one('Conv1D', {...grouped, padding: 'causal'}, [2, 7], {}, ' on 2 channels'),
    one('Conv1D', {filters: 2, kernel_size: 3, padding: 'causal', strides: 2}, [7, 2]),
    one('Conv1D', {filters: 4, kernel_size: 2, groups: 2, padding: 'same', strides: 2}, [7, 4]),
    ...[{padding: 'valid'}, {padding: 'same'}, {padding: 'valid', strides: [2, 1]}, {padding: 'same', dilation_rate: 2}]
      .map((v) => one('Conv2D', {...grouped, ...v}, [4, 5, 6])),
    one('Conv2D', {...grouped, padding: 'same', strides: 2}, [2, 5, 6]),
    one('Conv2D', {filters: 2, kernel_size: 2, padding: 'same', strides: 3}, [5, 5, 2]),
    one('Conv3D', {filters: 2, kernel_size: 1, strides: 3, padding: 'same'}, [4, 4, 4, 2]),
    one('Conv3D', {filters: 2, kernel_size: 2, strides: 2, padding: 'same'}, [3, 3, 3, 2]),
    one('Conv3D', {filters: 4, kernel_size: 2, groups: 2, padding: 'valid', data_format: CF}, [2, 3, 3, 3]),
    one('Conv3D', {filters: 4, kernel_size: 2, groups: 2, padding: 'same', data_format: CF}, [4, 3, 3, 4]),
    one('Conv3DTranspose', {filters: 1, kernel_size: 1, strides: 2, padding: 'same'}, [3, 3, 3, 2]),
    one('Conv3DTranspose', {filters: 2, kernel_size: 3, strides: 2, padding: 'same', output_padding: 1}, [3, 3, 3, 2]),
    one('Conv2DTranspose', {filters: 2, kernel_size: 2, strides: 3}, [5, 5, 2]),
    one('Conv2DTranspose', {filters: 2, kernel_size: 3, strides: 2, padding: 'same', output_padding: 1}, [5, 5, 2]),
    one('Conv1DTranspose', {filters: 2, kernel_size: 3, strides: 2, padding: 'same', output_padding: 1}, [6, 2]),
    one('Conv1DTranspose', {filters: 3, kernel_size: 2, strides: 3, padding: 'same'}, [6, 2]),
    one('DepthwiseConv2D', {kernel_size: 3, depth_multiplier: 2, data_format: CF}, [2, 5, 6]),
  ]
  return [...cases, ...(g === 'keras3' ? keras3Extras() : keras2Extras())]
}

/**
 * Keras 3 only: depthwise / separable strides with dilation (tf-keras refuses them), channels_first separable
 * and 1-D depthwise, dilated channels_first Conv3D (TensorFlow's CPU kernels refuse the last three under
 * tf-keras).
 */
function keras3Extras(): ComputeCase[] {
  const strided = {kernel_size: 3, strides: 2, dilation_rate: 2}
  return [
    ...['valid', 'same'].flatMap((padding) => [
      one('DepthwiseConv2D', {...strided, padding}, [7, 7, 2]),
      one('SeparableConv2D', {filters: 3, ...strided, padding}, [7, 7, 2]),
      one('DepthwiseConv1D', {...strided, padding}, [9, 2]),
      one('SeparableConv1D', {filters: 3, ...strided, padding}, [9, 2]),
    ]),
    one('SeparableConv2D', {filters: 4, kernel_size: 3, data_format: CF}, [2, 5, 6]),
    one('SeparableConv2D', {filters: 3, kernel_size: 3, strides: 2, padding: 'same', data_format: CF}, [2, 5, 6]),
    one('DepthwiseConv1D', {kernel_size: 3, padding: 'same', depth_multiplier: 2, data_format: CF}, [2, 4]),
    one('Conv3D', {filters: 2, kernel_size: 2, padding: 'same', dilation_rate: 2, data_format: CF}, [2, 3, 3, 3]),
  ]
}

/**
 * tf-keras only: dilated Conv2DTranspose (tf.nn.atrous_conv2d_transpose computes it on the CPU; Keras 3's
 * conv_transpose does not), SeparableConv1D's causal padding, and LocallyConnected "same" (implementations 2
 * and 3) and channels_first (all three).
 */
function keras2Extras(): ComputeCase[] {
  return [
    one('Conv2DTranspose', {filters: 2, kernel_size: 3, dilation_rate: 2}, [5, 5, 2]),
    one('Conv2DTranspose', {filters: 2, kernel_size: 3, dilation_rate: 2, padding: 'same'}, [5, 5, 2]),
    one('SeparableConv1D', {filters: 3, kernel_size: 3, padding: 'causal'}, [6, 2]),
    one('SeparableConv1D', {filters: 3, kernel_size: 3, padding: 'causal', dilation_rate: 2}, [6, 2]),
    ...[2, 3].flatMap((implementation) => [
      one('LocallyConnected1D', {filters: 2, kernel_size: 2, padding: 'same', implementation}, [7, 2]),
      one('LocallyConnected1D', {filters: 2, kernel_size: 3, padding: 'same', strides: 2, implementation}, [7, 2]),
      one('LocallyConnected2D', {filters: 2, kernel_size: [2, 3], padding: 'same', strides: [2, 1], implementation}, [5, 4, 2]),
      one('LocallyConnected2D', {filters: 3, kernel_size: 2, padding: 'same', implementation, data_format: CF}, [2, 4, 3]),
    ]),
    ...[1, 2, 3].flatMap((implementation) => [
      one('LocallyConnected1D', {filters: 3, kernel_size: 2, strides: 2, implementation, data_format: CF}, [2, 7]),
      one('LocallyConnected2D', {filters: 3, kernel_size: [2, 3], implementation, data_format: CF}, [2, 4, 5]),
    ]),
  ]
}

/** The spatial family for one generation. */
export function convCases(g: Generation): ComputeCase[] {
  const cases = [...CONVS.flatMap((c) => convCasesOf(c, g)), ...convExtras(g)]
  for (const kind of ['Max', 'Average'] as const) for (const rank of [1, 2, 3] as const) cases.push(...poolingOf(kind, rank, g))
  cases.push(...globalPooling())
  if (g === 'keras3') cases.push(...adaptivePooling())
  if (g === 'keras2') cases.push(...locallyConnected())
  return cases
}
