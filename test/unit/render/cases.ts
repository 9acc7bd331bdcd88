/**
 * Hand-transcribed `ModelSummary` values: what the engine should produce for each real Keras summary in
 * ../shared/interop (names, classes, shapes, params and connections read from the printed summary and
 * checked against the architecture file beside it), plus small made-up models for the layout features.
 * Only these objects live in the repo; the interop texts stay outside it.
 */
import type {ModelSummary, SummaryRow} from '../../../src/core/graph/summary-types.js'
import type {KerasStyle} from '../../../src/core/render/keras-text.js'
import {batchNorm, conv2d, dense, embedding, lstm, model, nested, plain} from './builders.js'

/** A transcribed real summary: the interop file it must reproduce and the style Keras printed it in. */
export interface InteropCase {
  id: string
  /** Path under ../shared/interop. */
  expected: string
  style: KerasStyle
  summary: ModelSummary
}

/** Keras 2.0.8 Sequential (no `Model:` line before 2.2.5); the printed names are those of the .h5's run. */
const ashaYamlMlp = model('sequential_1', 'Sequential', '2.0.8', true, [
  dense('dense_4', 8, 12, [null, 12]),
  dense('dense_5', 12, 8, [null, 8]),
  dense('dense_6', 8, 1, [null, 1]),
])

/** Keras 2.0.5 list-style Sequential, 30 input features. */
const ccfraudMlp = model('sequential_1', 'Sequential', '2.0.5', true, [
  dense('dense_1', 30, 16, [null, 16]),
  dense('dense_2', 16, 18, [null, 18]),
  plain('dropout_1', 'Dropout', [null, 18]),
  dense('dense_3', 18, 20, [null, 20]),
  dense('dense_4', 20, 24, [null, 24]),
  dense('dense_5', 24, 1, [null, 1]),
])

/** Keras 2.0.6 Sequential with LeakyReLU and non-contiguous auto names, 9 input features. */
const deepAnomaly = model('sequential_5', 'Sequential', '2.0.6', true, [
  dense('dense_19', 9, 1024, [null, 1024]),
  dense('dense_20', 1024, 512, [null, 512]),
  plain('leaky_re_lu_5', 'LeakyReLU', [null, 512]),
  dense('dense_21', 512, 256, [null, 256]),
  dense('dense_22', 256, 128, [null, 128]),
  dense('dense_23', 128, 64, [null, 64]),
  dense('dense_24', 64, 32, [null, 32]),
  dense('dense_25', 32, 16, [null, 16]),
  dense('dense_26', 16, 1, [null, 1]),
])

function ferBlock(i: number, conv: SummaryRow, c: number, hw: number): SummaryRow[] {
  const s = i === 0 ? '' : `_${i}`
  return [
    conv,
    batchNorm(`batch_normalization${s}`, c, [null, hw, hw, c]),
    plain(`activation${s}`, 'Activation', [null, hw, hw, c]),
    plain(`max_pooling2d${s}`, 'MaxPooling2D', [null, hw / 2, hw / 2, c]),
    plain(`dropout${s}`, 'Dropout', [null, hw / 2, hw / 2, c]),
  ]
}

/** tf.keras 2.3.0-tf (TF 2.0/2.1): classic layout with the `Model:` line; 48×48×1 input. */
const ferBnCnn = model('sequential', 'Sequential', '2.3.0-tf', true, [
  ...ferBlock(0, conv2d('conv2d', [3, 3], 1, 64, [null, 48, 48, 64]), 64, 48),
  ...ferBlock(1, conv2d('conv2d_1', [5, 5], 64, 128, [null, 24, 24, 128]), 128, 24),
  ...ferBlock(2, conv2d('conv2d_2', [3, 3], 128, 512, [null, 12, 12, 512]), 512, 12),
  ...ferBlock(3, conv2d('conv2d_3', [3, 3], 512, 512, [null, 6, 6, 512]), 512, 6),
  plain('flatten', 'Flatten', [null, 4608]),
  dense('dense', 4608, 256, [null, 256]),
  batchNorm('batch_normalization_4', 256, [null, 256]),
  plain('activation_4', 'Activation', [null, 256]),
  plain('dropout_4', 'Dropout', [null, 256]),
  dense('dense_1', 256, 512, [null, 512]),
  batchNorm('batch_normalization_5', 512, [null, 512]),
  plain('activation_5', 'Activation', [null, 512]),
  plain('dropout_5', 'Dropout', [null, 512]),
  dense('dense_2', 512, 7, [null, 7]),
])

