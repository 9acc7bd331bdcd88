/**
 * Size caps for reading input files (issue #13), each raised or lowered with an environment variable:
 *
 *   KMODEL_MAX_TEXT_BYTES        500 MiB  a JSON / YAML / tfjs model.json file, read whole (V8's longest string
 *                                         is just under 512 MiB, so the default is near the most that can work)
 *   KMODEL_MAX_ZIP_JSON_BYTES    256 MiB  config.json / metadata.json of a .keras zip, inflated into memory
 *   KMODEL_MAX_ZIP_ENTRY_BYTES    16 GiB  any zip entry (a .keras weights member is streamed to a temp file;
 *                                         an .npz array is inflated into memory, at most 4 GiB in Node)
 *   KMODEL_MAX_ZIP_RATIO            100   an entry over 256 MiB that inflates to more than this many times its
 *                                         compressed size is a zip bomb (Keras 3's own rule, saving_lib.py)
 *
 * A value that is not a positive integer is an InputError (exit 3) naming the variable.
 */
import {envLimit} from '../limits.js'

const MiB = 2 ** 20

/** The limits in force; read from the environment by zipLimits() / maxTextBytes(). */
export interface ZipLimits {
  /** Largest inflated size of a JSON member of a .keras zip. */
  jsonBytes: number
  /** Largest inflated size of any zip entry. */
  entryBytes: number
  /** Largest inflated/compressed ratio of an entry over RATIO_FLOOR_BYTES. */
  ratio: number
}

/** Default of KMODEL_MAX_TEXT_BYTES. */
export const DEFAULT_MAX_TEXT_BYTES = 500 * MiB
/** Defaults of the zip caps. */
export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = {jsonBytes: 256 * MiB, entryBytes: 16 * 1024 * MiB, ratio: 100}
/** Entries at most this large are never judged by their compression ratio (Keras's extraction floor). */
export const RATIO_FLOOR_BYTES = 256 * MiB

/** The environment variable that sets each zip limit. */
export const ZIP_LIMIT_ENV: Readonly<Record<keyof ZipLimits, string>> = {
  jsonBytes: 'KMODEL_MAX_ZIP_JSON_BYTES',
  entryBytes: 'KMODEL_MAX_ZIP_ENTRY_BYTES',
  ratio: 'KMODEL_MAX_ZIP_RATIO',
}

/** The zip caps in force: each KMODEL_MAX_ZIP_* variable when set, else its default. */
export function zipLimits(env: NodeJS.ProcessEnv = process.env): ZipLimits {
  return {
    jsonBytes: envLimit(ZIP_LIMIT_ENV.jsonBytes, DEFAULT_ZIP_LIMITS.jsonBytes, env),
    entryBytes: envLimit(ZIP_LIMIT_ENV.entryBytes, DEFAULT_ZIP_LIMITS.entryBytes, env),
    ratio: envLimit(ZIP_LIMIT_ENV.ratio, DEFAULT_ZIP_LIMITS.ratio, env),
  }
}

/** The cap on a text model file read whole: KMODEL_MAX_TEXT_BYTES when set, else DEFAULT_MAX_TEXT_BYTES. */
export function maxTextBytes(env: NodeJS.ProcessEnv = process.env): number {
  return envLimit('KMODEL_MAX_TEXT_BYTES', DEFAULT_MAX_TEXT_BYTES, env)
}
