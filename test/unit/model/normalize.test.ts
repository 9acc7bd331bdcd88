import {describe, expect, it} from 'vitest'
import {readModel} from '../../../src/core/read.js'
import {errorOf, fnLayer, functional, readDoc} from '../../helpers/read.js'
import {fixture} from '../../helpers/paths.js'

const input = (name: string) => fnLayer('InputLayer', name, [], {batch_input_shape: [null, 4]})

describe('normalize: dialects and legacy variants', () => {
  it('reads a tf.keras Sequential with an InputLayer entry', async () => {
    const {model, format} = await readModel(fixture('mlp-tfkeras212.json'))
    expect(format).toBe('keras-json')
    expect(model.dialect).toBe('keras2')
    expect(model.keras_version).toBe('2.12.0')
    expect(model.root.graph.sequential).toBe(true)
    expect(model.root.graph.layers.map((l) => l.name)).toEqual(['dense_input', 'dense', 'dropout', 'dense_1', 'dense_2'])
    expect(model.root.extra).toEqual({keras_version: '2.12.0', backend: 'tensorflow'})
  })

  it('turns a Keras 2.0 list-form Sequential into {name, layers}', async () => {
    const {model} = await readModel(fixture('cnn-list-keras208.json'))
    expect(model.root.config).toEqual({name: 'sequential_1'})
    expect(model.root.graph.layers).toHaveLength(4)
  })

  it('reads Keras 3 dict nodes and flat input/output triples', async () => {
    const {model} = await readModel(fixture('residual-keras3.json'))
    expect(model.dialect).toBe('keras3')
    expect(model.root.graph.inputs).toEqual([{layer: 'features', node_index: 0, tensor_index: 0}])
    const add = model.root.graph.layers.find((l) => l.name === 'add')
    expect(add?.inbound_nodes[0]?.inputs.map((r) => r.layer)).toEqual(['hidden', 'skip'])
    expect(add?.extra).toMatchObject({module: 'keras.layers', registered_name: null})
  })

  it('reads a shared layer as one layer with two nodes', async () => {
    const {model} = await readModel(fixture('siamese-tfkeras212.json'))
    const shared = model.root.graph.layers.find((l) => l.name === 'shared')
    expect(shared?.inbound_nodes.map((n) => n.inputs[0]?.layer)).toEqual(['left', 'right'])
  })

  it('unwraps a double-encoded JSON string', async () => {
    const inner = JSON.stringify(functional([input('x'), fnLayer('Dense', 'd', [['x', 0, 0]], {units: 2})], ['x'], ['d']))
    const {model} = await readDoc(JSON.stringify(inner))
    expect(model.root.graph.layers).toHaveLength(2)
  })

  it('unwraps {model_config} and tfjs {modelTopology}', async () => {
    const doc = {class_name: 'Sequential', config: {name: 's', layers: [{class_name: 'Dense', config: {name: 'd', units: 1, batch_input_shape: [null, 3]}}]}}
    const tfjs = await readDoc({format: 'layers-model', modelTopology: {keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js', model_config: doc}, weightsManifest: []})
    expect(tfjs.format).toBe('tfjs')
    expect(tfjs.model.keras_version).toBe('tfjs-layers 4.22.0')
    const wrapped = await readDoc({model_config: doc, training_config: {loss: 'mse'}})
    expect(wrapped.model.training_config).toEqual({loss: 'mse'})
  })

  it('accepts a bare get_config() dict', async () => {
    const {model} = await readDoc({name: 's', layers: [{class_name: 'Dense', config: {name: 'd', units: 1}}]})
    expect(model.root.class_name).toBe('Sequential')
  })

  it('does not mutate what it read', async () => {
    const doc = functional([input('x'), fnLayer('Dense', 'd', [['x', 0, 0]], {units: 2})], ['x'], ['d'])
    const before = JSON.stringify(doc)
    await readDoc(doc)
    expect(JSON.stringify(doc)).toBe(before)
  })
})

describe('normalize: refusals', () => {
  it('refuses a subclassed model and says why', async () => {
    const err = await errorOf(readModel(fixture('subclassed-simplemlp.json')))
    expect(err.code).toBe('KM_FORMAT_SUBCLASSED')
    expect(err.exit).toBe(4)
    expect(err.message).toContain("'SimpleMLP' at $ is a subclassed model")
    expect(err.hint).toMatch(/functional API/)
  })

  it('refuses Keras 0.x files', async () => {
    expect((await errorOf(readDoc({name: 'Sequential', layers: [{name: 'Dense', output_dim: 3}]}))).code).toBe('KM_FORMAT_KERAS0')
  })

  it.each([
    ['a number', 42, 'KM_FORMAT_NOT_A_MODEL'],
    ['no class_name', {config: {}}, 'KM_FORMAT_MISSING_KEY'],
    ['a layer that is not an object', {class_name: 'Sequential', config: {name: 's', layers: [3]}}, 'KM_FORMAT_INVALID_LAYER'],
    ['a layer without class_name', {class_name: 'Sequential', config: {name: 's', layers: [{config: {name: 'd'}}]}}, 'KM_FORMAT_MISSING_KEY'],
    ['a layer config that is a string', {class_name: 'Sequential', config: {name: 's', layers: [{class_name: 'Dense', config: 'x'}]}}, 'KM_FORMAT_INVALID_LAYER'],
    ['inbound_nodes that is not a list', functional([input('x'), {class_name: 'Dense', name: 'd', config: {name: 'd'}, inbound_nodes: 5}], ['x'], ['d']), 'KM_FORMAT_INVALID_NODE'],
    ['a malformed connection', functional([input('x'), {class_name: 'Dense', name: 'd', config: {name: 'd'}, inbound_nodes: [[['x', 'zero', 0, {}]]]}], ['x'], ['d']), 'KM_FORMAT_INVALID_NODE'],
  ])('refuses %s with %s', async (_what, doc, code) => {
    const err = await errorOf(readDoc(doc, 'bad.json'))
    expect(err.code).toBe(code)
    expect(err.message.startsWith('bad.json')).toBe(true)
  })

  it('names the JSON path of a bad layer', async () => {
    const err = await errorOf(readDoc({class_name: 'Sequential', config: {name: 's', layers: [{class_name: 'Dense', config: {name: 'a'}}, {class_name: 'Dense', config: 'x'}]}}))
    expect(err.message).toContain('$.config.layers[1].config')
  })
})
