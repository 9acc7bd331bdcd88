/**
 * The built-in recurrent cells as kmodel computes them, from Keras's cell `call`s (keras/src/layers/rnn/*.py,
 * tf_keras/src/layers/rnn/*.py):
 * - SimpleRNNCell: h = activation(x·kernel + bias + h₋₁·recurrent_kernel).
 * - LSTMCell (gates i, f, c, o): z = x·kernel + h₋₁·recurrent_kernel + bias; c = f·c₋₁ + i·activation(z_c);
 *   h = o·activation(c), with i, f, o = recurrent_activation(z_·). PeepholeLSTMCell adds the peephole weights
 *   times c₋₁ to i and f, and times the new c to o.
 * - GRUCell (gates z, r, h): `reset_after` applies the reset gate after the recurrent product and uses the
 *   recurrent half of a (2, 3·units) bias; otherwise r multiplies h₋₁ before it. h = z·h₋₁ + (1 − z)·h̃.
 * - CuDNNLSTM / CuDNNGRU (rnn-cudnn.ts) and ConvLSTM (conv-lstm.ts) have their own files.
 * - StackedRNNCells: each cell's output is the next cell's input; the states are every cell's, in cell order.
 * Each gate has its own kernel block (the kernel's columns in gate order), so no step slices a tensor.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {type Json, type JsonObject, isArray, isObject} from '../json.js'
import {BackendError} from '../errors.js'
import {entryOf} from '../layers/config.js'
import type {ActivationFn} from './activations.js'
import {
  type Cell, type StepFn, type WeightCursor, cellActivations, gateBlocks, gateProjections, refuseTrainingDropout, truthy, unitsOf,
} from './rnn-common.js'
import type {ComputeCall} from './types.js'

/** `count` zero states (batch, units), the batch read from a projected step input. */
function zerosFor(c: ComputeCall, units: number, count: number): (projected: Tensor[]) => Tensor[] {
  return (p) => Array.from({length: count}, () => c.tf.zeros([p[0]?.shape[0] ?? 0, units]))
}

function simpleRnn(c: ComputeCall, cfg: JsonObject, w: WeightCursor, layer: string): Cell {
  const {act} = cellActivations(c, cfg, layer, false)
  const kernel = w.next('kernel')
  const recurrent = w.next('recurrent_kernel')
  const bias = truthy(cfg, 'use_bias', true) ? w.next('bias') : null
  return {
    stateCount: 1,
    project: (x) => gateProjections(c.tf, x, [kernel], bias === null ? null : [bias]),
    step: ([p], [h]) => {
      const out = act(c.tf.add(p as Tensor, c.tf.matMul(h as Tensor, recurrent)))
      return {output: out, states: [out]}
    },
    zeros: zerosFor(c, unitsOf(cfg), 1),
  }
}

/** The LSTM step from per-gate input parts and recurrent kernel blocks (i, f, c, o); peepholes (i, f, o) when given. */
export function lstmStep(c: ComputeCall, act: ActivationFn, rec: ActivationFn, recurrent: Tensor[], peep: Tensor[] | null): StepFn {
  const tf = c.tf
  const gate = (p: Tensor[], h: Tensor, g: number): Tensor => tf.add(p[g] as Tensor, tf.matMul(h, recurrent[g] as Tensor))
  const plus = (x: Tensor, k: number, state: Tensor): Tensor => (peep === null ? x : tf.add(x, tf.mul(peep[k] as Tensor, state)))
  return (p, [hPrev, cPrev]) => {
    const h = hPrev as Tensor
    const carry = cPrev as Tensor
    const i = rec(plus(gate(p, h, 0), 0, carry))
    const f = rec(plus(gate(p, h, 1), 1, carry))
    const cNew = tf.add(tf.mul(f, carry), tf.mul(i, act(gate(p, h, 2))))
    const o = rec(plus(gate(p, h, 3), 2, cNew))
    const hNew = tf.mul(o, act(cNew))
    return {output: hNew, states: [hNew, cNew]}
  }
}

function lstm(c: ComputeCall, cfg: JsonObject, w: WeightCursor, layer: string, peephole: boolean): Cell {
  const tf = c.tf
  const {act, rec} = cellActivations(c, cfg, layer, true)
  const kernels = gateBlocks(tf, w.next('kernel'), 4)
  const recurrent = gateBlocks(tf, w.next('recurrent_kernel'), 4)
  const biases = truthy(cfg, 'use_bias', true) ? gateBlocks(tf, w.next('bias'), 4) : null
  const peep = peephole ? [w.next('input_gate_peephole_weights'), w.next('forget_gate_peephole_weights'), w.next('output_gate_peephole_weights')] : null
  return {
    stateCount: 2,
    project: (x) => gateProjections(tf, x, kernels, biases),
    step: lstmStep(c, act, rec, recurrent, peep),
    zeros: zerosFor(c, unitsOf(cfg), 2),
  }
}

/** What a GRU step needs: activations, recurrent kernel blocks (z, r, h), recurrent bias blocks (reset_after). */
export interface GruParts {
  act: ActivationFn
  rec: ActivationFn
  recurrent: Tensor[]
  recurrentBias: Tensor[] | null
  resetAfter: boolean
}

