/**
 * The normalization compute functions (src/core/compute/normalization*.ts) on what the compute oracle does not
 * reach: BatchNormalization's training step (batch statistics, the moving statistics moved by momentum as each
 * generation writes it, tf-keras's fused kernel moving toward the unbiased variance, masks, synchronized, renorm,
 * `trainable=False`, an explicit `training=True`), SpectralNormalization's training step, and the refusals.
 * Expected numbers come from the formulas in plain double-precision JavaScript (NumPy's arithmetic), not from
 * the code under test.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {beforeAll, describe, expect, it} from 'vitest'
import type {Core} from '../../../src/core/backend/runtime.js'
import {NORMALIZATION_COMPUTE} from '../../../src/core/compute/normalization.js'
import {computeCall, cpuCore} from './call.js'
import type {ComputeCall, ComputeOutput, ComputeWeight, InnerOptions} from '../../../src/core/compute/types.js'
import type {JsonObject} from '../../../src/core/json.js'

let tf: Core

beforeAll(async () => {
  tf = await cpuCore()
})

type Matrix = number[][]

interface Options {
  generation?: 'keras2' | 'keras3'
  training?: boolean
  mask?: boolean[][]
  call_kwargs?: JsonObject
  keras_version?: string | null
  inner?: (inputs: Tensor[], options: InnerOptions) => ComputeOutput
  /** Weight shapes other than (n,). */
  shapes?: Record<string, number[]>
}

/** Runs one call; returns the output and every assigned weight's new value, by weight name. */
function run(className: string, config: JsonObject, x: Tensor, weights: Record<string, number[]>, o: Options = {}): {y: number[]; shape: number[]; assigned: Record<string, number[]>} {
  const fn = NORMALIZATION_COMPUTE[className]
  if (fn === undefined) throw new Error(`no compute for ${className}`)
  const assigned: Record<string, number[]> = {}
  const ws: ComputeWeight[] = Object.entries(weights).map(([name, values]) => {
    const shape = o.shapes?.[name] ?? [values.length]
    return {info: {name, shape, dtype: 'float32', trainable: !name.startsWith('moving')}, value: tf.tensor(values, shape, 'float32')}
  })
  const c: ComputeCall = computeCall({
    tf, class_name: className, config, generation: o.generation ?? 'keras3', keras_version: o.keras_version ?? null, inputs: [x],
    masks: [o.mask === undefined ? null : tf.tensor(o.mask.map((r) => r.map(Number)), undefined, 'bool')],
    kwargs: {}, call_kwargs: o.call_kwargs ?? {}, weights: ws, training: o.training ?? false,
    input_shapes: [[null, ...x.shape.slice(1)]], output_shapes: [null],
    inner: (_entry, inputs, options) => {
      if (o.inner === undefined) throw new Error('no inner layer')
      return o.inner(inputs, options)
    },
    assign: (w, v) => { assigned[w.info.name] = Array.from(v.dataSync()) },
    addLoss: () => undefined, state: {get: () => undefined, set: () => undefined}, seed: () => 0,
  })
  const out = fn.call(c).outputs[0] as Tensor
  return {y: Array.from(out.dataSync()), shape: out.shape, assigned}
}

function close(got: number[], want: number[], tol = 1e-5): void {
  expect(got).toHaveLength(want.length)
  got.forEach((v, i) => expect(Math.abs(v - (want[i] ?? 0))).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i] ?? 0))))
}

// A batch of 4 samples × 3 features, and (C,) parameters.
const X: Matrix = [[0.5, -1.2, 2.0], [1.5, 0.3, -0.7], [-0.4, 0.9, 1.1], [2.2, -0.5, 0.4]]
const GAMMA = [1.5, 0.5, -0.8]
const BETA = [0.1, -0.2, 0.3]
const MEAN0 = [0.2, -0.1, 0.5]
const VAR0 = [1.2, 0.7, 0.9]
const PARAMS = {gamma: GAMMA, beta: BETA, moving_mean: MEAN0, moving_variance: VAR0}

const column = (m: Matrix, j: number, rows = m.map((_, i) => i)): number[] => rows.map((i) => m[i]?.[j] ?? 0)
const avg = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length
const biasedVar = (v: number[]): number => avg(v.map((a) => (a - avg(v)) ** 2))

