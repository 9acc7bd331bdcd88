/**
 * Test support: an independent look at written HDF5 files through h5py (h5_describe.py) and h5dump.
 * Tests that need them skip loudly when /usr/bin/python3 + h5py or h5dump are missing.
 */
import {spawnSync} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {WeightData, WeightDType} from '../../src/core/weights/types.js'
import {hasH5py} from '../unit/io/h5py.js'
import {announceSkip} from './paths.js'

export {hasH5py}

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'h5_describe.py')

/** True when h5dump (Debian hdf5-tools) runs. */
export const hasH5dump: boolean = spawnSync('h5dump', ['--version'], {stdio: 'ignore'}).status === 0
if (!hasH5dump) announceSkip('h5dump checks of written files', 'h5dump is not installed (Debian hdf5-tools)')

/** One attribute as h5py sees it. */
export interface AttrInfo {
  class: number
  type: 'fixed' | 'vlen' | 'numeric'
  value: unknown
  shape: number[]
  cset?: 'ascii' | 'utf8'
  strpad?: 'nullterm' | 'nullpad' | 'spacepad'
  size?: number
  /** NumPy dtype string of the value h5py returns (`|S9`, `<f8`). */
  numpy?: string
}

/** One group or dataset as h5py sees it. */
export interface NodeInfo {
  path: string
  kind: 'group' | 'dataset'
  attrs: Record<string, AttrInfo>
  dtype?: string
  shape?: number[]
  sha256?: string
  layout?: number
  data?: string
}

/** A whole file: superblock version and every object, root first. */
export interface FileInfo {
  superblock: number
  nodes: NodeInfo[]
}

function run<T>(args: string[]): T {
  const out = spawnSync(PYTHON, [SCRIPT, ...args], {encoding: 'utf8', maxBuffer: 1 << 30})
  if (out.status !== 0) throw new Error(`h5_describe.py ${args.join(' ')} failed (${out.status}): ${out.stderr}`)
  return JSON.parse(out.stdout) as T
}

/** Every object of the file, described by h5py; `data` adds each dataset's bytes as base64. */
export function describeH5(path: string, data = false): FileInfo {
  return run<FileInfo>(['describe', path, ...(data ? ['--data'] : [])])
}

/** The objects of a description by path. */
export function byPath(info: FileInfo): Map<string, NodeInfo> {
  return new Map(info.nodes.map((n) => [n.path, n]))
}

/** One weight as the loader reads it: name from weight_names, NumPy dtype, base64 bytes. */
export interface ViewWeight {
  name: string
  dtype: string
  shape: number[]
  data: string
}

/** What Keras's legacy loader reads from a keras2 file: layers by layer_names, weights by weight_names. */
export interface Keras2View {
  layers: Array<{name: string; weights: ViewWeight[]}>
  top_level: ViewWeight[] | null
  backend: string | null
  keras_version: string | null
}

/** Reads a keras2 file the way Keras's `load_weights_from_hdf5_group` addresses it. */
export function kerasView(path: string): Keras2View {
  return run<Keras2View>(['keras2', path])
}

/** The part lengths NumPy's array_split loop in Keras gives for `n` names of `itemsize` bytes. */
export function kerasChunkLengths(n: number, itemsize: number): number[] {
  return run<number[]>(['chunks', String(n), String(itemsize)])
}

/** True when `h5dump -H` reads the whole file without error. */
export function h5dumpParses(path: string): {ok: boolean; output: string} {
  const out = spawnSync('h5dump', ['-H', path], {encoding: 'utf8'})
  return {ok: out.status === 0 && !/h5dump error/i.test(out.stderr), output: `${out.stdout}\n${out.stderr}`}
}

/** The bytes of a typed array as base64 (what h5_describe.py returns for dataset data). */
export function b64(data: ArrayBufferView): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')
}

const ARRAYS = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array], '|i1': ['int8', Int8Array], '<i2': ['int16', Int16Array],
  '<i4': ['int32', Int32Array], '<i8': ['int64', BigInt64Array], '|u1': ['uint8', Uint8Array], '<u2': ['uint16', Uint16Array],
  '<u4': ['uint32', Uint32Array], '<u8': ['uint64', BigUint64Array],
} as const

/** NumPy dtype string + base64 bytes → kmodel dtype and typed array (a copy, aligned). */
export function fromNumpy(dtype: string, base64: string): {dtype: WeightDType; data: WeightData} {
  const entry = ARRAYS[dtype as keyof typeof ARRAYS]
  if (entry === undefined) throw new Error(`unsupported numpy dtype ${dtype}`)
  const bytes = Buffer.from(base64, 'base64')
  const copy = new Uint8Array(bytes.length)
  copy.set(bytes)
  const [name, Ctor] = entry
  return {dtype: name, data: new Ctor(copy.buffer)}
}
