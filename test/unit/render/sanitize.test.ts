/** The terminal sanitiser (src/core/render/sanitize.ts) and the summary renderers that go through it. */
import {describe, expect, it} from 'vitest'

import type {ModelSummary} from '../../../src/core/graph/summary-types.js'
import {renderFlops} from '../../../src/core/render/flops.js'
import {renderKerasText} from '../../../src/core/render/keras-text.js'
import {jsonTerminalSafe, needsEscape, terminalSafe, terminalSafeLines, terminalSafeSummary} from '../../../src/core/render/sanitize.js'
import {renderTable} from '../../../src/core/render/table.js'
import {dense, model, nested, plain} from './builders.js'

/** Any character the sanitiser must never let through (C0 except line feed, DEL, C1, bidi controls). */
// eslint-disable-next-line no-control-regex -- the point of the test
const RAW = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/

describe('terminalSafe', () => {
  it('escapes ANSI/OSC, C1 CSI, BEL and backspace', () => {
    expect(terminalSafe('\u001B]0;pwned\u0007')).toBe(String.raw`\x1b]0;pwned\x07`)
    expect(terminalSafe('\u001B[2J')).toBe(String.raw`\x1b[2J`)
    expect(terminalSafe('\u009B31m')).toBe(String.raw`\x9b31m`)
    expect(terminalSafe('a\bb\u007F')).toBe(String.raw`a\x08b\x7f`)
    expect(terminalSafe('\u0000\u0085')).toBe(String.raw`\x00\x85`)
  })

  it('escapes bidi overrides, isolates and marks with \\u', () => {
    expect(terminalSafe('a\u202Egnp.exe')).toBe(String.raw`a\u202egnp.exe`)
    const bidi = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C']
    for (const ch of bidi) expect(terminalSafe(ch)).toBe(`\\u${ch.codePointAt(0)?.toString(16).padStart(4, '0')}`)
  })

  it('escapes tabs and line breaks in a single-line field, by name', () => {
    expect(terminalSafe('a\tb\nc\rd')).toBe(String.raw`a\tb\nc\rd`)
    expect(terminalSafe('x\u2028y')).toBe(String.raw`x\u2028y`)
  })

  it('keeps printable Unicode, CJK, emoji (with joiners) and backslashes as they are', () => {
    for (const text of ['dense_1', '密集层', 'ünïcødé', '👩‍💻 layer', 'a\\x1b', 'C:\\models\\net', 'Ω≈ç√', '\u00A0nbsp', '']) {
      expect(terminalSafe(text)).toBe(text)
    }
  })

  it('is idempotent: a second pass never double-escapes', () => {
    const hostile = '\u001B]0;pwned\u0007\u009B31m\u202E\n\t\\'
    const once = terminalSafe(hostile)
    expect(terminalSafe(once)).toBe(once)
    expect(terminalSafeLines(once)).toBe(once)
    expect(RAW.test(once)).toBe(false)
    expect(once.includes('\\\\')).toBe(false)
  })

  it('terminalSafeLines keeps line feeds and escapes the rest', () => {
    expect(terminalSafeLines('one\ntwo\u001B[2J\r\tthree')).toBe(String.raw`one` + '\n' + String.raw`two\x1b[2J\r\tthree`)
  })

  it('needsEscape says whether anything would change', () => {
    expect(needsEscape('plain 名前')).toBe(false)
    expect(needsEscape('bell\u0007')).toBe(true)
  })
})

describe('jsonTerminalSafe', () => {
  it('writes what JSON.stringify leaves raw as \\u escapes; the document parses to the exact strings', () => {
    const value = {name: '\u001B]0;pwned\u0007 \u009B31m a\u202Egnp.exe \u2066\u007F 密集 👩‍💻 back\\slash'}
    const text = jsonTerminalSafe(JSON.stringify(value, null, 2))
    expect(RAW.test(text)).toBe(false)
    expect(text).toContain(String.raw`\u009b31m a\u202egnp.exe \u2066\u007f 密集 👩‍💻`)
    expect(JSON.parse(text)).toEqual(value)
  })
})

const HOSTILE = ['\u001B]0;pwned\u0007', '\u001B[2J', '\u009B31m', 'a\u202Egnp.exe', 'bell\u0007', 'tab\tnew\nline']

