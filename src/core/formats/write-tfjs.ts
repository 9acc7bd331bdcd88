/**
 * The TensorFlow.js layers-model writer (`kmodel save MODEL -o out/`): a folder holding `model.json` and
 * `group1-shard{i}of{n}.bin`, laid out as `tensorflowjs_converter --input_format keras` writes it and as
 * tfjs-layers 4.22 `loadLayersModel` loads it (KERAS-REFERENCE §3.8, §5.4, §5.5):
 *
 *   {"format": "layers-model", "generatedBy": "keras v2.15.0", "convertedBy": "kmodel",
 *    "modelTopology": {"keras_version": "2.15.0", "backend": "tensorflow",
 *                      "model_config": {"class_name": "Sequential", "config": {…}}, "training_config"?: {…}},
 *    "weightsManifest": [{"paths": ["group1-shard1of1.bin"],
 *                         "weights": [{"name": "dense/kernel", "shape": [1, 1], "dtype": "float32"}]}]}
 *
 * The topology is the model in the legacy (tf.keras) dialect: tfjs reads no Keras 3 config (§5.3), so a
 * Keras 3 model is converted as `to-json --dialect keras2` converts it, and refused when a part has no legacy
 * form; then put in the terms tfjs computes Keras's answer with, or refused where tfjs would load it and
 * compute something else (write-tfjs-check.ts). Weights are the converter's: one group; layers in the order h5py lists a full-model file's
 * `model_weights` (by name, byte order), each layer's weights in its saved order, `:0` stripped; the bytes
 * of the group concatenated and cut into shards of `shardSizeBytes` (a cut may fall inside a tensor).
 */
import {join} from 'node:path'
import {FormatError, UsageError, type Warning} from '../errors.js'
import {type Json, type JsonObject, isArray, isObject, omit} from '../json.js'
import {convertModel} from '../model/dialect.js'
import {type ModelSpec, generationOf} from '../model/spec.js'
import type {WeightsFile} from '../weights/types.js'
import {summarize} from '../graph/summarize.js'
import {modelLayers} from '../weights/model-keys.js'
import {stringifyPythonJson} from './python-json.js'
import {checkTfjsLoadable, tfjsDocument} from './write-tfjs-check.js'
import {type EncodedTensor, encodeTensor} from './write-tfjs-encode.js'
import {writeFolderAtomic} from './write-tfjs-folder.js'

/** Options of the tfjs writer: `quantize` as the converter's `--quantize_*`, shards of `shardSizeBytes`. */
export interface TfjsWriteOptions {force: boolean; quantize?: 'float16' | 'uint8' | 'uint16'; shardSizeBytes?: number}

/** What writeTfjsModel wrote: the file paths (model.json first), the tensor count, the shard bytes. */
export interface TfjsWriteResult {files: string[]; tensors: number; bytes: number; warnings: Warning[]}

/** The folder's content, before anything is written. */
export interface TfjsPlan {
  modelJson: JsonObject
  /** Each shard's bytes, as views of the encoded tensors (a shard is never copied whole into memory). */
  shards: Uint8Array[][]
  /** Shard file names, in `paths` order. */
  shardNames: string[]
  tensors: number
  /** float64 → float32 casts that rounded, dropped Keras 3 training configs. */
  warnings: Warning[]
}

/** The converter's default shard size: 4 MiB, the largest file browsers cache. */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024

/** Bytes of a name as h5py orders group members (strcmp on UTF-8). */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))

/** The weight's tfjs name: the saved name without TensorFlow's output slot (`dense/kernel:0` → `dense/kernel`). */
const tfjsName = (name: string): string => (name.endsWith(':0') ? name.slice(0, -2) : name)

function unsupported(message: string, hint: string): FormatError {
  return new FormatError('KM_FORMAT_TFJS_UNSUPPORTED', message, {hint})
}

/** The legacy document of the model; Keras 3 parts without a legacy form are refused. */
function legacyDocument(model: ModelSpec): JsonObject {
  const {document, warnings} = convertModel(model, 'keras2')
  const lost = warnings.find((w) => !w.message.includes('keras_version'))
  if (lost !== undefined) {
    throw unsupported(`${lost.path[0]?.toUpperCase() ?? ''}${lost.path.slice(1)} has no form TensorFlow.js can read: ${lost.message.replace(/; kept as is$/, '')}.`, 'tfjs reads only the legacy (tf.keras) config; rebuild that part with built-in layers in Keras and save again.')
  }
  return document
}

