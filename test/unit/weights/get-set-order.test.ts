import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {summarize} from '../../../src/core/graph/summarize.js'
import {readModel} from '../../../src/core/read.js'
import {defaultOrder, weightSlots} from '../../../src/core/weights/get-set.js'
import {fixture} from '../../helpers/paths.js'

/** nested-tfkeras212.json with the encoder's BatchNormalization moved before its Dense, as Keras version `version` wrote it. */
async function bnFirst(version: string | null) {
  const doc = JSON.parse(readFileSync(fixture('nested-tfkeras212.json'), 'utf8')) as {keras_version?: string; config: {layers: Array<{config: {layers: unknown[]}}>}}
  const encoder = doc.config.layers[1]?.config.layers as Array<{class_name: string; config: Record<string, unknown>}>
  const [input, dense, bn] = encoder
  encoder.splice(0, 3, input as never, bn as never, dense as never)
  if (version === null) delete doc.keras_version
  else doc.keras_version = version
  return (await readModel({bytes: new TextEncoder().encode(JSON.stringify(doc)), name: 'bn-first.json'})).model
}

const names = (model: Awaited<ReturnType<typeof bnFirst>>, order: 'layers' | 'keras3' | 'keras2'): string[] =>
  weightSlots(summarize(model), order).map((s) => `${s.layer}/${s.info.name}`)

describe('get_weights() order by Keras generation', () => {
  it.each([
    [null, 'layers'], ['1.2.2', 'layers'], ['2.1.3', 'layers'], ['2.3.1', 'layers'],
    ['2.2.4-tf', 'keras3'], ['2.4.0', 'keras3'], ['2.12.0', 'keras3'], ['2.15.0', 'keras3'],
  ] as const)('keras_version %s → %s', (version, order) => {
    expect(defaultOrder({dialect: 'keras2', keras_version: version})).toBe(order)
  })

  it('is keras3 for a Keras 3 document whatever its version says', () => {
    expect(defaultOrder({dialect: 'keras3', keras_version: '2.1.0'})).toBe('keras3')
  })

  it('keeps a nested model\'s saved order (trainable first) for standalone Keras, layer by layer for tf.keras and Keras 3', async () => {
    const model = await bnFirst('2.12.0')
    const head = ['head/head_dense/kernel', 'head/head_dense/bias']
    expect(names(model, 'layers')).toEqual([
      'encoder/enc_bn/gamma', 'encoder/enc_bn/beta', 'encoder/enc_1/kernel', 'encoder/enc_1/bias', 'encoder/enc_bn/moving_mean', 'encoder/enc_bn/moving_variance', ...head,
    ])
    expect(names(model, 'keras3')).toEqual([
      'encoder/enc_bn/gamma', 'encoder/enc_bn/beta', 'encoder/enc_bn/moving_mean', 'encoder/enc_bn/moving_variance', 'encoder/enc_1/kernel', 'encoder/enc_1/bias', ...head,
    ])
    expect(names(model, 'keras2')).toEqual([
      'encoder/enc_bn/gamma', 'encoder/enc_bn/beta', 'encoder/enc_1/kernel', 'encoder/enc_1/bias', ...head, 'encoder/enc_bn/moving_mean', 'encoder/enc_bn/moving_variance',
    ])
  })
})
