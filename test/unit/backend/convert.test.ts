import {describe, expect, it} from 'vitest'
import {convertLayerWeights, halfToFloat, toFloat32, transpose} from '../../../src/core/weights/convert.js'
import type {WeightTensor} from '../../../src/core/weights/types.js'
import {expectClose, forward, rng, values, w} from './helpers.js'

const t = (name: string, shape: number[], data: number[]): WeightTensor => ({name, shape, dtype: 'float32', data: Float32Array.from(data)})
const filled = (name: string, shape: number[], v: number): WeightTensor => t(name, shape, new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(v))
const plain = (ws: WeightTensor[]) => ws.map((x) => ({shape: x.shape, data: Array.from(toFloat32(x))}))

describe('Keras 1 weight layouts → Keras 2 (KERAS-REFERENCE §3.7)', () => {
  /** Keras 1 LSTM order: W_i U_i b_i W_c U_c b_c W_f U_f b_f W_o U_o b_o, gate codes i=1 c=2 f=3 o=4. */
  const keras1Lstm = [1, 2, 3, 4].flatMap((g) => [filled(`W${g}`, [1, 2], g), filled(`U${g}`, [2, 2], 10 * g), filled(`b${g}`, [2], 100 * g)])

  it('merges the 12 LSTM arrays into kernel, recurrent_kernel, bias in gate order i, f, c, o', () => {
    const out = plain(convertLayerWeights({class_name: 'LSTM', config: {units: 2}}, keras1Lstm, {keras1: true}))
    expect(out.map((x) => x.shape)).toEqual([[1, 8], [2, 8], [8]])
    expect(out[0]?.data).toEqual([1, 1, 3, 3, 2, 2, 4, 4])
    expect(out[1]?.data.slice(0, 8)).toEqual([10, 10, 30, 30, 20, 20, 40, 40])
    expect(out[2]?.data).toEqual([100, 100, 300, 300, 200, 200, 400, 400])
  })

  it('merges the 9 GRU arrays in gate order z, r, h and converts both halves of a Bidirectional', () => {
    const gru = [1, 2, 3].flatMap((g) => [filled(`W${g}`, [3, 1], g), filled(`U${g}`, [1, 1], 10 * g), filled(`b${g}`, [1], 100 * g)])
    const out = plain(convertLayerWeights({class_name: 'GRU', config: {units: 1}}, gru, {keras1: true}))
    expect(out).toEqual([{shape: [3, 3], data: [1, 2, 3, 1, 2, 3, 1, 2, 3]}, {shape: [1, 3], data: [10, 20, 30]}, {shape: [3], data: [100, 200, 300]}])
    const bi = convertLayerWeights({class_name: 'Bidirectional', config: {layer: {class_name: 'LSTM', config: {units: 2}}}}, [...keras1Lstm, ...keras1Lstm], {keras1: true})
    expect(bi.map((x) => x.shape)).toEqual([[1, 8], [2, 8], [8], [1, 8], [2, 8], [8]])
  })

  it('reshapes Keras 1 Conv1D kernels and transposes Keras 1 channels_first Conv2D kernels', () => {
    const conv1d = convertLayerWeights({class_name: 'Conv1D', config: {filters: 2}}, [t('k', [3, 1, 1, 2], [1, 2, 3, 4, 5, 6]), t('b', [2], [0, 0])], {keras1: true})
    expect(plain(conv1d)[0]).toEqual({shape: [3, 1, 2], data: [1, 2, 3, 4, 5, 6]})
    const kernel = t('k', [2, 1, 1, 3], [1, 2, 3, 4, 5, 6]) // (filters, in, kh, kw)
    const conv2d = convertLayerWeights({class_name: 'Conv2D', config: {filters: 2, data_format: 'channels_first'}}, [kernel], {keras1: true})
    expect(plain(conv2d)[0]).toEqual({shape: [1, 3, 1, 2], data: [1, 4, 2, 5, 3, 6]})
    expect(convertLayerWeights({class_name: 'Conv2D', config: {filters: 2, data_format: 'channels_first'}}, [kernel], {keras1: false})[0]).toBe(kernel)
  })

  it('transposes like numpy.transpose', () => {
    expect(plain([transpose(t('m', [2, 3], [1, 2, 3, 4, 5, 6]), [1, 0])])[0]).toEqual({shape: [3, 2], data: [1, 4, 2, 5, 3, 6]})
  })
})

describe('cuDNN weights into the portable layers', () => {
  const next = rng(3)
  const [inDim, u] = [3, 2]
  const x = values(2 * inDim, next)

  it('CuDNNGRU weights loaded into GRU(reset_after=True) compute what CuDNNGRU computes', async () => {
    const cudnn = [t('kernel', [inDim, 3 * u], values(inDim * 3 * u, next)), t('recurrent_kernel', [u, 3 * u], values(u * 3 * u, next)), t('bias', [6 * u], values(6 * u, next))]
    const reference = await forward({cls: 'CuDNNGRU', config: {units: u}}, [[1, 2, inDim]], [x], plain(cudnn).map((v) => w(v.shape, v.data)))
    const converted = plain(convertLayerWeights({class_name: 'GRU', config: {units: u, reset_after: true}}, cudnn, {keras1: false}))
    expect(converted.map((v) => v.shape)).toEqual([[inDim, 3 * u], [u, 3 * u], [2, 3 * u]])
    const gru = await forward({cls: 'GRU', config: {units: u, reset_after: true, recurrent_activation: 'sigmoid', activation: 'tanh'}}, [[1, 2, inDim]], [x], converted.map((v) => w(v.shape, v.data)))
    expectClose(gru.data, reference.data)
  })

  it('CuDNNLSTM weights loaded into LSTM compute what CuDNNLSTM computes', async () => {
    const cudnn = [t('kernel', [inDim, 4 * u], values(inDim * 4 * u, next)), t('recurrent_kernel', [u, 4 * u], values(u * 4 * u, next)), t('bias', [8 * u], values(8 * u, next))]
    const reference = await forward({cls: 'CuDNNLSTM', config: {units: u}}, [[1, 2, inDim]], [x], plain(cudnn).map((v) => w(v.shape, v.data)))
    const converted = plain(convertLayerWeights({class_name: 'LSTM', config: {units: u}}, cudnn, {keras1: false}))
    expect(converted.map((v) => v.shape)).toEqual([[inDim, 4 * u], [u, 4 * u], [4 * u]])
    const lstm = await forward({cls: 'LSTM', config: {units: u, recurrent_activation: 'sigmoid', activation: 'tanh'}}, [[1, 2, inDim]], [x], converted.map((v) => w(v.shape, v.data)))
    expectClose(lstm.data, reference.data)
  })
})

describe('toFloat32', () => {
  it('decodes float16 and bfloat16 bits, 64-bit ints and bools', () => {
    expect(Array.from(toFloat32({name: 'h', shape: [4], dtype: 'float16', data: Uint16Array.from([0x3c00, 0xc000, 0x3555, 0x7c00])}))).toEqual([1, -2, halfToFloat(0x3555), Infinity])
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3)
    expect(Array.from(toFloat32({name: 'b', shape: [2], dtype: 'bfloat16', data: Uint16Array.from([0x3f80, 0xc040])}))).toEqual([1, -3])
    expect(Array.from(toFloat32({name: 'i', shape: [2], dtype: 'int64', data: BigInt64Array.from([5n, -7n])}))).toEqual([5, -7])
    expect(Array.from(toFloat32({name: 'q', shape: [2], dtype: 'bool', data: Uint8Array.from([1, 0])}))).toEqual([1, 0])
  })
})
