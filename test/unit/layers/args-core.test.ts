// Schemas of the core / activation / regularization families and the shared identifier checks. Every expectation
// is what the real Keras did in the oracle venv (Keras 3.15.1 / tf-keras 2.21.0, model_from_json of a
// Sequential([Input((4,)), Dense(3, ...)]) document with the one value changed), probed for issue #12.
import {describe, expect, it} from 'vitest'
import type {Json} from '../../../src/core/json.js'
import type {ArgCheck, Generation} from '../../../src/core/layers/args.js'
import {activation, constraint, initializer, regularizer} from '../../../src/core/layers/identifiers.js'
import {ACTIVATION_ARGS} from '../../../src/core/layers/activation.js'
import {CORE_ARGS} from '../../../src/core/layers/core.js'

const ok = (check: ArgCheck, value: Json, generation: Generation, className = 'Dense'): boolean =>
  check(value, {generation, className, config: {}}) === undefined

describe('activation', () => {
  it('per-generation names', () => {
    expect(ok(activation, 'celu', 'keras3')).toBe(true) // Keras 3: accepted
    expect(ok(activation, 'celu', 'keras2')).toBe(false) // tf-keras: Unknown activation function 'celu'
    expect(ok(activation, 'LeakyReLU', 'keras2')).toBe(true) // tf-keras resolves its layer classes by name
    expect(ok(activation, 'LeakyReLU', 'keras3')).toBe(false) // Keras 3: Could not interpret activation function identifier
    expect(ok(activation, null, 'keras3')).toBe(true) // None → linear, both
    expect(ok(activation, true, 'keras2')).toBe(false) // Could not interpret activation function identifier: True
  })
  it('serialised forms', () => {
    const legacy = {module: 'keras.activations', class_name: 'function', config: 'relu', registered_name: 'function'}
    expect(ok(activation, legacy, 'keras3')).toBe(true) // Keras 3 reads the form it writes
    expect(ok(activation, legacy, 'keras2')).toBe(false) // tf-keras: Unknown activation function
    expect(ok(activation, {...legacy, registered_name: 'xx'}, 'keras3')).toBe(false) // registered_name mismatch
    expect(ok(activation, {module: 'builtins', class_name: 'function', config: 'relu'}, 'keras2')).toBe(true)
    expect(ok(activation, {module: 'keras.layers', class_name: 'ReLU', config: {}, registered_name: null}, 'keras3')).toBe(true)
    expect(ok(activation, {class_name: 'ReLU', config: {}}, 'keras3')).toBe(false) // Could not locate class 'ReLU'
    expect(ok(activation, {class_name: 'ReLU', config: {}}, 'keras2')).toBe(true) // legacy layer form
    expect(ok(activation, {class_name: 'relu', config: {}}, 'keras2')).toBe(false) // relu() missing positional argument
  })
})

describe('initializer', () => {
  it('names and aliases', () => {
    expect(ok(initializer, 'GlorotUniformV2', 'keras2')).toBe(true)
    expect(ok(initializer, 'GlorotUniformV2', 'keras3')).toBe(false)
    expect(ok(initializer, 'IdentityInitializer', 'keras3')).toBe(true)
    expect(ok(initializer, 'IdentityInitializer', 'keras2')).toBe(false)
    expect(ok(initializer, 'Constant', 'keras3')).toBe(false) // KeyError 'value'
    expect(ok(initializer, 'Constant', 'keras2')).toBe(true)
    expect(ok(initializer, 'Initializer', 'keras3')).toBe(false) // base class: must implement __call__
  })
  it('serialised forms', () => {
    expect(ok(initializer, {class_name: 'GlorotUniform'}, 'keras3')).toBe(true) // missing config = {}
    expect(ok(initializer, {class_name: 'GlorotUniform'}, 'keras2')).toBe(false) // legacy needs class_name and config
    expect(ok(initializer, {class_name: 'GlorotUniform', config: null}, 'keras2')).toBe(false) // 'NoneType' has no items
    expect(ok(initializer, {module: 'tensorflow', class_name: 'Zeros', config: {}, registered_name: null}, 'keras3')).toBe(true)
    expect(ok(initializer, {module: null, class_name: 'Zeros', config: {}, registered_name: null}, 'keras3')).toBe(false)
    expect(ok(initializer, {class_name: 'GlorotUniform', config: {foo: 1}}, 'keras2')).toBe(false) // unexpected keyword
  })
})

describe('regularizer and constraint', () => {
  it('names', () => {
    expect(ok(regularizer, 'l1l2', 'keras3')).toBe(true)
    expect(ok(regularizer, 'l1_l2', 'keras3')).toBe(false)
    expect(ok(regularizer, 'l3', 'keras2')).toBe(true) // tf-keras keeps an unknown string, never calls it on load
    expect(ok(regularizer, 'tf', 'keras2')).toBe(false)
    expect(ok(constraint, 'maxnorm', 'keras2')).toBe(true)
    expect(ok(constraint, 'maxnorm', 'keras3')).toBe(false)
    expect(ok(constraint, 'constraint', 'keras2')).toBe(false)
    expect(ok(constraint, {class_name: 'RadialConstraint', config: {}}, 'keras2')).toBe(true)
  })
  it('penalty values', () => {
    const l2 = (v: Json) => ({class_name: 'L2', config: {l2: v}})
    expect(ok(regularizer, l2(-1), 'keras3')).toBe(false) // expected a non-negative float
    expect(ok(regularizer, l2(-1), 'keras2')).toBe(true) // tf-keras checks only int/float and finiteness
    expect(ok(regularizer, l2(null), 'keras3')).toBe(true) // None → default 0.01
    expect(ok(regularizer, {class_name: 'L2', config: {l: 0.1}}, 'keras2')).toBe(true) // backwards-compatible `l`
  })
})

describe('layer schemas', () => {
  const arg = (table: typeof CORE_ARGS, cls: string, key: string): ArgCheck => {
    const check = table[cls]?.args?.[key]
    if (check === undefined) throw new Error(`${cls}.${key}`)
    return check
  }
  it('Dense units', () => {
    const units = arg(CORE_ARGS, 'Dense', 'units')
    expect(ok(units, true, 'keras3')).toBe(true) // bool is an int: a 1-unit Dense
    expect(ok(units, true, 'keras2')).toBe(false) // TensorShapeProto: Expected an int, got a boolean
    expect(ok(units, '3', 'keras2')).toBe(true) // int("3")
    expect(ok(units, 0, 'keras2')).toBe(true) // tf-keras refuses only negatives
    expect(ok(units, 0, 'keras3')).toBe(false)
  })
  it('regularization layers', () => {
    const rate = arg(ACTIVATION_ARGS, 'Dropout', 'rate')
    expect(ok(rate, 'half', 'keras2', 'Dropout')).toBe(true) // tf-keras checks only numeric rates
    expect(ok(rate, 'half', 'keras3', 'Dropout')).toBe(false)
    const stddev = arg(ACTIVATION_ARGS, 'GaussianNoise', 'stddev')
    expect(ok(stddev, 2, 'keras3', 'GaussianNoise')).toBe(false) // Keras 3: between 0 and 1
    expect(ok(stddev, 2, 'keras2', 'GaussianNoise')).toBe(true)
    const alpha = arg(ACTIVATION_ARGS, 'LeakyReLU', 'alpha')
    expect(ok(alpha, '0.2', 'keras2', 'LeakyReLU')).toBe(true) // cast_to_floatx("0.2")
    expect(ok(alpha, null, 'keras2', 'LeakyReLU')).toBe(false)
  })
})
