import {readFileSync, writeFileSync} from 'node:fs'
import {relative} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {FormatError, InputError, InternalError} from '../../../src/core/errors.js'
import {
  type H5Group,
  attrNames,
  datasetInfo,
  getDataset,
  getGroup,
  hasAttr,
  hdf5SignatureOffset,
  isHdf5File,
  listChildren,
  readAttr,
  readDataset,
  readStringArrayAttr,
  readStringAttr,
  readStringListAttr,
  withH5File,
} from '../../../src/core/io/hdf5.js'
import {hasH5py, makeH5Files} from './h5py.js'

const SIG = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]

describe('hdf5SignatureOffset', () => {
  it('finds the signature at 0 and after a user block', () => {
    expect(hdf5SignatureOffset(Uint8Array.from([...SIG, 0, 0]))).toBe(0)
    const ub = new Uint8Array(2048)
    ub.set(SIG, 1024)
    expect(hdf5SignatureOffset(ub)).toBe(1024)
  })
  it('returns -1 for other bytes, short buffers and signatures at odd offsets', () => {
    expect(hdf5SignatureOffset(new TextEncoder().encode('{"class_name": "Sequential"}'))).toBe(-1)
    expect(hdf5SignatureOffset(Uint8Array.from(SIG.slice(0, 7)))).toBe(-1)
    const odd = new Uint8Array(1024)
    odd.set(SIG, 100)
    expect(hdf5SignatureOffset(odd)).toBe(-1)
  })
})

