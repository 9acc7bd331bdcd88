/**
 * `kmodel weights show`: what a weights file holds, without h5py. Every tensor readWeights reads (layer,
 * weight name, shape, dtype, statistics), the container it came in (legacy save_weights HDF5, full-model .h5,
 * Keras 3 .weights.h5, .keras zip, tfjs), the Keras version and backend it records, whether optimizer state
 * is saved beside the weights (legacy `optimizer_weights` group, Keras 3 `optimizer/…` variables), totals and,
 * given a model, how the file's layers pair with the model's by order (as load-weights pairs them).
 *
 * readWeights holds every tensor of the file in memory at once; the statistics are computed one tensor at a
 * time over that.
 */
import {open} from 'node:fs/promises'
import {KmodelError, WeightsError} from '../errors.js'
import {type H5Group, datasetInfo, getDataset, getGroup, hasAttr, isHdf5File, listChildren, withH5File} from '../io/hdf5.js'
import {withStagedFile} from '../io/staging.js'
import type {ModelSpec} from '../model/spec.js'
import {loadInto} from './load.js'
import type {MatchReport} from './match.js'
import {readWeights} from './read.js'
import {DTYPE_BYTES, type TensorStats, tensorStats} from './show-stats.js'
import type {WeightTensor, WeightsFile, WeightsLayout} from './types.js'

/** Where the weights sit: a weights-only file, a full model's `model_weights`, a `.keras` zip, a tfjs model.json. */
export type WeightsContainer = 'weights' | 'full-model' | 'keras-zip' | 'tfjs'

/** One tensor as `weights show --json` reports it. */
export interface ShownTensor extends TensorStats {
  name: string
  shape: number[]
  dtype: string
  size: number
  bytes: number
}

/** One layer of the file (weightless ones too, as legacy `layer_names` lists them). */
export interface ShownLayer {
  name: string
  path: string
  /** False for Keras 3 files before 3.6, whose group keys are class names + counters, not layer names. */
  nameIsLayerName: boolean
  weights: ShownTensor[]
}

/** Optimizer state saved beside the weights (never loaded by kmodel; counted from the dataset shapes). */
export interface OptimizerState {
  present: boolean
  tensors: number
  params: number
}

/** How the file pairs with a model by order; `error` is the refusal load-weights would give, else null. */
export interface ShownPairing extends MatchReport {
  error: {code: string; message: string} | null
}

/** `weights show --json` result. */
export interface WeightsShowResult {
  file: string
  layout: WeightsLayout
  container: WeightsContainer
  kerasVersion: string | null
  backend: string | null
  optimizer: OptimizerState
  layers: ShownLayer[]
  topLevel: ShownTensor[]
  totals: {layers: number; layersWithWeights: number; tensors: number; params: number; bytes: number; nan: number; inf: number}
  pairing: ShownPairing | null
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]
const NO_OPTIMIZER: OptimizerState = {present: false, tensors: 0, params: 0}
/** Most group entries walked when counting optimizer datasets (a hostile file must not make this endless). */
const MAX_OPTIMIZER_ENTRIES = 1_000_000

function shownTensor(t: WeightTensor): ShownTensor {
  const size = t.data.length
  return {name: t.name, shape: t.shape, dtype: t.dtype, size, bytes: size * DTYPE_BYTES[t.dtype], ...tensorStats(t)}
}

/** Datasets below `group` (iteratively, capped) and their elements. */
function countDatasets(group: H5Group): OptimizerState {
  let tensors = 0
  let params = 0
  let entries = 0
  const stack: H5Group[] = [group]
  for (let g = stack.pop(); g !== undefined && entries < MAX_OPTIMIZER_ENTRIES; g = stack.pop()) {
    for (const child of listChildren(g)) {
      entries++
      if (child.kind === 'group') {
        const sub = getGroup(g, child.name)
        if (sub !== null) stack.push(sub)
      } else if (child.kind === 'dataset') {
        const ds = getDataset(g, child.name)
        if (ds === null) continue
        tensors++
        params += datasetInfo(ds).size
      }
    }
  }
  return {present: tensors > 0, tensors, params}
}

