import {describe, expect, it} from 'vitest'

import {
  groupThousands,
  KERAS2_SIZE_UNITS,
  KERAS3_SIZE_UNITS,
  keras2Shape,
  keras3Shape,
  pyFixed2,
  pyStrList,
  pyTuple,
  readableSize,
} from '../../../src/core/render/format.js'
import {dense, plain} from './builders.js'

describe('Python reprs', () => {
  it('prints tuples as Python does, including the one-element comma', () => {
    expect(pyTuple([null, 10])).toBe('(None, 10)')
    expect(pyTuple([null])).toBe('(None,)')
    expect(pyTuple([])).toBe('()')
  })

  it('prints string lists with single quotes', () => {
    expect(pyStrList(['a[0][0]', 'b[0][0]'])).toBe("['a[0][0]', 'b[0][0]']")
    expect(pyStrList([])).toBe('[]')
    expect(pyStrList(["it's"])).toBe(`["it's"]`)
  })

  it('groups thousands like {:,}', () => {
    expect(groupThousands(0)).toBe('0')
    expect(groupThousands(999)).toBe('999')
    expect(groupThousands(2_658_945)).toBe('2,658,945')
    expect(groupThousands(7_000_000_000)).toBe('7,000,000,000')
  })
})

describe('pyFixed2 matches {:.2f}', () => {
  it.each([
    [0, '0.00'],
    [1.125, '1.12'], // exact tie: half to even (JS toFixed says 1.13)
    [1.375, '1.38'],
    [2.625, '2.62'],
    [0.875, '0.88'],
    [1.115, '1.11'], // not a tie in binary: 1.1149999…
    [11.5, '11.50'],
    [872.041_015_625, '872.04'],
  ])('%s → %s', (x, text) => {
    expect(pyFixed2(x)).toBe(text)
  })
})

describe('readableSize', () => {
  it.each([
    [0, KERAS2_SIZE_UNITS, '0.00 Byte'],
    [1000, KERAS2_SIZE_UNITS, '1000.00 Byte'],
    [1024, KERAS2_SIZE_UNITS, '1.00 KB'],
    [1_820_672, KERAS2_SIZE_UNITS, '1.74 MB'],
    [480, KERAS3_SIZE_UNITS, '480.00 B'],
    [11_780, KERAS3_SIZE_UNITS, '11.50 KB'],
    [1152, KERAS3_SIZE_UNITS, '1.12 KB'],
  ])('%s bytes → %s', (bytes, units, text) => {
    expect(readableSize(bytes, units)).toBe(text)
  })
})

describe('shape cells', () => {
  it('wraps a tf.keras InputLayer shape in a list, and only an InputLayer', () => {
    expect(keras2Shape(plain('input_1', 'InputLayer', [null, 28, 28, 1]), true)).toBe('[(None, 28, 28, 1)]')
    expect(keras2Shape(plain('input_1', 'InputLayer', [null, 784]), false)).toBe('(None, 784)')
    expect(keras2Shape(dense('d', 2, 3, [null, 3]), true)).toBe('(None, 3)')
  })

  it('prints multi-output, multiple and unknown shapes', () => {
    expect(keras2Shape(plain('s', 'Split', [[null, 2], [null, 3]]), true)).toBe('[(None, 2), (None, 3)]')
    expect(keras2Shape(plain('s', 'Dense', 'multiple'), true)).toBe('multiple')
    expect(keras2Shape(plain('s', 'Custom', null), true)).toBe('?')
  })

  it('prints Keras 3 shapes without the one-element comma', () => {
    expect(keras3Shape([null])).toBe('(None)')
    expect(keras3Shape([null, 10])).toBe('(None, 10)')
    expect(keras3Shape([[null, 2], [null, 3]])).toBe('[(None, 2), (None, 3)]')
    expect(keras3Shape(null)).toBe('?')
  })
})
