/**
 * What a format reader hands to the normaliser: the Keras document itself, unwrapped from its container
 * (H5 attribute, .keras zip member, tfjs `modelTopology`), plus what the container says about it.
 */
import type {Warning} from '../errors.js'
import type {Json} from '../json.js'

/** The file formats kmodel reads architectures from, told apart by content (detect.ts). */
export type SourceFormat = 'keras-json' | 'yaml' | 'keras-h5' | 'keras-zip' | 'tfjs'

/** A model document before validation and normalisation. */
export interface RawModelDocument {
  format: SourceFormat
  /** The `{class_name, config, ...}` document (or a bare config / list), exactly as parsed. */
  document: Json
  /** Keras version from the container (H5 root attr, .keras metadata.json), or null. */
  keras_version: string | null
  /** Backend from the container (H5 root attr), or null. */
  backend: string | null
  /** training_config of a full-model H5 / tfjs model.json, or null. */
  training_config: Json | null
  /** What the reader tolerated (e.g. duplicate YAML keys), passed on to the user. */
  warnings?: Warning[]
}
