/**
 * Kill-mid-write (issue #6): the built CLI writes a large document (`to-json --indent 2 -o out.json --force`
 * over an existing out.json) and is killed with SIGKILL at random moments. After every kill out.json must be
 * the old file byte for byte or the new one complete, and the only other file a kill may leave is the
 * writer's own temp `.out.json.<pid>.<hex>.tmp` (src/core/files.ts), which the next write removes.
 *
 * KMODEL_KILL_ROUNDS sets the kills per run (default 5); KMODEL_KILL_LOG=FILE appends one JSON line per run
 * with what the kills hit, for scripts/kill-write-loop.sh.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/paths.js'

const ROUNDS = Number(process.env.KMODEL_KILL_ROUNDS ?? 5)
const OLD = '{"old": "the previous out.json, which a killed run must leave intact"}\n'

/**
 * A Sequential config of `layers` Dense layers, each with a `padding`-character unknown key (kept on write; Keras
 * would refuse it, hence `--no-validate` below: this test is about the write, not the validation).
 */
function bigConfig(layers: number, padding: number): string {
  const dense = (i: number) => ({
    class_name: 'Dense',
    config: {name: `dense_${i}`, trainable: true, dtype: 'float32', units: 8, activation: 'relu', use_bias: true, kernel_initializer: {class_name: 'GlorotUniform', config: {seed: null}}, bias_initializer: {class_name: 'Zeros', config: {}}, notes: 'x'.repeat(padding)},
  })
  const input = {class_name: 'InputLayer', config: {batch_input_shape: [null, 8], dtype: 'float32', sparse: false, ragged: false, name: 'input'}}
  return JSON.stringify({class_name: 'Sequential', config: {name: 'big', layers: [input, ...Array.from({length: layers}, (_, i) => dense(i))]}, keras_version: '2.12.0', backend: 'tensorflow'})
}

/** How one spawned writer ended. */
interface Ended {
  pid: number
  code: number | null
  signal: NodeJS.Signals | null
  ms: number
}

/** Runs `kmodel to-json big.json --indent 2 -o <out> --force --no-validate`; SIGKILLs it after `killAfterMs` unless it ended. */
function write(dir: string, out: string, killAfterMs?: number): Promise<Ended> {
  const started = performance.now()
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'to-json', join(dir, 'big.json'), '--indent', '2', '-o', join(dir, out), '--force', '--no-validate'], {
    stdio: 'ignore', env: {...process.env, NO_COLOR: '1', DEBUG: ''},
  })
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({pid: child.pid ?? -1, code, signal, ms: performance.now() - started})
    })
  })
}

const TEMP = /^\.out\.json\.(\d+)\.[0-9a-f]{12}\.tmp$/

describe('kill -9 in the middle of an atomic write', () => {
  let dir = ''
  let expected = Buffer.alloc(0)
  let fullMs = 0
  const hits = {old: 0, new: 0, tempLeft: 0, finishedBeforeKill: 0}

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kmodel-kill-'))
    writeFileSync(join(dir, 'big.json'), bigConfig(1000, 2500)) // 2.8 MB in, 3.2 MB out with --indent 2
    const cold = await write(dir, 'expected.json')
    const warm = await write(dir, 'expected.json') // the first run pays for cold caches; kills are timed on the warm one
    expect([cold.code, warm.code]).toEqual([0, 0])
    expected = readFileSync(join(dir, 'expected.json'))
    fullMs = Math.min(cold.ms, warm.ms)
  })
  afterAll(() => {
    if (process.env.KMODEL_KILL_LOG !== undefined) appendFileSync(process.env.KMODEL_KILL_LOG, `${JSON.stringify({rounds: ROUNDS, fullMs: Math.round(fullMs), ...hits})}\n`)
    rmSync(dir, {recursive: true, force: true})
  })

  it(`leaves the old file or the complete new one after each of ${ROUNDS} kills`, {timeout: 120_000}, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      writeFileSync(join(dir, 'out.json'), OLD)
      const delay = Math.round(fullMs * (0.3 + 0.75 * Math.random())) // from startup to just past the end of the write
      const ended = await write(dir, 'out.json', delay)
      const killed = ended.signal === 'SIGKILL'
      if (!killed) expect(ended.code, `round ${round}: the writer failed`).toBe(0)
      const out = readFileSync(join(dir, 'out.json'))
      const isOld = out.equals(Buffer.from(OLD))
      expect(isOld || out.equals(expected), `round ${round} (kill after ${delay} ms): out.json is neither the old file nor the complete new one (${out.length} bytes)`).toBe(true)
      const others = readdirSync(dir).filter((f) => !['big.json', 'expected.json', 'out.json'].includes(f))
      for (const name of others) {
        expect(name, `round ${round}: unexpected file`).toMatch(TEMP)
        expect(killed, `round ${round}: a run that was not killed left ${name}`).toBe(true)
      }
      const leftByThisRun = others.filter((f) => TEMP.exec(f)?.[1] === String(ended.pid))
      hits.old += isOld ? 1 : 0
      hits.new += isOld ? 0 : 1
      hits.tempLeft += leftByThisRun.length > 0 ? 1 : 0
      hits.finishedBeforeKill += killed ? 0 : 1
    }
    console.info(`kill-write: full write ${fullMs.toFixed(0)} ms; ${ROUNDS} kills: ${JSON.stringify(hits)}`)
  })

  it('removes the temps of killed writers on the next write, and keeps those of live ones', {timeout: 60_000}, async () => {
    const dead = await write(dir, 'probe.json', 0) // a pid that has exited
    rmSync(join(dir, 'probe.json'), {force: true})
    writeFileSync(join(dir, `.out.json.${dead.pid}.0123456789ab.tmp`), 'partial')
    const live = `.out.json.${process.pid}.ba9876543210.tmp`
    writeFileSync(join(dir, live), 'a concurrent writer')
    const ended = await write(dir, 'out.json')
    expect(ended.code).toBe(0)
    expect(readFileSync(join(dir, 'out.json')).equals(expected)).toBe(true)
    expect(readdirSync(dir).filter((f) => f.startsWith('.')).sort()).toEqual([live])
  })
})
