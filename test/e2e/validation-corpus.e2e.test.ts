/**
 * The validation corpus (test/validation/, written by make_corpus.py with the real Keras's verdicts) through the
 * built CLI: `summary`, `from-config` and `to-json` must each refuse (exit 4, naming the argument or layer) what
 * Keras refuses and accept (exit 0) what Keras loads.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/paths.js'

interface CorpusCase {
  file: string
  generation: 'keras2' | 'keras3'
  keras: {ok: boolean; error?: {type: string; message: string}}
  /** When Keras refuses: kmodel's message names at least one of these (the argument, or the layer's class). */
  mentions: string[]
}

interface Run {
  code: number
  message: string
}

const DIR = join(ROOT, 'test', 'validation')
const CASES = (JSON.parse(readFileSync(join(DIR, 'expectations.json'), 'utf8')) as {cases: CorpusCase[]}).cases
const COMMANDS = ['summary', 'from-config', 'to-json'] as const
type Command = (typeof COMMANDS)[number]

/** Runs the built CLI with --json and reduces the answer to the exit code and the first error message. */
function run(command: Command, file: string, out: string): Promise<Run> {
  const args = [join(ROOT, 'bin', 'run.js'), command, join(DIR, file), '--json', ...(command === 'to-json' ? ['--output', out, '--force'] : [])]
  return new Promise((resolve) => {
    execFile(process.execPath, args, {cwd: ROOT, env: {...process.env, NO_COLOR: '1', DEBUG: ''}, maxBuffer: 16 << 20}, (error, stdout) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
      let message = stdout
      try {
        const json = JSON.parse(stdout) as {error?: {message: string}; result?: {results?: Array<{errors: Array<{message: string}>}>}}
        message = json.error?.message ?? json.result?.results?.[0]?.errors[0]?.message ?? ''
      } catch {
        // not JSON: keep stdout
      }
      resolve({code, message})
    })
  })
}

/** Every (case, command) run, a few processes at a time. */
async function runAll(): Promise<Map<string, Run>> {
  const tmp = mkdtempSync(join(tmpdir(), 'kmodel-validation-'))
  const jobs = CASES.flatMap((c, i) => COMMANDS.map((command) => ({c, command, out: join(tmp, `${i}.json`)})))
  const results = new Map<string, Run>()
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]
      if (job === undefined) return
      results.set(`${job.command} ${job.c.file}`, await run(job.command, job.c.file, `${job.out}.${job.command}`))
    }
  }
  await Promise.all(Array.from({length: 6}, worker))
  return results
}

describe('validation corpus through the CLI', () => {
  let results: Map<string, Run>
  beforeAll(async () => {
    results = await runAll()
  }, 600_000)

  for (const c of CASES) {
    for (const command of COMMANDS) {
      const verdict = c.keras.ok ? 'accepts' : `refuses (${c.keras.error?.type ?? 'error'})`
      it(`${command} ${c.file}: Keras ${verdict}`, () => {
        const r = results.get(`${command} ${c.file}`) as Run
        if (c.keras.ok) {
          expect(r, r.message).toMatchObject({code: 0})
          return
        }
        expect(r.code, r.message).toBe(4)
        expect(c.mentions.length === 0 || c.mentions.some((m) => r.message.includes(m)), `${r.message} should name one of ${c.mentions.join(', ')}`).toBe(true)
      })
    }
  }
})
