/**
 * The shape and parameter engine against real Keras files in ../shared/interop (skipped, loudly, when absent):
 * 1. every architecture file's Total params equals the entry's weights-file count (MANIFEST
 *    `weight_elements_model_only`), or its real summary's `Total params` line; a model whose shapes pass
 *    through an opaque layer (a Lambda without output_shape) must say its totals are a lower bound;
 * 2. rows of the real `model.summary()` texts: output shape and Param # of every row with the same name;
 * 3. the expected weights of every layer against the tensors the real weights file holds (shapes in saved
 *    order, and names: the file's name ends with the engine's relative name), for files written by Keras ≥ 2.
 */
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {summarize} from '../../src/core/graph/summarize.js'
import {readModel} from '../../src/core/read.js'
import {readWeights} from '../../src/core/weights/read.js'
import {type ManifestRow, architectureFiles, manifest} from '../helpers/interop.js'
import {HAVE_INTEROP, INTEROP, announceSkip} from '../helpers/paths.js'

if (!HAVE_INTEROP) announceSkip('interop engine', `the real-Keras corpus is not at ${INTEROP}`)

/** Totals published for well-known architectures (keras.applications.MobileNet 1.0/224: 4,253,864). */
const PUBLISHED: Readonly<Record<string, number>> = {'mobilenet-json-k220/model.json': 4_253_864}

const rows: ManifestRow[] = HAVE_INTEROP ? manifest() : []
const architectures: ManifestRow[] = HAVE_INTEROP ? architectureFiles() : []
const summaryTexts = (entry: string): string[] =>
  readdirSync(join(INTEROP, entry)).filter((f) => /^expected_summary.*\.txt$/.test(f) && !f.includes('.ansi.'))

/** The entry's expected total: a weights-file count, else the Total params line of a real summary. */
function expectedTotal(entry: string): number | undefined {
  const counted = rows.find((r) => r.entry === entry && r.weight_elements !== null)
  if (counted?.weight_elements !== undefined && counted.weight_elements !== null) return counted.weight_elements
  for (const name of summaryTexts(entry)) {
    const m = /Total params: ([\d,]+)/.exec(readFileSync(join(INTEROP, entry, name), 'utf8'))
    if (m?.[1] !== undefined) return Number(m[1].replaceAll(',', ''))
  }
  return undefined
}

/** Rows of a real summary text (any Keras generation): name → output shape (batch first) and Param #. */
function summaryRows(text: string): Map<string, {shape: Array<number | null>; params: number}> {
  const out = new Map<string, {shape: Array<number | null>; params: number}>()
  const row = /^[│ ]*([\w.\-/]+) \(\w*\)?[│ ]+\[?\(((?:None|\d+)(?:, (?:None|\d+))*,?)\)\]?[│ ]+([\d,]+)/u
  for (const line of text.split('\n')) {
    const m = row.exec(line)
    if (m === null) continue
    const shape = (m[2] ?? '').split(',').map((d) => d.trim()).filter((d) => d !== '').map((d) => (d === 'None' ? null : Number(d)))
    out.set(m[1] ?? '', {shape, params: Number((m[3] ?? '').replaceAll(',', ''))})
  }
  return out
}

describe.skipIf(!HAVE_INTEROP)('engine totals on real Keras files', () => {
  for (const arch of architectures) {
    const expected = expectedTotal(arch.entry)
    const label = `${arch.entry}/${arch.file}`
    if (expected === undefined) {
      it(`${label}: summarises (no parameter oracle)`, async () => {
        const summary = summarize((await readModel(arch.path)).model)
        expect(summary.rows.length).toBeGreaterThan(0)
        const published = PUBLISHED[label]
        if (published !== undefined) expect(summary.total_params).toBe(published)
      })
      continue
    }
    it(`${label}: total params`, async () => {
      const summary = summarize((await readModel(arch.path)).model)
      if (summary.params_exact) {
        expect(summary.total_params).toBe(expected)
      } else {
        console.warn(`interop: ${label}: params are a lower bound (${summary.total_params} ≤ ${expected}).`)
        expect(summary.total_params).toBeLessThanOrEqual(expected)
      }
    })
  }
})

describe.skipIf(!HAVE_INTEROP)('engine rows against real Keras summaries', () => {
  for (const arch of architectures) {
    for (const text of HAVE_INTEROP ? summaryTexts(arch.entry) : []) {
      it(`${arch.entry}/${arch.file} vs ${text}: output shape and Param # of rows with the same name`, async () => {
        const expected = summaryRows(readFileSync(join(INTEROP, arch.entry, text), 'utf8'))
        const summary = summarize((await readModel(arch.path)).model)
        const matched = summary.rows.filter((r) => expected.has(r.name))
        if (matched.length === 0) console.warn(`interop: ${arch.entry}/${arch.file}: no row names in common with ${text} (renamed layers).`)
        for (const r of matched) {
          expect.soft(r.output_shape, r.name).toEqual(expected.get(r.name)?.shape)
          expect.soft(r.params, r.name).toBe(expected.get(r.name)?.params)
        }
      })
    }
  }
})

describe.skipIf(!HAVE_INTEROP)('engine weights against real weights files', () => {
  for (const arch of architectures) {
    // Keras 1 files store the Keras 1 layout (LSTM as 12 W_i/U_i/b_i… tensors, `dense_1_W`); Keras 2 converts it
    // when loading, so only the element counts (checked above) are comparable.
    const files = rows.filter((r) => r.entry === arch.entry && r.weight_elements !== null && !r.file.endsWith('.json'))
    for (const weightsRow of files) {
      it(`${arch.entry}/${arch.file} vs ${weightsRow.file}: weight shapes in saved order, names as suffixes`, async () => {
        const {model} = await readModel(arch.path)
        const summary = summarize(model)
        const file = await readWeights(weightsRow.path)
        if ([model.keras_version, file.keras_version, weightsRow.keras_version].some((v) => v?.startsWith('1.') === true)) return
        const byName = new Map(file.layers.filter((l) => l.name_is_layer_name).map((l) => [l.name, l.weights]))
        let compared = 0
        // A nested model is one group in the file holding all its sublayers' weights (`embedding/embeddings:0`).
        for (const r of summary.rows) {
          const actual = byName.get(r.name)
          if (actual === undefined || r.weights === null || (r.weights.length === 0 && actual.length === 0)) continue
          compared++
          expect.soft(r.weights.map((w) => w.shape), `${r.name} shapes`).toEqual(actual.map((t) => t.shape))
          if (file.layout !== 'keras2') continue
          r.weights.forEach((w, i) => {
            const real = (actual[i]?.name ?? '').replace(/:\d+$/, '')
            expect.soft(real.endsWith(w.name) || real.endsWith(w.name.replace(/^[^/]+_cell\//, '')), `${r.name}: '${real}' ends with '${w.name}'`).toBe(true)
          })
        }
        if (compared === 0) console.warn(`interop: ${arch.entry}/${arch.file} vs ${weightsRow.file}: no layer names in common.`)
      })
    }
  }
})
