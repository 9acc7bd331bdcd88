// Training speed of kmodel's tfjs path: the MLP 784-256-128-10 (batch 128) and the CNN conv32(3x3)-maxpool-
// conv64(3x3)-maxpool-dense128-dense10 on 28x28x1 (batch 64), SGD(0.01), synthetic data, categorical
// cross-entropy. One warm-up epoch, then timed epochs; prints one JSON line per model (torch_bench.py's shape).
//
// Usage: node bench/train/kmodel.js --backend cpu|cpu-blas|wasm [--models mlp,cnn] [--epochs 3] [--batches N]
// Needs `npm run build` (it loads dist/) and, for cpu-blas, the addon (`node scripts/build-native.js`).
// One backend per process: kernel registrations are process-wide.
import {parseArgs} from 'node:util'
import {SPEC, buildModel, syntheticData} from './models.js'

const {values: opts} = parseArgs({
  options: {
    backend: {type: 'string', default: 'cpu-blas'},
    models: {type: 'string', default: 'mlp,cnn'},
    epochs: {type: 'string', default: '3'},
    batches: {type: 'string'},
  },
})

const {loadTfjs} = await import('../../dist/core/backend/runtime.js')
const {loadBackend} = await import('../../dist/core/backend/select.js')
const {enableBlasKernels} = await import('../../dist/core/backend/blas.js')
const {fillWasmKernels} = await import('../../dist/core/backend/wasm-fill.js')
const {configureBlas} = await import('../../dist/core/backend/blas/options.js')

const tfjs = await loadTfjs()
const tf = tfjs.core
const tfl = tfjs.layers
let note = ''
if (opts.backend === 'cpu-blas') {
  const status = enableBlasKernels(tf)
  if (!status.enabled) throw new Error(`cpu-blas requested but unavailable: ${status.reason}`)
  note = status.reason
}
// Selecting cpu registers the OpenBLAS kernels unless they are disabled: the plain-cpu row keeps tfjs' own.
if (opts.backend === 'cpu') configureBlas({disabled: true})
await loadBackend(opts.backend === 'wasm' ? 'wasm' : 'cpu')
if (opts.backend === 'wasm') note = `filled: ${fillWasmKernels(tf).filled.join(', ')}`

async function run(name) {
  const spec = SPEC[name]
  const samples = spec.batch * Number(opts.batches ?? spec.batches)
  const model = buildModel(tf, tfl, name)
  const {x, y} = syntheticData(tf, name, samples)
  const epoch = () => model.fit(x, y, {batchSize: spec.batch, epochs: 1, shuffle: false, verbose: 0})
  await epoch() // warm-up: kernel set-up, wasm compilation, first allocations
  const rates = []
  let loss = Number.NaN
  for (let i = 0; i < Number(opts.epochs); i++) {
    const start = performance.now()
    const history = await epoch()
    rates.push(samples / ((performance.now() - start) / 1000))
    loss = history.history.loss[0]
  }
  rates.sort((a, b) => a - b)
  tf.dispose([x, y])
  model.dispose()
  return {model: name, backend: opts.backend, batch: spec.batch, samplesPerSecond: rates[Math.floor(rates.length / 2)], epochs: rates, loss, note}
}

for (const name of opts.models.split(',')) console.log(JSON.stringify(await run(name)))
