/**
 * Suite d (files, both ways): where kmodel's reading of a file Keras wrote differs from Keras (files-read), and
 * where a weights file kmodel wrote does not give Keras back the weights it came from (files-load).
 *
 * Reading: the architecture of a model file must be deep-equal (the canonical ModelSpec: dialect and root) to
 * what kmodel reads from Keras's own to_json of the same model; every weight, once matched onto that model as
 * load-weights matches it (loadInto, by order), must be bit-identical to Keras's (same layer, slot, dtype,
 * shape, bytes). An .npz must decode bit-identically and kmodel's get_weights()/set_weights() order must be
 * Keras's. Loading: the weights Keras holds after load_weights(kmodel's file) must be bit-identical to the
 * originals, and its outputs within 1e-5 relative of those the original weights give.
 */
import {summarize} from '../../../src/core/graph/summarize.js'
import {readNpz} from '../../../src/core/io/npy.js'
import {type Json, type JsonObject, isArray, isObject} from '../../../src/core/json.js'
import type {LayerSpec, ModelSpec} from '../../../src/core/model/spec.js'
import {readModel} from '../../../src/core/read.js'
import {type WeightsOrder, defaultOrder, getWeights, setWeights, weightSlots} from '../../../src/core/weights/get-set.js'
import {loadInto} from '../../../src/core/weights/load.js'
import {modelLayers} from '../../../src/core/weights/model-keys.js'
import {readWeights} from '../../../src/core/weights/read.js'
import type {WeightData, WeightTensor, WeightsFile} from '../../../src/core/weights/types.js'
import {createHash} from 'node:crypto'
import {unzipSync} from 'fflate'
import type {FilesReadCase} from '../gen/files.js'
import {answerDifference, decodeArray, type Generation, type OracleArray, type OracleResult, worstRelative} from '../harness.js'
import {type OracleLayerWeights, readModelText, weightsFileOf} from '../kmodel-side.js'
import {COMPUTE_TOLERANCE, firstLine} from './compute.js'

// ---- file bytes in cases and answers (the same code as test/oracle/py/suites/files_codec.py) ----

/** A file as the files suites carry it: its bytes zero-run encoded in base64, with size and sha256. */
export interface FileEntry {
  name: string
  size: number
  sha256: string
  zr_b64: string
}

const MIN_RUN = 8

function uvarint(n: number, out: number[]): void {
  let v = n
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80)
    v = Math.floor(v / 128)
  }
  out.push(v)
}

/** Zero-run encoding: records `uvarint(L) <L literal bytes> uvarint(Z)` (Z zeros follow the literal). */
export function zeroRunEncode(data: Uint8Array): Uint8Array {
  const out: number[] = []
  let literalStart = 0
  let i = 0
  while (i < data.length) {
    if (data[i] !== 0) { i++; continue }
    let j = i
    while (j < data.length && data[j] === 0) j++
    if (j - i >= MIN_RUN) {
      uvarint(i - literalStart, out)
      for (let k = literalStart; k < i; k++) out.push(data[k] ?? 0)
      uvarint(j - i, out)
      literalStart = j
    }
    i = j
  }
  if (literalStart < data.length) {
    uvarint(data.length - literalStart, out)
    for (let k = literalStart; k < data.length; k++) out.push(data[k] ?? 0)
    uvarint(0, out)
  }
  return Uint8Array.from(out)
}

/** The inverse of zeroRunEncode. */
export function zeroRunDecode(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = []
  let pos = 0
  const read = (): number => {
    let value = 0
    let scale = 1
    for (;;) {
      const byte = data[pos++]
      if (byte === undefined) throw new Error('zero-run data ends inside a length')
      value += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) return value
      scale *= 128
    }
  }
  while (pos < data.length) {
    const literal = read()
    parts.push(data.subarray(pos, pos + literal))
    pos += literal
    parts.push(new Uint8Array(read()))
  }
  return Buffer.concat(parts)
}

/** A file's bytes as a FileEntry. */
export function fileEntry(name: string, data: Uint8Array): FileEntry {
  return {name, size: data.length, sha256: createHash('sha256').update(data).digest('hex'), zr_b64: Buffer.from(zeroRunEncode(data)).toString('base64')}
}

