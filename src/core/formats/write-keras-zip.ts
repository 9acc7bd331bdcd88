/**
 * The Keras 3 `.keras` zip, as Keras 3's saving_lib writes it (KERAS-REFERENCE §3.5; checked against the
 * interop files written by Keras 3.4–3.13): three members, in this order, all STORED (Python's ZipFile
 * default, no compression):
 *
 *   metadata.json      {"keras_version": "3.x.y", "date_saved": "YYYY-MM-DD@HH:MM:SS"} (local time)
 *   config.json        serialize_keras_object(model): the Keras 3 dialect, compile_config when known
 *   model.weights.h5   the Keras 3 weights layout (write-h5-keras3.ts), paths from keras3-paths.ts
 *
 * metadata.json and config.json carry the zip's 1980-01-01 timestamp (ZipFile.open(name, 'w') gives them
 * no time), model.weights.h5 the time of writing; each member has Unix mode 0600, as Python writes them.
 * The weights file is built in a temp file beside the output (h5wasm writes files, not buffers), and the
 * archive is written atomically.
 */
import {randomBytes} from 'node:crypto'
import {readFile, rm} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {zipSync} from 'fflate'
import {FormatError, type Warning} from '../errors.js'
import {checkOverwrite, writeFileAtomic} from '../files.js'
import {shapeLookup} from '../graph/shape-lookup.js'
import {type Json, type JsonObject, isObject} from '../json.js'
import {convertModel} from '../model/dialect.js'
import {normalize} from '../model/normalize.js'
import {validateModel} from '../model/validate.js'
import {type GraphSpec, type LayerSpec, type ModelSpec, generationOf} from '../model/spec.js'
import {withKeras3Paths} from '../weights/keras3-paths.js'
import {keras3Options} from '../weights/save.js'
import type {WeightsFile} from '../weights/types.js'
import {planWeightsH5, writePlanH5Direct} from '../weights/write-h5.js'
import {stringifyPythonJson} from './python-json.js'
import type {RawModelDocument} from './raw.js'
import type {ModelWriteResult} from './write-keras-h5.js'

/** The members of a `.keras` file kmodel writes, in order. */
export const KERAS_ZIP_MEMBERS = ['metadata.json', 'config.json', 'model.weights.h5'] as const

/** Unix permissions 0600 in the external attributes, as Python's ZipFile.open(name, 'w') sets them. */
const MEMBER_ATTRS = 0o600 << 16
const ZIP_EPOCH = new Date(1980, 0, 1, 0, 0, 0)

