import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js'
import * as tfl from '@tensorflow/tfjs-layers'
import {describe, expect, it} from 'vitest'
import {convertModel} from '../../../src/core/model/dialect.js'
import {readModel} from '../../../src/core/read.js'
import type {JsonObject} from '../../../src/core/json.js'
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
