/**
 * The Keras 3 → legacy (tf.keras) dialect conversion held to tf-keras itself: test/oracle/py/dialect_zoo.py
 * builds a zoo of Keras 3.15 models, kmodel converts each `to_json()` document with convertModel(…, 'keras2'), and
 * tf-keras 2.21 must load every converted document (model_from_json), take the Keras 3 weights (set_weights) and
 * predict what Keras 3 predicted within 1e-5; a model tf.keras cannot express must be refused, with the message
 * expected below. The Keras 3 documents, kmodel's conversions and tf-keras's verdicts are committed
 * (test/oracle/fixtures/dialect-keras2.json.gz): without the oracle venv the conversions are held to that file;
 * with it the zoo is rebuilt and tf-keras asked again (KMODEL_ORACLE_UPDATE=1 rewrites the file).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gunzipSync, gzipSync} from 'node:zlib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {FormatError} from '../../src/core/errors.js'
import type {JsonObject} from '../../src/core/json.js'
import {convertModel} from '../../src/core/model/dialect.js'
import {readDoc} from '../helpers/read.js'
import {ORACLE_DIR, oraclePython} from './harness.js'

const FIXTURE = join(ORACLE_DIR, 'fixtures', 'dialect-keras2.json.gz')
const SCRIPT = join(ORACLE_DIR, 'py', 'dialect_zoo.py')
const TOLERANCE = 1e-5

/** The zoo models kmodel must refuse, and what the refusal must name. */
const REFUSALS: Record<string, RegExp> = {
  layernorm_rms: /'ln'.*rms_scaling/,
  resizing_channels_first: /'resize'.*data_format/,
  centercrop_channels_first: /'crop'.*data_format/,
  hard_sigmoid_activation: /'hs'.*hard_sigmoid/,
  hard_sigmoid_dense: /'d'.*hard_sigmoid/,
  recurrent_hard_sigmoid: /'lstm'.*hard_sigmoid/,
  quantized: /'d'.*quantiz/,
  resizing_antialias: /'resize'.*antialias/,
  resizing_pad: /'resize'.*pad_to_aspect_ratio/,
  contrast_value_range: /'contrast'.*value_range/,
  lora: /'d'.*lora_rank/,
  mha_gate: /'mha'.*use_gate/,
}

interface Verdict {
  loaded: boolean
  error: string | null
  max_abs_diff: number | null
}

interface Conversion {
  keras2: JsonObject | null
  refused: string | null
  warnings: string[]
}

interface Case extends Conversion {
  id: string
  keras3: JsonObject
  tfkeras: Verdict | null
}

interface Recorded {
  keras: string
  cases: Case[]
}

async function convert(keras3: JsonObject): Promise<Conversion> {
  const {model} = await readDoc(keras3)
  try {
    const {document, warnings} = convertModel(model, 'keras2')
    return {keras2: document, refused: null, warnings: warnings.map((w) => `${w.path}: ${w.message}`)}
  } catch (error) {
    if (!(error instanceof FormatError)) throw error
    return {keras2: null, refused: `${error.code}: ${error.message} (${error.hint ?? 'no hint'})`, warnings: []}
  }
}

function python(exe: string, mode: 'build' | 'check', dir: string): void {
  const run = spawnSync(exe, [SCRIPT, mode, dir], {encoding: 'utf8', timeout: 10 * 60_000, maxBuffer: 64 << 20})
  if (run.status !== 0) throw new Error(`dialect_zoo.py ${mode} exited ${run.status ?? run.signal}:\n${(run.stderr ?? '').slice(-4000)}`)
}

