/**
 * Where kmodel's training differs from Keras's model.fit for a case: kmodel reads the model file Keras's
 * model would be saved as (its compile settings included), starts from Keras's initial weights, trains on the
 * same data with one full batch per epoch and no shuffling, and must report Keras's loss at every step (and
 * each output's loss) and end with Keras's weights, all ≤ 1e-4 relative to max(1, |Keras's value|).
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {writeNpz} from '../../../src/core/io/npy.js'
import {train} from '../../../src/core/train/fit.js'
import {readWeights} from '../../../src/core/weights/read.js'
import type {WeightData, WeightDType, WeightsFile} from '../../../src/core/weights/types.js'
import {decodeArray, type Generation, type OracleArray, type OracleResult, worstRelative} from '../harness.js'
import {type OracleLayerWeights, readModelText, weightsFileOf} from '../kmodel-side.js'
import type {FitCase} from '../gen/fit.js'
import {firstLine} from './compute.js'

/** What test/oracle/py/suites/fit.py answers. */
export interface FitAnswer extends OracleResult {
  fit: 'ok' | 'error'
  error?: {type: string; message: string}
  /** The model file's content (JSON), compile settings included. */
  document?: unknown
  weights?: OracleLayerWeights[]
  input_names?: string[]
  output_names?: string[]
  x?: OracleArray[]
  y?: OracleArray[]
  /** Per history name (`loss`, `<output>_loss`), one value per step. */
  history?: Record<string, OracleArray>
  final_weights?: OracleLayerWeights[]
}

/** The tolerance of training losses and trained weights (issue #17: ≤ 1e-4, never loosened). */
export const FIT_TOLERANCE = 1e-4

/** What kmodel's run produced: its history and its trained weights. */
interface KmodelRun {
  history: Record<string, number[]>
  weights: WeightsFile
}

const npzOf = (names: readonly string[], arrays: readonly OracleArray[]): Uint8Array =>
  writeNpz(arrays.map((a, i) => [names[i] ?? `a${i}`, {dtype: a.dtype as WeightDType, shape: a.shape, data: decodeArray(a) as WeightData}]))

/** kmodel's `train` in-process on Keras's model file, initial weights and data; the weights read back from -o. */
async function kmodelFit(c: FitCase, keras: FitAnswer, generation: Generation, version: string): Promise<KmodelRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kmodel-oracle-fit-'))
  try {
    const x = join(dir, 'x.npz')
    const y = join(dir, 'y.npz')
    writeFileSync(x, npzOf(keras.input_names ?? [], keras.x ?? []))
    writeFileSync(y, npzOf(keras.output_names ?? [], keras.y ?? []))
    const output = join(dir, 'trained.h5')
    const result = await train({
      model: await readModelText(JSON.stringify(keras.document ?? null), 'model.json'), weights: weightsFileOf(keras.weights ?? [], generation, version), weightsSource: 'file',
      data: {x, y}, compile: {}, epochs: c.epochs, batchSize: c.samples, shuffle: false, seed: 0, validationSplit: 0, initialEpoch: 0,
      saveBestOnly: false, restoreBestWeights: false, output, layout: 'keras2', force: true, backend: 'cpu',
    })
    return {history: result.history, weights: await readWeights(output)}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** Each history value Keras logged (loss, per-output losses) against kmodel's, step by step. */
function historyDifference(keras: Record<string, OracleArray>, ours: Record<string, number[]>): string | null {
  for (const [name, array] of Object.entries(keras)) {
    const want = decodeArray(array) as Float32Array
    const got = ours[name]
    if (got === undefined) return `kmodel logs no '${name}' (it logs ${Object.keys(ours).join(', ')})`
    if (got.length !== want.length) return `'${name}' has ${got.length} steps, Keras ${want.length}`
    for (let step = 0; step < want.length; step++) {
      const worst = worstRelative([got[step] ?? Number.NaN], [want[step] ?? Number.NaN])
      if (!(worst <= FIT_TOLERANCE)) return `${name} of step ${step + 1} is ${got[step]}, Keras ${want[step]} (${worst.toExponential(2)} relative)`
    }
  }
  return null
}

/** Keras's trained weights against kmodel's, layer by layer in save order. */
function weightsDifference(keras: readonly OracleLayerWeights[], ours: WeightsFile): string | null {
  const byName = new Map(ours.layers.map((l) => [l.name, l]))
  let worst = {value: 0, where: ''}
  for (const layer of keras) {
    const mine = byName.get(layer.name)
    if (mine === undefined || mine.weights.length !== layer.weights.length) return `layer '${layer.name}' has ${mine?.weights.length ?? 'no'} trained weights, Keras ${layer.weights.length}`
    for (const [i, w] of layer.weights.entries()) {
      const got = mine.weights[i]
      const d = got === undefined ? Infinity : worstRelative(got.data as Float32Array, decodeArray(w) as Float32Array)
      if (!(d <= worst.value)) worst = {value: d, where: w.name}
    }
  }
  return worst.value <= FIT_TOLERANCE ? null : `trained weight ${worst.where} differs by ${worst.value.toExponential(2)} relative`
}

/** Null when kmodel trains as Keras did; else one sentence saying where it first differs. */
export async function fitDifference(c: FitCase, keras: FitAnswer, generation: Generation, version: string): Promise<string | null> {
  if (keras.fit === 'error') return `Keras refused the case (${keras.error?.type}: ${keras.error?.message}); the generator must not produce it`
  let run: KmodelRun
  try {
    run = await kmodelFit(c, keras, generation, version)
  } catch (error) {
    return `kmodel failed: ${firstLine(error)}`
  }
  const history = historyDifference(keras.history ?? {}, run.history)
  const weights = weightsDifference(keras.final_weights ?? [], run.weights)
  if (history === null || weights === null) return history ?? weights
  return `${history}; ${weights}`
}
