/**
 * Test support for whole-model files kmodel writes (`save`): read each back with kmodel (readModel +
 * readWeights: the architecture it was meant to hold, the weights bit for bit) and with h5py (saved_model.py:
 * every tensor at the path Keras loads it from, the same bytes). Each check returns the differences found, so a
 * test can assert `[]` and print what went wrong.
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {join} from 'node:path'
import {keras3Config} from '../../src/core/formats/write-keras-zip.js'
import {legacyModelConfig} from '../../src/core/formats/write-keras-h5.js'
import {summarize} from '../../src/core/graph/summarize.js'
import type {JsonObject} from '../../src/core/json.js'
import {normalize} from '../../src/core/model/normalize.js'
import type {ModelSpec} from '../../src/core/model/spec.js'
import {readModel} from '../../src/core/read.js'
import {withKeras3Paths} from '../../src/core/weights/keras3-paths.js'
import {loadInto} from '../../src/core/weights/load.js'
import {readWeights} from '../../src/core/weights/read.js'
import {keras3Options} from '../../src/core/weights/save.js'
import type {WeightTensor, WeightsFile} from '../../src/core/weights/types.js'
import {architecture} from '../oracle/checks/files.js'
import {ROOT} from './paths.js'

export const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
export const HAVE_H5PY = spawnSync(PYTHON, ['-c', 'import h5py'], {stdio: 'ignore'}).status === 0

const bytesOf = (t: Pick<WeightTensor, 'data'>): Buffer => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)
const sha = (t: Pick<WeightTensor, 'data'>): string => createHash('sha256').update(bytesOf(t)).digest('hex')

/** The summary rows that define a model: names, classes, output shapes, parameter counts. */
function rows(model: ModelSpec): string {
  return JSON.stringify(summarize(model).rows.map((r) => [r.name, r.class_name, r.output_shape, r.params, r.trainable_params]))
}

/** The model the written document should read back as: the document the writer meant, normalised. */
function intended(model: ModelSpec, file: WeightsFile, format: 'keras' | 'h5'): ModelSpec {
  if (format === 'keras') {
    const {config} = keras3Config(model)
    return normalize({format: 'keras-zip', document: config, keras_version: keras3Options(file, model).kerasVersion, backend: null, training_config: null}, 'intended').model
  }
  const {config, kerasVersion} = legacyModelConfig(model, file)
  return normalize({format: 'keras-h5', document: config as JsonObject, keras_version: kerasVersion, backend: null, training_config: model.training_config}, 'intended').model
}

/**
 * kmodel reading `out` back: the architecture the writer meant (deep-equal canonical model) with the original's
 * summary (layers, shapes, parameters), and, loaded by order as load-weights loads, every weight of `file` bit
 * for bit. Returns the differences.
 */
export async function kmodelReadBack(out: string, format: 'keras' | 'h5', model: ModelSpec, file: WeightsFile): Promise<string[]> {
  const found: string[] = []
  const back = await readModel(out)
  if (JSON.stringify(architecture(back.model)) !== JSON.stringify(architecture(intended(model, file, format)))) found.push('the architecture read back is not the one written')
  if (rows(back.model) !== rows(model)) found.push(`summary rows differ: ${rows(back.model)} vs ${rows(model)}`)
  const {assignments} = loadInto(back.model, await readWeights(out), {byName: false, skipMismatch: false})
  const got = new Map(assignments.map((a) => [a.layer, a.weights.map((w) => w.tensor)]))
  for (const layer of file.layers) {
    const tensors = got.get(layer.name) ?? []
    if (tensors.length !== layer.weights.length) found.push(`layer ${layer.name}: ${tensors.length} weights read back, ${layer.weights.length} written`)
    layer.weights.forEach((w, i) => {
      const t = tensors[i]
      if (t !== undefined && (t.dtype !== w.dtype || JSON.stringify(t.shape) !== JSON.stringify(w.shape) || !bytesOf(t).equals(bytesOf(w)))) found.push(`layer ${layer.name} weight ${i}: not bit-identical`)
    })
  }
  return found
}

/** What saved_model.py reports. */
export interface H5pyView {
  zip: Array<{name: string; compress_type: number; date_time: number[]; external_attr: number}> | null
  metadata: {keras_version: string; date_saved: string} | null
  config: JsonObject | null
  attrs: Record<string, unknown>
  model_weights_attrs: Record<string, unknown> | null
  groups: Array<{path: string; attrs: Record<string, unknown>}>
  datasets: Array<{path: string; shape: number[]; dtype: string; sha256: string}>
}

/** h5py's view of a written .h5 or .keras. */
export function h5pyView(path: string): H5pyView {
  const run = spawnSync(PYTHON, [join(ROOT, 'test', 'helpers', 'saved_model.py'), path], {encoding: 'utf8', maxBuffer: 256 << 20})
  if (run.status !== 0) throw new Error(`saved_model.py failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as H5pyView
}

/** Where Keras loads each written tensor from, by format: `model_weights/<layer>/<name>` or `layers/<key>/<path>`. */
export function expectedDatasets(format: 'keras' | 'h5', model: ModelSpec, file: WeightsFile): Array<{path: string; tensor: WeightTensor}> {
  if (format === 'h5') return file.layers.flatMap((l) => l.weights.map((t) => ({path: `model_weights/${l.name}/${t.name}`, tensor: t})))
  const keys = keras3Options(file, model).keras3Keys
  return withKeras3Paths(file, model).layers.flatMap((l, i) => l.weights.map((t) => ({path: `layers/${keys[i] ?? l.name}/${t.name}`, tensor: t})))
}

/** h5py reading `out`: every tensor at its path with the same shape and bytes, and nothing else. Returns the differences. */
export function h5pyReadBack(out: string, format: 'keras' | 'h5', model: ModelSpec, file: WeightsFile): string[] {
  const view = h5pyView(out)
  const found: string[] = []
  const datasets = new Map(view.datasets.map((d) => [d.path, d]))
  const expected = expectedDatasets(format, model, file)
  for (const {path, tensor} of expected) {
    const d = datasets.get(path)
    if (d === undefined) found.push(`h5py finds no dataset ${path}`)
    else if (JSON.stringify(d.shape) !== JSON.stringify(tensor.shape) || d.sha256 !== sha(tensor)) found.push(`h5py: ${path} differs (${d.dtype}${JSON.stringify(d.shape)})`)
  }
  if (view.datasets.length !== expected.length) found.push(`h5py finds ${view.datasets.length} datasets, ${expected.length} written`)
  return found
}
