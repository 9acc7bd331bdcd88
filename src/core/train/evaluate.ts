/**
 * `model.evaluate` on test data: the loss (with regularization penalties, as Keras reports it) and the
 * compiled metrics, as sample-weighted means over batches of `batch_size` — the values `fit` reports as
 * `val_*` for validation data.
 */
import {type ModelSpec, generationOf} from '../model/spec.js'
import type {WeightsFile} from '../weights/types.js'
import type {BackendName, ConcreteBackend} from '../backend/select.js'
import {runEpoch} from './batches.js'
import {type CompileFlags, type LossSpec, compileSettings, resolveMetric} from './compile.js'
import {type DataSources, bindDataset, readXY} from './data.js'
import {wrapFailure} from './fit.js'
import {openSession} from './session.js'
import {bindMetrics, compileSteps} from './step.js'

/** What `kmodel evaluate` asks for. */
export interface EvaluateRequest {
  model: ModelSpec
  weights: WeightsFile | null
  weightsSource: 'file' | 'model-file'
  data: DataSources
  compile: CompileFlags
  batchSize: number
  backend: BackendName
  seed: number
}

/** `evaluate --json` result. */
export interface EvaluateResult {
  /** `loss` and each metric by its history name (Keras's `evaluate(return_dict=True)`). */
  results: Record<string, number>
  samples: number
  backend: ConcreteBackend
  loss: string[]
  initialWeights: 'file' | 'model-file' | 'initializers'
}

/** Evaluates the model on the data; errors as `train` (InputError for data, exit 6 for the backend). */
export async function evaluate(req: EvaluateRequest): Promise<EvaluateResult> {
  const settings = compileSettings(req.model, req.model.root.graph.outputs.map((r) => r.layer), req.compile)
  const session = await openSession(req.model, {backend: req.backend, weights: req.weights, weightsSource: req.weightsSource, seed: req.seed})
  try {
    const data = bindDataset(session.inputs, session.outputs, await readXY(req.data), settings.losses, 'test data')
    const metrics = settings.metrics.map((list, o) => list.map((m) => resolveMetric(m, settings.losses[o] ?? (settings.losses[0] as LossSpec), session.outputs[o]?.shape ?? [], data.y[o]?.shape ?? [])))
    const steps = compileSteps(session.tf, session.computeModel, settings, bindMetrics(metrics, session.outputs.map((o) => o.name)), 0, generationOf(session.model))
    try {
      const outcome = await runEpoch(session.tf.core, (xs, ys) => steps.test(xs, ys), data, {batchSize: req.batchSize, order: null, names: steps.names, stopOnNaN: false}).catch((error: unknown) => {
        throw wrapFailure(error, req.model.root.name)
      })
      return {results: outcome.logs, samples: data.samples, backend: session.backend, loss: settings.losses.map((l) => l.name), initialWeights: session.initialWeights}
    } finally {
      steps.dispose()
    }
  } finally {
    session.computeModel.dispose()
  }
}
