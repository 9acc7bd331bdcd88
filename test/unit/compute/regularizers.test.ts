/** Training arguments kmodel cannot attribute to a weight are found, so training refuses instead of leaving them out. */
import {describe, expect, it} from 'vitest'
import {unattributedTrainingArg} from '../../../src/core/compute/regularizers.js'

const dense = (extra: Record<string, unknown>) => ({class_name: 'Dense', config: {name: 'd', units: 2, kernel_regularizer: null, ...extra}})

describe('unattributedTrainingArg', () => {
  it('accepts a top-level layer and one wrapper level (regularizerConfig reaches those)', () => {
    expect(unattributedTrainingArg({name: 'x', kernel_regularizer: 'l2', activity_regularizer: 'l1'})).toBeUndefined()
    expect(unattributedTrainingArg({name: 'td', layer: dense({kernel_regularizer: 'l2', kernel_constraint: 'non_neg'})})).toBeUndefined()
  })

  it('finds an activity regularizer of a wrapped layer', () => {
    expect(unattributedTrainingArg({name: 'td', layer: dense({activity_regularizer: {class_name: 'L2', config: {l2: 0.1}}})})).toBe('config.layer.config.activity_regularizer')
  })

  it('finds a regularizer or constraint two wrappers deep, or in StackedRNNCells cells', () => {
    const twice = {name: 'td', layer: {class_name: 'Bidirectional', config: {name: 'bi', layer: {class_name: 'LSTM', config: {name: 'l', units: 2, recurrent_constraint: 'unit_norm'}}}}}
    expect(unattributedTrainingArg(twice)).toBe('config.layer.config.layer.config.recurrent_constraint')
    const stacked = {name: 'rnn', cell: {class_name: 'StackedRNNCells', config: {cells: [{class_name: 'GRUCell', config: {units: 2}}, {class_name: 'LSTMCell', config: {units: 2, kernel_regularizer: 'l2'}}]}}}
    expect(unattributedTrainingArg(stacked)).toBe('config.cell.config.cells[1].config.kernel_regularizer')
  })
})
