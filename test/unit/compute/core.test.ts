/**
 * The core and activation compute functions (src/core/compute/core*.ts, activation*.ts, activations.ts) on what
 * the compute oracle does not reach: the regularization layers in training (Dropout keeps E[x] and zeroes about
 * `rate` of the units, noise_shape and SpatialDropout drop whole rows / channels, GaussianDropout and AlphaDropout
 * keep the moments Keras designs them to keep, an explicit `training=True` call argument), ActivityRegularization's
 * loss per Keras version, Softmax masks per Keras version, Embedding's out-of-range ids per version, the einsum of
 * EinsumDense against a loop, and activations against hand-computed values (Keras's docstring examples, NumPy).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {beforeAll, describe, expect, it} from 'vitest'
import type {Core} from '../../../src/core/backend/runtime.js'
import {ACTIVATION_COMPUTE} from '../../../src/core/compute/activation.js'
import {activationFn} from '../../../src/core/compute/activations.js'
import {CORE_COMPUTE} from '../../../src/core/compute/core.js'
import {einsum2} from '../../../src/core/compute/core-einsum.js'
import {computeCall, cpuCore} from './call.js'
import type {ComputeCall, ComputeWeight} from '../../../src/core/compute/types.js'
import type {Json, JsonObject} from '../../../src/core/json.js'

let tf: Core

beforeAll(async () => {
  tf = await cpuCore()
})

interface Options {
  generation?: 'keras2' | 'keras3'
  keras_version?: string | null
  training?: boolean
  call_kwargs?: JsonObject
  kwargs?: Record<string, Tensor>
  masks?: Array<Tensor | null>
  weights?: Record<string, Tensor>
}

/** Runs one call of `className`; returns its outputs, masks and the losses it added. */
function run(className: string, config: JsonObject, x: Tensor, o: Options = {}): {y: Tensor; mask: Tensor | null; losses: Tensor[]} {
  const fn = CORE_COMPUTE[className] ?? ACTIVATION_COMPUTE[className]
  if (fn === undefined) throw new Error(`no compute for ${className}`)
  const losses: Tensor[] = []
  let seed = 1
  const weights: ComputeWeight[] = Object.entries(o.weights ?? {}).map(([name, value]) => ({info: {name, shape: value.shape, dtype: 'float32', trainable: true}, value}))
  const c: ComputeCall = computeCall({
    tf, class_name: className, config, generation: o.generation ?? 'keras3', keras_version: o.keras_version ?? null, inputs: [x],
    masks: o.masks ?? [null], kwargs: o.kwargs ?? {}, call_kwargs: o.call_kwargs ?? {}, weights, training: o.training ?? false,
    input_shapes: [[null, ...x.shape.slice(1)]], output_shapes: [null],
    inner: () => { throw new Error('no inner layer') },
    assign: () => { throw new Error('no assign') },
    addLoss: (l) => { losses.push(l) },
    state: {get: () => undefined, set: () => undefined},
    seed: () => seed++,
  })
  const out = fn.call(c)
  const y = out.outputs[0]
  if (y === undefined) throw new Error('no output')
  const mask = out.masks?.[0] ?? (fn.passMask === true ? c.masks[0] ?? null : null)
  return {y, mask, losses}
}

const values = (t: Tensor): number[] => Array.from(t.dataSync())
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const variance = (xs: number[]): number => {
  const m = mean(xs)
  return mean(xs.map((v) => (v - m) ** 2))
}
const act = (name: Json, xs: number[], generation: 'keras2' | 'keras3' = 'keras3'): number[] => values(activationFn(tf, generation, name)(tf.tensor2d([xs])))
const close = (got: number[], want: number[], tol = 1e-6): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => expect(Math.abs(g - (want[i] ?? NaN)), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i] ?? 0))))
}

