import {Flags} from '@oclif/core'
import {KmodelCommand} from '../../cli/base-command.js'
import {writeFileAtomic} from '../../core/files.js'
import {summarize} from '../../core/graph/summarize.js'
import {writeNpz} from '../../core/io/npy.js'
import {WEIGHTS_ORDERS, type WeightsOrder, defaultOrder, getWeights, weightSlots} from '../../core/weights/get-set.js'
import {loadInto} from '../../core/weights/load.js'
import {readWeights} from '../../core/weights/read.js'
import {forceFlag, modelArg} from '../../cli/flags.js'
import {loadModel} from '../../cli/input.js'

/** `weights export --json` result. */
export interface ExportResult {
  output: string
  order: WeightsOrder
  keys: 'index' | 'names'
  arrays: Array<{key: string; weight: string; shape: number[]; dtype: string}>
}

export default class WeightsExport extends KmodelCommand<ExportResult> {
  static override summary = 'Write model.get_weights() as a NumPy .npz file.'
  static override description = `The list model.get_weights() returns, in Keras's order, saved as np.savez would save it: keys arr_0, arr_1, … (load with np.load(f) and [d[f'arr_{i}'] for i in range(len(d))]), or --keys names for 'layer/weight' keys. Every Keras generation lists model.layers in order, each layer's weights as the layer lists them; inside a nested model, standalone Keras 1.x–2.3 puts all its trainable weights before its non-trainable ones (--order layers), tf.keras 2.x and Keras 3 go layer by layer again (--order keras3). The default follows the Keras version that wrote the model; --order keras2 gives all trainable weights of the model, then all non-trainable ones.
The weights come from the model file (full-model .h5, .keras, tfjs) or --weights.`
  static override examples = [
    {description: 'get_weights() of a full model for NumPy', command: '<%= config.bin %> <%= command.id %> model.h5 --output weights.npz'},
    {description: 'Named arrays from an architecture plus its weights file', command: '<%= config.bin %> <%= command.id %> model.json --weights weights.h5 --keys names --output w.npz'},
  ]
  static override args = {model: modelArg}
  static override flags = {
    weights: Flags.string({summary: 'Weights file (default: the weights the model file carries).'}),
    output: Flags.string({char: 'o', required: true, summary: 'The .npz file to write.'}),
    keys: Flags.option({options: ['index', 'names'] as const, default: 'index', summary: 'npz keys: arr_0… (np.savez(*list)) or layer/weight names.'})(),
    order: Flags.option({options: WEIGHTS_ORDERS, summary: 'get_weights() order: layers (standalone Keras ≤ 2.3), keras3 (tf.keras 2.x, Keras 3), keras2 (all trainable, then all non-trainable). Default: from the Keras version that wrote the model.'})(),
    force: forceFlag,
  }

  async run(): Promise<ExportResult> {
    const {args, flags} = await this.parse(WeightsExport)
    const read = await loadModel(args.model)
    const file = await readWeights(flags.weights ?? args.model)
    const {assignments} = loadInto(read.model, file, {byName: false, skipMismatch: false})
    const order: WeightsOrder = flags.order ?? defaultOrder(read.model)
    const tensors = getWeights(weightSlots(summarize(read.model), order), assignments)
    const key = (i: number, name: string): string => (flags.keys === 'names' ? name : `arr_${i}`)
    const npz = writeNpz(tensors.map((t, i) => [key(i, t.name), {dtype: t.dtype, shape: t.shape, data: t.data}] as const))
    await writeFileAtomic(flags.output, npz, flags.force)
    const result: ExportResult = {output: flags.output, order, keys: flags.keys, arrays: tensors.map((t, i) => ({key: key(i, t.name), weight: t.name, shape: t.shape, dtype: t.dtype}))}
    if (!this.jsonEnabled()) this.out(`Wrote ${flags.output}: ${tensors.length} arrays in ${order} get_weights() order.`)
    return result
  }
}
