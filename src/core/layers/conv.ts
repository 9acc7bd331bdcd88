/**
 * Convolutions: Conv1D/2D/3D, their transposes, separable and depthwise variants, and LocallyConnected1D/2D.
 * Spatial sizes follow Keras's conv_utils arithmetic (valid / same / causal / full padding, strides, dilation);
 * kernels are channels-last in every data format (KERAS-REFERENCE §3.2).
 */
import type {JsonObject} from '../json.js'
import type {Dim} from '../graph/summary-types.js'
import {bool, channelsFirst, int, optInt, product, str, tuple} from './config.js'
import {type LayerRule, type RuleInput, type RuleResult, type RuleTable, type Shape, UNKNOWN, first, refuse, single, weight} from './types.js'
import {generationFor, pyTruthy} from './args.js'
import {filterCount, groupCount} from './conv-args.js'

export {CONV_ARGS} from './conv-args.js'

/** Output length of a convolution or pooling window along one axis. */
export function convLength(length: Dim, kernel: number, padding: string, stride: number, dilation = 1): Dim {
  if (length === null) return null
  const span = (kernel - 1) * dilation + 1
  const out = padding === 'same' || padding === 'causal' ? length : padding === 'full' ? length + span - 1 : length - span + 1
  return Math.floor((out + stride - 1) / stride)
}

/** Output length of a transposed convolution along one axis (`output_padding` null or a number). */
export function deconvLength(length: Dim, kernel: number, padding: string, stride: number, dilation: number, outPad: number | null): Dim {
  if (length === null) return null
  const span = (kernel - 1) * dilation + 1
  if (outPad === null) {
    if (padding === 'valid') return length * stride + Math.max(span - stride, 0)
    if (padding === 'full') return length * stride - (stride + span - 2)
    return length * stride
  }
  const pad = padding === 'same' ? Math.floor(span / 2) : padding === 'full' ? span - 1 : 0
  return (length - 1) * stride + span - 2 * pad + outPad
}

/** The spatial dims and channel count of an input of rank n + 2, in either data format. */
export function splitChannels(shape: Shape, cf: boolean): {spatial: Dim[]; channels: Dim} {
  return cf ? {spatial: shape.slice(2), channels: shape[1] ?? null} : {spatial: shape.slice(1, -1), channels: shape.at(-1) ?? null}
}

/** Rebuilds a full shape from batch, spatial dims and channels in the layer's data format. */
export function joinChannels(batch: Dim, spatial: Dim[], channels: Dim, cf: boolean): Shape {
  return cf ? [batch, channels, ...spatial] : [batch, ...spatial, channels]
}

interface ConvParams {
  kernel: number[]
  strides: number[]
  dilation: number[]
  padding: string
  cf: boolean
}

/** Kernel size, strides, dilation and padding of an n-D convolution (Keras 1 `subsample`/`border_mode` too). */
export function convParams(cfg: JsonObject, n: number): ConvParams {
  return {
    kernel: tuple(cfg, 'kernel_size', n, 1),
    strides: tuple(cfg, cfg.strides === undefined && cfg.subsample !== undefined ? 'subsample' : 'strides', n, 1),
    dilation: tuple(cfg, 'dilation_rate', n, 1),
    padding: str(cfg, 'padding', str(cfg, 'border_mode', 'valid')).toLowerCase(),
    cf: channelsFirst(cfg),
  }
}

/** The output spatial dims of a regular convolution. */
export function convSpatial(spatial: Dim[], p: ConvParams): Dim[] {
  return spatial.map((d, i) => convLength(d, p.kernel[i] ?? 1, p.padding, p.strides[i] ?? 1, p.dilation[i] ?? 1))
}

/** `if self.use_bias:` — Python truthiness (`"no"` has a bias, `0` has none). */
function useBias(cfg: JsonObject): boolean {
  return cfg.use_bias === undefined ? bool(cfg, 'bias', true) : pyTruthy(cfg.use_bias)
}

/**
 * The input-rank refusal of an n-D layer (InputSpec `min_ndim` / `ndim`), or `UNKNOWN` for a larger rank that
 * tf-keras's Conv1D/2D/3D accept (extra batch dims, which kmodel does not compute); undefined when the rank fits.
 * Keras 3 convolutions refuse a larger rank too ("Kernel shape must have the same length as input").
 */
