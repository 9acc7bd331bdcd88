import {Args, Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {type SummaryBatchResult, assertModelsFound, batchExit, defaultJobs, expandInputs, summarizeFiles, summarizeRead} from '../core/batch.js'
import {KERAS_STYLES, type SummaryResult} from '../core/render/index.js'
import {type SummaryTextOptions, renderBatchEntry, renderBatchTally, renderSummaryText} from '../core/render/summary-text.js'
import {jsonTerminalSafe} from '../core/render/sanitize.js'
import {loadModel} from '../cli/input.js'

export default class Summary extends KmodelCommand<SummaryResult | SummaryBatchResult> {
  static override summary = 'Show the model as model.summary() would: layers, output shapes, parameter counts.'
  static override description = `Validates the model first, as from-config does: a model Keras would refuse to load is refused (exit 4) with the JSON path of the first problem. Computes every layer's output shape and parameter count with kmodel's own engine (no weights are allocated, TensorFlow.js is not loaded) and prints them as a table, as Keras's own summary text for the Keras generation that wrote the file (--format keras; choose another with --keras-style), or as JSON for CI. Custom layers whose weights cannot be known make the totals a lower bound ("at least"), and paramsExact false in JSON.
Several files, or folders (searched for .json, .yaml, .h5, .keras files; weights-only files and JSON that is not a model found there are skipped; no model found at all is exit 3), are summarised one after the other — in worker threads with --jobs — each under a "==> FILE <==" line; --json then reports {"results": [{"file", "ok", "summary" | "error"}]}. Every file is read whatever fails; the exit code is 0 only when all were (3 when a file is missing or unreadable, else the first failing file's code).`
  static override examples = [
    {description: 'Summary of a saved architecture', command: '<%= config.bin %> <%= command.id %> model.json'},
    {description: 'Exactly what Keras 2.6 printed for it', command: '<%= config.bin %> <%= command.id %> model.h5 --format keras --keras-style 2.6'},
    {description: 'Parameter counts for a CI check', command: '<%= config.bin %> <%= command.id %> model.keras --json'},
    {description: 'FLOPs per layer and in total', command: '<%= config.bin %> <%= command.id %> model.h5 --flops'},
    {description: 'Count a custom layer\'s parameters from its saved weights', command: '<%= config.bin %> <%= command.id %> model.json --weights weights.h5'},
    {description: 'Every model under a folder, one JSON report, in 2 worker threads', command: '<%= config.bin %> <%= command.id %> models/ --jobs 2 --json'},
  ]
  static override strict = false
  static override args = {
    model: Args.string({name: 'MODEL', required: true, description: 'Model files or folders: to_json() JSON, to_yaml() YAML, full-model .h5, .keras, tfjs model.json, or - for stdin.'}),
  }
  static override flags = {
    format: Flags.option({char: 'f', options: ['table', 'keras', 'json'] as const, default: 'table', summary: 'Output format.'})(),
    'keras-style': Flags.option({options: KERAS_STYLES, summary: 'Keras summary generation for --format keras (default: from the file\'s keras_version).'})(),
    'expand-nested': Flags.boolean({summary: 'List the layers of nested models too.', default: false}),
    'show-trainable': Flags.boolean({summary: 'Add a Trainable column.', default: false}),
    'line-length': Flags.integer({min: 40, max: 400, summary: 'Total width of the Keras-style text.'}),
    flops: Flags.boolean({summary: 'Add FLOPs / multiply-accumulates of one forward pass at batch 1, per layer and in total.', default: false}),
    weights: Flags.string({summary: 'Weights file checked against the architecture (a layer whose saved count differs is a warning) and whose tensors settle the counts of custom layers (default: the weights a full-model .h5 or .keras carries, read only to settle). One MODEL only.'}),
    jobs: Flags.integer({char: 'j', min: 1, max: 64, summary: 'With several files: how many are read in parallel worker threads (default: in-process below 200 files, else one per core).'}),
  }

  async run(): Promise<SummaryResult | SummaryBatchResult> {
    const {argv, flags} = await this.parse(Summary)
    const {files, found} = await expandInputs(argv as string[])
    assertModelsFound(argv as string[], files.length)
    const text: SummaryTextOptions = {
      format: flags.format, expandNested: flags['expand-nested'], showTrainable: flags['show-trainable'], flops: flags.flops, color: this.colorEnabled,
      ...(flags['keras-style'] === undefined ? {} : {kerasStyle: flags['keras-style']}), ...(flags['line-length'] === undefined ? {} : {lineLength: flags['line-length']}),
    }
    const [only] = files
    if (argv.length === 1 && files.length === 1 && found.size === 0 && only !== undefined) {
      const read = await loadModel(only)
      this.warnAll(read.warnings, read.source)
      const {summary, result, warnings} = await summarizeRead(read, {flops: flags.flops, ...(flags.weights === undefined ? {} : {weights: flags.weights})})
      this.warnAll(warnings)
      if (!this.jsonEnabled()) this.outExact(renderSummaryText(summary, result, text)) // terminal-safe before colour
      return result
    }
    if (flags.weights !== undefined) this.error('--weights settles the counts of one model: give exactly one MODEL file with it.', {exit: 2})
    const withText = !this.jsonEnabled() && flags.format !== 'json'
    const outcomes = await summarizeFiles(files, {
      found, jobs: flags.jobs ?? defaultJobs(files.length), flops: flags.flops, read: loadModel, ...(withText ? {text} : {}),
      onOutcome: (o, index) => {
        this.warnAll(o.warnings.map((w) => ({...w, message: `${o.result.file}: ${w.message}`})))
        if (withText) this.outExact(renderBatchEntry(o.result, o.text, index === 0))
      },
    })
    const result: SummaryBatchResult = {results: outcomes.map((o) => o.result)}
    const skipped = result.results.filter((r) => 'skipped' in r).length
    assertModelsFound(argv as string[], result.results.length - skipped, skipped)
    process.exitCode = batchExit(outcomes.map((o) => o.exit))
    if (!this.jsonEnabled() && !withText) this.outExact(jsonTerminalSafe(JSON.stringify(result, null, 2)))
    if (!this.jsonEnabled()) process.stderr.write(renderBatchTally(result.results))
    return result
  }
}
