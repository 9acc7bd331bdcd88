/**
 * `model.fit` with Keras semantics on kmodel's tfjs core: compile settings (compile.ts), data (data.ts), the
 * epoch loop (batches.ts, step.ts), callbacks (callbacks.ts) and the files written (outputs.ts).
 *
 * Stops: `completed`; `early-stopping`; `interrupted` (the signal fired — Ctrl-C in the CLI: the batch in
 * progress finishes, the incomplete epoch is not logged, `-o` is written with the weights as they are); a
 * non-finite loss throws BackendError KM_BACKEND_NAN_LOSS (exit 6) without writing `-o` — checkpoints and the
 * CSV log of the good epochs stay as they were. Optimizer state is not saved in checkpoints (weights only,
 * like `ModelCheckpoint(save_weights_only=True)`), so a resumed Adam restarts its moments.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError, InputError, KmodelError, UsageError, type Warning} from '../errors.js'
import {type ModelSpec, generationOf} from '../model/spec.js'
import type {OutputLayout} from '../weights/save.js'
import type {WeightsFile} from '../weights/types.js'
import type {BackendName, ConcreteBackend} from '../backend/select.js'
import {type EpochOutcome, type Split, runEpoch, shuffledOrder, splitValidation} from './batches.js'
import {EarlyStopping, type Logs, Monitor, checkTemplate} from './callbacks.js'
import {type CompileFlags, type LossSpec, compileSettings, resolveMetric} from './compile.js'
import {type DataSources, type Dataset, bindDataset, readXY} from './data.js'
import {RunWriter, checkOutputs} from './outputs.js'
import type {TrainEvent} from './progress.js'
import {type Session, currentWeights, openSession, restoreWeights} from './session.js'
import {type Steps, bindMetrics, compileSteps} from './step.js'

/** Everything `kmodel train` asks for. */
export interface TrainRequest {
  model: ModelSpec
  /** Initial weights (already read), or null for fresh seeded weights. */
  weights: WeightsFile | null
  weightsSource: 'file' | 'model-file'
  data: DataSources
  validation?: DataSources
  compile: CompileFlags
  epochs: number
  batchSize: number
  shuffle: boolean
  seed: number
  validationSplit: number
  initialEpoch: number
  checkpoint?: string
  saveBestOnly: boolean
  monitor?: string
  earlyStoppingPatience?: number
  restoreBestWeights: boolean
  csvLog?: string
  output?: string
  layout: OutputLayout | undefined
  force: boolean
  backend: BackendName
}

/** Where progress goes, and the stop request. */
export interface TrainHooks {
  onEvent?: (event: TrainEvent) => void
  signal?: AbortSignal
}

/** `train --json` result (DESIGN.md: history, epochs, samplesPerSecond, backend, output). */
export interface TrainResult {
  /** Per-epoch values by name (`loss`, metrics, `val_*`), epochs of this run only. */
  history: Record<string, number[]>
  /** Epochs completed by this run. */
  epochs: number
  initialEpoch: number
  /** Training samples per second over the training steps (validation and saving excluded). */
  samplesPerSecond: number
  backend: ConcreteBackend
  output: string | null
  stopped: 'completed' | 'early-stopping' | 'interrupted'
  samples: number
  validationSamples: number
  checkpoint: string | null
  initialWeights: 'file' | 'model-file' | 'initializers'
  optimizer: string
  loss: string[]
  warnings: Warning[]
}

/** The output layer names of a model, from its graph (no tfjs needed). */
const outputNames = (model: ModelSpec): string[] => model.root.graph.outputs.map((r) => r.layer)

/** Binds and splits the data; resolves `accuracy` per output from the labels' shape. */
async function prepareData(req: TrainRequest, session: Session, settings: ReturnType<typeof compileSettings>): Promise<Split> {
  const raw = await readXY(req.data)
  const data = bindDataset(session.inputs, session.outputs, raw, settings.losses)
  settings.metrics = settings.metrics.map((list, o) => list.map((m) => resolveMetric(m, settings.losses[o] ?? (settings.losses[0] as LossSpec), session.outputs[o]?.shape ?? [], data.y[o]?.shape ?? [])))
  if (req.validation !== undefined) {
    const validation = bindDataset(session.inputs, session.outputs, await readXY(req.validation), settings.losses, 'validation data')
    return {train: data, validation}
  }
  return splitValidation(data, req.validationSplit)
}