export function rankProblem(input: RuleInput, shape: Shape, n: number, exact: boolean): RuleResult | undefined {
  if (shape.length === n + 2) return undefined
  const keras3 = generationFor(input.keras_version, input.dialect) === 'keras3'
  const found = `found ndim=${shape.length} (input shape ${JSON.stringify(shape)})`
  if (shape.length < n + 2 || exact) return refuse(`Input 0 is incompatible with the layer: expected ${exact ? 'ndim' : 'min_ndim'}=${n + 2}, ${found}`)
  if (keras3) return refuse(`Kernel shape must have the same length as input: expected ndim=${n + 2}, ${found}`)
  return UNKNOWN
}

/**
 * "Computed output size would be zero or negative": with "valid" padding, a spatial dim smaller than the
 * (dilated) window. `what` names the window in the message (kernel_size, pool_size).
 */
export function windowTooLarge(shape: Shape, spatial: Dim[], window: number[], dilation: number[], padding: string, what: string): string | undefined {
  if (padding !== 'valid') return undefined
  const spans = window.map((k, i) => (k - 1) * (dilation[i] ?? 1) + 1)
  if (!spatial.some((d, i) => d !== null && d < (spans[i] ?? 1))) return undefined
  const dilated = dilation.some((d) => d !== 1) ? `, dilation_rate ${JSON.stringify(dilation)}` : ''
  return `Computed output size would be zero or negative: input shape ${JSON.stringify(shape)}, ${what} ${JSON.stringify(window)}${dilated}, padding "valid"`
}

/** The shape refusals shared by the regular, depthwise and separable convolutions. */
function convProblem(input: RuleInput, shape: Shape, n: number, exact: boolean): RuleResult | undefined {
  const rank = rankProblem(input, shape, n, exact)
  if (rank !== undefined) return rank
  const p = convParams(input.config, n)
  const message = windowTooLarge(shape, splitChannels(shape, p.cf).spatial, p.kernel, p.dilation, p.padding, 'kernel_size')
  return message === undefined ? undefined : refuse(message)
}

/** Conv1D/2D/3D `groups` as built (a kernel of `channels // groups`), or undefined when Keras refuses it elsewhere. */
function groupsOf(input: RuleInput): number | undefined {
  const g = groupCount(input.config.groups, generationFor(input.keras_version, input.dialect))
  const value = typeof g === 'boolean' ? Number(g) : g
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined
}

function conv(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    const cfg = input.config
    const p = convParams(cfg, n)
    const filters = filterCount(cfg.filters) ?? 0
    if (shape === null) return UNKNOWN
    const problem = convProblem(input, shape, n, false)
    if (problem !== undefined) return problem
    const {spatial, channels} = splitChannels(shape, p.cf)
    const groups = groupsOf(input) ?? 1
    if (channels !== null && channels % groups !== 0) {
      return refuse(`The number of input channels must be evenly divisible by the number of groups (groups=${groups}, input shape ${JSON.stringify(shape)})`)
    }
    const weights = [weight('kernel', [...p.kernel, channels === null ? null : Math.floor(channels / groups), filters], input.dtype)]
    if (useBias(cfg)) weights.push(weight('bias', [filters], input.dtype))
    return single(joinChannels(shape[0] ?? null, convSpatial(spatial, p), filters, p.cf), weights)
  }
}

function convTranspose(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    const cfg = input.config
    const p = convParams(cfg, n)
    const filters = filterCount(cfg.filters) ?? 0
    if (shape === null) return UNKNOWN
    const rank = rankProblem(input, shape, n, true)
    if (rank !== undefined) return rank
    const {spatial, channels} = splitChannels(shape, p.cf)
    const outPad = cfg.output_padding === null || cfg.output_padding === undefined ? null : tuple(cfg, 'output_padding', n, 0)
    const out = spatial.map((d, i) => deconvLength(d, p.kernel[i] ?? 1, p.padding, p.strides[i] ?? 1, p.dilation[i] ?? 1, outPad?.[i] ?? null))
    const weights = [weight('kernel', [...p.kernel, filters, channels], input.dtype)]
    if (useBias(cfg)) weights.push(weight('bias', [filters], input.dtype))
    return single(joinChannels(shape[0] ?? null, out, filters, p.cf), weights)
  }
}

function depthwise(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    const cfg = input.config
    const p = convParams(cfg, n)
    const dm = int(cfg, 'depth_multiplier', 1)
    if (shape === null) return UNKNOWN
    const problem = convProblem(input, shape, n, true)
    if (problem !== undefined) return problem
    const {spatial, channels} = splitChannels(shape, p.cf)
    const outChannels = channels === null ? null : channels * dm
    const weights = [weight('depthwise_kernel', [...p.kernel, channels, dm], input.dtype)]
    if (useBias(cfg)) weights.push(weight('bias', [outChannels], input.dtype))
    return single(joinChannels(shape[0] ?? null, convSpatial(spatial, p), outChannels, p.cf), weights)
  }
}

