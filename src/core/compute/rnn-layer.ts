/**
 * One call of a recurrent layer around a cell, as Keras's `RNN.call` runs it (keras/src/layers/rnn/rnn.py,
 * tf_keras/src/layers/rnn/base_rnn.py): the input's time axis (axis 1, or 0 with tf-keras `time_major`) is
 * looped over; the initial states are the call's (Keras 2 saves them as extra positional inputs, Keras 3 as the
 * `initial_state` keyword), a stateful layer's carried ones, or zeros; the outputs are the last output or the
 * whole sequence (`return_sequences`, in processing order when `go_backwards`), then the final states
 * (`return_state`). The output mask is the input mask when `return_sequences`, else none.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {JsonObject} from '../json.js'
import {BackendError} from '../errors.js'
import {type Cell, callMask, reversed, stepAt, truthy} from './rnn-common.js'
import {runLoop} from './rnn-loop.js'
import type {ComputeCall, ComputeOutput} from './types.js'

/** How the layer around the cell runs (read from its config by the caller). */
export interface LayerOptions {
  layer: string
  returnSequences: boolean
  returnState: boolean
  goBackwards: boolean
  stateful: boolean
  unroll: boolean
  timeMajor: boolean
  zeroOutputForMask: boolean
  /** CuDNN* layers: no masks, and `go_backwards` reverses input axis 1 whatever `time_major` says. */
  cudnn: boolean
}

/** The layer options from a recurrent layer's config; `time_major` exists in tf-keras only. */
export function layerOptions(c: ComputeCall, cfg: JsonObject, layer: string, cudnn = false): LayerOptions {
  return {
    layer,
    returnSequences: truthy(cfg, 'return_sequences', false),
    returnState: truthy(cfg, 'return_state', false),
    goBackwards: truthy(cfg, 'go_backwards', false),
    stateful: truthy(cfg, 'stateful', false),
    unroll: truthy(cfg, 'unroll', false),
    timeMajor: c.generation === 'keras2' && truthy(cfg, 'time_major', false),
    zeroOutputForMask: truthy(cfg, 'zero_output_for_mask', false),
    cudnn,
  }
}

function refuse(layer: string, what: string, hint?: string): BackendError {
  return new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${layer}: ${what}`, hint === undefined ? {} : {hint})
}

/**
 * Tensors passed by a keyword argument: `name`, or one per element (`name/0`, `name/1`, …) for a list. A call
 * whose saved kwargs list tensors that did not arrive is refused: computing with zero states instead would
 * silently differ from Keras.
 */
export function keywordTensors(c: ComputeCall, name: string): Tensor[] {
  const pattern = new RegExp(`^${name}(?:[\\W_]*(\\d+)\\W*)?$`)
  const named = Object.entries(c.kwargs)
    .map(([key, t]) => ({m: pattern.exec(key), t}))
    .filter((e): e is {m: RegExpExecArray; t: Tensor} => e.m !== null)
    .sort((a, b) => Number(a.m[1] ?? 0) - Number(b.m[1] ?? 0))
    .map((e) => e.t)
  const saved = c.call_kwargs[name]
  const expected = Array.isArray(saved) ? saved.length : saved === undefined || saved === null ? 0 : 1
  if (named.length === 0 && expected > 0) {
    throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: the call passes ${expected} '${name}' tensor(s) by keyword, which did not reach kmodel's compute function.`, {hint: 'kmodel computes initial states passed as inputs of the call (Keras 2 files); this file passes them by keyword.'})
  }
  return named
}

/** The initial states the call passes: extra positional inputs (Keras 2) or `initial_state` keyword tensors. */
export function givenStates(c: ComputeCall): Tensor[] {
  return c.inputs.length > 1 ? c.inputs.slice(1) : keywordTensors(c, 'initial_state')
}

/**
 * The projected step inputs, in time order: the cell's per-gate input products for every step in one call
 * each, then step t taken out of every gate with a gather along the time axis.
 */
function projectedSteps(c: ComputeCall, cell: Cell, x: Tensor, timeAxis: number): Tensor[][] {
  const [d0, d1, ...rest] = x.shape as number[]
  const projected = cell.project(c.tf.reshape(x, [(d0 ?? 0) * (d1 ?? 0), ...rest])).map((p) => c.tf.reshape(p, [d0 ?? 0, d1 ?? 0, ...p.shape.slice(1)]))
  return Array.from({length: x.shape[timeAxis] ?? 0}, (_, t) => projected.map((p) => stepAt(c.tf, p, timeAxis, t)))
}

