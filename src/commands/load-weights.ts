import {Args, Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {readWeights} from '../core/weights/read.js'
import {loadInto, retarget} from '../core/weights/load.js'
import type {MatchReport} from '../core/weights/match.js'
import {completeForModel, saveModel} from '../core/formats/save-model.js'
import {weightsOutput} from '../core/weights/output-kind.js'
import {saveForModel} from '../core/weights/save.js'
import {forceFlag, modelArg} from '../cli/flags.js'
import {loadModel} from '../cli/input.js'
import {renderMatchReport} from '../cli/report.js'

/** `load-weights --json` result (DESIGN.md). */
export type LoadWeightsResult = MatchReport & {output: string | null}

export default class LoadWeights extends KmodelCommand<LoadWeightsResult> {
  static override summary = 'Load a weights file into an architecture, as load_weights() does, and report exactly what matched.'
  static override description = `Pairs the weights with the model's layers the way Keras's load_weights does: by topological order (the default: layers that have weights, in order, names ignored) or --by-name (top-level layer names). Within a layer weights pair by position; counts and shapes are checked. Unlike Keras, nothing is skipped silently: the report lists every layer matched, skipped (and why) or mismatched (expected vs found shape).
Reads legacy save_weights .h5, full-model .h5, Keras 3 .weights.h5, .keras zips and tfjs model.json with its shards, and converts Keras 1 arrays (LSTM/GRU gates, Theano kernels) as Keras does. With --output the weights are written retargeted to MODEL's layer names, as MODEL.save_weights() would write them, in the layout the name asks for (*.weights.h5: Keras 3's; other .h5 / .hdf5: the h5py save_weights layout); a .keras name writes the whole model, as MODEL.save() would (layers left unloaded keep fresh initial weights, seed 0). A --layout that disagrees with the name is refused (exit 2).`
  static override examples = [
    {description: 'Check that weights fit an architecture', command: '<%= config.bin %> <%= command.id %> model.json weights.h5'},
    {description: 'Move weights onto a model whose layers were renamed, by order, and save them under the new names', command: '<%= config.bin %> <%= command.id %> renamed.json old_weights.h5 --output new_weights.h5'},
    {description: 'Load only the layers whose names match, for transfer learning', command: '<%= config.bin %> <%= command.id %> model.json pretrained.h5 --by-name --skip-mismatch --json'},
  ]
  static override args = {model: modelArg, weights: Args.string({required: true, description: 'Weights file: .h5, .weights.h5, .keras, or tfjs model.json.'})}
  static override flags = {
    'by-name': Flags.boolean({summary: 'Match layers by name instead of by topological order.', default: false}),
    'skip-mismatch': Flags.boolean({summary: 'Skip (and report) layers whose weight count or shapes disagree instead of failing.', default: false}),
    output: Flags.string({char: 'o', summary: 'Write the loaded weights, retargeted to MODEL\'s layer names, to this file: *.weights.h5 (Keras 3 layout), other .h5 / .hdf5 (legacy layout), or .keras (the whole model).'}),
    layout: Flags.option({options: ['keras2', 'keras3'] as const, summary: 'Layout of --output; default and only accepted value: the one its name asks for (keras3 for *.weights.h5, keras2 for other .h5).'})(),
    force: forceFlag,
  }

  async run(): Promise<LoadWeightsResult> {
    const {args, flags} = await this.parse(LoadWeights)
    const kind = flags.output === undefined ? undefined : weightsOutput(flags.output, flags.layout, '--output', true)
    const read = await loadModel(args.model)
    this.warnAll(read.warnings, read.source)
    const file = await readWeights(args.weights)
    const result = loadInto(read.model, file, {byName: flags['by-name'], skipMismatch: flags['skip-mismatch']})
    if (flags.output !== undefined && kind !== undefined) {
      const file = retarget(result, read.model)
      if (kind.kind === 'weights') await saveForModel(flags.output, file, read.model, kind.layout, flags.force)
      else {
        const whole = completeForModel(file, read.model, 0)
        this.warnAll(whole.warnings)
        this.warnAll((await saveModel(flags.output, 'keras', read.model, whole.file, {force: flags.force, source: read.source})).warnings, flags.output)
      }
    }
    const out: LoadWeightsResult = {...result.report, output: flags.output ?? null}
    if (!this.jsonEnabled()) this.outExact(renderMatchReport(out, {color: this.colorEnabled})) // terminal-safe before colour
    if (result.report.skipped.length > 0 || result.report.mismatched.length > 0) {
      this.warnAll([{path: args.weights, message: `${result.report.skipped.length} layer(s) not loaded; see the report`}])
    }
    return out
  }
}
