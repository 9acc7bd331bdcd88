/**
 * The engine against real Keras files: for every architecture file in ../shared/interop, the summary's
 * Total params must equal the parameter count of the entry's weights (MANIFEST `weight_elements_model_only`),
 * or the `Total params` line of the entry's real Keras summary when no weights file is counted. A model whose
 * shapes pass through an opaque layer (a Lambda without output_shape) must say its totals are a lower bound.
 */
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {summarize} from '../../src/core/graph/summarize.js'
import {readModel} from '../../src/core/read.js'

const INTEROP = process.env.KMODEL_INTEROP ?? fileURLToPath(new URL('../../../shared/interop', import.meta.url))
const SRC = fileURLToPath(new URL('../../src/core/formats/', import.meta.url))
const present = existsSync(join(INTEROP, 'MANIFEST.tsv'))
if (!present) console.warn(`interop: ${INTEROP} is absent; the real-file engine tests are SKIPPED.`)

/** Totals published for well-known architectures (keras.applications.MobileNet 1.0/224: 4,253,864). */
const PUBLISHED: Readonly<Record<string, number>> = {'mobilenet-json-k220/model.json': 4_253_864}

interface Entry {
  short: string
  file: string
  modelClass: string
  count: number | undefined
}

function manifest(): Entry[] {
  const [header, ...lines] = readFileSync(join(INTEROP, 'MANIFEST.tsv'), 'utf8').trim().split('\n')
  const cols = (header ?? '').split('\t')
  const at = (row: string[], name: string): string => row[cols.indexOf(name)] ?? ''
  return lines.map((line) => line.split('\t')).map((row) => ({
    short: at(row, 'short_name'),
    file: at(row, 'file'),
    modelClass: at(row, 'model_class'),
    count: at(row, 'weight_elements_model_only') === '' ? undefined : Number(at(row, 'weight_elements_model_only')),
  }))
}

/** The entry's expected total: a weights-file count, else the Total params line of a real summary. */
function expectedTotal(entries: Entry[], short: string): number | undefined {
  const counted = entries.find((e) => e.short === short && e.count !== undefined)
  if (counted !== undefined) return counted.count
  const dir = join(INTEROP, short)
  for (const name of readdirSync(dir).filter((f) => /^expected_summary.*(?<!ansi)\.txt$/.test(f))) {
    const m = /Total params: ([\d,]+)/.exec(readFileSync(join(dir, name), 'utf8'))
    if (m?.[1] !== undefined) return Number(m[1].replaceAll(',', ''))
  }
  return undefined
}

/** Whether the reader for the file's container is in the tree yet (HDF5 and zip readers are loaded lazily). */
function readerMissing(path: string): string | undefined {
  const head = readFileSync(path).subarray(0, 8)
  if (head[0] === 0x89 && head.subarray(1, 4).toString() === 'HDF' && !existsSync(join(SRC, 'keras-h5.ts'))) return 'keras-h5 reader'
  if (head.subarray(0, 2).toString() === 'PK' && !existsSync(join(SRC, 'keras-zip.ts'))) return 'keras-zip reader'
  return undefined
}

/** Rows of a real summary text (any Keras generation): name, output shape (batch first) and Param #. */
function summaryRows(text: string): Map<string, {shape: Array<number | null>; params: number}> {
  const rows = new Map<string, {shape: Array<number | null>; params: number}>()
  const row = /^[│ ]*([\w.\-/]+) \(\w*\)?[│ ]+\[?\(((?:None|\d+)(?:, (?:None|\d+))*,?)\)\]?[│ ]+([\d,]+)/u
  for (const line of text.split('\n')) {
    const m = row.exec(line)
    if (m === null) continue
    const shape = (m[2] ?? '').split(',').map((d) => d.trim()).filter((d) => d !== '').map((d) => (d === 'None' ? null : Number(d)))
    rows.set(m[1] ?? '', {shape, params: Number((m[3] ?? '').replaceAll(',', ''))})
  }
  return rows
}

describe.skipIf(!present)('engine on real Keras files', () => {
  const entries = present ? manifest() : []
  const architectures = entries.filter((e) => e.modelClass !== '-' && e.modelClass !== '')
  for (const entry of architectures) {
    const path = join(INTEROP, entry.short, entry.file)
    const expected = expectedTotal(entries, entry.short)
    const missing = readerMissing(path)
    if (missing !== undefined) console.warn(`interop: ${entry.short}/${entry.file} SKIPPED (no ${missing} yet).`)
    if (expected === undefined) {
      console.warn(`interop: ${entry.short}/${entry.file}: no parameter oracle, only checked to summarise without error.`)
      it.skipIf(missing !== undefined)(`${entry.short}/${entry.file}: summarises`, async () => {
        const summary = summarize((await readModel(path)).model)
        expect(summary.rows.length).toBeGreaterThan(0)
        const published = PUBLISHED[`${entry.short}/${entry.file}`]
        if (published !== undefined) expect(summary.total_params).toBe(published)
      })
      continue
    }
    it.skipIf(missing !== undefined)(`${entry.short}/${entry.file}: total params`, async () => {
      const {model} = await readModel(path)
      const summary = summarize(model)
      if (summary.params_exact) {
        expect(summary.total_params).toBe(expected)
      } else {
        // An opaque layer (Lambda, custom) hides a shape: the totals are a lower bound, as the summary says.
        console.warn(`interop: ${entry.short}/${entry.file}: params are a lower bound (${summary.total_params} ≤ ${expected}).`)
        expect(summary.total_params).toBeLessThanOrEqual(expected)
      }
    })
  }
})

describe.skipIf(!present)('engine rows against real Keras summaries', () => {
  const entries = present ? manifest() : []
  for (const short of [...new Set(entries.map((e) => e.short))]) {
    const dir = join(INTEROP, short)
    const texts = readdirSync(dir).filter((f) => /^expected_summary.*(?<!ansi)\.txt$/.test(f))
    const files = entries.filter((e) => e.short === short && e.modelClass !== '-' && readerMissing(join(dir, e.file)) === undefined)
    for (const text of texts) {
      for (const file of files) {
        it(`${short}/${file.file} vs ${text}: output shapes and Param # of every row with the same name`, async () => {
          const expected = summaryRows(readFileSync(join(dir, text), 'utf8'))
          const summary = summarize((await readModel(join(dir, file.file))).model)
          const matched = summary.rows.filter((r) => expected.has(r.name))
          if (matched.length === 0) console.warn(`interop: ${short}/${file.file}: no row names in common with ${text} (renamed layers).`)
          for (const r of matched) {
            expect.soft(r.output_shape, r.name).toEqual(expected.get(r.name)?.shape)
            expect.soft(r.params, r.name).toBe(expected.get(r.name)?.params)
          }
        })
      }
    }
  }
})