/** The optimizer group of an HDF5 weights file: legacy full model `optimizer_weights`, Keras 3 `optimizer`. */
function optimizerOf(root: H5Group): OptimizerState {
  const group = getGroup(root, 'optimizer_weights') ?? getGroup(root, 'optimizer')
  return group === null ? NO_OPTIMIZER : countDatasets(group)
}

async function startsWithZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r')
  try {
    const head = new Uint8Array(4)
    const {bytesRead} = await handle.read(head, 0, 4, 0)
    return bytesRead === 4 && ZIP_MAGIC.every((b, i) => head[i] === b)
  } finally {
    await handle.close()
  }
}

/** The optimizer state inside a `.keras` zip's `model.weights.h5` (staged in a private temp folder, always removed). */
async function zipOptimizer(path: string): Promise<OptimizerState> {
  const {kerasZipListing, kerasZipMember, withKerasZipFile} = await import('../formats/keras-zip.js')
  const {extractZipEntry} = await import('../io/zip-entry.js')
  return withKerasZipFile(path, path, async (zip) => {
    // Read through a file descriptor, the member streamed to disk: never the whole file in memory (#13).
    const entry = kerasZipListing(zip).weights === 'model.weights.h5' ? kerasZipMember(zip, 'model.weights.h5') : null
    if (entry === null) return NO_OPTIMIZER
    return withStagedFile('kmodel-show-', 'model.weights.h5', (staged) => extractZipEntry(zip, entry, staged), (staged) =>
      withH5File(staged, optimizerOf, {source: `${path} (model.weights.h5)`}))
  })
}

/** The container and optimizer state of a file readWeights has already read. */
async function probe(path: string, file: WeightsFile): Promise<{container: WeightsContainer; optimizer: OptimizerState}> {
  if (file.layout === 'tfjs') return {container: 'tfjs', optimizer: NO_OPTIMIZER}
  if (await isHdf5File(path)) {
    return withH5File(path, (root) => {
      const full = file.layout === 'keras2' && getGroup(root, 'model_weights') !== null && !hasAttr(root, 'layer_names')
      return {container: full ? 'full-model' : 'weights', optimizer: optimizerOf(root)}
    }, {source: path})
  }
  if (await startsWithZip(path)) return {container: 'keras-zip', optimizer: await zipOptimizer(path)}
  return {container: 'weights', optimizer: NO_OPTIMIZER}
}

/** load-weights' by-order pairing, every layer reported; a refusal (e.g. layer counts) is kept, not thrown. */
function pairWith(model: ModelSpec, file: WeightsFile): ShownPairing {
  try {
    const {report} = loadInto(model, file, {byName: false, skipMismatch: true})
    return {...report, error: null}
  } catch (error) {
    if (!(error instanceof WeightsError)) throw error
    return {mode: 'order', matched: [], skipped: [], mismatched: [], error: {code: (error as KmodelError).code, message: error.message}}
  }
}

function totals(layers: ShownLayer[], topLevel: ShownTensor[]): WeightsShowResult['totals'] {
  const all = [...layers.flatMap((l) => l.weights), ...topLevel]
  const sum = (f: (t: ShownTensor) => number): number => all.reduce((n, t) => n + f(t), 0)
  return {
    layers: layers.length, layersWithWeights: layers.filter((l) => l.weights.length > 0).length, tensors: all.length,
    params: sum((t) => t.size), bytes: sum((t) => t.bytes), nan: sum((t) => t.nan), inf: sum((t) => t.inf),
  }
}

/**
 * Everything `weights show` reports about the weights file at `path`; with `model`, the by-order pairing too.
 * Errors are readWeights' (InputError, FormatError, WeightsError for unreadable tensors).
 */
export async function showWeights(path: string, model?: ModelSpec): Promise<WeightsShowResult> {
  const file = await readWeights(path)
  const {container, optimizer} = await probe(path, file)
  const layers: ShownLayer[] = file.layers.map((l) => ({name: l.name, path: l.path, nameIsLayerName: l.name_is_layer_name, weights: l.weights.map(shownTensor)}))
  const topLevel = file.top_level.map(shownTensor)
  return {
    file: path, layout: file.layout, container, kerasVersion: file.keras_version, backend: file.backend, optimizer,
    layers, topLevel, totals: totals(layers, topLevel), pairing: model === undefined ? null : pairWith(model, file),
  }
}
