import {describe, expect, it} from 'vitest'
import {out, params, run, shapes} from './builders.js'

describe('advanced activations and regularization', () => {
  it('PReLU alpha has the input shape, shared axes set to 1', () => {
    expect(params(run('PReLU', {}, [[null, 10, 10, 3]]))).toBe(300)
    expect(shapes(run('PReLU', {shared_axes: [1, 2]}, [[null, 10, 10, 3]]))).toEqual([['alpha', [1, 1, 3]]])
  })

  it('the rest keep the shape and own no weights', () => {
    const classes = ['ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU', 'Softmax', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D',
      'SpatialDropout3D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization']
    for (const c of classes) {
      const r = run(c, {}, [[null, 4, 4, 2]])
      expect(out(r), c).toEqual([null, 4, 4, 2])
      expect(params(r), c).toBe(0)
    }
  })
})
