/**
 * Which `model.summary()` generation to imitate, and the version-dependent facts each one needs.
 * Read from Keras's own `print_summary` at every 2.x tag and Keras 3 (KERAS-REFERENCE.md §4).
 */

/**
 * A Keras summary text generation:
 * - `'2.6'`: classic (standalone Keras 2.0–2.3, tf.keras ≤ TF 2.6): hard truncation, `_` rules, `{:,}` totals.
 * - `'2.12'`: tf.keras 2.7–2.12: wrapping rows, blank separator lines, Connected to as a Python list.
 * - `'2.13'`: tf.keras / tf-keras 2.13+: new functional positions, totals with byte sizes, no separators.
 * - `'3'`: Keras 3 rich box table, 76 columns wide as printed to a file or notebook.
 */
export type KerasStyle = '2.6' | '2.12' | '2.13' | '3'

/** Every style, in release order (for flag options and tests). */
export const KERAS_STYLES: readonly KerasStyle[] = ['2.6', '2.12', '2.13', '3']

/** A parsed `keras_version` attribute: `2.2.4-tf` → {2, 2, 4, tf: true}. */
export interface KerasVersion {
  major: number
  minor: number
  patch: number
  /** The `-tf` suffix tf.keras wrote in TF 1.x–2.3 (`2.1.6-tf`, `2.2.4-tf`, `2.3.0-tf`). */
  tf: boolean
}

/** Parses `keras_version` as files store it; null for null or anything that is not `N.N[.N][-suffix]`. */
export function parseKerasVersion(version: string | null): KerasVersion | null {
  if (version === null) return null
  const match = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?(.*)$/.exec(version)
  if (match === null) return null
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: match[3] === undefined ? 0 : Number(match[3]),
    tf: /^-tf\b/.test(match[4] ?? ''),
  }
}

function atLeast(v: KerasVersion, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major) return v.major > major
  if (v.minor !== minor) return v.minor > minor
  return v.patch >= patch
}

/**
 * The summary style the Keras that wrote the file would print: 3.x → `'3'`, 2.13+ → `'2.13'`,
 * 2.7–2.12 → `'2.12'`, older 2.x (and 1.x, which kmodel shows in the classic layout) → `'2.6'`.
 * A missing or unreadable version gives `'3'`: Keras 3's `to_json()` is the writer that omits it.
 */
export function defaultKerasStyle(kerasVersion: string | null): KerasStyle {
  const v = parseKerasVersion(kerasVersion)
  if (v === null || v.major >= 3) return '3'
  if (v.major < 2) return '2.6'
  if (v.minor >= 13) return '2.13'
  if (v.minor >= 7) return '2.12'
  return '2.6'
}

/**
 * True when the file comes from tf.keras, whose InputLayer prints its shape as a list of one tuple
 * (`[(None, 28, 28, 1)]`): versions with the `-tf` suffix, and 2.4+ (tf.keras wrote `2.4.0` from TF 2.3
 * on). Standalone Keras 2.0–2.3.x printed `(None, 784)`, and so does Keras 3.
 * Unverified edge: tf.keras in TF 1.9–1.12 (`2.1.6-tf`) may still have printed a bare tuple.
 */
export function isTfKeras(kerasVersion: string | null): boolean {
  const v = parseKerasVersion(kerasVersion)
  if (v === null) return true
  if (v.tf) return true
  return v.major === 2 && v.minor >= 4
}

/**
 * True when the classic summary starts with `Model: "name"`: Keras added that line in 2.2.5, and every
 * tf.keras that wrote a `-tf` version has it (TF 2.0's `2.3.0-tf` certainly; earlier ones are assumed).
 * Standalone Keras 2.0.0–2.2.4 and Keras 1 print no name. Unknown versions get the line.
 */
export function classicHasModelLine(kerasVersion: string | null): boolean {
  const v = parseKerasVersion(kerasVersion)
  if (v === null || v.tf) return true
  return atLeast(v, 2, 2, 5)
}

/** Classic functional line length: 100 in Keras 2.0.0–2.0.8, 98 from 2.0.9 on. */
export function classicFunctionalLength(kerasVersion: string | null): number {
  const v = parseKerasVersion(kerasVersion)
  if (v !== null && !v.tf && v.major === 2 && v.minor === 0 && v.patch <= 8) return 100
  return 98
}

/** True for Keras 3.0.0–3.0.4, whose default column positions differ from 3.0.5 on. */
export function isEarlyKeras3(kerasVersion: string | null): boolean {
  const v = parseKerasVersion(kerasVersion)
  return v !== null && v.major === 3 && v.minor === 0 && v.patch <= 4
}
