/**
 * Loading a tfjs model folder in tfjs-layers 4.22 itself, the independent reader of kmodel's tfjs output.
 * There is no tfjs-node here (its install downloads libtensorflow), so the IOHandler reads model.json and
 * concatenates the shard files of each manifest group from disk itself, as tfjs's file:// handler does.
 * tfjs-layers is imported by tests only: kmodel's src/ never loads it for computing.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import type * as TfCore from '@tensorflow/tfjs-core'
import type * as TfLayers from '@tensorflow/tfjs-layers'
import {installChainedOps} from '../../src/core/backend/chained-ops.js'

const require = createRequire(import.meta.url)

/** tfjs-core with the cpu backend, and tfjs-layers, loaded once. */
export function tfjs(): {core: typeof TfCore; layers: typeof TfLayers} {
  const core = require('@tensorflow/tfjs-core') as typeof TfCore
  core.env().set('PROD', true)
  installChainedOps(core) // tfjs-core's Node bundle has no chained tensor methods; tfjs-layers calls them
  require('@tensorflow/tfjs-backend-cpu')
  const layers = require('@tensorflow/tfjs-layers') as typeof TfLayers
  return {core, layers}
}

interface ManifestGroup {
  paths: string[]
  weights: TfCore.io.WeightsManifestEntry[]
}

/** model.json + shards of `dir` as tfjs ModelArtifacts (each group's shards concatenated, groups in order). */
export function readArtifacts(dir: string): TfCore.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {modelTopology: object; weightsManifest: ManifestGroup[]; format: string; generatedBy: string; convertedBy: string}
  const parts = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))))
  const total = parts.reduce((n, p) => n + p.length, 0)
  const data = new Uint8Array(total)
  let offset = 0
  for (const p of parts) {
    data.set(p, offset)
    offset += p.length
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: data.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
  }
}

/** `tf.loadLayersModel` of the folder, strict (every weight must find its variable and every variable a weight). */
export async function loadFolder(dir: string): Promise<TfLayers.LayersModel> {
  const {layers} = tfjs()
  return layers.loadLayersModel({load: async () => readArtifacts(dir)}, {strict: true})
}

/** tfjs predict on float32 inputs; every output as a flat Float32Array. */
export function tfjsPredict(model: TfLayers.LayersModel, inputs: Array<{shape: number[]; data: Float32Array | Int32Array}>): Float32Array[] {
  const {core} = tfjs()
  return core.tidy(() => {
    const xs = inputs.map((x) => core.tensor(x.data, x.shape, x.data instanceof Int32Array ? 'int32' : 'float32'))
    const out = model.predict(xs.length === 1 ? (xs[0] as TfCore.Tensor) : xs)
    return (Array.isArray(out) ? out : [out]).map((t) => Float32Array.from(t.dataSync()))
  })
}
