/**
 * The convolution family where the compute oracle cannot reach: what TensorFlow's CPU kernels refuse, so Keras
 * has no answer on the oracle's machine (dilated transposed convolutions, channels_first ungrouped
 * convolutions), tfjs kernels kmodel works around (wasm's Conv3DBackpropInputV2), tf-keras's extra batch axes,
 * and the refusals. References are written from the definitions (the transposed convolution as the adjoint
 * sum x[i] · w[t] into position i · stride + t · dilation − pad), or from an equivalent channels_last call.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {describe, expect, it} from 'vitest'
import {loadBackend} from '../../../src/core/backend/select.js'
import {loadTfjs} from '../../../src/core/backend/runtime.js'
import {CONV_COMPUTE} from '../../../src/core/compute/conv.js'
import type {ComputeCall} from '../../../src/core/compute/types.js'
import type {Dialect} from '../../../src/core/model/spec.js'
import {expectClose, rng, values} from '../backend/helpers.js'

interface Array_ {
  shape: number[]
  data: number[]
}

const arr = (shape: number[], seed: number): Array_ => ({shape, data: values(shape.reduce((a, b) => a * b, 1), rng(seed))})

/** One call of a conv-family class on the active backend: the output as a plain array. */
async function call(cls: string, config: Record<string, unknown>, x: Array_, weights: Record<string, Array_>, generation: Dialect = 'keras3'): Promise<Array_> {
  const {core: tf} = await loadTfjs()
  const fn = CONV_COMPUTE[cls]
  if (fn === undefined) throw new Error(`no compute function for ${cls}`)
  const y = tf.tidy(() => {
    const c = {
      tf, class_name: cls, config: {activation: 'linear', ...config}, generation, keras_version: null,
      inputs: [tf.tensor(x.data, x.shape)], masks: [null], kwargs: {}, call_kwargs: {}, call_args: [], training: false, input_shapes: [null], output_shapes: [null],
      weights: Object.entries(weights).map(([name, w]) => ({info: {name, shape: w.shape, dtype: 'float32', trainable: true}, value: tf.tensor(w.data, w.shape)})),
    } as unknown as ComputeCall
    return fn.call(c).outputs[0] as Tensor
  })
  const out = {shape: y.shape, data: Array.from(await y.data())}
  y.dispose()
  return out
}

/** Row-major strides of a shape. */
const stridesOf = (shape: readonly number[]): number[] => shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1))

/** Every multi-index of `dims`, row-major. */
function indices(dims: readonly number[]): number[][] {
  let out: number[][] = [[]]
  for (const d of dims) out = out.flatMap((p) => Array.from({length: d}, (_, i) => [...p, i]))
  return out
}

/**
 * The transposed convolution by its definition, channels-last: out[j, f] = Σ x[i, c] · w[t, f, c] over
 * j = i · stride + t · dilation − before, for outputs of length `out` per axis.
 */
function transposeReference(x: Array_, w: Array_, strides: number[], dilation: number[], out: number[], before: number[]): Array_ {
  const n = strides.length
  const [batch = 0, ...rest] = x.shape
  const inDims = rest.slice(0, n)
  const channels = rest[n] ?? 0
  const k = w.shape.slice(0, n)
  const filters = w.shape[n] ?? 0
  const shape = [batch, ...out, filters]
  const data = new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0)
  const [xs, ws, os] = [stridesOf(x.shape), stridesOf(w.shape), stridesOf(shape)]
  for (let b = 0; b < batch; b++) {
    for (const i of indices(inDims)) {
      for (const t of indices(k)) {
        const j = i.map((v, a) => v * (strides[a] ?? 1) + (t[a] ?? 0) * (dilation[a] ?? 1) - (before[a] ?? 0))
        if (j.some((v, a) => v < 0 || v >= (out[a] ?? 0))) continue
        for (let f = 0; f < filters; f++) {
          let sum = 0
          for (let c = 0; c < channels; c++) {
            const xi = b * (xs[0] ?? 0) + i.reduce((acc, v, a) => acc + v * (xs[a + 1] ?? 0), 0) + c
            const wi = t.reduce((acc, v, a) => acc + v * (ws[a] ?? 0), 0) + f * (ws[n] ?? 0) + c
            sum += (x.data[xi] ?? 0) * (w.data[wi] ?? 0)
          }
          const oi = b * (os[0] ?? 0) + j.reduce((acc, v, a) => acc + v * (os[a + 1] ?? 0), 0) + f
          data[oi] = (data[oi] ?? 0) + sum
        }
      }
    }
  }
  return {shape, data}
}

