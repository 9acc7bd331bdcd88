/**
 * Real Keras files (../shared/interop) read with h5py, turned into a WeightsFile, re-written by kmodel and
 * compared object by object with h5py: same paths, attributes, string kinds, dtypes, shapes and bytes.
 * Known, documented differences: the string padding flag (h5wasm cannot write NULLPAD), h5py ≥ 3's
 * vlen string lists (kmodel writes Keras's fixed `S<n>` arrays), and the optimizer (not weights).
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import type {LayerWeights, WeightTensor, WeightsFile} from '../../../src/core/weights/types.js'
import {writeWeightsH5} from '../../../src/core/weights/write-h5.js'
import {type FileInfo, type NodeInfo, type ViewWeight, describeH5, fromNumpy, h5dumpParses, hasH5dump, hasH5py, kerasView} from '../../helpers/h5-describe.js'
import {HAVE_INTEROP, INTEROP, announceSkip} from '../../helpers/paths.js'
import {tmp} from '../../helpers/weights-file.js'

if (!HAVE_INTEROP) announceSkip('write-interop', `${INTEROP} is absent`)

const toTensor = (w: ViewWeight | {name: string; dtype?: string | undefined; shape?: number[] | undefined; data?: string | undefined}): WeightTensor => {
  const {dtype, data} = fromNumpy(w.dtype ?? '', w.data ?? '')
  return {name: w.name, shape: w.shape ?? [], dtype, data}
}

/** A keras2 file as Keras's loader sees it (layer_names → weight_names → datasets). */
function keras2File(path: string): WeightsFile {
  const view = kerasView(path)
  const layers: LayerWeights[] = view.layers.map((l) => ({name: l.name, path: `/${l.name}`, name_is_layer_name: true, weights: l.weights.map(toTensor)}))
  return {layout: 'keras2', source: path, keras_version: view.keras_version, backend: view.backend, layers, top_level: (view.top_level ?? []).map(toTensor)}
}

/** Numeric order of Keras 3 variable paths inside one layer (`cell/vars/10` after `cell/vars/2`). */
const varOrder = (a: string, b: string): number => {
  const [pa, ia] = [a.replace(/\d+$/, ''), Number(/\d+$/.exec(a)?.[0])]
  const [pb, ib] = [b.replace(/\d+$/, ''), Number(/\d+$/.exec(b)?.[0])]
  return pa === pb ? ia - ib : pa < pb ? -1 : 1
}

/** A keras3 file from h5py's description: layer keys, names from `vars` attrs, tensors by variable path. */
function keras3File(info: FileInfo): {file: WeightsFile; keys: string[]; modelName: string | undefined; varsNames: Record<string, string>} {
  const nodes = info.nodes
  const name = (path: string): string | undefined => nodes.find((n) => n.path === path)?.attrs.name?.value as string | undefined
  const tensorsUnder = (prefix: string): WeightTensor[] => nodes
    .filter((n) => n.kind === 'dataset' && n.path.startsWith(prefix))
    .map((n) => ({...toTensor({name: n.path.slice(prefix.length), dtype: n.dtype, shape: n.shape, data: n.data})}))
    .sort((a, b) => varOrder(a.name, b.name))
  const keys = nodes.map((n) => /^\/layers\/([^/]+)$/.exec(n.path)?.[1]).filter((k): k is string => k !== undefined)
  const layers: LayerWeights[] = keys.map((key) => ({name: name(`/layers/${key}/vars`) ?? key, path: `/layers/${key}`, name_is_layer_name: true, weights: tensorsUnder(`/layers/${key}/`)}))
  const varsNames: Record<string, string> = {}
  for (const n of nodes) {
    const m = /^\/(layers\/[^/]+\/.+)\/vars$/.exec(n.path)
    if (m?.[1] !== undefined && typeof n.attrs.name?.value === 'string') varsNames[m[1]] = n.attrs.name.value
  }
  const file: WeightsFile = {layout: 'keras3', source: 'interop', keras_version: null, backend: null, layers, top_level: tensorsUnder('/vars/')}
  return {file, keys, modelName: name('/vars'), varsNames}
}

/** A node without what may legitimately differ: the padding flag (and, if asked, vlen vs fixed strings). */
function comparable(node: NodeInfo, vlenListsBecomeFixed: boolean): unknown {
  const attrs = Object.fromEntries(Object.entries(node.attrs).map(([k, a]) => {
    const {strpad: _pad, ...rest} = a
    if (vlenListsBecomeFixed && a.type !== 'numeric' && a.shape.length === 1) return [k, {value: a.value, cset: a.cset, shape: a.shape}]
    return [k, rest]
  }))
  return {path: node.path, kind: node.kind, attrs, dtype: node.dtype, shape: node.shape, sha256: node.sha256}
}

const entries = [
  {file: 'ccfraud-mlp-k205/model.h5', layout: 'keras2' as const, vlenLists: false},
  {file: 'recommender-func-k218/model_weights.h5', layout: 'keras2' as const, vlenLists: true},
  {file: 'bankchurn-k3-weights/model.weights.h5', layout: 'keras3' as const, vlenLists: false},
  {file: 'k3-diabetes-json-weights/model.weights.h5', layout: 'keras3' as const, vlenLists: false},
]

describe.skipIf(!hasH5py || !HAVE_INTEROP)('re-writing real Keras files gives the same structure', () => {
  const dir = tmp()
  afterAll(() => dir.cleanup())

  for (const entry of entries) {
    const source = join(INTEROP, entry.file)
    it.skipIf(!existsSync(source))(`${entry.file} (${entry.layout})`, async () => {
      const original = describeH5(source, entry.layout === 'keras3')
      const out = dir.file(entry.file.replace('/', '--'))
      if (entry.layout === 'keras2') {
        await writeWeightsH5(out, keras2File(source), {layout: 'keras2', force: false})
      } else {
        const {file, keys, modelName, varsNames} = keras3File(original)
        await writeWeightsH5(out, file, {layout: 'keras3', force: false, keras3Keys: keys, keras3VarsNames: varsNames, ...(modelName === undefined ? {} : {modelName})})
      }
      const keep = (n: NodeInfo): boolean => !n.path.startsWith('/optimizer')
      const want = original.nodes.filter(keep).map((n) => comparable(n, entry.vlenLists))
      const got = describeH5(out).nodes.map((n) => comparable(n, entry.vlenLists))
      const sort = (xs: unknown[]): unknown[] => [...xs].sort((a, b) => ((a as {path: string}).path < (b as {path: string}).path ? -1 : 1))
      expect(sort(got)).toEqual(sort(want))
      if (entry.vlenLists) {
        const root = describeH5(out).nodes[0]
        expect(root?.attrs.layer_names).toMatchObject({type: 'fixed', cset: 'ascii'})
      }
      if (hasH5dump) expect(h5dumpParses(out).ok).toBe(true)
    })
  }
})
