import {describe, expect, it} from 'vitest'
import {parsePythonJson, stringifyPythonJson} from '../../../src/core/formats/python-json.js'

describe('parsePythonJson', () => {
  it('reads the NaN and Infinity tokens Python writes, outside strings only', () => {
    const doc = parsePythonJson('{"a": NaN, "b": -Infinity, "c": [Infinity], "d": "NaN Infinity"}', 'x.json')
    expect(doc).toEqual({a: Number.NaN, b: Number.NEGATIVE_INFINITY, c: [Number.POSITIVE_INFINITY], d: 'NaN Infinity'})
  })

  it('keeps escaped quotes inside strings intact', () => {
    expect(parsePythonJson('{"a": "say \\"NaN\\"", "b": NaN}', 'x')).toEqual({a: 'say "NaN"', b: Number.NaN})
  })

  it('names the file, line and column of a syntax error', () => {
    expect(() => parsePythonJson('{\n  "a": 1,\n  "b": ]\n}', 'model.json')).toThrowError(/model\.json is not valid JSON at line 3, column 8/)
  })

  it('says a truncated file looks truncated', () => {
    try {
      parsePythonJson('{"class_name": "Sequential", "config": {', 'cut.json')
      expect.unreachable()
    } catch (error) {
      expect((error as {code: string}).code).toBe('KM_FORMAT_JSON')
      expect((error as {hint: string}).hint).toMatch(/truncated/)
    }
  })
})

describe('stringifyPythonJson', () => {
  it('writes Keras one-line separators and bare NaN/Infinity', () => {
    expect(stringifyPythonJson({a: [1, null], b: Number.NaN, c: Number.POSITIVE_INFINITY}, null)).toBe('{"a": [1, null], "b": NaN, "c": Infinity}')
  })

  it('indents on request and round-trips', () => {
    const text = stringifyPythonJson({x: {y: -Number.POSITIVE_INFINITY}}, 2)
    expect(text).toBe('{\n  "x": {\n    "y": -Infinity\n  }\n}')
    expect(parsePythonJson(text, 't')).toEqual({x: {y: Number.NEGATIVE_INFINITY}})
  })
})

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": 1,}', 8],
    ['[1, 2', 5],
    ['{"a" 1}', 5],
    ['{"a": tru}', 6],
    ['{} {}', 3],
    ['{"a": [1, {"b": NaN}], "c": "x"}', 32],
  ])('finds the error in %s at %i', async (text, offset) => {
    const {jsonErrorOffset} = await import('../../../src/core/formats/json-locate.js')
    expect(jsonErrorOffset(text)).toBe(offset)
  })
})

describe('ensure_ascii, as Python json.dumps and Keras to_json write', () => {
  it('escapes DEL and every non-ASCII character (bidi, C1, accents, astral pairs) as \\uXXXX, in both forms', () => {
    // Python 3: json.dumps({"name": "a\u202eb\u00e9\U0001F600\x7f\x9b"})
    const value = {name: 'a\u202eb\u00e9\u{1F600}\u007f\u009b'}
    const expected = '{"name": "a\\u202eb\\u00e9\\ud83d\\ude00\\u007f\\u009b"}'
    expect(stringifyPythonJson(value, null)).toBe(expected)
    expect(stringifyPythonJson(value, 2)).toContain('"a\\u202eb\\u00e9\\ud83d\\ude00\\u007f\\u009b"')
    expect(parsePythonJson(stringifyPythonJson(value, null), 'x.json')).toEqual(value)
  })
})
