/**
 * The acceptance test of compute: real Keras files in ../shared/interop come with the inputs Keras was given
 * and the outputs it computed (`*_inputs_and_outputs.h5`, KonduitAI/dl4j-test-resources). kmodel reads the
 * architecture and the weights, runs predict on the same inputs and must reproduce Keras's outputs within
 * 1e-4 relative to max(1, |Keras's value|), on each available backend. Then every architecture of the corpus
 * is built by kmodel's compute core (the few that cannot be computed fail with the expected code), and every file that carries
 * its own weights runs a forward pass to finite outputs.
 */
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {type InputArray, predict, readInputArrays} from '../../src/core/predict.js'
import {readModel} from '../../src/core/read.js'
import {readWeights} from '../../src/core/weights/read.js'
import {loadTfjs} from '../../src/core/backend/runtime.js'
import {loadBackend} from '../../src/core/backend/select.js'
import {buildComputeModel} from '../../src/core/compute/model.js'
import {architectureFiles} from '../helpers/interop.js'
import {HAVE_INTEROP, INTEROP, announceSkip} from '../helpers/paths.js'

if (!HAVE_INTEROP) announceSkip('interop predict suite', '../shared/interop is absent (CI has it)')

interface Case {
  name: string
  architecture: string
  weights: string
  inputs: string
  expected: string
}

const lstm1 = (file: string) => join(INTEROP, 'dl4j-simple-lstm-tf-keras-1', `simple_lstm_tf_keras_1_${file}`)
const lstm2 = (file: string) => join(INTEROP, 'dl4j-simple-lstm-tf-keras-2', `simple_lstm_tf_keras_2_${file}`)
const CASES: Case[] = [
  // Keras 1.2.2 LSTM: 12 per-gate arrays merged into Keras 2's 3, gates i,c,f,o → i,f,c,o (weights/convert.ts).
  {name: 'Keras 1 LSTM, config.json + save_weights file', architecture: lstm1('config.json'), weights: lstm1('weights.h5'), inputs: lstm1('inputs_and_outputs.h5:/inputs/lstm_input_1'), expected: lstm1('inputs_and_outputs.h5:/predictions/dense_1')},
  {name: 'Keras 1 LSTM, full-model .h5', architecture: lstm1('model.h5'), weights: lstm1('model.h5'), inputs: lstm1('inputs_and_outputs.h5:/inputs/lstm_input_1'), expected: lstm1('inputs_and_outputs.h5:/predictions/dense_1')},
]

/** Largest |got - want| / max(1, |want|). */
function worstError(got: Float32Array, want: InputArray): number {
  const values = Array.from(want.data as ArrayLike<number>)
  return values.reduce((worst, w, i) => Math.max(worst, Math.abs((got[i] ?? NaN) - w) / Math.max(1, Math.abs(w))), 0)
}

describe.skipIf(!HAVE_INTEROP)('interop: predict reproduces what Keras computed', () => {
  it.each(CASES.flatMap((c) => (['cpu', 'wasm'] as const).map((backend) => [`${c.name} (${backend})`, c, backend] as const)))('%s', async (_name, c, backend) => {
    const {model} = await readModel(c.architecture)
    const weights = await readWeights(c.weights)
    const [expected] = await readInputArrays(c.expected)
    const result = await predict(model, weights, await readInputArrays(c.inputs), {backend, batchSize: 32})
    const output = result.outputs[0]
    expect(output?.shape).toEqual(expected?.shape)
    if (output === undefined || expected === undefined) return
    expect(worstError(output.data, expected)).toBeLessThan(1e-4)
  })

  // Its `outputs/dense_1` are the training targets, not predictions (the Keras 1 file has both, and they
  // differ), so this case only proves a Keras 2.0 file with a fixed batch_input_shape of 25 runs in batches of 32.
  it('runs a Keras 2.0.6 LSTM whose batch_input_shape fixes the batch size', async () => {
    const {model} = await readModel(lstm2('config.json'))
    const inputs = await readInputArrays(lstm2('inputs_and_outputs.h5:/inputs/lstm_1_input'))
    const result = await predict(model, await readWeights(lstm2('weights.h5')), inputs, {backend: 'cpu', batchSize: 32})
    expect(result.outputs.map((o) => o.shape)).toEqual([[100, 1]])
    expect(result.outputs[0]?.data.every(Number.isFinite)).toBe(true)
  })
})

/** Architectures that cannot be computed, and why. */
const NOT_COMPUTABLE: Record<string, string> = {
  'dec-custom-layer-json/model.json': 'KM_BACKEND_UNSUPPORTED_LAYER', // ClusteringLayer, a user's class
  'dl4j-lambda/model_lambda.h5': 'KM_BACKEND_CODE_LAYER',
  'textsim-json/model_architecture.json': 'KM_BACKEND_CODE_LAYER',
  'recommender-func-k218/model_architecture.json': 'KM_BACKEND_CODE_LAYER', // a Lambda (layers[4]), and a StringLookup on strings
}

describe.skipIf(!HAVE_INTEROP)('interop: every architecture builds in the compute core', () => {
  const rows = HAVE_INTEROP ? architectureFiles() : []
  it.each(rows.map((r) => [`${r.entry}/${r.file}`, r.path, /model_weights/.test(r.format_attrs) || r.file.endsWith('.keras')] as const))('%s', async (name, path, hasWeights) => {
    await loadBackend('cpu')
    const {core} = await loadTfjs()
    const {model} = await readModel(path)
    const expected = NOT_COMPUTABLE[name]
    if (expected !== undefined) {
      expect(() => buildComputeModel(core, model)).toThrow(expect.objectContaining({code: expected, exit: 6}))
      return
    }
    const built = buildComputeModel(core, model)
    const inputs = built.inputs.map((t) => {
      const shape = t.shape.map((d, i) => d ?? (i === 0 ? 2 : 3))
      return {shape, data: Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, (_, i) => (i % 7) / 7)}
    })
    built.dispose()
    if (!hasWeights) return
    const result = await predict(model, await readWeights(path), inputs, {backend: 'cpu'})
    expect(result.outputs.length).toBeGreaterThan(0)
    for (const output of result.outputs) expect(output.data.every(Number.isFinite)).toBe(true)
  })
})