/** A FileEntry's bytes, checked against its size and sha256. */
export function fileBytes(entry: FileEntry): Uint8Array {
  const data = zeroRunDecode(Buffer.from(entry.zr_b64, 'base64'))
  if (data.length !== entry.size || createHash('sha256').update(data).digest('hex') !== entry.sha256) throw new Error(`file ${entry.name}: the decoded bytes do not match its size and sha256`)
  return data
}

/** The sha256 of HDF5 bytes with the dataset modification times zeroed (see writtenDigest). */
function h5Digest(data: Uint8Array): string {
  const masked = Uint8Array.from(data)
  for (let i = 0; i + 16 <= masked.length; i += 8) {
    if (masked[i] !== 0x12 || masked[i + 1] !== 0 || masked[i + 2] !== 8 || masked[i + 3] !== 0) continue
    if ([5, 6, 7, 9, 10, 11].some((k) => masked[i + k] !== 0) || masked[i + 8] !== 1) continue
    masked.fill(0, i + 12, i + 16)
  }
  return createHash('sha256').update(masked).digest('hex')
}

/**
 * A .keras zip's digest: each member's name and content digest, in order, with what changes from one second
 * to the next left out — the zip's timestamps, metadata.json's `date_saved`, and the inner HDF5 file's
 * modification times.
 */
function zipDigest(data: Uint8Array): string {
  const hash = createHash('sha256')
  for (const [name, bytes] of Object.entries(unzipSync(data))) {
    const content = name.endsWith('.h5') ? h5Digest(bytes) : name === 'metadata.json' ? createHash('sha256').update(Buffer.from(bytes).toString('utf8').replace(/"date_saved": "[^"]*"/, '"date_saved": ""')).digest('hex') : createHash('sha256').update(bytes).digest('hex')
    hash.update(`${name}\0${content}\0`)
  }
  return hash.digest('hex')
}

/**
 * kmodel's HDF5 writer records each dataset's modification time (HDF5 "Object Modification Time" messages,
 * type 0x0012 version 1 in the v1 object headers of a superblock-0 file), so the same weights give other bytes
 * a second later. The digest is the sha256 of the bytes with those 4-byte times zeroed: the messages sit at
 * 8-byte-aligned offsets, as `12 00 08 00 <flags> 00 00 00 01 00 00 00 <time>`. A .keras zip (`PK\x03\x04`) is
 * digested member by member (zipDigest).
 */
export function writtenDigest(data: Uint8Array): string {
  const zip = data[0] === 0x50 && data[1] === 0x4b && data[2] === 3 && data[3] === 4
  return zip ? zipDigest(data) : h5Digest(data)
}

// ---- files-read ----

/** What test/oracle/py/suites/files_read.py answers. */
export interface FilesReadAnswer extends OracleResult {
  written: 'ok' | 'error'
  error?: {type: string; message: string}
  file?: FileEntry
  model_json?: string
  weights?: OracleLayerWeights[]
  get_weights?: OracleArray[]
  legacy_save_weights?: {type: string; message: string} | null
}

/**
 * Keys of a layer entry that say how Keras serialised it, not what it is: Keras writes them differently into
 * each of its own documents (to_json() has `module` / `registered_name` / `build_config` / `compile_config`;
 * the model_config of model.save('m.h5') none; a full .h5 keeps keras_version / backend beside it, which kmodel
 * moves into the root). Keras's deserialisers ignore them for the architecture.
 */
const SERIALIZATION_KEYS = new Set(['module', 'registered_name', 'build_config', 'compile_config', 'keras_version', 'backend'])

/** A config without Keras 3's `shared_object_id` (object-sharing bookkeeping of .keras config.json only). */
function withoutSharedIds(value: Json): Json {
  if (isArray(value)) return value.map(withoutSharedIds)
  if (!isObject(value)) return value
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'shared_object_id').map(([k, v]) => [k, withoutSharedIds(v)]))
}

