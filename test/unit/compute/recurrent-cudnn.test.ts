import {describe, expect, it} from 'vitest'
import {loadTfjs} from '../../../src/core/backend/runtime.js'
import {loadBackend} from '../../../src/core/backend/select.js'
import {buildComputeModel} from '../../../src/core/compute/model.js'
import {fnLayer, functional, readDoc} from '../../helpers/read.js'
import {expectClose, forward, rng, values, w} from '../backend/helpers.js'

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v))
const hardSigmoid = (v: number) => Math.min(1, Math.max(0, 0.2 * v + 0.5))
type Matrix = (i: number, j: number) => number

/** x (in) · M (in × cols), by hand. */
const vecMat = (x: number[], m: Matrix, cols: number): number[] => Array.from({length: cols}, (_, j) => x.reduce((s, xi, i) => s + xi * m(i, j), 0))
/** Row-major (rows × cols) matrix accessor. */
const rowMajor = (data: number[], cols: number): Matrix => (i, j) => data[i * cols + j] ?? NaN

/** Keras GRU(reset_after=True), one step: z, r from input and recurrent parts with separate biases. */
function gruResetAfterStep(x: number[], h: number[], W: Matrix, U: Matrix, bIn: number[], bRec: number[], u: number, rec: (v: number) => number): number[] {
  const mx = vecMat(x, W, 3 * u).map((v, j) => v + (bIn[j] ?? 0))
  const mh = vecMat(h, U, 3 * u).map((v, j) => v + (bRec[j] ?? 0))
  return h.map((hj, j) => {
    const z = rec((mx[j] ?? 0) + (mh[j] ?? 0))
    const r = rec((mx[u + j] ?? 0) + (mh[u + j] ?? 0))
    const candidate = Math.tanh((mx[2 * u + j] ?? 0) + r * (mh[2 * u + j] ?? 0))
    return z * hj + (1 - z) * candidate
  })
}

/** The GRU of Keras 2's default before TF 2 (reset_after=False): reset applied before the recurrent product. */
function gruResetBeforeStep(x: number[], h: number[], W: Matrix, U: Matrix, b: number[], u: number): number[] {
  const mx = vecMat(x, W, 3 * u).map((v, j) => v + (b[j] ?? 0))
  const hz = vecMat(h, U, 3 * u)
  const z = h.map((_, j) => hardSigmoid((mx[j] ?? 0) + (hz[j] ?? 0)))
  const r = h.map((_, j) => hardSigmoid((mx[u + j] ?? 0) + (hz[u + j] ?? 0)))
  const rh = h.map((hj, j) => (r[j] ?? 0) * hj)
  const hh = vecMat(rh, (i, j) => U(i, 2 * u + j), u)
  return h.map((hj, j) => {
    const candidate = Math.tanh((mx[2 * u + j] ?? 0) + (hh[j] ?? 0))
    return (z[j] ?? 0) * hj + (1 - (z[j] ?? 0)) * candidate
  })
}

/** Runs `step` over the time steps of one sample (features per step = inDim), returning every state. */
function unroll(x: number[], inDim: number, u: number, step: (xt: number[], h: number[]) => number[]): number[] {
  const out: number[] = []
  let h = new Array<number>(u).fill(0)
  for (let t = 0; t < x.length / inDim; t++) {
    h = step(x.slice(t * inDim, (t + 1) * inDim), h)
    out.push(...h)
  }
  return out
}

const gruConfig = (extra: Record<string, unknown>) => ({units: 2, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, return_sequences: true, ...extra})

