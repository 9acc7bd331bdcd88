import {describe, expect, it} from 'vitest'
import {regularizerFactors} from '../../../src/core/compute/regularizers.js'
import {expectClose, forward} from '../backend/helpers.js'

describe.each(['cpu', 'wasm'] as const)('Keras layers in the compute core: forward passes against hand-computed values (%s)', (backend) => {
  it('Subtract computes a - b', async () => {
    const y = await forward({cls: 'Subtract', config: {}}, [[1, 3], [1, 3]], [[1, 2, 3], [0.5, 0.5, 4]], [], backend)
    expect(y.shape).toEqual([1, 3])
    expectClose(y.data, [0.5, 1.5, -1])
  })

  it('UpSampling1D repeats each step size times', async () => {
    const y = await forward({cls: 'UpSampling1D', config: {size: 3}}, [[1, 2, 2]], [[1, 2, 3, 4]], [], backend)
    expect(y.shape).toEqual([1, 6, 2])
    expectClose(y.data, [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4])
  })

  it('ZeroPadding1D pads the time axis, symmetric or (left, right)', async () => {
    const pair = await forward({cls: 'ZeroPadding1D', config: {padding: [1, 2]}}, [[1, 2, 1]], [[5, 6]], [], backend)
    expect(pair.shape).toEqual([1, 5, 1])
    expectClose(pair.data, [0, 5, 6, 0, 0])
    const one = await forward({cls: 'ZeroPadding1D', config: {padding: 1}}, [[1, 1, 2]], [[7, 8]], [], backend)
    expectClose(one.data, [0, 0, 7, 8, 0, 0])
  })

  it('Cropping1D drops steps at both ends', async () => {
    const y = await forward({cls: 'Cropping1D', config: {cropping: [1, 2]}}, [[1, 5, 1]], [[1, 2, 3, 4, 5]], [], backend)
    expect(y.shape).toEqual([1, 2, 1])
    expectClose(y.data, [2, 3])
  })

  it('GlobalMaxPooling3D / GlobalAveragePooling3D reduce the spatial axes per channel', async () => {
    const x = [1, -1, 2, -2, 3, -3, 4, -4] // (1, 2, 2, 1, 2): channel 0 = 1 2 3 4, channel 1 = -1 … -4
    const max = await forward({cls: 'GlobalMaxPooling3D', config: {data_format: 'channels_last'}}, [[1, 2, 2, 1, 2]], [x], [], backend)
    expect(max.shape).toEqual([1, 2])
    expectClose(max.data, [4, -1])
    const avg = await forward({cls: 'GlobalAveragePooling3D', config: {data_format: 'channels_last', keepdims: true}}, [[1, 2, 2, 1, 2]], [x], [], backend)
    expect(avg.shape).toEqual([1, 1, 1, 1, 2])
    expectClose(avg.data, [2.5, -2.5])
    const first = await forward({cls: 'GlobalMaxPooling3D', config: {data_format: 'channels_first'}}, [[1, 2, 2, 1, 2]], [x], [], backend)
    expectClose(first.data, [2, 4]) // channels_first: channel 0 = 1 -1 2 -2, channel 1 = 3 -3 4 -4
  })
})

describe('regularizer names', () => {
  it('L1, L2, L1L2 class names, the string names and Keras 1 dicts give Keras\'s factors', () => {
    expect(regularizerFactors({class_name: 'L2', config: {l2: 0.25}}, 'a')).toEqual({l1: 0, l2: 0.25})
    expect(regularizerFactors({class_name: 'L1', config: {l1: 0.5}}, 'b')).toEqual({l1: 0.5, l2: 0})
    expect(regularizerFactors({class_name: 'L2', config: {}}, 'c')).toEqual({l1: 0, l2: 0.01})
    expect(regularizerFactors({class_name: 'L1L2', config: {}}, 'd')).toBeNull() // both factors 0: no penalty
    expect(regularizerFactors('l1_l2', 'e')).toEqual({l1: 0.01, l2: 0.01})
    expect(regularizerFactors({name: 'WeightRegularizer', l1: 0, l2: 0.01}, 'f')).toEqual({l1: 0, l2: 0.01})
    expect(() => regularizerFactors({class_name: 'OrthogonalRegularizer', config: {factor: 0.01}}, "layer 'g'")).toThrow(/OrthogonalRegularizer.*layer 'g'/)
  })
})
