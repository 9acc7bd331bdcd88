/**
 * Made-up models that exercise every layout feature (nested models at depth 2, a shared layer, frozen
 * layers, long names, multi-output, `multiple`, unknown shapes and params) in every style.
 */
import {batchNorm, dense, embedding, frozen, layer, model, nested, plain, unknown} from './builders.js'

/**
 * A small functional model with every layout feature: two inputs, a shared Dense called on both
 * (`Connected to` lists both calls), a nested Functional holding a frozen BatchNormalization and a
 * nested Sequential (depth 2), a Concatenate and a frozen head.
 */
export const DEMO_FUNCTIONAL = model('siamese_demo', 'Functional', '2.15.0', false, [
  plain('left_input', 'InputLayer', [null, 8]),
  plain('right_input', 'InputLayer', [null, 8]),
  dense('shared_dense', 8, 4, [null, 4], ['left_input[0][0]', 'right_input[0][0]']),
  nested(
    'encoder',
    'Functional',
    [null, 3],
    [
      plain('encoder_input', 'InputLayer', [null, 4]),
      dense('encoder_dense', 4, 3, [null, 3], ['encoder_input[0][0]']),
      frozen(batchNorm('encoder_norm', 3, [null, 3], ['encoder_dense[0][0]'])),
      nested('refine', 'Sequential', [null, 3], [dense('refine_dense', 3, 3, [null, 3])], ['encoder_norm[0][0]']),
    ],
    ['shared_dense[1][0]'],
  ),
  plain('concatenate', 'Concatenate', [null, 7], ['shared_dense[0][0]', 'encoder[0][0]']),
  frozen(dense('head', 7, 1, [null, 1], ['concatenate[0][0]'])),
])

/**
 * Awkward cells: a long name and class (wrapping / truncation / `…`), a multi-output layer, a shared
 * layer with differing shapes (`multiple`), an unknown shape and a custom layer with unknown params
 * (so the totals are a lower bound), a one-dimensional shape (`(None,)` vs Keras 3's `(None)`).
 */
export const EDGE_FUNCTIONAL = model('edge_cases', 'Functional', '2.15.0', false, [
  plain('tokens', 'InputLayer', [null]),
  embedding('a_rather_long_embedding_layer_name', 1000, 16, [null, 16], ['tokens[0][0]']),
  layer('splitter', 'TensorSplitter', [[null, 8], [null, 8]], [], ['a_rather_long_embedding_layer_name[0][0]']),
  dense('shared_projection', 8, 4, 'multiple', ['splitter[0][0]', 'splitter[0][1]']),
  unknown('clustering', 'ClusteringLayer', null, ['shared_projection[0][0]']),
  batchNorm('batch_normalization_with_a_long_name', 4, [null, 4], ['shared_projection[1][0]']),
])

/** A Sequential containing a nested Sequential, as the Keras 2.0.6 DEC model does (classic, no `Model:` line). */
export const DEMO_SEQUENTIAL = model('sequential_2', 'Sequential', '2.0.6', true, [
  nested('sequential_1', 'Sequential', [null, 10], [
    dense('encoder_0', 784, 500, [null, 500]),
    dense('encoder_1', 500, 10, [null, 10]),
  ]),
  dense('clusters', 10, 10, [null, 10]),
])
