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
import type {BackendName, ConcreteBackend, LayersModel, WeightValue} from '../backend/tfjs.js'
import type {Tfjs} from '../backend/runtime.js'
import type {ModelPort} from './data.js'

/** A built model with its weights set. */
export interface Session {
  tf: Tfjs
  model: ModelSpec
  tfModel: LayersModel
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
  const {loadBackend, readyTfjs} = await import('../backend/tfjs.js')
  const selection = await loadBackend(name)
  const tf = await readyTfjs()
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
  const {buildModel, setWeights} = await import('../backend/tfjs.js')
  const tfModel = await buildModel(model, {zeroInit: true})
  try {
    const template = options.weights === null
      ? freshModelWeights(model, summarize(model), options.seed)
      : retarget(loadInto(model, options.weights, {byName: false, skipMismatch: false}), model)
    await setWeights(tfModel, perLayer(template))
    const port = (t: LayersModel['inputs'][number], i: number, kind: string): ModelPort => ({name: t.sourceLayer.name ?? `${kind}_${i}`, shape: [...t.shape]})
    return {
      tf, model, tfModel, backend, notices, template,
      inputs: tfModel.inputs.map((t, i) => port(t, i, 'input')),
      outputs: tfModel.outputs.map((t, i) => port(t, i, 'output')),
      initialWeights: options.weights === null ? 'initializers' : options.weightsSource,
    }
  } catch (error) {
    tfModel.dispose()
    throw error
  }
}

/** The session's current weights in the template's layout and names. */
export async function currentWeights(session: Session): Promise<WeightsFile> {
  const layers = await Promise.all(session.template.layers.map(async (layer) => {
    if (layer.weights.length === 0) return layer
    const vars = session.tfModel.getLayer(layer.name).weights
    if (vars.length !== layer.weights.length) throw new InternalError(`Layer '${layer.name}' has ${vars.length} weights in tfjs and ${layer.weights.length} in its template.`)
    const weights = await Promise.all(layer.weights.map(async (w, i) => ({...w, dtype: 'float32' as const, data: Float32Array.from(await (vars[i] as (typeof vars)[number]).read().data())})))
    return {...layer, weights}
  }))
  return {...session.template, layers}
}

/** Sets the session's weights from a file in its template's layout (restoring the best epoch's weights). */
export async function restoreWeights(session: Session, file: WeightsFile): Promise<void> {
  const {setWeights} = await import('../backend/tfjs.js')
  await setWeights(session.tfModel, perLayer(file))
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
