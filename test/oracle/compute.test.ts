/**
 * Suite a (compute): Keras's outputs vs kmodel predict on the same model JSON, weights and inputs, ≤ 1e-5
 * relative (to max(1, |Keras's value|)), per generation.
 */
import {computeCases, type ComputeCase} from './gen/compute.js'
import {type ComputeAnswer, computeDifference} from './checks/compute.js'
import {defineOracleSuite} from './suite.js'

defineOracleSuite<ComputeCase, ComputeAnswer>({
  suite: 'compute',
  cases: () => computeCases(),
  check: (_c, keras, {generation, answers}) => computeDifference(keras, generation, answers.versions?.generation_keras ?? ''),
})
