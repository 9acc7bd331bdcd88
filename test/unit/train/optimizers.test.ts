import {beforeAll, describe, expect, it} from 'vitest'
import {type Tfjs, loadTfjs} from '../../../src/core/backend/runtime.js'
import {lossFn, metricFn} from '../../../src/core/train/losses.js'
import {defaultOptimizer, type OptimizerSpec, parseOptimizer} from '../../../src/core/train/optimizer-spec.js'
import {makeOptimizer} from '../../../src/core/train/optimizers.js'

let tf: Tfjs
beforeAll(async () => {
  tf = await loadTfjs()
  await tf.core.setBackend('cpu')
})

/** Runs `steps` updates of `spec` on L = ½·Σw² (so g = w) from w0; returns w. */
function run(spec: OptimizerSpec, w0: number[], steps: number): number[] {
  const w = tf.core.variable(tf.core.tensor1d(w0))
  const opt = makeOptimizer(tf.core, spec)
  for (let i = 0; i < steps; i++) {
    const g = tf.core.clone(w)
    opt.apply([w], [g], i)
    g.dispose()
  }
  const out = Array.from(w.dataSync())
  opt.dispose()
  w.dispose()
  return out
}

/** The same updates written per element, straight from the formulas in optimizers.ts's comment. */
function reference(spec: OptimizerSpec, w0: number[], steps: number): number[] {
  return w0.map((start) => {
    let w = start
    let m = 0
    let v = spec.name === 'adagrad' ? spec.initialAccumulator : 0
    let d = 0
    for (let t = 1; t <= steps; t++) {
      const g = w
      const lr = spec.learningRate / (1 + spec.decay * (t - 1))
      w -= lr * spec.weightDecay * w
      if (spec.name === 'sgd') {
        m = spec.momentum * m - lr * g
        w = spec.nesterov ? w + spec.momentum * m - lr * g : w + m
      } else if (spec.name === 'adam' || spec.name === 'adamw') {
        m = spec.beta1 * m + (1 - spec.beta1) * g
        v = spec.beta2 * v + (1 - spec.beta2) * g * g
        w -= (lr * Math.sqrt(1 - spec.beta2 ** t)) / (1 - spec.beta1 ** t) * m / (Math.sqrt(v) + spec.epsilon)
      } else if (spec.name === 'rmsprop') {
        v = spec.rho * v + (1 - spec.rho) * g * g
        // legacy without momentum (tf-keras < 2.11 Python rule): ε after the root
        w -= (lr * g) / (spec.legacy ? Math.sqrt(v) + spec.epsilon : Math.sqrt(v + spec.epsilon))
      } else if (spec.name === 'adagrad') {
        v += g * g
        // legacy: TensorFlow's ResourceApplyAdagradV2, ε after the root
        w -= (lr * g) / (spec.legacy ? Math.sqrt(v) + spec.epsilon : Math.sqrt(v + spec.epsilon))
      } else if (spec.name === 'adadelta') {
        v = spec.rho * v + (1 - spec.rho) * g * g
        const delta = -g * Math.sqrt(d + spec.epsilon) / Math.sqrt(v + spec.epsilon)
        d = spec.rho * d + (1 - spec.rho) * delta * delta
        w += lr * delta
      } else {
        m = spec.beta1 * m + (1 - spec.beta1) * g
        v = Math.max(spec.beta2 * v, Math.abs(g))
        w -= (lr / (1 - spec.beta1 ** t)) * m / (v + spec.epsilon)
      }
    }
    return w
  })
}

describe('optimizers: three steps on ½·Σw² match the formulas computed by hand', () => {
  const cases: Array<[string, OptimizerSpec]> = [
    ['sgd', {...defaultOptimizer('sgd'), learningRate: 0.1}],
    ['sgd momentum + nesterov + decay', {...defaultOptimizer('sgd'), learningRate: 0.1, momentum: 0.9, nesterov: true, decay: 0.5}],
    ['adam', {...defaultOptimizer('adam'), learningRate: 0.1}],
    ['adamw (decoupled weight decay)', {...defaultOptimizer('adamw'), learningRate: 0.1, weightDecay: 0.1}],
    ['rmsprop', {...defaultOptimizer('rmsprop'), learningRate: 0.1}],
    ['adagrad', {...defaultOptimizer('adagrad'), learningRate: 0.1}],
    ['adadelta', {...defaultOptimizer('adadelta'), learningRate: 1}],
    ['adamax', {...defaultOptimizer('adamax'), learningRate: 0.1}],
    ['legacy rmsprop (ε after the root)', {...defaultOptimizer('rmsprop'), learningRate: 0.1, epsilon: 0.5, legacy: true}],
    ['legacy adagrad (ε after the root)', {...defaultOptimizer('adagrad'), learningRate: 0.1, epsilon: 0.5, legacy: true}],
    ['rmsprop, large ε inside the root', {...defaultOptimizer('rmsprop'), learningRate: 0.1, epsilon: 0.5}],
    ['adagrad, large ε inside the root', {...defaultOptimizer('adagrad'), learningRate: 0.1, epsilon: 0.5}],
  ]
  it.each(cases)('%s', (_name, spec) => {
    const got = run(spec, [1, -2, 0.5], 3)
    reference(spec, [1, -2, 0.5], 3).forEach((want, i) => expect(got[i]).toBeCloseTo(want, 5))
  })

  it('legacy rmsprop with momentum keeps ε inside the root (TensorFlow\'s ResourceApplyRMSProp)', () => {
    const plain = {...defaultOptimizer('rmsprop'), learningRate: 0.1, epsilon: 0.5, momentum: 0.5}
    expect(run({...plain, legacy: true}, [1, -2], 3)).toEqual(run(plain, [1, -2], 3))
    expect(run({...plain, momentum: 0, legacy: true}, [1, -2], 3)).not.toEqual(run({...plain, momentum: 0}, [1, -2], 3))
  })

  it('adamw decays weights whose gradient is zero; adam does not', () => {
    const w = tf.core.variable(tf.core.tensor1d([2]))
    const opt = makeOptimizer(tf.core, {...defaultOptimizer('adamw'), learningRate: 0.1, weightDecay: 0.5})
    opt.apply([w], [tf.core.zeros([1])], 0)
    expect(w.dataSync()[0]).toBeCloseTo(2 * (1 - 0.05), 6)
  })
})

