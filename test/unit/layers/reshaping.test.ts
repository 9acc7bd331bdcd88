import {describe, expect, it} from 'vitest'
import {out, params, run} from './builders.js'

describe('Reshape / Flatten / Permute / RepeatVector', () => {
  it('Reshape infers one -1', () => {
    expect(out(run('Reshape', {target_shape: [-1, 2]}, [[null, 3, 4]]))).toEqual([null, 6, 2])
    expect(out(run('Reshape', {target_shape: [1, 1, 1024]}, [[null, 1024]]))).toEqual([null, 1, 1, 1024])
    expect(out(run('Reshape', {target_shape: [2, -1]}, [[null, null, 4]]))).toEqual([null, 2, null])
    expect(params(run('Reshape', {target_shape: [4]}, [[null, 2, 2]]))).toBe(0)
  })

  it('Flatten multiplies known dims', () => {
    expect(out(run('Flatten', {}, [[null, 3, 4, 5]]))).toEqual([null, 60])
    expect(out(run('Flatten', {}, [[null, null, 4]]))).toEqual([null, null])
    expect(out(run('Flatten', {data_format: 'channels_first'}, [[null, 2, 3]]))).toEqual([null, 6])
  })

  it('Permute is 1-based; RepeatVector inserts n', () => {
    expect(out(run('Permute', {dims: [2, 1]}, [[null, 3, 4]]))).toEqual([null, 4, 3])
    expect(out(run('RepeatVector', {n: 3}, [[null, 5]]))).toEqual([null, 3, 5])
  })
})

describe('Cropping / ZeroPadding / UpSampling', () => {
  it('Cropping1D/2D/3D with their default and explicit amounts', () => {
    expect(out(run('Cropping1D', {}, [[null, 10, 4]]))).toEqual([null, 8, 4])
    expect(out(run('Cropping1D', {cropping: [2, 3]}, [[null, 10, 4]]))).toEqual([null, 5, 4])
    expect(out(run('Cropping2D', {cropping: [[1, 1], [2, 2]]}, [[null, 28, 28, 3]]))).toEqual([null, 26, 24, 3])
    expect(out(run('Cropping2D', {cropping: [[1, 1], [2, 2]], data_format: 'channels_first'}, [[null, 3, 28, 28]]))).toEqual([null, 3, 26, 24])
    expect(out(run('Cropping3D', {cropping: 1}, [[null, 5, 5, 5, 1]]))).toEqual([null, 3, 3, 3, 1])
  })

  it('ZeroPadding default 1, symmetric pairs and explicit pairs', () => {
    expect(out(run('ZeroPadding2D', {}, [[null, 224, 224, 3]]))).toEqual([null, 226, 226, 3])
    expect(out(run('ZeroPadding2D', {padding: [[0, 1], [0, 1]]}, [[null, 224, 224, 3]]))).toEqual([null, 225, 225, 3])
    expect(out(run('ZeroPadding2D', {padding: [1, 2]}, [[null, 10, 10, 3]]))).toEqual([null, 12, 14, 3])
    expect(out(run('ZeroPadding1D', {padding: 2}, [[null, 10, 3]]))).toEqual([null, 14, 3])
    expect(out(run('ZeroPadding3D', {padding: [1, 1, 1]}, [[null, 2, 2, 2, 1]]))).toEqual([null, 4, 4, 4, 1])
  })

  it('UpSampling multiplies', () => {
    expect(out(run('UpSampling2D', {size: [2, 2]}, [[null, 7, 7, 3]]))).toEqual([null, 14, 14, 3])
    expect(out(run('UpSampling1D', {size: 3}, [[null, 5, 2]]))).toEqual([null, 15, 2])
    expect(out(run('UpSampling3D', {size: 2}, [[null, 2, 3, 4, 1]]))).toEqual([null, 4, 6, 8, 1])
  })
})
