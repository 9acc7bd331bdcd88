/**
 * `model.save()` from the command line: a model and its weights → a whole-model file, by the output's name
 * (output-kind.ts): `.keras` (write-keras-zip.ts), `.h5`/`.hdf5` (write-keras-h5.ts), a folder (TensorFlow.js,
 * write-tfjs.ts). The weights are a weights file matched as load-weights does, else the weights the model
 * file carries, else fresh ones from the config's initialisers, as Keras would hold them right after
 * from_config(). Layers a by-name load leaves without weights keep fresh initial weights too, as Keras's
 * model would, so the file written always holds every weight the model has.
 */
import type {Warning} from '../errors.js'
import {summarize} from '../graph/summarize.js'
import type {ModelSummary} from '../graph/summary-types.js'
import {namedBy} from '../model/dialect-legacy.js'
import type {ModelSpec} from '../model/spec.js'
import type {ReadResult} from '../read.js'
import {freshModelWeights} from '../weights/fresh.js'
import {loadInto, retarget} from '../weights/load.js'
import type {ModelOutputFormat} from '../weights/output-kind.js'
import type {WeightsFile} from '../weights/types.js'
import {writeKerasH5Model} from './write-keras-h5.js'
import {writeKerasZip} from './write-keras-zip.js'

/** Where the weights written came from (`--json` weightsSource). */
export type WeightsSource = 'model-file' | 'weights-file' | 'initializers'

/** The weights to save and their origin. */
export interface SaveWeights {
  file: WeightsFile
  source: WeightsSource
  warnings: Warning[]
}

/** Options of weightsToSave. */
export interface SaveWeightsOptions {
  /** A weights file to load (path), matched by order or `byName`. */
  weights?: string | undefined
  byName: boolean
  /** Seed of fresh weights. */
  seed: number
}

/** Replaces the named layers' weights by fresh ones (same layer order: both are the model's layers). */
function fillFrom(file: WeightsFile, fresh: WeightsFile, names: ReadonlySet<string>): WeightsFile {
  const byName = new Map(fresh.layers.map((l) => [l.name, l]))
  return {...file, layers: file.layers.map((l) => (names.has(l.name) ? byName.get(l.name) ?? l : l))}
}

/**
 * The weights `save` writes for `read.model`, retargeted to its layers: `opts.weights` if given, else what the
 * model file (`modelPath`) carries, else fresh. WeightsError as load-weights for files that do not fit.
 */
export async function weightsToSave(read: ReadResult, modelPath: string, opts: SaveWeightsOptions): Promise<SaveWeights> {
  const {readWeights} = await import('../weights/read.js')
  const model = read.model
  const summary = summarize(model)
  const carries = modelPath !== '-' && ['keras-h5', 'keras-zip', 'tfjs'].includes(read.format)
  const given = opts.weights !== undefined ? await readWeights(opts.weights) : carries ? await readWeights(modelPath) : null
  if (given === null || !given.layers.some((l) => l.weights.length > 0)) {
    const warnings: Warning[] = [{path: read.source, message: `the model carries no weights: writing fresh initial weights drawn from its initialisers (seed ${opts.seed})`}]
    return {file: freshModelWeights(model, summary, opts.seed), source: 'initializers', warnings}
  }
  const file = retarget(loadInto(model, given, {byName: opts.byName, skipMismatch: false}), model, {fill: false})
  const source: WeightsSource = opts.weights !== undefined ? 'weights-file' : 'model-file'
  return {...completeForModel(file, model, opts.seed, summary), source}
}

/**
 * The file with the layers a load left without weights (by name, skip-mismatch) given fresh initial weights,
 * as the model Keras holds after such a load would save them, and a warning naming them.
 */
export function completeForModel(file: WeightsFile, model: ModelSpec, seed: number, summary: ModelSummary = summarize(model)): {file: WeightsFile; warnings: Warning[]} {
  const expected = new Map(summary.rows.map((r) => [r.name, r.weights?.length ?? 0]))
  const missing = file.layers.filter((l) => l.weights.length === 0 && (expected.get(l.name) ?? 0) > 0).map((l) => l.name)
  if (missing.length === 0) return {file, warnings: []}
  const warnings: Warning[] = [{path: missing.join(', '), message: `${missing.length} layer(s) got no weights from the file: written with fresh initial weights (seed ${seed})`}]
  return {file: fillFrom(file, freshModelWeights(model, summary, seed), new Set(missing)), warnings}
}

/** Options of saveModel. */
export interface SaveModelOptions {
  force: boolean
  /** The model's file, named in a refusal's message (a part the output format cannot hold). */
  source?: string | undefined
  quantize?: 'float16' | 'uint8' | 'uint16' | undefined
  shardSizeBytes?: number | undefined
}

/** What saveModel wrote. */
export interface SavedModel {
  kerasVersion: string
  /** Files written (the output itself, or a tfjs folder's members). */
  files: string[]
  warnings: Warning[]
}

/** Writes `model` with `file` (the model's layers, retargeted) to `path` in `format`. */
export async function saveModel(path: string, format: ModelOutputFormat, model: ModelSpec, file: WeightsFile, opts: SaveModelOptions): Promise<SavedModel> {
  try {
    if (format === 'keras') {
      const r = await writeKerasZip(path, model, file, opts.force)
      return {kerasVersion: r.kerasVersion, files: [path], warnings: r.warnings}
    }
    if (format === 'h5') {
      const r = await writeKerasH5Model(path, model, file, opts.force)
      return {kerasVersion: r.kerasVersion, files: [path], warnings: r.warnings}
    }
    const {writeTfjsModel} = await import('./write-tfjs.js')
    const r = await writeTfjsModel(path, model, file, {force: opts.force, ...(opts.quantize === undefined ? {} : {quantize: opts.quantize}), ...(opts.shardSizeBytes === undefined ? {} : {shardSizeBytes: opts.shardSizeBytes})})
    return {kerasVersion: model.keras_version ?? 'unknown', files: r.files, warnings: r.warnings}
  } catch (error) {
    throw namedBy(opts.source, error)
  }
}