describe('Dropout family in training', () => {
  const ones = (): Tensor => tf.ones([200, 500])

  it('Dropout zeroes about `rate` of the units and scales the rest by 1 / (1 − rate), keeping E[x]', () => {
    const y = values(run('Dropout', {rate: 0.3}, ones(), {training: true}).y)
    const zeros = y.filter((v) => v === 0).length / y.length
    expect(zeros).toBeGreaterThan(0.29)
    expect(zeros).toBeLessThan(0.31)
    expect(new Set(y.filter((v) => v !== 0).map((v) => v.toFixed(5)))).toEqual(new Set([(1 / 0.7).toFixed(5)]))
    expect(Math.abs(mean(y) - 1)).toBeLessThan(0.01)
  })

  it('is the identity at inference, and active when the saved call says training=True', () => {
    expect(values(run('Dropout', {rate: 0.5}, ones()).y).every((v) => v === 1)).toBe(true)
    expect(values(run('Dropout', {rate: 0.5}, ones(), {call_kwargs: {training: true}}).y).some((v) => v === 0)).toBe(true)
    expect(values(run('Dropout', {rate: 0.5}, ones(), {training: true, call_kwargs: {training: false}}).y).every((v) => v === 1)).toBe(true)
  })

  it('noise_shape [1, n] drops whole columns, the same for every sample', () => {
    const y = run('Dropout', {rate: 0.5, noise_shape: [1, 500]}, ones(), {training: true}).y.arraySync() as number[][]
    const first = y[0] ?? []
    expect(first.some((v) => v === 0) && first.some((v) => v !== 0)).toBe(true)
    for (const row of y) expect(row).toEqual(first)
  })

  it('rate 1: Keras 3 gives zeros, tf-keras raises, standalone Keras 2 passes the input', () => {
    expect(values(run('Dropout', {rate: 1}, tf.ones([2, 3]), {training: true}).y)).toEqual([0, 0, 0, 0, 0, 0])
    expect(() => run('Dropout', {rate: 1}, tf.ones([2, 3]), {training: true, generation: 'keras2', keras_version: '2.15.0'})).toThrow(/rate/)
    expect(values(run('Dropout', {rate: 1}, tf.ones([2, 3]), {training: true, generation: 'keras2', keras_version: '2.2.4'}).y)).toEqual([1, 1, 1, 1, 1, 1])
  })

  const spatial = (className: string, shape: number[], config: JsonObject, channelAxis: number): void => {
    const y = run(className, {rate: 0.5, ...config}, tf.ones(shape), {training: true}).y
    // Per sample and channel, every value of the feature map is the same: all 0 or all 2.
    const perm = [0, channelAxis, ...shape.map((_, i) => i).filter((i) => i !== 0 && i !== channelAxis)]
    const maps = tf.reshape(tf.transpose(y, perm), [shape[0] ?? 1, shape[channelAxis] ?? 1, -1]).arraySync() as number[][][]
    const kinds = new Set<number>()
    for (const sample of maps) for (const map of sample) {
      expect(new Set(map).size).toBe(1)
      kinds.add(map[0] ?? -1)
    }
    expect(kinds).toEqual(new Set([0, 2]))
  }

  it('SpatialDropout1D/2D/3D drop whole channels (channels_last and channels_first)', () => {
    spatial('SpatialDropout1D', [8, 5, 6], {}, 2)
    spatial('SpatialDropout2D', [8, 3, 4, 6], {}, 3)
    spatial('SpatialDropout2D', [8, 6, 3, 4], {data_format: 'channels_first'}, 1)
    spatial('SpatialDropout2D', [8, 6, 3, 4], {dim_ordering: 'th'}, 1)
    spatial('SpatialDropout3D', [8, 2, 3, 2, 6], {}, 4)
  })

  it('GaussianDropout keeps the mean and has the standard deviation √(rate / (1 − rate))', () => {
    const y = values(run('GaussianDropout', {rate: 0.2}, ones(), {training: true}).y)
    expect(Math.abs(mean(y) - 1)).toBeLessThan(0.01)
    expect(Math.abs(Math.sqrt(variance(y)) - Math.sqrt(0.2 / 0.8))).toBeLessThan(0.01)
    expect(() => run('GaussianDropout', {rate: 1}, ones(), {training: true})).toThrow(/ZeroDivision/)
  })

  it('GaussianNoise adds N(0, stddev)', () => {
    const y = values(run('GaussianNoise', {stddev: 0.5}, ones(), {training: true}).y)
    expect(Math.abs(mean(y) - 1)).toBeLessThan(0.01)
    expect(Math.abs(Math.sqrt(variance(y)) - 0.5)).toBeLessThan(0.01)
  })

  it('AlphaDropout keeps zero mean and unit variance of a standard normal input', () => {
    const x = tf.randomNormal([200, 500], 0, 1, 'float32', 7)
    const y = values(run('AlphaDropout', {rate: 0.2}, x, {training: true}).y)
    expect(Math.abs(mean(y))).toBeLessThan(0.02)
    expect(Math.abs(variance(y) - 1)).toBeLessThan(0.03)
    // A dropped unit takes a·(−αλ) + b: the one value that occurs about `rate` of the time.
    const alphaP = -1.6732632423543772 * 1.0507009873554805
    const a = (0.8 * (1 + 0.2 * alphaP ** 2)) ** -0.5
    const dropped = y.filter((v) => Math.abs(v - (a * alphaP + -a * alphaP * 0.2)) < 1e-5).length / y.length
    expect(Math.abs(dropped - 0.2)).toBeLessThan(0.01)
  })
})