/** channels_last ↔ channels_first of a plain array (perm as tf.transpose). */
async function permute(a: Array_, perm: number[]): Promise<Array_> {
  const {core: tf} = await loadTfjs()
  const t = tf.transpose(tf.tensor(a.data, a.shape), perm)
  const out = {shape: t.shape, data: Array.from(await t.data())}
  t.dispose()
  return out
}

describe.each(['cpu', 'wasm'] as const)('convolution family: what the oracle cannot check (%s)', (backend) => {
  it('dilated Conv1D/2D/3DTranspose compute the adjoint sum (valid and same; TensorFlow CPU refuses dilated transposes)', async () => {
    await loadBackend(backend)
    for (const [cls, n, L] of [['Conv1DTranspose', 1, 6], ['Conv2DTranspose', 2, 5], ['Conv3DTranspose', 3, 3]] as const) {
      const x = arr([2, ...Array.from({length: n}, () => L), 3], 11 + n)
      const kernel = arr([...Array.from({length: n}, () => 3), 2, 3], 21 + n)
      const bias = arr([2], 31 + n)
      for (const padding of ['valid', 'same'] as const) {
        const y = await call(cls, {padding, dilation_rate: 2, strides: 1}, x, {kernel, bias})
        const out = padding === 'valid' ? L + 4 : L
        const before = padding === 'valid' ? 0 : 2
        const want = transposeReference(x, kernel, Array(n).fill(1), Array(n).fill(2), Array(n).fill(out), Array(n).fill(before))
        expect(y.shape).toEqual(want.shape)
        expectClose(y.data, want.data.map((v, i) => v + (bias.data[i % 2] ?? 0)))
      }
    }
  })

  it('Conv3DTranspose with strides, output_padding and several channels is the adjoint sum (tfjs wasm Conv3DBackpropInputV2 is not)', async () => {
    await loadBackend(backend)
    const x = arr([2, 3, 2, 3, 3], 41)
    const kernel = arr([3, 3, 2, 2, 3], 42)
    const y = await call('Conv3DTranspose', {padding: 'same', strides: [2, 1, 2], output_padding: [1, 0, 1], use_bias: false}, x, {kernel})
    // same + output_padding: out = (L − 1)·s + k % 2 + op; before = ⌊max((L − 1)·s + k − out, 0) / 2⌋
    const want = transposeReference(x, kernel, [2, 1, 2], [1, 1, 1], [6, 2, 5], [0, 1, 0])
    expect(y.shape).toEqual(want.shape)
    expectClose(y.data, want.data)
  })

  it('channels_first ungrouped Conv2D and Conv2DTranspose are the channels_last results transposed (tf-keras: bias on the channel axis)', async () => {
    await loadBackend(backend)
    const x = arr([2, 5, 6, 3], 51)
    const first = await permute(x, [0, 3, 1, 2])
    for (const [cls, kernel] of [['Conv2D', arr([3, 3, 3, 4], 52)], ['Conv2DTranspose', arr([3, 3, 4, 3], 53)]] as const) {
      const bias = arr([4], 54)
      const config = {padding: 'same', strides: [2, 1]}
      const last = await call(cls, config, x, {kernel, bias}, 'keras2')
      const y = await call(cls, {...config, data_format: 'channels_first'}, first, {kernel, bias}, 'keras2')
      const want = await permute(last, [0, 3, 1, 2])
      expect(y.shape).toEqual(want.shape)
      expectClose(y.data, want.data)
    }
  })

  it('Keras 3 adds a channels_first bias along the last axis when that axis is as long as the filters (its TensorFlow add); tf-keras does not', async () => {
    await loadBackend(backend)
    const x = arr([1, 2, 5, 6], 61) // channels_first; valid 3×3 → width 4 = filters
    const kernel = arr([3, 3, 2, 4], 62)
    const bias = {shape: [4], data: [1, 2, 3, 4]}
    const bare = await call('Conv2D', {data_format: 'channels_first', use_bias: false}, x, {kernel})
    const k3 = await call('Conv2D', {data_format: 'channels_first'}, x, {kernel, bias})
    const k2 = await call('Conv2D', {data_format: 'channels_first'}, x, {kernel, bias}, 'keras2')
    expect(bare.shape).toEqual([1, 4, 3, 4])
    expectClose(k3.data, bare.data.map((v, i) => v + [1, 2, 3, 4][i % 4]!)) // along the width
    expectClose(k2.data, bare.data.map((v, i) => v + [1, 2, 3, 4][Math.floor(i / 12)]!)) // along the channels
  })

  it('tf-keras Conv2D folds extra leading batch axes; tf-keras Conv3DTranspose ignores dilation_rate', async () => {
    await loadBackend(backend)
    const x = arr([2, 3, 4, 4, 2], 71)
    const kernel = arr([2, 2, 2, 3], 72)
    const folded = await call('Conv2D', {padding: 'valid'}, x, {kernel}, 'keras2')
    const flat = await call('Conv2D', {padding: 'valid'}, {shape: [6, 4, 4, 2], data: x.data}, {kernel}, 'keras2')
    expect(folded.shape).toEqual([2, 3, 3, 3, 3])
    expectClose(folded.data, flat.data)
    await expect(call('Conv2D', {padding: 'valid'}, x, {kernel}, 'keras3')).rejects.toThrow(/Kernel shape must have the same length as input/)
    const x3 = arr([1, 2, 2, 2, 2], 73)
    const k3 = arr([2, 2, 2, 1, 2], 74)
    const dilated = await call('Conv3DTranspose', {dilation_rate: 2}, x3, {kernel: k3}, 'keras2')
    const plain = await call('Conv3DTranspose', {}, x3, {kernel: k3}, 'keras2')
    expect(dilated.shape).toEqual([1, 3, 3, 3, 1])
    expectClose(dilated.data, plain.data)
  })
})

