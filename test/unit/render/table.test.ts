import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {renderTable} from '../../../src/core/render/table.js'
import {INTEROP_CASES} from './cases.js'
import {DEMO_FUNCTIONAL, DEMO_SEQUENTIAL, EDGE_FUNCTIONAL} from './demo-cases.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const golden = (name: string): string => path.join(repoRoot, 'test/golden/summary', `${name}.txt`)
// eslint-disable-next-line no-control-regex -- stripping ANSI escapes
const stripAnsi = (text: string): string => text.replaceAll(/\u001B\[[0-9;]*m/g, '')

describe('renderTable goldens', () => {
  const cases = [
    {name: 'demo-functional.table', summary: DEMO_FUNCTIONAL, opts: {}},
    {name: 'demo-functional.table.expand-trainable', summary: DEMO_FUNCTIONAL, opts: {expandNested: true, showTrainable: true}},
    {name: 'demo-sequential.table.expand', summary: DEMO_SEQUENTIAL, opts: {expandNested: true}},
    {name: 'edge-functional.table', summary: EDGE_FUNCTIONAL, opts: {}},
    {name: 'edge-functional.table.width-60', summary: EDGE_FUNCTIONAL, opts: {width: 60}},
  ]
  for (const c of cases) {
    it(c.name, async () => {
      await expect(renderTable(c.summary, {color: false, ...c.opts}) + '\n').toMatchFileSnapshot(golden(c.name))
    })
  }

  const recommender = INTEROP_CASES.find((c) => c.id === 'recommender-func-k218')
  it('recommender-func-k218.table.expand', async () => {
    if (recommender === undefined) throw new Error('missing case')
    const text = renderTable(recommender.summary, {color: false, expandNested: true})
    await expect(text + '\n').toMatchFileSnapshot(golden('recommender-func-k218.table.expand'))
  })
})

describe('renderTable', () => {
  it('adds colour only when asked, and the text is otherwise identical', () => {
    const plain = renderTable(DEMO_FUNCTIONAL, {color: false})
    const coloured = renderTable(DEMO_FUNCTIONAL, {color: true})
    expect(plain).not.toContain('\u001B[')
    expect(coloured).toContain('\u001B[1m')
    expect(stripAnsi(coloured)).toBe(plain)
  })

  it('says the totals are lower bounds when some params are unknown', () => {
    const text = renderTable(EDGE_FUNCTIONAL, {color: false})
    expect(text).toContain('Total params: at least 16,052')
    expect(text).toContain('Note: the weights of 1 layer (clustering) are unknown, so these totals are lower bounds.')
  })

  it('keeps every line within the requested width', () => {
    const text = renderTable(EDGE_FUNCTIONAL, {color: false, width: 60})
    const tableLines = text.split('\n').filter((line) => /^[┌│├└]/.test(line))
    for (const line of tableLines) expect([...line].length).toBeLessThanOrEqual(60)
  })
})