/** Runs `model.fit` as the request says. See the module comment for how it stops. */
export async function train(req: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  checkValidationSplit(req.validationSplit)
  const settings = compileSettings(req.model, outputNames(req.model), req.compile)
  const plan = {layout: req.layout, force: req.force, initialEpoch: req.initialEpoch, epochs: req.epochs, ...(req.output === undefined ? {} : {output: req.output}), ...(req.checkpoint === undefined ? {} : {checkpoint: req.checkpoint}), ...(req.csvLog === undefined ? {} : {csvLog: req.csvLog})}
  await checkOutputs(plan)
  const session = await openSession(req.model, {backend: req.backend, weights: req.weights, weightsSource: req.weightsSource, seed: req.seed})
  try {
    const split = await prepareData(req, session, settings)
    const steps = compileSteps(session.tf, session.computeModel, settings, bindMetrics(settings.metrics, session.outputs.map((o) => o.name)), req.initialEpoch * Math.ceil(split.train.samples / req.batchSize), generationOf(session.model))
    try {
      const writer = new RunWriter(plan, req.model)
      const loop = await runLoop(req, hooks, session, split, steps, writer).catch((error: unknown) => {
        throw wrapFailure(error, req.model.root.name)
      })
      const output = await writer.final(await currentWeights(session))
      return {
        ...loop, output, backend: session.backend, initialEpoch: req.initialEpoch, samples: split.train.samples, validationSamples: split.validation?.samples ?? 0,
        checkpoint: writer.lastCheckpoint, initialWeights: session.initialWeights, optimizer: settings.optimizer.name, loss: settings.losses.map((l) => l.name), warnings: settings.warnings,
      }
    } finally {
      steps.dispose()
    }
  } finally {
    session.computeModel.dispose()
  }
}

/**
 * Keras's rule for `validation_split`: a fraction with 0 ≤ split < 1 (0 means none; Keras 3 slices the last
 * `split` of the samples, so 1 would leave nothing to train on). UsageError KM_USAGE_VALIDATION_SPLIT (exit 2).
 */
export function checkValidationSplit(split: number): void {
  if (Number.isFinite(split) && split >= 0 && split < 1) return
  throw new UsageError('KM_USAGE_VALIDATION_SPLIT', `--validation-split must be a fraction in [0, 1), as Keras's validation_split; got ${String(split)}.`, {
    hint: 'Give the fraction of the samples to validate on, for example --validation-split 0.2 (0 means no validation split).',
  })
}

type LoopResult = Pick<TrainResult, 'history' | 'epochs' | 'samplesPerSecond' | 'stopped'>

/** The monitored quantity: as given, else val_loss with validation data, else loss; must be logged. */
function monitorName(req: TrainRequest, names: readonly string[], validation: boolean): string {
  const name = req.monitor ?? (validation ? 'val_loss' : 'loss')
  if (!names.includes(name)) throw new InputError('KM_INPUT_MONITOR', `--monitor '${name}' is not a value this run logs.`, {hint: `Use one of: ${names.join(', ')}.`})
  return name
}

async function runLoop(req: TrainRequest, hooks: TrainHooks, session: Session, split: Split, steps: Steps, writer: RunWriter): Promise<LoopResult> {
  const core = session.tf.core
  const names = [...steps.names, ...(split.validation === null ? [] : steps.names.map((n) => `val_${n}`))]
  if (req.checkpoint !== undefined) checkTemplate(req.checkpoint, names)
  await writer.openCsv(names)
  const emit = (e: TrainEvent): void => hooks.onEvent?.(e)
  const callbacks = epochCallbacks(req, session, writer, new Monitor(monitorName(req, names, split.validation !== null)), emit)
  const stepsPerEpoch = Math.ceil(split.train.samples / req.batchSize)
  emit({type: 'start', epochs: req.epochs, initialEpoch: req.initialEpoch, samples: split.train.samples, validationSamples: split.validation?.samples ?? 0, steps: stepsPerEpoch, backend: session.backend, notices: session.notices})
  const history: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
  let trainMs = 0
  let seen = 0
  for (let epoch = req.initialEpoch; epoch < req.epochs; epoch++) {
    emit({type: 'epoch-start', epoch: epoch + 1, epochs: req.epochs})
    const started = performance.now()
    const order = req.shuffle ? shuffledOrder(split.train.samples, req.seed, epoch) : null
    const outcome = await runEpoch(core, (xs, ys) => steps.train(xs, ys), split.train, {
      batchSize: req.batchSize, order, names: steps.names, ...(hooks.signal === undefined ? {} : {signal: hooks.signal}),
      onBatch: (step, total, logs) => emit({type: 'batch', epoch: epoch + 1, step, steps: total, logs, elapsedMs: performance.now() - started}),
    })
    trainMs += performance.now() - started
    seen += outcome.samplesSeen
    if (outcome.stop === 'nan') throw nanError(req, epoch, outcome, writer.lastCheckpoint)
    if (outcome.stop === 'interrupted') return {history, epochs: epoch - req.initialEpoch, samplesPerSecond: rate(seen, trainMs), stopped: 'interrupted'}
    const logs = {...outcome.logs, ...(split.validation === null ? {} : await validate(core, steps, split.validation, req.batchSize))}
    for (const n of names) history[n]?.push(logs[n] ?? Number.NaN)
    emit({type: 'epoch-end', epoch: epoch + 1, epochs: req.epochs, steps: stepsPerEpoch, logs, elapsedMs: performance.now() - started})
    await writer.logEpoch(epoch, logs)
    const verdict = await callbacks.afterEpoch(epoch, logs)
    if (verdict === 'stop' && epoch + 1 < req.epochs) return {history, epochs: epoch + 1 - req.initialEpoch, samplesPerSecond: rate(seen, trainMs), stopped: 'early-stopping'}
    if (hooks.signal?.aborted === true) return {history, epochs: epoch + 1 - req.initialEpoch, samplesPerSecond: rate(seen, trainMs), stopped: 'interrupted'}
  }
  return {history, epochs: Math.max(0, req.epochs - req.initialEpoch), samplesPerSecond: rate(seen, trainMs), stopped: 'completed'}
}