describe.skipIf(!hasH5py)('io/hdf5 on files written by h5py', () => {
  let files: ReturnType<typeof makeH5Files>
  const f = (name: string): string => files.file(name)

  beforeAll(() => {
    files = makeH5Files()
    writeFileSync(f('text.h5'), '{"class_name": "Sequential"}')
    writeFileSync(f('truncated.h5'), readFileSync(f('full-vlen.h5')).subarray(0, 3000))
  })
  afterAll(() => files.cleanup())

  describe('opening', () => {
    it('recognises HDF5 by signature, including a 512-byte user block', async () => {
      expect(await isHdf5File(f('full-vlen.h5'))).toBe(true)
      expect(await isHdf5File(f('full-userblock.h5'))).toBe(true)
      expect(await isHdf5File(f('text.h5'))).toBe(false)
      expect(await withH5File(f('full-userblock.h5'), (root) => hasAttr(root, 'model_config'))).toBe(true)
    })

    it('refuses a file that is not HDF5 before h5wasm sees it', async () => {
      const error = await withH5File(f('text.h5'), () => 1, {source: 'model.h5'}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(FormatError)
      expect(error).toMatchObject({code: 'KM_FORMAT_NOT_HDF5', exit: 4, message: 'model.h5 is not an HDF5 file (no HDF5 signature found).'})
    })

    // HDF5-DIAG goes to fd 2 straight from wasm (no spy sees it); throwing here instead of getting
    // file_id -1 shows that io/hdf5 installed h5wasm's throwing error handler, which also silences it.
    it('wraps h5wasm open failures of a truncated file, with the HDF5 reason and the cause', async () => {
      const error = await withH5File(f('truncated.h5'), () => 1, {source: 't.h5'}).catch((e: unknown) => e)
      expect(error).toMatchObject({code: 'KM_FORMAT_HDF5', name: 'FormatError'})
      expect((error as Error).message).toMatch(/^t\.h5 could not be opened as HDF5: truncated file: eof = 3000/)
      expect((error as Error).cause).toBeInstanceOf(Error)
    })

    it('gives InputError for a missing file and for a folder', async () => {
      await expect(withH5File(f('nope.h5'), () => 1)).rejects.toMatchObject({code: 'KM_INPUT_NOT_FOUND', exit: 3})
      await expect(withH5File(files.dir, () => 1)).rejects.toBeInstanceOf(InputError)
      await expect(isHdf5File(f('nope.h5'))).rejects.toMatchObject({code: 'KM_INPUT_NOT_FOUND'})
    })

    it('closes the file when the callback returns or throws; handles die with it', async () => {
      let kept: H5Group | undefined
      await expect(withH5File(f('full-vlen.h5'), (root) => {
        kept = root
        throw new Error('boom')
      })).rejects.toThrow('boom')
      expect(() => attrNames(kept as H5Group)).toThrow(InternalError)
      // The same file opens again afterwards, many times (no leaked handles).
      for (let i = 0; i < 20; i++) expect(await withH5File(f('full-vlen.h5'), (root) => attrNames(root).length)).toBe(4)
    })

    it('accepts an async callback and relative paths', async () => {
      const names = await withH5File(relative(process.cwd(), f('full-vlen.h5')), async (root) => {
        await Promise.resolve()
        return attrNames(root)
      })
      expect(names.sort()).toEqual(['backend', 'keras_version', 'model_config', 'training_config'])
    })
  })

  describe('string attributes', () => {
    it('reads vlen UTF-8, vlen ASCII and fixed-length scalars alike', async () => {
      const got = await withH5File(f('datasets.h5'), (root) => ({
        vlenBytes: readStringAttr(root, 'vlen_bytes'),
        fixed: readStringAttr(root, 'fixed_scalar'),
        oneList: readStringAttr(root, 'one_list'),
        bytes: readStringAttr(root, 'uint8_bytes'),
        nullSpace: readStringAttr(root, 'null_space'),
        absent: readStringAttr(root, 'absent'),
      }))
      expect(got).toEqual({vlenBytes: 'plain', fixed: 'fix', oneList: 'only', bytes: 'raw bytes', nullSpace: null, absent: null})
      const full = await withH5File(f('full-vlen.h5'), (root) => [readStringAttr(root, 'keras_version'), readStringAttr(root, 'backend')])
      expect(full).toEqual(['2.11.0', 'tensorflow'])
    })

    it('refuses numbers and several strings where one string is expected', async () => {
      await withH5File(f('datasets.h5'), (root) => {
        expect(() => readStringAttr(root, 'number')).toThrowErrorMatchingInlineSnapshot(`[FormatError: d.h5: attribute 'number' of '/' is a number, not a string.]`)
        expect(() => readStringAttr(root, 'vlen_list')).toThrow(/holds 2 strings where one was expected/)
        expect(() => readStringArrayAttr(root, 'number')).toThrow(expect.objectContaining({code: 'KM_FORMAT_HDF5_ATTR'}))
      }, {source: 'd.h5'})
    })

    it('reads string arrays; an empty float64 array is an empty list', async () => {
      await withH5File(f('datasets.h5'), (root) => {
        expect(readStringArrayAttr(root, 'vlen_list')).toEqual(['a', 'bé'])
        expect(readStringArrayAttr(root, 'empty_f64')).toEqual([])
        expect(readStringArrayAttr(root, 'fixed_scalar')).toEqual(['fix'])
        expect(readStringArrayAttr(root, 'absent')).toBeNull()
        expect(readAttr(root, 'number')).toBe(42)
        expect(readAttr(root, 'empty_f64')).toEqual(new Float64Array(0))
      })
      await withH5File(f('legacy-weights.h5'), (root) => {
        const dropout = getGroup(root, 'dropout') as H5Group
        expect(readStringArrayAttr(dropout, 'weight_names')).toEqual([])
        expect(readStringArrayAttr(getGroup(root, 'dense') as H5Group, 'weight_names')).toEqual(['dense/kernel:0', 'dense/bias:0'])
      })
    })

    it('reads layer_names as a vlen ASCII array (tf.keras >= 2.5, Keras 3) and as a fixed-length array', async () => {
      const names = async (name: string) => withH5File(f(name), (root) => readStringListAttr(getGroup(root, 'model_weights') as H5Group, 'layer_names'))
      expect(await names('full-vlen.h5')).toEqual(['dense', 'dropout', 'dense_1'])
      expect(await names('full-fixed.h5')).toEqual(['dense', 'dropout', 'dense_1'])
    })

    it('concatenates chunked name0..N attributes, or reads the whole one', async () => {
      const chunked = await withH5File(f('full-chunked.h5'), (root) => readStringListAttr(getGroup(root, 'model_weights') as H5Group, 'layer_names'))
      expect(chunked).toEqual(['dense', 'dropout', 'dense_1'])
      expect(await withH5File(f('legacy-chunked.h5'), (root) => readStringListAttr(root, 'layer_names'))).toEqual(['dense', 'dropout', 'dense_1'])
      expect(await withH5File(f('legacy-weights.h5'), (root) => readStringListAttr(root, 'layer_names'))).toEqual(['dense', 'dropout', 'dense_1'])
      expect(await withH5File(f('plain.h5'), (root) => readStringListAttr(root, 'layer_names'))).toBeNull()
    })

    it('repairs UTF-8 names that h5py stored as ASCII-marked bytes, so they match the group names', async () => {
      await withH5File(f('full-utf8names.h5'), (root) => {
        const weights = getGroup(root, 'model_weights') as H5Group
        const names = readStringListAttr(weights, 'layer_names')
        expect(names).toEqual(['dénse_é', '日本'])
        expect(listChildren(weights).map((c) => c.name).sort()).toEqual([...(names ?? [])].sort())
        expect(readStringArrayAttr(getGroup(weights, 'dénse_é') as H5Group, 'weight_names')).toEqual(['dénse_é/kernel:0'])
      })
    })
  })

  describe('groups and datasets', () => {
    it('lists children with their kind and walks relative and absolute paths', async () => {
      await withH5File(f('datasets.h5'), (root) => {
        expect(listChildren(root).filter((c) => c.kind === 'group')).toEqual([{name: 'grp', kind: 'group'}])
        expect(listChildren(root).filter((c) => c.kind === 'dataset').map((c) => c.name)).toEqual(['empty', 'f16', 'f32', 'f64be', 'i64', 'str', 'u8'])
        const grp = getGroup(root, 'grp') as H5Group
        expect(listChildren(grp)).toEqual([{name: 'd', kind: 'dataset'}, {name: 'sub', kind: 'group'}])
        expect(getGroup(grp, 'sub')?.path).toBe('/grp/sub')
        expect(getGroup(grp, '/grp/sub')?.path).toBe('/grp/sub')
        expect(getDataset(grp, 'd')?.path).toBe('/grp/d')
        expect(getGroup(root, 'f32')).toBeNull()
        expect(getDataset(root, 'grp')).toBeNull()
        expect(getGroup(root, 'missing/deeper')).toBeNull()
      })
    })

    it('reads Keras weight datasets whose names contain ":" and "/"', async () => {
      const kernel = await withH5File(f('full-vlen.h5'), (root) => {
        const ds = getDataset(root, 'model_weights/dense/dense/kernel:0')
        if (ds === null) throw new Error('missing')
        return {info: datasetInfo(ds), data: readDataset(ds)}
      })
      expect(kernel.info).toEqual({shape: [4, 3], dtype: 'float32', size: 12})
      expect(kernel.data).toEqual(Float32Array.from({length: 12}, (_, i) => i))
    })

    it('gives shape, dtype and typed arrays for each numeric dtype', async () => {
      await withH5File(f('datasets.h5'), (root) => {
        const ds = (name: string) => getDataset(root, name) ?? expect.unreachable(name)
        expect(datasetInfo(ds('f64be'))).toEqual({shape: [2], dtype: 'float64', size: 2})
        expect(readDataset(ds('f64be'))).toEqual(Float64Array.of(1.5, -2.5))
        expect(datasetInfo(ds('i64'))).toEqual({shape: [], dtype: 'int64', size: 1})
        expect(readDataset(ds('i64'))).toEqual(BigInt64Array.of(-5n))
        expect(readDataset(ds('u8'))).toEqual(Uint8Array.of(1, 2, 255))
        expect(datasetInfo(ds('empty'))).toEqual({shape: [0, 3], dtype: 'float32', size: 0})
        expect(readDataset(ds('empty'))).toEqual(new Float32Array(0))
        expect(datasetInfo(ds('str')).dtype).toBe('string')
      })
    })

    it('refuses string and float16 datasets with a FormatError', async () => {
      await withH5File(f('datasets.h5'), (root) => {
        expect(() => readDataset(getDataset(root, 'str') ?? expect.unreachable())).toThrow(expect.objectContaining({code: 'KM_FORMAT_HDF5_DTYPE'}))
        expect(() => readDataset(getDataset(root, 'f16') ?? expect.unreachable())).toThrow(/dataset '\/f16' has dtype 'float16'/)
      })
    })
  })
})
