import {Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {applyComputeEnv} from '../cli/env.js'
import {terminalSafe} from '../core/render/sanitize.js'
import {type EvaluateResult, evaluate} from '../core/train/evaluate.js'
import {formatMetric} from '../core/train/progress.js'
import {initialWeightsFor} from '../core/train/session.js'
import {modelArg} from '../cli/flags.js'
import {loadModel} from '../cli/input.js'
import {dataFlags, opt} from './train.js'
import {DEFAULT_MAX_CSV_COLUMNS} from '../core/train/csv.js'

export default class Evaluate extends KmodelCommand<EvaluateResult> {
  static override summary = 'Compute the loss and metrics of a model on test data, as model.evaluate() does.'
  static override description = `Builds the model with its weights (the model file's own, or --weights, loaded by order), runs X through it in batches and reports the loss (with regularization penalties, as Keras reports it) and each metric, averaged over all samples. Loss and metrics come from the file's compile settings unless --loss / --metrics are given. Data forms and checks are those of train. Models with Lambda or other code-carrying layers are refused (exit 6).`
  static override examples = [
    {description: 'Loss and accuracy of a trained full-model file on test data', command: '<%= config.bin %> <%= command.id %> model.h5 --x x_test.npy --y y_test.npy'},
    {description: 'An architecture with separate weights, CSV data, as JSON', command: '<%= config.bin %> <%= command.id %> model.json --weights trained.h5 --x test.csv --y-columns label --loss sparse_categorical_crossentropy --metrics accuracy --json'},
  ]
  static override args = {model: modelArg}
  static override flags = {
    ...dataFlags,
    weights: Flags.string({summary: 'Weights file (default: the weights the model file carries).'}),
    seed: Flags.integer({default: 0, summary: 'Seed for fresh weights when the model has none (a baseline).'}),
    'max-csv-columns': Flags.integer({min: 1, default: DEFAULT_MAX_CSV_COLUMNS, env: 'KMODEL_MAX_CSV_COLUMNS', summary: 'Widest CSV header read (a wider one is refused with exit 4).'}),
  }

  async run(): Promise<EvaluateResult> {
    const {args, flags} = await this.parse(Evaluate)
    applyComputeEnv()
    const read = await loadModel(args.model)
    this.warnAll(read.warnings, read.source)
    const initial = await initialWeightsFor(read, args.model, flags.weights)
    if (initial.weights === null) this.warnAll([{path: args.model, message: `no weights given: evaluating fresh weights (seed ${flags.seed})`}])
    const split = (s: string | undefined): string[] | undefined => s?.split(',')
    const result = await evaluate({
      model: read.model, weights: initial.weights, weightsSource: initial.source, backend: flags.backend, batchSize: flags['batch-size'], seed: flags.seed,
      data: {x: flags.x, ...opt('y', flags.y), ...opt('xColumns', split(flags['x-columns'])), ...opt('yColumns', split(flags['y-columns'])), maxCsvColumns: flags['max-csv-columns']},
      compile: {...opt('loss', flags.loss), ...opt('metrics', split(flags.metrics))},
    })
    if (!this.jsonEnabled()) this.out(`${result.samples} samples on ${result.backend}: ${Object.entries(result.results).map(([k, v]) => `${terminalSafe(k)} ${formatMetric(v)}`).join(', ')}`)
    return result
  }
}
