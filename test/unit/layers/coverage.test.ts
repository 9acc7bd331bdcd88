import {describe, expect, it} from 'vitest'
import {KNOWN_LAYER_NAMES, layerClass} from '../../../src/core/layers/catalog.js'
import {RULES} from '../../../src/core/layers/index.js'
import {entry, out, params, run} from './builders.js'

/**
 * Built-in classes the engine deliberately treats as opaque (shape '?' unless the file records it, params
 * unknown): their shapes depend on code or data the config does not hold, or they wrap foreign frameworks.
 */
const OPAQUE = new Set([
  'ConvLSTM2DCell', 'ConvRNN2D', 'CategoryCrossing', 'Pipeline', 'DenseFeatures',
  'SequenceFeatures', 'DynamicEmbedding', 'DynamicLookup', 'FlaxLayer', 'JaxLayer', 'TFSMLayer', 'TorchModuleWrapper',
])

describe('coverage of the built-in class catalogue', () => {
  it('every built-in layer class (and alias) has a rule or is deliberately opaque; models go through the graph', () => {
    const missing = KNOWN_LAYER_NAMES.filter((n) => !RULES.has(n) && !OPAQUE.has(n) && layerClass(n)?.category !== 'model')
    expect(missing).toEqual([])
  })

  it('opaque built-ins evaluate to unknown, never throw', () => {
    for (const name of OPAQUE) expect(run(name, {}, [[null, 4]])).toEqual({outputs: null, weights: null})
  })
})

describe('legacy and rarely used classes', () => {
  it('Keras 1 Merge modes', () => {
    expect(out(run('Merge', {mode: 'concat', concat_axis: -1}, [[null, 2], [null, 3]]))).toEqual([null, 5])
    expect(out(run('Merge', {mode: 'sum'}, [[null, 2], [null, 2]]))).toEqual([null, 2])
    expect(out(run('Merge', {mode: 'dot', dot_axes: 1}, [[null, 2], [null, 2]]))).toEqual([null, 1])
    expect(out(run('Merge', {mode: 'cos', dot_axes: 1}, [[null, 2], [null, 2]]))).toEqual([null, 1])
  })

  it('Keras 1 Highway and MaxoutDense', () => {
    expect(params(run('Highway', {}, [[null, 4]]))).toBe(2 * 16 + 8)
    const maxout = run('MaxoutDense', {output_dim: 3, nb_feature: 4}, [[null, 5]])
    expect(out(maxout)).toEqual([null, 3])
    expect(params(maxout)).toBe(4 * 5 * 3 + 12)
  })

  it('RandomFourierFeatures, ReversibleEmbedding, recurrent cells used as layers', () => {
    expect(params(run('RandomFourierFeatures', {output_dim: 6}, [[null, 4]]))).toBe(24 + 6 + 1)
    expect(params(run('ReversibleEmbedding', {input_dim: 10, output_dim: 4, tie_weights: false}, [[null, 3]], {dialect: 'keras3'}))).toBe(80)
    expect(out(run('LSTMCell', {units: 3}, [[null, 2]]))).toEqual([null, 3])
    expect(params(run('StackedRNNCells', {cells: [entry('SimpleRNNCell', {units: 2})]}, [[null, 2]]))).toBe(4 + 4 + 2)
  })
})
