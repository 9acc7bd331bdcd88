/**
 * Catalogue of every built-in Keras 2.x (standalone 2.0–2.3, tf.keras 2.6–2.15, tf-keras 2.16+) and Keras 3.x
 * layer and model class: the config keys `get_config()` emits, the constructor kwargs Keras accepts, the versions
 * that have the class, and alias names. Pure data; used by validation to flag unknown classes and arguments.
 */
import {CORE_ROWS} from './catalog/data-core.js'
import {MISC_ROWS} from './catalog/data-misc.js'
import {PREPROCESSING_ROWS} from './catalog/data-preprocessing.js'
import {RECURRENT_ROWS} from './catalog/data-recurrent.js'
import {SPATIAL_ROWS} from './catalog/data-spatial.js'
import type {LayerClassInfo, LayerRow, VersionRange} from './catalog/types.js'

export type {LayerCategory, LayerClassInfo, VersionRange} from './catalog/types.js'
export {
  ACTIVATION_NAMES,
  CONSTRAINT_NAMES,
  DTYPE_POLICY_NAMES,
  INITIALIZER_NAMES,
  REGULARIZER_NAMES,
} from './catalog/objects.js'

/**
 * Keys every Keras 2 layer accepts through the base `Layer.__init__` (tf.keras `allowed_kwargs` plus its named
 * parameters); `batch_input_shape`, `dtype`, `dynamic` (tf.keras 2.6), `name`, `trainable` are also emitted.
 */
const BASE_KEYS_2 = [
  'activity_regularizer', 'autocast', 'batch_input_shape', 'batch_size', 'dtype', 'dynamic', 'implementation',
  'input_dim', 'input_shape', 'name', 'trainable', 'weights',
] as const
/** Keras 3 base `Layer.__init__`: named parameters plus the `input_dim`/`input_shape` it pops (with a warning). */
const BASE_KEYS_3 = ['activity_regularizer', 'autocast', 'dtype', 'input_dim', 'input_shape', 'name', 'trainable'] as const
/** Base keys that some version's `Layer.get_config()` writes. */
const BASE_CONFIG_KEYS = ['activity_regularizer', 'batch_input_shape', 'dtype', 'dynamic', 'name', 'trainable'] as const

const ALL_ROWS: readonly LayerRow[] = [...CORE_ROWS, ...SPATIAL_ROWS, ...RECURRENT_ROWS, ...PREPROCESSING_ROWS, ...MISC_ROWS]

function parseRanges(text: string, major: '2' | '3'): VersionRange[] {
  const out: VersionRange[] = []
  for (const part of text.split(' ')) {
    if (!part.startsWith(`${major}.`)) continue
    const [from = part, to = from] = part.split('-')
    out.push({from, to})
  }
  return out
}

function expand(row: LayerRow, byName: ReadonlyMap<string, LayerRow>): LayerClassInfo {
  const [className, versions, rawKeys, aliases, category] = row
  const keys = rawKeys.startsWith('@') ? (byName.get(rawKeys.slice(1))?.[2] ?? '') : rawKeys
  const keras2 = parseRanges(versions, '2')
  const keras3 = parseRanges(versions, '3')
  const isModel = category === 'model'
  const configKeys = new Set<string>(isModel ? [] : BASE_CONFIG_KEYS)
  const keras2Keys = new Set<string>(isModel || keras2.length === 0 ? [] : BASE_KEYS_2)
  const keras3Keys = new Set<string>(isModel || keras3.length === 0 ? [] : BASE_KEYS_3)
  for (const token of keys.split(' ').filter(Boolean)) {
    const [spec = token, only] = token.split('@')
    const key = spec.replace(/^\+/, '')
    if (!spec.startsWith('+')) configKeys.add(key)
    if (only !== '3' && keras2.length > 0) keras2Keys.add(key)
    if (only !== '2' && keras3.length > 0) keras3Keys.add(key)
  }
  return {
    className,
    category,
    aliases: aliases.split(' ').filter(Boolean),
    keras2,
    keras3,
    configKeys,
    keras2Keys,
    keras3Keys,
  }
}

function buildIndex(): Map<string, LayerClassInfo> {
  const byName = new Map(ALL_ROWS.map((row) => [row[0], row] as const))
  const index = new Map<string, LayerClassInfo>()
  for (const row of ALL_ROWS) index.set(row[0], expand(row, byName))
  for (const info of [...index.values()]) {
    for (const alias of info.aliases) if (!index.has(alias)) index.set(alias, info)
  }
  return index
}

const INDEX: ReadonlyMap<string, LayerClassInfo> = buildIndex()

/** Canonical class names of every catalogued built-in layer and model class (aliases not included). */
export const KNOWN_LAYER_CLASSES: readonly string[] = ALL_ROWS.map((row) => row[0])

/** Every name that resolves to a built-in class: canonical names plus aliases such as `Convolution2D`. */
export const KNOWN_LAYER_NAMES: readonly string[] = [...INDEX.keys()]

/**
 * Catalogue entry for a `class_name` (canonical or alias), or undefined for custom / unknown classes.
 * Keras 1 names that Keras 2 only knew through its legacy converters (`Convolution2D`) resolve via their alias.
 */
export function layerClass(className: string): LayerClassInfo | undefined {
  return INDEX.get(className)
}

/** True when some Keras 2.x or 3.x version ships a layer/model class under this name. */
export function isKnownLayerClass(name: string): boolean {
  return INDEX.has(name)
}

/** Which Keras generation's rules `unknownArgs` applies; `'any'` (default) accepts a key any version accepts. */
export type KerasGeneration = 2 | 3 | 'any'

/**
 * Config keys that no Keras version (or no version of the chosen generation) accepts for this class: the
 * keys that make `from_config` raise "Keyword argument not understood" (tf.keras) or "Unrecognized keyword
 * arguments" (Keras 3). Returns [] for classes not in the catalogue: their rules are unknown.
 * Keys are reported in config order.
 */
export function unknownArgs(
  className: string,
  config: Readonly<Record<string, unknown>>,
  generation: KerasGeneration = 'any',
): string[] {
  const info = INDEX.get(className)
  if (info === undefined) return []
  return Object.keys(config).filter((key) => !acceptsKey(info, key, generation))
}

/** True when the class accepts `key` in the given generation (see `unknownArgs`). */
export function acceptsKey(info: LayerClassInfo, key: string, generation: KerasGeneration = 'any'): boolean {
  if (generation === 2) return info.keras2Keys.has(key)
  if (generation === 3) return info.keras3Keys.has(key)
  return info.keras2Keys.has(key) || info.keras3Keys.has(key)
}
