import {describe, expect, it} from 'vitest'

import {fitsGrid} from '../../../src/core/render/grid.js'
import {type Cell, type Layout, drawTable, renderTable} from '../../../src/core/render/table.js'
import {DEMO_FUNCTIONAL} from './demo-cases.js'

// The grid drawn directly must be cli-table3's text, escape codes included.
const bold = (line: string): string => `\u001B[1m${line}\u001B[22m`
const dim = (line: string): string => `\u001B[2m${line}\u001B[22m`

const head: Cell[] = ['Layer', 'Type', 'Output shape', 'Params', 'Trainable'].map((text) => ({text, paint: bold}))
const body: Cell[][] = [
  [{text: 'input'}, {text: 'InputLayer', paint: dim}, {text: '(None, 8)'}, {text: '0'}, {text: '-', paint: dim}],
  [{text: 'a_long_layer_name_that_wraps'}, {text: 'Dense', paint: dim}, {text: '(None, 8)\n(None, 4)'}, {text: '1,234,567'}, {text: 'yes'}],
  [{text: '└ inner'}, {text: ''}, {text: 'multiple'}, {text: '?', paint: dim}, {text: 'no'}],
]
const natural = [28, 10, 12, 9, 9]
const align: Layout['align'] = ['left', 'left', 'left', 'right', 'center']

describe('drawTable', () => {
  const layouts: Array<[string, Layout]> = [
    ['natural widths', {widths: undefined, natural, align, rules: false}],
    ['fitted widths with rules', {widths: [9, 8, 8, 9, 9], natural, align, rules: true}],
    ['no body rows', {widths: undefined, natural: [5, 4, 12, 6, 9], align, rules: false}],
  ]
  for (const [name, layout] of layouts) {
    it(`draws what cli-table3 draws: ${name}`, () => {
      const rows = name === 'no body rows' ? [] : body
      expect(drawTable(head, rows, layout)).toBe(drawTable(head, rows, layout, 'cli-table3'))
    })
  }

  it('leaves text with wide or zero-width characters to cli-table3', () => {
    expect(fitsGrid('dense_1 (None, 8)\n└ inner')).toBe(true)
    expect(fitsGrid('稠密层')).toBe(false)
    expect(fitsGrid('e\u0301')).toBe(false)
    expect(fitsGrid('tab\there')).toBe(false)
    const wide = {...DEMO_FUNCTIONAL, rows: DEMO_FUNCTIONAL.rows.map((row, i) => (i === 0 ? {...row, name: '输入层'} : row))}
    const lines = renderTable(wide, {color: false}).split('\n').filter((line) => line.startsWith('│'))
    // cli-table3 pads by display width: the row with 3 double-width characters is 3 code points shorter
    expect(new Set(lines.map((line) => [...line].length)).size).toBe(2)
  })
})
