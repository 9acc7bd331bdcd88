/**
 * Shape-preserving layers: advanced activations (PReLU owns `alpha`), regularization (Dropout family, noise,
 * ActivityRegularization) and Keras 3's standalone activation layers.
 */
import {dimList} from './config.js'
import {identity} from './core.js'
import {type LayerRule, type RuleInput, type RuleTable, UNKNOWN, first, refuse, single, weight} from './types.js'
import {type ArgCheck, type ArgTable, numberValue, perGeneration, pyFloatCast, pyInt, pyNumber} from './args.js'
import {requiredUnlessKeras1} from './core.js'
import {activation, constraint, initializer, regularizer} from './identifiers.js'

/** PReLU: `alpha` has the input's shape without the batch, with every `shared_axes` axis (1-based) set to 1. */
const prelu: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const raw = input.config.shared_axes
  const shared = typeof raw === 'number' ? [raw] : dimList(raw) ?? []
  // Keras sets `param_shape[i - 1] = 1` for each shared axis: Python's index must exist (negatives count back).
  const bad = shared.find((i) => i === null || i - 1 >= shape.length - 1 || i - 1 < -(shape.length - 1))
  if (bad !== undefined) return refuse(`shared_axes ${JSON.stringify(raw)} does not fit an input of rank ${shape.length} (axis ${bad})`)
  const alpha = shape.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : d))
  return single(shape, [weight('alpha', alpha, input.dtype)])
}

const IDENTITY_CLASSES = [
  'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU',
  'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise', 'GaussianDropout',
  'AlphaDropout', 'ActivityRegularization',
]

/**
 * tf-keras Softmax reduces over `axis` when called: an int in [-rank, rank) (or a list of them); Keras 3 defers
 * the check to the backend op, which its symbolic build does not run.
 */
const softmax: LayerRule = (input: RuleInput) => {
  const shape = first(input)
  const keras2 = Number.parseInt(input.keras_version ?? '', 10) < 3 || (input.keras_version === null && input.dialect !== 'keras3')
  const raw = input.config.axis
  if (shape === null || !keras2 || raw === undefined) return identity(input)
  const axes = Array.isArray(raw) ? raw : [raw]
  const ok = axes.every((a) => typeof a === 'number' && Number.isInteger(a) && a >= -shape.length && a < shape.length)
  return ok ? identity(input) : refuse(`axis ${JSON.stringify(raw)} is out of range for an input of rank ${shape.length}`)
}

/** Rules of this family. */
export const ACTIVATION_RULES: RuleTable = {
  ...Object.fromEntries(IDENTITY_CLASSES.map((c) => [c, identity])),
  PReLU: prelu,
  Softmax: softmax,
}

/** A number ≥ 0 as Python compares it (`x < 0` raises for str / None / lists; NaN passes). */
const nonNegative = (nullable: boolean): ArgCheck => (v) =>
  (nullable && v === null) || (pyNumber(v) && !(numberValue(v) < 0)) ? undefined : nullable ? 'a non-negative number or null' : 'a non-negative number'

/** tf-keras `backend.cast_to_floatx`: numbers, numeric strings and arrays cast; None and objects do not. */
const floatx: ArgCheck = (v) =>
  pyNumber(v) || Array.isArray(v) || (typeof v === 'string' && pyFloatCast(v) !== undefined) ? undefined : 'a number'

/** Keras 3 `0 <= rate <= 1` (str / None raise, NaN fails); tf-keras Dropout checks only int / float rates. */
const unitInterval = (v: Parameters<ArgCheck>[0]): boolean => pyNumber(v) && numberValue(v) >= 0 && numberValue(v) <= 1
const rate3: ArgCheck = (v) => (unitInterval(v) ? undefined : 'a number between 0 and 1')
const rate = perGeneration({keras3: rate3, keras2: (v) => (!pyNumber(v) || unitInterval(v) ? undefined : 'a number between 0 and 1')})
const only3 = (check: ArgCheck): ArgCheck => perGeneration({keras3: check, keras2: () => undefined})

/** Keras 3 `SeedGenerator(seed)` (built when the rate is > 0): an int or None. */
const seed3: ArgCheck = (v, ctx) => {
  const r = ctx.config.rate ?? ctx.config.stddev
  if (v === null || pyInt(v) || !(pyNumber(r ?? 0) && numberValue((r ?? 0) as number) > 0)) return undefined
  return 'an integer or null'
}

/** Keras 3 Dropout `noise_shape`: None, or an iterable of ints > 0 / None (a string is refused). */
const noiseShape: ArgCheck = (v) => {
  if (v === null) return undefined
  const items = Array.isArray(v) ? v : typeof v === 'object' ? Object.keys(v) : undefined
  const ok = items?.every((d) => d === null || (pyInt(d) && numberValue(d) > 0))
  return ok === true ? undefined : 'null or a list of positive integers / nulls'
}

/** PReLU `shared_axes`: None, an int or a list of ints (`i - 1` indexes the alpha shape). */
const sharedAxes: ArgCheck = (v) =>
  v === null || pyInt(v) || (Array.isArray(v) && v.every(pyInt)) ? undefined : 'null, an integer or a list of integers'

/** ActivityRegularization l1 / l2 go to `L1L2`: None, or a finite number (≥ 0 in Keras 3). */
const penalty: ArgCheck = (v, ctx) => {
  if (v === null) return undefined
  if (!pyNumber(v) || !Number.isFinite(numberValue(v))) return 'a finite number'
  return ctx.generation === 'keras3' && numberValue(v) < 0 ? 'a non-negative number' : undefined
}

const DROPOUT = {cross: [requiredUnlessKeras1('rate', 'p')], args: {rate, seed: only3(seed3), activity_regularizer: regularizer}}

/** Argument schemas of this family (layers/args.ts), by class name. */
export const ACTIVATION_ARGS: ArgTable = {
  ReLU: {args: {max_value: nonNegative(true), negative_slope: nonNegative(false), threshold: nonNegative(false)}},
  LeakyReLU: {
    args: {
      negative_slope: only3(nonNegative(false)),
      alpha: perGeneration({keras3: nonNegative(false), keras2: floatx}),
    },
  },
  ELU: {args: {alpha: perGeneration({keras3: () => undefined, keras2: floatx})}},
  ThresholdedReLU: {args: {theta: nonNegative(false)}},
  PReLU: {args: {alpha_initializer: initializer, alpha_regularizer: regularizer, alpha_constraint: constraint, shared_axes: sharedAxes}},
  Dropout: {...DROPOUT, args: {...DROPOUT.args, noise_shape: only3(noiseShape)}},
  SpatialDropout1D: DROPOUT,
  SpatialDropout2D: DROPOUT,
  SpatialDropout3D: DROPOUT,
  AlphaDropout: {...DROPOUT, args: {...DROPOUT.args, rate: only3(rate3)}},
  GaussianDropout: {...DROPOUT, args: {...DROPOUT.args, rate: only3(rate3)}},
  GaussianNoise: {cross: [requiredUnlessKeras1('stddev', 'sigma')], args: {stddev: only3(rate3), seed: only3(seed3), activity_regularizer: regularizer}},
  ActivityRegularization: {args: {l1: penalty, l2: penalty}},
}
