/**
 * Suite a (fit): Keras's model.fit vs kmodel train on the same model file (compile settings included), the
 * same initial weights and the same data, one full batch per epoch: the loss at every step and the trained
 * weights ≤ 1e-4 relative (to max(1, |Keras's value|)), per generation.
 */
import {fitCases, type FitCase} from './gen/fit.js'
import {type FitAnswer, fitDifference} from './checks/fit.js'
import {defineOracleSuite} from './suite.js'

defineOracleSuite<FitCase, FitAnswer>({
  suite: 'fit',
  cases: (generation) => fitCases(generation),
  check: (c, keras, {generation, answers}) => fitDifference(c, keras, generation, answers.versions?.generation_keras ?? ''),
})
