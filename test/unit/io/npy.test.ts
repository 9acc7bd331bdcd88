import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type NdArray, readNpy, readNpz, writeNpy, writeNpz} from '../../../src/core/io/npy.js'
import {announceSkip} from '../../helpers/paths.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_NUMPY = spawnSync(PYTHON, ['-c', 'import numpy'], {stdio: 'ignore'}).status === 0
if (!HAVE_NUMPY) announceSkip('NumPy interop (test/unit/io/npy.test.ts)', `${PYTHON} cannot import numpy; install Debian python3-numpy`)

/** Files numpy writes; `v(name)` is what each should read back as (C order, as numbers). */
const WRITE = String.raw`
import numpy as np, sys, zipfile, os
d = sys.argv[1]
np.save(f'{d}/f4.npy', np.arange(12, dtype='<f4').reshape(3, 4) / 4)
np.save(f'{d}/f8be.npy', np.arange(6, dtype='>f8').reshape(2, 3) * 1.5)
np.save(f'{d}/fortran.npy', np.asfortranarray(np.arange(24, dtype='<i4').reshape(2, 3, 4)))
np.save(f'{d}/i2be.npy', np.array([[-3, 2], [1, -32768]], dtype='>i2'))
np.save(f'{d}/i8.npy', np.array([-(2**40), 7], dtype='<i8'))
np.save(f'{d}/u1.npy', np.array([0, 255, 7], dtype='u1'))
np.save(f'{d}/u4.npy', np.array([4000000000], dtype='<u4'))
np.save(f'{d}/bool.npy', np.array([True, False, True]))
np.save(f'{d}/f2.npy', np.array([1.0, -2.5, 0.333], dtype='<f2'))
np.save(f'{d}/scalar.npy', np.float32(3.5))
np.save(f'{d}/empty.npy', np.zeros((0, 3), dtype='<f4'))
for v in [(2, 0), (3, 0)]:
    with open(f'{d}/v{v[0]}.npy', 'wb') as f:
        np.lib.format.write_array(f, np.arange(5, dtype='<f4'), version=v)
np.save(f'{d}/object.npy', np.array([1, 'a'], dtype=object), allow_pickle=True)
np.save(f'{d}/record.npy', np.zeros(2, dtype=[('a', '<f4'), ('b', '<i4')]))
np.savez(f'{d}/stored.npz', x=np.arange(6, dtype='<f4').reshape(2, 3), lstm_input_1=np.ones((2, 1, 1), dtype='<f8'))
np.savez_compressed(f'{d}/deflated.npz', np.arange(4, dtype='<i4'), np.arange(3, dtype='<f4'))
with zipfile.ZipFile(f'{d}/evil.npz', 'w') as z:
    z.writestr('../evil.npy', open(f'{d}/f4.npy', 'rb').read())
`

/** Reads back what kmodel wrote: prints each array's dtype, shape and values as JSON. */
const CHECK = String.raw`
import numpy as np, sys, json
out = {}
for path in sys.argv[1:]:
    if path.endswith('.npz'):
        with np.load(path) as z:
            out[path] = {k: [str(z[k].dtype), list(z[k].shape), z[k].ravel().tolist()] for k in z.files}
    else:
        a = np.load(path)
        out[path] = [str(a.dtype), list(a.shape), a.ravel().tolist()]
print(json.dumps(out))
`

const numbers = (a: NdArray): number[] => Array.from(a.data as ArrayLike<number | bigint>, Number)

