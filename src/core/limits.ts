/**
 * Size caps against hostile files, each with an environment variable to raise (or lower) it. Read where the
 * cap applies, with the process environment as the default so library callers can pass their own.
 */
import {InputError} from './errors.js'

/** `name` from the environment when set (a positive integer), else `fallback`; anything else is refused. */
export function envLimit(name: string, fallback: number, env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InputError('KM_INPUT_ENV', `${name} is '${raw}', not a positive integer.`, {hint: `Set ${name} to a whole number, e.g. ${name}=${fallback * 2}, or unset it (default ${fallback}).`})
  }
  return value
}

/** Default cap on the layers of a model document, nested models' included (`KMODEL_MAX_LAYERS`). */
export const DEFAULT_MAX_LAYERS = 100_000

/** Default cap on standard input (`KMODEL_MAX_STDIN_BYTES`): it is held in memory, unlike a file given by path. */
export const DEFAULT_MAX_STDIN_BYTES = 2 ** 31
