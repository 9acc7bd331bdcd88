import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js'
import * as tfl from '@tensorflow/tfjs-layers'
import {describe, expect, it} from 'vitest'
import {convertModel} from '../../../src/core/model/dialect.js'
import {readModel} from '../../../src/core/read.js'
import {readFileSync} from 'node:fs'
import type {Json, JsonObject} from '../../../src/core/json.js'
import {summarize} from '../../../src/core/graph/summarize.js'
import {fixture} from '../../helpers/paths.js'
import {readDoc} from '../../helpers/read.js'

tf.env().set('PROD', true)

/** Builds a legacy document in tfjs-layers, the consumer that --dialect keras2 is for. */
async function buildInTfjs(document: JsonObject): Promise<tfl.LayersModel> {
  return tfl.models.modelFromJSON({modelTopology: document} as never)
}

describe('--dialect keras2 (Keras 3 → legacy)', () => {
  it('makes a Keras 3 functional model loadable by tfjs-layers with the same shapes', async () => {
    const {model} = await readModel(fixture('residual-keras3.json'))
    const {document} = convertModel(model, 'keras2')
    const text = JSON.stringify(document)
    expect(text).not.toMatch(/"module"|__keras_tensor__|"batch_shape"|DTypePolicy/)
    const built = await buildInTfjs(document)
    expect(built.inputs[0]?.shape).toEqual([null, 8])
    expect(built.outputs[0]?.shape).toEqual([null, 1])
    expect(built.countParams()).toBe(8 * 16 + 16 + 8 * 16 + 16 + 16 + 1)
  })

  it('turns L2 regularizers, OrthogonalInitializer and silu into names tfjs knows', async () => {
    const {model} = await readDoc({
      module: 'keras', class_name: 'Sequential', registered_name: null,
      config: {name: 's', trainable: true, layers: [
        {module: 'keras.layers', class_name: 'InputLayer', registered_name: null, config: {batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer', optional: false}},
        {module: 'keras.layers', class_name: 'Dense', registered_name: null, config: {
          name: 'd', units: 2, activation: 'silu', dtype: {module: 'keras', class_name: 'DTypePolicy', config: {name: 'float32'}, registered_name: null},
          kernel_initializer: {module: 'keras.initializers', class_name: 'OrthogonalInitializer', config: {gain: 1, seed: null}, registered_name: null},
          kernel_regularizer: {module: 'keras.regularizers', class_name: 'L2', config: {l2: 0.01}, registered_name: null},
        }},
      ]},
    })
    const {document} = convertModel(model, 'keras2')
    const dense = ((document.config as JsonObject).layers as JsonObject[])[1]?.config as JsonObject
    expect(dense).toMatchObject({activation: 'swish', dtype: 'float32', kernel_initializer: {class_name: 'Orthogonal'}, kernel_regularizer: {class_name: 'L1L2', config: {l1: 0, l2: 0.01}}})
    const built = await buildInTfjs(document)
    expect(built.countParams()).toBe(3 * 2 + 2)
  })
})

describe('--dialect keras3 (legacy → Keras 3)', () => {
  it('gives a Keras 2 functional model the Keras 3 shape', async () => {
    const {model} = await readModel(fixture('siamese-tfkeras212.json'))
    const {document} = convertModel(model, 'keras3')
    expect(document).toMatchObject({module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional'})
    const config = document.config as JsonObject
    const layers = config.layers as JsonObject[]
    expect(layers[0]).toMatchObject({module: 'keras.layers', class_name: 'InputLayer', config: {batch_shape: [null, 16]}})
    expect(layers[3]?.inbound_nodes).toEqual([{args: [[
      {class_name: '__keras_tensor__', config: {shape: null, dtype: 'float32', keras_history: ['shared', 0, 0]}},
      {class_name: '__keras_tensor__', config: {shape: null, dtype: 'float32', keras_history: ['shared', 1, 0]}},
    ]], kwargs: {}}])
    expect((layers[2]?.config as JsonObject).dtype).toMatchObject({class_name: 'DTypePolicy', config: {name: 'float32'}})
    expect(config.input_layers).toEqual([['left', 0, 0], ['right', 0, 0]])
    expect('keras_version' in document).toBe(false)
  })

  it('gives a legacy Sequential an explicit InputLayer, as Keras 3 writes it', async () => {
    const {model} = await readModel(fixture('cnn-list-keras208.json'))
    const layers = (convertModel(model, 'keras3').document.config as JsonObject).layers as JsonObject[]
    expect(layers[0]).toMatchObject({class_name: 'InputLayer', config: {batch_shape: [null, 28, 28, 1]}})
    expect('batch_input_shape' in (layers[1]?.config as JsonObject)).toBe(false)
  })

  it('converts back: keras2 → keras3 → keras2 keeps the graph', async () => {
    const {model} = await readModel(fixture('siamese-tfkeras212.json'))
    const k3 = await readDoc(convertModel(model, 'keras3').document)
    expect(k3.model.dialect).toBe('keras3')
    const back = await readDoc(convertModel(k3.model, 'keras2').document)
    expect(back.model.root.graph.layers.map((l) => [l.name, l.inbound_nodes.map((n) => n.inputs)])).toEqual(model.root.graph.layers.map((l) => [l.name, l.inbound_nodes.map((n) => n.inputs)]))
    const built = await buildInTfjs(convertModel(back.model, 'keras2').document)
    expect(built.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, 4]])
  })
})

/** `[layer, node, tensor]` of every call of every layer, as a legacy or a Keras 3 document records them. */
function callRefs(document: JsonObject): string[] {
  const config = document.config as JsonObject
  const out: string[] = []
  for (const layer of config.layers as JsonObject[]) {
    for (const node of layer.inbound_nodes as Json[]) {
      const refs = Array.isArray(node)
        ? node.map((d) => (d as Json[]).slice(0, 3))
        : ((node as JsonObject).args as Json[]).flat().map((t) => ((t as JsonObject).config as JsonObject).keras_history)
      out.push(`${String(layer.name)} <- ${JSON.stringify(refs)}`)
    }
  }
  return [...out, `outputs ${JSON.stringify(config.output_layers)}`]
}

describe('nested models called twice (fixtures/nested-twice-*.json, written by Keras 3.15.1 and tf-keras 2.21)', () => {
  // Keras 3 numbers a nested model's calls from 0 in keras_history but keeps tf-keras's numbering (from 1) in
  // output_layers; tf-keras numbers them from 1 everywhere (test/helpers/make_nested_twice.py wrote both).
  it('Keras 3 → legacy numbers the calls as tf-keras writes them', async () => {
    const keras3 = (await readModel(fixture('nested-twice-keras3.json'))).model
    const tfkeras = JSON.parse(readFileSync(fixture('nested-twice-tfkeras.json'), 'utf8')) as JsonObject
    expect(callRefs(convertModel(keras3, 'keras2').document)).toEqual(callRefs(tfkeras))
  })
  it('legacy → Keras 3 numbers the calls as Keras 3 writes them', async () => {
    const tfkeras = (await readModel(fixture('nested-twice-tfkeras.json'))).model
    const keras3 = JSON.parse(readFileSync(fixture('nested-twice-keras3.json'), 'utf8')) as JsonObject
    expect(callRefs(convertModel(tfkeras, 'keras3').document)).toEqual(callRefs(keras3))
  })
  it('both files summarise alike: each call of the nested models is known', async () => {
    for (const file of ['nested-twice-keras3.json', 'nested-twice-tfkeras.json']) {
      const summary = summarize((await readModel(fixture(file))).model)
      expect(summary.total_params, file).toBe(4 * 3 + 3 + 3 * 2 + 2)
    }
  })
})
