import {KmodelCommand} from '../cli/base-command.js'
import {dumpKerasYaml} from '../core/formats/yaml.js'
import {type ConvertResult, convertRead, emit} from '../cli/convert.js'
import {dialectFlag, forceFlag, modelArg, outputFlag, validateFlag} from '../cli/flags.js'
import {loadModel} from '../cli/input.js'

export default class ToYaml extends KmodelCommand<ConvertResult> {
  static override summary = 'Print the model as a to_yaml() document that yaml.safe_load reads.'
  static override description = `Writes the architecture as YAML with the keys model.to_yaml() wrote (class_name, config, keras_version, backend), sorted as PyYAML sorts them, but as plain YAML lists without !!python/tuple tags, so Python's yaml.safe_load and kmodel read it back. (Keras removed to_yaml/model_from_yaml in TF 2.6 for CVE-2021-37678; kmodel reads such files safely and turns them into JSON with to-json.)
The model is validated first, as every command does: a model Keras would refuse to load is refused (exit 4, the JSON path of the first problem); --no-validate converts it anyway.`
  static override examples = [
    {description: 'YAML of a JSON architecture', command: '<%= config.bin %> <%= command.id %> model.json'},
    {description: 'Write it next to the model, replacing an older copy', command: '<%= config.bin %> <%= command.id %> model.h5 --output model.yaml --force'},
  ]
  static override args = {model: modelArg}
  static override flags = {output: outputFlag, force: forceFlag, dialect: dialectFlag, validate: validateFlag}

  async run(): Promise<ConvertResult> {
    const {args, flags} = await this.parse(ToYaml)
    if (this.jsonEnabled() && flags.output === undefined) this.error('--json reports the operation and needs --output; without --json the document itself is printed.', {exit: 2})
    const read = await loadModel(args.model, {validate: flags.validate})
    this.warnAll(read.warnings, read.source)
    const {text, warnings, dialect} = convertRead(read, flags.dialect, dumpKerasYaml)
    this.warnAll(warnings, read.source)
    const written = await emit(text, flags.output, flags.force)
    if (!written) this.outExact(text) // the document's own bytes: JSON / YAML escaping is the file format's
    return {output: written ? flags.output ?? null : null, format: 'yaml', dialect, sourceFormat: read.format, layers: read.model.root.graph.layers.length}
  }
}
