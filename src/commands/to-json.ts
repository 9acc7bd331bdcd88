import {Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {stringifyPythonJson} from '../core/formats/python-json.js'
import {type ConvertResult, convertRead, emit} from '../cli/convert.js'
import {dialectFlag, forceFlag, modelArg, outputFlag, validateFlag} from '../cli/flags.js'
import {loadModel} from '../cli/input.js'

export default class ToJson extends KmodelCommand<ConvertResult> {
  static override summary = 'Print the model as the JSON document model.to_json() writes.'
  static override description = `Reads any supported model file (sniffed by content) and writes its architecture as a to_json() document: the same keys, the same layout, in the file's own dialect unless --dialect converts it. keras2 is what Keras 2, tf.keras and TensorFlow.js load; keras3 is what Keras 3's model_from_json loads.
Without --indent the output is one line, as Keras writes it. With --json (only together with --output) a report of the operation is printed instead of the document.
The model is validated first, as every command does: a model Keras would refuse to load is refused (exit 4, the JSON path of the first problem); --no-validate converts it anyway.`
  static override examples = [
    {description: 'Pretty-print the architecture inside a full-model HDF5 file', command: '<%= config.bin %> <%= command.id %> model.h5 --indent 2'},
    {description: 'Make a Keras 3 model loadable by TensorFlow.js / tf.keras', command: '<%= config.bin %> <%= command.id %> keras3_model.json --dialect keras2 --output model_tfjs.json'},
    {description: 'Turn an old to_yaml() file into JSON', command: '<%= config.bin %> <%= command.id %> model.yaml --output model.json --force'},
  ]
  static override args = {model: modelArg}
  static override flags = {
    output: outputFlag, force: forceFlag, dialect: dialectFlag, validate: validateFlag,
    indent: Flags.integer({min: 0, max: 16, summary: 'Indent the JSON by this many spaces (default: one line, like Keras).'}),
  }

  async run(): Promise<ConvertResult> {
    const {args, flags} = await this.parse(ToJson)
    if (this.jsonEnabled() && flags.output === undefined) this.error('--json reports the operation and needs --output; without --json the document itself is printed.', {exit: 2})
    const read = await loadModel(args.model, {validate: flags.validate})
    this.warnAll(read.warnings, read.source)
    const {text, warnings, dialect} = convertRead(read, flags.dialect, (doc) => stringifyPythonJson(doc, flags.indent ?? null))
    this.warnAll(warnings, read.source)
    const written = await emit(text, flags.output, flags.force)
    if (!written) this.outExact(text) // the document's own bytes: JSON / YAML escaping is the file format's
    return {output: written ? flags.output ?? null : null, format: 'json', dialect, sourceFormat: read.format, layers: read.model.root.graph.layers.length}
  }
}
