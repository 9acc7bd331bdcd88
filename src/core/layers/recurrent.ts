/**
 * Recurrent layers: SimpleRNN, LSTM, GRU (bias (2, 3u) with `reset_after`), CuDNNLSTM / CuDNNGRU (8u / 6u
 * biases), the generic RNN with a cell or StackedRNNCells, and ConvLSTM1D/2D/3D. Outputs follow
 * `return_sequences` / `return_state` (and tf.keras `time_major`). Wrappers live in wrappers.ts.
 */
import type {JsonObject} from '../json.js'
import type {Dim, WeightInfo} from '../graph/summary-types.js'
import {bool, entryOf, int} from './config.js'
import {convParams, convSpatial, joinChannels, splitChannels} from './conv.js'
import {type LayerRule, type RuleInput, type RuleTable, type Shape, UNKNOWN, first, prefixed, refuse, weight} from './types.js'
import {generationFor, pyTruthy} from './args.js'

export {RECURRENT_ARGS} from './recurrent-args.js'

/** `if cfg[key]:` with the constructor default when absent (Keras tests these flags for truth only). */
function truthy(cfg: JsonObject, key: string, fallback: boolean): boolean {
  const v = cfg[key]
  return v === undefined ? fallback : pyTruthy(v)
}

/** What a cell contributes: its weights for a given step input size, its output size and its states. */
interface CellInfo {
  weights: WeightInfo[] | null
  units: number
  /** Number of state tensors (LSTM: h and c). */
  states: number
}

interface CellKind {
  gates: number
  states: number
  /** Bias length as a multiple of units, or a shape builder. */
  bias: (cfg: JsonObject, units: number) => Shape
}

const plainBias = (gates: number) => (_cfg: JsonObject, units: number): Shape => [gates * units]

const CELL_KINDS: Readonly<Record<string, CellKind>> = {
  SimpleRNN: {gates: 1, states: 1, bias: plainBias(1)},
  LSTM: {gates: 4, states: 2, bias: plainBias(4)},
  GRU: {gates: 3, states: 1, bias: (cfg, u) => (truthy(cfg, 'reset_after', false) ? [2, 3 * u] : [3 * u])},
  CuDNNLSTM: {gates: 4, states: 2, bias: plainBias(8)},
  CuDNNGRU: {gates: 3, states: 1, bias: plainBias(6)},
}

/** `LSTMCell` → `LSTM`, `GRUCell` → `GRU`; `null` for classes that are not built-in cells. */
function kindOf(className: string): CellKind | undefined {
  return CELL_KINDS[className.replace(/Cell$/, '').replace(/^Peephole/, '')]
}

/** Units of a recurrent config (Keras 1 wrote `output_dim`). */
function unitsOf(cfg: JsonObject): number {
  return int(cfg, 'units', int(cfg, 'output_dim', 0))
}

/** Weights and sizes of one built-in cell (or recurrent layer config) for a step input of `inDim` features. */
function builtinCell(className: string, cfg: JsonObject, inDim: Dim, dtype: string): CellInfo | undefined {
  const kind = kindOf(className)
  if (kind === undefined) return undefined
  const u = unitsOf(cfg)
  const weights = [weight('kernel', [inDim, kind.gates * u], dtype), weight('recurrent_kernel', [u, kind.gates * u], dtype)]
  if (truthy(cfg, 'use_bias', true)) weights.push(weight('bias', kind.bias(cfg, u), dtype))
  if (className === 'PeepholeLSTMCell') {
    for (const gate of ['input', 'forget', 'output']) weights.push(weight(`${gate}_gate_peephole_weights`, [u], dtype))
  }
  return {weights, units: u, states: kind.states}
}

