import {describe, expect, it} from 'vitest'
import type * as TfCore from '@tensorflow/tfjs-core'
import {disableBlasKernels, enableBlasKernels} from '../../../src/core/backend/blas.js'
import {random, skipReason, tf, tfl} from './blas-helpers.js'

type Layers = NonNullable<NonNullable<Parameters<typeof tfl.sequential>[0]>['layers']>

/** Trains a fresh copy of the model from the same initial weights for `steps` batches; returns the losses. */
async function losses(make: () => Layers, initial: TfCore.Tensor[], x: TfCore.Tensor, y: TfCore.Tensor, steps: number): Promise<number[]> {
  const model = tfl.sequential({layers: make()})
  model.compile({optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy'})
  model.setWeights(initial)
  const out: number[] = []
  for (let i = 0; i < steps; i++) out.push(Number(await model.trainOnBatch(x, y)))
  model.dispose()
  return out
}

async function compare(make: () => Layers, inputShape: number[], intInputs = false): Promise<void> {
  disableBlasKernels(tf)
  const seedModel = tfl.sequential({layers: make()})
  const initial = seedModel.getWeights().map((w) => tf.clone(w))
  const x = intInputs ? tf.cast(tf.randomUniform([6, ...inputShape], 0, 20, 'int32', 3), 'float32') : random([6, ...inputShape], 1)
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 2, 1, 0], 'int32'), 3)
  const reference = await losses(make, initial, x, y, 5)
  expect(enableBlasKernels(tf).enabled).toBe(true)
  try {
    const blas = await losses(make, initial, x, y, 5)
    reference.forEach((r, i) => expect(Math.abs((blas[i] ?? Number.NaN) - r)).toBeLessThan(1e-4 * Math.max(1, Math.abs(r))))
    expect(reference[4]).toBeLessThan(reference[0] ?? 0)
  } finally {
    disableBlasKernels(tf)
  }
}

describe.skipIf(skipReason !== undefined)('training with and without the BLAS kernels', () => {
  const L = tfl.layers
  it('a small CNN (Conv2D, MaxPool, DepthwiseConv2D, SeparableConv2D, Dense) gives the same loss sequence', async () => {
    await compare(() => [
      L.conv2d({filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 2]}),
      L.maxPooling2d({poolSize: 2}),
      L.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu'}),
      L.separableConv2d({filters: 3, kernelSize: 2, strides: 2}),
      L.flatten(),
      L.dense({units: 8, activation: 'relu'}),
      L.dense({units: 3, activation: 'softmax'}),
    ], [8, 8, 2])
  })

  it('an MLP with a linear (fused) Dense gives the same loss sequence', async () => {
    await compare(() => [
      L.dense({units: 16, activation: 'relu', inputShape: [12]}),
      L.dense({units: 8}),
      L.dense({units: 3, activation: 'softmax'}),
    ], [12])
  })

  it('an Embedding + Conv1D model gives the same loss sequence', async () => {
    await compare(() => [
      L.embedding({inputDim: 20, outputDim: 4, inputLength: 7}),
      L.conv1d({filters: 5, kernelSize: 3, activation: 'relu'}),
      L.globalMaxPooling1d({}),
      L.dense({units: 3, activation: 'softmax'}),
    ], [7], true)
  })
})
