/**
 * Argument schemas of the recurrent family (SimpleRNN / LSTM / GRU and their cells, CuDNN*, RNN,
 * StackedRNNCells, ConvLSTM1D/2D/3D), mirroring the constructors of Keras 3 (keras/src/layers/rnn/…) and
 * tf-keras 2.x (tf_keras/src/layers/rnn/…):
 * - `units <= 0` raises; a float `units` fails when the weights or `state_size` are made; Keras 3 takes
 *   `True` as 1 unit, tf-keras hands it to TensorFlow as a shape and fails.
 * - `dropout` / `recurrent_dropout` go through `min(1.0, max(0.0, v))`: any number passes (1.5, -1, NaN,
 *   Infinity are clipped), anything that cannot be compared with a float raises.
 * - `return_sequences`, `go_backwards`, `stateful`, `unroll`, `use_bias`, `reset_after`, `implementation`, … are
 *   only ever tested for truth: any value passes (their shape consequences are in recurrent.ts).
 */
import type {Json, JsonObject} from '../json.js'
import {isArray, isObject} from '../json.js'
import {
  type ArgCheck, type ArgTable, type ClassArgs, type CrossCheck, boolean, intValue, nullable, number, only, oneOfLower, perGeneration,
  pyEquals, pyInt, pyTruthy, sizeTuple, tupleValues,
} from './args.js'
import {layerClass} from './catalog.js'
import {activation, constraint, initializer, regularizer} from './identifiers.js'

/**
 * `units`: Keras 3 compares `units <= 0` (bool is an int); tf-keras also rejects bools when it builds. Beyond
 * 2^53 a JSON number is either a float (refused when the shapes are made) or an int no machine can allocate.
 */
const units: ArgCheck = perGeneration({
  keras3: (v) => (pyInt(v) && Number.isSafeInteger(intValue(v)) && intValue(v) > 0 ? undefined : 'a positive integer'),
  keras2: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? undefined : 'a positive integer'),
})

/** Keras 3 `SeedGenerator(seed)`: None or an int (`True` then fails as a tensor value). */
const seed: ArgCheck = only('keras3', nullable((v) => (typeof v === 'number' && Number.isInteger(v) ? undefined : 'an integer or null')))

/** Keras 3 LSTM / GRU: `use_cudnn not in ("auto", True, False)` raises (Python ==, so 1 and 0.0 pass). */
const useCudnn: ArgCheck = (v) => (v === 'auto' || v === true || v === false || v === 1 || v === 0 ? undefined : 'one of "auto", true, false')

/** tf-keras LSTM / GRU hand `time_major` to a TensorFlow op attribute that takes only a bool. */
const timeMajorBool: ArgCheck = only('keras2', boolean)

/** The weight-object keys of every recurrent class (CuDNN* have only these and `units`). */
const WEIGHT_ARGS: Readonly<Record<string, ArgCheck>> = {
  kernel_initializer: initializer,
  recurrent_initializer: initializer,
  bias_initializer: initializer,
  kernel_regularizer: regularizer,
  recurrent_regularizer: regularizer,
  bias_regularizer: regularizer,
  kernel_constraint: constraint,
  recurrent_constraint: constraint,
  bias_constraint: constraint,
}

/** The keys every built-in cell shares (SimpleRNNCell's set; LSTM / GRU add `recurrent_activation`). */
const CELL_ARGS: Readonly<Record<string, ArgCheck>> = {
  ...WEIGHT_ARGS,
  units,
  activation,
  dropout: number,
  recurrent_dropout: number,
  seed,
}

const GATED_CELL_ARGS = {...CELL_ARGS, recurrent_activation: activation}

/** ConvLSTM cells: the gated cell's keys without `units` (filters and the convolution keys instead). */
const CONV_CELL_ARGS: Readonly<Record<string, ArgCheck>> = Object.fromEntries(Object.entries(GATED_CELL_ARGS).filter(([key]) => key !== 'units'))

/** A layer wraps a cell: its own args plus `activity_regularizer`. */
const layerArgs = (cell: Readonly<Record<string, ArgCheck>>, extra: Readonly<Record<string, ArgCheck>> = {}): ClassArgs => ({
  required: ['units'],
  args: {...cell, activity_regularizer: regularizer, ...extra},
})

/** Classes Keras accepts as an RNN `cell` (custom classes are not judged: validate.ts warns about them). */
function isRecurrentClass(className: string): boolean {
  const info = layerClass(className)
  return info === undefined || info.category === 'recurrent'
}

/**
 * RNN `cell`: a `{class_name, config}` entry (Keras 3 also a list, wrapped into StackedRNNCells; tf-keras cannot
 * deserialize a list); None or a scalar has no `call` method, and a built-in non-recurrent layer no `state_size`.
 */
