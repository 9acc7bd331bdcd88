/** readWeights on tfjs model.json + .bin shards built here: plain, quantised, split and broken manifests. */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {FormatError, InputError, type KmodelError, WeightsError} from '../../../src/core/errors.js'
import {readWeights} from '../../../src/core/weights/read.js'
import type {WeightsFile} from '../../../src/core/weights/types.js'

type Entry = {name: string; shape: number[]; dtype: string; quantization?: Record<string, unknown>; group?: string}

/** Little-endian bytes of a typed array (as the tfjs converter writes them on every platform). */
const bytesOf = (a: Float32Array | Int32Array | Uint16Array | Uint8Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmodel-tfjs-test-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

/** Writes model.json (one group per `groups` item) and its shards; returns the model.json path. */
function writeModel(groups: Array<{shards: Uint8Array[]; weights: Entry[]}>, extra: Record<string, unknown> = {}): string {
  const weightsManifest = groups.map((g, gi) => {
    const paths = g.shards.map((s, si) => {
      const name = `group${gi + 1}-shard${si + 1}of${g.shards.length}.bin`
      writeFileSync(join(dir, name), s)
      return name
    })
    return {paths, weights: g.weights}
  })
  const path = join(dir, 'model.json')
  writeFileSync(path, JSON.stringify({format: 'layers-model', modelTopology: {keras_version: '2.15.0', backend: 'tensorflow'}, weightsManifest, ...extra}))
  return path
}

const summary = (file: WeightsFile) => file.layers.map((l) => [l.name, l.weights.map((w) => [w.name, w.dtype, w.shape, Array.from(w.data, Number)])])

async function failure(path: string): Promise<KmodelError> {
  return readWeights(path).then(() => expect.unreachable('should throw'), (e: unknown) => e as KmodelError)
}

describe('readWeights: tfjs model.json', () => {
  it('reads float32/int32/bool tensors over two shards, grouped by first name element, optimizer skipped', async () => {
    const all = concat(bytesOf(new Float32Array([1, 2, 3, 4, 5, 6])), bytesOf(new Float32Array([0.5, -0.5])), bytesOf(new Int32Array([7, -8])),
      new Uint8Array([1, 0]), bytesOf(new Float32Array([9])), bytesOf(new Float32Array([10, 11])))
    // The first shard ends in the middle of dense/bias, so the tensor spans both shards.
    const path = writeModel([{shards: [all.subarray(0, 28), all.subarray(28)], weights: [
      {name: 'dense/kernel', shape: [2, 3], dtype: 'float32'},
      {name: 'dense/bias', shape: [2], dtype: 'float32'},
      {name: 'lookup/table/ids', shape: [2], dtype: 'int32'},
      {name: 'mask/keep', shape: [2], dtype: 'bool'},
      {name: 'dense/extra', shape: [], dtype: 'float32'},
      {name: 'Adam/iter', shape: [2], dtype: 'float32', group: 'optimizer'},
    ]}])
    const file = await readWeights(path)
    expect(file).toMatchObject({layout: 'tfjs', keras_version: '2.15.0', backend: 'tensorflow', top_level: [], source: path})
    expect(summary(file)).toEqual([
      ['dense', [['dense/kernel', 'float32', [2, 3], [1, 2, 3, 4, 5, 6]], ['dense/bias', 'float32', [2], [0.5, -0.5]], ['dense/extra', 'float32', [], [9]]]],
      ['lookup', [['lookup/table/ids', 'int32', [2], [7, -8]]]],
      ['mask', [['mask/keep', 'bool', [2], [1, 0]]]],
    ])
    expect(file.layers.map((l) => [l.path, l.name_is_layer_name])).toEqual([
      ['$.weightsManifest[0].weights[0]', true], ['$.weightsManifest[0].weights[2]', true], ['$.weightsManifest[0].weights[3]', true],
    ])
    // Aligned float32 tensors are views into one group buffer, not copies.
    const [kernel, bias] = file.layers[0]?.weights ?? []
    expect(kernel?.data.buffer).toBe(bias?.data.buffer)
  })

  it('dequantises uint8 and uint16 as min + scale * q, rounding for int32, and decodes float16', async () => {
    const u8 = new Uint8Array([0, 1, 255])
    const u16 = new Uint16Array([0, 3, 65535])
    const half = new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x8000])
    const path = writeModel([{shards: [concat(u8, bytesOf(new Float32Array([2.5])), bytesOf(u16), bytesOf(half))], weights: [
      {name: 'a/q8', shape: [3], dtype: 'float32', quantization: {dtype: 'uint8', min: -1, scale: 0.01, original_dtype: 'float32'}},
      {name: 'a/plain', shape: [1], dtype: 'float32'}, // at byte 3: unaligned, so copied
      {name: 'b/q16', shape: [3], dtype: 'int32', quantization: {dtype: 'uint16', min: -2, scale: 0.5, original_dtype: 'int32'}},
      {name: 'c/f16', shape: [2, 3], dtype: 'float32', quantization: {dtype: 'float16'}},
    ]}])
    const file = await readWeights(path)
    expect(summary(file)).toEqual([
      ['a', [
        ['a/q8', 'float32', [3], [-1, Math.fround(-0.99), Math.fround(1.55)]],
        ['a/plain', 'float32', [1], [2.5]],
      ]],
      ['b', [['b/q16', 'int32', [3], [-2, 0, 32766]]]],
      ['c', [['c/f16', 'float32', [2, 3], [1, -2, 65504, 2 ** -24, Number.POSITIVE_INFINITY, -0]]]],
    ])
  })

  it('reads a model.json given as bytes with modelJsonDir', async () => {
    const path = writeModel([{shards: [bytesOf(new Float32Array([3]))], weights: [{name: 'w/x', shape: [1], dtype: 'float32'}]}])
    const file = await readWeights({bytes: readFileSync(path), name: '<stdin>'}, {modelJsonDir: dir})
    expect(summary(file)).toEqual([['w', [['w/x', 'float32', [1], [3]]]]])
    expect(file.source).toBe('<stdin>')
  })

  it('reports a missing shard as InputError naming the manifest entry', async () => {
    const path = writeModel([{shards: [], weights: []}])
    const doc = JSON.parse(readFileSync(path, 'utf8')) as {weightsManifest: Array<{paths: string[]}>}
    doc.weightsManifest[0]?.paths.push('gone.bin')
    writeFileSync(path, JSON.stringify(doc))
    const error = await failure(path)
    expect(error).toBeInstanceOf(InputError)
    expect(error.code).toBe('KM_INPUT_NOT_FOUND')
    expect(error.message.replace(dir, '<dir>')).toMatchInlineSnapshot(`"<dir>/model.json: weight shard 'gone.bin' ($.weightsManifest[0].paths[0]) does not exist."`)
  })

  it('reports shards shorter than the manifest needs', async () => {
    const path = writeModel([{shards: [new Uint8Array(10)], weights: [{name: 'd/k', shape: [2, 2], dtype: 'float32'}]}])
    const error = await failure(path)
    expect(error).toBeInstanceOf(FormatError)
    expect(error.message.replace(dir, '<dir>')).toMatchInlineSnapshot(`"<dir>/model.json: the shards of $.weightsManifest[0] hold 10 bytes, but weight 'd/k' ($.weightsManifest[0].weights[0]) needs bytes 0–16."`)
  })

  it('validates the manifest, naming the JSON path', async () => {
    const bad = async (weights: unknown[], extra: Record<string, unknown> = {}) => {
      writeModel([{shards: [], weights: []}])
      writeFileSync(join(dir, 'model.json'), JSON.stringify({weightsManifest: [{paths: [], weights, ...extra}]}))
      return failure(join(dir, 'model.json'))
    }
    expect(await bad([{name: 'd/k', shape: [2, -1], dtype: 'float32'}])).toMatchObject({code: 'KM_FORMAT_TFJS_MANIFEST', path: '$.weightsManifest[0].weights[0].shape'})
    expect(await bad([{name: 'd/k', shape: [2], dtype: 'float32', quantization: {dtype: 'uint8'}}])).toMatchObject({code: 'KM_FORMAT_TFJS_MANIFEST'})
    expect(await bad([{name: 'd/k', shape: [2], dtype: 'float32', quantization: {dtype: 'int4', min: 0, scale: 1}}])).toMatchObject({code: 'KM_FORMAT_TFJS_MANIFEST', path: '$.weightsManifest[0].weights[0].quantization.dtype'})
    const str = await bad([{name: 'vocab/table', shape: [2], dtype: 'string'}])
    expect(str).toBeInstanceOf(WeightsError)
    expect(str.code).toBe('KM_WEIGHTS_DTYPE')
    expect(await bad([], {paths: ['../elsewhere/shard.bin']})).toMatchObject({code: 'KM_FORMAT_TFJS_SHARD_PATH'})
    expect(await bad([], {paths: ['https://example.com/shard.bin']})).toMatchObject({code: 'KM_FORMAT_TFJS_SHARD_PATH'})
  })
})