/** The mask as one bool (batch) tensor per time step, or null. */
function maskSteps(c: ComputeCall, o: LayerOptions, mask: Tensor | null, timeAxis: number): Tensor[] | null {
  if (mask === null || mask === undefined) return null
  if (o.cudnn) throw refuse(o.layer, 'a mask reaches this layer, and Keras refuses masks on CuDNN RNNs ("Masking is not supported for CuDNN RNNs").')
  if (mask.rank !== 2) throw refuse(o.layer, `the input mask has shape [${mask.shape.join(', ')}]; kmodel computes recurrent masks of shape (batch, timesteps) only.`)
  const m = mask.dtype === 'bool' ? mask : c.tf.cast(mask, 'bool')
  return Array.from({length: m.shape[timeAxis] ?? 0}, (_, t) => stepAt(c.tf, m, timeAxis, t))
}

/** The key of the i-th carried state of a stateful layer. */
const stateKey = (i: number): string => `state/${i}`

/** The states a stateful layer carried from its previous batch, or undefined before the first. */
function carried(c: ComputeCall, o: LayerOptions, count: number, batch: number): Tensor[] | undefined {
  const stored = Array.from({length: count}, (_, i) => c.state.get(stateKey(i)))
  if (stored.some((s) => s === undefined)) return undefined
  const states = stored as Tensor[]
  const expected = states[0]?.shape[0]
  if (expected !== batch) throw refuse(o.layer, `a stateful RNN needs batches of the size it started with: expected ${expected}, received ${batch}.`, 'A stateful layer\'s batch size is fixed: predict in batches of the size the model was built for, on a sample count that is a multiple of it.')
  return states
}

/**
 * The initial states: the call's, else (stateful) the carried ones, else zeros. tf-keras lets a stateful
 * layer's carried states win over the call's while any of them is non-zero; Keras 3 takes the call's.
 */
function initialStates(c: ComputeCall, o: LayerOptions, cell: Cell, first: Tensor[]): Tensor[] {
  const given = givenStates(c)
  if (given.length > 0 && given.length !== cell.stateCount) {
    throw refuse(o.layer, `the layer has ${cell.stateCount} states but was passed ${given.length} initial states.`)
  }
  const batch = first[0]?.shape[0] ?? 0
  const kept = o.stateful ? carried(c, o, cell.stateCount, batch) : undefined
  if (given.length === 0) return kept ?? cell.zeros(first)
  if (kept === undefined || c.generation === 'keras3' || o.cudnn) return given
  const nonZero = c.tf.any(c.tf.stack(kept.map((s) => c.tf.any(c.tf.notEqual(s, 0)))))
  return kept.map((s, i) => c.tf.where(nonZero, s, given[i] as Tensor))
}

/** Runs the layer (see the module comment). */
export function runRecurrent(c: ComputeCall, cell: Cell, o: LayerOptions): ComputeOutput {
  let x = c.inputs[0]
  if (x === undefined || x.rank < 3) throw refuse(o.layer, `the input must have rank 3 or more (batch, timesteps, …), got shape [${x?.shape.join(', ') ?? ''}].`)
  if (truthy(c.config, 'num_constants', false)) throw refuse(o.layer, `argument 'num_constants' = ${JSON.stringify(c.config.num_constants)}: the built-in cells take no constants (Keras refuses them).`)
  const timeAxis = o.timeMajor ? 0 : 1
  if ((x.shape[timeAxis] ?? 0) === 0) throw refuse(o.layer, 'the input has no time steps.')
  let goBackwards = o.goBackwards
  // CuDNN*: `backend.reverse(inputs, 1)` (axis 1 even when time_major), then a forward loop.
  if (o.cudnn && goBackwards) {
    x = reversed(c.tf, x, 1)
    goBackwards = false
  }
  const steps = projectedSteps(c, cell, x, timeAxis)
  const mask = maskSteps(c, o, callMask(c), timeAxis)
  const initial = initialStates(c, o, cell, steps[0] as Tensor[])
  const result = runLoop(c.tf, cell.step, {steps, initial, mask, goBackwards, unroll: o.unroll, zeroOutputForMask: o.zeroOutputForMask})
  if (o.stateful) result.states.forEach((s, i) => c.state.set(stateKey(i), s))
  // A non-unrolled Keras RNN returns its while loop's last output, a new tensor: a loss must not see the logits
  // of the cell's sigmoid / softmax through it (activations.ts kerasLogits); an unrolled one returns that tensor.
  const output = o.returnSequences ? c.tf.stack(result.outputs, timeAxis) : o.unroll ? result.last : c.tf.clone(result.last)
  const outputMask = o.returnSequences ? callMask(c) : null
  if (!o.returnState) return {outputs: [output], masks: [outputMask]}
  return {outputs: [output, ...result.states], masks: [outputMask, ...result.states.map(() => null)]}
}