/** Keras 3 builds the zoo, kmodel converts, tf-keras loads and predicts. */
async function live(exe: string): Promise<Recorded> {
  const dir = mkdtempSync(join(tmpdir(), 'kmodel-dialect-'))
  try {
    python(exe, 'build', dir)
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {ids: string[]; keras: string}
    const cases: Case[] = []
    for (const id of index.ids) {
      const keras3 = JSON.parse(readFileSync(join(dir, `${id}.keras3.json`), 'utf8')) as JsonObject
      const conversion = await convert(keras3)
      if (conversion.keras2 !== null) writeFileSync(join(dir, `${id}.keras2.json`), JSON.stringify(conversion.keras2))
      cases.push({id, keras3, ...conversion, tfkeras: null})
    }
    python(exe, 'check', dir)
    const verdicts = JSON.parse(readFileSync(join(dir, 'verdicts.json'), 'utf8')) as Record<string, Verdict>
    for (const c of cases) c.tfkeras = verdicts[c.id] ?? null
    return {keras: index.keras, cases}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

const committed = (): Recorded | null => (existsSync(FIXTURE) ? (JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8')) as Recorded) : null)

function save(recorded: Recorded): void {
  const lines = recorded.cases.map((c) => JSON.stringify(c))
  writeFileSync(FIXTURE, gzipSync(`{"keras":${JSON.stringify(recorded.keras)},"cases":[\n${lines.join(',\n')}\n]}\n`, {level: 9}))
}

describe('Keras 3 → tf.keras dialect, held to tf-keras 2.21', () => {
  let recorded: Recorded | null = null
  let fresh: Recorded | null = null

  beforeAll(async () => {
    recorded = committed()
    const exe = oraclePython()
    if (exe === null) return
    fresh = await live(exe)
    if (process.env.KMODEL_ORACLE_UPDATE === '1') {
      save(fresh)
      recorded = fresh
    }
  }, 10 * 60_000)
  afterAll(() => {
    if (fresh === null) console.warn('\n*** dialect-keras2: live tf-keras part SKIPPED (no oracle venv); checked against the committed conversions only ***\n')
  })

  it('kmodel converts the committed Keras 3 documents exactly as committed (refusals included)', async () => {
    expect(recorded, `no committed ${FIXTURE}: run with the oracle venv and KMODEL_ORACLE_UPDATE=1`).not.toBeNull()
    for (const c of recorded?.cases ?? []) {
      const now = await convert(c.keras3)
      expect({id: c.id, ...now}).toEqual({id: c.id, keras2: c.keras2, refused: c.refused, warnings: c.warnings})
    }
  })

  it('refuses exactly the models tf.keras cannot express, naming the layer and the argument', () => {
    const cases = fresh?.cases ?? recorded?.cases ?? []
    expect(cases.length).toBeGreaterThan(15)
    for (const c of cases) {
      const want = REFUSALS[c.id]
      if (want === undefined) expect(c.refused, c.id).toBeNull()
      else {
        expect(c.refused, c.id).toMatch(want)
        expect(c.refused, c.id).toMatch(/^KM_FORMAT_\w+: .*\(.*Keras 3.*\)$/)
      }
    }
    expect(Object.keys(REFUSALS).every((id) => cases.some((c) => c.id === id))).toBe(true)
  })

  it('leaves no Keras 3 spelling in a converted document', () => {
    for (const c of fresh?.cases ?? recorded?.cases ?? []) {
      if (c.keras2 === null) continue
      expect({id: c.id, found: JSON.stringify(c.keras2).match(/"(module|registered_name|build_config|batch_shape|input_axes|output_axes|quantization_config|rms_scaling)"|"forward_|DTypePolicy|__keras_tensor__/g)}).toEqual({id: c.id, found: null})
    }
  })

  it('tf-keras loads every converted model and, with the Keras 3 weights, predicts the same numbers', () => {
    const cases = (fresh?.cases ?? recorded?.cases ?? []).filter((c) => c.refused === null)
    expect(cases.length).toBeGreaterThan(8)
    for (const c of cases) {
      expect({id: c.id, loaded: c.tfkeras?.loaded, error: c.tfkeras?.error}).toEqual({id: c.id, loaded: true, error: null})
      expect(c.tfkeras?.max_abs_diff ?? Number.POSITIVE_INFINITY, c.id).toBeLessThanOrEqual(TOLERANCE)
    }
  })

  it('live: Keras 3 still writes the committed documents (else regenerate with KMODEL_ORACLE_UPDATE=1)', () => {
    if (fresh === null) return
    const byId = new Map((recorded?.cases ?? []).map((c) => [c.id, c] as const))
    for (const c of fresh.cases) expect({id: c.id, doc: byId.get(c.id)?.keras3}).toEqual({id: c.id, doc: c.keras3})
    expect(fresh.cases.length).toBe(recorded?.cases.length)
  })
})
