import {describe, expect, it} from 'vitest'
import {entry, frozen, out, params, run, shapes} from './builders.js'

describe('BatchNormalization', () => {
  it('4·C in total, 2·C non-trainable, in saved order', () => {
    const r = run('BatchNormalization', {axis: -1}, [[null, 10, 10, 3]])
    expect(params(r)).toBe(12)
    expect(frozen(r)).toBe(6)
    expect(shapes(r).map(([n]) => n)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance'])
  })

  it('scale / center false drop gamma / beta', () => {
    const r = run('BatchNormalization', {scale: false, center: false}, [[null, 5]])
    expect(shapes(r).map(([n]) => n)).toEqual(['moving_mean', 'moving_variance'])
    expect(params(run('BatchNormalization', {scale: false}, [[null, 5]]))).toBe(15)
  })

  it('axis as a one-element list (Keras 2 after build) or channels-first axis 1', () => {
    expect(params(run('BatchNormalization', {axis: [3]}, [[null, 10, 10, 3]]))).toBe(12)
    expect(params(run('BatchNormalization', {axis: 1}, [[null, 3, 10, 10]]))).toBe(12)
  })

  it('trainable false moves gamma/beta to non-trainable too', () => {
    expect(frozen(run('BatchNormalization', {trainable: false}, [[null, 3]]))).toBe(12)
  })
})

describe('LayerNormalization / GroupNormalization / RMSNormalization / UnitNormalization', () => {
  it('LayerNormalization over the last axis or several', () => {
    expect(params(run('LayerNormalization', {axis: -1}, [[null, 5, 8]]))).toBe(16)
    expect(params(run('LayerNormalization', {axis: [1, 2]}, [[null, 5, 8]]))).toBe(80)
    expect(out(run('LayerNormalization', {}, [[null, 5, 8]]))).toEqual([null, 5, 8])
  })

  it('GroupNormalization: gamma/beta per channel', () => {
    expect(params(run('GroupNormalization', {groups: 2, axis: -1}, [[null, 8, 8, 4]]))).toBe(8)
  })

  it('RMSNormalization: one scale vector; UnitNormalization none', () => {
    expect(shapes(run('RMSNormalization', {axis: -1}, [[null, 6]]))).toEqual([['scale', [6]]])
    expect(shapes(run('RMSNormalization', {axis: [2, 1]}, [[null, 3, 6]]))).toEqual([['scale', [3, 6]]])
    expect(params(run('UnitNormalization', {axis: -1}, [[null, 6]]))).toBe(0)
  })
})

describe('Normalization (preprocessing)', () => {
  it('tf.keras: mean, variance and an int64 count, all non-trainable', () => {
    const r = run('Normalization', {axis: -1}, [[null, 4]])
    expect(params(r)).toBe(9)
    expect(frozen(r)).toBe(9)
    expect(r.weights?.[2]?.dtype).toBe('int64')
  })

  it('Keras 3 (≥ 3.3) keeps the count too; none when mean/variance are in the config', () => {
    expect(params(run('Normalization', {axis: -1}, [[null, 4]], {dialect: 'keras3'}))).toBe(9)
    expect(params(run('Normalization', {axis: [1, 2]}, [[null, 3, 4, 5]]))).toBe(12 + 12 + 1)
    expect(params(run('Normalization', {axis: null}, [[null, 3]]))).toBe(3)
    expect(params(run('Normalization', {axis: -1}, [[null, 4]], {dialect: 'keras3', version: '3.2.1'}))).toBe(8)
    expect(params(run('Normalization', {axis: -1, mean: [0, 0], variance: [1, 1]}, [[null, 2]]))).toBe(0)
  })
})

describe('SpectralNormalization', () => {
  it('wraps a layer and adds a non-trainable vector_u (1, units)', () => {
    const r = run('SpectralNormalization', {layer: entry('Dense', {units: 3}), power_iterations: 1}, [[null, 4]], {dialect: 'keras3'})
    expect(out(r)).toEqual([null, 3])
    expect(params(r)).toBe(18)
    expect(frozen(r)).toBe(3)
  })
})
