import {describe, expect, it} from 'vitest'
import {loadPlotFont} from '../../../src/core/plot/fonts.js'
import {svgSizePt} from '../../../src/core/plot/render.js'

describe('the PNG font', () => {
  it('is a TrueType regular + bold pair whose metrics match the family Graphviz lays out for', async () => {
    const font = await loadPlotFont()
    expect(font.buffers).toHaveLength(2)
    for (const buffer of font.buffers) expect([...buffer.subarray(0, 4)]).toEqual([0, 1, 0, 0])
    const expected: Record<string, string> = {'Arimo': 'Helvetica', 'Liberation Sans': 'Helvetica', 'DejaVu Sans': 'DejaVu Sans'}
    expect(font.layoutName).toBe(expected[font.family])
  })
})

describe('svgSizePt', () => {
  it('reads the point size Graphviz writes on the root element', () => {
    expect(svgSizePt('<?xml version="1.0"?>\n<svg width="737pt" height="460.5pt"\n viewBox="0 0 737 460">')).toEqual({width: 737, height: 460.5})
    expect(svgSizePt('<svg width="100%">')).toBeUndefined()
  })
})
