/**
 * The recurrent family's compute functions where the oracle suite does not reach: stateful layers carrying their
 * states across batches, initial states by keyword, training-mode dropout (refused), CuDNN masks (refused), the
 * masked-loop variants against hand-computed values (Keras's unrolled `zero_output_for_mask` quirk, checked
 * against Keras 3.15 and tf-keras 2.21), cells called as layers, and TimeDistributed's output mask per generation.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {beforeAll, describe, expect, it} from 'vitest'
import {type Core, loadTfjs} from '../../../src/core/backend/runtime.js'
import {COMPUTE} from '../../../src/core/compute/index.js'
import {computeCall} from './call.js'
import type {ComputeCall, ComputeOutput, ComputeWeight} from '../../../src/core/compute/types.js'
import type {JsonObject} from '../../../src/core/json.js'
import type {Dialect} from '../../../src/core/model/spec.js'

let tf: Core
beforeAll(async () => {
  tf = (await loadTfjs()).core
})

interface CallSpec {
  config: JsonObject
  inputs: Tensor[]
  masks?: Array<Tensor | null>
  weights?: Array<[string, Tensor]>
  generation?: Dialect
  training?: boolean
  kwargs?: Record<string, Tensor>
  call_kwargs?: JsonObject
  state?: Map<string, Tensor>
}

/** One call of a compute function, the way the executor makes it (inner layers run through the same table). */
function call(className: string, spec: CallSpec): ComputeOutput {
  const fn = COMPUTE.get(className)
  if (fn === undefined) throw new Error(`no compute function for ${className}`)
  const state = spec.state ?? new Map<string, Tensor>()
  const weights: ComputeWeight[] = (spec.weights ?? []).map(([name, value]) => ({info: {name, shape: value.shape, dtype: 'float32', trainable: true}, value}))
  const c: ComputeCall = computeCall({
    tf, class_name: className, config: spec.config, generation: spec.generation ?? 'keras3', keras_version: spec.generation === 'keras2' ? '2.21.0' : '3.15.0',
    inputs: spec.inputs, masks: spec.masks ?? spec.inputs.map(() => null), kwargs: spec.kwargs ?? {}, call_kwargs: spec.call_kwargs ?? {},
    weights, training: spec.training ?? false, input_shapes: [], output_shapes: [],
    inner: (entry, inputs, options) => {
      const e = entry as {class_name: string; config: JsonObject}
      const inner = options.weights.map((w): [string, Tensor] => [w.info.name, w.value])
      return call(e.class_name, {...spec, config: e.config, inputs, masks: options.masks ?? inputs.map(() => null), weights: inner, kwargs: {}, call_kwargs: {}, state: new Map()})
    },
    assign: () => undefined, addLoss: () => undefined,
    state: {get: (k) => state.get(k), set: (k, v) => { state.set(k, v) }},
    seed: () => 1,
  })
  return fn.call(c)
}

const values = (t: Tensor | undefined): number[] => Array.from(t?.dataSync() ?? [])
const close = (a: number[], b: number[]): void => {
  expect(a.length).toBe(b.length)
  a.forEach((v, i) => expect(Math.abs(v - (b[i] ?? NaN))).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[i] ?? 0))))
}

/** A SimpleRNN(1, linear, no bias) with kernel 1 and recurrent kernel `r`: output_t = x_t + r·output_{t-1}. */
const linearRnn = (r: number, extra: JsonObject = {}): {config: JsonObject; weights: Array<[string, Tensor]>} => ({
  config: {units: 1, activation: 'linear', use_bias: false, ...extra},
  weights: [['kernel', tf.tensor2d([[1]])], ['recurrent_kernel', tf.tensor2d([[r]])]],
})

/** An LSTM(2) on 3 features with fixed, non-trivial weights. */
function lstm(extra: JsonObject = {}): {config: JsonObject; weights: Array<[string, Tensor]>} {
  const seq = (n: number, scale: number): number[] => Array.from({length: n}, (_, i) => Math.sin(i + 1) * scale)
  return {
    config: {units: 2, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, ...extra},
    weights: [['kernel', tf.tensor2d(seq(24, 0.7), [3, 8])], ['recurrent_kernel', tf.tensor2d(seq(16, 0.5), [2, 8])], ['bias', tf.tensor1d(seq(8, 0.1))]],
  }
}

const sequence = (batch: number, steps: number, offset = 0): Tensor => tf.tensor3d(Array.from({length: batch * steps * 3}, (_, i) => Math.cos(i + offset) * 0.9), [batch, steps, 3])