describe('ActivityRegularization', () => {
  const x = (): Tensor => tf.tensor2d([[1, -2], [3, -4]])
  const loss = (o: Options): number => values(run('ActivityRegularization', {l1: 0.01, l2: 0.02}, x(), o).losses[0] ?? tf.scalar(NaN))[0] ?? NaN
  // Σ|x| = 10, Σx² = 30: 0.01·10 + 0.02·30 = 0.7, over a batch of 2 = 0.35.
  it('adds l1·Σ|x| + l2·Σx², divided by the batch size in tf-keras and Keras ≥ 3.14, not before', () => {
    expect(loss({})).toBeCloseTo(0.35, 6)
    expect(loss({keras_version: '3.14.0'})).toBeCloseTo(0.35, 6)
    expect(loss({keras_version: '3.13.2'})).toBeCloseTo(0.7, 6)
    expect(loss({generation: 'keras2', keras_version: '2.15.0'})).toBeCloseTo(0.35, 6)
    expect(loss({generation: 'keras2', keras_version: '2.3.1'})).toBeCloseTo(0.7, 6)
    expect(loss({generation: 'keras2', keras_version: '2.2.4-tf'})).toBeCloseTo(0.35, 6)
  })

  it('passes the input and its mask unchanged', () => {
    const mask = tf.tensor1d([true, false], 'bool')
    const out = run('ActivityRegularization', {l1: 0.01}, x(), {masks: [mask]})
    expect(values(out.y)).toEqual([1, -2, 3, -4])
    expect(out.mask).toBe(mask)
  })
})