function separable(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    const cfg = input.config
    const p = convParams(cfg, n)
    const dm = int(cfg, 'depth_multiplier', 1)
    const filters = filterCount(cfg.filters) ?? 0
    if (shape === null) return UNKNOWN
    const problem = convProblem(input, shape, n, true)
    if (problem !== undefined) return problem
    const {spatial, channels} = splitChannels(shape, p.cf)
    const weights = [
      weight('depthwise_kernel', [...p.kernel, channels, dm], input.dtype),
      weight('pointwise_kernel', [...p.kernel.map(() => 1), channels === null ? null : channels * dm, filters], input.dtype),
    ]
    if (useBias(cfg)) weights.push(weight('bias', [filters], input.dtype))
    return single(joinChannels(shape[0] ?? null, convSpatial(spatial, p), filters, p.cf), weights)
  }
}

/**
 * How many (output position, input position) pairs one spatial axis of a tf-keras LocallyConnected layer links:
 * its `conv_connected_inputs` centres a window of `k` on each output position (shifted by k // 2 for "valid")
 * and clips it to the input, so with "same" the edge windows are shorter.
 */
function connectedPairs(inLen: Dim, k: number, stride: number, padding: string, outLen: Dim): Dim {
  if (inLen === null || outLen === null) return null
  const left = Math.floor(k / 2)
  let total = 0
  for (let o = 0; o < outLen; o++) {
    const center = o * stride + (padding === 'valid' ? left : 0)
    total += Math.max(0, Math.min(inLen, center + k - left) - Math.max(0, center - left))
  }
  return total
}

/**
 * LocallyConnected1D/2D (Keras 2 only): unshared kernels. implementation 1 stores (positions, window·in, filters),
 * 2 a dense (in…, out…, filters) mask, 3 a flat vector of the connected (output, input) pairs only (fewer than
 * positions·window with "same", whose edge windows are clipped), times channels and filters.
 */
function locallyConnected(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    const cfg = input.config
    const p = convParams(cfg, n)
    const filters = int(cfg, 'filters', 0)
    if (shape === null) return UNKNOWN
    const problem = convProblem(input, shape, n, true)
    if (problem !== undefined) return problem
    const {spatial, channels} = splitChannels(shape, p.cf)
    const out = convSpatial(spatial, p)
    const positions = product(out)
    const window = p.kernel.reduce((a, b) => a * b, 1)
    const impl = optInt(cfg, 'implementation') ?? 1
    const dense: Shape = p.cf ? [channels, ...spatial, filters, ...out] : [...spatial, channels, ...out, filters]
    const pairs = spatial.map((d, i) => connectedPairs(d, p.kernel[i] ?? 1, p.strides[i] ?? 1, p.padding, out[i] ?? null))
    const kernel: Shape = impl === 2 ? dense : impl === 3 ? [product([...pairs, channels, filters])] : [positions, product([window, channels]), filters]
    const weights = [weight('kernel', kernel, input.dtype)]
    if (useBias(cfg)) weights.push(weight('bias', [...out, filters], input.dtype))
    return single(joinChannels(shape[0] ?? null, out, filters, p.cf), weights)
  }
}

/** Rules of this family (Keras 1 `Convolution*` aliases included). */
export const CONV_RULES: RuleTable = {
  Conv1D: conv(1),
  Conv2D: conv(2),
  Conv3D: conv(3),
  Convolution1D: conv(1),
  Convolution2D: conv(2),
  Convolution3D: conv(3),
  Conv1DTranspose: convTranspose(1),
  Conv2DTranspose: convTranspose(2),
  Conv3DTranspose: convTranspose(3),
  Convolution1DTranspose: convTranspose(1),
  Convolution2DTranspose: convTranspose(2),
  Convolution3DTranspose: convTranspose(3),
  Deconvolution2D: convTranspose(2),
  Deconvolution3D: convTranspose(3),
  Deconv2D: convTranspose(2),
  Deconv3D: convTranspose(3),
  DepthwiseConv1D: depthwise(1),
  DepthwiseConv2D: depthwise(2),
  SeparableConv1D: separable(1),
  SeparableConv2D: separable(2),
  SeparableConvolution1D: separable(1),
  SeparableConvolution2D: separable(2),
  LocallyConnected1D: locallyConnected(1),
  LocallyConnected2D: locallyConnected(2),
}