/** The default `recurrent_activation` of the Keras that wrote `model` (as compute/rnn-common.ts reads it); null: unknown. */
export function recurrentDefault(model: ModelSpec): string | null {
  if (generationOf(model) === 'keras3') return 'sigmoid'
  const version = model.keras_version ?? ''
  if (version.startsWith('1.') || /^2\.[0-2]\.\d+$/.test(version)) return 'hard_sigmoid'
  return /^2\.\d+\.\d+$/.test(version) ? 'sigmoid' : null // 2.2.4-tf: TF 1.x (hard_sigmoid) or TF 2.0 (sigmoid)
}

const finite = (value: Json): boolean => (typeof value === 'number' ? Number.isFinite(value) : isArray(value) ? value.every(finite) : isObject(value) ? Object.values(value).every(finite) : true)

/** `modelTopology`: keras_version and backend beside model_config, as the converter's full-model path writes it. */
function topology(model: ModelSpec, file: WeightsFile, warnings: Warning[]): JsonObject {
  const document = legacyDocument(model)
  const generation = generationOf(model)
  const converted = tfjsDocument(omit(document, ['keras_version', 'backend']), recurrentDefault(model), generation === 'keras3')
  const modelConfig = isObject(converted) ? converted : {}
  checkTfjsLoadable(modelConfig, generation)
  const out: JsonObject = {}
  // A Keras 1 or Keras 3 version would describe another layout than the legacy config written here.
  if (model.keras_version !== null && /^2\./.test(model.keras_version)) out.keras_version = model.keras_version
  const backend = typeof document.backend === 'string' ? document.backend : file.backend
  out.backend = backend ?? 'tensorflow'
  out.model_config = modelConfig
  const training = model.training_config
  if (isObject(training) && model.dialect === 'keras2' && finite(training)) out.training_config = training
  else if (training !== null) warnings.push({path: '$.training_config', message: 'the training config is not carried over (TensorFlow.js reads only a tf.keras one with finite numbers)'})
  return out
}

/**
 * How tfjs names a layer's weights: `layer/short` (`dense/kernel`, `lstm/lstm_cell/kernel`; tfjs also accepts
 * the name without the cell part). A saved name under the layer's own prefix is kept as the converter keeps
 * it; other saved names (Keras 1 `dense_2_W`, TF-scoped `global/net/dense_2_W`, Keras 3's legacy .h5
 * `sequential/dense/bias`) get the model's short name. A nested model's weights keep their inner names
 * (`dense/kernel`), which is what tfjs gives a nested model's variables.
 */
function namer(model: ModelSpec): (layer: string, saved: string, index: number) => string {
  const nested = new Set(modelLayers(model.root.graph).filter((l) => l.graph !== undefined).map((l) => l.name))
  const expected = new Map(summarize(model).rows.map((r) => [r.name, r.weights]))
  return (layer, saved, index) => {
    const name = tfjsName(saved)
    // Inside a nested model tfjs names weights by the inner layer only; Keras 3 retargeted names carry the model's.
    if (nested.has(layer)) return name.startsWith(`${layer}/`) ? name.slice(layer.length + 1) : name
    if (name.startsWith(`${layer}/`)) return name
    const short = expected.get(layer)?.[index]?.name
    return short === undefined ? name : `${layer}/${short}`
  }
}

/** Every weight of `file`, encoded, in the converter's order. */
function encodeWeights(model: ModelSpec, file: WeightsFile, quantize: TfjsWriteOptions['quantize'], warnings: Warning[]): EncodedTensor[] {
  if (file.top_level.length > 0) {
    throw unsupported(`The model itself owns ${file.top_level.length} weight(s) ('${file.top_level[0]?.name ?? ''}'), which a TensorFlow.js layers model cannot hold.`, 'Move the variables into a layer in Keras and save again.')
  }
  const seen = new Map<string, string>()
  const nameOf = namer(model)
  const out: EncodedTensor[] = []
  for (const layer of [...file.layers].sort((a, b) => byteOrder(a.name, b.name))) {
    for (const [i, tensor] of layer.weights.entries()) {
      const name = nameOf(layer.name, tensor.name, i)
      const first = seen.get(name)
      if (first !== undefined) {
        throw unsupported(`Weight name '${name}' occurs twice (layers '${first}' and '${layer.name}'); tfjs loads weights by name and refuses duplicates.`, 'Give the layers unique names in Keras and save again.')
      }
      seen.set(name, layer.name)
      out.push(encodeTensor(tensor, {layer: layer.name, name}, quantize, warnings))
    }
  }
  return out
}

