import {describe, expect, it} from 'vitest'
import type * as TfCore from '@tensorflow/tfjs-core'
import {loadBlasAddon} from '../../../src/core/backend/blas/addon.js'
import {BLAS_KERNELS, blasKernelsEnabled, disableBlasKernels, enableBlasKernels} from '../../../src/core/backend/blas.js'
import {both, random, relativeError, skipReason, tf} from './blas-helpers.js'

const TOL = 1e-4

describe.skipIf(skipReason !== undefined)('BLAS BatchMatMul / _FusedMatMul', () => {
  const cases: Array<[string, number[], number[], boolean, boolean]> = [
    ['2-D', [7, 5], [5, 3], false, false],
    ['transposeA', [5, 7], [5, 3], true, false],
    ['transposeB', [7, 5], [3, 5], false, true],
    ['both transposed', [5, 7], [3, 5], true, true],
    ['batched', [4, 6, 9], [4, 9, 2], false, false],
    ['batch broadcast from b', [3, 6, 9], [9, 2], false, false],
    ['batch broadcast from a', [1, 6, 9], [4, 9, 2], false, false],
    ['MLP-sized', [128, 784], [784, 256], false, false],
    ['empty inner', [3, 0], [0, 4], false, false],
  ]
  it.each(cases)('%s matches the cpu kernel', (_name, aShape, bShape, ta, tb) => {
    const a = random(aShape, 1)
    const b = random(bShape, 2)
    const {reference, blas, calls} = both(() => tf.matMul(a, b, ta, tb))
    expect(relativeError(blas, reference)).toBeLessThan(TOL)
    if (!aShape.includes(0)) expect(calls).toEqual(['gemm'])
  })

  it('general batch broadcast matches the product of tiled operands', () => {
    // tfjs' own cpu kernel indexes batches modulo each operand's batch count, so for [2, 1] × [1, 5] batches
    // it repeats 5 of the 10 products; the reference here is the product of explicitly tiled operands.
    const a = random([2, 1, 3, 4], 1)
    const b = random([1, 5, 4, 2], 2)
    const reference = tf.matMul(tf.tile(a, [1, 5, 1, 1]), tf.tile(b, [2, 1, 1, 1]))
    const {blas} = both(() => tf.matMul(a, b))
    expect(relativeError(blas, reference)).toBeLessThan(TOL)
  })

  const activations = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu'] as const
  it.each(activations)('fused with bias and %s matches', (activation) => {
    const a = random([9, 6], 3)
    const b = random([6, 5], 4)
    const bias = random([5], 5)
    const run = (): TfCore.Tensor => tf.fused.matMul({a, b, bias, activation, leakyreluAlpha: 0.3})
    const {reference, blas} = both(run)
    expect(relativeError(blas, reference)).toBeLessThan(TOL)
  })

  it('fused with a scalar bias, a [1, N] bias and no bias matches', () => {
    const a = random([2, 4, 6], 6)
    const b = random([2, 6, 3], 7)
    for (const bias of [tf.scalar(0.5), random([1, 3], 8), undefined]) {
      const {reference, blas} = both(() => tf.fused.matMul({a, b, ...(bias === undefined ? {} : {bias}), activation: 'relu'}))
      expect(relativeError(blas, reference)).toBeLessThan(TOL)
    }
  })

  it('falls back to tfjs for prelu, column bias and int32', () => {
    const a = random([4, 3], 9)
    const b = random([3, 2], 10)
    const alpha = random([2], 11)
    const columnBias = random([4, 1], 12)
    const {reference, blas} = both(() => [
      tf.fused.matMul({a, b, activation: 'prelu', preluActivationWeights: alpha}),
      tf.fused.matMul({a, b, bias: columnBias}),
      tf.matMul(tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.tensor2d([[3], [4]], [2, 1], 'int32')),
    ])
    reference.forEach((r, i) => expect(relativeError(blas[i] as TfCore.Tensor, r)).toBeLessThan(TOL))
    expect(blas[2]?.dtype).toBe('int32')
  })

  it('gradients of matMul through tf.grads match', () => {
    const a = random([8, 6], 13)
    const b = random([6, 4], 14)
    const f = (x: TfCore.Tensor, y: TfCore.Tensor): TfCore.Tensor => tf.sum(tf.square(tf.matMul(x, y)))
    const {reference, blas} = both(() => tf.grads(f)([a, b]))
    reference.forEach((r, i) => expect(relativeError(blas[i] as TfCore.Tensor, r)).toBeLessThan(TOL))
  })

  it('enable is idempotent and disable restores the cpu kernels', () => {
    const before = tf.getKernel('BatchMatMul', 'cpu')?.kernelFunc
    expect(enableBlasKernels(tf).enabled).toBe(true)
    const replaced = tf.getKernel('BatchMatMul', 'cpu')?.kernelFunc
    expect(enableBlasKernels(tf).enabled).toBe(true)
    expect(tf.getKernel('BatchMatMul', 'cpu')?.kernelFunc).toBe(replaced)
    expect(blasKernelsEnabled(tf)).toBe(true)
    disableBlasKernels(tf)
    expect(tf.getKernel('BatchMatMul', 'cpu')?.kernelFunc).toBe(before)
    expect(Object.keys(BLAS_KERNELS)).toContain('Conv2DBackpropFilter')
  })
})

describe('BLAS addon absent', () => {
  it('loadBlasAddon returns a one-line reason for a missing build or KMODEL_BLAS=0, without throwing', () => {
    const missing = loadBlasAddon({}, '/nonexistent/kmodel_blas.node')
    expect(missing.addon).toBeUndefined()
    expect('reason' in missing && missing.reason).toMatch(/^the native BLAS addon is not built \(needs a C\+\+ compiler and libopenblas-dev/)
    const disabled = loadBlasAddon({disabled: true}, '/nonexistent/kmodel_blas.node')
    expect('reason' in disabled && disabled.reason).toBe('the BLAS kernels are disabled by KMODEL_BLAS=0')
  })

  it('enableBlasKernels reports the reason instead of throwing', () => {
    const status = enableBlasKernels(tf, {addon: undefined, reason: 'the native BLAS addon is not built'})
    expect(status).toEqual({enabled: false, reason: 'the native BLAS addon is not built'})
  })
})
