/**
 * Types of the built-in layer catalogue. The data files hold one compact row per class so the tables stay
 * reviewable; catalog.ts expands them into `LayerClassInfo` once, at import time.
 */

/** Where a class lives in the Keras source tree; used for grouping in messages and docs only. */
export type LayerCategory =
  | 'activation'
  | 'attention'
  | 'convolutional'
  | 'core'
  | 'legacy'
  | 'locally_connected'
  | 'merging'
  | 'model'
  | 'normalization'
  | 'other'
  | 'pooling'
  | 'preprocessing'
  | 'recurrent'
  | 'regularization'
  | 'reshaping'
  | 'tf_op'
  | 'wrapper'

/**
 * One catalogue row: `[className, versions, keys, aliases, category]`.
 *
 * - `versions`: space-separated minor-series ranges, e.g. `'2.0-2.21 3.0-3.15'`. Keras 2 series are standalone
 *   2.0–2.3, tf.keras 2.6–2.15 and tf-keras 2.16–2.21 (2.4/2.5 lived in the TensorFlow repo and were not read:
 *   a class present in both 2.3 and 2.6 is assumed present in between). A series counts when any read patch
 *   release of it has the class.
 * - `keys`: the class's own config keys, on top of the base-layer keys (BASE_KEYS in catalog.ts).
 *   A bare key is emitted by `get_config()` in some version; a `+key` is only accepted by the constructor.
 *   Suffix `@2` / `@3`: accepted only by Keras 2 / only by Keras 3. `@Other` (whole field) copies another row.
 * - `aliases`: other class names the same class is exported or assigned under (`Convolution2D`).
 */
export type LayerRow = readonly [string, string, string, string, LayerCategory]

/** A major-version span in which a class exists, as minor series (`{from: '2.0', to: '2.21'}`). */
export interface VersionRange {
  readonly from: string
  readonly to: string
}

/** What kmodel knows about one built-in Keras layer (or model) class. */
export interface LayerClassInfo {
  /** Canonical class name as written in `class_name`. */
  readonly className: string
  readonly category: LayerCategory
  /** Other names that resolve to this class in some version (`Convolution2D` → `Conv2D`). */
  readonly aliases: readonly string[]
  /** Ranges of Keras 2 minor series (standalone, tf.keras, tf-keras) that have the class. */
  readonly keras2: readonly VersionRange[]
  /** Ranges of Keras 3 minor series that have the class. */
  readonly keras3: readonly VersionRange[]
  /** Keys some version's `get_config()` emits, base-layer keys included. */
  readonly configKeys: ReadonlySet<string>
  /** Every key some Keras 2 version accepts for this class (constructor kwargs and config keys). */
  readonly keras2Keys: ReadonlySet<string>
  /** Every key some Keras 3 version accepts for this class. */
  readonly keras3Keys: ReadonlySet<string>
}