/** One GRU step from the per-gate input parts p_z, p_r, p_h (x·K_g + input bias). */
export function gruStep(c: ComputeCall, g: GruParts): StepFn {
  const tf = c.tf
  const inner = (h: Tensor, k: number): Tensor => {
    const y = tf.matMul(h, g.recurrent[k] as Tensor)
    return g.recurrentBias === null ? y : tf.add(y, g.recurrentBias[k] as Tensor)
  }
  return ([pz, pr, ph], [hPrev]) => {
    const h = hPrev as Tensor
    const z = g.rec(tf.add(pz as Tensor, inner(h, 0)))
    const r = g.rec(tf.add(pr as Tensor, inner(h, 1)))
    const recH = g.resetAfter ? tf.mul(r, inner(h, 2)) : tf.matMul(tf.mul(r, h), g.recurrent[2] as Tensor)
    const hh = g.act(tf.add(ph as Tensor, recH))
    const out = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh))
    return {output: out, states: [out]}
  }
}

/**
 * GRU: `reset_after` from the bias's shape when there is a bias (the file's layout: (2, 3u) or (3u)), else from
 * the config (absent: False in Keras ≤ 2.3 configs, which predate the key, True in Keras 3).
 */
function gru(c: ComputeCall, cfg: JsonObject, w: WeightCursor, layer: string): Cell {
  const tf = c.tf
  const {act, rec} = cellActivations(c, cfg, layer, true)
  const kernels = gateBlocks(tf, w.next('kernel'), 3)
  const recurrent = gateBlocks(tf, w.next('recurrent_kernel'), 3)
  const bias = truthy(cfg, 'use_bias', true) ? w.next('bias') : null
  const resetAfter = bias !== null ? bias.rank === 2 : truthy(cfg, 'reset_after', c.generation === 'keras3')
  const rows = bias === null ? [] : bias.rank === 2 ? tf.unstack(bias, 0) : [bias]
  const input = rows[0] === undefined ? null : gateBlocks(tf, rows[0], 3)
  const recurrentBias = rows[1] === undefined ? null : gateBlocks(tf, rows[1], 3)
  return {
    stateCount: 1,
    project: (x) => gateProjections(tf, x, kernels, input),
    step: gruStep(c, {act, rec, recurrent, recurrentBias, resetAfter}),
    zeros: zerosFor(c, unitsOf(cfg), 1),
  }
}

/** StackedRNNCells: the first cell's projection runs over all steps; the others project their step input. */
function stacked(c: ComputeCall, cells: Cell[], reverse: boolean): Cell {
  const head = cells[0] as Cell
  // `reverse_state_order` (tf.keras ≤ 2.0): the states are listed last cell first.
  const ordered = reverse ? [...cells].reverse() : cells
  const split = (states: Tensor[]): Map<Cell, Tensor[]> => {
    const out = new Map<Cell, Tensor[]>()
    let at = 0
    for (const cell of ordered) {
      out.set(cell, states.slice(at, at + cell.stateCount))
      at += cell.stateCount
    }
    return out
  }
  return {
    stateCount: cells.reduce((n, cell) => n + cell.stateCount, 0),
    project: (x) => head.project(x),
    step: (p, states) => {
      const byCell = split(states)
      const next = new Map<Cell, Tensor[]>()
      let output = p[0] as Tensor
      cells.forEach((cell, i) => {
        const r = cell.step(i === 0 ? p : cell.project(output), byCell.get(cell) ?? [])
        next.set(cell, r.states)
        output = r.output
      })
      return {output, states: ordered.flatMap((cell) => next.get(cell) ?? [])}
    },
    zeros: (p) => ordered.flatMap((cell) => cell.zeros(p)),
  }
}

/** The cell classes an RNN accepts (the dense ones; ConvLSTM has its own layer, conv-lstm.ts). */
const CELL_CLASSES = new Set(['SimpleRNNCell', 'LSTMCell', 'GRUCell', 'PeepholeLSTMCell', 'StackedRNNCells'])

/** A cell from its `{class_name, config}` entry, or a list of entries (Keras 3: a StackedRNNCells). */
export function cellFromEntry(c: ComputeCall, value: Json | undefined, w: WeightCursor, layer: string): Cell {
  if (isArray(value)) return stacked(c, value.map((v) => cellFromEntry(c, v, w, layer)), false)
  const entry = entryOf(value)
  if (entry === undefined || !CELL_CLASSES.has(entry.class_name)) {
    const name = isObject(value) && typeof value.class_name === 'string' ? value.class_name : JSON.stringify(value)
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${layer}: argument 'cell' = ${name} is not computed by kmodel (only the built-in cells SimpleRNNCell, LSTMCell, GRUCell, PeepholeLSTMCell and StackedRNNCells).`, {hint: 'A custom cell is Python code, which kmodel never runs.'})
  }
  const cfg = entry.config
  if (entry.class_name === 'StackedRNNCells') {
    const cells = isArray(cfg.cells) ? cfg.cells : []
    if (cells.length === 0) throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${layer}: StackedRNNCells has no cells.`)
    return stacked(c, cells.map((v) => cellFromEntry(c, v, w, layer)), truthy(cfg, 'reverse_state_order', false))
  }
  return layerCell(c, entry.class_name.replace(/Cell$/, ''), cfg, w, layer)
}

/** The cell of a recurrent layer class (SimpleRNN, LSTM, GRU, PeepholeLSTM) from the layer's config. */
export function layerCell(c: ComputeCall, kind: string, cfg: JsonObject, w: WeightCursor, layer: string): Cell {
  refuseTrainingDropout(c, cfg, layer)
  switch (kind) {
    case 'SimpleRNN': return simpleRnn(c, cfg, w, layer)
    case 'LSTM': return lstm(c, cfg, w, layer, false)
    case 'PeepholeLSTM': return lstm(c, cfg, w, layer, true)
    case 'GRU': return gru(c, cfg, w, layer)
    default: throw new BackendError('KM_BACKEND_UNSUPPORTED_LAYER', `Layer class ${layer}: no recurrent cell ${kind}.`)
  }
}
