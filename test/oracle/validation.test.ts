/**
 * Suite b (validation): does kmodel's from-config accept exactly the config documents Keras's model_from_json
 * accepts? Each case is a base model's to_json with one argument perturbed; Keras's verdict and the exact text it
 * loaded are the answer, kmodel checks that same text (in-process), per generation.
 */
import {validationCases, type ValidationCase} from './gen/validation.js'
import {type ValidationAnswer, validationDifference} from './checks/validation.js'
import {defineOracleSuite} from './suite.js'

defineOracleSuite<ValidationCase, ValidationAnswer>({
  suite: 'validation',
  cases: (generation) => validationCases(generation),
  check: async (c, keras, {generation}) => {
    if (c.valid === true && !keras.ok) return `Keras refuses a form the generator calls valid (${keras.error?.type}: ${keras.error?.message}); fix the generator`
    return validationDifference(keras.text, keras, generation)
  },
})
