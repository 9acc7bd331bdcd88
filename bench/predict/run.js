// Predict throughput in one run (issue #11): Keras 3 `predict` on tensorflow-cpu (the anchor), kmodel's compute
// core, and tfjs-layers' predict (the path kmodel used before its own core), each model in its own process, for
// `rounds` rounds; prints a Markdown table of medians with each figure's ratio to the Keras figure of its round.
//
// Usage: node bench/predict/run.js [rounds=3]. Needs `npm run build`, the native addon, the oracle venv.
import {spawnSync} from 'node:child_process'
import {cpus, loadavg, totalmem} from 'node:os'

const rounds = Number(process.argv[2] ?? 3)
const KERAS_PYTHON = process.env.KMODEL_ORACLE_PYTHON ?? spawnSync('bash', ['scripts/oracle-venv.sh'], {encoding: 'utf8'}).stdout.trim()

function jsonLines(cmd, args) {
  const res = spawnSync(cmd, args, {encoding: 'utf8', maxBuffer: 16 << 20, env: {...process.env, OPENBLAS_NUM_THREADS: '2'}})
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}`)
  return res.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const rates = new Map()
const ratios = new Map()
const push = (map, key, v) => map.set(key, [...(map.get(key) ?? []), v])
const loadBefore = loadavg()[0]
let keras = ''
let backend = ''
for (let round = 0; round < rounds; round++) {
  const anchor = {}
  for (const r of jsonLines(KERAS_PYTHON, ['bench/predict/keras_bench.py'])) {
    anchor[r.model] = r.samplesPerSecond
    push(rates, `${r.model}/Keras predict`, r.samplesPerSecond)
    keras = r.keras
  }
  for (const engine of ['kmodel', 'tfjs-layers']) {
    for (const r of jsonLines('node', ['bench/predict/kmodel.js', '--engine', engine])) {
      backend = r.backend
      push(rates, `${r.model}/${engine}`, r.samplesPerSecond)
      push(ratios, `${r.model}/${engine}`, r.samplesPerSecond / anchor[r.model])
    }
  }
}
console.log(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpus()[0]?.model ?? '?'} × ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · Keras ${keras} · kmodel backend ${backend} · ${rounds} rounds · load ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`)
console.log('\n| model | engine | samples/s (median) | ratio to Keras predict (median; range) |\n|---|---|---|---|')
for (const [key, list] of rates) {
  const [model, engine] = key.split('/')
  const r = ratios.get(key)
  const ratio = r === undefined ? '1.00× (anchor)' : `${median(r).toFixed(2)}× (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})`
  console.log(`| ${model} | ${engine} | ${Math.round(median(list)).toLocaleString('en-US')} | ${ratio} |`)
}
