import {describe, expect, it} from 'vitest'

import {
  classicFunctionalLength,
  classicHasModelLine,
  defaultKerasStyle,
  isTfKeras,
  parseKerasVersion,
} from '../../../src/core/render/keras-style.js'

describe('defaultKerasStyle', () => {
  it.each([
    ['2.0.5', '2.6'],
    ['2.2.4', '2.6'],
    ['2.2.4-tf', '2.6'],
    ['2.6.0', '2.6'],
    ['2.7.0', '2.12'],
    ['2.12.0', '2.12'],
    ['2.13.1', '2.13'],
    ['2.18.0', '2.13'],
    ['3.13.2', '3'],
    ['1.2.2', '2.6'],
    [null, '3'],
    ['nonsense', '3'],
  ] as const)('%s → %s', (version, style) => {
    expect(defaultKerasStyle(version)).toBe(style)
  })
})

describe('version facts', () => {
  it('parses the -tf suffix', () => {
    expect(parseKerasVersion('2.2.4-tf')).toEqual({major: 2, minor: 2, patch: 4, tf: true})
    expect(parseKerasVersion('2.15.0')).toEqual({major: 2, minor: 15, patch: 0, tf: false})
  })

  it('knows which Keras printed the Model: line', () => {
    expect(classicHasModelLine('2.2.4')).toBe(false)
    expect(classicHasModelLine('2.2.5')).toBe(true)
    expect(classicHasModelLine('2.2.4-tf')).toBe(true)
    expect(classicHasModelLine('2.0.8')).toBe(false)
  })

  it('knows tf.keras from standalone Keras', () => {
    expect(isTfKeras('2.2.4')).toBe(false)
    expect(isTfKeras('2.3.1')).toBe(false)
    expect(isTfKeras('2.3.0-tf')).toBe(true)
    expect(isTfKeras('2.4.0')).toBe(true)
    expect(isTfKeras('3.4.1')).toBe(false)
  })

  it('uses 100 columns for functional models of Keras 2.0.0–2.0.8', () => {
    expect(classicFunctionalLength('2.0.5')).toBe(100)
    expect(classicFunctionalLength('2.0.9')).toBe(98)
    expect(classicFunctionalLength('2.2.4')).toBe(98)
  })
})
