// Training speed, kmodel vs PyTorch CPU and Keras fit on tensorflow-cpu, in one run (issues #5, #17): for each
// round, PyTorch (torch_bench.py) and Keras 3 (keras_bench.py, in the oracle venv) with 2 threads and with 1,
// then kmodel on cpu+BLAS (OpenBLAS with 2 threads and with 1; also tfjs-layers' fit on the same kernels, the path
// before kmodel's own compute core), wasm (+fills) and plain cpu, each in its own
// process; prints a Markdown table of the medians over rounds, with each kmodel figure's ratio to the PyTorch
// and the Keras figure of the same round (same thread count where it has one; else 2 threads).
//
// Usage: node bench/train/run.js [rounds=3]. Needs `npm run build`, the addon (`node scripts/build-native.js`),
// Debian's python3-torch + libopenblas0-pthread (so torch uses OpenBLAS) and the oracle venv
// (`bash scripts/oracle-venv.sh`; or KMODEL_ORACLE_PYTHON).
import {spawnSync} from 'node:child_process'
import {cpus, loadavg, totalmem} from 'node:os'

const rounds = Number(process.argv[2] ?? 3)
const PYTHON = '/usr/bin/python3'
const KERAS_PYTHON = process.env.KMODEL_ORACLE_PYTHON ?? spawnSync('bash', ['scripts/oracle-venv.sh'], {encoding: 'utf8'}).stdout.trim()

// Plain cpu is 10-500× slower: it runs in the first round only, on a few batches (samples/s is per sample).
const KMODEL = [
  {backend: 'cpu-blas', args: [], env: {OPENBLAS_NUM_THREADS: '2'}, label: 'cpu-blas/2', torch: 'PyTorch/2'},
  {backend: 'cpu-blas', args: [], env: {OPENBLAS_NUM_THREADS: '1'}, label: 'cpu-blas/1', torch: 'PyTorch/1'},
  // The path kmodel trained on before its own compute core (issue #11): tfjs-layers' fit, same kernels.
  {backend: 'cpu-blas', args: ['--engine', 'tfjs-layers'], env: {OPENBLAS_NUM_THREADS: '2'}, label: 'tfjs-layers/2', torch: 'PyTorch/2'},
  {backend: 'cpu-blas', args: ['--engine', 'tfjs-layers'], env: {OPENBLAS_NUM_THREADS: '1'}, label: 'tfjs-layers/1', torch: 'PyTorch/1'},
  {backend: 'wasm', args: [], cnnArgs: ['--batches', '6']},
  {backend: 'cpu', args: ['--batches', '8', '--epochs', '1'], cnnArgs: ['--batches', '1', '--epochs', '1'], once: true},
]

/** Runs a command and returns its JSON lines; throws with its stderr when it fails. */
function jsonLines(cmd, args, env = {}) {
  const res = spawnSync(cmd, args, {encoding: 'utf8', maxBuffer: 16 << 20, env: {...process.env, ...env}})
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}`)
  return res.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const results = new Map() // "model/backend" -> [samples/s per round]
const ratios = new Map() // "model/backend" -> [ratio to torch per round]
const kerasRatios = new Map() // "model/backend" -> [ratio to Keras fit per round]
const push = (map, key, v) => map.set(key, [...(map.get(key) ?? []), v])
let torchVersion = ''
let kerasVersion = ''
let blasInfo = ''
const loadBefore = loadavg()[0]

for (let round = 0; round < rounds; round++) {
  const torchRate = {}
  for (const threads of [2, 1]) {
    for (const r of jsonLines(PYTHON, ['bench/train/torch_bench.py', '--threads', String(threads)])) {
      torchRate[`${r.model}/PyTorch/${threads}`] = r.samplesPerSecond
      push(results, `${r.model}/PyTorch/${threads}`, r.samplesPerSecond)
      torchVersion = r.torch
    }
    for (const r of jsonLines(KERAS_PYTHON, ['bench/train/keras_bench.py', '--threads', String(threads)])) {
      torchRate[`${r.model}/Keras/${threads}`] = r.samplesPerSecond
      push(results, `${r.model}/Keras/${threads}`, r.samplesPerSecond)
      kerasVersion = `Keras ${r.keras}, TensorFlow ${r.tensorflow}`
    }
  }
  for (const k of KMODEL.filter((c) => round === 0 || c.once !== true)) {
    const label = k.label ?? k.backend
    for (const model of ['mlp', 'cnn']) {
      const extra = model === 'cnn' && k.cnnArgs !== undefined ? k.cnnArgs : k.args
      const [r] = jsonLines(process.execPath, ['bench/train/kmodel.js', '--backend', k.backend, '--models', model, ...extra], k.env)
      push(results, `${model}/${label}`, r.samplesPerSecond)
      push(ratios, `${model}/${label}`, r.samplesPerSecond / torchRate[`${model}/${k.torch ?? 'PyTorch/2'}`])
      push(kerasRatios, `${model}/${label}`, r.samplesPerSecond / torchRate[`${model}/${(k.torch ?? 'PyTorch/2').replace('PyTorch', 'Keras')}`])
      if (k.backend === 'cpu-blas') blasInfo = r.note.replace(/; threads \d+/, '')
    }
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`)
}