describe.skipIf(!HAVE_NUMPY)('.npy / .npz written by numpy', () => {
  let dir = ''
  const read = (name: string) => readNpy(readFileSync(join(dir, name)), name)
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kmodel-npy-'))
    const run = spawnSync(PYTHON, ['-c', WRITE, dir], {encoding: 'utf8'})
    if (run.status !== 0) throw new Error(`numpy script failed: ${run.stderr}`)
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('reads little- and big-endian floats and ints with their shapes', () => {
    expect(read('f4.npy')).toMatchObject({dtype: 'float32', shape: [3, 4]})
    expect(numbers(read('f4.npy'))).toEqual(Array.from({length: 12}, (_, i) => i / 4))
    expect(read('f8be.npy')).toMatchObject({dtype: 'float64', shape: [2, 3], data: Float64Array.from([0, 1.5, 3, 4.5, 6, 7.5])})
    expect(read('i2be.npy')).toMatchObject({dtype: 'int16', data: Int16Array.from([-3, 2, 1, -32768])})
    expect(read('i8.npy')).toMatchObject({dtype: 'int64', data: BigInt64Array.from([-(2n ** 40n), 7n])})
    expect(read('u1.npy')).toMatchObject({dtype: 'uint8', data: Uint8Array.from([0, 255, 7])})
    expect(read('u4.npy')).toMatchObject({dtype: 'uint32', data: Uint32Array.from([4000000000])})
    expect(read('bool.npy')).toMatchObject({dtype: 'bool', data: Uint8Array.from([1, 0, 1])})
    expect(read('f2.npy')).toMatchObject({dtype: 'float16', data: Uint16Array.from([0x3c00, 0xc100, 0x3554])})
  })

  it('turns Fortran order into C order', () => {
    expect(read('fortran.npy')).toMatchObject({dtype: 'int32', shape: [2, 3, 4], data: Int32Array.from({length: 24}, (_, i) => i)})
  })

  it('reads scalars, empty arrays and format versions 2.0 and 3.0', () => {
    expect(read('scalar.npy')).toMatchObject({shape: [], data: Float32Array.from([3.5])})
    expect(read('empty.npy')).toMatchObject({shape: [0, 3], data: new Float32Array(0)})
    for (const v of ['v2.npy', 'v3.npy']) expect(read(v)).toMatchObject({shape: [5], data: Float32Array.from([0, 1, 2, 3, 4])})
  })

  it('refuses pickled objects and record arrays with a FormatError', () => {
    expect(() => read('object.npy')).toThrowErrorMatchingInlineSnapshot(`[FormatError: object.npy holds Python objects (loading them would need pickle, which kmodel never runs); kmodel reads float, int, uint and bool arrays.]`)
    expect(() => read('record.npy')).toThrow(/structured \(record\) array/)
  })

  it('reads stored and deflated .npz archives by name, in archive order', () => {
    const stored = readNpz(readFileSync(join(dir, 'stored.npz')), 'stored.npz')
    expect([...stored.keys()]).toEqual(['x', 'lstm_input_1'])
    expect(stored.get('lstm_input_1')).toMatchObject({dtype: 'float64', shape: [2, 1, 1]})
    const deflated = readNpz(readFileSync(join(dir, 'deflated.npz')), 'deflated.npz')
    expect([...deflated.keys()]).toEqual(['arr_0', 'arr_1'])
    expect(deflated.get('arr_0')).toMatchObject({dtype: 'int32', data: Int32Array.from([0, 1, 2, 3])})
  })

  it('refuses an archive member whose name climbs out of the folder', () => {
    expect(() => readNpz(readFileSync(join(dir, 'evil.npz')), 'evil.npz')).toThrow(expect.objectContaining({code: 'KM_FORMAT_NPZ', message: "evil.npz has an archive member named '../evil.npy', which points outside the archive."}))
  })

  it('writes .npy and .npz files numpy reads back exactly', () => {
    const a: NdArray = {dtype: 'float32', shape: [2, 2], data: Float32Array.from([0.5, -1, 3.25, 1e-8])}
    const b: NdArray = {dtype: 'int64', shape: [3], data: BigInt64Array.from([1n, -(2n ** 50n), 3n])}
    const c: NdArray = {dtype: 'bool', shape: [2, 1], data: Uint8Array.from([1, 0])}
    const wide: NdArray = {dtype: 'float64', shape: Array.from({length: 32}, () => 1), data: Float64Array.from([2.5])}
    writeFileSync(join(dir, 'a.npy'), writeNpy(a))
    writeFileSync(join(dir, 'wide.npy'), writeNpy(wide))
    writeFileSync(join(dir, 'ab.npz'), writeNpz(new Map([['a', a], ['b', b]]), {compress: true}))
    writeFileSync(join(dir, 'c.npz'), writeNpz([['c', c]]))
    const paths = ['a.npy', 'wide.npy', 'ab.npz', 'c.npz'].map((f) => join(dir, f))
    const run = spawnSync(PYTHON, ['-c', CHECK, ...paths], {encoding: 'utf8'})
    expect(run.stderr).toBe('')
    const got = JSON.parse(run.stdout) as Record<string, unknown>
    expect(got[paths[0] ?? '']).toEqual(['float32', [2, 2], [0.5, -1, 3.25, Math.fround(1e-8)]])
    expect(got[paths[1] ?? '']).toEqual(['float64', wide.shape, [2.5]])
    expect(got[paths[2] ?? '']).toEqual({a: ['float32', [2, 2], [0.5, -1, 3.25, Math.fround(1e-8)]], b: ['int64', [3], [1, -(2 ** 50), 3]]})
    expect(got[paths[3] ?? '']).toEqual({c: ['bool', [2, 1], [true, false]]})
    expect(numbers(readNpy(readFileSync(paths[0] ?? ''), 'a.npy'))).toEqual(Array.from(a.data as Float32Array))
  })
})

describe('.npy errors', () => {
  const header = (dict: string, major = 1) => {
    const text = dict + ' '.repeat(64 - ((10 + dict.length + 1) % 64)) + '\n'
    const out = new Uint8Array(10 + text.length)
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0])
    new DataView(out.buffer).setUint16(8, text.length, true)
    out.set(new TextEncoder().encode(text), 10)
    return out
  }
  it('names what is wrong', () => {
    expect(() => readNpy(new TextEncoder().encode('hello world'), 'x.npy')).toThrow(expect.objectContaining({code: 'KM_FORMAT_NPY', message: 'x.npy is not a NumPy .npy file (no \\x93NUMPY signature).'}))
    expect(() => readNpy(header("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"), 't.npy')).toThrowErrorMatchingInlineSnapshot(`[FormatError: t.npy is truncated: shape (4) of '<f4' needs 16 data bytes, the file has 0.]`)
    expect(() => readNpy(header("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"), 'c.npy')).toThrow(/dtype '<c8'/)
    expect(() => readNpy(header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 9), 'v.npy')).toThrow(/version 9\.0/)
    expect(() => readNpz(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]), 'z.npz')).toThrow(expect.objectContaining({code: 'KM_FORMAT_NPZ'}))
  })
})
