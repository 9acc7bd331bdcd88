/**
 * Large datasets move between the file and JS arrays without h5wasm's heap copy (io/hdf5-direct.ts). These
 * tests check the bytes, not the speed: kmodel's files read back bit-identical in kmodel and h5py with the
 * contiguous layout h5py writes, and layouts the redirect does not cover (chunked, compressed, big-endian)
 * still read correctly.
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {type H5NumericArray, createDataset, createGroup, getDataset, readDataset, withH5File, withNewH5File} from '../../../src/core/io/hdf5.js'
import {hasH5py} from './h5py.js'

const dir = mkdtempSync(join(tmpdir(), 'kmodel-direct-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const wave = (i: number): number => Math.sin(i * 0.7311) * 1e3
const DATA: Record<string, {data: H5NumericArray; shape: number[]}> = {
  'big/f32': {data: Float32Array.from({length: 300 * 301}, (_, i) => wave(i)), shape: [300, 301]},
  'big/f64': {data: Float64Array.from({length: 70_001}, (_, i) => wave(i) / 7), shape: [70_001]},
  'big/i64': {data: BigInt64Array.from({length: 40_000}, (_, i) => BigInt(i) * -3_000_000_007n), shape: [200, 200]},
  'big/u8': {data: Uint8Array.from({length: 3 * 100_003}, (_, i) => (i * 7) % 256), shape: [3, 100_003]},
  'big/i16': {data: Int16Array.from({length: 150_000}, (_, i) => (i % 65_536) - 32_768), shape: [150_000]},
  'small/f32': {data: Float32Array.from([1.5, -2, 3e-30]), shape: [3]},
}

const bytesOf = (a: H5NumericArray): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
const sha = (a: H5NumericArray): string => createHash('sha256').update(bytesOf(a)).digest('hex')

function python(script: string, ...args: string[]): string {
  const run = spawnSync('/usr/bin/python3', ['-c', script, ...args], {encoding: 'utf8'})
  if (run.status !== 0) throw new Error(run.stderr)
  return run.stdout
}

describe('direct dataset transfers', () => {
  const file = join(dir, 'kmodel.h5')

  it('reads back what it wrote, bit for bit, large and small', async () => {
    await withNewH5File(file, (root) => {
      createGroup(root, 'big')
      for (const [path, {data, shape}] of Object.entries(DATA)) createDataset(root, path, data, shape)
    })
    const back = await withH5File(file, (root) => Object.keys(DATA).map((path) => {
      const ds = getDataset(root, path)
      if (ds === null) throw new Error(`no dataset ${path}`)
      return readDataset(ds)
    }))
    back.forEach((a, i) => {
      const want = Object.values(DATA)[i]?.data
      expect(a.constructor).toBe(want?.constructor)
      expect(sha(a)).toBe(want === undefined ? '' : sha(want))
    })
  })

  it.skipIf(!hasH5py)('writes contiguous datasets h5py reads bit-identical', () => {
    const out = python(`
import h5py, hashlib, json, sys
with h5py.File(sys.argv[1], 'r') as f:
    print(json.dumps({k: [f[k].dtype.str, list(f[k].shape), f[k].chunks, f[k].compression, hashlib.sha256(f[k][()].tobytes()).hexdigest()] for k in sys.argv[2:]}))
`, file, ...Object.keys(DATA))
    const seen = JSON.parse(out) as Record<string, [string, number[], unknown, unknown, string]>
    for (const [path, {data, shape}] of Object.entries(DATA)) {
      expect(seen[path]?.slice(1)).toEqual([shape, null, null, sha(data)])
      expect(seen[path]?.[0]).toMatch(/^[<|]/)
    }
  })

  it.skipIf(!hasH5py)('reads chunked, compressed and big-endian datasets h5py wrote', async () => {
    const h5 = join(dir, 'h5py.h5')
    python(`
import h5py, numpy as np, sys
v = (np.arange(400 * 300) % 251).astype('float32') - 100
with h5py.File(sys.argv[1], 'w') as f:
    f.create_dataset('contig', data=v.reshape(400, 300))
    f.create_dataset('chunked', data=v.reshape(400, 300), chunks=(64, 100))
    f.create_dataset('gzip', data=v.reshape(400, 300), chunks=(50, 300), compression='gzip')
    f.create_dataset('big_endian', data=v.reshape(400, 300).astype('>f4'))
    f.create_dataset('unwritten', shape=(400, 300), dtype='<f4', fillvalue=2.5)
`, h5)
    const want = Float32Array.from({length: 400 * 300}, (_, i) => (i % 251) - 100)
    const names = ['contig', 'chunked', 'gzip', 'big_endian', 'unwritten']
    const got = await withH5File(h5, (root) => names.map((n) => {
      const ds = getDataset(root, n)
      if (ds === null) throw new Error(n)
      return readDataset(ds)
    }))
    for (const a of got.slice(0, 4)) expect(sha(a)).toBe(sha(want))
    expect(got[4]?.every((x) => x === 2.5)).toBe(true)
  })
})
