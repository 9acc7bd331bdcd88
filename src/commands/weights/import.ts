import {Args, Flags} from '@oclif/core'
import {KmodelCommand} from '../../cli/base-command.js'
import {summarize} from '../../core/graph/summarize.js'
import {readInputFile} from '../../core/read.js'
import {readNpz} from '../../core/io/npy.js'
import {WEIGHTS_ORDERS, type WeightsOrder, defaultOrder, setWeights, weightSlots} from '../../core/weights/get-set.js'
import {modelLayers} from '../../core/weights/model-keys.js'
import {weightsOutput} from '../../core/weights/output-kind.js'
import {saveForModel} from '../../core/weights/save.js'
import {forceFlag, modelArg} from '../../cli/flags.js'
import {loadModel} from '../../cli/input.js'

/** `weights import --json` result. */
export interface ImportResult {
  output: string
  order: WeightsOrder
  arrays: number
  layout: 'keras2' | 'keras3'
}

/** npz members in list order: arr_0, arr_1, … numerically, else the file's order. */
function listOrder(keys: string[]): string[] {
  const indexed = keys.every((k) => /^arr_\d+$/.test(k))
  return indexed ? [...keys].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))) : keys
}

export default class WeightsImport extends KmodelCommand<ImportResult> {
  static override summary = 'model.set_weights() from a NumPy .npz file, saved as a Keras weights file.'
  static override description = `Takes the arrays of an .npz (np.savez(f, *model.get_weights()), or named arrays in get_weights() order), checks their number and shapes against the model as set_weights() does (in the get_weights() order of the Keras that wrote the model, or --order: see weights export), and writes a weights file Keras loads, in the layout its name asks for (*.weights.h5: Keras 3; other .h5/.hdf5: save_weights of tf.keras).`
  static override examples = [
    {description: 'Arrays edited in NumPy back into a Keras weights file', command: '<%= config.bin %> <%= command.id %> model.json weights.npz --output weights.h5'},
    {description: 'Into a Keras 3 .weights.h5 (model.load_weights() of Keras 3), reporting the result as JSON', command: '<%= config.bin %> <%= command.id %> model.keras weights.npz --output model.weights.h5 --json'},
    {description: 'Arrays listed in standalone Keras 2.3\'s get_weights() order, into a legacy weights file', command: '<%= config.bin %> <%= command.id %> model.json weights.npz --output weights.h5 --order layers'},
  ]
  static override args = {model: modelArg, npz: Args.string({required: true, description: 'The .npz file.'})}
  static override flags = {
    output: Flags.string({char: 'o', required: true, summary: 'The weights file to write.'}),
    order: Flags.option({options: WEIGHTS_ORDERS, summary: 'get_weights() order of the arrays: layers (standalone Keras ≤ 2.3), keras3 (tf.keras 2.x, Keras 3), keras2 (all trainable, then all non-trainable). Default: from the Keras version that wrote the model.'})(),
    layout: Flags.option({options: ['keras2', 'keras3'] as const, summary: 'keras2: save_weights .h5; keras3: .weights.h5. Default, and the only one accepted: the layout the name of --output asks for.'})(),
    force: forceFlag,
  }

  async run(): Promise<ImportResult> {
    const {args, flags} = await this.parse(WeightsImport)
    const kind = weightsOutput(flags.output, flags.layout, '--output', false)
    const layout = kind.kind === 'weights' ? kind.layout : 'keras2' // (a .keras output is refused above)
    const read = await loadModel(args.model)
    const arrays = readNpz(await readInputFile(args.npz), args.npz)
    const order: WeightsOrder = flags.order ?? defaultOrder(read.model)
    const slots = weightSlots(summarize(read.model), order)
    const tensors = listOrder([...arrays.keys()]).flatMap((k) => {
      const array = arrays.get(k)
      return array === undefined ? [] : [{name: k, ...array}]
    })
    const file = setWeights(slots, tensors, modelLayers(read.model.root.graph).map((l) => l.name))
    await saveForModel(flags.output, {...file, keras_version: read.model.keras_version}, read.model, layout, flags.force)
    if (!this.jsonEnabled()) this.out(`Wrote ${flags.output}: ${tensors.length} arrays set in ${order} get_weights() order.`)
    return {output: flags.output, order, arrays: tensors.length, layout}
  }
}
