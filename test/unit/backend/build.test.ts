import {describe, expect, it, vi} from 'vitest'
import {type WeightValue, buildModel, getWeights, loadBackend, setWeights} from '../../../src/core/backend/tfjs.js'
import {readModel} from '../../../src/core/read.js'
import {fixture} from '../../helpers/paths.js'
import {errorOf, fnLayer, functional, readDoc} from '../../helpers/read.js'

const shapes = (t: {shape: Array<number | null>} | Array<{shape: Array<number | null>}>) => (Array.isArray(t) ? t.map((x) => x.shape) : [t.shape])

describe('buildModel on the fixtures', () => {
  const cases: Array<[string, Array<Array<number | null>>, Array<Array<number | null>>, number]> = [
    ['siamese-tfkeras212.json', [[null, 16], [null, 16]], [[null, 1], [null, 4]], 221],
    ['residual-keras3.json', [[null, 8]], [[null, 1]], 305],
    ['mlp-tfkeras212.json', [[null, 784]], [[null, 10]], 235146],
    ['cnn-list-keras208.json', [[null, 28, 28, 1]], [[null, 10]], 13610],
    ['cnn-keras213.yaml', [[null, 28, 28, 1]], [[null, 10]], 46426],
  ]
  it.each(cases)('%s builds with the expected input/output shapes and parameter count', async (file, ins, outs, params) => {
    await loadBackend('cpu')
    const {model} = await readModel(fixture(file))
    const built = await buildModel(model, {zeroInit: true})
    expect(shapes(built.inputs)).toEqual(ins)
    expect(shapes(built.outputs)).toEqual(outs)
    expect(built.countParams()).toBe(params)
    const weights = await getWeights(built)
    expect(weights.layers.flatMap((l) => l.weights).every((w) => w.data.every((v) => v === 0))).toBe(true)
  })

  it('keeps Keras initialisers unless zeroInit is asked for', async () => {
    const {model} = await readModel(fixture('mlp-tfkeras212.json'))
    const weights = await getWeights(await buildModel(model))
    const kernel = weights.layers.find((l) => l.weights.length > 0)?.weights[0]
    expect(kernel?.data.some((v) => v !== 0)).toBe(true)
  })
})

describe('input shapes', () => {
  const sequential = (first: Record<string, unknown>, second: Record<string, unknown> = {}) => readDoc({
    class_name: 'Sequential', keras_version: '2.0.6', backend: 'tensorflow',
    config: [
      {class_name: 'LSTM', config: {name: 'lstm', units: 2, batch_input_shape: [25, 4, 1], ...first}},
      {class_name: 'Dense', config: {name: 'dense', units: 1, batch_input_shape: [null, 99], ...second}},
    ],
  })

  it('frees a fixed batch size (Keras 2.0 files) unless a layer is stateful', async () => {
    await loadBackend('cpu')
    expect((await buildModel((await sequential({})).model)).inputs[0]?.shape).toEqual([null, 4, 1])
    expect((await buildModel((await sequential({stateful: true})).model)).inputs[0]?.shape).toEqual([25, 4, 1])
    expect((await buildModel((await sequential({})).model, {keepBatchSize: true})).inputs[0]?.shape).toEqual([25, 4, 1])
  })

  it('ignores input shapes on layers after the first, as Keras does, without tfjs console warnings', async () => {
    const warn = vi.spyOn(console, 'warn')
    const built = await buildModel((await sequential({implementation: 0})).model)
    expect(built.outputs[0]?.shape).toEqual([null, 1])
    expect(warn).not.toHaveBeenCalled()
    warn.mockRestore()
  })
})

describe('Keras 1 documents', () => {
  it('build with Keras 1 regularizer dicts (W_regularizer) as L1L2', async () => {
    const {model} = await readDoc({class_name: 'Sequential', keras_version: '1.2.2', config: [
      {class_name: 'Dense', config: {name: 'dense_1', output_dim: 3, input_dim: 4, init: 'glorot_uniform', activation: 'relu', W_regularizer: {name: 'WeightRegularizer', l1: 0, l2: 0.01}, b_regularizer: null}},
    ]})
    const built = await buildModel(model)
    expect(built.outputs[0]?.shape).toEqual([null, 3])
    expect(built.getLayer('dense_1').getConfig().kernelRegularizer).toMatchObject({className: 'L1L2', config: {l1: 0, l2: 0.01}})
  })
})

describe('layers that cannot be computed', () => {
  it('refuses a Lambda layer without running its code', async () => {
    const {model} = await readDoc(functional([
      fnLayer('InputLayer', 'x', [], {batch_input_shape: [null, 2]}),
      fnLayer('Lambda', 'lam', [['x', 0, 0]], {function: ['4wEAAAAAAAAA', null, null], function_type: 'lambda', output_shape: null, arguments: {}}),
    ], ['x'], ['lam']))
    const error = await errorOf(buildModel(model))
    expect(error).toMatchObject({code: 'KM_BACKEND_CODE_LAYER', exit: 6})
    expect(error.message).toMatchInlineSnapshot(`"Layer 'lam' is a Lambda layer at $.config.layers[1]: it holds code, which kmodel never runs, so the model cannot be computed."`)
  })

  it('refuses an unknown custom class with the layer name and place', async () => {
    const {model} = await readDoc(functional([
      fnLayer('InputLayer', 'x', [], {batch_input_shape: [null, 2]}),
      fnLayer('ClusteringLayer', 'clusters', [['x', 0, 0]], {n_clusters: 3}),
    ], ['x'], ['clusters']))
    const error = await errorOf(buildModel(model))
    expect(error).toMatchObject({code: 'KM_BACKEND_UNSUPPORTED_LAYER', exit: 6})
    expect(error.message).toContain("Layer 'clusters' has class 'ClusteringLayer' at $.config.layers[1]")
  })
})

describe('setWeights / getWeights', () => {
  it('round-trips positional weights and refuses wrong shapes and counts', async () => {
    await loadBackend('cpu')
    const {model} = await readModel(fixture('siamese-tfkeras212.json'))
    const built = await buildModel(model, {zeroInit: true})
    const before = await getWeights(built)
    const shared = before.layers.find((l) => l.weights.length === 2 && l.weights[0]?.shape[0] === 16)
    expect(shared).toBeDefined()
    const name = shared?.name ?? ''
    const kernel = {shape: [16, 8], data: Float32Array.from({length: 128}, (_, i) => i / 128)}
    const bias = {shape: [8], data: Float32Array.from({length: 8}, (_, i) => -i)}
    await setWeights(built, new Map([[name, [kernel, bias]]]))
    const after = (await getWeights(built)).layers.find((l) => l.name === name)
    expect(after?.weights.map((w) => w.shape)).toEqual([[16, 8], [8]])
    expect(after?.weights[0]?.data).toEqual(kernel.data)
    expect(after?.weights[1]?.data).toEqual(bias.data)
    expect(after?.weights[0]?.name).toMatch(new RegExp(`^${name}/kernel:0$`))
    await expect(setWeights(built, new Map<string, WeightValue[]>([[name, [bias, kernel]]]))).rejects.toMatchObject({code: 'KM_WEIGHTS_SHAPE', exit: 5})
    await expect(setWeights(built, new Map<string, WeightValue[]>([[name, [kernel]]]))).rejects.toMatchObject({code: 'KM_WEIGHTS_COUNT'})
    await expect(setWeights(built, new Map<string, WeightValue[]>([['nope', []]]))).rejects.toMatchObject({code: 'KM_WEIGHTS_UNKNOWN_LAYER'})
  })
})