function layerArchitecture(l: LayerSpec): JsonObject {
  const out: JsonObject = {
    class_name: l.class_name, name: l.name, config: withoutSharedIds(l.config),
    inbound_nodes: l.inbound_nodes.map((n) => ({inputs: n.inputs.map((r) => ({...r})), kwarg_inputs: n.kwarg_inputs.map((r) => ({...r})), raw: n.raw})),
    extra: Object.fromEntries(Object.entries(l.extra).filter(([k]) => !SERIALIZATION_KEYS.has(k))),
  }
  if (l.graph !== undefined) out.graph = {...l.graph, inputs: l.graph.inputs.map((r) => ({...r})), outputs: l.graph.outputs.map((r) => ({...r})), layers: l.graph.layers.map(layerArchitecture)}
  return out
}

/**
 * The part of kmodel's canonical ModelSpec that is the architecture: the dialect, every layer's class, name,
 * config, calls and graph; without the serialisation keys above (SERIALIZATION_KEYS, shared_object_id).
 * The Keras version is compared apart (to_json() of Keras 3 carries none).
 */
export const architecture = (m: ModelSpec): JsonObject => ({dialect: m.dialect, root: layerArchitecture(m.root)})

const bytesOf = (data: WeightData | Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength)

/** Null when the tensor is Keras's weight exactly (dtype, shape, bytes). */
function tensorDifference(got: {dtype: string; shape: number[]; data: WeightData}, want: OracleArray, where: string): string | null {
  if (got.dtype !== want.dtype || JSON.stringify(got.shape) !== JSON.stringify(want.shape)) return `${where} is ${got.dtype}${JSON.stringify(got.shape)}, Keras ${want.dtype}${JSON.stringify(want.shape)}`
  if (!bytesOf(got.data).equals(Buffer.from(want.b64, 'base64'))) return `${where} has other values than Keras's (not bit-identical)`
  return null
}

/** Null when `layers` (kmodel's per-layer weights) hold Keras's, layer by layer and slot by slot. */
export function layerWeightsDifference(layers: ReadonlyArray<{name: string; weights: ReadonlyArray<{dtype: string; shape: number[]; data: WeightData}>}>, expected: readonly OracleLayerWeights[], byPosition = false): string | null {
  const byName = new Map(layers.map((l) => [l.name, l]))
  for (const [i, want] of expected.entries()) {
    const got = byPosition ? layers[i] : byName.get(want.name)
    const weights = got?.weights ?? []
    if (weights.length !== want.weights.length) return `layer ${want.name}: ${weights.length} weights, Keras ${want.weights.length}`
    for (const [j, w] of want.weights.entries()) {
      const d = tensorDifference(weights[j] as WeightTensor, w, `layer ${want.name} weight ${j} (${w.name})`)
      if (d !== null) return d
    }
  }
  return null
}

/** Null when kmodel's load matching (load-weights by order) puts Keras's weights in the right layers and slots. */
export function loadedDifference(model: ModelSpec, file: WeightsFile, expected: readonly OracleLayerWeights[]): string | null {
  if (file.top_level.length > 0) return `kmodel reads ${file.top_level.length} top-level weights; Keras's model has none`
  const {assignments} = loadInto(model, file, {byName: false, skipMismatch: false})
  const layers = assignments.map((a) => ({name: a.layer, weights: a.weights.map((w) => w.tensor)}))
  return layerWeightsDifference(layers, expected)
}

async function weightsDifference(bytes: Uint8Array, name: string, model: ModelSpec, expected: readonly OracleLayerWeights[]): Promise<string | null> {
  try {
    return loadedDifference(model, await readWeights({bytes, name}), expected)
  } catch (error) {
    return `kmodel failed: ${firstLine(error)}`
  }
}

/** The get_weights() order kmodel follows for a model read from this generation's to_json. */
const orderOf = (model: ModelSpec): WeightsOrder => defaultOrder(model)

