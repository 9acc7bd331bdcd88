/**
 * The compute model (src/core/compute/model.ts, graph.ts): building from the fixtures, ports, weights in
 * Keras's order per top-level layer, refusals before anything runs, regularization penalties.
 */
import {describe, expect, it} from 'vitest'
import {loadTfjs} from '../../../src/core/backend/runtime.js'
import {loadBackend} from '../../../src/core/backend/select.js'
import {type ComputeModel, type WeightValue, buildComputeModel} from '../../../src/core/compute/model.js'
import type {ModelSpec} from '../../../src/core/model/spec.js'
import {readModel} from '../../../src/core/read.js'
import {fixture} from '../../helpers/paths.js'
import {fnLayer, functional, readDoc} from '../../helpers/read.js'

async function built(model: ModelSpec): Promise<ComputeModel> {
  await loadBackend('cpu')
  return buildComputeModel((await loadTfjs()).core, model)
}

const errorOfSync = (fn: () => unknown): {code?: string; exit?: number; message: string} => {
  try {
    fn()
  } catch (error) {
    return error as {code: string; exit: number; message: string}
  }
  throw new Error('expected an error')
}

describe('buildComputeModel on the fixtures', () => {
  const cases: Array<[string, Array<Array<number | null>>, Array<Array<number | null>>, number]> = [
    ['siamese-tfkeras212.json', [[null, 16], [null, 16]], [[null, 1], [null, 4]], 221],
    ['residual-keras3.json', [[null, 8]], [[null, 1]], 305],
    ['mlp-tfkeras212.json', [[null, 784]], [[null, 10]], 235146],
    ['cnn-list-keras208.json', [[null, 28, 28, 1]], [[null, 10]], 13610],
    ['cnn-keras213.yaml', [[null, 28, 28, 1]], [[null, 10]], 46426],
  ]
  it.each(cases)('%s builds with the expected input/output shapes and parameter count', async (file, ins, outs, params) => {
    const {model} = await readModel(fixture(file))
    const m = await built(model)
    try {
      expect(m.inputs.map((p) => p.shape)).toEqual(ins)
      expect(m.outputs.map((p) => p.shape)).toEqual(outs)
      let count = 0
      for (const name of m.weightCounts.keys()) for (const w of await m.readWeights(name)) count += w.length
      expect(count).toBe(params)
    } finally {
      m.dispose()
    }
  })
})

describe('a Sequential whose first layer is a model without a declared input', () => {
  // tf-keras 2.21 model_from_json of these documents: input_shape (None, 3), predict → (4, 2) at every depth.
  const nest = (depth: number, inner: unknown): unknown => {
    let doc = inner
    for (let i = depth - 1; i >= 0; i--) doc = {class_name: 'Sequential', config: {name: `s${i}`, layers: [doc]}}
    return {...(doc as object), keras_version: '2.15.0'}
  }
  const dense = {class_name: 'Dense', config: {name: 'd0', units: 2, batch_input_shape: [null, 3]}}
  const functionalInner = {class_name: 'Functional', config: {name: 'f', layers: [
    {class_name: 'InputLayer', name: 'fx', config: {name: 'fx', batch_input_shape: [null, 3]}, inbound_nodes: []},
    {class_name: 'Dense', name: 'fd', config: {name: 'fd', units: 2}, inbound_nodes: [[['fx', 0, 0, {}]]]},
  ], input_layers: [['fx', 0, 0]], output_layers: [['fd', 0, 0]]}}
  it.each([[2, dense], [3, dense], [40, dense], [2, functionalInner]])('takes the innermost declared input (depth %i)', async (depth, inner) => {
    const {model} = await readDoc(nest(depth, inner))
    const m = await built(model)
    try {
      expect(m.inputs.map((p) => [p.name, p.shape])).toEqual([['s1_input', [null, 3]]])
      expect(m.outputs.map((p) => p.shape)).toEqual([[null, 2]])
    } finally {
      m.dispose()
    }
  })
})

describe('layers that cannot be computed are refused before anything runs', () => {
  it('refuses a Lambda layer without running its code', async () => {
    const {model} = await readDoc(functional([
      fnLayer('InputLayer', 'x', [], {batch_input_shape: [null, 2]}),
      fnLayer('Lambda', 'lam', [['x', 0, 0]], {function: ['4wEAAAAAAAAA', null, null], function_type: 'lambda', output_shape: null, arguments: {}}),
    ], ['x'], ['lam']))
    const {core} = await loadTfjs()
    const error = errorOfSync(() => buildComputeModel(core, model))
    expect(error).toMatchObject({code: 'KM_BACKEND_CODE_LAYER', exit: 6})
    expect(error.message).toMatchInlineSnapshot(`"Layer 'lam' is a Lambda layer at $.config.layers[1]: it holds code, which kmodel never runs, so the model cannot be computed."`)
  })

  it('refuses an unknown custom class with the layer name and place', async () => {
    const {model} = await readDoc(functional([
      fnLayer('InputLayer', 'x', [], {batch_input_shape: [null, 2]}),
      fnLayer('ClusteringLayer', 'clusters', [['x', 0, 0]], {n_clusters: 3}),
    ], ['x'], ['clusters']))
    const {core} = await loadTfjs()
    const error = errorOfSync(() => buildComputeModel(core, model))
    expect(error).toMatchObject({code: 'KM_BACKEND_UNSUPPORTED_LAYER', exit: 6})
    expect(error.message).toContain("Layer 'clusters' at $.config.layers[1] is class 'ClusteringLayer', which kmodel does not compute")
  })

  it('refuses a Lambda wrapped in TimeDistributed, naming the place inside the wrapper', async () => {
    const {model} = await readDoc(functional([
      fnLayer('InputLayer', 'x', [], {batch_input_shape: [null, 3, 2]}),
      fnLayer('TimeDistributed', 'td', [['x', 0, 0]], {layer: {class_name: 'Lambda', config: {name: 'lam', function: ['4wEA', null, null], function_type: 'lambda', output_shape: null, arguments: {}}}}),
    ], ['x'], ['td']))
    const {core} = await loadTfjs()
    const error = errorOfSync(() => buildComputeModel(core, model))
    expect(error).toMatchObject({code: 'KM_BACKEND_CODE_LAYER'})
    expect(error.message).toContain('$.config.layers[1].config.layer')
  })
})

