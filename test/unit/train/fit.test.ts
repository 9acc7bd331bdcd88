import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {type TrainRequest, train} from '../../../src/core/train/fit.js'
import {openSession} from '../../../src/core/train/session.js'
import {readWeights} from '../../../src/core/weights/read.js'
import {blobs, conv, dense, halves, mlpDoc, npy, sequential, specOf, tmp} from './helpers.js'

/** A request with the test defaults; `over` replaces fields. */
async function request(x: string, y: string, over: Partial<TrainRequest> = {}): Promise<TrainRequest> {
  return {
    model: await specOf(mlpDoc()), weights: null, weightsSource: 'file', data: {x, y},
    compile: {optimizer: 'adam', learningRate: 0.01, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy']},
    epochs: 6, batchSize: 32, shuffle: true, seed: 1, validationSplit: 0, initialEpoch: 0, saveBestOnly: false,
    restoreBestWeights: false, layout: 'keras2', force: false, backend: 'cpu', ...over,
  }
}

function mlpData(dir: string, samples = 300): {x: string; y: string; yOneHot: string} {
  const {x, labels, onehot} = blobs(samples)
  return {x: npy(dir, 'x.npy', [samples, 4], x), y: npy(dir, 'y.npy', [samples], labels), yOneHot: npy(dir, 'y1h.npy', [samples, 3], onehot)}
}

describe('train: an MLP on separable blobs', () => {
  it('lowers the loss, reaches ≥ 0.9 validation accuracy, and writes weights that read back', async () => {
    const dir = tmp()
    const d = mlpData(dir)
    const out = join(dir, 'out.h5')
    const r = await train(await request(d.x, d.y, {validationSplit: 0.2, output: out}))
    const loss = r.history.loss ?? []
    expect(loss).toHaveLength(6)
    expect(loss[5]).toBeLessThan((loss[0] ?? 0) * 0.5)
    expect(r.history.val_accuracy?.at(-1)).toBeGreaterThanOrEqual(0.9)
    expect(r).toMatchObject({epochs: 6, samples: 240, validationSamples: 60, stopped: 'completed', output: out, initialWeights: 'initializers'})
    const saved = await readWeights(out)
    expect(saved.layers.map((l) => [l.name, l.weights.map((w) => w.name)])).toEqual([['hidden', ['hidden/kernel:0', 'hidden/bias:0']], ['out', ['out/kernel:0', 'out/bias:0']]])
  })

  it('is reproducible: the same seed gives the same history', async () => {
    const dir = tmp()
    const d = mlpData(dir, 96)
    const a = await train(await request(d.x, d.y, {epochs: 2}))
    const b = await train(await request(d.x, d.y, {epochs: 2}))
    expect(a.history).toEqual(b.history)
  })

  it('first-epoch loss equals a hand-written SGD epoch from the same weights (second route, no shuffle)', async () => {
    const dir = tmp()
    const d = mlpData(dir, 128)
    const req = await request(d.x, d.yOneHot, {epochs: 1, shuffle: false, compile: {optimizer: 'sgd', learningRate: 0.1, loss: 'categorical_crossentropy'}})
    const ours = (await train(req)).history.loss?.[0] ?? Number.NaN
    const session = await openSession(req.model, {backend: 'cpu', weights: null, weightsSource: 'file', seed: req.seed})
    const [hidden, out] = session.template.layers.filter((l) => l.weights.length > 0).map((l) => l.weights.map((w) => Array.from(w.data as Float32Array)))
    session.computeModel.dispose()
    const {x, onehot} = blobs(128)
    const theirs = sgdEpochLoss([hidden ?? [], out ?? []], x, onehot, 0.1, 32)
    expect(Math.abs(ours - theirs)).toBeLessThan(1e-5 * Math.max(1, theirs))
  })
})

/**
 * Keras's history loss of one SGD epoch of Dense(16, relu) → Dense(3, softmax) under categorical cross-entropy,
 * in plain float64: the mean over batches of each batch's mean loss (computed before that batch's update).
 */
function sgdEpochLoss(layers: number[][][], x: Float32Array, y: Float32Array, lr: number, batch: number): number {
  const [[w1 = [], b1 = []] = [], [w2 = [], b2 = []] = []] = layers
  const n = y.length / 3
  let sum = 0
  let batches = 0
  for (let start = 0; start < n; start += batch) {
    const rows = Math.min(batch, n - start)
    const g1 = new Array(w1.length).fill(0), gb1 = new Array(16).fill(0), g2 = new Array(w2.length).fill(0), gb2 = new Array(3).fill(0)
    let loss = 0
    for (let r = start; r < start + rows; r++) {
      const h = Array.from({length: 16}, (_, j) => Math.max(0, (b1[j] ?? 0) + [0, 1, 2, 3].reduce((a, i) => a + (x[r * 4 + i] ?? 0) * (w1[i * 16 + j] ?? 0), 0)))
      const z = Array.from({length: 3}, (_, k) => (b2[k] ?? 0) + h.reduce((a, hj, j) => a + hj * (w2[j * 3 + k] ?? 0), 0))
      const m = Math.max(...z)
      const e = z.map((v) => Math.exp(v - m))
      const p = e.map((v) => v / e.reduce((a, b) => a + b, 0))
      // Keras clips probabilities to [1e-7, 1 - 1e-7] before the log
      loss += -[0, 1, 2].reduce((a, k) => a + (y[r * 3 + k] ?? 0) * Math.log(Math.min(1 - 1e-7, Math.max(1e-7, p[k] ?? 0))), 0)
      const dz = p.map((pk, k) => (pk - (y[r * 3 + k] ?? 0)) / rows)
      for (let j = 0; j < 16; j++) {
        const hj = h[j] ?? 0
        for (let k = 0; k < 3; k++) g2[j * 3 + k] += hj * (dz[k] ?? 0)
        const dh = hj > 0 ? [0, 1, 2].reduce((a, k) => a + (dz[k] ?? 0) * (w2[j * 3 + k] ?? 0), 0) : 0
        gb1[j] += dh
        for (let i = 0; i < 4; i++) g1[i * 16 + j] += (x[r * 4 + i] ?? 0) * dh
      }
      for (let k = 0; k < 3; k++) gb2[k] += dz[k] ?? 0
    }
    sum += loss / rows
    batches += 1
    const step = (w: number[], g: number[]) => w.forEach((v, i) => { w[i] = v - lr * (g[i] ?? 0) })
    step(w1, g1); step(b1, gb1); step(w2, g2); step(b2, gb2)
  }
  return sum / batches
}

describe('train: a small CNN', () => {
  it('learns left-bright vs right-bright 8×8 images to ≥ 0.9 accuracy', async () => {
    const dir = tmp()
    const {x, labels} = halves(128)
    const model = await specOf(sequential('cnn', [8, 8, 1], [conv('c1', 4), {class_name: 'MaxPooling2D', config: {name: 'p1', pool_size: [2, 2]}}, {class_name: 'Flatten', config: {name: 'f'}}, dense('o', 2, 'softmax')]))
    const r = await train(await request(npy(dir, 'x.npy', [128, 8, 8, 1], x), npy(dir, 'y.npy', [128], labels), {model, epochs: 5, compile: {optimizer: 'adam', learningRate: 0.02, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy']}}))
    expect(r.history.accuracy?.at(-1)).toBeGreaterThanOrEqual(0.9)
    expect((r.history.loss ?? [])[4]).toBeLessThan((r.history.loss ?? [])[0] ?? 0)
  })
})

describe('train: callbacks', () => {
  it('resuming from a checkpoint continues the history and appends to the CSV log', async () => {
    const dir = tmp()
    const d = mlpData(dir, 96)
    const csv = join(dir, 'log.csv')
    const ckpt = join(dir, 'ckpt-{epoch:02d}.h5')
    const full = await train(await request(d.x, d.y, {epochs: 4, compile: {optimizer: 'sgd', learningRate: 0.05, loss: 'sparse_categorical_crossentropy'}}))
    const first = await train(await request(d.x, d.y, {epochs: 2, checkpoint: ckpt, csvLog: csv, compile: {optimizer: 'sgd', learningRate: 0.05, loss: 'sparse_categorical_crossentropy'}}))
    expect(first.checkpoint).toBe(join(dir, 'ckpt-02.h5'))
    const resumed = await train(await request(d.x, d.y, {epochs: 4, initialEpoch: 2, checkpoint: ckpt, csvLog: csv, weights: await readWeights(join(dir, 'ckpt-02.h5')), compile: {optimizer: 'sgd', learningRate: 0.05, loss: 'sparse_categorical_crossentropy'}}))
    expect(resumed.epochs).toBe(2)
    // plain SGD has no state, shuffling is per epoch: the resumed run repeats the uninterrupted one
    const joined = [...(first.history.loss ?? []), ...(resumed.history.loss ?? [])]
    joined.forEach((v, i) => expect(v).toBeCloseTo(full.history.loss?.[i] ?? Number.NaN, 5))
    const rows = readFileSync(csv, 'utf8').trim().split('\n')
    expect(rows[0]).toBe('epoch,loss')
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['0', '1', '2', '3'])
  })

  it('early stopping halts when the monitored value stops improving and restores the best weights', async () => {
    const dir = tmp()
    const d = mlpData(dir, 96)
    const r = await train(await request(d.x, d.y, {epochs: 30, earlyStoppingPatience: 0, monitor: 'loss', restoreBestWeights: true, compile: {optimizer: 'sgd', learningRate: 5, loss: 'sparse_categorical_crossentropy'}}))
    expect(r.stopped).toBe('early-stopping')
    expect(r.epochs).toBeLessThan(30)
  })

  it('a NaN loss stops with exit 6, writes no output, and keeps the last good checkpoint', async () => {
    const dir = tmp()
    const d = mlpData(dir, 96)
    const out = join(dir, 'out.h5')
    const ckpt = join(dir, 'ckpt.h5')
    const model = await specOf(sequential('lin', [4], [dense('h', 8, 'relu'), dense('o', 3)]))
    const req = await request(d.x, d.yOneHot, {model, epochs: 30, output: out, checkpoint: ckpt, compile: {optimizer: 'sgd', learningRate: 3, loss: 'mse'}})
    const error = await train(req).catch((e: unknown) => e)
    expect(error).toMatchObject({code: 'KM_BACKEND_NAN_LOSS', exit: 6, hint: expect.stringContaining(`The last good checkpoint is ${ckpt}`)})
    expect(existsSync(out)).toBe(false)
    const kept = await readWeights(ckpt)
    expect(kept.layers.flatMap((l) => l.weights).every((w) => Array.from(w.data as Float32Array).every(Number.isFinite))).toBe(true)
  })

  it('stops after the batch in progress when the signal fires, and still writes the output', async () => {
    const dir = tmp()
    const d = mlpData(dir, 96)
    const out = join(dir, 'out.h5')
    const abort = new AbortController()
    const r = await train(await request(d.x, d.y, {epochs: 5, output: out}), {signal: abort.signal, onEvent: (e) => {
      if (e.type === 'batch' && e.epoch === 2 && e.step === 1) abort.abort()
    }})
    expect(r).toMatchObject({stopped: 'interrupted', epochs: 1, output: out})
    expect((await readWeights(out)).layers).toHaveLength(2)
  })
})
