/**
 * The oracle's TypeScript side: finding the Keras venv, running the Python driver in batch mode, the committed
 * fixtures (Keras's answers recorded, for clones without Python), and test/oracle/KNOWN-DIFFERENCES.md.
 *
 * Live (venv found): the driver answers every generated case; the answers must equal the committed fixture
 * (else the fixture is stale: regenerate with `KMODEL_ORACLE_UPDATE=1 npx vitest run test/oracle`). Without the
 * venv: the fixture answers, and the generated cases must equal the fixture's cases. Either way kmodel is then
 * held to those answers, and every disagreement must be a row of KNOWN-DIFFERENCES.md (and every row must
 * still disagree).
 */
import {createHash} from 'node:crypto'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {gunzipSync, gzipSync} from 'node:zlib'
import {join} from 'node:path'
import {announceSkip, ROOT} from '../helpers/paths.js'

export type Generation = 'keras3' | 'keras2'
/** Keras 3 (`keras` on TensorFlow) and Keras 2 (`tf_keras`). */
export const GENERATIONS: readonly Generation[] = ['keras3', 'keras2']

export const ORACLE_DIR = join(ROOT, 'test', 'oracle')
const REQUIREMENTS = join(ORACLE_DIR, 'requirements.txt')
const DRIVER = join(ORACLE_DIR, 'py', 'driver.py')

/** An array as the driver writes it: little-endian raw bytes in base64. */
export interface OracleArray {
  dtype: string
  shape: number[]
  b64: string
}

/** Every case has an id (unique in its suite) and a seed; the rest is the suite's. */
export interface OracleCase {
  id: string
  seed: number
}

/** Every answer names its case; `driver_error` means the Keras side itself broke (never a verdict). */
export interface OracleResult {
  id: string
  driver_error?: {type: string; message: string}
}

/** The versions that answered, as the driver reports them. */
export interface Versions {
  generation: Generation
  generation_keras: string
  tensorflow: string
  numpy: string
  h5py: string
  python: string
}

/** A suite's committed fixture: the cases and Keras's answer to each. */
export interface Fixture<C extends OracleCase, R extends OracleResult> {
  suite: string
  generation: Generation
  versions: Versions
  cases: Array<{case: C; keras: R}>
}

/** Keras's answers to the generated cases, aligned with them (with `fixtureCases` and no venv: the first N). */
export interface Answers<R extends OracleResult> {
  live: boolean
  versions: Versions | null
  results: R[]
  /** Why the committed fixture does not match (empty when it does). */
  stale: string[]
}

let skipAnnounced = false

