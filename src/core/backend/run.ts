/** Batched forward passes of a built tfjs model (predict.ts's compute loop). */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {LayersModel} from '@tensorflow/tfjs-layers'
import {loadTfjs} from './runtime.js'

/** One output for all samples. */
export interface RunOutput {
  name: string
  shape: number[]
  data: Float32Array
}

type AnyLayer = LayersModel['layers'][number]

/**
 * Works around a tfjs-layers 4.22 executor bug: it counts a tensor that one layer receives twice
 * (`Attention()([x, x])`, `Add()([x, x])`) as one recipient but releases it once per occurrence, so it disposes
 * the tensor while later layers still need it ("Cannot read properties of undefined (reading 'backend')").
 * The executor never releases outputs of stateful layers, so the producers of such tensors are flagged
 * stateful for the duration of the run; the returned function restores them. The batch's tidy frees the
 * tensors instead. (`_stateful` is protected in tfjs's typings, hence the cast.)
 */
function protectTensorsFedTwice(model: LayersModel): () => void {
  const flagged: Array<{_stateful: boolean}> = []
  const visit = (layers: readonly AnyLayer[]): void => {
    for (const layer of layers) {
      for (const node of layer.inboundNodes) {
        const seen = new Set<unknown>()
        for (const input of node.inputTensors) {
          const source = input.sourceLayer as unknown as {_stateful: boolean}
          if (seen.has(input) && !source._stateful) {
            source._stateful = true
            flagged.push(source)
          }
          seen.add(input)
        }
      }
      const nested = (layer as unknown as {layers?: AnyLayer[]}).layers
      if (Array.isArray(nested)) visit(nested)
    }
  }
  visit(model.layers)
  return () => {
    for (const layer of flagged) layer._stateful = false
  }
}

/**
 * Runs `tfModel` on `inputs` (row-major float32, first axis = samples) `batchSize` samples at a time and
 * gathers every output into one array per output. Tensors are disposed batch by batch.
 */
export async function runBatches(tfModel: LayersModel, inputs: ReadonlyArray<{shape: number[]; data: Float32Array}>, samples: number, batchSize: number): Promise<RunOutput[]> {
  const tf = await loadTfjs()
  const rowSizes = inputs.map((a) => a.shape.slice(1).reduce((x, y) => x * y, 1))
  const restore = protectTensorsFedTwice(tfModel)
  let outputs: RunOutput[] | undefined
  try {
    for (let start = 0; start < samples; start += batchSize) {
      const n = Math.min(batchSize, samples - start)
      const ys = tf.core.tidy(() => {
        const xs = inputs.map((a, i) => {
          const row = rowSizes[i] ?? 1
          return tf.core.tensor(a.data.subarray(start * row, (start + n) * row), [n, ...a.shape.slice(1)], 'float32')
        })
        const y = tfModel.predictOnBatch(xs.length === 1 ? (xs[0] as Tensor) : xs)
        return Array.isArray(y) ? y : [y]
      })
      try {
        outputs ??= ys.map((y, i) => ({name: tfModel.outputs[i]?.sourceLayer.name ?? `output_${i}`, shape: [samples, ...y.shape.slice(1)], data: new Float32Array(samples * (y.size / n))}))
        for (const [i, y] of ys.entries()) outputs[i]?.data.set(await y.data<'float32'>(), start * (y.size / n))
      } finally {
        tf.core.dispose(ys)
      }
    }
  } finally {
    restore()
  }
  return outputs ?? []
}
