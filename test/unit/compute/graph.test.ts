/**
 * The executor (src/core/compute/graph.ts, model.ts) on small real graphs: shared layers, nested models and
 * their weight order, training-mode updates and loss terms. Expected values are computed by hand here.
 */
import {describe, expect, it} from 'vitest'
import {loadTfjs} from '../../../src/core/backend/runtime.js'
import {loadBackend} from '../../../src/core/backend/select.js'
import {type ComputeModel, buildComputeModel} from '../../../src/core/compute/model.js'
import {fnLayer, functional, readDoc} from '../../helpers/read.js'

async function modelOf(doc: Record<string, unknown>): Promise<ComputeModel> {
  await loadBackend('cpu')
  const {model} = await readDoc(doc)
  return buildComputeModel((await loadTfjs()).core, model)
}

async function run(m: ComputeModel, xs: Array<{shape: number[]; data: number[]}>, training = false): Promise<{outputs: number[][]; losses: number[]}> {
  const {core} = await loadTfjs()
  const result = core.tidy(() => {
    const r = m.apply(xs.map((x) => core.tensor(x.data, x.shape)), {training})
    return [...r.outputs, ...r.losses.map((l) => core.reshape(l, [1]))]
  })
  const values = await Promise.all(result.map(async (t) => Array.from(await t.data())))
  core.dispose(result)
  return {outputs: values.slice(0, m.outputs.length), losses: values.slice(m.outputs.length).flat()}
}

const dense = (name: string, units: number, extra: Record<string, unknown> = {}) => ({name, units, activation: 'linear', use_bias: true, ...extra})

describe('executor', () => {
  it('runs a layer shared by two calls with one set of weights', async () => {
    const m = await modelOf(functional([
      fnLayer('InputLayer', 'a', [], {batch_input_shape: [null, 2]}),
      fnLayer('InputLayer', 'b', [], {batch_input_shape: [null, 2]}),
      {class_name: 'Dense', name: 'shared', config: dense('shared', 1), inbound_nodes: [[['a', 0, 0, {}]], [['b', 0, 0, {}]]]},
      fnLayer('Add', 'sum', [['shared', 0, 0], ['shared', 1, 0]]),
    ], ['a', 'b'], ['sum']))
    try {
      m.setWeights(new Map([['shared', [{shape: [2, 1], data: Float32Array.from([1, 10])}, {shape: [1], data: Float32Array.from([0.5])}]]]))
      const {outputs} = await run(m, [{shape: [1, 2], data: [1, 2]}, {shape: [1, 2], data: [3, 4]}])
      expect(outputs[0]).toEqual([21.5 + 43.5])
    } finally {
      m.dispose()
    }
  })

  it('orders a nested model\'s weights as Keras does (trainable first) and runs its graph', async () => {
    const inner = {class_name: 'Sequential', name: 'inner', config: {name: 'inner', layers: [
      {class_name: 'InputLayer', config: {batch_input_shape: [null, 2], name: 'inner_in'}},
      {class_name: 'BatchNormalization', config: {name: 'bn', axis: -1, epsilon: 0.001, momentum: 0.5, center: true, scale: true}},
      {class_name: 'Dense', config: dense('d', 1)},
    ]}, inbound_nodes: [[['x', 0, 0, {}]]]}
    const m = await modelOf(functional([fnLayer('InputLayer', 'x', [], {batch_input_shape: [null, 2]}), inner], ['x'], ['inner']))
    try {
      // Keras order of the nested model's weights: bn gamma, bn beta, d kernel, d bias, then moving mean, moving variance.
      const gamma = [2, 2], beta = [1, 1], kernel = [1, 1], bias = [0], mean = [1, 1], variance = [3.999, 3.999]
      const v = (data: number[], shape = [data.length]) => ({shape, data: Float32Array.from(data)})
      m.setWeights(new Map([['inner', [v(gamma), v(beta), v(kernel, [2, 1]), v(bias), v(mean), v(variance)]]]))
      const {outputs} = await run(m, [{shape: [1, 2], data: [3, 5]}])
      // bn: (x - 1) / sqrt(3.999 + 0.001) * 2 + 1 = x - 1 + 1 = x; dense: 3 + 5
      expect(outputs[0]?.[0]).toBeCloseTo(8, 5)
      expect(m.trainableVariables()).toHaveLength(4)
    } finally {
      m.dispose()
    }
  })

  it('updates BatchNormalization\'s moving statistics in training mode only', async () => {
    const m = await modelOf({class_name: 'Sequential', keras_version: '2.15.0', backend: 'tensorflow', config: {name: 's', layers: [
      {class_name: 'InputLayer', config: {batch_input_shape: [null, 1], name: 'in'}},
      {class_name: 'BatchNormalization', config: {name: 'bn', axis: -1, epsilon: 0.001, momentum: 0.5, center: true, scale: true}},
    ]}})
    try {
      const v = (data: number[]) => ({shape: [data.length], data: Float32Array.from(data)})
      m.setWeights(new Map([['bn', [v([1]), v([0]), v([0]), v([1])]]]))
      await run(m, [{shape: [2, 1], data: [2, 4]}], false)
      expect((await m.readWeights('bn')).map((w) => Array.from(w))).toEqual([[1], [0], [0], [1]])
      await run(m, [{shape: [2, 1], data: [2, 4]}], true)
      // batch mean 3, biased variance 1: moving = 0.5·old + 0.5·batch
      const after = (await m.readWeights('bn')).map((w) => Array.from(w))
      expect(after[2]?.[0]).toBeCloseTo(1.5, 6)
      expect(after[3]?.[0]).toBeCloseTo(1, 6)
    } finally {
      m.dispose()
    }
  })

  it('adds an activity regularizer\'s penalty, divided by the batch size', async () => {
    const m = await modelOf({class_name: 'Sequential', keras_version: '2.15.0', backend: 'tensorflow', config: {name: 's', layers: [
      {class_name: 'InputLayer', config: {batch_input_shape: [null, 2], name: 'in'}},
      {class_name: 'Dense', config: dense('d', 2, {activity_regularizer: {class_name: 'L1L2', config: {l1: 0.5, l2: 0.25}}})},
    ]}})
    try {
      m.setWeights(new Map([['d', [{shape: [2, 2], data: Float32Array.from([1, 0, 0, 1])}, {shape: [2], data: Float32Array.from([0, 0])}]]]))
      const {losses} = await run(m, [{shape: [2, 2], data: [1, -2, 3, 4]}], true)
      // Σ|y| = 10, Σy² = 30: (0.5·10 + 0.25·30) / 2
      expect(losses).toHaveLength(1)
      expect(losses[0]).toBeCloseTo(6.25, 5)
    } finally {
      m.dispose()
    }
  })
})
