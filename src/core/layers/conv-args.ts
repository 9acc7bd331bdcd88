/**
 * Argument schemas of the convolutions (layers/args.ts), mirroring the constructors of Keras 3
 * (keras/src/layers/convolutional/base_*.py) and tf-keras 2.21 (tf_keras/src/layers/convolutional/,
 * locally_connected/), plus what their `build` then refuses on the argument alone (a float kernel size is not
 * a shape; tf-keras hands a boolean kernel size to TensorFlow, which refuses it).
 */
import type {Json} from '../json.js'
import {
  type ArgCheck, type ArgTable, type ClassArgs, type CrossCheck, type Generation,
  intAtLeast, nullable, oneOfLower, perGeneration, pyInt, pyNumber, pyTruthy, sizeTuple, tupleValues,
} from './args.js'
import {activation, constraint, initializer, regularizer} from './identifiers.js'

/** A Python int that a weight shape can hold (beyond 2^53 Keras cannot allocate it anyway). */
const sized = (v: Json, min: number, bools = true): boolean =>
  (typeof v === 'boolean' ? bools && Number(v) >= min : typeof v === 'number' && Number.isSafeInteger(v) && v >= min)

/**
 * `filters`: Keras 3 refuses `filters <= 0` and then needs an int for the kernel shape (`True` = 1);
 * tf-keras first casts a float with `int(filters)` (2.5 → 2; NaN / inf raise) and refuses booleans at build.
 */
const filters: ArgCheck = perGeneration({
  keras3: (v) => (sized(v, 1) ? undefined : 'a positive integer'),
  keras2: (v) => (typeof v === 'number' && Number.isFinite(v) && sized(Math.trunc(v), 1) ? undefined : 'a positive integer'),
})

/** The filter count Keras builds with (tf-keras truncates floats), or undefined when there is none. */
export function filterCount(v: Json | undefined): number | undefined {
  if (typeof v === 'boolean') return Number(v)
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined
}

/** The `groups` tf-keras uses (`groups or 1`); Keras 3 uses the value as is. */
export function groupCount(v: Json | undefined, generation: Generation): Json {
  if (v === undefined || (generation === 'keras2' && !pyTruthy(v))) return 1
  return v
}

/** Conv1D/2D/3D `groups`: Keras 3 refuses `groups <= 0`; tf-keras reads a falsy value as 1, and a kernel of `channels // groups` must be a positive int. */
const convGroups: ArgCheck = perGeneration({
  keras3: intAtLeast(1),
  keras2: (v) => (!pyTruthy(v) || (pyInt(v) && Number(v) >= 1) ? undefined : 'a positive integer (or a false value)'),
})

/** tf-keras transposed / separable convolutions only compute `filters % groups` (a str raises there). */
const moduloGroups: ArgCheck = (v, ctx) => (ctx.generation === 'keras3' || !pyTruthy(v) || pyNumber(v) ? undefined : 'a number')

/** `depth_multiplier`: Keras 3 refuses `<= 0`; tf-keras builds a (…, channels, depth_multiplier) kernel (0 passes a depthwise conv). */
const depthMultiplier = (keras2Min: number): ArgCheck => perGeneration({
  keras3: intAtLeast(1),
  keras2: (v) => (sized(v, keras2Min, false) ? undefined : keras2Min === 0 ? 'an integer ≥ 0' : 'a positive integer'),
})

const dataFormat = nullable(oneOfLower('channels_first', 'channels_last'))

/** The n-tuple arguments: per generation, whether list elements may be floats (Keras 3 computes shapes with them). */
const tuple = (n: number, floats3: boolean, floats2: boolean, bools2 = true): ArgCheck =>
  perGeneration({keras3: sizeTuple(n, {floats: floats3}), keras2: sizeTuple(n, {floats: floats2, bools: bools2})})

/** `filters % groups != 0` raises in `__init__` ("The number of filters must be evenly divisible by the number of groups"). */
const filtersDivisible: CrossCheck = (config, ctx) => {
  const f = ctx.generation === 'keras3' ? config.filters : filterCount(config.filters)
  const g = groupCount(config.groups, ctx.generation)
  if (!pyNumber(f ?? null) || !pyNumber(g) || filters(config.filters ?? null, ctx) !== undefined) return undefined
  if (ctx.generation === 'keras3' && intAtLeast(1)(g, ctx) !== undefined) return undefined
  if (Number(f) % Number(g) === 0) return undefined
  return {key: 'groups', message: `The number of filters must be evenly divisible by the number of groups (filters=${String(f)}, groups=${JSON.stringify(g)})`}
}

/** `max(strides) > 1 and max(dilation_rate) > 1` raises in `__init__`. */
const stridesWithDilation = (n: number): CrossCheck => (config) => {
  const strides = tupleValues(config.strides ?? 1, n)
  const dilation = tupleValues(config.dilation_rate ?? 1, n)
  if (strides === undefined || dilation === undefined || Math.max(...strides) <= 1 || Math.max(...dilation) <= 1) return undefined
  return {key: 'dilation_rate', message: `\`strides > 1\` not supported in conjunction with \`dilation_rate > 1\` (strides=${JSON.stringify(config.strides)}, dilation_rate=${JSON.stringify(config.dilation_rate)})`}
}

