import {describe, expect, it} from 'vitest'
import {callOrder} from '../../../src/core/graph/topology.js'
import {errorOf, fnLayer, functional, readDoc} from '../../helpers/read.js'

const input = (name: string) => fnLayer('InputLayer', name, [], {batch_input_shape: [null, 4]})

describe('topology', () => {
  it('orders calls so every input comes first, whatever the file order', async () => {
    const doc = functional([
      fnLayer('Dense', 'late', [['early', 0, 0]]), fnLayer('Dense', 'early', [['x', 0, 0]]), input('x'),
    ], ['x'], ['late'])
    const {model} = await readDoc(doc)
    expect(callOrder(model.root.graph).map((c) => c.layer.name)).toEqual(['x', 'early', 'late'])
  })

  it('numbers a nested functional model from node 1', async () => {
    const inner = {class_name: 'Functional', name: 'inner', config: {name: 'inner', layers: [input('ix'), fnLayer('Dense', 'id', [['ix', 0, 0]])], input_layers: [['ix', 0, 0]], output_layers: [['id', 0, 0]]}, inbound_nodes: [[['x', 0, 0, {}]]]}
    const {model} = await readDoc(functional([input('x'), inner, fnLayer('Dense', 'out', [['inner', 1, 0]])], ['x'], ['out']))
    expect(callOrder(model.root.graph).map((c) => `${c.layer.name}#${c.node_index}`)).toEqual(['x#0', 'inner#1', 'out#0'])
  })

  it('refuses a cycle and names a layer on it', async () => {
    const err = await errorOf(readDoc(functional([input('x'), fnLayer('Add', 'a', [['x', 0, 0], ['b', 0, 0]]), fnLayer('Dense', 'b', [['a', 0, 0]])], ['x'], ['b'])))
    expect(err.code).toBe('KM_FORMAT_CYCLE')
    expect(err.message).toMatch(/cycle through layer '(a|b)' at \$\.config\.layers\[\d\]/)
  })

  it('refuses a dangling reference with its path', async () => {
    const err = await errorOf(readDoc(functional([input('x'), fnLayer('Dense', 'd', [['ghost', 0, 0]])], ['x'], ['d'])))
    expect(err.code).toBe('KM_FORMAT_DANGLING_REF')
    expect(err.message).toContain("unknown layer 'ghost' at $.config.layers[1].inbound_nodes[0]")
  })

  it('refuses an out-of-range node index', async () => {
    // tf-keras maps any node index of an InputLayer to its one node (`get_node_index`), so the range is checked
    // on a called layer: tf-keras raises TypeError, Keras 3 IndexError (oracle, DenseFunctional/output_layers=[["l", 1, 0]])
    const err = await errorOf(readDoc(functional([input('x'), fnLayer('Dense', 'd', [['x', 0, 0]]), fnLayer('Dense', 'e', [['d', 3, 0]])], ['x'], ['e'])))
    expect(err.code).toBe('KM_FORMAT_NODE_INDEX')
    expect(err.message).toContain("Layer 'd' has no node 3")
  })

  it('reads node indices as Keras does: any index of an InputLayer in tf-keras, Python indexing in Keras 3', async () => {
    // oracle: tf-keras accepts ["x", 5, 0] and ["x", -1, 0] for the InputLayer x; Keras 3 accepts -1
    const {model} = await readDoc(functional([input('x'), fnLayer('Dense', 'd', [['x', 5, 0]])], ['x'], ['d']))
    expect(model.root.graph.layers[1]?.inbound_nodes[0]?.inputs[0]?.node_index).toBe(0)
    const keras3 = {...functional([input('x'), fnLayer('Dense', 'd', [['x', 0, 0]]), fnLayer('Dense', 'e', [['d', -1, 0]])], ['x'], ['e']), keras_version: '3.10.0'}
    const read = await readDoc(keras3)
    expect(read.model.root.graph.layers[2]?.inbound_nodes[0]?.inputs[0]?.node_index).toBe(0)
    expect((await errorOf(readDoc({...keras3, keras_version: '2.12.0'}))).code).toBe('KM_FORMAT_NODE_INDEX')
  })

  it('refuses duplicate names', async () => {
    const err = await errorOf(readDoc(functional([input('x'), fnLayer('Dense', 'x', [['x', 0, 0]])], ['x'], ['x'])))
    expect(err.code).toBe('KM_FORMAT_DUPLICATE_NAME')
  })

  it('refuses outputs that name a missing layer', async () => {
    const err = await errorOf(readDoc(functional([input('x')], ['x'], ['nope'])))
    expect(err.message).toContain('$.config.output_layers')
  })

  it('handles a 100,000-layer chain (the KMODEL_MAX_LAYERS default) without recursion', async () => {
    const layers = [input('x'), ...Array.from({length: 99_999}, (_, i) => fnLayer('Dense', `d${i}`, [[i === 0 ? 'x' : `d${i - 1}`, 0, 0]], {units: 1}))]
    const {model} = await readDoc(functional(layers, ['x'], ['d99998']))
    expect(callOrder(model.root.graph)).toHaveLength(100_000)
  })
})
