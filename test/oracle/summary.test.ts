/**
 * Suite c (summary): what Keras's `model.summary()` prints vs kmodel's `summary --format keras` on the same
 * model JSON (Keras's to_json), byte for byte, per generation and per option set (expand_nested,
 * show_trainable, line_length); and the parameter counts Keras takes from the model's weights.
 */
import {summaryCases, type SummaryCase} from './gen/summary.js'
import {type SummaryAnswer, summaryDifferenceWith} from './checks/summary.js'
import {defineOracleSuite} from './suite.js'

defineOracleSuite<SummaryCase, SummaryAnswer>({
  suite: 'summary',
  cases: (generation) => summaryCases(generation),
  check: async (c, keras, {generation}) => {
    if (keras.build === 'error') return `Keras refused the case (${keras.error?.type}: ${keras.error?.message}); the generator must not produce it`
    const differences: string[] = []
    for (const [i, options] of c.variants.entries()) {
      const counts = {total: keras.total ?? NaN, trainable: keras.trainable ?? NaN, non_trainable: keras.non_trainable ?? NaN}
      const reloaded = Array.isArray(keras.reloaded) ? keras.reloaded[i] ?? null : null
      const d = await summaryDifferenceWith(keras.model_json ?? '', {text: keras.texts?.[i] ?? '', ...counts, reloaded}, generation, options)
      if (d !== null) differences.push(`${JSON.stringify(options)}: ${d}`)
    }
    return differences.length === 0 ? null : differences.join(' | ')
  },
})
