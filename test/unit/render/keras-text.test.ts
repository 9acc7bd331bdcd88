import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {KERAS_STYLES, renderKerasText} from '../../../src/core/render/keras-text.js'
import {INTEROP_CASES} from './cases.js'
import {DEMO_FUNCTIONAL, DEMO_SEQUENTIAL, EDGE_FUNCTIONAL} from './demo-cases.js'
import {DOC_CASES} from './keras-doc-cases.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '../../..')
const interopRoot = path.resolve(repoRoot, '../shared/interop')
const hasInterop = existsSync(interopRoot)
const golden = (name: string): string => path.join(repoRoot, 'test/golden/summary', `${name}.txt`)

/** Keras pads lines with spaces and notebooks keep or drop them; compare without trailing whitespace. */
function normalize(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '')
}

describe('renderKerasText goldens (committed)', () => {
  for (const c of INTEROP_CASES) {
    it(`${c.id} (${c.style})`, async () => {
      await expect(renderKerasText(c.summary, {style: c.style}) + '\n').toMatchFileSnapshot(golden(c.id))
    })
  }

  for (const c of DOC_CASES) {
    it(`${c.id}`, async () => {
      const opts = {style: c.style, expandNested: c.expandNested === true, showTrainable: c.showTrainable === true}
      await expect(renderKerasText(c.summary, opts) + '\n').toMatchFileSnapshot(golden(c.id))
    })
  }

  const variants = [
    {suffix: '', opts: {}},
    {suffix: '.expand', opts: {expandNested: true}},
    {suffix: '.trainable', opts: {showTrainable: true}},
    {suffix: '.expand-trainable', opts: {expandNested: true, showTrainable: true}},
  ]
  // The edge model has no nested model, so its --expand-nested variants would repeat the plain ones.
  const demos = [
    {name: 'demo-functional', summary: DEMO_FUNCTIONAL, variants},
    {name: 'demo-sequential', summary: DEMO_SEQUENTIAL, variants},
    {name: 'edge-functional', summary: EDGE_FUNCTIONAL, variants: variants.filter((v) => !v.suffix.includes('expand'))},
  ]
  for (const demo of demos) {
    for (const style of KERAS_STYLES) {
      for (const v of demo.variants) {
        it(`${demo.name} keras-${style}${v.suffix}`, async () => {
          const text = renderKerasText(demo.summary, {style, ...v.opts})
          await expect(text + '\n').toMatchFileSnapshot(golden(`${demo.name}.keras-${style}${v.suffix}`))
        })
      }
    }
  }
})

describe('renderKerasText layout invariants', () => {
  const all = [DEMO_FUNCTIONAL, DEMO_SEQUENTIAL, EDGE_FUNCTIONAL, ...INTEROP_CASES.map((c) => c.summary)]
  const flags = [{}, {expandNested: true}, {showTrainable: true}, {expandNested: true, showTrainable: true}]

  it('draws every Keras 3 table line exactly 76 characters wide by default', () => {
    for (const summary of all) {
      for (const f of flags) {
        const lines = renderKerasText(summary, {style: '3', ...f}).split('\n')
        for (const line of lines.filter((l) => /^[┏┃┡│├└]/.test(l))) expect([...line].length).toBe(76)
      }
    }
  })

  it('pads every Keras 2 row to the line length (plus 11 with a Trainable column)', () => {
    for (const summary of all) {
      for (const style of ['2.12', '2.13'] as const) {
        for (const f of flags) {
          const base = summary.sequential_like ? 65 : 98
          const width = base + ('showTrainable' in f ? 11 : 0)
          const lines = renderKerasText(summary, {style, ...f}).split('\n')
          const rows = lines.filter((l) => !/^(Model:|Total|Trainable|Non-trainable)/.test(l))
          for (const line of rows) expect([...line].length).toBe(width)
        }
      }
    }
  })

  it('honours an explicit line length', () => {
    const text = renderKerasText(DEMO_FUNCTIONAL, {style: '3', lineLength: 120})
    expect(text.split('\n')[1]).toHaveLength(120)
    const classic = renderKerasText(DEMO_FUNCTIONAL, {style: '2.6', lineLength: 120})
    expect(classic.split('\n')[1]).toBe('_'.repeat(120))
  })

  it('marks totals as lower bounds when params are unknown, in every style', () => {
    for (const style of KERAS_STYLES) {
      expect(renderKerasText(EDGE_FUNCTIONAL, {style})).toMatch(/Total params: at least 16,?052/)
    }
  })
})

if (!hasInterop) {
  console.warn(
    `\n*** SKIPPED: real Keras summaries not found at ${interopRoot}; ` +
      'renderKerasText was only checked against its own committed goldens. ***\n',
  )
}

describe('renderKerasText reproduces real Keras output (../shared/interop)', () => {
  for (const c of INTEROP_CASES) {
    it.skipIf(!hasInterop)(`${c.expected}`, () => {
      const expected = readFileSync(path.join(interopRoot, c.expected), 'utf8')
      expect(normalize(renderKerasText(c.summary, {style: c.style}))).toBe(normalize(expected))
    })
  }
})
