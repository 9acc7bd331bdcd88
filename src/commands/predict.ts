import {Flags} from '@oclif/core'
import {KmodelCommand} from '../base-command.js'
import {applyComputeEnv} from '../cli/env.js'
import {writeFileAtomic} from '../core/files.js'
import {type NdArray, writeNpy, writeNpz} from '../core/io/npy.js'
import {predict, readInputArrays} from '../core/predict.js'
import {terminalSafe} from '../core/render/sanitize.js'
import {readWeights} from '../core/weights/read.js'
import {forceFlag, modelArg} from '../flags.js'
import {loadModel} from '../input.js'

/** `predict --json` result. */
export interface PredictCommandResult {
  output: string
  backend: string
  samples: number
  outputs: Array<{name: string; shape: number[]}>
}

export default class Predict extends KmodelCommand<PredictCommandResult> {
  static override summary = 'Run the model forward on input arrays, with its weights, as model.predict() does.'
  static override description = `Builds the model in kmodel's compute core (every layer computed as Keras computes it, over TensorFlow.js tensor ops on the --backend chosen), loads the weights (the model file's own for a full-model .h5, .keras or tfjs model.json, or --weights, by order or --by-name as load-weights does), and runs X through it in batches. X is a NumPy .npy, an .npz (arrays bound to the model's inputs by name, else in order), or an HDF5 dataset written file.h5:/group/dataset. One output is written as .npy; several as an .npz named by output layer.
Layers holding Python code (Lambda, TF-op layers) are refused: nothing from a file is ever run. So is any layer or argument kmodel does not compute exactly as Keras (exit 6, naming the layer); \`kmodel backends --layers\` lists what computes.`
  static override examples = [
    {description: 'Predictions of a full-model file', command: '<%= config.bin %> <%= command.id %> model.h5 --x x_test.npy --output y.npy'},
    {description: 'Architecture + weights, inputs from an HDF5 dataset', command: '<%= config.bin %> <%= command.id %> model.json --weights weights.h5 --x data.h5:/inputs/x --output pred.npy --batch-size 128'},
  ]
  static override args = {model: modelArg}
  static override flags = {
    weights: Flags.string({summary: 'Weights file (default: the weights the model file carries).'}),
    x: Flags.string({required: true, summary: 'Inputs: .npy, .npz, or file.h5:/group/dataset.'}),
    output: Flags.string({char: 'o', required: true, summary: 'Where to write the predictions (.npy, or .npz for several outputs).'}),
    'batch-size': Flags.integer({min: 1, default: 32, summary: 'Samples per forward pass.'}),
    'by-name': Flags.boolean({summary: 'Load the weights by layer name.', default: false}),
    backend: Flags.option({options: ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const, default: 'auto', env: 'KMODEL_BACKEND', summary: 'Compute backend.'})(),
    force: forceFlag,
  }

  async run(): Promise<PredictCommandResult> {
    const {args, flags} = await this.parse(Predict)
    applyComputeEnv()
    const read = await loadModel(args.model)
    this.warnAll(read.warnings, read.source)
    const carries = read.format === 'keras-h5' || read.format === 'keras-zip' || read.format === 'tfjs'
    const weights = flags.weights !== undefined || carries ? await readWeights(flags.weights ?? args.model) : null
    if (weights === null) this.warnAll([{path: args.model, message: 'no weights given: predicting with the initial weights of a freshly built model'}])
    const inputs = await readInputArrays(flags.x)
    const result = await predict(read.model, weights, inputs, {backend: flags.backend, batchSize: flags['batch-size'], byName: flags['by-name']})
    const arrays = result.outputs.map((o): [string, NdArray] => [o.name, {dtype: 'float32', shape: o.shape, data: o.data}])
    const only = arrays.length === 1 ? arrays[0] : undefined
    const bytes = only === undefined ? writeNpz(arrays) : writeNpy(only[1])
    await writeFileAtomic(flags.output, bytes, flags.force)
    const out: PredictCommandResult = {output: flags.output, backend: result.backend, samples: result.samples, outputs: result.outputs.map((o) => ({name: o.name, shape: o.shape}))}
    if (!this.jsonEnabled()) this.out(`Wrote ${flags.output}: ${result.samples} samples → ${out.outputs.map((o) => `${terminalSafe(o.name)} (${o.shape.join(', ')})`).join(', ')} on ${result.backend}.`)
    return out
  }
}
