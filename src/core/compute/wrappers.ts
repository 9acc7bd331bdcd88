/**
 * Compute functions of the wrappers family (see types.ts), from Keras's Bidirectional and TimeDistributed
 * (keras/src/layers/rnn/{bidirectional,time_distributed}.py, tf_keras/src/layers/rnn/…):
 * - Bidirectional runs the wrapped RNN forwards and a backward copy (`go_backwards` set; or the given
 *   `backward_layer`), each with `zero_output_for_mask = return_sequences` as Keras forces, on the same input
 *   and mask; the initial states split in two halves. The backward sequence is flipped back in time, then
 *   merged (`concat` / `sum` / `mul` / `ave`, or None: two outputs); the states follow, forward ones first.
 * - TimeDistributed runs the wrapped layer once on (batch·time, …) and restores (batch, time, …) (Keras 3 steps
 *   through time, which gives the same numbers outside training; in training kmodel steps too).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {type Json, type JsonObject, isObject} from '../json.js'
import {BackendError} from '../errors.js'
import {entryOf, str} from '../layers/config.js'
import {callMask, reversed, truthy} from './rnn-common.js'
import {givenStates} from './rnn-layer.js'
import type {ComputeCall, ComputeOutput, ComputeTable, ComputeWeight, LayerCompute, RefusalTable} from './types.js'

function refuse(c: ComputeCall, what: string, hint?: string): BackendError {
  return new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${c.class_name}: ${what}`, hint === undefined ? {} : {hint})
}

/** The `name` inside a wrapped layer entry (the weight prefixes `forward_lstm/…` come from it). */
function innerName(entry: Json | undefined, fallback: string): string {
  const name = entryOf(entry)?.config.name
  return typeof name === 'string' ? name : fallback
}

/** The weights under `prefix/`, with the prefix removed. */
function under(weights: readonly ComputeWeight[], prefix: string): ComputeWeight[] {
  return weights.filter((w) => w.info.name.startsWith(`${prefix}/`)).map((w) => ({...w, info: {...w.info, name: w.info.name.slice(prefix.length + 1)}}))
}

/** The two directions' weights, split on the shape rule's prefixes (`forward_<name>/`, `backward_<name>/`). */
function splitWeights(c: ComputeCall, layer: Json | undefined, backward: Json | undefined): [ComputeWeight[], ComputeWeight[]] {
  const name = innerName(layer, 'layer')
  const bwdName = backward === layer ? name : innerName(backward, name)
  const fw = under(c.weights, name.startsWith('forward_') ? name : `forward_${name}`)
  const bw = under(c.weights, bwdName.startsWith('backward_') ? bwdName : `backward_${bwdName}`)
  if (fw.length + bw.length === c.weights.length) return [fw, bw]
  throw refuse(c, `the weights (${c.weights.map((w) => w.info.name).join(', ')}) do not split into the forward and backward layers.`)
}

/** The direction entries Keras builds: the forward layer, and the given backward layer or a go_backwards copy. */
function directions(c: ComputeCall): {fwd: JsonObject; bwd: JsonObject; rawBackward: Json | undefined} {
  const layer = entryOf(c.config.layer)
  if (layer === undefined) throw refuse(c, "argument 'layer' is not a layer config {class_name, config}.")
  const given = isObject(c.config.backward_layer) ? entryOf(c.config.backward_layer) : undefined
  // tf-keras negates the forward layer's go_backwards for the copy; Keras 3 sets True.
  const copyBackwards = c.generation === 'keras3' ? true : !truthy(layer.config, 'go_backwards', false)
  const backward = given ?? {class_name: layer.class_name, config: {...layer.config, go_backwards: copyBackwards}}
  const force = (e: {class_name: string; config: JsonObject}): JsonObject => ({
    class_name: e.class_name,
    config: {...e.config, zero_output_for_mask: truthy(e.config, 'return_sequences', false)},
  })
  return {fwd: force(layer), bwd: force(backward), rawBackward: given === undefined ? c.config.layer : c.config.backward_layer}
}

/** merge_mode: concat (default), sum, mul, ave, or None (two outputs). */
function merge(c: ComputeCall, mode: string | null, y: Tensor, yRev: Tensor): Tensor[] {
  const tf = c.tf
  switch (mode) {
    case null: return [y, yRev]
    case 'concat': return [tf.concat([y, yRev], -1)]
    case 'sum': return [tf.add(y, yRev)]
    case 'mul': return [tf.mul(y, yRev)]
    case 'ave': return [tf.div(tf.add(y, yRev), 2)]
    default: throw refuse(c, `argument 'merge_mode' = ${JSON.stringify(mode)} is not one of "concat", "sum", "mul", "ave", None.`)
  }
}

