/** Reading ../shared/interop/MANIFEST.tsv: one row per file, 14 tab-separated columns. */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {INTEROP} from './paths.js'

export interface ManifestRow {
  entry: string
  file: string
  path: string
  keras_version: string
  model_class: string
  format_attrs: string
  weight_elements: number | null
  file_notes: string
}

/** All rows of the manifest. */
export function manifest(): ManifestRow[] {
  const lines = readFileSync(join(INTEROP, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '')
  return lines.slice(1).map((line) => {
    const c = line.split('\t')
    const we = c[11] ?? ''
    return {
      entry: c[0] ?? '', file: c[1] ?? '', path: join(INTEROP, c[0] ?? '', c[1] ?? ''), keras_version: c[5] ?? '',
      model_class: c[6] ?? '', format_attrs: c[10] ?? '', weight_elements: we === '' ? null : Number(we), file_notes: c[12] ?? '',
    }
  })
}

/** Rows whose file holds an architecture (JSON/YAML config, full-model h5, .keras, tfjs model.json). */
export function architectureFiles(): ManifestRow[] {
  return manifest().filter((r) => r.model_class !== '-' && r.model_class !== '' && !/\.(bin|weight|txt|ipynb)$/.test(r.file) && !/inputs_and_outputs/.test(r.file))
}
