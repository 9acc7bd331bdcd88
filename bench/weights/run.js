// kmodel vs h5py on a VGG16-size weights file, in the same run. Prints a Markdown table for BENCHMARKS.md.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'

const reps = process.argv[2] ?? '4'
const dir = mkdtempSync(join(tmpdir(), 'kmodel-wbench-'))
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, {encoding: 'utf8', maxBuffer: 1 << 24})
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop())
}
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ')
const loadBefore = load()
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const k = run(process.execPath, ['bench/weights/kmodel.js', dir, reps])
const h = run('/usr/bin/python3', ['bench/weights/h5py_bench.py', dir, reps])
rmSync(dir, {recursive: true, force: true})
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, node ${process.version}, ${reps} repetitions in one process each; load average (1/5/15 min) ${loadBefore} before, ${load()} after`)
console.log('| operation | kmodel first / median of the rest (ms) | h5py first / median of the rest (ms) | ratio (medians) |')
console.log('|---|---|---|---|')
for (const op of ['write', 'read']) {
  const km = median(k[op].slice(1))
  const hm = median(h[op].slice(1))
  console.log(`| ${op} 138,357,544 float32 | ${k[op][0].toFixed(0)} / ${km.toFixed(0)} | ${h[op][0].toFixed(0)} / ${hm.toFixed(0)} | ${(km / hm).toFixed(2)}× |`)
}
console.log(`| peak RSS (MB, whole process) | ${k.rssMB.toFixed(0)} | ${h.rssMB.toFixed(0)} | |`)