/** Keras 2.2.4 functional `Model` (config name model_4): standalone, so InputLayer prints a bare tuple. */
const hivLstm = model('model_4', 'Model', '2.2.4', false, [
  plain('input_1', 'InputLayer', [null, 312]),
  plain('input_2', 'InputLayer', [null, 1575]),
  embedding('embedding_1', 18, 128, [null, 312, 128], ['input_1[0][0]']),
  embedding('embedding_2', 18, 128, [null, 1575, 128], ['input_2[0][0]']),
  plain('input_3', 'InputLayer', [null, 2]),
  lstm('lstm_1', 128, 100, [null, 100], ['embedding_1[0][0]']),
  lstm('lstm_2', 128, 100, [null, 100], ['embedding_2[0][0]']),
  dense('dense_1', 2, 100, [null, 100], ['input_3[0][0]']),
  plain('concatenate_1', 'Concatenate', [null, 300], ['lstm_1[0][0]', 'lstm_2[0][0]', 'dense_1[0][0]']),
  dense('dense_2', 300, 128, [null, 128], ['concatenate_1[0][0]']),
  dense('dense_3', 128, 1, [null, 1], ['dense_2[0][0]']),
])

/**
 * tf_keras 2.18 functional with two nested Sequentials (their InputLayers hidden, as Sequential.layers
 * does). Note for the engine: the config's inbound node is `['sequential', 1, 0]`, Keras printed
 * `sequential[0][0]` (the loaded model calls each nested Sequential once).
 */
const recommender = model('model', 'Functional', '2.18.0', false, [
  plain('user_id', 'InputLayer', [null]),
  plain('product_title', 'InputLayer', [null]),
  nested(
    'sequential',
    'Sequential',
    [null, 256],
    [
      plain('string_lookup', 'StringLookup', [null], ['string_lookup_input[0][0]']),
      embedding('embedding', 51, 256, [null, 256], ['string_lookup[0][0]']),
    ],
    ['user_id[0][0]'],
  ),
  nested(
    'sequential_1',
    'Sequential',
    [null, 256],
    [
      plain('string_lookup_1', 'StringLookup', [null], ['string_lookup_1_input[0][0]']),
      embedding('embedding_1', 1727, 256, [null, 256], ['string_lookup_1[0][0]']),
    ],
    ['product_title[0][0]'],
  ),
  plain('lambda', 'Lambda', [null, 256], ['sequential[0][0]']),
  plain('lambda_1', 'Lambda', [null, 256], ['sequential_1[0][0]']),
  plain('dot', 'Dot', [null, 1], ['lambda[0][0]', 'lambda_1[0][0]']),
])

/** Keras 3 Sequential (the .weights.h5 carries no version; the InputLayer is hidden), 12 features. */
const bankChurn = model('sequential_2', 'Sequential', null, true, [
  dense('dense_6', 12, 64, [null, 64]),
  dense('dense_7', 64, 32, [null, 32]),
  dense('dense_8', 32, 1, [null, 1]),
])

/** Keras 3.13.2 Sequential, 7 features. */
const gradAdmit = model('sequential', 'Sequential', '3.13.2', true, [
  dense('dense', 7, 7, [null, 7]),
  dense('dense_1', 7, 7, [null, 7]),
  dense('dense_2', 7, 1, [null, 1]),
])

/** Every real `expected_summary*.txt` in ../shared/interop (the `.ansi.txt` twins are the same text). */
export const INTEROP_CASES: InteropCase[] = [
  {id: 'asha-yaml-mlp', expected: 'asha-yaml-mlp/expected_summary.txt', style: '2.6', summary: ashaYamlMlp},
  {id: 'ccfraud-mlp-k205', expected: 'ccfraud-mlp-k205/expected_summary.txt', style: '2.6', summary: ccfraudMlp},
  {id: 'deepanomaly-ff3', expected: 'deepanomaly-ff3/expected_summary.txt', style: '2.6', summary: deepAnomaly},
  {id: 'fer-bn-cnn-json-summary', expected: 'fer-bn-cnn-json-summary/expected_summary.txt', style: '2.6', summary: ferBnCnn},
  {id: 'hiv-lstm', expected: 'hiv-lstm/expected_summary.txt', style: '2.6', summary: hivLstm},
  {id: 'recommender-func-k218', expected: 'recommender-func-k218/expected_summary.txt', style: '2.13', summary: recommender},
  {id: 'bankchurn-k3-weights', expected: 'bankchurn-k3-weights/expected_summary_k3.txt', style: '3', summary: bankChurn},
  {id: 'gradadmit-k3', expected: 'gradadmit-k3/expected_summary_k3.txt', style: '3', summary: gradAdmit},
]
