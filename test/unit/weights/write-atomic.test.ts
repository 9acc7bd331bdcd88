import {readFileSync, writeFileSync} from 'node:fs'
import {afterAll, afterEach, describe, expect, it, vi} from 'vitest'
import {InputError, UsageError, WeightsError} from '../../../src/core/errors.js'
import * as hdf5 from '../../../src/core/io/hdf5.js'
import {writeWeightsH5} from '../../../src/core/weights/write-h5.js'
import {layer, tensor, tmp, weightsFile} from '../../helpers/weights-file.js'

// A failing disk, simulated: createDataset throws on the chosen call (the real h5wasm writes the rest).
let failOn = -1
let calls = 0
vi.mock('../../../src/core/io/hdf5.js', async (importOriginal) => {
  const real = await importOriginal<typeof hdf5>()
  return {
    ...real,
    createDataset: (...args: Parameters<typeof real.createDataset>) => {
      if (calls++ === failOn) throw new InputError('KM_INPUT_WRITE_FAILED', 'simulated: no space left on device.')
      return real.createDataset(...args)
    },
  }
})

const file = weightsFile([layer('d', tensor('d/kernel:0', [2, 2]), tensor('d/bias:0', [2]))])

describe('atomic writing', () => {
  const dir = tmp()
  afterAll(() => dir.cleanup())
  afterEach(() => {
    failOn = -1
    calls = 0
  })

  it('refuses to overwrite without force, replaces with force', async () => {
    const path = dir.file('w.h5')
    writeFileSync(path, 'old')
    const refused = await writeWeightsH5(path, file, {layout: 'keras2', force: false}).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(UsageError)
    expect(refused).toMatchObject({code: 'KM_USAGE_OUTPUT_EXISTS', exit: 2})
    expect(readFileSync(path, 'utf8')).toBe('old')
    await writeWeightsH5(path, file, {layout: 'keras2', force: true})
    expect(await hdf5.isHdf5File(path)).toBe(true)
    expect(dir.list()).toEqual(['w.h5'])
  })

  it('leaves neither a temp file nor a partial output when writing fails midway, and keeps the old file', async () => {
    const path = dir.file('fail.h5')
    failOn = 1
    await expect(writeWeightsH5(path, file, {layout: 'keras2', force: false})).rejects.toThrow(/simulated/)
    expect(dir.list()).not.toContain('fail.h5')
    expect(dir.list().filter((n) => n.endsWith('.tmp'))).toEqual([])
    writeFileSync(path, 'old')
    calls = 0
    await expect(writeWeightsH5(path, file, {layout: 'keras3', force: true})).rejects.toThrow(/simulated/)
    expect(readFileSync(path, 'utf8')).toBe('old')
    expect(dir.list().filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('fails before creating anything for invalid weights or a missing folder', async () => {
    const bad = weightsFile([layer('d', {...tensor('k', [2]), shape: [3]})])
    await expect(writeWeightsH5(dir.file('bad.h5'), bad, {layout: 'keras2', force: false})).rejects.toBeInstanceOf(WeightsError)
    const missing = await writeWeightsH5(dir.file('no/such/dir.h5'), file, {layout: 'keras2', force: false}).catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(InputError)
    expect((missing as InputError).message).toMatch(/does not exist/)
    expect(dir.list().filter((n) => n.startsWith('bad') || n.endsWith('.tmp'))).toEqual([])
  })
})