describe('activations against hand-computed values', () => {
  const xs = [-10, -5, 0, 5, 10]

  it('ReLU options as Keras\'s docstring examples give them (both generations)', () => {
    for (const generation of ['keras2', 'keras3'] as const) {
      const relu = (config: JsonObject): number[] => values(run('ReLU', config, tf.tensor2d([xs]), {generation}).y)
      close(relu({}), [0, 0, 0, 5, 10])
      close(relu({negative_slope: 0.5}), [-5, -2.5, 0, 5, 10])
      close(relu({max_value: 5}), [0, 0, 0, 5, 5])
      close(relu({threshold: 5}), [0, 0, 0, 0, 10])
      close(relu({threshold: 5, negative_slope: 0.5, max_value: 8}), [-7.5, -5, -2.5, 0, 8])
    }
  })

  it('hard_sigmoid differs per generation; leaky_relu has slope 0.2; gelu is the exact form', () => {
    close(act('hard_sigmoid', [-3, -1, 0, 1, 2.6], 'keras2'), [0, 0.3, 0.5, 0.7, 1])
    close(act('hard_sigmoid', [-3, -1, 0, 1, 2.6], 'keras3'), [0, 2 / 6, 0.5, 4 / 6, 5.6 / 6])
    close(act('leaky_relu', [-1, 2]), [-0.2, 2])
    // tf.keras gelu docstring: approximate=False.
    close(act('gelu', [-3, -1, 0, 1, 3], 'keras2'), [-0.00404951, -0.15865529, 0, 0.8413447, 2.9959507], 1e-6)
    close(act('selu', [-1, 1]), [1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1), 1.0507009873554805])
    close(act('softsign', [-1, 3]), [-0.5, 0.75])
    close(act('celu', [-1e-6, -1, 2]), [Math.expm1(-1e-6), Math.expm1(-1), 2], 1e-7)
    close(act('squareplus', [0, 3]), [1, (3 + Math.sqrt(13)) / 2])
    close(act('sparse_plus', [-2, 0, 2]), [0, 0.25, 2])
  })

  it('sparsemax as Keras 3 computes it (τ from the summed running sums)', () => {
    close(act('sparsemax', [1, 2, 3]), [0, 0, 1])
    // Keras 3.15 gives [0, 0, 0] here, not the textbook [0.2, 0.8, 0].
    close(act('sparsemax', [1, 1.2, 0]), [0, 0, 0])
  })

  it('resolves serialised functions and activation layer objects; refuses what Keras would not run', () => {
    close(act({module: 'keras.activations', class_name: 'function', config: 'relu', registered_name: 'function'}, [-1, 2]), [0, 2])
    close(act({module: 'keras.layers', class_name: 'LeakyReLU', config: {negative_slope: 0.1}}, [-1, 2]), [-0.1, 2])
    close(act('LeakyReLU', [-1, 2], 'keras2'), [-0.3, 2])
    close(act({class_name: 'ThresholdedReLU', config: {theta: 1.5}}, [1, 2], 'keras2'), [0, 2])
    expect(() => act('threshold', [1])).toThrow(/threshold/)
    expect(() => act('celu', [1], 'keras2')).toThrow(/Keras 2 has no activation/)
    expect(() => act({module: 'keras.layers', class_name: 'PReLU', config: {}}, [1])).toThrow(/PReLU/)
    expect(() => act('glu', [1, 2, 3])).toThrow(/glu/)
    expect(() => activationFn(tf, 'keras2', 'softmax')(tf.tensor1d([1, 2]))).toThrow(/rank 1/)
  })
})

describe('Softmax masks', () => {
  const x = (): Tensor => tf.tensor2d([[1, 2, 3], [4, 5, 6]])
  const mask = (): Tensor => tf.tensor2d([[true, true, false], [false, false, false]], undefined, 'bool')
  const softmax = (xs: number[]): number[] => xs.map((v) => Math.exp(v) / xs.reduce((a, b) => a + Math.exp(b), 0))

  it('Keras ≥ 3.13 zeroes masked and fully masked positions; tf-keras leaves a fully masked row uniform', () => {
    const k3 = values(run('Softmax', {axis: -1}, x(), {kwargs: {mask: mask()}}).y)
    close(k3, [...softmax([1, 2]), 0, 0, 0, 0])
    const k2 = values(run('Softmax', {axis: -1}, x(), {kwargs: {mask: mask()}, generation: 'keras2'}).y)
    close(k2, [...softmax([1, 2]), 0, 1 / 3, 1 / 3, 1 / 3])
    const k39 = values(run('Softmax', {axis: -1}, x(), {kwargs: {mask: mask()}, keras_version: '3.9.0'}).y)
    close(k39, [...softmax([1, 2]), 0, 1 / 3, 1 / 3, 1 / 3])
  })

  it('a mask that does not broadcast is refused', () => {
    expect(() => run('Softmax', {}, x(), {kwargs: {mask: tf.ones([2], 'bool')}})).toThrow(/broadcast/)
  })
})

