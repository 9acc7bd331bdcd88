// The CI gate's cost, kmodel vs Python Keras doing the same in the same run (DESIGN.md: ≥ 20× faster): summary
// and from-config of ResNet-50 configs that real Keras wrote (keras.applications.ResNet50(weights=None).to_json()
// from Keras 3 and from tf-keras), against `python bench/keras_summary.py` (import Keras, model_from_json,
// summary(); with --no-summary, model_from_json alone). Interleaved runs, medians, one Markdown table.
//
// Usage: node bench/gate.js [runs=7]. Needs `npm run build` and the oracle venv (`bash scripts/oracle-venv.sh`,
// or KMODEL_ORACLE_PYTHON).
import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'

const runs = Number(process.argv[2] ?? 7)
const python = process.env.KMODEL_ORACLE_PYTHON ?? spawnSync('bash', ['scripts/oracle-venv.sh'], {encoding: 'utf8'}).stdout.trim()
const dir = mkdtempSync(join(tmpdir(), 'kmodel-gate-'))
const env = {...process.env, TF_CPP_MIN_LOG_LEVEL: '3'}

function run(cmd, args) {
  const start = process.hrtime.bigint()
  const res = spawnSync(cmd, args, {encoding: 'utf8', env, maxBuffer: 64 << 20})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr.slice(-2000)}`)
  return {ms, stdout: res.stdout}
}

const files = {}
for (const generation of ['keras3', 'keras2']) {
  files[generation] = join(dir, `resnet50-${generation}.json`)
  run(python, ['bench/keras_summary.py', '--write-resnet50', files[generation], '--generation', generation])
}
// The same model on both sides: Keras's count_params() equals kmodel's total.
for (const [generation, file] of Object.entries(files)) {
  const keras = Number(run(python, ['bench/keras_summary.py', file, '--generation', generation, '--no-summary']).stdout.trim().split('\n').pop())
  const kmodel = JSON.parse(run(process.execPath, ['bin/run.js', 'summary', file, '--json']).stdout).result.totalParams
  if (keras !== kmodel) throw new Error(`${generation}: Keras counts ${keras} parameters, kmodel ${kmodel}`)
}

const pairs = []
for (const generation of ['keras3', 'keras2']) {
  const file = files[generation]
  const who = generation === 'keras3' ? 'Keras 3' : 'tf-keras'
  pairs.push({name: `summary ResNet-50 (${who} to_json)`, kmodel: ['bin/run.js', 'summary', file], keras: ['bench/keras_summary.py', file, '--generation', generation]})
  pairs.push({name: `from-config ResNet-50 (${who} to_json)`, kmodel: ['bin/run.js', 'from-config', file], keras: ['bench/keras_summary.py', file, '--generation', generation, '--no-summary']})
}
const times = new Map(pairs.map((p) => [p.name, {kmodel: [], keras: []}]))
const load = loadavg()[0]
for (let i = 0; i < runs; i++) {
  for (const p of pairs) {
    times.get(p.name).kmodel.push(run(process.execPath, p.kmodel).ms)
    times.get(p.name).keras.push(run(python, p.keras).ms)
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const version = run(python, ['-c', 'import os; os.environ["TF_CPP_MIN_LOG_LEVEL"]="3"; import keras, tf_keras, tensorflow as tf; print(keras.__version__, tf_keras.__version__, tf.__version__)']).stdout.trim().split(' ')
console.log(`${new Date().toISOString().slice(0, 16)} UTC · ${cpus()[0]?.model ?? '?'} × ${cpus().length} · node ${process.version} · Keras ${version[0]}, tf-keras ${version[1]}, TensorFlow ${version[2]} · ${runs} interleaved runs · load ${load.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after\n`)
console.log('| case | kmodel median (ms) | Python Keras median (ms) | Keras / kmodel | target |')
console.log('|---|---|---|---|---|')
for (const [name, t] of times) {
  const k = median(t.kmodel)
  const p = median(t.keras)
  console.log(`| ${name} | ${k.toFixed(0)} | ${p.toFixed(0)} | ${(p / k).toFixed(1)}× | ≥ 20× |`)
}
