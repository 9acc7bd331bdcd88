/** Test support: small WeightsFile builders with deterministic, bit-distinct values. */
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {LayerWeights, WeightData, WeightDType, WeightTensor, WeightsFile} from '../../src/core/weights/types.js'

function values(dtype: WeightDType, n: number, seed: number): WeightData {
  const f = (i: number): number => Math.sin(seed * 7919 + i * 104_729) * 1000
  switch (dtype) {
    case 'float32': return Float32Array.from({length: n}, (_, i) => f(i))
    case 'float64': return Float64Array.from({length: n}, (_, i) => f(i) / 3)
    case 'int8': return Int8Array.from({length: n}, (_, i) => Math.trunc(f(i)) % 128)
    case 'int16': return Int16Array.from({length: n}, (_, i) => Math.trunc(f(i)) % 32_768)
    case 'int32': return Int32Array.from({length: n}, (_, i) => Math.trunc(f(i) * 1e5))
    case 'int64': return BigInt64Array.from({length: n}, (_, i) => BigInt(Math.trunc(f(i))) * 10_000_000_000n)
    case 'uint8': case 'bool': return Uint8Array.from({length: n}, (_, i) => (dtype === 'bool' ? i % 2 : Math.abs(Math.trunc(f(i))) % 256))
    case 'uint16': case 'float16': case 'bfloat16': return Uint16Array.from({length: n}, (_, i) => Math.abs(Math.trunc(f(i) * 60)) % 0x7c00)
    case 'uint32': return Uint32Array.from({length: n}, (_, i) => Math.abs(Math.trunc(f(i) * 1e6)))
    case 'uint64': return BigUint64Array.from({length: n}, (_, i) => BigInt(Math.abs(Math.trunc(f(i)))) * 3_000_000_000n)
  }
}

let counter = 0

/** A tensor with distinct, reproducible values. */
export function tensor(name: string, shape: number[], dtype: WeightDType = 'float32'): WeightTensor {
  const n = shape.reduce((a, b) => a * b, 1)
  return {name, shape, dtype, data: values(dtype, n, ++counter)}
}

/** A layer as a reader would produce it. */
export function layer(name: string, ...weights: WeightTensor[]): LayerWeights {
  return {name, path: `/${name}`, name_is_layer_name: true, weights}
}

/** A WeightsFile of the given layers. */
export function weightsFile(layers: LayerWeights[], extra: Partial<WeightsFile> = {}): WeightsFile {
  return {layout: 'keras2', source: 'test', keras_version: null, backend: null, layers, top_level: [], ...extra}
}

/** A fresh tmpdir, its file paths, the names in it, and cleanup. */
export function tmp(): {dir: string; file: (name: string) => string; list: () => string[]; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), 'kmodel-write-'))
  return {dir, file: (name) => join(dir, name), list: () => readdirSync(dir).sort(), cleanup: () => rmSync(dir, {recursive: true, force: true})}
}
