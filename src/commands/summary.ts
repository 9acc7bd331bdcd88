import {Flags} from '@oclif/core'
import {KmodelCommand} from '../base-command.js'
import {fillFromWeights} from '../core/graph/fill-weights.js'
import {summarize} from '../core/graph/summarize.js'
import type {ModelSummary} from '../core/graph/summary-types.js'
import type {ReadResult} from '../core/read.js'
import {KERAS_STYLES, type KerasStyle, type SummaryResult, defaultKerasStyle, renderKerasText, renderTable, summaryToJson} from '../core/render/index.js'
import {renderFlops} from '../core/render/flops.js'
import {modelArg} from '../flags.js'
import {loadModel} from '../input.js'

/**
 * Rows the engine could not count (custom layers) take their counts from weights: the given file, or the
 * ones the model file itself carries. Weights are read only when such a row exists.
 */
async function settleUnknowns(read: ReadResult, summary: ModelSummary, weights: string | undefined): Promise<ModelSummary> {
  const carries = read.format === 'keras-h5' || read.format === 'keras-zip'
  if (summary.params_exact || (weights === undefined && !carries)) return summary
  const {readWeights} = await import('../core/weights/read.js')
  const {loadInto} = await import('../core/weights/load.js')
  const file = await readWeights(weights ?? read.source)
  return fillFromWeights(summary, loadInto(read.model, file, {byName: false, skipMismatch: true}).assignments)
}

export default class Summary extends KmodelCommand<SummaryResult> {
  static override summary = 'Show the model as model.summary() would: layers, output shapes, parameter counts.'
  static override description = `Computes every layer's output shape and parameter count with kmodel's own engine (no weights are allocated, TensorFlow.js is not loaded) and prints them as a table, as Keras's own summary text for the Keras generation that wrote the file (--format keras; choose another with --keras-style), or as JSON for CI. Custom layers whose weights cannot be known make the totals a lower bound ("at least"), and paramsExact false in JSON.`
  static override examples = [
    {description: 'Summary of a saved architecture', command: '<%= config.bin %> <%= command.id %> model.json'},
    {description: 'Exactly what Keras 2.6 printed for it', command: '<%= config.bin %> <%= command.id %> model.h5 --format keras --keras-style 2.6'},
    {description: 'Parameter counts for a CI check', command: '<%= config.bin %> <%= command.id %> model.keras --json'},
    {description: 'FLOPs per layer and in total', command: '<%= config.bin %> <%= command.id %> model.h5 --flops'},
    {description: 'Count a custom layer\'s parameters from its saved weights', command: '<%= config.bin %> <%= command.id %> model.json --weights weights.h5'},
  ]
  static override args = {model: modelArg}
  static override flags = {
    format: Flags.option({char: 'f', options: ['table', 'keras', 'json'] as const, default: 'table', summary: 'Output format.'})(),
    'keras-style': Flags.option({options: KERAS_STYLES, summary: 'Keras summary generation for --format keras (default: from the file\'s keras_version).'})(),
    'expand-nested': Flags.boolean({summary: 'List the layers of nested models too.', default: false}),
    'show-trainable': Flags.boolean({summary: 'Add a Trainable column.', default: false}),
    'line-length': Flags.integer({min: 40, max: 400, summary: 'Total width of the Keras-style text.'}),
    flops: Flags.boolean({summary: 'Add FLOPs / multiply-accumulates of one forward pass at batch 1, per layer and in total.', default: false}),
    weights: Flags.string({summary: 'Weights file whose tensors settle the parameter counts of custom layers (default: the weights a full-model .h5 or .keras carries).'}),
  }

  async run(): Promise<SummaryResult> {
    const {args, flags} = await this.parse(Summary)
    const read = await loadModel(args.model)
    this.warnAll(read.warnings, read.source)
    const summary = await settleUnknowns(read, summarize(read.model, {macs: flags.flops}), flags.weights)
    const result = summaryToJson(summary, {kerasVersion: read.model.keras_version})
    if (this.jsonEnabled()) return result
    if (flags.format === 'json') this.out(JSON.stringify(result, null, 2))
    else if (flags.format === 'keras') {
      const style: KerasStyle = flags['keras-style'] ?? defaultKerasStyle(read.model.keras_version)
      this.out(renderKerasText(summary, {style, expandNested: flags['expand-nested'], showTrainable: flags['show-trainable'], ...(flags['line-length'] === undefined ? {} : {lineLength: flags['line-length']})}))
    } else {
      this.out(renderTable(summary, {color: this.colorEnabled, expandNested: flags['expand-nested'], showTrainable: flags['show-trainable']}))
    }
    if (flags.flops && flags.format !== 'json') this.out(renderFlops(summary, flags['expand-nested']))
    return result
  }
}
