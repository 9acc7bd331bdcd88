/**
 * Seed documents for the fuzzers: the bundled fixtures/*.json|yaml, plus the JSON/YAML architecture files
 * real Keras wrote in ../shared/interop when that folder exists (absent on a fresh clone: said loudly).
 */
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {basename, join} from 'node:path'
import {parsePythonJson} from '../../../src/core/formats/python-json.js'
import {parseKerasYaml} from '../../../src/core/formats/yaml.js'
import type {Json} from '../../../src/core/json.js'
import {architectureFiles} from '../../helpers/interop.js'
import {FIXTURES, HAVE_INTEROP, announceSkip} from '../../helpers/paths.js'

/** One seed: its original text and the document parsed from it. */
export interface Seed {
  /** `fixtures/mlp-tfkeras212.json` or `interop/hiv-lstm/model_architecture.json`. */
  name: string
  format: 'json' | 'yaml'
  text: string
  doc: Json
}

/** Seeds above this size are left out: they slow every case and add no new structure. */
const MAX_SEED_BYTES = 64 * 1024

function seedOf(name: string, path: string): Seed | undefined {
  if (statSync(path).size > MAX_SEED_BYTES) return undefined
  const text = readFileSync(path, 'utf8')
  const format = /\.ya?ml$/.test(path) ? 'yaml' : 'json'
  const doc = format === 'yaml' ? parseKerasYaml(text, name) : parsePythonJson(text, name)
  return {name, format, text, doc}
}

/** The fixtures' JSON and YAML model documents (MANIFEST.json is provenance, not a model). */
function fixtureSeeds(): Seed[] {
  return readdirSync(FIXTURES)
    .filter((f) => /\.(json|ya?ml)$/.test(f) && f !== 'MANIFEST.json')
    .sort()
    .flatMap((f) => seedOf(`fixtures/${f}`, join(FIXTURES, f)) ?? [])
}

/** The interop corpus' JSON and YAML architecture files, or [] (with a loud warning) when it is absent. */
function interopSeeds(): Seed[] {
  if (!HAVE_INTEROP) {
    announceSkip('fuzzing from ../shared/interop configs', 'the folder is absent; fuzzing starts from fixtures/ only')
    return []
  }
  return architectureFiles()
    .filter((r) => /\.(json|ya?ml)$/.test(r.file))
    .flatMap((r) => seedOf(`interop/${r.entry}/${basename(r.file)}`, r.path) ?? [])
}

let cached: Seed[] | undefined

/** All seeds, fixtures first; loaded once per test file. */
export function seeds(): Seed[] {
  cached ??= [...fixtureSeeds(), ...interopSeeds()]
  return cached
}
