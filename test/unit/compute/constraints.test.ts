/**
 * Weight constraints (src/core/compute/constraints.ts): every Keras spelling per generation, each projection
 * against hand-computed values (ε = 1e-7 in the denominator), refusals naming layer and weight, and the train
 * step assigning the projection after the optimizer's update (ComputeModel.applyConstraints, step.ts).
 */
import {describe, expect, it} from 'vitest'
import {loadGradients, loadTfjs} from '../../../src/core/backend/runtime.js'
import {loadBackend} from '../../../src/core/backend/select.js'
import {type Constraint, applyConstraint, constraintOf, parseConstraint} from '../../../src/core/compute/constraints.js'
import {buildComputeModel} from '../../../src/core/compute/model.js'
import {weightArgKeys} from '../../../src/core/compute/regularizers.js'
import type {Json} from '../../../src/core/json.js'
import type {Dialect} from '../../../src/core/model/spec.js'
import {parseLoss} from '../../../src/core/train/compile.js'
import {defaultOptimizer} from '../../../src/core/train/optimizer-spec.js'
import {compileSteps} from '../../../src/core/train/step.js'
import {readDoc} from '../../helpers/read.js'

const EPS = 1e-7

async function project(c: Constraint, values: number[], shape: number[], generation: Dialect = 'keras3'): Promise<number[]> {
  await loadBackend('cpu')
  const {core} = await loadTfjs()
  const out = core.tidy(() => applyConstraint(core, core.tensor(values, shape, 'float32'), c, generation))
  try {
    return Array.from(await out.data())
  } finally {
    out.dispose()
  }
}

const closeTo = (actual: number[], expected: number[]): void => {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 6))
}

const errorOf = (fn: () => unknown): {code?: string; message: string} => {
  try {
    fn()
  } catch (error) {
    return error as {code: string; message: string}
  }
  throw new Error('expected an error')
}

describe('parseConstraint spellings', () => {
  const cases: Array<[string, Json, Dialect, Constraint]> = [
    ['Keras 3 string max_norm', 'max_norm', 'keras3', {kind: 'max_norm', maxValue: 2, axis: [0]}],
    ['class name string', 'MinMaxNorm', 'keras3', {kind: 'min_max_norm', minValue: 0, maxValue: 1, rate: 1, axis: [0]}],
    ['tf-keras alias maxnorm', 'maxnorm', 'keras2', {kind: 'max_norm', maxValue: 2, axis: [0]}],
    ['tf-keras alias unitnorm', 'unitnorm', 'keras2', {kind: 'unit_norm', axis: [0]}],
    ['non_neg', 'non_neg', 'keras3', {kind: 'non_neg'}],
    ['Keras 3 dict with module', {module: 'keras.constraints', class_name: 'MaxNorm', config: {max_value: 0.5, axis: [0, 1, 2]}, registered_name: null}, 'keras3', {kind: 'max_norm', maxValue: 0.5, axis: [0, 1, 2]}],
    ['tf-keras dict', {class_name: 'UnitNorm', config: {axis: 1}}, 'keras2', {kind: 'unit_norm', axis: [1]}],
    ['axis null sums every axis', {class_name: 'UnitNorm', config: {axis: null}}, 'keras2', {kind: 'unit_norm', axis: null}],
    ['MinMaxNorm with every argument', {class_name: 'MinMaxNorm', config: {min_value: 0.5, max_value: 0.8, rate: 0.7, axis: -1}}, 'keras3', {kind: 'min_max_norm', minValue: 0.5, maxValue: 0.8, rate: 0.7, axis: [-1]}],
    ['Keras 1 dict with m', {name: 'MaxNorm', m: 3, axis: 1}, 'keras2', {kind: 'max_norm', maxValue: 3, axis: [1]}],
    ['Keras 1 NonNeg dict', {name: 'NonNeg'}, 'keras2', {kind: 'non_neg'}],
    ['the base Constraint class', {class_name: 'Constraint', config: {}}, 'keras3', {kind: 'identity'}],
  ]
  it.each(cases)('%s', (_, value, generation, expected) => {
    expect(parseConstraint(value, generation, 'weight w')).toEqual(expected)
  })

  it('null and absent are no constraint', () => {
    expect(parseConstraint(null, 'keras3', 'w')).toBeNull()
    expect(parseConstraint(undefined, 'keras2', 'w')).toBeNull()
  })

  const refused: Array<[string, Json, Dialect]> = [
    ['a custom class', {class_name: 'MyClip', config: {}}, 'keras3'],
    ['RadialConstraint', {class_name: 'RadialConstraint', config: {}}, 'keras2'],
    ['a tf-keras-only alias in Keras 3', 'maxnorm', 'keras3'],
    ['a malformed axis', {class_name: 'MaxNorm', config: {max_value: 2, axis: 'rows'}}, 'keras3'],
    ['a non-numeric max_value', {class_name: 'MaxNorm', config: {max_value: '2'}}, 'keras2'],
  ]
  it.each(refused)('refuses %s, naming the weight', (_, value, generation) => {
    const error = errorOf(() => parseConstraint(value, generation, "weight 'kernel' of layer 'd'"))
    expect(error.code).toBe('KM_BACKEND_CONSTRAINT')
    expect(error.message).toContain("weight 'kernel' of layer 'd'")
  })
})

