/**
 * Shape-preserving layers: advanced activations (PReLU owns `alpha`), regularization (Dropout family, noise,
 * ActivityRegularization) and Keras 3's standalone activation layers.
 */
import {dimList} from './config.js'
import {identity} from './core.js'
import {type LayerRule, type RuleTable, UNKNOWN, first, single, weight} from './types.js'

/** PReLU: `alpha` has the input's shape without the batch, with every `shared_axes` axis (1-based) set to 1. */
const prelu: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const raw = input.config.shared_axes
  const shared = typeof raw === 'number' ? [raw] : dimList(raw) ?? []
  const alpha = shape.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : d))
  return single(shape, [weight('alpha', alpha, input.dtype)])
}

const IDENTITY_CLASSES = [
  'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU', 'Softmax',
  'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise', 'GaussianDropout',
  'AlphaDropout', 'ActivityRegularization',
]

/** Rules of this family. */
export const ACTIVATION_RULES: RuleTable = {
  ...Object.fromEntries(IDENTITY_CLASSES.map((c) => [c, identity])),
  PReLU: prelu,
}
