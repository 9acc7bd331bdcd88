/**
 * Recurrent layers: SimpleRNN, LSTM, GRU (bias (2, 3u) with `reset_after`), CuDNNLSTM / CuDNNGRU (8u / 6u
 * biases), the generic RNN with a cell or StackedRNNCells, and ConvLSTM1D/2D/3D. Outputs follow
 * `return_sequences` / `return_state` (and tf.keras `time_major`). Wrappers live in wrappers.ts.
 */
import type {JsonObject} from '../json.js'
import type {Dim, WeightInfo} from '../graph/summary-types.js'
import {bool, entryOf, int} from './config.js'
import {convParams, convSpatial, joinChannels, splitChannels} from './conv.js'
import {type LayerRule, type RuleInput, type RuleTable, type Shape, UNKNOWN, first, prefixed, weight} from './types.js'

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
  GRU: {gates: 3, states: 1, bias: (cfg, u) => (bool(cfg, 'reset_after', false) ? [2, 3 * u] : [3 * u])},
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
  if (bool(cfg, 'use_bias', true)) weights.push(weight('bias', kind.bias(cfg, u), dtype))
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
  const y = bool(cfg, 'return_sequences', false) ? (timeMajor ? [steps, batch, ...step] : [batch, steps, ...step]) : [batch, ...step]
  return bool(cfg, 'return_state', false) ? [y, ...states.map((s) => [batch, ...s])] : [y]
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

/** SimpleRNN / LSTM / GRU / CuDNN* (units in the layer config) and RNN (a `cell` entry). */
const recurrent: LayerRule = (input: RuleInput) => {
  const shape = first(input)
  const cfg = input.config
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
    if (shape === null || shape.length !== n + 3) return UNKNOWN
    const p = convParams(cfg, n)
    const f = int(cfg, 'filters', 0)
    const {spatial, channels} = splitChannels([shape[0] ?? null, ...shape.slice(2)], p.cf)
    const weights = [weight('kernel', [...p.kernel, channels, 4 * f], input.dtype), weight('recurrent_kernel', [...p.kernel, f, 4 * f], input.dtype)]
    if (bool(cfg, 'use_bias', true)) weights.push(weight('bias', [4 * f], input.dtype))
    const step = joinChannels(null, convSpatial(spatial, p), f, p.cf).slice(1)
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
