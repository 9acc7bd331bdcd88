import {Args, Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {summarize} from '../core/graph/summarize.js'
import {freshModelWeights} from '../core/weights/fresh.js'
import {loadInto, retarget} from '../core/weights/load.js'
import {readWeights} from '../core/weights/read.js'
import {weightsOutput} from '../core/weights/output-kind.js'
import {saveForModel} from '../core/weights/save.js'
import {forceFlag, modelArg} from '../cli/flags.js'
import {loadModel} from '../cli/input.js'

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
The name of OUT decides the layout, as it decides Keras's loader: *.weights.h5 gets Keras 3's .weights.h5 layout, any other .h5 / .hdf5 the legacy save_weights layout that every Keras loads (the layout Keras's own h5py writer produces). A --layout that disagrees with the name is refused (exit 2), as is a .keras OUT (use 'kmodel save' for whole models). The output is written atomically and never replaces a file without --force.`
  static override examples = [
    {description: 'Pull the weights out of a full-model file', command: '<%= config.bin %> <%= command.id %> model.h5 weights.h5'},
    {description: 'Keras 3 .weights.h5 from a .keras file', command: '<%= config.bin %> <%= command.id %> model.keras model.weights.h5'},
    {description: 'Seeded fresh weights for an architecture', command: '<%= config.bin %> <%= command.id %> model.json init.h5 --seed 42'},
  ]
  static override args = {model: modelArg, out: Args.string({required: true, description: 'The weights file to write.'})}
  static override flags = {
    seed: Flags.integer({summary: 'Seed for fresh weights (default 0).', default: 0}),
    fresh: Flags.boolean({summary: 'Initialise fresh weights even when the model file carries weights.', default: false}),
    layout: Flags.option({options: ['keras2', 'keras3'] as const, summary: 'keras2: save_weights .h5; keras3: .weights.h5. Default, and the only one accepted: the layout the name of OUT asks for.'})(),
    force: forceFlag,
  }

  async run(): Promise<SaveWeightsResult> {
    const {args, flags} = await this.parse(SaveWeights)
    const kind = weightsOutput(args.out, flags.layout, 'OUT', false)
    const layout = kind.kind === 'weights' ? kind.layout : 'keras2' // (a .keras OUT is refused above)
    const read = await loadModel(args.model)
    this.warnAll(read.warnings, read.source)
    const summary = summarize(read.model)
    const own = !flags.fresh && (read.format === 'keras-h5' || read.format === 'keras-zip' || read.format === 'tfjs') ? await readWeights(args.model) : null
    const carries = own !== null && own.layers.some((l) => l.weights.length > 0)
    const file = carries
      ? retarget(loadInto(read.model, own, {byName: false, skipMismatch: false}), read.model)
      : freshModelWeights(read.model, summary, flags.seed)
    await saveForModel(args.out, file, read.model, layout, flags.force)
    const tensors = file.layers.reduce((n, l) => n + l.weights.length, 0)
    const params = file.layers.reduce((n, l) => n + l.weights.reduce((m, w) => m + w.data.length, 0), 0)
    const result: SaveWeightsResult = {output: args.out, layout, source: carries ? 'model-file' : 'initializers', seed: carries ? null : flags.seed, layers: file.layers.length, tensors, params}
    if (!this.jsonEnabled()) this.out(`Wrote ${args.out}: ${tensors} tensors, ${params.toLocaleString('en-US')} parameters of ${result.layers} layers (${result.source === 'initializers' ? `fresh, seed ${flags.seed}` : 'from the model file'}, ${layout} layout).`)
    return result
  }
}