describe('Embedding ids out of range', () => {
  const table = (): Tensor => tf.tensor2d([[0, 0], [1, 1], [2, 2]])
  const embed = (ids: number[], o: Options = {}): number[] => values(run('Embedding', {input_dim: 3, output_dim: 2}, tf.tensor1d(ids), {...o, weights: {embeddings: table()}}).y)

  it('Keras ≥ 3.3 wraps negatives once, Keras 3.0–3.2 clips, tf-keras refuses', () => {
    expect(embed([-1, 1.9])).toEqual([2, 2, 1, 1])
    expect(() => embed([3])).toThrow(/outside/)
    expect(embed([-1, 7], {keras_version: '3.2.1'})).toEqual([0, 0, 2, 2])
    expect(() => embed([-1], {generation: 'keras2'})).toThrow(/outside/)
  })

  it('mask_zero masks the zero ids', () => {
    const out = run('Embedding', {input_dim: 3, output_dim: 2, mask_zero: true}, tf.tensor2d([[0, 2, 1]]), {weights: {embeddings: table()}})
    expect(Array.from(out.mask?.dataSync() ?? [])).toEqual([0, 1, 1])
  })
})

describe('EinsumDense einsum', () => {
  /** The einsum by its definition: loops over every label. */
  function naive(eq: string, x: Tensor, k: Tensor): number[] {
    const [lhs, out] = eq.split('->') as [string, string]
    const [xs, ks] = lhs.split(',') as [string, string]
    const elided = 'UVWXYZ'.slice(0, x.rank - xs.replace('...', '').length)
    const pad = (s: string): string => s.replace('...', elided)
    const [xl, kl, ol] = [pad(xs), pad(ks), pad(out)]
    const size: Record<string, number> = {}
    ;[...xl].forEach((l, i) => { size[l] = x.shape[i] ?? 1 })
    ;[...kl].forEach((l, i) => { size[l] = k.shape[i] ?? 1 })
    const labels = Object.keys(size)
    const xa = x.arraySync() as unknown
    const ka = k.arraySync() as unknown
    const at = (a: unknown, idx: number[]): number => idx.reduce<unknown>((v, i) => (v as unknown[])[i], a) as number
    const outShape = [...ol].map((l) => size[l] ?? 1)
    const result = new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(0)
    const total = labels.reduce((a, l) => a * (size[l] ?? 1), 1)
    for (let flat = 0; flat < total; flat++) {
      const v: Record<string, number> = {}
      let r = flat
      for (const l of labels) { v[l] = r % (size[l] ?? 1); r = Math.floor(r / (size[l] ?? 1)) }
      const o = [...ol].reduce((acc, l, i) => acc * (outShape[i] ?? 1) + (v[l] ?? 0), 0)
      result[o] = (result[o] ?? 0) + at(xa, [...xl].map((l) => v[l] ?? 0)) * at(ka, [...kl].map((l) => v[l] ?? 0))
    }
    return result
  }

  for (const [eq, xShape, kShape] of [
    ['abc,cde->abde', [2, 3, 4], [4, 2, 3]],
    ['abc,bcd->ad', [2, 3, 4], [3, 4, 5]],
    ['...b,bc->...c', [2, 3, 4], [4, 5]],
    ['ab...,bc->ac...', [2, 3, 4], [3, 5]],
    ['abc,cd->abd', [2, 3, 4], [4, 2]],
  ] as Array<[string, number[], number[]]>) {
    it(eq, () => {
      const x = tf.randomUniform(xShape, -1, 1, 'float32', 3)
      const k = tf.randomUniform(kShape, -1, 1, 'float32', 4)
      close(values(einsum2(tf, eq, x, k)), naive(eq, x, k), 1e-5)
    })
  }
})
