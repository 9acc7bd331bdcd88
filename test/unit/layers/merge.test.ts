import {describe, expect, it} from 'vitest'
import {out, params, run} from './builders.js'

describe('element-wise merges', () => {
  it('same shapes pass through for every element-wise class', () => {
    for (const c of ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']) {
      const r = run(c, {}, [[null, 4], [null, 4]])
      expect(out(r)).toEqual([null, 4])
      expect(params(r)).toBe(0)
    }
  })

  it('broadcasts 1s and lower ranks as Keras does', () => {
    expect(out(run('Add', {}, [[null, 1, 4], [null, 3, 4]]))).toEqual([null, 3, 4])
    expect(out(run('Multiply', {}, [[null, 3, 4], [null, 4]]))).toEqual([null, 3, 4])
    expect(out(run('Add', {}, [[null, null, 4], [null, 3, 4]]))).toEqual([null, null, 4])
  })

  it('a batch size survives only when every input agrees', () => {
    expect(out(run('Add', {}, [[8, 4], [8, 4]]))).toEqual([8, 4])
    expect(out(run('Add', {}, [[8, 4], [null, 4]]))).toEqual([null, 4])
  })

  it('an unknown input makes the output unknown', () => {
    expect(run('Add', {}, [[null, 4], null]).outputs).toBeNull()
  })
})

describe('Concatenate', () => {
  it('sums the axis; other dims from the first known', () => {
    expect(out(run('Concatenate', {axis: -1}, [[null, 2, 3], [null, 2, 5]]))).toEqual([null, 2, 8])
    expect(out(run('Concatenate', {axis: 1}, [[null, 2, 3], [null, 4, 3]]))).toEqual([null, 6, 3])
    expect(out(run('Concatenate', {axis: 1}, [[null, null, 3], [null, 4, 3]]))).toEqual([null, null, 3])
    expect(out(run('Concatenate', {}, [[null, 100], [null, 100], [null, 100]]))).toEqual([null, 300])
  })
})

describe('Dot', () => {
  it('axes 1 on two vectors gives (batch, 1)', () => {
    expect(out(run('Dot', {axes: 1, normalize: false}, [[null, 5], [null, 5]]))).toEqual([null, 1])
  })

  it('axes [2, 2] contracts the features of two sequences', () => {
    expect(out(run('Dot', {axes: [2, 2]}, [[null, 3, 4], [null, 6, 4]]))).toEqual([null, 3, 6])
    expect(out(run('Dot', {axes: -1}, [[null, 3, 4], [null, 6, 4]]))).toEqual([null, 3, 6])
    expect(out(run('Dot', {axes: [1, 1]}, [[null, 3, 4], [null, 3, 6]]))).toEqual([null, 4, 6])
  })
})