/**
 * The tensors' bytes, concatenated, cut into shards of `size` bytes (the last may be shorter; a cut may fall
 * inside a tensor). Each shard is a list of views of the tensors' own bytes: nothing is copied, so writing a
 * model holds its weights once, not twice.
 */
function shardBytes(tensors: readonly EncodedTensor[], size: number): Uint8Array[][] {
  const shards: Uint8Array[][] = []
  let current: Uint8Array[] = []
  let room = size
  for (const {bytes} of tensors) {
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(room, bytes.length - at)
      current.push(bytes.subarray(at, at + n))
      at += n
      room -= n
      if (room === 0) {
        shards.push(current)
        current = []
        room = size
      }
    }
  }
  if (current.length > 0) shards.push(current)
  return shards
}

/**
 * The model.json and shards of `model` with `file` (the weights retargeted to the model's layers, as
 * weights/load.ts retarget() returns them). Pure. FormatError KM_FORMAT_TFJS_UNSUPPORTED for a model tfjs
 * cannot load, KM_FORMAT_TFJS_DTYPE for weights it cannot hold; nothing is written.
 */
export function planTfjsModel(model: ModelSpec, file: WeightsFile, opts: Omit<TfjsWriteOptions, 'force'> = {}): TfjsPlan {
  const size = opts.shardSizeBytes ?? DEFAULT_SHARD_BYTES
  if (!Number.isInteger(size) || size < 1) throw new UsageError('KM_USAGE_SHARD_SIZE', `The shard size must be a positive whole number of bytes, got ${size}.`, {hint: 'Give --shard-size in bytes, e.g. 4194304 (4 MiB, the converter default).'})
  const warnings: Warning[] = []
  const modelTopology = topology(model, file, warnings)
  const tensors = encodeWeights(model, file, opts.quantize, warnings)
  const shards = shardBytes(tensors, size)
  const shardNames = shards.map((_, i) => `group1-shard${i + 1}of${shards.length}.bin`)
  const version = modelTopology.keras_version
  const modelJson: JsonObject = {
    format: 'layers-model',
    generatedBy: typeof version === 'string' ? `keras v${version}` : null,
    convertedBy: 'kmodel',
    modelTopology,
    weightsManifest: [{paths: shardNames, weights: tensors.map((t) => t.entry)}],
  }
  return {modelJson, shards, shardNames, tensors: tensors.length, warnings}
}

/**
 * Writes DIR/model.json + DIR/group1-shard{i}of{n}.bin atomically (a temp folder beside DIR, renamed in).
 * `file`: the weights retargeted to `model`'s layers (src/core/weights/load.ts retarget()), in model order.
 * Errors: those of planTfjsModel (before anything is written); UsageError KM_USAGE_OUTPUT_EXISTS (DIR holds a
 * model and no force, or holds other files), KM_INPUT_OUTPUT_NOT_DIR, KM_INPUT_WRITE_FAILED.
 */
export async function writeTfjsModel(dir: string, model: ModelSpec, file: WeightsFile, opts: TfjsWriteOptions): Promise<TfjsWriteResult> {
  const plan = planTfjsModel(model, file, opts)
  const files = [{name: 'model.json', data: stringifyPythonJson(plan.modelJson, null)}, ...plan.shards.map((data, i) => ({name: plan.shardNames[i] ?? '', data}))]
  await writeFolderAtomic(dir, files, opts.force)
  return {files: files.map((f) => join(dir, f.name)), tensors: plan.tensors, bytes: plan.shards.flat().reduce((n, s) => n + s.length, 0), warnings: plan.warnings}
}
