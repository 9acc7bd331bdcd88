import {describe, expect, it} from 'vitest'
import {out, params, run} from './builders.js'

describe('pooling', () => {
  it('MaxPooling2D default 2x2 halves; strides default to the pool size', () => {
    const r = run('MaxPooling2D', {pool_size: [2, 2], strides: null, padding: 'valid'}, [[null, 26, 26, 8]])
    expect(out(r)).toEqual([null, 13, 13, 8])
    expect(params(r)).toBe(0)
  })

  it('same padding rounds up, valid rounds down', () => {
    expect(out(run('MaxPooling2D', {pool_size: 2, padding: 'same'}, [[null, 27, 27, 1]]))).toEqual([null, 14, 14, 1])
    expect(out(run('AveragePooling2D', {pool_size: 2}, [[null, 27, 27, 1]]))).toEqual([null, 13, 13, 1])
    expect(out(run('AveragePooling1D', {pool_size: 3, strides: 1}, [[null, 10, 4]]))).toEqual([null, 8, 4])
  })

  it('1D, 3D and channels_first', () => {
    expect(out(run('MaxPooling1D', {pool_size: 2}, [[null, 100, 4]]))).toEqual([null, 50, 4])
    expect(out(run('AveragePooling3D', {pool_size: [2, 2, 2]}, [[null, 8, 8, 8, 3]]))).toEqual([null, 4, 4, 4, 3])
    expect(out(run('MaxPooling2D', {pool_size: 2, data_format: 'channels_first'}, [[null, 3, 8, 8]]))).toEqual([null, 3, 4, 4])
  })

  it('global pooling with and without keepdims', () => {
    expect(out(run('GlobalAveragePooling2D', {}, [[null, 7, 7, 8]]))).toEqual([null, 8])
    expect(out(run('GlobalAveragePooling2D', {keepdims: true}, [[null, 7, 7, 8]]))).toEqual([null, 1, 1, 8])
    expect(out(run('GlobalMaxPooling2D', {keepdims: true, data_format: 'channels_first'}, [[null, 8, 5, 5]]))).toEqual([null, 8, 1, 1])
    expect(out(run('GlobalMaxPooling1D', {}, [[null, 10, 3]]))).toEqual([null, 3])
    expect(out(run('GlobalAveragePooling3D', {}, [[null, 2, 2, 2, 5]]))).toEqual([null, 5])
  })

  it('adaptive pooling has a fixed output size', () => {
    expect(out(run('AdaptiveAveragePooling2D', {output_size: [3, 4]}, [[null, 17, 9, 2]]))).toEqual([null, 3, 4, 2])
  })
})
