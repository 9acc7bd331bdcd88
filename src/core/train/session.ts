/**
 * A model ready to train or evaluate: the backend chosen (and accelerated where the kernel path exists), the
 * model built in tfjs, its weights set. Initial weights, in Keras's order of precedence for a script that
 * loads before fitting: the weights file given, else the weights the model file carries (full-model .h5,
 * .keras, tfjs), else fresh weights drawn from the config's initialisers with the seed — so a run is
 * reproducible. Whatever the source, the weights go through load-weights' matching (by order, as
 * `load_weights` does) and become the *template*: the model's layers, named as Keras names them, into which
 * trained values are written back for checkpoints and `-o`.
 */
import {InternalError} from '../errors.js'
import {summarize} from '../graph/summarize.js'
import type {ModelSpec} from '../model/spec.js'
import {freshModelWeights} from '../weights/fresh.js'
import {loadInto, retarget} from '../weights/load.js'
import {toFloat32} from '../weights/convert.js'
import type {WeightsFile} from '../weights/types.js'
import type {BackendName, ConcreteBackend} from '../backend/select.js'
import type {Tfjs} from '../backend/runtime.js'
import type {ComputeModel, WeightValue} from '../compute/model.js'
import type {ModelPort} from './data.js'

/** A built model with its weights set. */
export interface Session {
  tf: Tfjs
  model: ModelSpec
  /** The model in kmodel's compute core (src/core/compute). */
  computeModel: ComputeModel
  backend: ConcreteBackend
  /** One line per acceleration step taken or not (BLAS kernels, wasm kernel fill). */
  notices: string[]
  inputs: ModelPort[]
  outputs: ModelPort[]
  /** The model's weights in Keras's layout; values are those set initially. */
  template: WeightsFile
  /** Where the initial weights came from. */
  initialWeights: 'file' | 'model-file' | 'initializers'
}

type Accelerator = (tf: Tfjs['core']) => {enabled?: boolean; reason?: string; filled?: string[]}

/** Loads an optional kernel module's entry point; undefined when the module or the export is absent. */
async function optionalExport(load: () => Promise<unknown>, name: string): Promise<Accelerator | undefined> {
  try {
    const module = (await load()) as Record<string, unknown>
    const fn = module[name]
    return typeof fn === 'function' ? (fn as Accelerator) : undefined
  } catch {
    return undefined // the accelerated path is optional: tfjs's own kernels are used
  }
}

/**
 * Activates `name` and the kernel path for it: on cpu the OpenBLAS kernels (backend/blas.ts), on wasm the
 * kernels tfjs-wasm lacks for training (backend/wasm-fill.ts). Both are optional; each notice says what happened.
 */
export async function prepareBackend(name: BackendName): Promise<{tf: Tfjs; backend: ConcreteBackend; notices: string[]}> {
  const {loadBackend} = await import('../backend/select.js')
  const {loadGradients, loadTfjs} = await import('../backend/runtime.js')
  const selection = await loadBackend(name)
  const tf = await loadTfjs()
  await loadGradients()
  const notices: string[] = []
  if (selection.name === 'cpu') {
    const enable = await optionalExport(() => import('../backend/blas.js'), 'enableBlasKernels')
    const status = enable?.(tf.core)
    notices.push(status === undefined ? 'cpu: accelerated kernels are not part of this build' : status.enabled === true ? `cpu: ${status.reason ?? 'BLAS kernels active'}` : `cpu: tfjs kernels (${status.reason ?? 'BLAS kernels unavailable'})`)
  } else if (selection.name === 'wasm') {
    const fill = await optionalExport(() => import('../backend/wasm-fill.js'), 'fillWasmKernels')
    const filled = fill?.(tf.core).filled
    if (filled !== undefined && filled.length > 0) notices.push(`wasm: added kernels ${filled.join(', ')}`)
  }
  return {tf, backend: selection.name, notices}
}

/** Per-layer values for setWeights from a template. */
function perLayer(template: WeightsFile): Map<string, WeightValue[]> {
  return new Map(template.layers.filter((l) => l.weights.length > 0).map((l) => [l.name, l.weights.map((w) => ({shape: w.shape, data: toFloat32(w)}))]))
}

/** Options of openSession. */
export interface SessionOptions {
  backend: BackendName
  /** The initial weights file's content, or null for fresh weights. */
  weights: WeightsFile | null
  /** 'file' when `weights` came from --initial-weights / --weights, 'model-file' when from the model file. */
  weightsSource: 'file' | 'model-file'
  seed: number
}

/** Builds `model` on the chosen backend with its initial weights. Layers holding code are refused (exit 6). */
export async function openSession(model: ModelSpec, options: SessionOptions): Promise<Session> {
  const {tf, backend, notices} = await prepareBackend(options.backend)
  const {buildComputeModel} = await import('../compute/model.js')
  const computeModel = buildComputeModel(tf.core, model, {seed: options.seed})
  try {
    const template = options.weights === null
      ? freshModelWeights(model, summarize(model), options.seed)
      : retarget(loadInto(model, options.weights, {byName: false, skipMismatch: false}), model)
    computeModel.setWeights(perLayer(template))
    const port = (p: ModelPort): ModelPort => ({name: p.name, shape: [...p.shape]})
    return {
      tf, model, computeModel, backend, notices, template,
      inputs: computeModel.inputs.map(port),
      outputs: computeModel.outputs.map(port),
      initialWeights: options.weights === null ? 'initializers' : options.weightsSource,
    }
  } catch (error) {
    computeModel.dispose()
    throw error
  }
}

/** The session's current weights in the template's layout and names. */
export async function currentWeights(session: Session): Promise<WeightsFile> {
  const layers = await Promise.all(session.template.layers.map(async (layer) => {
    if (layer.weights.length === 0) return layer
    const values = await session.computeModel.readWeights(layer.name)
    if (values.length !== layer.weights.length) throw new InternalError(`Layer '${layer.name}' has ${values.length} weights in the compute model and ${layer.weights.length} in its template.`)
    const weights = layer.weights.map((w, i) => ({...w, dtype: 'float32' as const, data: values[i] as Float32Array}))
    return {...layer, weights}
  }))
  return {...session.template, layers}
}

/** Sets the session's weights from a file in its template's layout (restoring the best epoch's weights). */
export async function restoreWeights(session: Session, file: WeightsFile): Promise<void> {
  session.computeModel.setWeights(perLayer(file))
}

/**
 * The weights to start from: the file given (`--initial-weights` / `--weights`), else those the model file
 * carries (full-model .h5, .keras, tfjs with shards) when it carries any, else null (fresh, seeded).
 */
export async function initialWeightsFor(read: {format: string}, modelPath: string, given: string | undefined): Promise<{weights: WeightsFile | null; source: 'file' | 'model-file'}> {
  const {readWeights} = await import('../weights/read.js')
  if (given !== undefined) return {weights: await readWeights(given), source: 'file'}
  if (modelPath === '-' || !['keras-h5', 'keras-zip', 'tfjs'].includes(read.format)) return {weights: null, source: 'model-file'}
  const own = await readWeights(modelPath)
  return {weights: own.layers.some((l) => l.weights.length > 0) ? own : null, source: 'model-file'}
}
