/** Paths the tests share: the repo root, its fixtures, and the real-file corpus beside the repo. */
import {existsSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const FIXTURES = join(ROOT, 'fixtures')
export const fixture = (name: string): string => join(FIXTURES, name)

/** ../shared/interop: real files Keras wrote. Absent on a user's fresh clone; CI has it. */
export const INTEROP = resolve(ROOT, '..', 'shared', 'interop')
export const HAVE_INTEROP = existsSync(join(INTEROP, 'MANIFEST.tsv'))

/** Says loudly, once per suite, that a suite is skipped and why. */
export function announceSkip(suite: string, why: string): void {
  console.warn(`\n*** SKIPPED ${suite}: ${why} ***\n`)
}
