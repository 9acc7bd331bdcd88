// Per-kernel wall time of CNN (or MLP) training steps on cpu + BLAS: wraps every registered cpu kernel with a
// timer, runs one warm-up epoch and one timed epoch of tfjs-layers fit, prints ms per step by kernel and shape.
//
// Usage: node bench/train/profile.js [--model cnn|mlp] [--batches 24]. Needs `npm run build` and the addon.
import {parseArgs} from 'node:util'
import {SPEC, buildModel, syntheticData} from './models.js'

const {values: opts} = parseArgs({options: {model: {type: 'string', default: 'cnn'}, batches: {type: 'string', default: '24'}}})
const {loadTfjs} = await import('../../dist/core/backend/runtime.js')
const {loadBackend} = await import('../../dist/core/backend/select.js')
const {enableBlasKernels} = await import('../../dist/core/backend/blas.js')
const tfjs = await loadTfjs()
const tf = tfjs.core
const tfl = tfjs.layers
const status = enableBlasKernels(tf)
if (!status.enabled) throw new Error(status.reason)
await loadBackend('cpu')

const times = new Map()
let timing = false
for (const config of tf.getKernelsForBackend('cpu')) {
  const inner = config.kernelFunc
  tf.unregisterKernel(config.kernelName, 'cpu')
  tf.registerKernel({...config, kernelFunc: (args) => {
    if (!timing) return inner(args)
    const start = performance.now()
    const out = inner(args)
    const first = Object.values(args.inputs)[0]
    const key = `${config.kernelName} ${first === undefined ? '' : JSON.stringify(first.shape)}`
    const t = times.get(key) ?? {ms: 0, calls: 0}
    t.ms += performance.now() - start
    t.calls++
    times.set(key, t)
    return out
  }})
}

if (!(opts.model in SPEC)) throw new Error(`--model must be ${Object.keys(SPEC).join(' or ')}, not '${opts.model}'`)
const batch = SPEC[opts.model].batch
const steps = Number(opts.batches)
const model = buildModel(tf, tfl, opts.model)
const {x, y} = syntheticData(tf, opts.model, batch * steps)
await model.fit(x, y, {batchSize: batch, epochs: 1, shuffle: false, verbose: 0})
timing = true
const start = performance.now()
await model.fit(x, y, {batchSize: batch, epochs: 1, shuffle: false, verbose: 0})
const wall = (performance.now() - start) / steps
let kernels = 0
const rows = [...times].sort((a, b) => b[1].ms - a[1].ms)
for (const [, t] of rows) kernels += t.ms
console.log(`${opts.model}: ${wall.toFixed(2)} ms/step wall, ${(kernels / steps).toFixed(2)} ms/step in kernels, ${(batch / wall * 1000).toFixed(0)} samples/s`)
for (const [key, t] of rows.slice(0, 30)) console.log(`${(t.ms / steps).toFixed(3).padStart(8)} ms  ${String(t.calls / steps).padStart(4)}×  ${key}`)
