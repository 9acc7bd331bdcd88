/**
 * Reads every HDF5 and .keras file of the real-Keras corpus in ../shared/interop (MANIFEST.tsv) with the
 * container readers: full models must yield {class_name, config} and the manifest's keras_version;
 * weights-only files must be recognised as such. Skipped, loudly, when the corpus is absent.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {type H5Kind, readKerasH5Model, sniffH5Kind} from '../../src/core/formats/keras-h5.js'
import {listKerasZip, readKerasZip, readKerasZipEntry} from '../../src/core/formats/keras-zip.js'
import {type H5Group, getGroup, hdf5SignatureOffset, readStringAttr, readStringListAttr, withH5File} from '../../src/core/io/hdf5.js'
import {isObject} from '../../src/core/json.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CORPUS = join(ROOT, '..', 'shared', 'interop')
const present = existsSync(join(CORPUS, 'MANIFEST.tsv'))

if (!present) {
  console.warn(`\n*** WARNING: interop corpus not found at ${CORPUS}: the real-Keras container tests are SKIPPED. ***\n`)
}

interface Row {
  entry: string
  file: string
  kerasVersion: string | null
  attrs: string
}

/** Container rows of MANIFEST.tsv (tab-separated, no quoting, header first). */
function containerRows(): Row[] {
  if (!present) return []
  const [header = '', ...lines] = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '')
  const col = (name: string): number => header.split('\t').indexOf(name)
  return lines
    .map((line) => line.split('\t'))
    .filter((cells) => /\.(h5|hdf5|keras)$/.test(cells[col('file')] ?? ''))
    .map((cells) => {
      const version = cells[col('keras_version')] ?? '-'
      return {
        entry: cells[col('short_name')] ?? '',
        file: cells[col('file')] ?? '',
        kerasVersion: ['-', 'None', ''].includes(version) ? null : version,
        attrs: cells[col('h5_or_format_attrs')] ?? '',
      }
    })
}

const rows = containerRows()
const pathOf = (row: Row): string => join(CORPUS, row.entry, row.file)
const isHdf5 = (row: Row): boolean => hdf5SignatureOffset(readFileSync(pathOf(row)).subarray(0, 4096)) >= 0
const expectedLayerNames = (row: Row): number | null => {
  const m = /layer_names=(\d+)/.exec(row.attrs)
  return m?.[1] === undefined ? null : Number(m[1])
}

describe.skipIf(!present)('real Keras containers in ../shared/interop', () => {
  it('finds the corpus rows', () => {
    expect(rows.length).toBeGreaterThan(30)
  })

  const hdf5Rows = rows.filter(isHdf5)
  const zipRows = rows.filter((row) => !isHdf5(row))

  it.each(hdf5Rows.map((row) => [`${row.entry}/${row.file}`, row] as const))('HDF5 %s', async (_name, row) => {
    const kind: H5Kind = await sniffH5Kind(pathOf(row))
    const layerNames = expectedLayerNames(row)
    if (kind === 'full-model') {
      const raw = await readKerasH5Model(pathOf(row))
      expect(isObject(raw.document) && typeof raw.document.class_name).toBe('string')
      expect(isObject(raw.document) && 'config' in raw.document).toBe(true)
      expect(raw.keras_version).toBe(row.kerasVersion)
      const names = await withH5File(pathOf(row), (root) => readStringListAttr(getGroup(root, 'model_weights') as H5Group, 'layer_names'))
      if (layerNames !== null) expect(names).toHaveLength(layerNames)
    } else if (kind === 'legacy-weights' || kind === 'keras3-weights') {
      await expect(readKerasH5Model(pathOf(row))).rejects.toMatchObject({code: 'KM_FORMAT_WEIGHTS_ONLY'})
      const root = await withH5File(pathOf(row), (r) => ({version: readStringAttr(r, 'keras_version'), names: readStringListAttr(r, 'layer_names')}))
      expect(root.version).toBe(row.kerasVersion)
      if (layerNames !== null) expect(root.names).toHaveLength(layerNames)
      expect(kind).toBe(row.attrs.includes('layer_names') ? 'legacy-weights' : 'keras3-weights')
    } else {
      // Only the dl4j reference input/output files are HDF5 without any Keras layout.
      expect(row.file).toMatch(/inputs_and_outputs\.h5$/)
      await expect(readKerasH5Model(pathOf(row))).rejects.toMatchObject({code: 'KM_FORMAT_H5_NOT_KERAS'})
    }
  })

  it.each(zipRows.map((row) => [`${row.entry}/${row.file}`, row] as const))('.keras zip %s', async (_name, row) => {
    const bytes = readFileSync(pathOf(row))
    const raw = readKerasZip(bytes, row.file)
    expect(raw.format).toBe('keras-zip')
    expect(isObject(raw.document) && typeof raw.document.class_name).toBe('string')
    expect(isObject(raw.document) && 'config' in raw.document).toBe(true)
    expect(raw.keras_version).toBe(row.kerasVersion)
    expect(listKerasZip(bytes, row.file).weights).toBe('model.weights.h5')
    // The weights member is the Keras 3 layout (hitsong: tf.keras 2.14's _layer_checkpoint_dependencies).
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-interop-'))
    try {
      writeFileSync(join(dir, 'model.weights.h5'), readKerasZipEntry(bytes, row.file, 'model.weights.h5') ?? new Uint8Array())
      expect(await sniffH5Kind(join(dir, 'model.weights.h5'))).toBe('keras3-weights')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('reads the HDF5 full model saved with a .keras extension by content', async () => {
    const raw = await readKerasH5Model(join(CORPUS, 'sentiment-h5-as-keras-k211', 'model.keras'))
    expect(raw).toMatchObject({keras_version: '2.11.0', backend: 'tensorflow', document: {class_name: 'Sequential'}})
  })
})