function hostileSummary(): ModelSummary {
  const rows = [
    plain(HOSTILE[0] ?? '', 'InputLayer', [null, 4]),
    dense(HOSTILE[1] ?? '', 4, 3, [null, 3], [`${HOSTILE[0]}[0][0]`]),
    nested(HOSTILE[2] ?? '', 'Evil\u001B[31mModel', [null, 3], [dense(HOSTILE[3] ?? '', 3, 3, [null, 3]), plain(HOSTILE[4] ?? '', 'Act\u202Eivation', [null, 3])], [`${HOSTILE[1]}[0][0]`]),
    dense(HOSTILE[5] ?? '', 3, 1, [null, 1], [`${HOSTILE[2]}[0][0]`]),
  ]
  return {...model('m\u001B]0;title\u0007', 'Functional', '2.15.0\u009B', false, rows), total_macs: 10, macs_exact: true}
}

describe('terminalSafeSummary', () => {
  it('returns the very same object when nothing needs escaping', () => {
    const clean = model('clean', 'Sequential', '3.0.0', true, [dense('d', 4, 2, [null, 2])])
    expect(terminalSafeSummary(clean)).toBe(clean)
  })

  it('escapes every name at every depth, keeps order and nesting, and leaves the input untouched', () => {
    const summary = hostileSummary()
    const before = JSON.stringify(summary)
    const safe = terminalSafeSummary(summary)
    expect(JSON.stringify(summary)).toBe(before)
    const strings: string[] = []
    JSON.stringify(safe, (_key, v: unknown) => {
      if (typeof v === 'string') strings.push(v)
      return v
    })
    expect(strings.filter((text) => RAW.test(text) || text.includes('\n'))).toEqual([])
    expect(safe.name).toBe(String.raw`m\x1b]0;title\x07`)
    expect(safe.keras_version).toBe(String.raw`2.15.0\x9b`)
    expect(safe.rows.map((r) => r.name)).toEqual(HOSTILE.filter((_, i) => i !== 3 && i !== 4).map(terminalSafe))
    expect(safe.rows[2]?.children?.map((r) => r.name)).toEqual([terminalSafe(HOSTILE[3] ?? ''), terminalSafe(HOSTILE[4] ?? '')])
    expect(safe.rows[2]?.class_name).toBe(String.raw`Evil\x1b[31mModel`)
    expect(safe.rows[1]?.connected_to).toEqual([String.raw`\x1b]0;pwned\x07[0][0]`])
    expect(terminalSafeSummary(safe)).toBe(safe)
  })

  it('walks nesting 5,000 deep without recursion', () => {
    let row = plain('leaf\u0007', 'Dense', [null, 1])
    for (let i = 0; i < 5000; i++) row = nested(`n${i}`, 'Sequential', [null, 1], [row])
    const shallow = model('deep', 'Sequential', null, true, [plain('x', 'Dense', [null, 1])])
    const safe = terminalSafeSummary({...shallow, rows: [row]})
    let inner = safe.rows[0]
    while (inner?.children?.[0] !== undefined) inner = inner.children[0]
    expect(inner?.name).toBe(String.raw`leaf\x07`)
  })
})

describe('renderers show file strings escaped', () => {
  const summary = hostileSummary()
  const outputs: Record<string, string> = {
    'table': renderTable(summary, {color: false, expandNested: true}),
    'table, width 60': renderTable(summary, {color: false, expandNested: true, width: 60}),
    'keras 2.6': renderKerasText(summary, {style: '2.6', expandNested: true}),
    'keras 2.13': renderKerasText(summary, {style: '2.13', expandNested: true}),
    'keras 3': renderKerasText(summary, {style: '3', expandNested: true}),
    'flops': renderFlops(summary, true),
  }
  for (const [name, text] of Object.entries(outputs)) {
    it(`${name}: no raw control or bidi character, the escaped names present`, () => {
      expect(RAW.test(text)).toBe(false)
      expect(text).toContain(String.raw`\x1b[2J`)
      expect(text).toContain(String.raw`\x9b31m`)
    })
  }

  it('table columns stay aligned: every line of the box is as wide as the top rule', () => {
    const lines = (outputs['table'] ?? '').split('\n').filter((l) => /^[│┌├└]/.test(l))
    const widths = new Set(lines.map((l) => [...l].length))
    expect(widths.size).toBe(1)
  })

  it('with colour on, every ESC left is one of the table\'s own SGR codes', () => {
    const text = renderTable(summary, {color: true, expandNested: true})
    const withoutSgr = text.replaceAll(/\u001B\[(?:1|2|22|33|39)m/g, '')
    expect(RAW.test(withoutSgr)).toBe(false)
    expect(text).toContain(String.raw`\x1b[31m`)
  })
})