/** (x − mean) / sqrt(var + ε) · γ + β per feature, row-major. */
function normalized(m: Matrix, mean: number[], variance: number[], eps: number): number[] {
  return m.flatMap((row) => row.map((v, j) => ((v - (mean[j] ?? 0)) / Math.sqrt((variance[j] ?? 0) + eps)) * (GAMMA[j] ?? 0) + (BETA[j] ?? 0)))
}

describe('BatchNormalization inference uses the moving statistics', () => {
  it('computes (x − moving_mean) / sqrt(moving_variance + ε) · γ + β and assigns nothing', () => {
    const r = run('BatchNormalization', {epsilon: 0.001}, tf.tensor(X), PARAMS)
    close(r.y, normalized(X, MEAN0, VAR0, 0.001))
    expect(r.assigned).toEqual({})
  })
})

describe('BatchNormalization training uses the batch statistics and moves the moving ones', () => {
  const mean = [0, 1, 2].map((j) => avg(column(X, j)))
  const variance = [0, 1, 2].map((j) => biasedVar(column(X, j)))

  it('Keras 3: biased batch variance; moving · momentum + batch · (1 − momentum)', () => {
    const r = run('BatchNormalization', {momentum: 0.9, epsilon: 0.001}, tf.tensor(X), PARAMS, {training: true})
    close(r.y, normalized(X, mean, variance, 0.001))
    close(r.assigned.moving_mean ?? [], MEAN0.map((m, j) => m * 0.9 + (mean[j] ?? 0) * 0.1))
    close(r.assigned.moving_variance ?? [], VAR0.map((v, j) => v * 0.9 + (variance[j] ?? 0) * 0.1))
  })

  it('tf-keras (not fused, rank 2): moving − (moving − batch) · (1 − momentum), the same numbers', () => {
    const r = run('BatchNormalization', {momentum: 0.8}, tf.tensor(X), PARAMS, {training: true, generation: 'keras2'})
    close(r.y, normalized(X, mean, variance, 0.001))
    close(r.assigned.moving_mean ?? [], MEAN0.map((m, j) => m - (m - (mean[j] ?? 0)) * 0.2))
    close(r.assigned.moving_variance ?? [], VAR0.map((v, j) => v - (v - (variance[j] ?? 0)) * 0.2))
  })

  it('tf-keras fused (rank 4, axis -1): the moving variance moves toward the unbiased batch variance', () => {
    // The same 12 numbers as a (2, 2, 1, 3) image batch: 4 values per channel.
    const x4 = tf.tensor(X.flat(), [2, 2, 1, 3])
    const r = run('BatchNormalization', {momentum: 0.9}, x4, PARAMS, {training: true, generation: 'keras2'})
    close(r.y, normalized(X, mean, variance, 0.001))
    close(r.assigned.moving_mean ?? [], MEAN0.map((m, j) => 0.1 * (mean[j] ?? 0) + 0.9 * m))
    close(r.assigned.moving_variance ?? [], VAR0.map((v, j) => 0.1 * (variance[j] ?? 0) * (4 / 3) + 0.9 * v))
    // Keras 3 on the same input: the biased variance.
    const k3 = run('BatchNormalization', {momentum: 0.9}, x4, PARAMS, {training: true})
    close(k3.assigned.moving_variance ?? [], VAR0.map((v, j) => v * 0.9 + (variance[j] ?? 0) * 0.1))
  })

  it('a mask leaves the masked samples out of the statistics (both generations)', () => {
    // Rank 3: 2 samples × 2 steps × 3 features; step 1 of sample 0 is masked out.
    const x3 = tf.tensor(X.flat(), [2, 2, 3])
    const kept = [0, 2, 3]
    const mean2 = [0, 1, 2].map((j) => avg(column(X, j, kept)))
    const var2 = [0, 1, 2].map((j) => biasedVar(column(X, j, kept)))
    for (const generation of ['keras2', 'keras3'] as const) {
      const r = run('BatchNormalization', {momentum: 0.5}, x3, PARAMS, {training: true, generation, mask: [[true, false], [true, true]]})
      close(r.y, normalized(X, mean2, var2, 0.001), 1e-4)
      close(r.assigned.moving_mean ?? [], MEAN0.map((m, j) => 0.5 * m + 0.5 * (mean2[j] ?? 0)), 1e-5)
      close(r.assigned.moving_variance ?? [], VAR0.map((v, j) => 0.5 * v + 0.5 * (var2[j] ?? 0)), 1e-5)
    }
  })

  it('synchronized / SyncBatchNormalization: the variance as E[x²] − E[x]²', () => {
    const e2 = [0, 1, 2].map((j) => avg(column(X, j).map((v) => v * v)))
    const syncVar = e2.map((s, j) => Math.max(s - (mean[j] ?? 0) ** 2, 0))
    const k3 = run('BatchNormalization', {synchronized: true, momentum: 0.9}, tf.tensor(X), PARAMS, {training: true})
    close(k3.assigned.moving_variance ?? [], VAR0.map((v, j) => v * 0.9 + (syncVar[j] ?? 0) * 0.1))
    const k2 = run('SyncBatchNormalization', {momentum: 0.9}, tf.tensor(X), PARAMS, {training: true, generation: 'keras2'})
    close(k2.y, normalized(X, mean, syncVar, 0.001))
  })

  it('trainable=False keeps the moving statistics (tf-keras BatchNormalizationV1 does not)', () => {
    const frozen = run('BatchNormalization', {trainable: false}, tf.tensor(X), PARAMS, {training: true})
    close(frozen.y, normalized(X, MEAN0, VAR0, 0.001))
    expect(frozen.assigned).toEqual({})
    const v1 = run('BatchNormalizationV1', {trainable: false}, tf.tensor(X), PARAMS, {training: true, generation: 'keras2'})
    close(v1.y, normalized(X, mean, variance, 0.001))
  })

  it('training=True saved with the call wins over inference in tf-keras; Keras 3 follows the mode of the model', () => {
    const r = run('BatchNormalization', {}, tf.tensor(X), PARAMS, {call_kwargs: {training: true}, generation: 'keras2'})
    close(r.y, normalized(X, mean, variance, 0.001))
    expect(Object.keys(r.assigned).sort()).toEqual(['moving_mean', 'moving_variance'])
    const k3 = run('BatchNormalization', {}, tf.tensor(X), PARAMS, {call_kwargs: {training: true}})
    close(k3.y, normalized(X, MEAN0, VAR0, 0.001))
    expect(k3.assigned).toEqual({})
  })

  it('renorm (Keras 3): r, d from the renorm statistics before the step; moving_variance from moving_stddev', () => {
    const renorm = {...PARAMS, moving_stddev: [1.1, 0.8, 0.95], renorm_mean: [0.3, 0.0, 0.4], renorm_stddev: [1.0, 0.9, 0.6]}
    const eps = 0.001
    const cfg = {renorm: true, momentum: 0.9, renorm_momentum: 0.8, renorm_clipping: {rmax: 1.2, rmin: 0.9, dmax: 0.5}}
    const r = run('BatchNormalization', cfg, tf.tensor(X), renorm, {training: true})
    const sd = variance.map((v) => Math.sqrt(v + eps))
    const rr = sd.map((s, j) => Math.min(Math.max(s / Math.max(renorm.renorm_stddev[j] ?? 0, Math.sqrt(eps)), 0.9), 1.2))
    const dd = mean.map((m, j) => Math.min(Math.max((m - (renorm.renorm_mean[j] ?? 0)) / Math.max(renorm.renorm_stddev[j] ?? 0, Math.sqrt(eps)), -0.5), 0.5))
    const want = X.flatMap((row) => row.map((v, j) => (((v - (mean[j] ?? 0)) / (sd[j] ?? 1)) * (rr[j] ?? 0) + (dd[j] ?? 0)) * (GAMMA[j] ?? 0) + (BETA[j] ?? 0)))
    close(r.y, want, 1e-4)
    close(r.assigned.renorm_mean ?? [], renorm.renorm_mean.map((m, j) => m * 0.8 + (mean[j] ?? 0) * 0.2))
    close(r.assigned.renorm_stddev ?? [], renorm.renorm_stddev.map((s, j) => s * 0.8 + (sd[j] ?? 0) * 0.2))
    const ms = renorm.moving_stddev.map((s, j) => s * 0.9 + (sd[j] ?? 0) * 0.1)
    close(r.assigned.moving_stddev ?? [], ms)
    close(r.assigned.moving_variance ?? [], ms.map((s) => Math.max(s * s - eps, 0)))
    // tf-keras 2.21 printed these for the same step (Keras 3.15 agrees to 1e-7).
    const k2 = run('BatchNormalization', cfg, tf.tensor(X), renorm, {training: true, generation: 'keras2'})
    close(k2.y, [0.174999952, -0.877526283, -1.36325109, 1.67499995, -0.0290400088, 1.26042426, -1.17500007, 0.310354471, -0.488692641, 2.72500014, -0.481566012, 0.191519469])
    close(k2.assigned.moving_variance ?? [], [1.18419385, 0.638285756, 0.908720493])
    close(k2.assigned.renorm_stddev ?? [], [0.997332215, 0.879106879, 0.677585423])
  })
})

