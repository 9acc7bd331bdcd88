import {Args} from '@oclif/core'
import {KmodelCommand} from '../../cli/base-command.js'
import {renderWeightsShow} from '../../core/render/weights-show.js'
import {type WeightsShowResult, showWeights} from '../../core/weights/show.js'
import {loadModel} from '../../cli/input.js'

export default class WeightsShow extends KmodelCommand<WeightsShowResult> {
  static override summary = 'Show what a weights file holds: every tensor with its shape, dtype and statistics.'
  static override description = `Reads any weights file load-weights reads (save_weights .h5, full-model .h5, .weights.h5, .keras, tfjs model.json with its shards) and lists every tensor in the order Keras stores it: layer, weight name, shape, dtype, min / max / mean / std (population std, as NumPy's default, computed in float64 over the finite values; float16 and bfloat16 decoded) and its NaN and Inf counts. The heading gives the layout, the Keras version and backend the file records, and whether optimizer state is saved beside the weights (a full model's 'optimizer_weights', Keras 3 'optimizer/' variables). With MODEL, also how the file's layers pair with the model's by order, as load-weights pairs them.
--json result: {"file", "layout": "keras2"|"keras3"|"tfjs", "container": "weights"|"full-model"|"keras-zip"|"tfjs", "kerasVersion", "backend", "optimizer": {"present", "tensors", "params"}, "layers": [{"name", "path", "nameIsLayerName", "weights": [{"name", "shape", "dtype", "size", "bytes", "min", "max", "mean", "std", "nan", "inf"}]}], "topLevel": [tensors], "totals": {"layers", "layersWithWeights", "tensors", "params", "bytes", "nan", "inf"}, "pairing": null | {"mode", "matched", "skipped", "mismatched", "error": null | {"code", "message"}}}; min/max/mean/std are null when a tensor has no finite value.`
  static override examples = [
    {description: 'What a save_weights file holds', command: '<%= config.bin %> <%= command.id %> weights.h5'},
    {description: 'The tensors of a .keras file, and how they pair with an architecture', command: '<%= config.bin %> <%= command.id %> model.keras model.json'},
    {description: 'Every tensor\'s statistics for a script', command: '<%= config.bin %> <%= command.id %> model.weights.h5 --json'},
  ]
  static override args = {
    file: Args.string({name: 'FILE', required: true, description: 'Weights file: save_weights .h5, full-model .h5, .weights.h5, .keras, or tfjs model.json.'}),
    model: Args.string({name: 'MODEL', required: false, description: 'A model to pair the weights with by order (any model file kmodel reads).'}),
  }

  async run(): Promise<WeightsShowResult> {
    const {args} = await this.parse(WeightsShow)
    const read = args.model === undefined ? undefined : await loadModel(args.model)
    if (read !== undefined) this.warnAll(read.warnings, read.source)
    const result = await showWeights(args.file, read?.model)
    if (!this.jsonEnabled()) this.outExact(renderWeightsShow(result, {color: this.colorEnabled, ...(args.model === undefined ? {} : {model: args.model})}))
    return result
  }
}