describe('applyConstraint against hand-computed values', () => {
  // columns of [[3, 0.3, 0.06], [4, 0.4, 0.08]]: norms 5, 0.5, 0.1 along axis 0
  const w = [3, 0.3, 0.06, 4, 0.4, 0.08]
  it('MaxNorm(2) scales only the column whose norm exceeds 2: w · clip(n, 0, 2) / (ε + n)', async () => {
    const f = (n: number): number => Math.min(n, 2) / (EPS + n)
    closeTo(await project({kind: 'max_norm', maxValue: 2, axis: [0]}, w, [2, 3]), [3 * f(5), 0.3 * f(0.5), 0.06 * f(0.1), 4 * f(5), 0.4 * f(0.5), 0.08 * f(0.1)])
    expect((await project({kind: 'max_norm', maxValue: 2, axis: [0]}, w, [2, 3]))[0]).toBeCloseTo(1.2, 6)
  })
  it('UnitNorm along axis 1 divides each row by ε + its norm', async () => {
    closeTo(await project({kind: 'unit_norm', axis: [1]}, [3, 4, 0, 0.6, 0.8, 0], [2, 3]), [3 / (5 + EPS), 4 / (5 + EPS), 0, 0.6 / (1 + EPS), 0.8 / (1 + EPS), 0])
  })
  it('UnitNorm with axis null divides by the norm of the whole tensor', async () => {
    closeTo(await project({kind: 'unit_norm', axis: null}, [1, 2, 2, 4], [2, 2]), [0.2, 0.4, 0.4, 0.8])
  })
  it('MinMaxNorm(0.5, 0.8, rate 0.7) moves norms 70 % of the way into [0.5, 0.8]', async () => {
    // desired = 0.7·clip(n) + 0.3·n: 5 → 2.06, 0.5 → 0.5, 0.1 → 0.38
    const got = await project({kind: 'min_max_norm', minValue: 0.5, maxValue: 0.8, rate: 0.7, axis: [0]}, w, [2, 3])
    closeTo(got, [3 * 2.06 / 5, 0.3, 0.06 * 3.8, 4 * 2.06 / 5, 0.4, 0.08 * 3.8])
  })
  it('MinMaxNorm with min_value > max_value clips to min_value (tf.clip_by_value, tf-keras max := min)', async () => {
    for (const generation of ['keras2', 'keras3'] as const) {
      closeTo(await project({kind: 'min_max_norm', minValue: 2, maxValue: 1, rate: 1, axis: [0]}, [3, 4], [2, 1], generation), [1.2, 1.6])
    }
  })
  it('NonNeg zeroes the negative entries: Keras 3 maximum(w, 0) gives +0, Keras 1/2 w · cast(w ≥ 0) gives −0', async () => {
    expect(await project({kind: 'non_neg'}, [-1.5, 0, 2, -0.001], [4], 'keras3')).toEqual([0, 0, 2, 0])
    expect(await project({kind: 'non_neg'}, [-1.5, 0, 2, -0.001], [4], 'keras2')).toEqual([-0, 0, 2, -0])
  })
})

describe('constraint lookup', () => {
  it('maps weights to their config keys, Keras 1 spellings included', () => {
    expect(weightArgKeys('kernel', 'constraint')).toEqual(['kernel_constraint', 'W_constraint'])
    expect(weightArgKeys('lstm/recurrent_kernel', 'constraint')).toEqual(['recurrent_constraint', 'U_constraint'])
    expect(weightArgKeys('gamma', 'constraint')).toEqual(['gamma_constraint'])
    expect(weightArgKeys('bias', 'regularizer')).toEqual(['bias_regularizer', 'b_regularizer'])
  })
  it('reads a Bidirectional weight from the wrapped layer config', () => {
    const layer = {name: 'bi', class_name: 'Bidirectional', config: {name: 'bi', layer: {class_name: 'LSTM', config: {recurrent_constraint: 'unit_norm'}}}}
    expect(constraintOf(layer, {name: 'forward_lstm/recurrent_kernel', shape: [2, 8]}, 'keras3')).toEqual({kind: 'unit_norm', axis: [0]})
    expect(constraintOf(layer, {name: 'forward_lstm/kernel', shape: [3, 8]}, 'keras3')).toBeNull()
  })
  it("reads a TimeDistributed weight (unprefixed) from the wrapped layer's config", () => {
    const layer = {name: 'td', class_name: 'TimeDistributed', config: {name: 'td', layer: {class_name: 'Dense', config: {kernel_constraint: 'non_neg'}}}}
    expect(constraintOf(layer, {name: 'kernel', shape: [2, 2]}, 'keras3')).toEqual({kind: 'non_neg'})
  })
})