/** `YYYY-MM-DD@HH:MM:SS` in local time, Keras's `date_saved`. */
export function dateSaved(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}@${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`
}

/**
 * The config.json document: the model in Keras 3's serialization (`module` / `registered_name` on every
 * object). A legacy model is converted by dialect.ts, tensor shapes from the shape engine (Keras 3 rebuilds
 * the graph from them); a Keras 3 model read from a legacy `.h5` (Keras 3's own legacy writer leaves out
 * `module`) goes through the same conversion. A legacy training_config has no Keras 3 compile_config kmodel
 * can vouch for, so it is left out with a warning (Keras then loads the model uncompiled).
 */
export function keras3Config(model: ModelSpec): {config: JsonObject; warnings: Warning[]} {
  const serialized = model.dialect === 'keras3' && model.root.extra.module !== undefined && generationOf(model) === 'keras3'
  const source = serialized ? model : {...model, dialect: 'keras2' as const}
  const {document, warnings} = convertModel(source, 'keras3', shapeLookup(model))
  const kept = warnings.filter((w) => !w.message.startsWith('Keras 3 documents carry no keras_version'))
  if (generationOf(model) === 'keras2') kept.push(...hardSigmoidWarnings(model))
  if (!serialized && model.training_config !== null) {
    kept.push({path: 'training_config', message: 'the compile settings of the legacy file are not carried into the .keras file; Keras loads it uncompiled'})
  }
  return {config: document, warnings: kept}
}

/** Keys whose value names an activation function. */
const ACTIVATION_KEY = /(^|_)activation$/

/**
 * `hard_sigmoid` is defined differently by the two generations (tf.keras: clip(0.2·x + 0.5); Keras 3:
 * relu6(x + 3) / 6), so a Keras 2 model using it computes other values once Keras 3 loads it (Keras 3 does
 * the same with the original file): a warning per layer that uses it (LSTM/GRU of Keras ≤ 2.2 by default).
 */
function hardSigmoidWarnings(model: ModelSpec): Warning[] {
  const uses = (value: Json, key: string): boolean => {
    if (typeof value === 'string') return ACTIVATION_KEY.test(key) && value === 'hard_sigmoid'
    if (Array.isArray(value)) return value.some((v) => uses(v, key))
    return isObject(value) && Object.entries(value).some(([k, v]) => uses(v, k))
  }
  const layers = (graph: GraphSpec): LayerSpec[] => graph.layers.flatMap((l) => (l.graph === undefined ? [l] : layers(l.graph)))
  return layers(model.root.graph).filter((l) => uses(l.config, '')).map((l) => ({
    path: `layer '${l.name}'`,
    message: 'uses hard_sigmoid, which Keras 3 computes as relu6(x + 3) / 6 where tf.keras computed clip(0.2·x + 0.5): Keras 3 gives this model other outputs than the source file did',
  }))
}

/**
 * Refuses a config Keras 3 would refuse to load (an argument Keras 3 does not take, …): the converted document
 * goes through the same validation pass as every model kmodel reads, under Keras 3's rules.
 */
export function checkKeras3Config(config: JsonObject, kerasVersion: string, path: string): void {
  const raw: RawModelDocument = {format: 'keras-zip', document: config, keras_version: kerasVersion, backend: null, training_config: null}
  const {model} = normalize(raw, path)
  const {errors} = validateModel(model)
  const [first] = errors
  if (first === undefined) return
  throw new FormatError('KM_FORMAT_KERAS3_REFUSES', `Keras 3 would refuse the model converted for ${path}: ${first.message.replace(/\.$/, '')} at ${first.path}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`, {
    path: first.path,
    hint: 'This part of the legacy model has no Keras 3 form; write a legacy .h5 instead (kmodel save MODEL -o model.h5), which tf.keras loads.',
  })
}

/** The keras_version recorded: the source's 3.x version, else the release whose layout is written. */
function zipVersion(model: ModelSpec, file: WeightsFile): string {
  return keras3Options(file, model).kerasVersion
}

/** The `model.weights.h5` bytes, built in a temp file beside `path` that is always removed. */
async function weightsBytes(path: string, model: ModelSpec, file: WeightsFile): Promise<Uint8Array> {
  const plan = planWeightsH5(withKeras3Paths(file, model), {layout: 'keras3', ...keras3Options(file, model)})
  const temp = join(dirname(path), `.kmodel-${randomBytes(8).toString('hex')}.h5.tmp`)
  try {
    await writePlanH5Direct(temp, plan, path)
    return await readFile(temp)
  } finally {
    await rm(temp, {force: true})
  }
}

/** The archive's bytes. `now` is the save time (metadata.json and the weights member's timestamp). */
export function kerasZipBytes(config: JsonObject, kerasVersion: string, weights: Uint8Array, now: Date): Uint8Array {
  const text = new TextEncoder()
  const member = (data: Uint8Array, mtime: Date): [Uint8Array, {level: 0; mtime: Date; os: number; attrs: number}] => [data, {level: 0, mtime, os: 3, attrs: MEMBER_ATTRS}]
  const metadata = stringifyPythonJson({keras_version: kerasVersion, date_saved: dateSaved(now)}, null)
  return zipSync({
    'metadata.json': member(text.encode(metadata), ZIP_EPOCH),
    'config.json': member(text.encode(stringifyPythonJson(config, null)), ZIP_EPOCH),
    'model.weights.h5': member(weights, now),
  })
}

/** Writes `model` with `file` (retargeted to the model's layers) as a Keras 3 `.keras` zip, atomically. */
export async function writeKerasZip(path: string, model: ModelSpec, file: WeightsFile, force: boolean, now: Date = new Date()): Promise<ModelWriteResult> {
  const {config, warnings} = keras3Config(model)
  const kerasVersion = zipVersion(model, file)
  checkKeras3Config(config, kerasVersion, path)
  await checkOverwrite(path, force)
  const weights = await weightsBytes(path, model, file)
  await writeFileAtomic(path, kerasZipBytes(config, kerasVersion, weights, now), force)
  return {kerasVersion, warnings}
}
