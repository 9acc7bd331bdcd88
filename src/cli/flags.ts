/** Flags and arguments shared by several commands. */
import {Args, Flags} from '@oclif/core'

/** The model file argument: any supported format, or - for standard input. */
export const modelArg = Args.string({
  name: 'MODEL', required: true,
  description: 'Model file: to_json() JSON, to_yaml() YAML, full-model .h5, .keras, tfjs model.json, or - for stdin.',
})

export const outputFlag = Flags.string({char: 'o', summary: 'Write to this file (atomically) instead of stdout.'})
export const forceFlag = Flags.boolean({summary: 'Overwrite the output file if it exists.', default: false})
export const dialectFlag = Flags.option({
  options: ['keras2', 'keras3'] as const,
  summary: 'Document layout to write: keras2 (Keras 2 / tf.keras / tfjs) or keras3. Default: the input\'s own.',
})()

/** to-json / to-yaml: run the validation pass first (default), or convert whatever the file holds. */
export const validateFlag = Flags.boolean({
  allowNo: true, default: true,
  summary: 'Refuse (exit 4) a model Keras would refuse to load, as every command does; --no-validate converts it anyway.',
})