describe('masked steps (Keras backend.rnn)', () => {
  // x = 1, 2, 3, 4 with step 2 masked, run backwards: outputs in processing order (steps 3, 2, 1, 0).
  const x = (): Tensor => tf.tensor3d([1, 2, 3, 4], [1, 4, 1])
  const mask = (): Tensor => tf.tensor2d([[true, true, false, true]], [1, 4], 'bool')
  const run = (extra: JsonObject): number[] => {
    const {config, weights} = linearRnn(0, {return_sequences: true, go_backwards: true, ...extra})
    return values(call('SimpleRNN', {config, weights, inputs: [x()], masks: [mask()]}).outputs[0])
  }

  it('a masked step repeats the previous output and keeps the states', () => {
    expect(run({})).toEqual([4, 4, 2, 1])
  })

  it('zero_output_for_mask zeroes the masked step', () => {
    expect(run({zero_output_for_mask: true})).toEqual([4, 0, 2, 1])
  })

  it('unrolled, zero_output_for_mask zeroes by the mask in original time order (Keras 3.15 and tf-keras 2.21: [4, 4, 0, 1])', () => {
    expect(run({zero_output_for_mask: true, unroll: true})).toEqual([4, 4, 0, 1])
  })

  it('the states skip masked steps: the running sum leaves out step 2', () => {
    const {config, weights} = linearRnn(1)
    expect(values(call('SimpleRNN', {config, weights, inputs: [x()], masks: [mask()]}).outputs[0])).toEqual([1 + 2 + 4])
  })

  it('the output mask is the input mask with return_sequences, none without', () => {
    const seqs = linearRnn(0, {return_sequences: true})
    const m = mask()
    expect(call('SimpleRNN', {...seqs, inputs: [x()], masks: [m]}).masks?.[0]).toBe(m)
    const last = linearRnn(0, {return_state: true})
    expect(call('SimpleRNN', {...last, inputs: [x()], masks: [m]}).masks).toEqual([null, null])
  })
})

describe('stateful layers', () => {
  it('carry the final states into the next batch: two batches equal one long sequence', () => {
    const whole = sequence(2, 5)
    const first = tf.slice(whole, [0, 0, 0], [2, 3, 3])
    const second = tf.slice(whole, [0, 3, 0], [2, 2, 3])
    const state = new Map<string, Tensor>()
    const stateful = lstm({stateful: true})
    call('LSTM', {...stateful, inputs: [first], state})
    const carried = values(call('LSTM', {...stateful, inputs: [second], state}).outputs[0])
    close(carried, values(call('LSTM', {...lstm(), inputs: [whole]}).outputs[0]))
  })

  it('refuse a batch of another size than the carried states', () => {
    const state = new Map<string, Tensor>()
    call('LSTM', {...lstm({stateful: true}), inputs: [sequence(2, 3)], state})
    expect(() => call('LSTM', {...lstm({stateful: true}), inputs: [sequence(3, 3)], state})).toThrow(/stateful RNN needs batches of the size it started with: expected 2, received 3/)
  })

  it('tf-keras keeps its non-zero carried states over the call\'s initial states; Keras 3 takes the call\'s', () => {
    const given = [tf.fill([2, 2], 0.5), tf.fill([2, 2], -0.5)]
    const first = sequence(2, 3)
    const second = sequence(2, 2, 7)
    const outputs = (generation: Dialect): number[] => {
      const state = new Map<string, Tensor>()
      call('LSTM', {...lstm({stateful: true}), generation, inputs: [first, ...given], state})
      return values(call('LSTM', {...lstm({stateful: true}), generation, inputs: [second, ...given], state}).outputs[0])
    }
    const fromGiven = values(call('LSTM', {...lstm(), inputs: [second, ...given]}).outputs[0])
    close(outputs('keras3'), fromGiven)
    expect(outputs('keras2')).not.toEqual(fromGiven)
  })
})

describe('initial states', () => {
  const given = (): Tensor[] => [tf.fill([2, 2], 0.3), tf.fill([2, 2], -0.2)]

  it('by keyword (initial_state/0, initial_state/1) equal the same states as extra inputs', () => {
    const [h, c] = given() as [Tensor, Tensor]
    const byInput = values(call('LSTM', {...lstm(), inputs: [sequence(2, 3), h, c]}).outputs[0])
    const byKeyword = values(call('LSTM', {...lstm(), inputs: [sequence(2, 3)], kwargs: {'initial_state/0': h, 'initial_state/1': c}}).outputs[0])
    close(byKeyword, byInput)
    expect(byInput).not.toEqual(values(call('LSTM', {...lstm(), inputs: [sequence(2, 3)]}).outputs[0]))
  })

  it('saved in the call but not handed over: refused, never zeros', () => {
    const refs = [{class_name: '__keras_tensor__', config: {}}, {class_name: '__keras_tensor__', config: {}}]
    expect(() => call('LSTM', {...lstm(), inputs: [sequence(2, 3)], call_kwargs: {initial_state: refs}})).toThrow(/passes 2 'initial_state' tensor\(s\) by keyword/)
  })

  it('of the wrong count: refused as Keras refuses', () => {
    expect(() => call('LSTM', {...lstm(), inputs: [sequence(2, 3), tf.zeros([2, 2])]})).toThrow(/has 2 states but was passed 1/)
  })

  it('split in halves between Bidirectional\'s directions', () => {
    const [h, c] = given() as [Tensor, Tensor]
    const layer = {class_name: 'LSTM', config: {name: 'lstm', ...lstm().config}}
    const weights = [...lstm().weights.map(([n, t]): [string, Tensor] => [`forward_lstm/${n}`, t]), ...lstm().weights.map(([n, t]): [string, Tensor] => [`backward_lstm/${n}`, t])]
    const both = values(call('Bidirectional', {config: {layer, merge_mode: 'concat'}, weights, inputs: [sequence(2, 3), h, c, c, h]}).outputs[0])
    const fwd = values(call('LSTM', {...lstm(), inputs: [sequence(2, 3), h, c]}).outputs[0])
    const bwd = values(call('LSTM', {...lstm({go_backwards: true}), inputs: [sequence(2, 3), c, h]}).outputs[0])
    close(both, [...fwd.slice(0, 2), ...bwd.slice(0, 2), ...fwd.slice(2), ...bwd.slice(2)])
  })
})

