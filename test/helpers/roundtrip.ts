/** read → write → read, through the same serialisers the commands use. */
import {dumpKerasYaml} from '../../src/core/formats/yaml.js'
import {stringifyPythonJson} from '../../src/core/formats/python-json.js'
import {convertModel} from '../../src/core/model/dialect.js'
import type {ModelSpec} from '../../src/core/model/spec.js'
import {readModel, type ReadResult} from '../../src/core/read.js'

/** Writes the model as JSON (or YAML) in its own dialect and reads that back. */
export async function reread(model: ModelSpec, as: 'json' | 'yaml'): Promise<ReadResult> {
  const {document} = convertModel(model)
  const text = as === 'json' ? stringifyPythonJson(document, null) : dumpKerasYaml(document)
  return readModel({bytes: new TextEncoder().encode(text), name: `roundtrip.${as}`})
}