/** requirements.txt without its comment lines: what scripts/oracle-venv.sh stamps the venv with. */
const pins = (): string => readFileSync(REQUIREMENTS, 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n')

/** The venv's python: KMODEL_ORACLE_PYTHON, else the default venv when its stamp matches the requirements. */
export function oraclePython(): string | null {
  if (process.env.KMODEL_ORACLE === 'off') return announce('KMODEL_ORACLE=off')
  const explicit = process.env.KMODEL_ORACLE_PYTHON
  if (explicit !== undefined && explicit !== '') {
    if (!existsSync(explicit)) throw new Error(`KMODEL_ORACLE_PYTHON=${explicit} does not exist`)
    return explicit
  }
  const venv = process.env.KMODEL_ORACLE_VENV ?? join(homedir(), '.cache', 'kmodel', 'oracle-venv')
  const stamp = join(venv, '.kmodel-requirements.sha256')
  const want = createHash('sha256').update(pins()).digest('hex')
  if (existsSync(join(venv, 'bin', 'python')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) return join(venv, 'bin', 'python')
  if (process.env.KMODEL_ORACLE_REQUIRED === '1') throw new Error('KMODEL_ORACLE_REQUIRED=1 but no oracle venv was found: run scripts/oracle-venv.sh')
  return announce('no oracle venv (scripts/oracle-venv.sh makes one)')
}

function announce(why: string): null {
  if (!skipAnnounced) announceSkip('the live Keras oracle', `${why}; the suites run on the committed Keras answers in test/oracle/fixtures`)
  skipAnnounced = true
  return null
}

/** Runs the driver on `cases` for one suite and generation; throws when the driver process fails. */
export function runDriver<C extends OracleCase, R extends OracleResult>(python: string, suite: string, generation: Generation, cases: readonly C[]): {versions: Versions; results: R[]} {
  const dir = mkdtempSync(join(tmpdir(), `kmodel-oracle-${suite}-`))
  try {
    const request = join(dir, 'request.json')
    const response = join(dir, 'response.json')
    writeFileSync(request, JSON.stringify({cases}))
    const run = spawnSync(python, [DRIVER, '--suite', suite, '--generation', generation, '--request', request, '--response', response, '--workdir', join(dir, 'work')], {
      encoding: 'utf8', timeout: 30 * 60_000, maxBuffer: 256 << 20,
    })
    if (run.status !== 0) throw new Error(`oracle driver ${suite}/${generation} exited ${run.status ?? run.signal}:\n${(run.stderr ?? '').slice(-4000)}`)
    const answer = JSON.parse(readFileSync(response, 'utf8')) as {versions: Versions; results: R[]}
    if (answer.results.length !== cases.length) throw new Error(`oracle driver ${suite}/${generation} answered ${answer.results.length} of ${cases.length} cases`)
    return answer
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** Committed fixtures are gzipped JSON (Keras 3 configs and summary texts repeat themselves: ~10× smaller). */
export const fixturePath = (suite: string, generation: Generation): string => join(ORACLE_DIR, 'fixtures', `${suite}.${generation}.json.gz`)

function readFixture<C extends OracleCase, R extends OracleResult>(suite: string, generation: Generation): Fixture<C, R> | null {
  const path = fixturePath(suite, generation)
  if (existsSync(path)) return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as Fixture<C, R>
  const plain = path.replace(/\.gz$/, '') // a fixture written before the switch to gzip
  return existsSync(plain) ? (JSON.parse(readFileSync(plain, 'utf8')) as Fixture<C, R>) : null
}

function writeFixture<C extends OracleCase, R extends OracleResult>(fixture: Fixture<C, R>): void {
  // One case per line: small diffs when a few cases change, still one JSON document.
  const lines = fixture.cases.map((c) => JSON.stringify(c))
  const head = JSON.stringify({suite: fixture.suite, generation: fixture.generation, versions: fixture.versions})
  const text = `${head.slice(0, -1)},"cases":[\n${lines.join(',\n')}\n]}\n`
  // mtime 0 in the gzip header (Node writes none): the same answers give the same bytes.
  writeFileSync(fixturePath(fixture.suite, fixture.generation), gzipSync(text, {level: 9}))
  rmSync(fixturePath(fixture.suite, fixture.generation).replace(/\.gz$/, ''), {force: true})
}

const isArrayObject = (v: unknown): v is OracleArray => typeof v === 'object' && v !== null && 'b64' in v && 'dtype' in v && 'shape' in v

/** Where two answers differ (arrays within 1e-5 relative, everything else exactly); null when they agree. */
export function answerDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (isArrayObject(a) && isArrayObject(b)) {
    if (a.dtype !== b.dtype || JSON.stringify(a.shape) !== JSON.stringify(b.shape)) return `${path}: ${a.dtype}${JSON.stringify(a.shape)} vs ${b.dtype}${JSON.stringify(b.shape)}`
    if (a.b64 === b.b64) return null
    const worst = worstRelative(decodeArray(a), decodeArray(b))
    return worst <= 1e-5 ? null : `${path}: values differ by ${worst.toExponential(2)} relative`
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items vs ${b.length}`
    for (let i = 0; i < a.length; i++) {
      const d = answerDifference(a[i], b[i], `${path}[${i}]`)
      if (d !== null) return d
    }
    return null
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const k of keys) {
      if (k === 'trace') continue
      const d = answerDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
      if (d !== null) return d
    }
    return null
  }
  return Object.is(a, b) ? null : `${path}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`
}

/**
 * Keras's answers to `cases`: live from the driver when the venv exists (checked against the committed
 * fixture, or written to it with KMODEL_ORACLE_UPDATE=1), else from the fixture.
 */
export interface AnswerOptions {
  /** The driver's suite module (test/oracle/py/suites/<module>.py); default: the suite's name. */
  module?: string
  /**
   * Only the first N cases are committed (large generated suites such as the fuzz runs): live runs answer
   * every case and check those N against the fixture; without the venv only those N are answered.
   */
  fixtureCases?: number
}

export function oracleAnswers<C extends OracleCase, R extends OracleResult>(suite: string, generation: Generation, allCases: readonly C[], options: AnswerOptions = {}): Answers<R> {
  const python = oraclePython()
  const committed = options.fixtureCases === undefined ? allCases : allCases.slice(0, options.fixtureCases)
  const cases = python === null ? committed : allCases
  const ids = new Set<string>()
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`oracle ${suite}: duplicate case id ${c.id}`)
    ids.add(c.id)
  }
  const fixture = readFixture<C, R>(suite, generation)
  if (python === null) {
    if (fixture === null) return {live: false, versions: null, results: [], stale: [`no committed fixture ${fixturePath(suite, generation)}`]}
    const byId = new Map(fixture.cases.map((c) => [c.case.id, c] as const))
    const stale: string[] = []
    const results = cases.map((c) => {
      const recorded = byId.get(c.id)
      if (recorded === undefined) stale.push(`case ${c.id} is not in the fixture`)
      else if (JSON.stringify(recorded.case) !== JSON.stringify(c)) stale.push(`case ${c.id} was generated differently from the fixture`)
      return recorded?.keras ?? ({id: c.id, driver_error: {type: 'Missing', message: 'not in the committed fixture'}} as R)
    })
    if (fixture.cases.length !== cases.length) stale.push(`the fixture has ${fixture.cases.length} cases, the generator ${cases.length}`)
    return {live: false, versions: fixture.versions, results, stale}
  }
  const {versions, results} = runDriver<C, R>(python, options.module ?? suite, generation, cases)
  const fresh: Fixture<C, R> = {suite, generation, versions, cases: committed.map((c, i) => ({case: c, keras: results[i] as R}))}
  if (process.env.KMODEL_ORACLE_UPDATE === '1') {
    writeFixture(fresh)
    return {live: true, versions, results, stale: []}
  }
  return {live: true, versions, results, stale: staleness(fixture, fresh)}
}

function staleness<C extends OracleCase, R extends OracleResult>(fixture: Fixture<C, R> | null, fresh: Fixture<C, R>): string[] {
  if (fixture === null) return [`no committed fixture ${fixturePath(fresh.suite, fresh.generation)}`]
  const stale: string[] = []
  const v = answerDifference(fixture.versions, fresh.versions)
  if (v !== null) stale.push(`versions: ${v}`)
  if (fixture.cases.length !== fresh.cases.length) stale.push(`the fixture has ${fixture.cases.length} cases, the generator ${fresh.cases.length}`)
  const byId = new Map(fixture.cases.map((c) => [c.case.id, c] as const))
  for (const c of fresh.cases) {
    const old = byId.get(c.case.id)
    if (old === undefined) stale.push(`case ${c.case.id} is not in the fixture`)
    else if (JSON.stringify(old.case) !== JSON.stringify(c.case)) stale.push(`case ${c.case.id} was generated differently from the fixture`)
    else {
      const d = answerDifference(old.keras, c.keras)
      if (d !== null) stale.push(`case ${c.case.id}: Keras now answers differently (${d})`)
    }
    if (stale.length > 20) break
  }
  return stale
}

// ---- arrays ----

/** The typed array of an oracle array (bool as Uint8Array; float64 stays Float64Array). */
export function decodeArray(a: OracleArray): Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Uint32Array {
  const bytes = Buffer.from(a.b64, 'base64')
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  switch (a.dtype) {
    case 'float32': return new Float32Array(buffer)
    case 'float64': return new Float64Array(buffer)
    case 'int32': return new Int32Array(buffer)
    case 'int64': return new BigInt64Array(buffer)
    case 'int8': return new Int8Array(buffer)
    case 'int16': return new Int16Array(buffer)
    case 'uint8': case 'bool': return new Uint8Array(buffer)
    case 'uint16': return new Uint16Array(buffer)
    case 'uint32': return new Uint32Array(buffer)
    default: throw new Error(`oracle array dtype ${a.dtype} is not handled`)
  }
}

/** Largest |a - b| / max(1, |b|) over two arrays of the same length (Infinity when lengths differ; NaN = NaN). */
export function worstRelative(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>): number {
  if (a.length !== b.length) return Infinity
  let worst = 0
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i])
    const y = Number(b[i])
    if (Number.isNaN(x) && Number.isNaN(y)) continue
    if (x === y) continue
    const d = Math.abs(x - y) / Math.max(1, Math.abs(y))
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d)
  }
  return worst
}

// ---- known differences ----

/** One row of KNOWN-DIFFERENCES.md: `case` may hold `*` wildcards; `generation` may be `*`. */
export interface KnownDifference {
  suite: string
  generation: string
  case: string
  difference: string
  reason: string
}

const KNOWN_FILE = join(ORACLE_DIR, 'KNOWN-DIFFERENCES.md')

/** KNOWN-DIFFERENCES.md, then any draft rows a suite keeps in test/oracle/known-<suite>.md while being written. */
function knownText(): string {
  const drafts = readdirSync(ORACLE_DIR).filter((f) => /^known-.*\.md$/.test(f)).sort()
  return [readFileSync(KNOWN_FILE, 'utf8'), ...drafts.map((f) => readFileSync(join(ORACLE_DIR, f), 'utf8'))].join('\n')
}
let knownRows: KnownDifference[] | null = null

/** The rows of every table whose header starts `| suite | generation | case |` (KNOWN-DIFFERENCES.md has one). */
export function knownDifferences(): KnownDifference[] {
  if (knownRows !== null) return knownRows
  const rows: KnownDifference[] = []
  let inTable = false
  for (const line of knownText().split('\n')) {
    if (/^\|\s*suite\s*\|\s*generation\s*\|\s*case\s*\|/.test(line)) { inTable = true; continue }
    if (!line.startsWith('|')) { inTable = false; continue }
    if (!inTable || /^\|\s*-/.test(line)) continue
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replace(/\\\|/g, '|').replace(/^`|`$/g, ''))
    const [suite = '', generation = '', id = '', difference = '', reason = ''] = cells
    rows.push({suite, generation, case: id, difference, reason})
  }
  knownRows = rows
  return rows
}

const globToRegExp = (glob: string): RegExp => new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)

function rowMatches(row: KnownDifference, suite: string, generation: Generation, id: string): boolean {
  return row.suite === suite && (row.generation === '*' || row.generation === generation) && globToRegExp(row.case).test(id)
}

/** The known-difference row that covers this case, if any. */
export function knownDifference(suite: string, generation: Generation, id: string): KnownDifference | undefined {
  return knownDifferences().find((r) => rowMatches(r, suite, generation, id))
}

/** Rows for this suite and generation that cover none of `ids` (stale rows: the table must shrink with fixes). */
export function unusedKnownRows(suite: string, generation: Generation, disagreeing: readonly string[]): KnownDifference[] {
  return knownDifferences().filter((r) => r.suite === suite && (r.generation === '*' || r.generation === generation) && !disagreeing.some((id) => rowMatches(r, suite, generation, id)))
}

/**
 * The suite's closing lines: versions, cases run, disagreements (known and not). Printed to the test output so
 * CI states what the oracle checked.
 */
export function reportSuite(suite: string, generation: Generation, answers: Answers<OracleResult>, disagreements: ReadonlyMap<string, string>): string {
  const v = answers.versions
  const who = v === null ? 'no Keras answers' : `${generation === 'keras3' ? 'Keras' : 'tf-keras'} ${v.generation_keras}, TensorFlow ${v.tensorflow}`
  const known = [...disagreements.keys()].filter((id) => knownDifference(suite, generation, id) !== undefined).length
  const unknown = [...disagreements].filter(([id]) => knownDifference(suite, generation, id) === undefined)
  const lines = [`oracle ${suite} ${generation} (${who}; ${answers.live ? 'live' : 'committed fixtures'}): ${answers.results.length} cases, ${disagreements.size} disagreements (${known} known in KNOWN-DIFFERENCES.md)`]
  for (const [id, what] of unknown.slice(0, 50)) lines.push(`  NEW | ${suite} | ${generation} | ${id} | ${what.replace(/\n/g, ' ').slice(0, 300)}`)
  const text = lines.join('\n')
  console.log(text)
  return text
}