describe('dtype policies', () => {
  it.each([
    ['mixed_float16', {class_name: 'Policy', config: {name: 'mixed_float16'}}, 'float16'],
    ['float64', 'float64', 'float64'],
    ['Keras 3 mixed_bfloat16', {module: 'keras', class_name: 'DTypePolicy', config: {name: 'mixed_bfloat16'}, registered_name: null}, 'bfloat16'],
  ])('refuses a layer computing in another type than float32 (%s)', async (_name, dtype, computed) => {
    const {model} = await readDoc(functional([
      fnLayer('InputLayer', 'x', [], {batch_input_shape: [null, 2]}),
      fnLayer('Dense', 'd', [['x', 0, 0]], {units: 2, dtype}),
    ], ['x'], ['d']))
    const {core} = await loadTfjs()
    const error = errorOfSync(() => buildComputeModel(core, model))
    expect(error).toMatchObject({code: 'KM_BACKEND_DTYPE', exit: 6})
    expect(error.message).toContain(`Layer 'd' at $.config.layers[1] computes in ${computed}`)
  })

  it('computes a float32 policy object', async () => {
    const {model} = await readDoc(functional([
      fnLayer('InputLayer', 'x', [], {batch_input_shape: [null, 2]}),
      fnLayer('Dense', 'd', [['x', 0, 0]], {units: 2, dtype: {class_name: 'Policy', config: {name: 'float32'}}}),
    ], ['x'], ['d']))
    const m = await built(model)
    expect(m.outputs.map((p) => p.shape)).toEqual([[null, 2]])
    m.dispose()
  })
})

describe('setWeights / readWeights', () => {
  it('round-trips positional weights and refuses wrong shapes, counts and names', async () => {
    const {model} = await readModel(fixture('siamese-tfkeras212.json'))
    const m = await built(model)
    try {
      const name = [...m.weightCounts.keys()].find((n) => m.weightCounts.get(n) === 2) ?? ''
      const [k0] = await m.readWeights(name)
      const rows = (k0?.length ?? 0) / 8
      const kernel = {shape: [rows, 8], data: Float32Array.from({length: rows * 8}, (_, i) => i / 128)}
      const bias = {shape: [8], data: Float32Array.from({length: 8}, (_, i) => -i)}
      m.setWeights(new Map([[name, [kernel, bias]]]))
      const after = await m.readWeights(name)
      expect(after[0]).toEqual(kernel.data)
      expect(after[1]).toEqual(bias.data)
      expect(() => m.setWeights(new Map<string, WeightValue[]>([[name, [bias, kernel]]]))).toThrow(expect.objectContaining({code: 'KM_WEIGHTS_SHAPE', exit: 5}))
      expect(() => m.setWeights(new Map<string, WeightValue[]>([[name, [kernel]]]))).toThrow(expect.objectContaining({code: 'KM_WEIGHTS_COUNT'}))
      expect(() => m.setWeights(new Map<string, WeightValue[]>([['nope', []]]))).toThrow(expect.objectContaining({code: 'KM_WEIGHTS_UNKNOWN_LAYER'}))
    } finally {
      m.dispose()
    }
  })
})

describe('weight penalties', () => {
  it('a Keras 1 W_regularizer dict adds l2·Σw² to the training loss', async () => {
    const {model} = await readDoc({class_name: 'Sequential', keras_version: '1.2.2', config: [
      {class_name: 'Dense', config: {name: 'dense_1', output_dim: 3, input_dim: 4, init: 'glorot_uniform', activation: 'relu', W_regularizer: {name: 'WeightRegularizer', l1: 0, l2: 0.01}, b_regularizer: null}},
    ]})
    const m = await built(model)
    try {
      m.setWeights(new Map([['dense_1', [{shape: [4, 3], data: new Float32Array(12).fill(2)}, {shape: [3], data: new Float32Array(3).fill(5)}]]]))
      const {core} = await loadTfjs()
      const total = core.tidy(() => core.addN(m.weightPenalties()))
      expect(await total.data()).toEqual(new Float32Array([0.01 * 12 * 4]))
      total.dispose()
    } finally {
      m.dispose()
    }
  })
})
