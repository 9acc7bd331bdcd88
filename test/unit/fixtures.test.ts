/** Every bundled fixture against its expectation in fixtures/MANIFEST.json (netron's test/models.json idea). */
import {readFileSync, readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {summarizeRead} from '../../src/core/batch.js'
import {readModel} from '../../src/core/read.js'
import {FIXTURES, fixture} from '../helpers/paths.js'
import {errorOf} from '../helpers/read.js'

interface Entry {
  file: string
  keras_version: string | null
  format: string
  provenance: string
  expect: {layers: number; params: number} | {error: string}
}
const entries = JSON.parse(readFileSync(fixture('MANIFEST.json'), 'utf8')) as Entry[]

describe('fixtures/MANIFEST.json', () => {
  it('lists every fixture file', () => {
    const files = readdirSync(FIXTURES).filter((f) => f !== 'MANIFEST.json').sort()
    expect(entries.map((e) => e.file).sort()).toEqual(files)
  })

  it.each(entries.map((e) => [e.file, e] as const))('%s', async (_name, entry) => {
    if ('error' in entry.expect) {
      expect((await errorOf(readModel(fixture(entry.file)))).code).toBe(entry.expect.error)
      return
    }
    const read = await readModel(fixture(entry.file))
    expect(read.format).toBe(entry.format)
    expect(read.model.keras_version).toBe(entry.keras_version)
    // As `kmodel summary` counts: custom layers settled from the weights a .keras / full-model .h5 carries.
    const {summary, warnings} = await summarizeRead(read, {flops: false})
    expect(warnings).toEqual([])
    expect(summary.rows).toHaveLength(entry.expect.layers)
    expect(summary.total_params).toBe(entry.expect.params)
    expect(summary.params_exact).toBe(true)
  })
})