describe('convolution family: refusals', () => {
  const x2 = arr([1, 5, 5, 2], 81)
  it('refuses what Keras raises on at call time, naming the class and argument', async () => {
    await loadBackend('cpu')
    // TensorFlow: "Conv2DCustomBackpropInput: Size of out_backprop doesn't match computed"
    await expect(call('Conv2DTranspose', {kernel_size: 4, strides: 2, padding: 'same', output_padding: 0}, x2, {kernel: arr([4, 4, 2, 2], 82)}))
      .rejects.toThrow(/Conv2DTranspose: argument 'output_padding' = 0/)
    await expect(call('Conv2DTranspose', {dilation_rate: [1, 2]}, x2, {kernel: arr([3, 3, 2, 2], 83)}, 'keras2'))
      .rejects.toThrow(/Conv2DTranspose: argument 'dilation_rate' = \[1,2\].*equal to each other/)
    await expect(call('Conv2D', {padding: 'full'}, x2, {kernel: arr([3, 3, 2, 2], 84)})).rejects.toThrow(/Conv2D: argument 'padding' = "full"/)
    await expect(call('Conv2D', {padding: 'causal'}, x2, {kernel: arr([3, 3, 2, 2], 84)})).rejects.toThrow(/Conv2D: argument 'padding' = "causal"/)
    await expect(call('LocallyConnected2D', {filters: 2, kernel_size: 2, padding: 'same', implementation: 1}, x2, {kernel: arr([25, 8, 2], 85)}, 'keras2'))
      .rejects.toThrow(/LocallyConnected2D: argument 'padding' = "same".*implementation 1/)
  })

  it('refuses an integer input (Keras cannot convolve it with a float kernel)', async () => {
    const {core: tf} = await loadTfjs()
    await loadBackend('cpu')
    const c = {
      tf, class_name: 'Conv1D', config: {}, generation: 'keras3', keras_version: null, inputs: [tf.tensor([[[1], [2], [3]]], [1, 3, 1], 'int32')],
      masks: [null], kwargs: {}, call_kwargs: {}, call_args: [], training: false, input_shapes: [null], output_shapes: [null],
      weights: [{info: {name: 'kernel', shape: [1, 1, 1], dtype: 'float32', trainable: true}, value: tf.ones([1, 1, 1])}],
    } as unknown as ComputeCall
    expect(() => CONV_COMPUTE.Conv1D?.call(c)).toThrow(/Conv1D: argument 'inputs' = "int32"/)
  })
})
