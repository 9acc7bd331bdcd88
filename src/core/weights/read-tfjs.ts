/**
 * Weights of a tfjs layers model (KERAS-REFERENCE §3.8): `model.json` lists weight groups, each a list of
 * shard files and the tensors stored in them, back to back, little-endian, in manifest order:
 *
 *   "weightsManifest": [{"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"],
 *                        "weights": [{"name": "dense/kernel", "shape": [784, 10], "dtype": "float32",
 *                                     "quantization"?: {"dtype": "uint8", "min": -1.2, "scale": 0.01,
 *                                                       "original_dtype"?: "float32"},
 *                                     "group"?: "model" | "optimizer"}]}]
 *
 * A group's shards are concatenated (a tensor may span two shards). Quantised tensors are dequantised to
 * the manifest dtype as tfjs does: uint8/uint16 → `min + scale * q` (rounded for int32), float16 → float32.
 * Unquantised float32/int32/bool tensors are views into the group's buffer when aligned (no copy).
 * Layers are the first path element of the weight names, in first-appearance order; optimizer weights
 * (`group: "optimizer"`) are skipped.
 */
import type {FileHandle} from 'node:fs/promises'
import {FormatError} from '../errors.js'
import {type Json, type JsonObject, isObject, jsonPath} from '../json.js'
import type {LayerWeights, WeightData, WeightDType, WeightTensor, WeightsFile} from './types.js'
import {type ManifestEntry, type ManifestGroup, parseManifest} from './read-tfjs-manifest.js'
import {openShard} from './read-tfjs-shard.js'

/** Where the shards are and how to name the model.json in messages. */
export interface TfjsWeightsOptions {
  /** The folder `paths` are relative to (the model.json's folder). */
  dir: string
  /** The model.json's name for messages. */
  source: string
}

function shardError(source: string, message: string, hint: string): FormatError {
  return new FormatError('KM_FORMAT_TFJS_SHARD', `${source}: ${message}.`, {hint})
}

/**
 * Reads a group's shards into one buffer, in `paths` order. Each shard must be a regular file inside the
 * model.json's folder (read-tfjs-shard.ts); a missing shard → InputError KM_INPUT_NOT_FOUND.
 */
async function readShards(group: ManifestGroup, opts: TfjsWeightsOptions): Promise<Uint8Array<ArrayBuffer>> {
  const handles: FileHandle[] = []
  const sizes: number[] = []
  try {
    for (const [i, path] of group.paths.entries()) {
      const {handle, size} = await openShard(opts.dir, {source: opts.source, where: jsonPath(group.where, 'paths', i), path})
      handles.push(handle)
      sizes.push(size)
    }
    const buffer = new Uint8Array(sizes.reduce((a, b) => a + b, 0))
    let offset = 0
    for (const [i, handle] of handles.entries()) {
      const end = offset + (sizes[i] ?? 0)
      while (offset < end) {
        const {bytesRead} = await handle.read(buffer, offset, end - offset, null)
        if (bytesRead === 0) throw shardError(opts.source, `weight shard '${group.paths[i] ?? ''}' ended early`, 'The shard changed while it was being read; try again.')
        offset += bytesRead
      }
    }
    return buffer
  } finally {
    await Promise.all(handles.map(async (h) => h.close()))
  }
}

/** IEEE 754 half-precision bits → number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >> 10) & 0x1f
  const fraction = bits & 0x3ff
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}

/**
 * A typed view of `bytes` at `offset`, or a copy when the offset is not aligned for the element type.
 * Typed arrays use the platform's byte order; every platform Node supports is little-endian, as shards are.
 */
function view<T extends Float32Array | Int32Array | Uint16Array | Uint8Array>(
  make: {new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number},
  bytes: Uint8Array<ArrayBuffer>, offset: number, length: number,
): T {
  const start = bytes.byteOffset + offset
  if (start % make.BYTES_PER_ELEMENT === 0) return new make(bytes.buffer, start, length)
  const copy = bytes.slice(offset, offset + length * make.BYTES_PER_ELEMENT)
  return new make(copy.buffer, 0, length)
}

