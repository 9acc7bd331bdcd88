/**
 * The attention compute functions where the compute oracle does not reach: training-mode dropout, the Keras 3
 * fully-masked-row rule of each path (values from live Keras 3.15 / tf-keras 2.21, quoted per test), masks
 * passed positionally with None slots, and the refusals. The oracle suite (test/oracle/compute.test.ts) holds
 * the inference cases against Keras itself.
 */
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import {describe, expect, it} from 'vitest'
import {ATTENTION_COMPUTE} from '../../../src/core/compute/attention.js'
import type {ComputeCall, ComputeWeight} from '../../../src/core/compute/types.js'
import {BackendError} from '../../../src/core/errors.js'
import type {Json, JsonObject} from '../../../src/core/json.js'

tf.env().set('PROD', true)

const keras = (v: Json): Json => ({class_name: '__keras_tensor__', config: {keras_history: [String(v), 0, 0]}})

/**
 * A ComputeCall with defaults; `weights` by name in the shape rule's order. A Keras 3 call saves its positional
 * tensors in `call_args` (a list call: one list), as the executor hands them.
 */
function call(className: string, over: Partial<ComputeCall> & {named?: Record<string, tf.Tensor>} = {}): ComputeCall {
  const weights: ComputeWeight[] = Object.entries(over.named ?? {}).map(([name, value]) => ({info: {name, shape: value.shape, dtype: 'float32', trainable: true} as never, value}))
  const refs = (over.inputs ?? []).map((_t, i) => keras(`in${i}`))
  const saved = (over.generation ?? 'keras3') === 'keras2' ? [] : className === 'MultiHeadAttention' ? refs : [refs]
  let seed = 7
  return {
    tf, class_name: className, config: {}, generation: 'keras3', keras_version: '3.15.1', inputs: [], masks: [], kwargs: {}, kwarg_masks: {}, call_kwargs: {},
    call_args: saved, weights, training: false, input_shapes: [], output_shapes: [],
    inner: () => { throw new Error('no inner') }, assign: () => undefined, addLoss: () => undefined,
    state: {get: () => undefined, set: () => undefined}, seed: () => ++seed,
    ...over,
  } as ComputeCall
}