const bidirectional: LayerCompute = {
  call: (c): ComputeOutput => {
    const x = c.inputs[0]
    if (x === undefined) throw refuse(c, 'the call has no input.')
    const {fwd, bwd, rawBackward} = directions(c)
    const [fw, bw] = splitWeights(c, c.config.layer, rawBackward)
    const states = givenStates(c)
    const half = Math.floor(states.length / 2)
    const mask = callMask(c)
    const run = (entry: JsonObject, weights: ComputeWeight[], init: Tensor[], key: string): ComputeOutput =>
      c.inner(entry, [x, ...init], {weights, masks: [mask, ...init.map(() => null)], stateKey: key})
    const f = run(fwd, fw, states.slice(0, half), 'forward')
    const b = run(bwd, bw, states.slice(half), 'backward')
    const fwdConfig = fwd.config as JsonObject
    const returnSequences = truthy(fwdConfig, 'return_sequences', false)
    let yRev = b.outputs[0] as Tensor
    if (returnSequences) {
      const timeAxis = c.generation === 'keras2' && truthy(fwdConfig, 'time_major', false) ? 0 : 1
      yRev = reversed(c.tf, yRev, timeAxis)
    }
    const mode = c.config.merge_mode === null ? null : str(c.config, 'merge_mode', 'concat')
    const merged = merge(c, mode, f.outputs[0] as Tensor, yRev)
    const finalStates = [...f.outputs.slice(1), ...b.outputs.slice(1)]
    const outMask = returnSequences ? mask : null
    return {outputs: [...merged, ...finalStates], masks: [...merged.map(() => outMask), ...finalStates.map(() => null)]}
  },
}

/** (batch, time, …) → (batch·time, …). */
function foldTime(c: ComputeCall, t: Tensor): Tensor {
  const [b, s, ...rest] = t.shape
  return c.tf.reshape(t, [(b ?? 0) * (s ?? 0), ...rest])
}

/**
 * The output mask: Keras 3 passes the input mask through (`supports_masking`); tf-keras takes the inner layer's
 * mask reshaped to (batch, time, …) when it makes one, else the input mask reduced to (batch, time) with any.
 */
function timeDistributedMask(c: ComputeCall, inner: ComputeOutput, batch: number, steps: number): Tensor | null {
  const mask = callMask(c)
  if (c.generation === 'keras3') return mask
  const innerMask = inner.masks?.[0] ?? null
  if (innerMask !== null) return c.tf.reshape(innerMask, [batch, steps, ...innerMask.shape.slice(1)])
  if (mask === null) return null
  return mask.rank > 2 ? c.tf.any(mask, Array.from({length: mask.rank - 2}, (_, i) => i + 2)) : mask
}

/** Keras 3 in training: the inner layer once per time step (batch statistics are per step there). */
function perStep(c: ComputeCall, layer: Json | undefined, x: Tensor, mask: Tensor | null): Tensor[] {
  const xs = c.tf.unstack(x, 1)
  const ms = mask === null ? null : c.tf.unstack(mask, 1)
  const results = xs.map((xt, i) => c.inner(layer, [xt], {weights: c.weights, masks: [ms?.[i] ?? null]}).outputs)
  const count = results[0]?.length ?? 0
  return Array.from({length: count}, (_, k) => c.tf.stack(results.map((r) => r[k] as Tensor), 1))
}

const timeDistributed: LayerCompute = {
  call: (c): ComputeOutput => {
    const x = c.inputs[0]
    if (x === undefined || x.rank < 3) throw refuse(c, `TimeDistributed needs an input with at least 3 dimensions, got shape [${x?.shape.join(', ') ?? ''}].`)
    const layer = c.config.layer
    const inner = entryOf(layer)
    if (inner !== undefined && truthy(inner.config, 'stateful', false)) {
      throw refuse(c, `the wrapped ${inner.class_name} is stateful: kmodel does not compute a stateful layer inside TimeDistributed (Keras steps it through time there).`)
    }
    const [batch, steps] = x.shape as [number, number]
    const mask = callMask(c)
    if (c.generation === 'keras3' && c.training) {
      const outputs = perStep(c, layer, x, mask)
      return {outputs, masks: outputs.map((_, i) => (i === 0 ? mask : null))}
    }
    const out = c.inner(layer, [foldTime(c, x)], {weights: c.weights, masks: [mask === null ? null : foldTime(c, mask)]})
    const outputs = out.outputs.map((o) => c.tf.reshape(o, [batch, steps, ...o.shape.slice(1)]))
    const outMask = timeDistributedMask(c, out, batch, steps)
    return {outputs, masks: outputs.map((_, i) => (i === 0 ? outMask : null))}
  },
}

/** Every wrapper class kmodel computes, by class name. */
export const WRAPPERS_COMPUTE: ComputeTable = {
  Bidirectional: bidirectional,
  TimeDistributed: timeDistributed,
}

/** Wrapper classes Keras has and kmodel refuses to compute. */
export const WRAPPERS_REFUSED: RefusalTable = {}