const ratioText = (rs) => (rs === undefined ? '' : rs.length === 1 ? `${rs[0].toFixed(2)}× (1 round)` : `${median(rs).toFixed(2)}× (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})`)
const LABEL = {
  'PyTorch/2': 'PyTorch CPU, 2 threads (anchor)',
  'PyTorch/1': 'PyTorch CPU, 1 thread (anchor)',
  'Keras/2': 'Keras fit, tensorflow-cpu, 2 threads (anchor)',
  'Keras/1': 'Keras fit, tensorflow-cpu, 1 thread (anchor)',
  'cpu-blas/2': 'kmodel cpu + OpenBLAS kernels, 2 threads',
  'cpu-blas/1': 'kmodel cpu + OpenBLAS kernels, 1 thread',
  'tfjs-layers/2': 'before #11: tfjs-layers fit, cpu + OpenBLAS, 2 threads',
  'tfjs-layers/1': 'before #11: tfjs-layers fit, cpu + OpenBLAS, 1 thread',
  wasm: 'kmodel wasm (+ fills)',
  cpu: 'kmodel cpu (tfjs kernels)',
}
const NAME = {mlp: 'MLP 784-256-128-10, batch 128', cnn: 'CNN conv32-pool-conv64-pool-128-10, batch 64'}
const fmt = (x) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'))
const cpu = cpus()[0]?.model ?? 'unknown CPU'
console.log(`${new Date().toISOString().slice(0, 10)} · ${cpu} × ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · PyTorch ${torchVersion} (Debian, OpenBLAS) · ${kerasVersion} (oracle venv) · ${rounds} rounds, medians · load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after${process.env.OPENBLAS_CORETYPE ? ` · OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE}` : ''}`)
console.log(`kmodel BLAS: ${blasInfo}`)
console.log('')
console.log('| model | backend | samples/s (median) | ratio to PyTorch of the same round (median; range) | ratio to Keras fit of the same round (median; range) | target |')
console.log('|---|---|---|---|---|---|')
for (const model of ['mlp', 'cnn']) {
  for (const backend of ['PyTorch/2', 'PyTorch/1', 'Keras/2', 'Keras/1', 'cpu-blas/2', 'cpu-blas/1', 'tfjs-layers/2', 'tfjs-layers/1', 'wasm', 'cpu']) {
    const rates = results.get(`${model}/${backend}`) ?? []
    const anchor = backend.startsWith('PyTorch') || backend.startsWith('Keras')
    const target = backend.startsWith('cpu-blas') ? '≥ 1.0× both (DESIGN.md)' : ''
    console.log(`| ${NAME[model]} | ${LABEL[backend]} | ${fmt(median(rates))} | ${anchor ? '' : ratioText(ratios.get(`${model}/${backend}`))} | ${anchor ? '' : ratioText(kerasRatios.get(`${model}/${backend}`))} | ${target} |`)
  }
}
