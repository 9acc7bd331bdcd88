import {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import type * as TfCore from '@tensorflow/tfjs-core'
import {fillWasmKernels} from '../../../src/core/backend/wasm-fill.js'
import {random, relativeError, tf, tfl} from './blas-helpers.js'

// The wasm fills need no native addon: these tests run wherever @tensorflow/tfjs-backend-wasm loads.
const require = createRequire(import.meta.url)
const wasm = require('@tensorflow/tfjs-backend-wasm') as {setWasmPaths(prefix: string): void}
wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`)

/** Runs f on the cpu backend and on wasm (with the fills), each on fresh copies of the inputs. */
async function onBoth(f: () => TfCore.Tensor[]): Promise<{cpu: TfCore.Tensor[]; wasm: TfCore.Tensor[]}> {
  await tf.setBackend('cpu')
  const cpu = f().map((t) => tf.tensor(t.dataSync(), t.shape, t.dtype))
  await tf.setBackend('wasm')
  const onWasm = f().map((t) => tf.tensor(t.dataSync(), t.shape, t.dtype))
  await tf.setBackend('cpu')
  return {cpu, wasm: onWasm}
}

type Layers = NonNullable<NonNullable<Parameters<typeof tfl.sequential>[0]>['layers']>
const weighted = (y: TfCore.Tensor): TfCore.Scalar => tf.sum(tf.mul(y, random(y.shape, 99)))
const TOL = 1e-4

describe('wasm backend fills', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true)
    await tf.setBackend('cpu')
  })

  it('registers exactly the training kernels wasm lacks, once', () => {
    const first = fillWasmKernels(tf)
    expect(first.filled.length === 0 || first.filled.includes('Conv2DBackpropFilter')).toBe(true)
    for (const name of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum']) {
      expect(tf.getKernel(name, 'wasm')).toBeDefined()
    }
    expect(fillWasmKernels(tf).filled).toEqual([])
  })

  const convCases: Array<[string, number[], number[], [number, number], 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]]]> = [
    ['3x3 valid', [2, 9, 9, 3], [3, 3, 3, 4], [1, 1], 'valid'],
    ['stride 2 same, odd size', [3, 11, 9, 4], [3, 3, 4, 6], [2, 2], 'same'],
    ['non-square, explicit pads', [2, 7, 8, 2], [3, 2, 2, 3], [1, 2], [[0, 0], [1, 2], [0, 1], [0, 0]]],
    ['1x1', [2, 5, 6, 8], [1, 1, 8, 3], [1, 1], 'valid'],
  ]
  it.each(convCases)('Conv2D gradients %s match the cpu backend', async (_name, xs, ws, strides, pad) => {
    fillWasmKernels(tf)
    const f = (a: TfCore.Tensor, b: TfCore.Tensor): TfCore.Scalar => weighted(tf.conv2d(a as TfCore.Tensor4D, b as TfCore.Tensor4D, strides, pad))
    const {cpu, wasm: w} = await onBoth(() => tf.grads(f)([random(xs, 1), random(ws, 2)]))
    cpu.forEach((r, i) => expect(relativeError(w[i] as TfCore.Tensor, r)).toBeLessThan(TOL))
  })

  it.each([
    ['multiplier 1 same', [2, 8, 8, 4], [3, 3, 4, 1], 1, 'same'],
    ['multiplier 3 stride 2', [2, 9, 7, 2], [3, 3, 2, 3], 2, 'same'],
    ['non-square valid', [2, 10, 12, 3], [5, 2, 3, 2], 1, 'valid'],
  ] as const)('depthwise gradients %s match the cpu backend', async (_name, xs, ws, stride, pad) => {
    fillWasmKernels(tf)
    const f = (a: TfCore.Tensor, b: TfCore.Tensor): TfCore.Scalar => weighted(tf.depthwiseConv2d(a as TfCore.Tensor4D, b as TfCore.Tensor4D, stride, pad))
    const {cpu, wasm: w} = await onBoth(() => tf.grads(f)([random([...xs], 3), random([...ws], 4)]))
    cpu.forEach((r, i) => expect(relativeError(w[i] as TfCore.Tensor, r)).toBeLessThan(TOL))
  })

  it('UnsortedSegmentSum and the Embedding (gather) gradient match the cpu backend', async () => {
    fillWasmKernels(tf)
    const {cpu, wasm: w} = await onBoth(() => [
      tf.unsortedSegmentSum(random([6, 3], 5), tf.tensor1d([3, 9, 3, 0, 12, -1], 'int32'), 10),
      tf.grad((t: TfCore.Tensor) => weighted(tf.gather(t, tf.tensor2d([[1, 7], [1, 3]], [2, 2], 'int32'))))(random([10, 4], 6)),
    ])
    cpu.forEach((r, i) => expect(relativeError(w[i] as TfCore.Tensor, r)).toBeLessThan(1e-6))
  })

  it('Conv2D, SeparableConv2D, DepthwiseConv2D and Embedding models train on wasm', async () => {
    fillWasmKernels(tf)
    await tf.setBackend('wasm')
    try {
      const L = tfl.layers
      const build = async (layers: Layers): Promise<number> => {
        const m = tfl.sequential({layers: [...layers, L.flatten(), L.dense({units: 2})]})
        m.compile({optimizer: 'sgd', loss: 'meanSquaredError'})
        const shape = (m.inputs[0]?.shape ?? []).slice(1) as number[]
        const loss = await m.trainOnBatch(tf.cast(tf.randomUniform([4, ...shape], 0, 9, 'int32'), 'float32'), tf.ones([4, 2]))
        return Number(loss)
      }
      expect(Number.isFinite(await build([L.conv2d({filters: 3, kernelSize: 3, strides: 2, padding: 'same', inputShape: [8, 8, 2]})]))).toBe(true)
      expect(Number.isFinite(await build([L.separableConv2d({filters: 3, kernelSize: 3, depthMultiplier: 2, inputShape: [8, 8, 2]})]))).toBe(true)
      expect(Number.isFinite(await build([L.depthwiseConv2d({kernelSize: 3, inputShape: [8, 8, 2]})]))).toBe(true)
      expect(Number.isFinite(await build([L.embedding({inputDim: 10, outputDim: 3, inputLength: 5})]))).toBe(true)
    } finally {
      await tf.setBackend('cpu')
    }
  })
})