/** A Keras 1 Dense(2) on 2 inputs with `extra` arguments. */
const keras1Dense = (extra: Record<string, unknown>): Record<string, unknown> => ({class_name: 'Sequential', keras_version: '1.2.2', config: [
  {class_name: 'Dense', config: {name: 'd', output_dim: 2, input_dim: 2, init: 'glorot_uniform', activation: 'linear', ...extra}},
]})

describe('training applies the constraints', () => {
  it('ComputeModel.applyConstraints projects a Keras 1 W_constraint / b_constraint', async () => {
    await loadBackend('cpu')
    const {core} = await loadTfjs()
    const {model} = await readDoc(keras1Dense({W_constraint: {name: 'MaxNorm', m: 1, axis: 0}, b_constraint: {name: 'NonNeg'}}))
    const m = buildComputeModel(core, model)
    try {
      m.setWeights(new Map([['d', [{shape: [2, 2], data: new Float32Array([3, 0.3, 4, 0.4])}, {shape: [2], data: new Float32Array([-1, 2])}]]]))
      m.applyConstraints(m.trainableVariables())
      const [kernel, bias] = await m.readWeights('d')
      closeTo(Array.from(kernel ?? []), [0.6, 0.3 * 0.5 / (0.5 + EPS), 0.8, 0.4 * 0.5 / (0.5 + EPS)])
      expect(Array.from(bias ?? [])).toEqual([-0, 2]) // Keras 1: w · cast(w ≥ 0)
    } finally {
      m.dispose()
    }
  })

  it('a custom constraint builds and predicts, and refuses at training naming layer and weight', async () => {
    await loadBackend('cpu')
    const {core} = await loadTfjs()
    const {model} = await readDoc(keras1Dense({W_constraint: {name: 'ClipTo', c: 1}}))
    const m = buildComputeModel(core, model)
    try {
      const y = core.tidy(() => m.apply([core.ones([1, 2])], {training: false}).outputs[0])
      expect(y?.shape).toEqual([1, 2])
      y?.dispose()
      const error = errorOf(() => m.applyConstraints(m.trainableVariables()))
      expect(error.code).toBe('KM_BACKEND_CONSTRAINT')
      expect(error.message).toMatch(/weight 'kernel' of layer 'd'|weight 'W' of layer 'd'/)
    } finally {
      m.dispose()
    }
  })

  it("refuses a norm constraint on a Keras 1 'th' convolution kernel (another layout than kmodel's)", async () => {
    await loadBackend('cpu')
    const {core} = await loadTfjs()
    const conv = {name: 'c', nb_filter: 2, nb_row: 3, nb_col: 3, dim_ordering: 'th', border_mode: 'valid', activation: 'linear', batch_input_shape: [null, 1, 5, 5], W_constraint: {name: 'MaxNorm', m: 2, axis: 0}}
    const {model} = await readDoc({class_name: 'Sequential', keras_version: '1.2.2', config: [{class_name: 'Convolution2D', config: conv}]})
    const m = buildComputeModel(core, model)
    try {
      const error = errorOf(() => m.applyConstraints(m.trainableVariables()))
      expect(error.code).toBe('KM_BACKEND_CONSTRAINT')
      expect(error.message).toContain("layer 'c'")
    } finally {
      m.dispose()
    }
  })

  it('the train step assigns the projection after the update (SGD with learning rate 0 leaves only the constraint)', async () => {
    await loadBackend('cpu')
    await loadGradients()
    const tf = await loadTfjs()
    const core = tf.core
    const {model} = await readDoc(keras1Dense({W_constraint: {name: 'UnitNorm', axis: 0}}))
    const m = buildComputeModel(core, model)
    const settings = {optimizer: {...defaultOptimizer('sgd'), learningRate: 0}, losses: [parseLoss('mean_squared_error', 'loss')], lossWeights: [1], metrics: [[]], source: 'flags' as const, warnings: []}
    const steps = compileSteps(tf, m, settings, [], 0, 'keras2')
    const [x, y] = [core.ones([3, 2]), core.zeros([3, 2])]
    try {
      m.setWeights(new Map([['d', [{shape: [2, 2], data: new Float32Array([3, 1, 4, 0])}, {shape: [2], data: new Float32Array([0, 0])}]]]))
      await steps.train([x], [y])
      const [kernel] = await m.readWeights('d')
      closeTo(Array.from(kernel ?? []), [3 / (5 + EPS), 1 / (1 + EPS), 4 / (5 + EPS), 0])
    } finally {
      core.dispose([x, y])
      steps.dispose()
      m.dispose()
    }
  })
})