describe('optimizer configs: legacy or new', () => {
  const parse = (class_name: string, config: Record<string, unknown>): OptimizerSpec => parseOptimizer({class_name, config} as never, 'in the test')
  it('tells tf-keras legacy and standalone Keras configs from the new optimizers', () => {
    expect(parse('RMSprop', {name: 'RMSprop', learning_rate: 0.01, decay: 0, rho: 0.9, momentum: 0, epsilon: 0.1, centered: false}).legacy).toBe(true)
    expect(parse('Adagrad', {lr: 0.01, epsilon: 1e-7}).legacy).toBe(true) // Keras 1.0: no decay key
    expect(parse('Custom>RMSprop', {name: 'RMSprop', weight_decay: null, is_legacy_optimizer: false, learning_rate: 0.01}).legacy).toBe(false)
    expect(parse('RMSprop', {name: 'rmsprop', learning_rate: 0.01, weight_decay: null}).legacy).toBe(false) // Keras 3
    expect(parse('Adam', {learning_rate: 0.01, is_legacy_optimizer: true}).legacy).toBe(true)
  })
  it('starts standalone Keras Adagrad accumulators at 0, tf-keras legacy ones at their initial value', () => {
    expect(parse('Adagrad', {lr: 0.01, epsilon: 1e-7, decay: 0}).initialAccumulator).toBe(0)
    expect(parse('Adagrad', {learning_rate: 0.01, decay: 0, initial_accumulator_value: 0.1, epsilon: 0.1}).initialAccumulator).toBe(0.1)
    expect(parse('Custom>Adagrad', {learning_rate: 0.01, is_legacy_optimizer: false}).initialAccumulator).toBe(0.1)
  })
})

describe('losses and metrics', () => {
  const value = (fn: ReturnType<typeof lossFn>, y: number[][], p: number[][]): number[] => Array.from(fn(tf.core, tf.core.tensor2d(y), tf.core.tensor2d(p)).dataSync())
  const loss = (name: Parameters<typeof lossFn>[0]['name'], extra: Partial<Parameters<typeof lossFn>[0]> = {}) => lossFn({name, fromLogits: false, labelSmoothing: 0, delta: 1, ...extra})

  it('computes Keras values per sample', () => {
    expect(value(loss('categorical_crossentropy'), [[0, 1]], [[0.25, 0.75]])[0]).toBeCloseTo(-Math.log(0.75), 6)
    expect(value(loss('categorical_crossentropy', {fromLogits: true}), [[0, 1]], [[0, Math.log(3)]])[0]).toBeCloseTo(-Math.log(0.75), 6)
    expect(value(loss('sparse_categorical_crossentropy'), [[1]], [[0.25, 0.75]])[0]).toBeCloseTo(-Math.log(0.75), 6)
    expect(value(loss('binary_crossentropy'), [[1, 0]], [[0.8, 0.4]])[0]).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 6)
    expect(value(loss('binary_crossentropy', {fromLogits: true}), [[1]], [[0]])[0]).toBeCloseTo(Math.log(2), 6)
    expect(value(loss('huber'), [[0, 0]], [[0.5, 3]])[0]).toBeCloseTo((0.125 + 2.5) / 2, 6)
    expect(value(loss('hinge'), [[1, 0]], [[0.5, 0.5]])[0]).toBeCloseTo((0.5 + 1.5) / 2, 6) // {0,1} labels → {−1,1}
    expect(value(loss('cosine_similarity'), [[1, 2]], [[2, 4]])[0]).toBeCloseTo(-1, 6)
    expect(value(loss('kl_divergence'), [[0.5, 0.5]], [[0.25, 0.75]])[0]).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 5)
    expect(value(loss('mean_absolute_percentage_error'), [[2]], [[1]])[0]).toBeCloseTo(50, 4)
  })

  it('accuracy variants count hits per sample', () => {
    const acc = (name: 'binary_accuracy' | 'categorical_accuracy' | 'sparse_categorical_accuracy' | 'top_k_categorical_accuracy', k = 5) => metricFn({key: name, name, fromLogits: false, threshold: 0.5, k})
    expect(value(acc('binary_accuracy'), [[1], [0]], [[0.7], [0.6]])).toEqual([1, 0])
    expect(value(acc('categorical_accuracy'), [[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]])).toEqual([1, 0])
    expect(value(acc('sparse_categorical_accuracy'), [[1], [0]], [[0.2, 0.8], [0.3, 0.7]])).toEqual([1, 0])
    expect(value(acc('top_k_categorical_accuracy', 2), [[1, 0, 0], [1, 0, 0]], [[0.3, 0.5, 0.2], [0.1, 0.5, 0.4]])).toEqual([1, 0])
  })
})
