import {describe, expect, it} from 'vitest'
import {convLength, deconvLength} from '../../../src/core/layers/conv.js'
import {out, params, run, shapes} from './builders.js'

describe('length arithmetic', () => {
  it('valid / same / causal / full with strides and dilation', () => {
    expect(convLength(28, 3, 'valid', 1)).toBe(26)
    expect(convLength(28, 3, 'same', 2)).toBe(14)
    expect(convLength(27, 2, 'same', 2)).toBe(14)
    expect(convLength(10, 3, 'valid', 1, 2)).toBe(6)
    expect(convLength(100, 3, 'causal', 1, 2)).toBe(100)
    expect(convLength(10, 3, 'full', 1)).toBe(12)
    expect(convLength(null, 3, 'valid', 1)).toBeNull()
  })

  it('transposed lengths, with and without output_padding', () => {
    expect(deconvLength(7, 3, 'same', 2, 1, null)).toBe(14)
    expect(deconvLength(7, 3, 'valid', 2, 1, null)).toBe(15)
    expect(deconvLength(7, 3, 'same', 2, 1, 1)).toBe(14)
    expect(deconvLength(7, 3, 'valid', 2, 1, 0)).toBe(15)
  })
})

describe('Conv1D/2D/3D', () => {
  it('Conv2D(8, 3) on 28x28x1: 3·3·1·8 + 8 = 80', () => {
    const r = run('Conv2D', {filters: 8, kernel_size: [3, 3], padding: 'valid'}, [[null, 28, 28, 1]])
    expect(out(r)).toEqual([null, 26, 26, 8])
    expect(params(r)).toBe(80)
  })

  it('same padding, strides 2; channels_first keeps a channels-last kernel', () => {
    expect(out(run('Conv2D', {filters: 8, kernel_size: 3, strides: 2, padding: 'same'}, [[null, 28, 28, 1]]))).toEqual([null, 14, 14, 8])
    const r = run('Conv2D', {filters: 8, kernel_size: [3, 3], data_format: 'channels_first'}, [[null, 1, 28, 28]])
    expect(out(r)).toEqual([null, 8, 26, 26])
    expect(shapes(r)[0]).toEqual(['kernel', [3, 3, 1, 8]])
  })

  it('Conv1D causal with dilation keeps the length', () => {
    const r = run('Conv1D', {filters: 16, kernel_size: [3], padding: 'causal', dilation_rate: [2]}, [[null, 100, 4]])
    expect(out(r)).toEqual([null, 100, 16])
    expect(params(r)).toBe(3 * 4 * 16 + 16)
  })

  it('groups divide the kernel input channels', () => {
    expect(params(run('Conv2D', {filters: 8, kernel_size: 3, groups: 2}, [[null, 9, 9, 4]]))).toBe(3 * 3 * 2 * 8 + 8)
  })

  it('Conv3D', () => {
    const r = run('Conv3D', {filters: 2, kernel_size: [3, 3, 3], use_bias: false}, [[null, 8, 8, 8, 1]])
    expect(out(r)).toEqual([null, 6, 6, 6, 2])
    expect(params(r)).toBe(54)
  })
})

describe('transposed convolutions', () => {
  it('Conv2DTranspose kernel is (kh, kw, filters, in)', () => {
    const r = run('Conv2DTranspose', {filters: 4, kernel_size: [3, 3], strides: [2, 2], padding: 'same'}, [[null, 7, 7, 16]])
    expect(out(r)).toEqual([null, 14, 14, 4])
    expect(shapes(r)).toEqual([['kernel', [3, 3, 4, 16]], ['bias', [4]]])
    expect(params(r)).toBe(580)
  })

  it('Conv1DTranspose / Conv3DTranspose', () => {
    expect(out(run('Conv1DTranspose', {filters: 2, kernel_size: 3, strides: 2, padding: 'valid'}, [[null, 5, 3]]))).toEqual([null, 11, 2])
    expect(params(run('Conv3DTranspose', {filters: 2, kernel_size: 2}, [[null, 4, 4, 4, 3]]))).toBe(8 * 2 * 3 + 2)
  })
})

describe('depthwise and separable', () => {
  it('DepthwiseConv2D multiplies channels by depth_multiplier', () => {
    const r = run('DepthwiseConv2D', {kernel_size: [3, 3], depth_multiplier: 2}, [[null, 10, 10, 3]])
    expect(out(r)).toEqual([null, 8, 8, 6])
    expect(shapes(r)).toEqual([['depthwise_kernel', [3, 3, 3, 2]], ['bias', [6]]])
  })

  it('SeparableConv2D: depthwise + pointwise + bias = 27 + 48 + 16', () => {
    const r = run('SeparableConv2D', {filters: 16, kernel_size: [3, 3], padding: 'same'}, [[null, 10, 10, 3]])
    expect(out(r)).toEqual([null, 10, 10, 16])
    expect(params(r)).toBe(91)
  })

  it('SeparableConv1D and DepthwiseConv1D', () => {
    expect(shapes(run('SeparableConv1D', {filters: 4, kernel_size: 3}, [[null, 10, 2]]))).toEqual([
      ['depthwise_kernel', [3, 2, 1]], ['pointwise_kernel', [1, 2, 4]], ['bias', [4]],
    ])
    expect(out(run('DepthwiseConv1D', {kernel_size: 3, strides: 2}, [[null, 11, 2]]))).toEqual([null, 5, 2])
  })
})

describe('LocallyConnected', () => {
  it('LocallyConnected1D: kernel (out, k·in, f), bias (out, f)', () => {
    const r = run('LocallyConnected1D', {filters: 2, kernel_size: [3]}, [[null, 10, 4]])
    expect(out(r)).toEqual([null, 8, 2])
    expect(shapes(r)).toEqual([['kernel', [8, 12, 2]], ['bias', [8, 2]]])
  })

  it('LocallyConnected2D: 9 positions · 9 · 2 + 3·3·2', () => {
    const r = run('LocallyConnected2D', {filters: 2, kernel_size: [3, 3]}, [[null, 5, 5, 1]])
    expect(out(r)).toEqual([null, 3, 3, 2])
    expect(params(r)).toBe(180)
  })
})