/** Transposed convolutions: every `output_padding` value must be strictly less than its stride. */
const outputPaddingBelowStrides = (n: number): CrossCheck => (config) => {
  const pad = config.output_padding === null ? undefined : tupleValues(config.output_padding, n)
  const strides = tupleValues(config.strides ?? 1, n)
  if (pad === undefined || strides === undefined || pad.every((p, i) => p < (strides[i] ?? 1))) return undefined
  return {key: 'output_padding', message: `\`output_padding\` must be strictly less than \`strides\` for all dimensions (output_padding=${JSON.stringify(config.output_padding)}, strides=${JSON.stringify(config.strides ?? 1)})`}
}

/** tf-keras LocallyConnected: implementation 1 supports only "valid" padding. */
const locallyConnectedPadding: CrossCheck = (config) => {
  const impl = config.implementation ?? 1
  const padding = config.padding
  if (typeof padding !== 'string' || padding.toLowerCase() === 'valid' || Number(impl) !== 1 || !pyNumber(impl)) return undefined
  return {key: 'padding', message: `Invalid border mode for LocallyConnected: only "valid" is supported with implementation 1 (padding=${JSON.stringify(padding)})`}
}

/** The object arguments of a class (`kernel_initializer`, …) for the given weight prefixes. */
function identifiers(...prefixes: string[]): Record<string, ArgCheck> {
  const out: Record<string, ArgCheck> = {activation, activity_regularizer: regularizer}
  for (const p of prefixes) {
    out[`${p}_initializer`] = initializer
    out[`${p}_regularizer`] = regularizer
    out[`${p}_constraint`] = constraint
  }
  return out
}

const PADDING = oneOfLower('valid', 'same')
const CAUSAL = oneOfLower('valid', 'same', 'causal')

function convArgs(n: number): ClassArgs {
  return {
    required: ['filters', 'kernel_size'],
    args: {
      filters,
      kernel_size: tuple(n, false, false, false),
      strides: tuple(n, true, false),
      dilation_rate: tuple(n, true, false),
      padding: n === 1 ? CAUSAL : PADDING,
      data_format: dataFormat,
      groups: convGroups,
      ...identifiers('kernel', 'bias'),
    },
    cross: [filtersDivisible, stridesWithDilation(n)],
  }
}

function transposeArgs(n: number): ClassArgs {
  return {
    required: ['filters', 'kernel_size'],
    args: {
      filters,
      kernel_size: tuple(n, false, false, false),
      strides: tuple(n, false, false),
      dilation_rate: tuple(n, false, false),
      padding: PADDING,
      output_padding: nullable(sizeTuple(n, {min: 0})),
      data_format: dataFormat,
      groups: moduloGroups,
      ...identifiers('kernel', 'bias'),
    },
    cross: [(c, ctx) => (ctx.generation === 'keras2' ? filtersDivisible(c, ctx) : undefined), stridesWithDilation(n), outputPaddingBelowStrides(n)],
  }
}

function separableArgs(n: number): ClassArgs {
  return {
    required: ['filters', 'kernel_size'],
    args: {
      filters,
      kernel_size: tuple(n, false, false, false),
      strides: tuple(n, true, true),
      dilation_rate: tuple(n, true, false),
      padding: n === 1 ? perGeneration({keras3: PADDING, keras2: CAUSAL}) : PADDING,
      data_format: dataFormat,
      depth_multiplier: depthMultiplier(1),
      groups: moduloGroups,
      ...identifiers('depthwise', 'pointwise', 'bias'),
    },
    cross: [(c, ctx) => (ctx.generation === 'keras2' ? filtersDivisible(c, ctx) : undefined), (c, ctx) => (ctx.generation === 'keras2' ? stridesWithDilation(n)(c, ctx) : undefined)],
  }
}

function depthwiseArgs(n: number): ClassArgs {
  return {
    required: ['kernel_size'],
    args: {
      kernel_size: tuple(n, false, false, false),
      strides: tuple(n, true, true),
      dilation_rate: tuple(n, true, false),
      padding: PADDING,
      data_format: dataFormat,
      depth_multiplier: depthMultiplier(0),
      ...identifiers('depthwise', 'bias'),
    },
    cross: [(c, ctx) => (ctx.generation === 'keras2' ? stridesWithDilation(n)(c, ctx) : undefined)],
  }
}

/** tf-keras LocallyConnected1D/2D: no check on `filters` in `__init__`, but the kernel shape needs an int ≥ 0. */
function locallyConnectedArgs(n: number): ClassArgs {
  return {
    required: ['filters', 'kernel_size'],
    args: {
      filters: (v) => (sized(v, 0, false) ? undefined : 'an integer ≥ 0'),
      kernel_size: sizeTuple(n),
      strides: sizeTuple(n),
      padding: PADDING,
      data_format: dataFormat,
      implementation: (v) => (pyInt(v) && [1, 2, 3].includes(Number(v)) ? undefined : 'one of 1, 2, 3'),
      ...identifiers('kernel', 'bias'),
    },
    cross: [locallyConnectedPadding],
  }
}

/** Argument schemas of the convolution family, by canonical class name. */
export const CONV_ARGS: ArgTable = {
  Conv1D: convArgs(1),
  Conv2D: convArgs(2),
  Conv3D: convArgs(3),
  Conv1DTranspose: transposeArgs(1),
  Conv2DTranspose: transposeArgs(2),
  Conv3DTranspose: transposeArgs(3),
  SeparableConv1D: separableArgs(1),
  SeparableConv2D: separableArgs(2),
  DepthwiseConv1D: depthwiseArgs(1),
  DepthwiseConv2D: depthwiseArgs(2),
  LocallyConnected1D: locallyConnectedArgs(1),
  LocallyConnected2D: locallyConnectedArgs(2),
}
