/**
 * Keras's own answer: small models built and saved by real Keras 3 (.keras) and tf-keras 2 (.h5) in the oracle
 * venv (tfjs-write-oracle.py), with Keras's predictions on seeded inputs. kmodel reads each file, writes it as a
 * tfjs folder, and tfjs-layers 4.22 loads that folder and must predict what Keras predicted. Covers a Functional
 * model with two inputs and two outputs, convolutions, recurrent layers and wrappers, an integer Embedding input,
 * a nested model (its weights keep their inner names) and normalisation/activation layers, in both generations.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {writeTfjsModel} from '../../src/core/formats/write-tfjs.js'
import {readInputArrays} from '../../src/core/predict.js'
import {readModel} from '../../src/core/read.js'
import {loadInto, retarget} from '../../src/core/weights/load.js'
import {readWeights} from '../../src/core/weights/read.js'
import {oraclePython} from '../oracle/harness.js'
import {loadFolder, tfjsPredict} from './tfjs-write-load.js'

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'tfjs-write-oracle.py')
const python = oraclePython()
const work = mkdtempSync(join(tmpdir(), 'kmodel-tfjs-oracle-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

interface Built {
  name: string
  file: string
  inputs: string[]
  outputs: string[]
}

/** Runs the Keras side once per generation; its JSON answer is the last line of stdout. */
function build(generation: 'keras3' | 'keras2'): Built[] {
  if (python === null) return []
  const dir = join(work, generation)
  spawnSync('mkdir', ['-p', dir])
  const run = spawnSync(python, [SCRIPT, dir, generation], {encoding: 'utf8', timeout: 10 * 60_000, maxBuffer: 64 << 20})
  if (run.status !== 0) throw new Error(`tfjs-write-oracle.py ${generation} failed: ${run.stderr.slice(-3000)}`)
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '[]') as Built[]
}

describe.skipIf(python === null).each(['keras3', 'keras2'] as const)('Keras (%s) → kmodel tfjs writer → tfjs-layers predicts what Keras predicted', (generation) => {
  const built = build(generation)

  it('built every model', () => {
    expect(built.map((b) => b.name)).toEqual(['functional', 'conv', 'rnn', 'embed', 'nested', 'norms'])
  })

  it.each(built.map((b) => [b.name, b] as const))('%s', async (_name, b) => {
    const {model} = await readModel(b.file)
    const file = retarget(loadInto(model, await readWeights(b.file), {byName: false, skipMismatch: false}), model)
    const out = join(work, `${generation}-${b.name}-tfjs`)
    await writeTfjsModel(out, model, file, {force: false})
    const inputs = await Promise.all(b.inputs.map(async (p) => (await readInputArrays(p))[0]))
    const loaded = await loadFolder(out)
    const theirs = tfjsPredict(loaded, inputs.map((x) => ({shape: x?.shape ?? [], data: (x?.data instanceof Int32Array ? x.data : Float32Array.from(x?.data as Float32Array)) as Float32Array | Int32Array})))
    loaded.dispose()
    expect(theirs.length).toBe(b.outputs.length)
    for (const [i, path] of b.outputs.entries()) {
      const keras = (await readInputArrays(path))[0]?.data as Float32Array
      const got = theirs[i] ?? new Float32Array(0)
      expect(got.length).toBe(keras.length)
      const worst = keras.reduce((w, v, j) => Math.max(w, Math.abs(v - (got[j] ?? Number.NaN)) / Math.max(1, Math.abs(v))), 0)
      expect(worst, `${generation} ${b.name} output ${i}`).toBeLessThanOrEqual(1e-5)
    }
  })
})