/**
 * Checkpointing and early stopping after each epoch; `afterEpoch` returns 'stop' when early stopping fires
 * (after restoring the best weights when asked).
 */
function epochCallbacks(req: TrainRequest, session: Session, writer: RunWriter, monitor: Monitor, emit: (e: TrainEvent) => void): {afterEpoch: (epoch: number, logs: Logs) => Promise<'stop' | null>} {
  const early = req.earlyStoppingPatience === undefined ? null : new EarlyStopping(monitor.name, req.earlyStoppingPatience)
  let best: WeightsFile | null = null
  return {
    async afterEpoch(epoch, logs) {
      const improved = monitor.update(logs, epoch)
      if (req.checkpoint !== undefined && (!req.saveBestOnly || improved)) emit({type: 'note', message: `Saved checkpoint ${await writer.checkpoint(epoch + 1, logs, await currentWeights(session))}`})
      const verdict = early?.update(logs, epoch)
      if (req.restoreBestWeights && verdict?.improved === true) best = await currentWeights(session)
      if (verdict?.stop !== true || epoch + 1 >= req.epochs) return null
      if (best !== null) await restoreWeights(session, best)
      const restored = best === null ? '' : `; restored the weights of epoch ${(early?.monitor.bestEpoch ?? 0) + 1}`
      emit({type: 'note', message: `Early stopping after epoch ${epoch + 1}: ${monitor.name} has not improved for ${req.earlyStoppingPatience ?? 0} epoch(s)${restored}.`})
      return 'stop'
    },
  }
}

const rate = (samples: number, ms: number): number => (ms > 0 ? Math.round((samples / ms) * 1000 * 10) / 10 : 0)

/** Validation values (`val_` names) after an epoch, batch by batch. */
async function validate(core: Session['tf']['core'], steps: Steps, data: Dataset, batchSize: number): Promise<Logs> {
  const outcome = await runEpoch(core, (xs: Tensor[], ys: Tensor[]) => steps.test(xs, ys), data, {batchSize, order: null, names: steps.names, stopOnNaN: false})
  return Object.fromEntries(Object.entries(outcome.logs).map(([k, v]) => [`val_${k}`, v]))
}

function nanError(req: TrainRequest, epoch: number, outcome: EpochOutcome, checkpoint: string | null): BackendError {
  const kept = checkpoint === null ? (req.checkpoint === undefined ? 'Pass --checkpoint to keep the weights of each good epoch' : 'No checkpoint was written before it') : `The last good checkpoint is ${checkpoint}`
  return new BackendError('KM_BACKEND_NAN_LOSS', `The loss became NaN or infinite at epoch ${epoch + 1}, batch ${outcome.badStep}; training stopped and no output was written.`, {
    hint: `${kept}. Lower the learning rate (--learning-rate) or check the data for NaN or huge values.`,
  })
}

/** A tfjs failure during training → BackendError KM_BACKEND_FIT (kmodel's own errors pass through). */
export function wrapFailure(error: unknown, name: string): unknown {
  if (error instanceof KmodelError) return error
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.replace(/\.+$/, '') ?? ''
  return new BackendError('KM_BACKEND_FIT', `Training '${name}' failed: ${message}.`, {hint: 'Try --backend cpu; report the model if it persists.', cause: error})
}
