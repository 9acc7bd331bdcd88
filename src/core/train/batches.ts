/**
 * Epochs as Keras runs them over in-memory arrays: the validation split taken from the END of the data before
 * any shuffling (`validation_split`), the training samples reshuffled every epoch (seeded here: epoch k's order
 * depends only on the seed and k, so a resumed run shuffles as the uninterrupted one would), batches of
 * `batch_size` with a smaller last batch, and epoch values that are sample-weighted means of the batch values
 * (Keras's Mean metrics with the batch size as weight).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {InputError} from '../errors.js'
import type {Core} from '../backend/runtime.js'
import {makeRng} from '../weights/init.js'
import type {Logs} from './callbacks.js'
import type {Dataset, Float32Array2} from './data.js'

/** Training and validation data. */
export interface Split {
  train: Dataset
  validation: Dataset | null
}

const rowSize = (a: Float32Array2): number => a.shape.slice(1).reduce((x, y) => x * y, 1)
const slice = (a: Float32Array2, from: number, to: number): Float32Array2 => ({...a, shape: [to - from, ...a.shape.slice(1)], data: a.data.subarray(from * rowSize(a), to * rowSize(a))})
const sliceSet = (d: Dataset, from: number, to: number): Dataset => ({x: d.x.map((a) => slice(a, from, to)), y: d.y.map((a) => slice(a, from, to)), samples: to - from})

/** Keras's validation_split: the last `fraction` of the samples, before shuffling. */
export function splitValidation(data: Dataset, fraction: number): Split {
  if (fraction <= 0) return {train: data, validation: null}
  const at = Math.floor(data.samples * (1 - fraction))
  if (at <= 0 || at >= data.samples) {
    throw new InputError('KM_INPUT_SPLIT', `The training data has ${data.samples} samples, too few to split with --validation-split ${fraction}.`, {hint: 'Give more samples or a different fraction, or pass --validation-x/--validation-y.'})
  }
  return {train: sliceSet(data, 0, at), validation: sliceSet(data, at, data.samples)}
}

/** The sample order of epoch `epoch` (0-based): a seeded Fisher–Yates shuffle. */
export function shuffledOrder(samples: number, seed: number, epoch: number): Uint32Array {
  const rng = makeRng(seed).fork(`shuffle/${epoch}`)
  const order = Uint32Array.from({length: samples}, (_, i) => i)
  for (let i = samples - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1))
    const t = order[i] as number
    order[i] = order[j] as number
    order[j] = t
  }
  return order
}

/** Tensors of one batch: rows `from`..`to` of the data, or of `order` when shuffled. */
function batchTensors(tf: Core, arrays: readonly Float32Array2[], from: number, to: number, order: Uint32Array | null): Tensor[] {
  return arrays.map((a) => {
    const row = rowSize(a)
    const shape = [to - from, ...a.shape.slice(1)]
    if (order === null) return tf.tensor(a.data.subarray(from * row, to * row), shape, 'float32')
    const buffer = new Float32Array((to - from) * row)
    for (let j = from; j < to; j++) {
      const i = order[j] as number
      buffer.set(a.data.subarray(i * row, (i + 1) * row), (j - from) * row)
    }
    return tf.tensor(buffer, shape, 'float32')
  })
}

/** Sample-weighted running means of step values. */
class Means {
  private readonly sums: number[]
  private count = 0
  constructor(private readonly names: readonly string[]) {
    this.sums = names.map(() => 0)
  }

  add(values: readonly number[], n: number): void {
    values.forEach((v, i) => {
      this.sums[i] = (this.sums[i] ?? 0) + v * n
    })
    this.count += n
  }

  logs(prefix = ''): Logs {
    return Object.fromEntries(this.names.map((name, i) => [`${prefix}${name}`, (this.sums[i] ?? 0) / Math.max(this.count, 1)]))
  }
}

/** A step function (train or test) over one batch. */
export type StepFn = (xs: Tensor[], ys: Tensor[]) => Promise<number[]>

/** Options of runEpoch. */
export interface EpochOptions {
  batchSize: number
  order: Uint32Array | null
  names: readonly string[]
  onBatch?: (step: number, steps: number, logs: Logs) => void
  /** Checked after every batch: when aborted, the epoch ends after the batch in progress. */
  signal?: AbortSignal
  /** Stop at the first non-finite loss (training); evaluation runs on and reports it. Default true. */
  stopOnNaN?: boolean
}

/** How an epoch ended. */
export interface EpochOutcome {
  logs: Logs
  /** 'nan': a batch loss was not finite (at `badStep`, 1-based); 'interrupted': the signal fired. */
  stop: 'nan' | 'interrupted' | null
  badStep: number
  samplesSeen: number
}

/** Runs `step` over `data` batch by batch; stops early on a non-finite loss or an abort. */
export async function runEpoch(tf: Core, step: StepFn, data: Dataset, options: EpochOptions): Promise<EpochOutcome> {
  const steps = Math.ceil(data.samples / options.batchSize)
  const means = new Means(options.names)
  let seen = 0
  for (let s = 0; s < steps; s++) {
    const from = s * options.batchSize
    const to = Math.min(from + options.batchSize, data.samples)
    const xs = batchTensors(tf, data.x, from, to, options.order)
    const ys = batchTensors(tf, data.y, from, to, options.order)
    let values: number[]
    try {
      values = await step(xs, ys)
    } finally {
      tf.dispose([...xs, ...ys])
    }
    seen += to - from
    if (options.stopOnNaN !== false && !Number.isFinite(values[0])) return {logs: means.logs(), stop: 'nan', badStep: s + 1, samplesSeen: seen}
    means.add(values, to - from)
    options.onBatch?.(s + 1, steps, means.logs())
    await new Promise((resolve) => setImmediate(resolve)) // lets a pending Ctrl-C handler run
    if (options.signal?.aborted === true && s + 1 < steps) return {logs: means.logs(), stop: 'interrupted', badStep: 0, samplesSeen: seen}
  }
  return {logs: means.logs(), stop: null, badStep: 0, samplesSeen: seen}
}
