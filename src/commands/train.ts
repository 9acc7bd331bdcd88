import {Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {applyComputeEnv} from '../cli/env.js'
import {type TrainResult, train} from '../core/train/fit.js'
import {terminalSafe} from '../core/render/sanitize.js'
import {type TrainEvent, formatMetric, progressRenderer} from '../core/train/progress.js'
import {DEFAULT_MAX_CSV_COLUMNS} from '../core/train/csv.js'
import {initialWeightsFor} from '../core/train/session.js'
import {forceFlag, modelArg} from '../cli/flags.js'
import {loadModel} from '../cli/input.js'

/** A floating-point flag (oclif has integers only); `min`/`max` inclusive. */
export const floatFlag = (opts: {summary: string; min?: number; max?: number}) => Flags.custom<number>({
  summary: opts.summary,
  parse: async (input) => {
    const n = Number(input)
    if (input.trim() === '' || !Number.isFinite(n) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      throw new Error(`Expected a number${opts.min === undefined ? '' : ` ≥ ${opts.min}`}${opts.max === undefined ? '' : ` ≤ ${opts.max}`}, got '${input}'.`)
    }
    return n
  },
})()

const list = (summary: string) => Flags.string({summary, parse: async (s) => s.split(',').map((c) => c.trim()).filter((c) => c !== '').join(',')})
const split = (s: string | undefined): string[] | undefined => (s === undefined ? undefined : s.split(','))

/** Flags train and evaluate share: data and compile settings. */
export const dataFlags = {
  x: Flags.string({required: true, summary: 'Inputs: .npy, .npz (arrays named after the input layers), CSV with a header row, or file.h5:/dataset.'}),
  y: Flags.string({summary: 'Targets, same forms as --x (default: --y-columns of the --x CSV).'}),
  'x-columns': list('CSV columns that form X, comma-separated (default: every column not in --y-columns).'),
  'y-columns': list('CSV columns that form Y, comma-separated.'),
  loss: Flags.string({summary: 'Loss, Keras name (mse, mae, huber, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, …). Default: the file\'s compile settings.'}),
  metrics: list('Metrics, comma-separated Keras names (accuracy, mae, …). Default: the file\'s.'),
  'batch-size': Flags.integer({min: 1, default: 32, summary: 'Samples per batch.'}),
  backend: Flags.option({options: ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const, default: 'auto', env: 'KMODEL_BACKEND', summary: 'Compute backend.'})(),
}

export default class Train extends KmodelCommand<Omit<TrainResult, 'warnings'>> {
  static override summary = 'Train a model on arrays or a CSV, as model.fit() does, and write the trained weights.'
  static override description = `Compile settings come from the file (a full-model .h5's training_config, a .keras compile_config) unless --optimizer, --learning-rate, --loss or --metrics say otherwise. Training starts from --initial-weights, else the weights the model file carries, else fresh weights from the config's initialisers drawn with --seed (so a run is reproducible). Keras semantics: --validation-split takes the LAST fraction of the samples before shuffling; the data is reshuffled every epoch (seeded); epoch values are means over the epoch's batches.
Progress goes to stderr: Keras's progress bar on a terminal, one line per epoch otherwise, nothing with --json. A NaN or infinite loss stops training with exit 6 and leaves the checkpoints of the good epochs. Ctrl-C finishes the batch in progress, writes --output with the weights as they are, and exits with 130. Models with Lambda or other code-carrying layers are refused (exit 6): kmodel never runs code from a file.`
  static override examples = [
    {description: 'Train for 10 epochs and write Keras-loadable weights', command: '<%= config.bin %> <%= command.id %> model.json --x x.npy --y y.npy --epochs 10 --loss sparse_categorical_crossentropy --metrics accuracy --output trained.h5'},
    {description: 'CSV data, Adam, 20% validation, best checkpoint and early stopping', command: '<%= config.bin %> <%= command.id %> model.h5 --x data.csv --y-columns label --optimizer adam --learning-rate 0.001 --validation-split 0.2 --checkpoint best.h5 --save-best-only --early-stopping-patience 3 --output final.h5'},
    {description: 'Resume from epoch 5 of a checkpoint, appending to the history log', command: '<%= config.bin %> <%= command.id %> model.json --x x.npy --y y.npy --initial-weights ckpt-05.h5 --initial-epoch 5 --epochs 10 --csv-log history.csv --checkpoint \'ckpt-{epoch:02d}.h5\' --output trained.h5'},
  ]
  static override args = {model: modelArg}
  static override flags = {
    ...dataFlags,
    epochs: Flags.integer({min: 0, default: 1, summary: 'Train until this epoch (Keras: epochs counts from 0, not from --initial-epoch).'}),
    optimizer: Flags.string({summary: 'Optimizer: sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax (Keras defaults). Default: the file\'s, else rmsprop.'}),
    'learning-rate': floatFlag({summary: 'Learning rate (overrides the optimizer\'s).', min: 0}),
    // any text is taken here; core refuses what Keras refuses (0 ≤ split < 1) with exit 2, one line and a hint
    'validation-split': Flags.string({summary: 'Fraction of the samples, taken from the end, to validate on: 0 ≤ F < 1, as Keras\'s validation_split.'}),
    'validation-x': Flags.string({summary: 'Validation inputs (same forms as --x).', dependsOn: ['validation-y'], exclusive: ['validation-split']}),
    'validation-y': Flags.string({summary: 'Validation targets.', dependsOn: ['validation-x']}),
    shuffle: Flags.boolean({allowNo: true, default: true, summary: 'Reshuffle the training samples every epoch.'}),
    seed: Flags.integer({default: 0, summary: 'Seed for fresh weights and shuffling.'}),
    'initial-weights': Flags.string({summary: 'Weights to start from (.h5, .weights.h5, .keras, tfjs model.json), loaded by order.'}),
    'initial-epoch': Flags.integer({min: 0, default: 0, summary: 'Epoch to resume at (history, checkpoint names and the CSV log continue from it).'}),
    checkpoint: Flags.string({summary: 'Save weights after each epoch here; {epoch:02d} and {val_loss:.4f} style fields are filled in.'}),
    'save-best-only': Flags.boolean({dependsOn: ['checkpoint'], summary: 'Checkpoint only when --monitor improved.'}),
    monitor: Flags.string({summary: 'Value watched by --save-best-only and early stopping (default: val_loss with validation data, else loss).'}),
    'early-stopping-patience': Flags.integer({min: 0, summary: 'Stop after this many epochs without improvement of --monitor.'}),
    'restore-best-weights': Flags.boolean({dependsOn: ['early-stopping-patience'], summary: 'On early stopping, go back to the best epoch\'s weights.'}),
    'csv-log': Flags.string({summary: 'Write per-epoch values to this CSV (Keras CSVLogger columns); appended to when --initial-epoch > 0.'}),
    output: Flags.string({char: 'o', summary: 'Write the trained weights here: by its name, *.weights.h5 in Keras 3\'s layout, other .h5 / .hdf5 in the legacy save_weights layout, .keras the whole model (Keras 3 zip).'}),
    layout: Flags.option({options: ['keras2', 'keras3'] as const, summary: 'Layout of --output and checkpoints; default and only accepted value: the one their names ask for (keras3 for *.weights.h5, keras2 for other .h5).'})(),
    force: forceFlag,
    'max-csv-columns': Flags.integer({min: 1, default: DEFAULT_MAX_CSV_COLUMNS, env: 'KMODEL_MAX_CSV_COLUMNS', summary: 'Widest CSV header read (a wider one is refused with exit 4).'}),
  }

  async run(): Promise<Omit<TrainResult, 'warnings'>> {
    const {args, flags} = await this.parse(Train)
    applyComputeEnv()
    const read = await loadModel(args.model)
    this.warnAll(read.warnings, read.source)
    if (flags.output === undefined && flags.checkpoint === undefined) this.warnAll([{path: '--output', message: 'no --output or --checkpoint: the trained weights will not be saved'}])
    const initial = await initialWeightsFor(read, args.model, flags['initial-weights'])
    const progress = progressRenderer({tty: Boolean(process.stderr.isTTY)})
    const abort = new AbortController()
    const onSigint = (): void => abort.abort()
    process.once('SIGINT', onSigint)
    let result: TrainResult
    try {
      result = await train({
        model: read.model, weights: initial.weights, weightsSource: initial.source, backend: flags.backend, layout: flags.layout, force: flags.force,
        data: {x: flags.x, ...opt('y', flags.y), ...opt('xColumns', split(flags['x-columns'])), ...opt('yColumns', split(flags['y-columns'])), maxCsvColumns: flags['max-csv-columns']},
        ...(flags['validation-x'] === undefined || flags['validation-y'] === undefined ? {} : {validation: {x: flags['validation-x'], y: flags['validation-y'], maxCsvColumns: flags['max-csv-columns']}}),
        compile: {...opt('optimizer', flags.optimizer), ...opt('learningRate', flags['learning-rate']), ...opt('loss', flags.loss), ...opt('metrics', split(flags.metrics))},
        epochs: flags.epochs, batchSize: flags['batch-size'], shuffle: flags.shuffle, seed: flags.seed, validationSplit: fraction(flags['validation-split']), initialEpoch: flags['initial-epoch'],
        saveBestOnly: flags['save-best-only'] === true, restoreBestWeights: flags['restore-best-weights'] === true,
        ...opt('checkpoint', flags.checkpoint), ...opt('monitor', flags.monitor), ...opt('earlyStoppingPatience', flags['early-stopping-patience']), ...opt('csvLog', flags['csv-log']), ...opt('output', flags.output),
      }, {signal: abort.signal, onEvent: (e) => {
        if (!this.jsonEnabled()) process.stderr.write(progress.render(terminalSafeEvent(e), performance.now()))
      }})
    } finally {
      process.removeListener('SIGINT', onSigint)
      if (!this.jsonEnabled()) process.stderr.write(progress.close())
    }
    const {warnings, ...out} = result
    this.warnAll(warnings)
    if (result.stopped === 'interrupted') process.exitCode = 130
    if (!this.jsonEnabled()) this.out(summaryLine(out))
    return out
  }
}

/** A `--validation-split` value as a number (NaN for text that is not one; core refuses it); 0 when absent. */
const fraction = (s: string | undefined): number => (s === undefined ? 0 : s.trim() === '' ? Number.NaN : Number(s))

/** `{key: value}` when the value is defined, else `{}` (exactOptionalPropertyTypes). */
export function opt<K extends string, V>(key: K, value: V | undefined): {[P in K]?: V} {
  return (value === undefined ? {} : {[key]: value}) as {[P in K]?: V}
}

/** Logs keys (named after the model's outputs when it has several) and notes, terminal-safe for the progress lines. */
function terminalSafeEvent(e: TrainEvent): TrainEvent {
  const logs = (l: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(l).map(([k, v]) => [terminalSafe(k), v]))
  if (e.type === 'batch' || e.type === 'epoch-end') return {...e, logs: logs(e.logs)}
  if (e.type === 'note') return {...e, message: terminalSafe(e.message)}
  if (e.type === 'start') return {...e, notices: e.notices.map(terminalSafe), backend: terminalSafe(e.backend)}
  return e
}

function summaryLine(r: Omit<TrainResult, 'warnings'>): string {
  const last = Object.entries(r.history).map(([k, v]) => `${terminalSafe(k)} ${formatMetric(v.at(-1) ?? Number.NaN)}`).join(', ')
  const how = r.stopped === 'completed' ? '' : ` (${r.stopped})`
  return `${r.output === null ? 'Trained' : `Wrote ${r.output}`}: ${r.epochs} epoch(s)${how}${last === '' || r.epochs === 0 ? '' : `, ${last}`}; ${Math.round(r.samplesPerSecond).toLocaleString('en-US')} samples/s on ${r.backend}.`
}
