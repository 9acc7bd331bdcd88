import {stat} from 'node:fs/promises'
import {Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {KmodelError} from '../core/errors.js'
import {saveModel, weightsToSave} from '../core/formats/save-model.js'
import {type ModelOutputFormat, modelOutputFormat} from '../core/weights/output-kind.js'
import {forceFlag, modelArg} from '../cli/flags.js'
import {loadModel} from '../cli/input.js'

/** `save --json` result. */
export interface SaveResult {
  output: string
  format: ModelOutputFormat
  kerasVersion: string
  layers: number
  tensors: number
  params: number
  weightsSource: 'model-file' | 'weights-file' | 'initializers'
}

export default class Save extends KmodelCommand<SaveResult> {
  static override summary = 'Write a whole model — architecture and weights — as model.save() does: .keras, full-model .h5, or TensorFlow.js.'
  static override description = `The output's name decides what is written, as it decides which loader Keras uses: a .keras name writes the Keras 3 zip (config.json in the Keras 3 dialect, metadata.json, model.weights.h5 in Keras 3's layout), a .h5 or .hdf5 name the legacy full-model file (model_config in the legacy dialect, training_config when the source has one, the save_weights layout under model_weights), a folder (a name ending in /, an existing folder, or --format tfjs) a TensorFlow.js layers model (model.json with its weight shards). Any other name is refused (exit 2).
The weights are --weights, matched by order (or --by-name) as load-weights matches them; else the weights MODEL carries (full-model .h5, .keras, tfjs); else, for an architecture alone, fresh weights from its initialisers drawn with --seed (with a warning). Layers a --by-name load leaves without weights keep fresh initial weights too. Written atomically; an existing output is replaced only with --force.`
  static override examples = [
    {description: 'Turn a legacy full-model .h5 into a Keras 3 .keras file', command: '<%= config.bin %> <%= command.id %> model.h5 --output model.keras'},
    {description: 'An architecture and its weights as one .keras file', command: '<%= config.bin %> <%= command.id %> model.json --weights weights.h5 --output model.keras'},
    {description: 'A .keras model as a legacy .h5 for tf.keras', command: '<%= config.bin %> <%= command.id %> model.keras --output model.h5 --force'},
    {description: 'A TensorFlow.js model with float16 weights', command: '<%= config.bin %> <%= command.id %> model.keras --output web_model/ --quantize float16'},
  ]
  static override args = {model: modelArg}
  static override flags = {
    output: Flags.string({char: 'o', required: true, summary: 'The file (.keras, .h5, .hdf5) or folder (TensorFlow.js) to write.'}),
    weights: Flags.string({summary: 'Weights to save with the model (.h5, .weights.h5, .keras, tfjs model.json), matched as load-weights does.'}),
    'by-name': Flags.boolean({dependsOn: ['weights'], summary: 'Match --weights by layer name instead of by order.'}),
    seed: Flags.integer({default: 0, summary: 'Seed for fresh weights (an architecture without weights).'}),
    format: Flags.option({options: ['tfjs'] as const, summary: 'Write a TensorFlow.js folder whatever the name.'})(),
    quantize: Flags.option({options: ['float16', 'uint8', 'uint16'] as const, summary: 'TensorFlow.js only: store the weights quantized.'})(),
    'shard-size': Flags.integer({min: 1, summary: 'TensorFlow.js only: largest weight shard in bytes (default 4194304).'}),
    force: forceFlag,
  }

  async run(): Promise<SaveResult> {
    const {args, flags} = await this.parse(Save)
    const isFolder = (await stat(flags.output).catch(() => undefined))?.isDirectory() === true
    const format = modelOutputFormat(flags.output, {isFolder, tfjs: flags.format === 'tfjs'})
    if (format !== 'tfjs' && (flags.quantize !== undefined || flags['shard-size'] !== undefined)) {
      throw new KmodelError(`--${flags.quantize === undefined ? 'shard-size' : 'quantize'} applies to TensorFlow.js output; ${flags.output} is a .${format} file.`, {code: 'KM_USAGE_TFJS_ONLY', exit: 2, hint: 'Drop the flag, or write a folder (a name ending in /, or --format tfjs).'})
    }
    const read = await loadModel(args.model)
    this.warnAll(read.warnings, read.source)
    const weights = await weightsToSave(read, args.model, {weights: flags.weights, byName: flags['by-name'] === true, seed: flags.seed})
    this.warnAll(weights.warnings)
    const saved = await saveModel(flags.output, format, read.model, weights.file, {force: flags.force, quantize: flags.quantize, shardSizeBytes: flags['shard-size'], source: read.source})
    this.warnAll(saved.warnings, flags.output)
    const tensors = weights.file.layers.reduce((n, l) => n + l.weights.length, 0)
    const params = weights.file.layers.reduce((n, l) => n + l.weights.reduce((m, w) => m + w.data.length, 0), 0)
    const result: SaveResult = {output: flags.output, format, kerasVersion: saved.kerasVersion, layers: weights.file.layers.length, tensors, params, weightsSource: weights.source}
    if (!this.jsonEnabled()) this.out(`Wrote ${flags.output} (${format === 'keras' ? '.keras' : format === 'h5' ? 'full-model .h5' : 'TensorFlow.js'}): ${result.layers} layers, ${tensors} tensors, ${params.toLocaleString('en-US')} parameters (${weights.source === 'initializers' ? `fresh, seed ${flags.seed}` : `from the ${weights.source === 'weights-file' ? 'weights file' : 'model file'}`}).`)
    return result
  }
}
