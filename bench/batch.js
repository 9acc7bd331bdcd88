// Throughput of `from-config` and `summary` over a folder (default ../shared/interop), in-process vs worker
// threads. Usage: node bench/batch.js [folder] [runs]. Prints a Markdown table (median wall, files/s).
import {spawnSync} from 'node:child_process'
import {cpus} from 'node:os'

const folder = process.argv[2] ?? '../shared/interop'
const runs = Number(process.argv[3] ?? 3)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, node ${process.version}, ${runs} runs each, folder ${folder}`)
console.log('| command | jobs | files | median wall (ms) | files/s |')
console.log('|---|---|---|---|---|')
for (const command of ['from-config', 'summary']) {
  for (const jobs of [1, 2]) {
    const times = []
    let files = 0
    for (let i = 0; i < runs; i++) {
      const t = performance.now()
      const r = spawnSync(process.execPath, ['bin/run.js', command, folder, '--jobs', String(jobs), '--json'], {encoding: 'utf8', maxBuffer: 1 << 26})
      times.push(performance.now() - t)
      files = JSON.parse(r.stdout).result.results.length
    }
    const ms = median(times)
    console.log(`| ${command === 'summary' ? 'summary over the interop corpus' : command} | ${jobs === 1 ? '1 (in-process)' : `${jobs} (worker threads)`} | ${files} | ${ms.toFixed(0)} | ${(files / (ms / 1000)).toFixed(1)} |`)
  }
}
