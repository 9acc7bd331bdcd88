import {Args, Flags} from '@oclif/core'
import {KmodelCommand} from '../base-command.js'
import {summarize} from '../core/graph/summarize.js'
import {freshModelWeights} from '../core/weights/fresh.js'
import {loadInto, retarget} from '../core/weights/load.js'
import {readWeights} from '../core/weights/read.js'
import {saveForModel} from '../core/weights/save.js'
import {forceFlag, modelArg} from '../flags.js'
import {loadModel} from '../input.js'

/** `save-weights --json` result. */
export interface SaveWeightsResult {
  output: string
  layout: 'keras2' | 'keras3'
  source: 'model-file' | 'initializers'
  seed: number | null
  layers: number
  tensors: number
  params: number
}

export default class SaveWeights extends KmodelCommand<SaveWeightsResult> {
  static override summary = 'Write a model\'s weights as model.save_weights() does: the weights a model file carries, or fresh ones from its initialisers.'
  static override description = `For a full-model .h5, a .keras file or a tfjs model.json with its shards, writes the weights the file carries. For an architecture-only file (JSON, YAML), writes freshly initialised weights, drawn from each layer's configured initialisers (glorot_uniform, orthogonal, zeros, the LSTM forget-gate bias of ones, …) with a seeded generator: the same --seed gives the same file; the values cannot equal NumPy's or TensorFlow's for the same seed.
--layout keras2 writes the legacy save_weights .h5 that every Keras loads (the layout Keras's own h5py writer produces); keras3 writes Keras 3's .weights.h5. The output is written atomically and never replaces a file without --force.`
  static override examples = [
    {description: 'Pull the weights out of a full-model file', command: '<%= config.bin %> <%= command.id %> model.h5 weights.h5'},
    {description: 'Keras 3 .weights.h5 from a .keras file', command: '<%= config.bin %> <%= command.id %> model.keras model.weights.h5 --layout keras3'},
    {description: 'Seeded fresh weights for an architecture', command: '<%= config.bin %> <%= command.id %> model.json init.h5 --seed 42'},
  ]
  static override args = {model: modelArg, out: Args.string({required: true, description: 'The weights file to write.'})}
  static override flags = {
    seed: Flags.integer({summary: 'Seed for fresh weights (default 0).', default: 0}),
    fresh: Flags.boolean({summary: 'Initialise fresh weights even when the model file carries weights.', default: false}),
    layout: Flags.option({options: ['keras2', 'keras3'] as const, default: 'keras2', summary: 'keras2: save_weights .h5; keras3: .weights.h5.'})(),
    force: forceFlag,
  }

  async run(): Promise<SaveWeightsResult> {
    const {args, flags} = await this.parse(SaveWeights)
    const read = await loadModel(args.model)
    this.warnAll(read.warnings, read.source)
    const summary = summarize(read.model)
    const own = !flags.fresh && (read.format === 'keras-h5' || read.format === 'keras-zip' || read.format === 'tfjs') ? await readWeights(args.model) : null
    const carries = own !== null && own.layers.some((l) => l.weights.length > 0)
    const file = carries
      ? retarget(loadInto(read.model, own, {byName: false, skipMismatch: false}), read.model)
      : freshModelWeights(read.model, summary, flags.seed)
    await saveForModel(args.out, file, read.model, flags.layout, flags.force)
    const tensors = file.layers.reduce((n, l) => n + l.weights.length, 0)
    const params = file.layers.reduce((n, l) => n + l.weights.reduce((m, w) => m + w.data.length, 0), 0)
    const result: SaveWeightsResult = {output: args.out, layout: flags.layout, source: carries ? 'model-file' : 'initializers', seed: carries ? null : flags.seed, layers: file.layers.length, tensors, params}
    if (!this.jsonEnabled()) this.out(`Wrote ${args.out}: ${tensors} tensors, ${params.toLocaleString('en-US')} parameters of ${result.layers} layers (${result.source === 'initializers' ? `fresh, seed ${flags.seed}` : 'from the model file'}, ${flags.layout} layout).`)
    return result
  }
}
