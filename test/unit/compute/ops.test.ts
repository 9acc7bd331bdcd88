/**
 * Saved Keras 3 operations (OPS_COMPUTE), bound from a node's saved args as the executor hands them. Every
 * expected value (and dtype) is what live Keras 3.15 (TensorFlow backend) printed for the same call:
 *   x = [[0, -0, 1.5, -2.25], [3, -1, 0.5, 2]] (float32), i = [[0, 2, -3, 1], [4, 0, 0, -1]] (int32).
 */
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import {describe, expect, it} from 'vitest'
import {OPS_COMPUTE} from '../../../src/core/compute/ops.js'
import type {ComputeCall} from '../../../src/core/compute/types.js'
import type {Json, JsonObject} from '../../../src/core/json.js'

tf.env().set('PROD', true)

const T: Json = {class_name: '__keras_tensor__', config: {keras_history: ['t', 0, 0]}}
const slice = (start: number | null, stop: number | null, step: number | null): Json => ({class_name: '__slice__', config: {start, stop, step}})
const ELLIPSIS: Json = {class_name: '__ellipsis__', config: {}}

const x = (): tf.Tensor => tf.tensor2d([[0, -0, 1.5, -2.25], [3, -1, 0.5, 2]])
const i = (): tf.Tensor => tf.tensor2d([[0, 2, -3, 1], [4, 0, 0, -1]], [2, 4], 'int32')

/** Runs operation `name` with saved `args` (tensors: `inputs` in order) and `config`. */
function op(name: string, args: Json[], inputs: tf.Tensor[], config: JsonObject = {}): tf.Tensor {
  const c = {
    tf, class_name: name, config: {name: 'op', ...config}, generation: 'keras3', keras_version: '3.15.1', inputs, masks: inputs.map(() => null), kwarg_masks: {},
    kwargs: {}, call_kwargs: {}, call_args: args, weights: [], training: false, input_shapes: [], output_shapes: [],
  } as unknown as ComputeCall
  const out = OPS_COMPUTE[name]?.call(c).outputs[0]
  if (out === undefined) throw new Error(`no output from ${name}`)
  return out
}

const data = (t: tf.Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>).map(Number)

/** [operation, saved args, inputs, config, Keras dtype, Keras shape, Keras values]. */
const CASES: Array<[string, string, Json[], () => tf.Tensor[], JsonObject, string, number[], number[]]> = [
  ['not_equal(i, 0)', 'NotEqual', [T, 0], () => [i()], {}, 'bool', [2, 4], [0, 1, 1, 1, 1, 0, 0, 1]],
  ['subtract(2.0, x)', 'Subtract', [2, T], () => [x()], {}, 'float32', [2, 4], [2, 2, 0.5, 4.25, -1, 3, 1.5, 0]],
  ['true_divide(i, 2)', 'TrueDivide', [T, 2], () => [i()], {}, 'float32', [2, 4], [0, 1, -1.5, 0.5, 2, 0, 0, -0.5]],
  ['floor_divide(x, 0.7)', 'FloorDivide', [T, 0.7], () => [x()], {}, 'float32', [2, 4], [0, -0, 2, -4, 4, -2, 0, 2]],
  ['mod(i, 3)', 'Mod', [T, 3], () => [i()], {}, 'int32', [2, 4], [0, 2, 0, 1, 1, 0, 0, 2]],
  ['where(i, x, 0.25)', 'Where', [T, T, 0.25], () => [i(), x()], {}, 'float32', [2, 4], [0.25, -0, 1.5, -2.25, 3, 0.25, 0.25, 2]],
  ['max(x, axis=1, initial=2.5)', 'Max', [T], () => [x()], {axis: 1, keepdims: false, initial: 2.5}, 'float32', [2], [2.5, 3]],
  ['argmax(x, axis=1)', 'Argmax', [T], () => [x()], {axis: 1, keepdims: false}, 'int32', [2], [2, 0]],
  ['argmin(x)', 'Argmin', [T], () => [x()], {axis: null, keepdims: false}, 'int32', [], [3]],
  ['argmax([[-0, 0, -1]], axis=1)', 'Argmax', [T], () => [tf.tensor2d([[-0, 0, -1]])], {axis: 1}, 'int32', [1], [1]],
  ['mean(i, axis=0)', 'Mean', [T], () => [i()], {axis: 0, keepdims: false}, 'float32', [4], [2, 1, -1.5, 0]],
  ['x[:, None, ::-2]', 'GetItem', [T, [slice(null, null, null), null, slice(null, null, -2)]], () => [x()], {}, 'float32', [2, 1, 2], [-2.25, -0, 2, -1]],
  ['x[..., -1]', 'GetItem', [T, [ELLIPSIS, -1]], () => [x()], {}, 'float32', [2], [-2.25, 2]],
  ['x[1, 1:3]', 'GetItem', [T, [1, slice(1, 3, null)]], () => [x()], {}, 'float32', [2], [-1, 0.5]],
  ['gelu(x)', 'Gelu', [T], () => [x()], {approximate: true}, 'float32', [2, 4], [0, -0, 1.3995715, -0.0272013, 2.9963627, -0.158808, 0.345714, 1.9545977]],
  ['concatenate([i, x], axis=1)', 'Concatenate', [[T, T]], () => [i(), x()], {axis: 1}, 'float32', [2, 8], [0, 2, -3, 1, 0, -0, 1.5, -2.25, 4, 0, 0, -1, 3, -1, 0.5, 2]],
]

describe('saved Keras 3 operations', () => {
  it.each(CASES)('%s', (_label, name, args, inputs, config, dtype, shape, want) => {
    const out = op(name, args, inputs(), config)
    expect(out.dtype).toBe(dtype)
    expect(out.shape).toEqual(shape)
    data(out).forEach((v, k) => expect(v).toBeCloseTo(want[k] ?? NaN, 5))
  })

  it('refuses, naming the argument, a call whose saved args lack a value Keras needs', () => {
    expect(() => op('NotEqual', [T], [i()])).toThrow(/NotEqual: argument 'x2'/)
  })

  it('refuses a tensor index (gather) rather than guessing', () => {
    expect(() => op('GetItem', [T, T], [x(), i()])).toThrow(/argument 'key'/)
  })

  it('refuses a softmax over several axes (TensorFlow raises in Keras)', () => {
    expect(() => op('Softmax', [T], [x()], {axis: [0, 1]})).toThrow(/argument 'axis'/)
  })
})
