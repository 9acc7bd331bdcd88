/** Batched forward passes of a built model (predict.ts's compute loop): inference mode, tensors freed per batch. */
import type {Core} from '../backend/runtime.js'
import type {ComputeModel} from './model.js'

/** One output for all samples. */
export interface RunOutput {
  name: string
  shape: number[]
  data: Float32Array
}

/**
 * Runs `model` on `inputs` (row-major, first axis = samples; Int32Array data for the model's integer inputs)
 * `batchSize` samples at a time and gathers every output into one float32 array per output.
 */
export async function runBatches(tf: Core, model: ComputeModel, inputs: ReadonlyArray<{shape: number[]; data: Float32Array | Int32Array}>, samples: number, batchSize: number): Promise<RunOutput[]> {
  const rowSizes = inputs.map((a) => a.shape.slice(1).reduce((x, y) => x * y, 1))
  // Keras's predict concatenates each batch's outputs along the first axis as computed (a time-major output's
  // first axis is not the sample axis), so outputs are gathered per batch and joined at the end.
  const parts: Array<Array<{shape: number[]; data: Float32Array}>> = []
  for (let start = 0; start < samples; start += batchSize) {
    const n = Math.min(batchSize, samples - start)
    const ys = tf.tidy(() => {
      const xs = inputs.map((a, i) => {
        const row = rowSizes[i] ?? 1
        return tf.tensor(a.data.subarray(start * row, (start + n) * row), [n, ...a.shape.slice(1)], a.data instanceof Int32Array ? 'int32' : 'float32')
      })
      return model.apply(xs, {training: false}).outputs.map((y) => (y.dtype === 'float32' ? y : tf.cast(y, 'float32')))
    })
    try {
      for (const [i, y] of ys.entries()) (parts[i] ??= []).push({shape: y.shape, data: await y.data<'float32'>()})
    } finally {
      tf.dispose(ys)
    }
  }
  return parts.map((list, i) => joinBatches(model.outputs[i]?.name ?? `output_${i}`, list))
}

/** One output's batches joined along the first axis (a rank-0 output per batch is stacked). */
function joinBatches(name: string, list: ReadonlyArray<{shape: number[]; data: Float32Array}>): RunOutput {
  const rest = list[0]?.shape.slice(1) ?? []
  const first = list.reduce((sum, p) => sum + (p.shape[0] ?? 1), 0)
  const data = new Float32Array(list.reduce((sum, p) => sum + p.data.length, 0))
  let offset = 0
  for (const p of list) {
    data.set(p.data, offset)
    offset += p.data.length
  }
  return {name, shape: list[0]?.shape.length === 0 ? [list.length] : [first, ...rest], data}
}