/** Decodes one tensor's bytes into its manifest dtype. */
function decode(entry: ManifestEntry, bytes: Uint8Array<ArrayBuffer>, offset: number, n: number): {data: WeightData; dtype: WeightDType} {
  const q = entry.quantization
  if (q === null) {
    if (entry.dtype === 'float32') return {data: view(Float32Array, bytes, offset, n), dtype: 'float32'}
    if (entry.dtype === 'int32') return {data: view(Int32Array, bytes, offset, n), dtype: 'int32'}
    return {data: view(Uint8Array, bytes, offset, n), dtype: 'bool'}
  }
  if (q.dtype === 'float16') {
    const half = view(Uint16Array, bytes, offset, n)
    const out = new Float32Array(n)
    for (let i = 0; i < n; i++) out[i] = halfToFloat(half[i] ?? 0)
    return {data: out, dtype: 'float32'}
  }
  const codes = q.dtype === 'uint8' ? view(Uint8Array, bytes, offset, n) : view(Uint16Array, bytes, offset, n)
  const {min, scale} = q
  const out = entry.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n)
  const round = entry.dtype === 'int32'
  for (let i = 0; i < n; i++) {
    const v = min + scale * (codes[i] ?? 0)
    out[i] = round ? Math.round(v) : v
  }
  return {data: out, dtype: entry.dtype === 'int32' ? 'int32' : 'float32'}
}

/** Reads one manifest group's tensors out of its shards. */
async function readGroup(group: ManifestGroup, opts: TfjsWeightsOptions): Promise<Array<{entry: ManifestEntry; tensor: WeightTensor}>> {
  const bytes = await readShards(group, opts)
  let offset = 0
  const out: Array<{entry: ManifestEntry; tensor: WeightTensor}> = []
  for (const entry of group.weights) {
    const n = entry.shape.reduce((a, b) => a * b, 1)
    const size = n * entry.bytesPerElement
    if (offset + size > bytes.length) {
      throw shardError(opts.source, `the shards of ${group.where} hold ${bytes.length} bytes, but weight '${entry.name}' (${entry.where}) needs bytes ${offset}–${offset + size}`, 'A shard is truncated or belongs to another model; copy the model.json and its .bin files again.')
    }
    if (entry.group !== 'optimizer') {
      const {data, dtype} = decode(entry, bytes, offset, n)
      out.push({entry, tensor: {name: entry.name, shape: entry.shape, dtype, data}})
    }
    offset += size
  }
  return out
}

/** The Keras version and backend the converter recorded in `modelTopology`, when it did. */
function versionOf(doc: JsonObject, key: 'keras_version' | 'backend'): string | null {
  const topology: Json | undefined = doc.modelTopology
  const value = isObject(topology) ? topology[key] : undefined
  return typeof value === 'string' ? value : null
}

/**
 * Reads the weights of a parsed tfjs `model.json` (`doc` must hold `weightsManifest`). FormatError
 * KM_FORMAT_TFJS_MANIFEST for a malformed manifest, KM_FORMAT_TFJS_SHARD for short shards; InputError for
 * missing shard files; WeightsError KM_WEIGHTS_DTYPE for string/complex tensors.
 */
export async function readTfjsWeights(doc: JsonObject, opts: TfjsWeightsOptions): Promise<WeightsFile> {
  const groups = parseManifest(doc.weightsManifest, opts.source)
  const layers: LayerWeights[] = []
  const byName = new Map<string, LayerWeights>()
  for (const group of groups) {
    for (const {entry, tensor} of await readGroup(group, opts)) {
      const layerName = entry.name.split('/')[0] ?? entry.name
      let layer = byName.get(layerName)
      if (layer === undefined) {
        layer = {name: layerName, path: entry.where, name_is_layer_name: true, weights: []}
        byName.set(layerName, layer)
        layers.push(layer)
      }
      layer.weights.push(tensor)
    }
  }
  return {layout: 'tfjs', source: opts.source, keras_version: versionOf(doc, 'keras_version'), backend: versionOf(doc, 'backend'), layers, top_level: []}
}