const cell: ArgCheck = (v, ctx) => {
  if (isArray(v) && ctx.generation === 'keras3') return undefined
  if (!isObject(v) || typeof v.class_name !== 'string') return 'an RNN cell config {"class_name", "config"}'
  return isRecurrentClass(v.class_name) ? undefined : `an RNN cell (a layer with a \`state_size\`), not ${v.class_name}`
}

/** Keras 3 StackedRNNCells of no cells: RNN's call indexes the first cell's state and fails. */
const emptyStack: CrossCheck = (cfg, ctx) => {
  const c = cfg.cell
  if (ctx.generation !== 'keras3' || !isObject(c) || c.class_name !== 'StackedRNNCells' || !isObject(c.config)) return undefined
  const cells = c.config.cells
  return isArray(cells) && cells.length === 0 ? {key: 'cell', message: 'StackedRNNCells needs at least one cell (Keras 3 fails on an empty stack)'} : undefined
}

// ---- ConvLSTM ----

/** Keras 3 `filters` is only multiplied (0 builds an empty layer); tf-keras builds a TensorFlow shape with it. */
const filters: ArgCheck = perGeneration({
  keras3: (v) => (pyInt(v) && Number.isSafeInteger(intValue(v)) && intValue(v) >= 0 ? undefined : 'a non-negative integer'),
  keras2: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? undefined : 'a positive integer'),
})

/** `strides > 1` together with `dilation_rate > 1` is refused by both generations. */
const stridesWithDilation = (n: number): CrossCheck => (cfg) => {
  const s = tupleValues(cfg.strides, n)
  const d = tupleValues(cfg.dilation_rate, n)
  if (s === undefined || d === undefined || Math.max(...s) <= 1 || Math.max(...d) <= 1) return undefined
  return {key: 'strides', message: `strides > 1 is not compatible with dilation_rate > 1 (strides=${JSON.stringify(cfg.strides)}, dilation_rate=${JSON.stringify(cfg.dilation_rate)})`}
}

/** tf-keras ConvRNN: `if self.unroll: raise TypeError("Unrolling is not possible with convolutional RNNs")`. */
const convUnroll: ArgCheck = only('keras2', (v) => (pyTruthy(v) ? 'false (tf-keras cannot unroll a convolutional RNN)' : undefined))

function convLstmArgs(n: number): ClassArgs {
  return {
    required: ['filters', 'kernel_size'],
    args: {
      ...CONV_CELL_ARGS,
      activity_regularizer: regularizer,
      filters,
      // standardize_tuple: ints > 0; tf-keras then builds a TensorFlow shape with the kernel (no bools).
      kernel_size: perGeneration({keras3: sizeTuple(n), keras2: sizeTuple(n, {bools: false})}),
      // allow_zero=True, but a zero stride then fails in the convolution: > 0 in effect; floats in a list pass.
      strides: sizeTuple(n, {floats: true}),
      dilation_rate: sizeTuple(n, {floats: true}),
      padding: oneOfLower('valid', 'same'),
      data_format: nullable(oneOfLower('channels_last', 'channels_first')),
      unroll: convUnroll,
    },
    cross: [stridesWithDilation(n)],
  }
}

/** Argument schemas of this family, by canonical class name (see the module comment). */
export const RECURRENT_ARGS: ArgTable = {
  SimpleRNNCell: {required: ['units'], args: CELL_ARGS},
  LSTMCell: {required: ['units'], args: GATED_CELL_ARGS},
  GRUCell: {required: ['units'], args: GATED_CELL_ARGS},
  PeepholeLSTMCell: {required: ['units'], args: GATED_CELL_ARGS},
  SimpleRNN: layerArgs(CELL_ARGS),
  LSTM: layerArgs(GATED_CELL_ARGS, {use_cudnn: only('keras3', useCudnn), time_major: timeMajorBool}),
  GRU: layerArgs(GATED_CELL_ARGS, {use_cudnn: only('keras3', useCudnn), time_major: timeMajorBool}),
  CuDNNLSTM: layerArgs({...WEIGHT_ARGS, units}),
  CuDNNGRU: layerArgs({...WEIGHT_ARGS, units}),
  RNN: {required: ['cell'], args: {cell}, cross: [emptyStack]},
  StackedRNNCells: {required: ['cells'], args: {cells: (v) => (isArray(v) ? undefined : 'a list of cell configs')}},
  ConvLSTM1D: convLstmArgs(1),
  ConvLSTM2D: convLstmArgs(2),
  ConvLSTM3D: convLstmArgs(3),
}

/** Python `==` between two configs' values of `key` (absent = the constructor default `fallback`). */
export function sameSetting(a: JsonObject, b: JsonObject, key: string, fallback: Json): boolean {
  return pyEquals(Object.hasOwn(a, key) ? a[key] : fallback, Object.hasOwn(b, key) ? b[key] : fallback)
}

/** True when `className` is a built-in layer with `go_backwards` (an RNN Bidirectional can wrap), or unknown. */
export function canRunBackwards(className: string): boolean {
  const info = layerClass(className)
  return info === undefined || info.configKeys.has('go_backwards')
}
