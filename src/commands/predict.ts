import {Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {applyComputeEnv} from '../cli/env.js'
import {writeFileAtomic} from '../core/files.js'
import {predict, readInputArrays} from '../core/predict.js'
import {checkOutputCount, encodePredictions, predictOutputFormat} from '../core/predict-output.js'
import {terminalSafe} from '../core/render/sanitize.js'
import {readWeights} from '../core/weights/read.js'
import {forceFlag, modelArg} from '../cli/flags.js'
import {loadModel} from '../cli/input.js'

/** `predict --json` result. */
export interface PredictCommandResult {
  output: string
  backend: string
  samples: number
  outputs: Array<{name: string; shape: number[]}>
}

export default class Predict extends KmodelCommand<PredictCommandResult> {
  static override summary = 'Run the model forward on input arrays, with its weights, as model.predict() does.'
  static override description = `Builds the model in kmodel's compute core (every layer computed as Keras computes it, over TensorFlow.js tensor ops on the --backend chosen), loads the weights (the model file's own for a full-model .h5, .keras or tfjs model.json, or --weights, by order or --by-name as load-weights does), and runs X through it in batches. X is a NumPy .npy, an .npz (arrays bound to the model's inputs by name, else in order), an HDF5 dataset written file.h5:/group/dataset, or a CSV table with a header row, as train reads it (every column, or --x-columns). The output's name chooses its format: .npy (one output, np.save), .npz (every output, keyed by output layer name, np.savez), .csv (one output of 1 or 2 dimensions: a header row naming the columns, then one row per sample; np.loadtxt(f, delimiter=',', skiprows=1) reads it). Any other name, or several outputs to .npy or .csv, is refused (exit 2) before anything is computed; an output of 3 or more dimensions to .csv, before anything is written.
Layers holding Python code (Lambda, TF-op layers) are refused: nothing from a file is ever run. So is any layer or argument kmodel does not compute exactly as Keras (exit 6, naming the layer); \`kmodel backends --layers\` lists what computes.`
  static override examples = [
    {description: 'Predictions of a full-model file', command: '<%= config.bin %> <%= command.id %> model.h5 --x x_test.npy --output y.npy'},
    {description: 'Architecture + weights, inputs from an HDF5 dataset', command: '<%= config.bin %> <%= command.id %> model.json --weights weights.h5 --x data.h5:/inputs/x --output pred.npy --batch-size 128'},
    {description: 'CSV in, CSV out (feature columns by name)', command: '<%= config.bin %> <%= command.id %> model.h5 --x data.csv --x-columns age,income --output pred.csv'},
  ]
  static override args = {model: modelArg}
  static override flags = {
    weights: Flags.string({summary: 'Weights file (default: the weights the model file carries).'}),
    x: Flags.string({required: true, summary: 'Inputs: .npy, .npz, file.h5:/group/dataset, or CSV with a header row.'}),
    'x-columns': Flags.string({summary: 'CSV inputs: the columns to use, comma-separated (default: all).'}),
    output: Flags.string({char: 'o', required: true, summary: 'Where to write the predictions: .npy (one output), .npz (every output) or .csv (one 1-D or 2-D output).'}),
    'batch-size': Flags.integer({min: 1, default: 32, summary: 'Samples per forward pass.'}),
    'by-name': Flags.boolean({summary: 'Load the weights by layer name.', default: false}),
    backend: Flags.option({options: ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const, default: 'auto', env: 'KMODEL_BACKEND', summary: 'Compute backend.'})(),
    force: forceFlag,
  }

  async run(): Promise<PredictCommandResult> {
    const {args, flags} = await this.parse(Predict)
    const format = predictOutputFormat(flags.output)
    applyComputeEnv()
    const read = await loadModel(args.model)
    this.warnAll(read.warnings, read.source)
    checkOutputCount(flags.output, format, read.model.root.graph.outputs.length)
    const carries = read.format === 'keras-h5' || read.format === 'keras-zip' || read.format === 'tfjs'
    const weights = flags.weights !== undefined || carries ? await readWeights(flags.weights ?? args.model) : null
    if (weights === null) this.warnAll([{path: args.model, message: 'no weights given: predicting with the initial weights of a freshly built model'}])
    const inputs = await readInputArrays(flags.x, flags['x-columns'] === undefined ? {} : {columns: flags['x-columns'].split(',').map((c) => c.trim())})
    const result = await predict(read.model, weights, inputs, {backend: flags.backend, batchSize: flags['batch-size'], byName: flags['by-name']})
    await writeFileAtomic(flags.output, encodePredictions(flags.output, format, result.outputs), flags.force)
    const out: PredictCommandResult = {output: flags.output, backend: result.backend, samples: result.samples, outputs: result.outputs.map((o) => ({name: o.name, shape: o.shape}))}
    if (!this.jsonEnabled()) this.out(`Wrote ${flags.output}: ${result.samples} samples → ${out.outputs.map((o) => `${terminalSafe(o.name)} (${o.shape.join(', ')})`).join(', ')} on ${result.backend}.`)
    return out
  }
}
