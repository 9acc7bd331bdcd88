// Training speed of kmodel: the MLP 784-256-128-10 (batch 128) and the CNN conv32(3x3)-maxpool-
// conv64(3x3)-maxpool-dense128-dense10 on 28x28x1 (batch 64), SGD(0.01), synthetic data, categorical
// cross-entropy. One warm-up epoch, then timed epochs; prints one JSON line per model (torch_bench.py's shape).
// --engine kmodel (default) times kmodel's own train step (src/core/train/step.ts over the compute core,
// src/core/compute) on the model as a Keras JSON document; --engine tfjs-layers times tfjs-layers' fit on the
// same model, the path kmodel used before its own compute core (issue #11), for the before/after comparison.
//
// Usage: node bench/train/kmodel.js --backend cpu|cpu-blas|wasm [--engine kmodel|tfjs-layers] [--models mlp,cnn] [--epochs 3] [--batches N]
// Needs `npm run build` (it loads dist/) and, for cpu-blas, the addon (`node scripts/build-native.js`).
// One backend per process: kernel registrations are process-wide.
import {parseArgs} from 'node:util'
import {computeModelOf} from '../compute-model.js'
import {SPEC, buildModel, kerasDocument, syntheticData} from './models.js'

const {values: opts} = parseArgs({
  options: {
    backend: {type: 'string', default: 'cpu-blas'},
    engine: {type: 'string', default: 'kmodel'},
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

/** tfjs-layers' fit: one epoch per call, its mean loss. */
async function tfjsLayersEpochs(name, x, y, batch) {
  const {createRequire} = await import('node:module')
  const tfl = createRequire(import.meta.url)('@tensorflow/tfjs-layers')
  const model = buildModel(tf, tfl, name)
  return {epoch: async () => (await model.fit(x, y, {batchSize: batch, epochs: 1, shuffle: false, verbose: 0})).history.loss[0], dispose: () => model.dispose()}
}

/** kmodel's own train step (the one `kmodel train` runs) over the compute core: one epoch per call, its mean loss. */
async function kmodelEpochs(name, x, y, batch) {
  const {loadGradients} = await import('../../dist/core/backend/runtime.js')
  const {compileSteps} = await import('../../dist/core/train/step.js')
  const {defaultOptimizer} = await import('../../dist/core/train/optimizer-spec.js')
  const {parseLoss} = await import('../../dist/core/train/compile.js')
  await loadGradients()
  const compute = await computeModelOf(tf, kerasDocument(name))
  const settings = {optimizer: {...defaultOptimizer('sgd'), learningRate: 0.01}, losses: [parseLoss('categorical_crossentropy', 'bench')], lossWeights: [1], metrics: [[]], source: 'flags', warnings: []}
  const steps = compileSteps(tfjs, compute, settings, [], 0, 'keras2')
  const n = x.shape[0]
  return {
    async epoch() {
      let sum = 0
      let count = 0
      for (let start = 0; start < n; start += batch) {
        const size = Math.min(batch, n - start)
        const xs = tf.slice(x, start, size)
        const ys = tf.slice(y, start, size)
        sum += (await steps.train([xs], [ys]))[0]
        count += 1
        tf.dispose([xs, ys])
      }
      return sum / count
    },
    dispose: () => { steps.dispose(); compute.dispose() },
  }
}

async function run(name) {
  const spec = SPEC[name]
  const samples = spec.batch * Number(opts.batches ?? spec.batches)
  const {x, y} = syntheticData(tf, name, samples)
  const engine = opts.engine === 'tfjs-layers' ? await tfjsLayersEpochs(name, x, y, spec.batch) : await kmodelEpochs(name, x, y, spec.batch)
  await engine.epoch() // warm-up: kernel set-up, wasm compilation, first allocations
  const rates = []
  let loss = Number.NaN
  for (let i = 0; i < Number(opts.epochs); i++) {
    const start = performance.now()
    loss = await engine.epoch()
    rates.push(samples / ((performance.now() - start) / 1000))
  }
  rates.sort((a, b) => a - b)
  tf.dispose([x, y])
  engine.dispose()
  return {model: name, backend: opts.backend, engine: opts.engine, batch: spec.batch, samplesPerSecond: rates[Math.floor(rates.length / 2)], epochs: rates, loss, note}
}

for (const name of opts.models.split(',')) console.log(JSON.stringify(await run(name)))
