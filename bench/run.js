// Benchmarks whole kmodel commands against `node -e 0` measured in the same run (the anchor).
// Usage: node bench/run.js [runs]   — prints a Markdown table for BENCHMARKS.md. Needs `npm run build` first.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {cpus, tmpdir} from 'node:os'
import {join} from 'node:path'

const runs = Number(process.argv[2] ?? 15)
const dir = mkdtempSync(join(tmpdir(), 'kmodel-bench-'))
const resnet = join(dir, 'resnet50.json')
spawnSync(process.execPath, ['bench/resnet50-config.js', resnet], {stdio: 'inherit'})
const huge = join(dir, 'huge.json')
// Two Dense(65536) layers on a 65536-wide input: 8,590,065,664 parameters, nothing of which may be allocated.
const dense = (name, extra = {}) => ({class_name: 'Dense', config: {name, units: 65536, activation: 'relu', use_bias: true, ...extra}})
writeFileSync(huge, JSON.stringify({class_name: 'Sequential', config: {name: 'huge', layers: [dense('dense', {batch_input_shape: [null, 65536]}), dense('dense_1')]}, keras_version: '2.12.0', backend: 'tensorflow'}))
const yamlFile = join(dir, 'resnet50.yaml')
spawnSync(process.execPath, ['bin/run.js', 'to-yaml', resnet, '-o', yamlFile], {stdio: 'inherit'})

/** Wall time (ms) and peak RSS (MB) of one process, via /usr/bin/time when present. */
function once(args) {
  const start = process.hrtime.bigint()
  const res = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {encoding: 'utf8'})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (res.status !== 0) throw new Error(`${args.join(' ')} failed: ${res.stderr}`)
  const rssKb = Number(res.stderr.trim().split('\n').pop())
  return {ms, mb: rssKb / 1024}
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const cases = [
  ['node -e 0 (anchor)', ['-e', '0']],
  ['to-json ResNet-50 config (JSON)', ['bin/run.js', 'to-json', resnet]],
  ['to-json ResNet-50 config (YAML)', ['bin/run.js', 'to-json', yamlFile]],
  ['from-config ResNet-50 config', ['bin/run.js', 'from-config', resnet]],
  ['summary ResNet-50 config (table)', ['bin/run.js', 'summary', resnet]],
  ['summary ResNet-50 config (--json)', ['bin/run.js', 'summary', resnet, '--json']],
  ['summary 8.6B-parameter config', ['bin/run.js', 'summary', huge]],
]
const results = new Map(cases.map(([name]) => [name, {ms: [], mb: []}]))
for (let i = 0; i < runs; i++) {
  for (const [name, args] of cases) {
    const r = once(args)
    results.get(name).ms.push(r.ms)
    results.get(name).mb.push(r.mb)
  }
}
const anchor = median(results.get(cases[0][0]).ms)
console.log(`\nmachine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, node ${process.version}, ${runs} runs each, interleaved\n`)
console.log('| case | median wall (ms) | ratio to node -e 0 | median peak RSS (MB) |')
console.log('|---|---|---|---|')
for (const [name, r] of results) console.log(`| ${name} | ${median(r.ms).toFixed(0)} | ${(median(r.ms) / anchor).toFixed(2)}× | ${median(r.mb).toFixed(0)} |`)