/** A cell entry `{class_name, config}`: a built-in cell or StackedRNNCells (cells chained on their units). */
function cellInfo(entryJson: JsonObject[string] | undefined, inDim: Dim, dtype: string): CellInfo | undefined {
  const entry = entryOf(entryJson)
  if (entry === undefined) return undefined
  if (entry.class_name !== 'StackedRNNCells') return builtinCell(entry.class_name, entry.config, inDim, dtype)
  const cells = Array.isArray(entry.config.cells) ? entry.config.cells : []
  let dim = inDim
  let states = 0
  let units = 0
  const weights: WeightInfo[] = []
  for (const cell of cells) {
    const info = cellInfo(cell, dim, dtype)
    if (info === undefined) return undefined
    const cellName = entryOf(cell)?.config.name
    weights.push(...(info.weights ?? []).map((w) => (typeof cellName === 'string' ? {...w, name: `${cellName}/${w.name}`} : w)))
    states += info.states
    units = info.units
    dim = info.units
  }
  return {weights, units, states}
}

/** Output tensors of a recurrent layer from its per-step output shape and its state shapes. */
function recurrentOutputs(cfg: JsonObject, batch: Dim, steps: Dim, step: Shape, states: Shape[]): Shape[] {
  const timeMajor = bool(cfg, 'time_major', false)
  const y = truthy(cfg, 'return_sequences', false) ? (timeMajor ? [steps, batch, ...step] : [batch, steps, ...step]) : [batch, ...step]
  return truthy(cfg, 'return_state', false) ? [y, ...states.map((s) => [batch, ...s])] : [y]
}

/** The (batch, steps, features) of a recurrent input, honouring `time_major`. */
function sequenceDims(cfg: JsonObject, shape: Shape): {batch: Dim; steps: Dim} {
  return bool(cfg, 'time_major', false) ? {batch: shape[1] ?? null, steps: shape[0] ?? null} : {batch: shape[0] ?? null, steps: shape[1] ?? null}
}

/**
 * tf.keras 2.4+ builds a recurrent layer's variables inside its cell's scope (`gru/gru_cell/kernel:0`);
 * standalone Keras, tf.keras ≤ 2.3 (`2.2.4-tf`: `lstm/kernel:0`) and Keras 3 do not. The cell's own
 * name may carry a counter (`gru_cell_1`) that the config does not record; the unnumbered name is used.
 */
function cellScope(input: RuleInput): string | undefined {
  const m = /^2\.(\d+)\.\d+$/.exec(input.keras_version ?? '')
  if (m === null || Number(m[1]) < 4) return undefined
  if (input.class_name === 'RNN') {
    const name = entryOf(input.config.cell)?.config.name
    return typeof name === 'string' ? name : undefined
  }
  const cells: Record<string, string> = {SimpleRNN: 'simple_rnn_cell', LSTM: 'lstm_cell', GRU: 'gru_cell', ConvLSTM1D: 'conv_lstm_cell', ConvLSTM2D: 'conv_lstm_cell', ConvLSTM3D: 'conv_lstm_cell'}
  return cells[input.class_name]
}

