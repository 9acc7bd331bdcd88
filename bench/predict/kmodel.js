// Predict throughput of kmodel: --engine kmodel (default) runs kmodel's predict loop (src/core/compute/run.ts over
// the compute core) on the model as a Keras JSON document; --engine tfjs-layers runs tfjs-layers' predict on the
// same model, the path kmodel used before its own compute core (issue #11). One warm-up pass, then timed passes
// over SPEC[model].samples samples at batch 128; prints one JSON line per model.
//
// Usage: node bench/predict/kmodel.js [--engine kmodel|tfjs-layers] [--models mlp,cnn,lstm] [--passes 3]
// Needs `npm run build` (dist/) and the native addon for cpu + OpenBLAS (else plain cpu, said in `note`).
import {createRequire} from 'node:module'
import {parseArgs} from 'node:util'
import {computeModelOf} from '../compute-model.js'
import {SPEC, kerasDocument, tfjsLayersModel} from './models.js'

const {values: opts} = parseArgs({options: {engine: {type: 'string', default: 'kmodel'}, models: {type: 'string', default: 'mlp,cnn,lstm'}, passes: {type: 'string', default: '3'}}})
const BATCH = 128

const {loadTfjs} = await import('../../dist/core/backend/runtime.js')
const {loadBackend} = await import('../../dist/core/backend/select.js')
const tf = (await loadTfjs()).core
const selection = await loadBackend('auto')

/** One pass function per engine: runs all samples through the model, returns nothing. */
async function kmodelPass(name, data) {
  const {runBatches} = await import('../../dist/core/compute/run.js')
  const compute = await computeModelOf(tf, kerasDocument(name))
  const shape = [SPEC[name].samples, ...SPEC[name].input]
  return {pass: () => runBatches(tf, compute, [{shape, data}], shape[0], BATCH), dispose: () => compute.dispose()}
}

async function tfjsLayersPass(name, data) {
  const tfl = createRequire(import.meta.url)('@tensorflow/tfjs-layers')
  const model = tfjsLayersModel(tfl, name)
  const x = tf.tensor(data, [SPEC[name].samples, ...SPEC[name].input])
  return {
    pass: async () => {
      const y = model.predict(x, {batchSize: BATCH})
      await y.data()
      y.dispose()
    },
    dispose: () => { x.dispose(); model.dispose() },
  }
}

async function run(name) {
  const n = SPEC[name].samples
  const data = Float32Array.from({length: n * SPEC[name].input.reduce((a, b) => a * b, 1)}, (_, i) => ((i * 2654435761) % 1000) / 1000)
  const engine = opts.engine === 'tfjs-layers' ? await tfjsLayersPass(name, data) : await kmodelPass(name, data)
  await engine.pass() // warm-up
  const rates = []
  for (let i = 0; i < Number(opts.passes); i++) {
    const start = performance.now()
    await engine.pass()
    rates.push(n / ((performance.now() - start) / 1000))
  }
  engine.dispose()
  rates.sort((a, b) => a - b)
  return {model: name, engine: opts.engine, backend: selection.name, batch: BATCH, samplesPerSecond: rates[Math.floor(rates.length / 2)], passes: rates}
}

for (const name of opts.models.split(',')) console.log(JSON.stringify(await run(name)))
