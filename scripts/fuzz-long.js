#!/usr/bin/env node
/**
 * The long fuzz run (issue #6): the test/fuzz properties with KMODEL_FUZZ_RUNS cases in total (default 100,000
 * instead of CI's 10,400), a fresh seed unless one is given, and a wall-clock watchdog. A case that hangs
 * synchronously (inside h5wasm's wasm, say) cannot be cut off by the in-test 5 s timer, so every case's bytes
 * are traced to a folder (KMODEL_FUZZ_TRACE) and, when the watchdog fires, the case in flight is saved as a
 * finding. Prints cases, time, per-property outcomes and findings.
 *
 *   node scripts/fuzz-long.js [runs] [--seed N] [--minutes M]      (needs no build; runs vitest on src)
 */
import {spawn} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const option = (name) => {
  const i = args.indexOf(name)
  return i < 0 ? undefined : args.splice(i, 2)[1]
}
const seed = option('--seed') ?? String(Date.now() % 2 ** 31)
const minutes = Number(option('--minutes') ?? 60)
const runs = Number(args[0] ?? 100_000)
const trace = mkdtempSync(join(tmpdir(), 'kmodel-fuzz-trace-'))
const findings = join(tmpdir(), 'kmodel-fuzz-findings')

const started = Date.now()
const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz'], {
  cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  env: {...process.env, KMODEL_FUZZ_RUNS: String(runs), KMODEL_FUZZ_SEED: seed, KMODEL_FUZZ_TRACE: trace, NO_COLOR: '1', FORCE_COLOR: '0'},
})
let output = ''
child.stdout.on('data', (d) => { output += d })
child.stderr.on('data', (d) => { output += d })

let hung = false
const watchdog = setTimeout(() => {
  hung = true
  process.kill(-child.pid, 'SIGKILL') // vitest and its workers: the group this script started
}, minutes * 60_000)

child.on('exit', (code) => {
  clearTimeout(watchdog)
  const seconds = ((Date.now() - started) / 1000).toFixed(0)
  const tallies = output.split('\n').filter((l) => /^fuzz /.test(l.trim())).map((l) => `  ${l.trim()}`)
  const failures = output.split('\n').filter((l) => /FAIL|Counterexample|threw|took \d+ ms|did not settle/.test(l)).slice(0, 40)
  const logFile = join(tmpdir(), `kmodel-fuzz-long-${seed}.log`)
  writeFileSync(logFile, output)
  console.log(`fuzz-long: ${runs} cases requested, seed ${seed}, ${seconds} s, vitest exit ${code ?? 'killed'} (full output: ${logFile})`)
  console.log(tallies.join('\n'))
  if (hung) {
    mkdirSync(findings, {recursive: true})
    for (const f of readdirSync(trace)) copyFileSync(join(trace, f), join(findings, `hang-seed${seed}-${f}`))
    console.log(`HANG: the watchdog (${minutes} min) fired; the cases in flight are in ${findings}/`)
  } else if (code !== 0) {
    console.log(`FINDINGS (replay with KMODEL_FUZZ_SEED=${seed} KMODEL_FUZZ_RUNS=${runs} npx vitest run test/fuzz):\n${failures.join('\n')}`)
  } else console.log('no findings')
  rmSync(trace, {recursive: true, force: true})
  process.exitCode = hung ? 2 : code ?? 1
})