describe('training', () => {
  it('refuses recurrent dropout in training (Keras\'s random per-gate masks), computes it in inference', () => {
    const spec = {...lstm({dropout: 0.5}), inputs: [sequence(2, 3)]}
    expect(() => call('LSTM', {...spec, training: true})).toThrow(expect.objectContaining({code: 'KM_BACKEND_UNSUPPORTED_ARGUMENT'}))
    expect(() => call('LSTM', {...lstm({recurrent_dropout: 0.2}), inputs: [sequence(2, 3)], training: true})).toThrow(/'recurrent_dropout' = 0.2 is not computed by kmodel in training/)
    close(values(call('LSTM', spec).outputs[0]), values(call('LSTM', {...lstm(), inputs: [sequence(2, 3)]}).outputs[0]))
  })

  it('a rate of 1 is no dropout in Keras (0 < rate < 1), so it trains', () => {
    expect(() => call('LSTM', {...lstm({dropout: 1}), inputs: [sequence(2, 3)], training: true})).not.toThrow()
  })
})

describe('CuDNN layers', () => {
  it('refuse a mask as Keras does ("Masking is not supported for CuDNN RNNs")', () => {
    const weights: Array<[string, Tensor]> = [['kernel', tf.ones([3, 8])], ['recurrent_kernel', tf.ones([2, 8])], ['bias', tf.zeros([16])]]
    const mask = tf.tensor2d([[true, false, true], [true, true, true]], [2, 3], 'bool')
    expect(() => call('CuDNNLSTM', {config: {units: 2}, weights, inputs: [sequence(2, 3)], masks: [mask], generation: 'keras2'})).toThrow(/Masking is not supported for CuDNN RNNs/)
  })
})

describe('a cell called as a layer', () => {
  it('is one step of its RNN: LSTMCell(x, [h, c]) equals LSTM over one time step from (h, c)', () => {
    const x = tf.tensor2d([0.2, -0.4, 0.9, 0.1, 0.3, -0.8], [2, 3])
    const h = tf.fill([2, 2], 0.1)
    const c = tf.fill([2, 2], -0.3)
    const step = call('LSTMCell', {...lstm(), inputs: [x, h, c]}).outputs[0]
    const layer = call('LSTM', {...lstm(), inputs: [tf.expandDims(x, 1), h, c]}).outputs[0]
    close(values(step), values(layer))
  })
})

describe('TimeDistributed output mask', () => {
  // TimeDistributed(LSTM) on (batch, time, steps, features) with a (batch, time, steps) mask.
  const layer = {class_name: 'LSTM', config: {units: 2, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true}}
  const mask = (): Tensor => tf.tensor3d([true, false, true, true, false, false, true, true], [2, 2, 2], 'bool')
  const run = (generation: Dialect, m: Tensor): ComputeOutput => call('TimeDistributed', {config: {layer}, generation, weights: lstm().weights, inputs: [tf.ones([2, 2, 2, 3])], masks: [m]})

  it('runs the inner layer on (batch·time, …) with the mask folded the same way', () => {
    const m = mask()
    const out = run('keras3', m)
    expect(out.outputs[0]?.shape).toEqual([2, 2, 2])
    const folded = call('LSTM', {...lstm(), inputs: [tf.ones([4, 2, 3])], masks: [tf.reshape(m, [4, 2])]}).outputs[0]
    close(values(out.outputs[0]), values(folded))
  })

  it('Keras 3 passes the input mask through', () => {
    const m = mask()
    expect(run('keras3', m).masks?.[0]).toBe(m)
  })

  it('tf-keras reduces the mask to (batch, time) with any when the inner layer makes none', () => {
    const out = run('keras2', mask())
    expect(out.masks?.[0]?.shape).toEqual([2, 2])
    expect(values(out.masks?.[0] ?? undefined)).toEqual([1, 1, 0, 1])
  })
})
