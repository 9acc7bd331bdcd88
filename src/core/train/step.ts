/**
 * One training or test step on a batch, Keras's `train_step` / `test_step`: forward pass (training mode for the
 * train step: Dropout active, BatchNormalization updating its moving statistics), the loss of each output
 * weighted by `loss_weights` and summed, plus the layers' regularization penalties; gradients of that total
 * with respect to the trainable variables; one optimizer update. Every value the step reports (total loss,
 * each output's loss when there are several, each metric) is read back in one transfer.
 *
 * The model runs through kmodel's compute core (`ComputeModel.apply`, every intermediate tensor freed by the
 * step's tidy); its weight penalties and the loss terms layers add (activity regularization) join the total.
 */
import type {Scalar, Tensor, Variable} from '@tensorflow/tfjs-core'
import type {ComputeModel} from '../compute/model.js'
import type {Tfjs} from '../backend/runtime.js'
import type {Dialect} from '../model/spec.js'
import type {CompileSettings, MetricSpec} from './compile.js'
import {type PairFn, lossFn, metricFn} from './losses.js'
import {type Optimizer, makeOptimizer} from './optimizers.js'

/** A metric bound to one output. */
export interface BoundMetric {
  /** History name: the metric's key, prefixed by the output name when the model has several outputs. */
  name: string
  output: number
  fn: PairFn
}

/** The compiled steps; `names[i]` names `values[i]` of every step result. */
export interface Steps {
  names: string[]
  train(xs: Tensor[], ys: Tensor[]): Promise<number[]>
  test(xs: Tensor[], ys: Tensor[]): Promise<number[]>
  /** Optimizer updates applied so far (drives Keras 1/2 `decay` and Adam's bias correction). */
  iterations: number
  dispose(): void
}

/** Binds the resolved metrics (`metrics[o]` for output o) to history names, Keras 2 style. */
export function bindMetrics(metrics: readonly MetricSpec[][], outputNames: readonly string[]): BoundMetric[] {
  const several = outputNames.length > 1
  return metrics.flatMap((list, o) => list.map((m) => ({name: several ? `${outputNames[o] ?? o}_${m.key}` : m.key, output: o, fn: metricFn(m)})))
}

/**
 * Builds train and test steps for `model` with `settings` (metrics already resolved per output); `generation`
 * picks the losses' tf-keras or Keras 3 formula where they differ (binary crossentropy from probabilities).
 */
export function compileSteps(tf: Tfjs, model: ComputeModel, settings: CompileSettings, metrics: BoundMetric[], initialIterations = 0, generation: Dialect = 'keras3'): Steps {
  const core = tf.core
  const outputNames = model.outputs.map((p, i) => p.name || `output_${i}`)
  const several = outputNames.length > 1
  const losses = settings.losses.map(lossFn)
  const names = ['loss', ...(several ? outputNames.map((n) => `${n}_loss`) : []), ...metrics.map((m) => m.name)]
  const optimizer: Optimizer = makeOptimizer(core, settings.optimizer)
  const vars = (): Variable[] => model.trainableVariables()

  /** Total loss (a scalar) plus the reported extras, from predictions and the loss terms layers added. */
  const evaluate = (ys: Tensor[], forward: {outputs: Tensor[]; losses: Tensor[]}): {total: Scalar; extras: Tensor[]} => {
    const preds = forward.outputs
    const parts = preds.map((p, i) => core.mean((losses[i] as PairFn)(core, ys[i] as Tensor, p, generation)))
    let total = parts.reduce<Tensor>((sum, part, i) => core.add(sum, core.mul(part, settings.lossWeights[i] ?? 1)), core.scalar(0))
    // Keras counts regularization penalties in evaluate too
    for (const penalty of [...model.weightPenalties(), ...forward.losses]) total = core.add(total, penalty)
    const extras = [...(several ? parts : []), ...metrics.map((m) => core.mean(m.fn(core, ys[m.output] as Tensor, preds[m.output] as Tensor, generation)))]
    return {total: total as Scalar, extras}
  }
  const forward = (xs: Tensor[], training: boolean): {outputs: Tensor[]; losses: Tensor[]} => model.apply(xs, {training})
  const read = async (t: Tensor): Promise<number[]> => {
    try {
      return Array.from(await t.data())
    } finally {
      t.dispose()
    }
  }

  const steps: Steps = {
    names,
    iterations: initialIterations,
    async train(xs, ys) {
      const result = core.tidy(() => {
        let extras: Tensor[] = []
        const variables = vars()
        const {value, grads} = core.variableGrads(() => {
          const out = evaluate(ys, forward(xs, true))
          extras = out.extras.map((t) => core.keep(t))
          return out.total
        }, variables)
        optimizer.apply(variables, variables.map((v) => grads[v.name] as Tensor), steps.iterations)
        // Keras projects each updated variable through its constraint right after the update
        model.applyConstraints(variables.filter((v) => grads[v.name] !== undefined))
        const stacked = core.stack([value, ...extras])
        core.dispose(extras)
        return stacked
      })
      steps.iterations += 1
      return read(result)
    },
    async test(xs, ys) {
      return read(core.tidy(() => {
        const {total, extras} = evaluate(ys, forward(xs, false))
        return core.stack([total, ...extras])
      }))
    },
    dispose() {
      optimizer.dispose()
    },
  }
  return steps
}
