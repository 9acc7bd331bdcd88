/**
 * Where kmodel's predict differs from what Keras computed for a case: the same model JSON (Keras's to_json), the
 * same weights (as Keras's legacy save_weights orders them) and the same inputs; ≤ 1e-5 relative to
 * max(1, |Keras's value|). Shared by the compute suite and the fuzz runs.
 */
import {decodeArray, type Generation, type OracleArray, type OracleResult, worstRelative} from '../harness.js'
import {kmodelPredict, type OracleLayerWeights, readModelText, weightsFileOf} from '../kmodel-side.js'

/** What test/oracle/py/suites/compute.py answers. */
export interface ComputeAnswer extends OracleResult {
  build: 'ok' | 'error'
  call?: 'error'
  error?: {type: string; message: string}
  model_json?: string
  weights?: OracleLayerWeights[]
  inputs?: OracleArray[]
  outputs?: OracleArray[]
}

export const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''

/** The relative tolerance of float32 outputs (issue #17: ≤ 1e-5, never loosened to hide a difference). */
export const COMPUTE_TOLERANCE = 1e-5

/** Null when kmodel computes Keras's outputs; else one sentence saying where it differs. */
export async function computeDifference(keras: ComputeAnswer, generation: Generation, kerasVersion: string): Promise<string | null> {
  if (keras.build === 'error' || keras.call === 'error') return `Keras refused the case (${keras.error?.type}: ${keras.error?.message}); the generator must not produce it`
  try {
    const model = await readModelText(keras.model_json ?? '', 'model.json')
    const outputs = await kmodelPredict(model, weightsFileOf(keras.weights ?? [], generation, kerasVersion), keras.inputs ?? [])
    const expected = keras.outputs ?? []
    if (outputs.length !== expected.length) return `${outputs.length} outputs, Keras ${expected.length}`
    for (const [i, want] of expected.entries()) {
      const got = outputs[i]
      if (got === undefined || JSON.stringify(got.shape) !== JSON.stringify(want.shape)) return `output ${i} has shape ${JSON.stringify(got?.shape)}, Keras ${JSON.stringify(want.shape)}`
      const worst = worstRelative(got.data, decodeArray(want) as Float32Array)
      if (!(worst <= COMPUTE_TOLERANCE)) return `output ${i} differs by ${worst.toExponential(2)} relative`
    }
    return null
  } catch (error) {
    return `kmodel failed: ${firstLine(error)}`
  }
}