describe('BatchNormalization refusals', () => {
  const refusal = (config: JsonObject, o: Options = {}): string => {
    try {
      run('BatchNormalization', config, tf.tensor(X), PARAMS, o)
    } catch (error) {
      return `${(error as {code?: string}).code ?? ''}: ${(error as Error).message}`
    }
    return 'no error'
  }

  it('refuses virtual_batch_size, Keras 1 mode 1 / 2, and training a Keras ≤ 2.2 file', () => {
    expect(refusal({virtual_batch_size: 2}, {generation: 'keras2'})).toMatch(/^KM_BACKEND_UNSUPPORTED_ARGUMENT: .*'virtual_batch_size' = 2/)
    expect(refusal({mode: 1}, {generation: 'keras2', keras_version: '1.2.2'})).toMatch(/'mode' = 1 \(Keras 1 sample-wise/)
    expect(refusal({}, {generation: 'keras2', keras_version: '2.1.6', training: true})).toMatch(/training is not computed by kmodel for a Keras 2\.1\.6 file/)
    expect(refusal({}, {generation: 'keras2', keras_version: '2.1.6'})).toBe('no error')
  })
})

describe('SpectralNormalization', () => {
  const W: Matrix = [[0.6, -0.2], [0.1, 0.8], [-0.5, 0.3]]
  const U0 = [0.7, -0.4]
  const dense = (inputs: Tensor[], options: InnerOptions): ComputeOutput => {
    const kernel = options.weights.find((w) => w.info.name === 'kernel')?.value as Tensor
    return {outputs: [tf.matMul(inputs[0] as Tensor, kernel)]}
  }
  const weights = {kernel: W.flat(), vector_u: U0}
  const shapes = {kernel: [3, 2], vector_u: [1, 2]}
  const x = (): Tensor => tf.tensor([[1, 2, 3]], [1, 3])

  it('inference runs the wrapped layer with its stored kernel', () => {
    const r = run('SpectralNormalization', {layer: {class_name: 'Dense', config: {}}}, x(), weights, {inner: dense, shapes})
    close(r.y, [0.6 + 0.2 - 1.5, -0.2 + 1.6 + 0.9])
    expect(r.assigned).toEqual({})
  })

  it('training: one power step, kernel / σ assigned and used, u assigned', () => {
    const l2 = (v: number[]): number[] => v.map((a) => a / Math.sqrt(v.reduce((s, b) => s + b * b, 0)))
    const v = l2(W.map((row) => row[0]! * U0[0]! + row[1]! * U0[1]!))
    const u = l2([0, 1].map((j) => W.reduce((s, row, i) => s + v[i]! * row[j]!, 0)))
    const sigma = [0, 1].reduce((s, j) => s + u[j]! * W.reduce((t, row, i) => t + v[i]! * row[j]!, 0), 0)
    const kernel = W.flat().map((a) => a / sigma)
    for (const generation of ['keras2', 'keras3'] as const) {
      const r = run('SpectralNormalization', {layer: {class_name: 'Dense', config: {}}}, x(), weights, {inner: dense, shapes, training: true, generation})
      close(r.assigned.vector_u ?? [], u)
      close(r.assigned.kernel ?? [], kernel)
      close(r.y, [0, 1].map((j) => [1, 2, 3].reduce((s, a, i) => s + a * kernel[i * 2 + j]!, 0)))
    }
  })
})
