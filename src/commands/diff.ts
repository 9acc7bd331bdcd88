import {Args, Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {type DiffResult, type LayerTensors, diffModels} from '../core/diff.js'
import {summarize} from '../core/graph/summarize.js'
import type {ReadResult} from '../core/read.js'
import {loadInto} from '../core/weights/load.js'
import {readWeights} from '../core/weights/read.js'
import {renderDiff} from '../cli/diff-report.js'
import {loadModel} from '../cli/input.js'

/** The weights a model file carries (full-model .h5, .keras, tfjs with shards), or those given, by layer. */
async function tensorsOf(read: ReadResult, path: string, weights: string | undefined): Promise<LayerTensors | undefined> {
  const carries = read.format === 'keras-h5' || read.format === 'keras-zip' || read.format === 'tfjs'
  if (weights === undefined && !carries) return undefined
  const file = await readWeights(weights ?? path)
  const {assignments} = loadInto(read.model, file, {byName: false, skipMismatch: true})
  return new Map(assignments.map((a) => [a.layer, a.weights.map((w) => ({name: w.name, shape: w.tensor.shape, data: w.tensor.data}))]))
}

export default class Diff extends KmodelCommand<DiffResult> {
  static override summary = 'Show what differs between two models: layers, configs, shapes, parameters and weights.'
  static override description = `Compares two architectures in any supported formats (a Keras 2 .h5 against a Keras 3 .keras is fine): layers added or removed, layers renamed (paired by class and parameter count when names differ), config values changed, output shapes and parameter counts changed. When both sides have weights (a full-model .h5, a .keras, or --weights-a / --weights-b) it also lists every tensor that differs, with the largest and mean absolute difference.
Exit code 0 when the models are the same, 1 when they differ (like diff), so a CI step can fail on an unexpected change.`
  static override examples = [
    {description: 'What changed between two versions of an architecture', command: '<%= config.bin %> <%= command.id %> model_v1.json model_v2.json'},
    {description: 'Did fine-tuning change the weights, and where', command: '<%= config.bin %> <%= command.id %> base.h5 finetuned.h5 --json'},
    {description: 'Compare architectures and separate weights files', command: '<%= config.bin %> <%= command.id %> a.json b.json --weights-a a_weights.h5 --weights-b b_weights.h5'},
  ]
  static override args = {
    a: Args.string({required: true, description: 'First model (any supported format).'}),
    b: Args.string({required: true, description: 'Second model (any supported format).'}),
  }
  static override flags = {
    'weights-a': Flags.string({summary: 'Weights for the first model.'}),
    'weights-b': Flags.string({summary: 'Weights for the second model.'}),
  }

  async run(): Promise<DiffResult> {
    const {args, flags} = await this.parse(Diff)
    const [ra, rb] = [await loadModel(args.a), await loadModel(args.b)]
    const [wa, wb] = [await tensorsOf(ra, args.a, flags['weights-a']), await tensorsOf(rb, args.b, flags['weights-b'])]
    const result = diffModels({model: ra.model, summary: summarize(ra.model)}, {model: rb.model, summary: summarize(rb.model)}, wa !== undefined && wb !== undefined ? {a: wa, b: wb} : undefined)
    if (!this.jsonEnabled()) this.out(renderDiff(result, args.a, args.b))
    process.exitCode = result.same ? 0 : 1
    return result
  }
}