/** np.savez(*get_weights()): decoded bit-identically, kmodel's get_weights order, and set_weights into the right slots. */
function npzDifference(bytes: Uint8Array, keras: FilesReadAnswer, model: ModelSpec, generation: Generation): string | null {
  const arrays = readNpz(bytes, 'm.npz')
  const want = keras.get_weights ?? []
  if (arrays.size !== want.length) return `kmodel reads ${arrays.size} arrays from the .npz, Keras saved ${want.length}`
  for (const [i, w] of want.entries()) {
    const got = arrays.get(`arr_${i}`)
    if (got === undefined) return `the .npz has no arr_${i} for kmodel`
    const d = tensorDifference(got, w, `arr_${i}`)
    if (d !== null) return d
  }
  const slots = weightSlots(summarize(model), orderOf(model))
  const {assignments} = loadInto(model, weightsFileOf(keras.weights ?? [], generation, ''), {byName: false, skipMismatch: false})
  const exported = getWeights(slots, assignments)
  for (const [i, w] of want.entries()) {
    const t = exported[i]
    const d = t === undefined ? `get_weights has ${exported.length} arrays` : tensorDifference(t, w, `get_weights()[${i}] (kmodel: ${t.name})`)
    if (d !== null) return `kmodel's ${orderOf(model)} get_weights order differs: ${d}`
  }
  const tensors = want.map((_, i) => ({name: `arr_${i}`, ...(arrays.get(`arr_${i}`) as {dtype: 'float32'; shape: number[]; data: Float32Array})}))
  const imported = setWeights(slots, tensors, modelLayers(model.root.graph).map((l) => l.name))
  const d = layerWeightsDifference(imported.layers, keras.weights ?? [])
  return d === null ? null : `set_weights (weights import) of the .npz: ${d}`
}

/** Null when kmodel reads the file Keras wrote as Keras would; else one sentence saying where it differs. */
export async function readDifference(c: FilesReadCase, keras: FilesReadAnswer, generation: Generation): Promise<string | null> {
  if (keras.written !== 'ok' || keras.file === undefined) return `Keras could not write ${c.file} (${keras.error?.type}: ${keras.error?.message}); the generator must not ask for it`
  let reference: ModelSpec
  try {
    reference = await readModelText(keras.model_json ?? '', 'model.json')
  } catch (error) {
    return `kmodel cannot read Keras's to_json: ${firstLine(error)}`
  }
  const bytes = fileBytes(keras.file)
  const name = keras.file.name
  try {
    if (c.file === 'npz') return npzDifference(bytes, keras, reference, generation)
    const found: string[] = []
    if (c.file === 'keras' || c.file === 'h5') {
      const {model} = await readModel({bytes, name})
      const d = answerDifference(architecture(model), architecture(reference))
      if (d !== null) found.push(`the architecture kmodel reads differs from to_json's at ${d}`)
      if (reference.keras_version !== null && model.keras_version !== reference.keras_version) found.push(`keras_version ${model.keras_version}, to_json ${reference.keras_version}`)
    }
    const d = await weightsDifference(bytes, name, reference, keras.weights ?? [])
    if (d !== null) found.push(`weights: ${d}`)
    return found.length === 0 ? null : found.join('; ')
  } catch (error) {
    return `kmodel failed: ${firstLine(error)}`
  }
}

// ---- files-load ----

/** What test/oracle/py/suites/files_load.py answers. */
export interface FilesLoadAnswer extends OracleResult {
  load: 'ok' | 'error' | 'nothing'
  error?: {type: string; message: string}
  reference_outputs?: OracleArray[]
  outputs?: OracleArray[]
  weights?: OracleLayerWeights[]
}

/** Null when Keras, loading kmodel's file, holds the original weights and computes the original outputs. */
export function loadDifference(kmodelError: string | null, keras: FilesLoadAnswer, original: readonly OracleLayerWeights[]): string | null {
  if (kmodelError !== null) return `kmodel wrote no file: ${kmodelError}`
  if (keras.load !== 'ok') return `Keras cannot load kmodel's file: ${keras.error?.type}: ${firstLine(keras.error?.message ?? '')}`
  const layers = (keras.weights ?? []).map((l) => ({name: l.name, weights: l.weights.map((w) => ({dtype: w.dtype, shape: w.shape, data: decodeArray(w) as WeightData}))}))
  const d = layerWeightsDifference(layers, original, true)
  if (d !== null) return `after load_weights: ${d}`
  const want = keras.reference_outputs ?? []
  for (const [i, w] of want.entries()) {
    const got = keras.outputs?.[i]
    if (got === undefined) return `output ${i} missing`
    const worst = worstRelative(decodeArray(got) as Float32Array, decodeArray(w) as Float32Array)
    if (!(worst <= COMPUTE_TOLERANCE)) return `output ${i} differs by ${worst.toExponential(2)} relative from the original weights'`
  }
  return null
}