const showShape = (shape: Shape): string => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`

/**
 * What Keras refuses when a recurrent layer is called on `shape`: a rank other than the InputSpec's `ndim`;
 * `stateful` without a static batch size (tf-keras: `if not batch_size`, so 0 too); and in tf-keras, `unroll`
 * over an undefined number of timesteps and an undefined feature size (the kernel's shape). Keras 3 builds a
 * layer from its `build_config` before the call, so an undefined feature size is not refused there.
 */
function callRefusal(input: RuleInput, shape: Shape, ndim: number | undefined, conv: boolean): string | undefined {
  if (ndim !== undefined && shape.length !== ndim) return `expected ndim=${ndim}, found ndim=${shape.length}. Full shape received: ${showShape(shape)}`
  const keras2 = generationFor(input.keras_version, input.dialect) === 'keras2'
  const cfg = input.config
  const timeMajor = keras2 && pyTruthy(cfg.time_major ?? false)
  const batch = shape[timeMajor ? 1 : 0] ?? null
  const steps = shape[timeMajor ? 0 : 1] ?? null
  if (truthy(cfg, 'stateful', false) && (batch === null || (keras2 && batch === 0))) {
    return `a stateful RNN needs a static batch size; the input has none: ${showShape(shape)}`
  }
  if (!keras2 || conv) return undefined
  if (truthy(cfg, 'unroll', false) && steps === null) return `unrolling requires a fixed number of timesteps; the input has none: ${showShape(shape)}`
  if (shape.length >= 3 && shape.at(-1) === null) return `the last dimension of its input must be defined to build the kernel, found ${showShape(shape)}`
  return undefined
}

/** SimpleRNN / LSTM / GRU / CuDNN* (units in the layer config) and RNN (a `cell` entry). */
const recurrent: LayerRule = (input: RuleInput) => {
  const shape = first(input)
  const cfg = input.config
  // RNN itself has no InputSpec; SimpleRNN / LSTM / GRU / CuDNN* declare InputSpec(ndim=3).
  const problem = shape === null ? undefined : callRefusal(input, shape, input.class_name === 'RNN' ? undefined : 3, false)
  if (problem !== undefined) return refuse(problem)
  const inDim = shape?.at(-1) ?? null
  const info = input.class_name === 'RNN' ? cellInfo(cfg.cell, inDim, input.dtype) : builtinCell(input.class_name, cfg, inDim, input.dtype)
  if (info === undefined) return UNKNOWN
  const scope = cellScope(input)
  const weights = scope === undefined ? info.weights : prefixed(info.weights, scope)
  if (shape === null || shape.length < 3) return {outputs: null, weights}
  const {batch, steps} = sequenceDims(cfg, shape)
  const states = Array.from({length: info.states}, () => [info.units])
  return {outputs: recurrentOutputs(cfg, batch, steps, [info.units], states), weights}
}

/** A cell used directly as a layer: one step, (batch, features) → (batch, units). */
const cellLayer: LayerRule = (input: RuleInput) => {
  const shape = first(input)
  const info = cellInfo({class_name: input.class_name, config: input.config}, shape?.at(-1) ?? null, input.dtype)
  if (info === undefined) return UNKNOWN
  return {outputs: shape === null ? null : [[shape[0] ?? null, info.units]], weights: info.weights}
}

/** ConvLSTM1D/2D/3D: input (batch, time, spatial…, channels) in channels_last. */
function convLstm(n: number): LayerRule {
  return (input: RuleInput) => {
    const shape = first(input)
    const cfg = input.config
    if (shape === null) return UNKNOWN
    const problem = callRefusal(input, shape, n + 3, true)
    if (problem !== undefined) return refuse(problem)
    const p = convParams(cfg, n)
    const f = int(cfg, 'filters', 0)
    const {spatial, channels} = splitChannels([shape[0] ?? null, ...shape.slice(2)], p.cf)
    const weights = [weight('kernel', [...p.kernel, channels, 4 * f], input.dtype), weight('recurrent_kernel', [...p.kernel, f, 4 * f], input.dtype)]
    if (truthy(cfg, 'use_bias', true)) weights.push(weight('bias', [4 * f], input.dtype))
    const out = convSpatial(spatial, p)
    if (out.some((d) => d !== null && d <= 0)) return refuse(`computed output size would be zero or negative: input ${showShape(shape)}, kernel_size ${JSON.stringify(p.kernel)}`)
    const step = joinChannels(null, out, f, p.cf).slice(1)
    const scope = cellScope(input)
    return {outputs: recurrentOutputs(cfg, shape[0] ?? null, shape[1] ?? null, step, [step, step]), weights: scope === undefined ? weights : prefixed(weights, scope)}
  }
}

/** Rules of this family. */
export const RECURRENT_RULES: RuleTable = {
  SimpleRNN: recurrent,
  LSTM: recurrent,
  GRU: recurrent,
  CuDNNLSTM: recurrent,
  CuDNNGRU: recurrent,
  RNN: recurrent,
  SimpleRNNCell: cellLayer,
  LSTMCell: cellLayer,
  GRUCell: cellLayer,
  PeepholeLSTMCell: cellLayer,
  StackedRNNCells: cellLayer,
  ConvLSTM1D: convLstm(1),
  ConvLSTM2D: convLstm(2),
  ConvLSTM3D: convLstm(3),
}