const run = (c: ComputeCall): tf.Tensor[] => ATTENTION_COMPUTE[c.class_name]!.call(c).outputs
const values = (t: tf.Tensor | undefined): number[] => Array.from(t?.dataSync() ?? [])
describe('Attention in training', () => {
  const q = tf.tensor3d([[[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], [[-0.7, 0.8], [0.9, 0.1], [0.2, -0.3]]])
  const v = tf.tensor3d([[[1, 2], [3, 4]], [[-1, 0.5], [2, -2]]])
  const base = {inputs: [q, v], masks: [null, null], config: {dropout: 0.5} as JsonObject, call_kwargs: {return_attention_scores: true} as JsonObject}

  it('drops attention weights to 0 or scales them by 1 / (1 - rate), and the output uses the dropped weights', () => {
    const [, inference] = run(call('Attention', base))
    const [out, dropped] = run(call('Attention', {...base, training: true}))
    const w0 = values(inference)
    const w = values(dropped)
    expect(w.some((x) => x === 0)).toBe(true)
    expect(w.some((x) => x !== 0)).toBe(true)
    w.forEach((x, i) => expect(x === 0 || Math.abs(x - 2 * (w0[i] ?? NaN)) < 1e-6).toBe(true))
    const expected = values(tf.matMul(dropped as tf.Tensor, v))
    values(out).forEach((x, i) => expect(x).toBeCloseTo(expected[i] ?? NaN, 6))
  })

  it('is the identity on the weights at inference', () => {
    const [, a] = run(call('Attention', base))
    const [, b] = run(call('Attention', {...base, config: {}}))
    expect(values(a)).toEqual(values(b))
  })
})

describe('MultiHeadAttention with one head of width 1 and unit kernels', () => {
  // q = [[0.5], [2.0]] with query mask [true, false]; v = key = [[1], [3]]; no biases. Live Keras outputs:
  // Keras 3 dropout 0 [2.4621169, 2.0] (dot_product_attention: a fully masked row attends uniformly),
  // Keras 3 dropout 0.5 [2.4621169, 0.0] (the Softmax layer zeroes masked rows), tf-keras either [2.4621169, 2.0].
  const ones = (shape: number[]): tf.Tensor => tf.ones(shape)
  const named = {'query/kernel': ones([1, 1, 1]), 'key/kernel': ones([1, 1, 1]), 'value/kernel': ones([1, 1, 1]), 'attention_output/kernel': ones([1, 1, 1])}
  const q = tf.tensor3d([[[0.5], [2.0]]])
  const v = tf.tensor3d([[[1], [3]]])
  const qmask = tf.tensor2d([[true, false]], [1, 2], 'bool')
  const config = (dropout: number): JsonObject => ({num_heads: 1, key_dim: 1, use_bias: false, dropout})
  const cases: Array<[string, 'keras2' | 'keras3', number, number[]]> = [
    ['Keras 3, dot-product path', 'keras3', 0, [2.4621169, 2]],
    ['Keras 3, einsum path', 'keras3', 0.5, [2.4621169, 0]],
    ['tf-keras, dropout 0', 'keras2', 0, [2.4621169, 2]],
    ['tf-keras, dropout 0.5', 'keras2', 0.5, [2.4621169, 2]],
  ]
  it.each(cases)('%s', (_label, generation, dropout, want) => {
    const [out] = run(call('MultiHeadAttention', {generation, named, config: config(dropout), inputs: [q, v], masks: [qmask, null]}))
    values(out).forEach((x, i) => expect(x).toBeCloseTo(want[i] ?? NaN, 5))
  })

  it('returns the scores before dropout in training', () => {
    const base = {named, config: config(0.5), inputs: [tf.tensor3d([[[0.5], [2.0], [1.0]]]), v], masks: [null, null], call_kwargs: {return_attention_scores: true} as JsonObject}
    const [, inference] = run(call('MultiHeadAttention', base))
    const [, training] = run(call('MultiHeadAttention', {...base, training: true}))
    expect(values(training)).toEqual(values(inference))
  })
})

describe('MultiHeadAttention call arguments', () => {
  const named = {
    'query/kernel': tf.tensor3d([[[0.3, -0.2]], [[0.5, 0.1]]]), 'key/kernel': tf.tensor3d([[[0.4, 0.2]], [[-0.3, 0.6]]]),
    'value/kernel': tf.tensor3d([[[1, -1]], [[0.5, 2]]]), 'attention_output/kernel': tf.tensor3d([[[1, 0], [0, 1]]]),
  }
  const config: JsonObject = {num_heads: 1, key_dim: 2, use_bias: false}
  const q = tf.tensor3d([[[1, 2], [0.5, -1], [2, 0]]])
  const v = tf.tensor3d([[[1, 0], [0, 1], [-1, 2]]])
  const vmask = tf.tensor2d([[1, 0, 1]], [1, 3], 'int32')

  it('binds a Keras 3 mask passed positionally after None slots to its own parameter', () => {
    const byKeyword = run(call('MultiHeadAttention', {named, config, inputs: [q, v], masks: [null, null], kwargs: {value_mask: vmask}}))
    const positional = run(call('MultiHeadAttention', {named, config, inputs: [q, v, vmask], masks: [null, null, null], call_args: [keras('q'), keras('v'), null, null, keras('m')]}))
    const unmasked = run(call('MultiHeadAttention', {named, config, inputs: [q, v], masks: [null, null]}))
    expect(values(positional[0])).toEqual(values(byKeyword[0]))
    expect(values(positional[0])).not.toEqual(values(unmasked[0]))
  })

  it('ignores an explicit Keras 3 query_mask (MultiHeadAttention reads the query tensor\'s own mask)', () => {
    const explicit = run(call('MultiHeadAttention', {named, config, inputs: [q, v], masks: [null, null], kwargs: {query_mask: tf.tensor2d([[1, 0, 0]], [1, 3], 'int32')}}))
    const plain = run(call('MultiHeadAttention', {named, config, inputs: [q, v], masks: [null, null]}))
    expect(values(explicit[0])).toEqual(values(plain[0]))
  })

  it('refuses return_attention_scores with flash_attention (Keras raises)', () => {
    const c = call('MultiHeadAttention', {named, config: {...config, flash_attention: true}, inputs: [q, v], masks: [null, null], call_kwargs: {return_attention_scores: true}})
    expect(() => run(c)).toThrow(BackendError)
  })
})

describe('Attention mask argument', () => {
  const q = tf.tensor3d([[[0.1, 0.2], [0.3, -0.4]]])
  const v = tf.tensor3d([[[1, 2], [3, 4], [5, 6]]])
  const masks = [null, tf.tensor2d([[true, false, true]], [1, 3], 'bool')]

  it('takes an all-None mask= list as given: the inputs\' masks are not used', () => {
    const explicit = run(call('Attention', {inputs: [q, v], masks, call_kwargs: {mask: [null, null]}}))
    const unmasked = run(call('Attention', {inputs: [q, v], masks: [null, null]}))
    const masked = run(call('Attention', {inputs: [q, v], masks}))
    expect(values(explicit[0])).toEqual(values(unmasked[0]))
    expect(values(masked[0])).not.toEqual(values(unmasked[0]))
  })

  it('uses mask tensors passed to the call (mask/0, mask/1) in place of the inputs\' masks', () => {
    const explicit = run(call('Attention', {inputs: [q, v], masks: [null, null], kwargs: {'mask/0': tf.tensor2d([[true, true]], [1, 2], 'bool'), 'mask/1': masks[1] as tf.Tensor}}))
    const attached = run(call('Attention', {inputs: [q, v], masks}))
    expect(values(explicit[0])).toEqual(values(attached[0]))
  })

  it('refuses a mask list mixing tensors and None, naming the argument', () => {
    const c = call('Attention', {inputs: [q, v], masks, call_kwargs: {mask: [null, keras('b')]}})
    expect(() => run(c)).toThrow(/argument 'mask'/)
  })
})
