/** readWeights: content sniffing and one clear error per problem (file, HDF5 path, what). */
import {readFileSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {FormatError, InputError, type KmodelError, WeightsError} from '../../../src/core/errors.js'
import {readWeights} from '../../../src/core/weights/read.js'
import {hasH5py, makeWeightsFiles} from '../../helpers/weights-h5.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/** Reads the bytes under a stable name so messages can be snapshotted; resolves to the error. */
async function failure(input: Parameters<typeof readWeights>[0]): Promise<KmodelError> {
  return readWeights(input).then(() => expect.unreachable('should throw'), (e: unknown) => e as KmodelError)
}

describe('readWeights: inputs that are not weights', () => {
  it('refuses a Keras JSON architecture with a hint to pass it as the model', async () => {
    const error = await failure({bytes: text('{"class_name": "Sequential", "config": {"layers": []}}'), name: 'model.json'})
    expect(error).toBeInstanceOf(FormatError)
    expect(error.code).toBe('KM_FORMAT_WEIGHTS_ARCH_ONLY')
    expect(error.message).toMatchInlineSnapshot(`"model.json holds a model architecture (Keras JSON), not weights."`)
    expect(error.hint).toMatch(/^Pass it as the model and give the weights separately\./)
  })

  it('refuses a tfjs model.json without weightsManifest, a Keras 1 bare list and YAML', async () => {
    expect((await failure({bytes: text('{"modelTopology": {}}'), name: 'model.json'})).message)
      .toMatchInlineSnapshot(`"model.json holds a tfjs model.json without 'weightsManifest', not weights."`)
    expect(await failure({bytes: text('[{"class_name": "Dense", "config": {}}]'), name: 'm.json'})).toMatchObject({code: 'KM_FORMAT_WEIGHTS_ARCH_ONLY'})
    expect(await failure({bytes: text('class_name: Sequential\nconfig: {}\n'), name: 'm.yaml'})).toMatchObject({code: 'KM_FORMAT_WEIGHTS_ARCH_ONLY'})
  })

  it('refuses other JSON, sharded weight indexes, empty and unknown binary input', async () => {
    expect((await failure({bytes: text('{"a": 1}'), name: 'x.json'})).message)
      .toMatchInlineSnapshot(`"x.json is a JSON document that is neither a tfjs model.json nor a Keras file, not a Keras weights file."`)
    expect(await failure({bytes: text('{"weight_map": {}}'), name: 'm.weights.json'})).toMatchObject({code: 'KM_FORMAT_WEIGHTS_SHARDED'})
    expect(await failure({bytes: new Uint8Array(0), name: 'e.h5'})).toMatchObject({code: 'KM_FORMAT_EMPTY'})
    expect(await failure({bytes: new Uint8Array([0, 1, 2, 3, 0xff]), name: 'group1-shard1of1.bin'})).toMatchObject({code: 'KM_FORMAT_WEIGHTS_UNKNOWN'})
  })

  it('needs modelJsonDir for a tfjs model.json given as bytes', async () => {
    const error = await failure({bytes: text('{"weightsManifest": []}'), name: 'model.json'})
    expect(error).toBeInstanceOf(InputError)
    expect(error.code).toBe('KM_INPUT_TFJS_NO_DIR')
  })

  it('reports a missing file as InputError', async () => {
    expect(await failure('/nonexistent/w.h5')).toMatchObject({code: 'KM_INPUT_NOT_FOUND', exit: 3})
  })
})

describe.skipIf(!hasH5py)('readWeights: broken HDF5 and zip files', () => {
  let files: ReturnType<typeof makeWeightsFiles>
  /** The file as bytes under its bare name, so messages do not contain the tmpdir. */
  const bytes = (name: string) => ({bytes: readFileSync(files.file(name)), name})

  beforeAll(() => {
    files = makeWeightsFiles()
  })
  afterAll(() => files.cleanup())

  it('names the file, the HDF5 path and what is wrong in a broken legacy layout', async () => {
    const messages = await Promise.all(['bad-missing-group.h5', 'bad-missing-dataset.h5', 'bad-no-weight-names.h5'].map(async (n) => {
      const error = await failure(bytes(n))
      expect(error).toMatchObject({code: 'KM_FORMAT_WEIGHTS_LAYOUT', exit: 4})
      return error.message
    }))
    expect(messages).toMatchInlineSnapshot(`
      [
        "bad-missing-group.h5: layer 'lstm' is listed in 'layer_names' of '/' but has no group.",
        "bad-missing-dataset.h5: weight 'dense_1/bias:0' listed in 'weight_names' of '/dense_1' has no dataset.",
        "bad-no-weight-names.h5: layer group '/dense' has no 'weight_names' attribute.",
      ]
    `)
  })

  it('refuses string and float16 weights with WeightsError KM_WEIGHTS_DTYPE', async () => {
    const strings = await failure(bytes('bad-string-weight.h5'))
    expect(strings).toBeInstanceOf(WeightsError)
    expect(strings.message).toMatchInlineSnapshot(`"bad-string-weight.h5: weight 'dense/kernel:0' of layer 'dense' (dataset '/dense/dense/kernel:0') holds strings, not numbers."`)
    const half = await failure(bytes('bad-float16.h5'))
    expect(half).toMatchObject({code: 'KM_WEIGHTS_DTYPE', exit: 5})
    expect(half.message).toMatch(/is float16, which kmodel cannot read from HDF5\.$/)
  })

  it('refuses a dataset over the h5wasm cap before reading it', async () => {
    const error = await failure(bytes('bad-huge.h5'))
    expect(error).toBeInstanceOf(FormatError)
    expect(error.code).toBe('KM_FORMAT_HDF5_TOO_LARGE')
    expect(error.message).toMatchInlineSnapshot(`"bad-huge.h5: weight 'embedding/embeddings:0' of layer 'embedding' (dataset '/embedding/embedding/embeddings:0') is too large to read at once: 524288×1024 float32 is 2048 MiB."`)
    expect(error.hint).toMatch(/at most 1984 MiB per dataset/)
  })

  it('refuses HDF5 files without weights', async () => {
    const arch = await failure(bytes('full-no-weights.h5'))
    expect(arch.message).toMatchInlineSnapshot(`"full-no-weights.h5 holds a model architecture ('model_config') but no 'model_weights' group, so no weights."`)
    expect(arch.code).toBe('KM_FORMAT_WEIGHTS_ARCH_ONLY')
    expect((await failure(bytes('plain.h5'))).message)
      .toMatchInlineSnapshot(`"plain.h5 is an HDF5 file without 'layer_names' or a 'layers'/'vars' group (it holds 'x'), not a Keras weights file."`)
  })

  it('refuses .keras zips with npz weights or none, and other zips', async () => {
    expect(await failure(bytes('npz.keras'))).toMatchObject({code: 'KM_FORMAT_WEIGHTS_NPZ'})
    expect((await failure(bytes('noweights.keras'))).message)
      .toMatchInlineSnapshot(`"noweights.keras holds a .keras model without a 'model.weights.h5' member, not weights."`)
    expect(await failure(bytes('other.zip'))).toMatchObject({code: 'KM_FORMAT_WEIGHTS_UNKNOWN'})
  })

  it('names a temp-staged file by its given name, never by the temp path', async () => {
    const error = await failure({bytes: readFileSync(files.file('legacy-fixed.h5')).subarray(0, 3000), name: 'cut.h5'})
    expect(error).toBeInstanceOf(FormatError)
    expect(error.message.startsWith('cut.h5')).toBe(true)
    expect(error.message).not.toMatch(/kmodel-weights-/)
  })
})
