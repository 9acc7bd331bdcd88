import {writeFileSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {FormatError} from '../../../src/core/errors.js'
import {readKerasH5Model, sniffH5Kind} from '../../../src/core/formats/keras-h5.js'
import {isObject} from '../../../src/core/json.js'
import {hasH5py, makeH5Files} from '../io/h5py.js'

describe.skipIf(!hasH5py)('keras-h5 on files written by h5py in Keras layouts', () => {
  let files: ReturnType<typeof makeH5Files>
  const f = (name: string): string => files.file(name)

  beforeAll(() => {
    files = makeH5Files()
    writeFileSync(f('model.json'), '{"class_name": "Sequential", "config": {}}')
  })
  afterAll(() => files.cleanup())

  /** Reads with a stable source name so error messages can be snapshotted. */
  const read = (name: string) => readKerasH5Model(f(name), {source: name})
  const failure = (name: string) => read(name).then(() => expect.unreachable('should throw'), (e: unknown) => e as FormatError)

  it('reads a tf.keras full model with vlen string attributes (h5py >= 3)', async () => {
    const raw = await read('full-vlen.h5')
    expect(raw).toMatchObject({format: 'keras-h5', keras_version: '2.11.0', backend: 'tensorflow'})
    expect(raw.document).toMatchObject({class_name: 'Sequential', config: {name: 'sequential'}})
    expect(raw.training_config).toMatchObject({loss: 'binary_crossentropy', optimizer_config: {class_name: 'Adam'}})
  })

  it('reads fixed-length string attributes (h5py 2.x) and falls back to model_weights for versions', async () => {
    const raw = await read('full-fixed.h5')
    expect(raw).toMatchObject({keras_version: '2.11.0', backend: 'tensorflow', training_config: null})
    expect(isObject(raw.document) && raw.document.class_name).toBe('Sequential')
  })

  it('reads a Keras 1.2.2 file: bare-list Sequential, no backend anywhere', async () => {
    const raw = await read('full-keras1.h5')
    expect(raw).toMatchObject({keras_version: '1.2.2', backend: null, training_config: null})
    expect(isObject(raw.document) && Array.isArray(raw.document.config)).toBe(true)
  })

  it("tolerates Python's NaN and -Infinity in model_config", async () => {
    const raw = await read('full-nan.h5')
    expect(raw.document).toMatchObject({config: {layers: [{config: {max_value: Number.NaN, threshold: Number.NEGATIVE_INFINITY}}]}})
  })

  it('finds model_config on group model/kerasmodel, and behind a user block', async () => {
    expect(await read('full-kerasmodel.h5')).toMatchObject({keras_version: '2.2.4', backend: 'tensorflow', document: {class_name: 'Sequential'}})
    expect(await read('full-userblock.h5')).toMatchObject({keras_version: '2.11.0', document: {class_name: 'Sequential'}})
    expect(await read('full-chunked.h5')).toMatchObject({keras_version: '2.11.0', document: {class_name: 'Sequential'}})
  })

  it('refuses a weights-only save_weights file with a hint to pass the architecture', async () => {
    const error = await failure('legacy-weights.h5')
    expect(error).toBeInstanceOf(FormatError)
    expect(error.code).toBe('KM_FORMAT_WEIGHTS_ONLY')
    expect(error.message).toMatchInlineSnapshot(`"legacy-weights.h5 holds only weights (a save_weights('….h5') file), not a model architecture."`)
    expect(error.hint).toMatch(/--weights/)
    expect(error.hint).toMatch(/load-weights/)
    expect(await failure('legacy-chunked.h5')).toMatchObject({code: 'KM_FORMAT_WEIGHTS_ONLY'})
  })

  it('refuses Keras 3 and tf.keras 2.14 .weights.h5 files the same way', async () => {
    const error = await failure('keras3-weights.h5')
    expect(error).toMatchObject({code: 'KM_FORMAT_WEIGHTS_ONLY', exit: 4})
    expect(error.message).toMatchInlineSnapshot(`"keras3-weights.h5 holds only weights (a Keras 3 .weights.h5 file), not a model architecture."`)
    expect(await failure('tf214-weights.h5')).toMatchObject({code: 'KM_FORMAT_WEIGHTS_ONLY'})
  })

  it('refuses other HDF5 files, naming what they hold', async () => {
    const error = await failure('plain.h5')
    expect(error.code).toBe('KM_FORMAT_H5_NOT_KERAS')
    expect(error.message).toMatchInlineSnapshot(`"plain.h5 is an HDF5 file but not a Keras model: no 'model_config' attribute (it holds 'x')."`)
  })

  it('reports invalid model_config JSON with the attribute name', async () => {
    const error = await failure('full-badjson.h5')
    expect(error.code).toBe('KM_FORMAT_JSON')
    expect(error.message).toMatch(/^full-badjson\.h5 \(attribute 'model_config'\) is not valid JSON/)
  })

  it('refuses a file that is not HDF5 with one clear error', async () => {
    const error = await failure('model.json')
    expect(error).toMatchObject({code: 'KM_FORMAT_NOT_HDF5', message: 'model.json is not an HDF5 file (no HDF5 signature found).'})
  })

  it('sniffs what each HDF5 file holds', async () => {
    const kinds = Object.fromEntries(
      await Promise.all(
        ['full-vlen.h5', 'full-fixed.h5', 'full-kerasmodel.h5', 'legacy-weights.h5', 'legacy-chunked.h5', 'keras3-weights.h5', 'tf214-weights.h5', 'plain.h5'].map(
          async (name) => [name, await sniffH5Kind(f(name))],
        ),
      ),
    )
    expect(kinds).toEqual({
      'full-vlen.h5': 'full-model',
      'full-fixed.h5': 'full-model',
      'full-kerasmodel.h5': 'full-model',
      'legacy-weights.h5': 'legacy-weights',
      'legacy-chunked.h5': 'legacy-weights',
      'keras3-weights.h5': 'keras3-weights',
      'tf214-weights.h5': 'keras3-weights',
      'plain.h5': 'unknown',
    })
    await expect(sniffH5Kind(f('model.json'))).rejects.toMatchObject({code: 'KM_FORMAT_NOT_HDF5'})
  })
})