describe('GRU with reset_after: true (the TF 2 default tfjs refuses)', () => {
  const next = rng(42)
  const [inDim, u] = [2, 2]
  const x = values(3 * inDim, next)
  const kernel = values(inDim * 3 * u, next)
  const recurrent = values(u * 3 * u, next)
  const bias = values(2 * 3 * u, next)

  it.each(['cpu', 'wasm'] as const)('matches Keras\'s formula step by step (bias (2, 3u): input row, recurrent row) on %s', async (backend) => {
    const y = await forward({cls: 'GRU', config: gruConfig({reset_after: true})}, [[1, 3, inDim]], [x], [w([inDim, 3 * u], kernel), w([u, 3 * u], recurrent), w([2, 3 * u], bias)], backend)
    expect(y.shape).toEqual([1, 3, u])
    const step = (xt: number[], h: number[]) => gruResetAfterStep(xt, h, rowMajor(kernel, 3 * u), rowMajor(recurrent, 3 * u), bias.slice(0, 3 * u), bias.slice(3 * u), u, sigmoid)
    expectClose(y.data, unroll(x, inDim, u, step))
  })

  it('uses the configured recurrent activation (hard_sigmoid)', async () => {
    const y = await forward({cls: 'GRU', config: gruConfig({reset_after: true, recurrent_activation: 'hard_sigmoid', return_sequences: false})}, [[1, 3, inDim]], [x], [w([inDim, 3 * u], kernel), w([u, 3 * u], recurrent), w([2, 3 * u], bias)])
    const step = (xt: number[], h: number[]) => gruResetAfterStep(xt, h, rowMajor(kernel, 3 * u), rowMajor(recurrent, 3 * u), bias.slice(0, 3 * u), bias.slice(3 * u), u, hardSigmoid)
    expect(y.shape).toEqual([1, u])
    expectClose(y.data, unroll(x, inDim, u, step).slice(-u))
  })

  it('hands reset_after: false to tfjs\'s own GRU (bias (3u))', async () => {
    const b = bias.slice(0, 3 * u)
    const y = await forward({cls: 'GRU', config: gruConfig({reset_after: false, recurrent_activation: 'hard_sigmoid'})}, [[1, 3, inDim]], [x], [w([inDim, 3 * u], kernel), w([u, 3 * u], recurrent), w([3 * u], b)])
    const step = (xt: number[], h: number[]) => gruResetBeforeStep(xt, h, rowMajor(kernel, 3 * u), rowMajor(recurrent, 3 * u), b, u)
    expectClose(y.data, unroll(x, inDim, u, step))
  })

  it('works inside Bidirectional, with Keras\'s weight shapes', async () => {
    await loadBackend('cpu')
    const {model} = await readDoc(functional([
      fnLayer('InputLayer', 'x', [], {batch_input_shape: [null, 4, 5]}),
      fnLayer('Bidirectional', 'bi', [['x', 0, 0]], {merge_mode: 'concat', layer: {class_name: 'GRU', config: {name: 'gru', ...gruConfig({units: 3, reset_after: true})}}}),
    ], ['x'], ['bi']))
    const built = buildComputeModel((await loadTfjs()).core, model)
    expect(built.outputs[0]?.shape).toEqual([null, 4, 6])
    expect((await built.readWeights('bi')).map((t) => t.length)).toEqual([45, 27, 18, 45, 27, 18])
    built.dispose()
  })
})

describe('CuDNNGRU / CuDNNLSTM (Keras 2.0–2.3) computed from their cuDNN weight layout', () => {
  const next = rng(7)
  const [inDim, u, steps] = [3, 2, 2]
  const x = values(steps * inDim, next)
  /** Effective Keras matrix of a cuDNN kernel: gate block g holds the row-major buffer of a (u, in) matrix. */
  const cudnnInput = (kernel: number[], gates: number): Matrix => (i, j) => {
    const g = Math.floor(j / u)
    const block = Array.from({length: inDim * u}, (_, p) => kernel[Math.floor(p / u) * gates * u + g * u + (p % u)] ?? NaN)
    return block[(j % u) * inDim + i] ?? NaN
  }
  const cudnnRecurrent = (rec: number[], gates: number): Matrix => (i, j) => rec[(j % u) * gates * u + Math.floor(j / u) * u + i] ?? NaN

  it('CuDNNGRU equals GRU(reset_after) on the re-laid weights (bias 6u = input then recurrent)', async () => {
    const [kernel, recurrent, bias] = [values(inDim * 3 * u, next), values(u * 3 * u, next), values(6 * u, next)]
    const y = await forward({cls: 'CuDNNGRU', config: {units: u, return_sequences: true}}, [[1, steps, inDim]], [x], [w([inDim, 3 * u], kernel), w([u, 3 * u], recurrent), w([6 * u], bias)])
    const step = (xt: number[], h: number[]) => gruResetAfterStep(xt, h, cudnnInput(kernel, 3), cudnnRecurrent(recurrent, 3), bias.slice(0, 3 * u), bias.slice(3 * u), u, sigmoid)
    expectClose(y.data, unroll(x, inDim, u, step))
  })

  it('CuDNNLSTM equals LSTM (gates i, f, c, o) with the bias halves summed (on wasm)', async () => {
    const [kernel, recurrent, bias] = [values(inDim * 4 * u, next), values(u * 4 * u, next), values(8 * u, next)]
    const y = await forward({cls: 'CuDNNLSTM', config: {units: u, return_sequences: true}}, [[1, steps, inDim]], [x], [w([inDim, 4 * u], kernel), w([u, 4 * u], recurrent), w([8 * u], bias)], 'wasm')
    const W = cudnnInput(kernel, 4)
    const U = cudnnRecurrent(recurrent, 4)
    const b = Array.from({length: 4 * u}, (_, j) => (bias[j] ?? 0) + (bias[4 * u + j] ?? 0))
    let c = [0, 0]
    const step = (xt: number[], h: number[]) => {
      const pre = vecMat(xt, W, 4 * u).map((v, j) => v + (vecMat(h, U, 4 * u)[j] ?? 0) + (b[j] ?? 0))
      c = c.map((cj, j) => sigmoid(pre[u + j] ?? 0) * cj + sigmoid(pre[j] ?? 0) * Math.tanh(pre[2 * u + j] ?? 0))
      return c.map((cj, j) => sigmoid(pre[3 * u + j] ?? 0) * Math.tanh(cj))
    }
    expectClose(y.data, unroll(x, inDim, u, step))
  })
})
