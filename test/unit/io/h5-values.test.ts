import {describe, expect, it} from 'vitest'
import {bytesToString, describeValue, dtypeOf, repairAsciiUtf8, stringsOf, typedArrayOf} from '../../../src/core/io/h5-values.js'

describe('repairAsciiUtf8', () => {
  it('turns UTF-8 bytes decoded one per character back into text', () => {
    expect(repairAsciiUtf8('dÃ©nse')).toBe('dénse')
    expect(repairAsciiUtf8('æ\u0097¥æ\u009c¬')).toBe('日本')
  })
  it('leaves ASCII, real Latin-1 text and already-decoded text alone', () => {
    expect(repairAsciiUtf8('dense_1/kernel:0')).toBe('dense_1/kernel:0')
    expect(repairAsciiUtf8('café')).toBe('café') // 'é' alone is not a UTF-8 sequence
    expect(repairAsciiUtf8('日本é')).toBe('日本é')
  })
})

describe('stringsOf', () => {
  it('accepts scalars, lists and bytes', () => {
    expect(stringsOf('a', false)).toEqual(['a'])
    expect(stringsOf(['a', 'b'], false)).toEqual(['a', 'b'])
    expect(stringsOf(new TextEncoder().encode('{"a": 1}\0\0'), true)).toEqual(['{"a": 1}'])
    expect(stringsOf(['dÃ©nse'], true)).toEqual(['dénse'])
    expect(stringsOf(['dÃ©nse'], false)).toEqual(['dÃ©nse'])
  })
  it('reads empty arrays of any dtype and null-dataspace values as []', () => {
    expect(stringsOf(new Float64Array(0), true)).toEqual([])
    expect(stringsOf([], true)).toEqual([])
    expect(stringsOf(null, true)).toEqual([])
  })
  it('returns null for numbers and mixed lists', () => {
    expect(stringsOf(3, true)).toBeNull()
    expect(stringsOf(Float32Array.of(1), true)).toBeNull()
    expect(stringsOf(['a', 1], true)).toBeNull()
  })
})

describe('helpers', () => {
  it('bytesToString drops NUL padding only at the end', () => {
    expect(bytesToString(Uint8Array.of(0x61, 0, 0x62, 0, 0))).toBe('a\0b')
  })
  it('describeValue names the kind', () => {
    expect(describeValue(Float64Array.of(1, 2))).toBe('a numeric array of 2 values')
    expect(describeValue(5n)).toBe('a bigint')
    expect(describeValue(null)).toBe('empty')
  })
})

describe('dtypes', () => {
  it('names h5wasm type classes and sizes as NumPy does', () => {
    expect([dtypeOf(1, 4, true), dtypeOf(1, 2, true), dtypeOf(0, 8, true), dtypeOf(0, 1, false), dtypeOf(3, 7, false), dtypeOf(6, 8, false)])
      .toEqual(['float32', 'float16', 'int64', 'uint8', 'string', 'other'])
  })
  it('builds typed arrays for scalar datasets', () => {
    expect(typedArrayOf('int64', [-5n])).toEqual(BigInt64Array.of(-5n))
    expect(typedArrayOf('float32', [1.5])).toEqual(Float32Array.of(1.5))
    expect(typedArrayOf('uint16', [])).toEqual(new Uint16Array(0))
  })
})
