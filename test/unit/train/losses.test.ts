/**
 * Crossentropy on a sigmoid / softmax output reads the activation's logits (Keras's `_keras_logits`), for losses
 * and metrics alike; without logits, tf-keras's binary crossentropy adds ε inside its logs. Reference values are
 * written out from the formulas (sigmoid crossentropy max(x, 0) − x·z + log(1 + e^−|x|), log-softmax).
 */
import {beforeAll, describe, expect, it} from 'vitest'
import type {Tensor} from '@tensorflow/tfjs-core'
import {type Tfjs, loadTfjs} from '../../../src/core/backend/runtime.js'
import {activationFn, kerasLogits} from '../../../src/core/compute/activations.js'
import {lossFn, metricFn} from '../../../src/core/train/losses.js'
import type {LossSpec} from '../../../src/core/train/compile.js'

let tf: Tfjs
beforeAll(async () => {
  tf = await loadTfjs()
  await tf.core.setBackend('cpu')
})

const spec = (name: LossSpec['name'], extra: Partial<LossSpec> = {}): LossSpec => ({name, fromLogits: false, labelSmoothing: 0, delta: 1, ...extra})
const values = (t: Tensor): number[] => Array.from(t.dataSync())
/** Sigmoid crossentropy from a logit x and a label z. */
const sigmoidCe = (x: number, z: number): number => Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)))
/** −log softmax(x)[k]. */
const softmaxCe = (x: number[], k: number): number => {
  const m = Math.max(...x)
  return -(x[k] as number) + m + Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0))
}

describe('crossentropy on an activation output uses its logits', () => {
  it('binary crossentropy on a saturated sigmoid: the true loss, not the clipped one', () => {
    const z = tf.core.tensor2d([[30, -25]])
    const p = activationFn(tf.core, 'keras3', 'sigmoid')(z)
    expect(kerasLogits(p)?.logits).toBe(z)
    const y = tf.core.tensor2d([[0, 1]])
    const want = (sigmoidCe(30, 0) + sigmoidCe(-25, 1)) / 2
    expect(values(lossFn(spec('binary_crossentropy'))(tf.core, y, p))[0]).toBeCloseTo(want, 4)
    // a copy of the same numbers has no logits: clipped at 1 − 1e-7 (float32), about 16
    const copy = tf.core.add(p, 0)
    expect(values(lossFn(spec('binary_crossentropy'))(tf.core, y, copy))[0]).toBeLessThan(17)
    // the metric reads the logits too, and from_logits=true on the activation's output changes nothing
    expect(values(metricFn({key: 'bce', name: 'binary_crossentropy', fromLogits: false, threshold: 0.5, k: 5})(tf.core, y, p))[0]).toBeCloseTo(want, 4)
    expect(values(lossFn(spec('binary_crossentropy', {fromLogits: true}))(tf.core, y, p))[0]).toBeCloseTo(want, 4)
  })

  it('categorical and sparse crossentropy on a saturated softmax, with label smoothing', () => {
    const x = [40, -40, 0]
    const p = activationFn(tf.core, 'keras2', 'softmax')(tf.core.tensor2d([x]))
    expect(values(lossFn(spec('categorical_crossentropy'))(tf.core, tf.core.tensor2d([[0, 1, 0]]), p))[0]).toBeCloseTo(softmaxCe(x, 1), 3)
    expect(values(lossFn(spec('sparse_categorical_crossentropy'))(tf.core, tf.core.tensor1d([1]), p))[0]).toBeCloseTo(softmaxCe(x, 1), 3)
    // smoothing 0.3 over 3 classes: targets (0.1, 0.8, 0.1)
    const smoothed = 0.1 * softmaxCe(x, 0) + 0.8 * softmaxCe(x, 1) + 0.1 * softmaxCe(x, 2)
    expect(values(lossFn(spec('categorical_crossentropy', {labelSmoothing: 0.3}))(tf.core, tf.core.tensor2d([[0, 1, 0]]), p))[0]).toBeCloseTo(smoothed, 3)
  })

  it('uses the logits whichever activation made them (softmax output, binary crossentropy), as Keras does', () => {
    const x = [3, -2]
    const p = activationFn(tf.core, 'keras3', 'softmax')(tf.core.tensor2d([x]))
    const want = (sigmoidCe(3, 1) + sigmoidCe(-2, 0)) / 2
    expect(values(lossFn(spec('binary_crossentropy'))(tf.core, tf.core.tensor2d([[1, 0]]), p))[0]).toBeCloseTo(want, 5)
  })

  it('other activations carry no logits', () => {
    const p = activationFn(tf.core, 'keras3', 'tanh')(tf.core.tensor2d([[1]]))
    expect(kerasLogits(p)).toBeUndefined()
    const multi = activationFn(tf.core, 'keras3', {class_name: 'Softmax', config: {axis: [0, 1]}})(tf.core.tensor2d([[1, 2]]))
    expect(kerasLogits(multi)).toBeUndefined()
    const single = activationFn(tf.core, 'keras3', {class_name: 'Softmax', config: {axis: -1}})(tf.core.tensor2d([[1, 2]]))
    expect(kerasLogits(single)?.kind).toBe('softmax')
  })
})

describe('binary crossentropy from probabilities', () => {
  it('tf-keras adds ε inside the logs, Keras 3 does not', () => {
    const y = tf.core.tensor2d([[1, 0]])
    const p = tf.core.tensor2d([[1e-3, 0.5]])
    const fn = lossFn(spec('binary_crossentropy'))
    const k3 = -(Math.log(1e-3) + Math.log(0.5)) / 2
    const k2 = -(Math.log(1e-3 + 1e-7) + Math.log(0.5 + 1e-7)) / 2
    expect(values(fn(tf.core, y, p, 'keras3'))[0]).toBeCloseTo(k3, 5)
    expect(values(fn(tf.core, y, p, 'keras2'))[0]).toBeCloseTo(k2, 5)
    // saturated: clip(p) = 1e-7, so log(2e-7) for tf-keras against log(1e-7)
    const sat = tf.core.tensor2d([[0, 0.5]])
    expect(values(fn(tf.core, y, sat, 'keras2'))[0]).toBeCloseTo(-(Math.log(2e-7) + Math.log(0.5 + 1e-7)) / 2, 3)
    expect(values(fn(tf.core, y, sat, 'keras3'))[0]).toBeCloseTo(-(Math.log(1e-7) + Math.log(0.5)) / 2, 3)
  })
})
