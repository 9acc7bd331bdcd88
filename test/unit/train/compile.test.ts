import {describe, expect, it} from 'vitest'
import {compileSettings, resolveMetric} from '../../../src/core/train/compile.js'
import {parseOptimizer} from '../../../src/core/train/optimizer-spec.js'
import {mlpDoc, specOf} from './helpers.js'

/** A Keras 2 full-model wrapper `{model_config, training_config}`, as a full-model .h5's attributes hold them. */
const withTraining = async (training_config: unknown) => specOf({model_config: mlpDoc(), training_config} as Record<string, unknown>)

describe('compile settings', () => {
  it('reads a Keras 1/2 training_config (lr, decay) and a tf.keras 2.11 Custom>Adam', () => {
    expect(parseOptimizer({class_name: 'SGD', config: {lr: 0.05, momentum: 0.9, decay: 1e-4, nesterov: true}}, 'here')).toMatchObject({name: 'sgd', learningRate: 0.05, momentum: 0.9, decay: 1e-4, nesterov: true})
    expect(parseOptimizer({class_name: 'Custom>Adam', config: {learning_rate: 0.005, weight_decay: null, clipnorm: 1, beta_1: 0.8}}, 'here')).toMatchObject({name: 'adam', learningRate: 0.005, weightDecay: 0, clipnorm: 1, beta1: 0.8, epsilon: 1e-7})
    expect(parseOptimizer({class_name: 'AdamW', config: {}}, 'here')).toMatchObject({name: 'adamw', learningRate: 0.001, weightDecay: 0.004})
    expect(parseOptimizer('RMSprop', 'here')).toMatchObject({name: 'rmsprop', rho: 0.9, learningRate: 0.001})
  })

  it('takes loss, metrics and optimizer from the file, flags overriding', async () => {
    const model = await withTraining({optimizer_config: {class_name: 'Adam', config: {lr: 0.002}}, loss: 'categorical_crossentropy', metrics: ['acc', 'r2_score'], loss_weights: null})
    const s = compileSettings(model, ['out'], {})
    expect(s).toMatchObject({source: 'file', optimizer: {name: 'adam', learningRate: 0.002}, losses: [{name: 'categorical_crossentropy', fromLogits: false}], metrics: [[{key: 'acc', name: 'accuracy'}]]})
    expect(s.warnings).toEqual([{path: '$.training_config.metrics[1]', message: expect.stringContaining("metric \"r2_score\" of output 'out' is not one kmodel computes")}])
    const f = compileSettings(model, ['out'], {optimizer: 'sgd', learningRate: 0.3, loss: 'mse', metrics: ['mae']})
    expect(f).toMatchObject({source: 'file+flags', optimizer: {name: 'sgd', learningRate: 0.3}, losses: [{name: 'mean_squared_error'}], metrics: [[{key: 'mae', name: 'mean_absolute_error'}]]})
  })

  it('reads a Keras 3 compile_config with loss objects', async () => {
    const doc = {...mlpDoc(), compile_config: {optimizer: {module: 'keras.optimizers', class_name: 'Adam', config: {learning_rate: 0.01}}, loss: {module: 'keras.losses', class_name: 'SparseCategoricalCrossentropy', config: {from_logits: true}}, metrics: ['accuracy']}}
    const model = await specOf(doc)
    expect(model.root.extra.compile_config).toBeDefined()
    const s = compileSettings(model, ['out'], {})
    expect(s).toMatchObject({optimizer: {name: 'adam', learningRate: 0.01}, losses: [{name: 'sparse_categorical_crossentropy', fromLogits: true}]})
  })

  it('refuses unknown names with the list of known ones, and a missing loss as a usage error', async () => {
    const model = await specOf(mlpDoc())
    expect(() => compileSettings(model, ['out'], {loss: 'contrastive'})).toThrowError(expect.objectContaining({code: 'KM_FORMAT_UNKNOWN_LOSS', exit: 4, message: "Unknown loss 'contrastive' given to --loss.", hint: expect.stringContaining('sparse_categorical_crossentropy')}))
    expect(() => compileSettings(model, ['out'], {loss: 'mse', optimizer: 'lion'})).toThrowError(expect.objectContaining({code: 'KM_FORMAT_UNKNOWN_OPTIMIZER', exit: 4, hint: 'Known optimizers: sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax.'}))
    expect(() => compileSettings(model, ['out'], {loss: 'mse', metrics: ['f1']})).toThrowError(expect.objectContaining({code: 'KM_FORMAT_UNKNOWN_METRIC'}))
    expect(() => compileSettings(model, ['out'], {})).toThrowError(expect.objectContaining({code: 'KM_USAGE_NO_LOSS', exit: 2}))
  })

  it('resolves accuracy by loss and label shape as Keras does', () => {
    const acc = {key: 'accuracy', name: 'accuracy' as const, fromLogits: false, threshold: 0.5, k: 5}
    const loss = (name: 'binary_crossentropy' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy' | 'mean_squared_error') => ({name, fromLogits: false, labelSmoothing: 0, delta: 1})
    expect(resolveMetric(acc, loss('binary_crossentropy'), [null, 1], [10, 1]).name).toBe('binary_accuracy')
    expect(resolveMetric(acc, loss('mean_squared_error'), [null, 1], [10, 1]).name).toBe('binary_accuracy')
    expect(resolveMetric(acc, loss('sparse_categorical_crossentropy'), [null, 5], [10, 1]).name).toBe('sparse_categorical_accuracy')
    expect(resolveMetric(acc, loss('categorical_crossentropy'), [null, 5], [10, 5]).name).toBe('categorical_accuracy')
    expect(resolveMetric(acc, loss('mean_squared_error'), [null, 5], [10, 1]).name).toBe('sparse_categorical_accuracy')
  })
})
