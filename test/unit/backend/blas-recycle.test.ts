import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {disableBlasKernels, enableBlasKernels} from '../../../src/core/backend/blas.js'
import {freeBytesHeld} from '../../../src/core/backend/blas/recycle.js'
import {random, skipReason, tf} from './blas-helpers.js'

// 32,768 floats: above the size from which kernel outputs are recycled.
const SHAPE = [64, 512]

/** The cpu backend's own array behind a tensor (what a recycled output would share). */
const backing = (t: ReturnType<typeof tf.relu>): unknown =>
  (tf.backend() as unknown as {data: {get(id: object): {values: unknown}}}).data.get(t.dataId).values

describe.skipIf(skipReason !== undefined)('reuse of BLAS kernel outputs', () => {
  beforeEach(() => {
    expect(enableBlasKernels(tf).enabled).toBe(true)
  })
  afterEach(() => disableBlasKernels(tf))

  it('gives a disposed output array to the next output of that length, with the new values', () => {
    const x = random(SHAPE, 1)
    const first = tf.relu(x)
    const array = backing(first)
    const held = freeBytesHeld()
    first.dispose()
    expect(freeBytesHeld()).toBe(held + 64 * 512 * 4)
    const second = tf.tidy(() => tf.relu(tf.neg(x)))
    expect(backing(second)).toBe(array)
    const expected = Array.from(x.dataSync(), (v) => Math.max(0, -v))
    expect(Array.from(second.dataSync())).toEqual(expected)
    tf.dispose([x, second])
  })

  it('never reuses an array that was read out (the caller may keep it after dispose)', () => {
    const x = random(SHAPE, 2)
    const first = tf.relu(x)
    const values = first.dataSync()
    const copy = Array.from(values)
    first.dispose()
    const second = tf.tidy(() => tf.relu(tf.neg(x)))
    expect(backing(second)).not.toBe(values)
    expect(Array.from(values)).toEqual(copy)
    tf.dispose([x, second])
  })

  it('never reuses an array another tensor views (a contiguous slice shares the buffer)', () => {
    const x = random(SHAPE, 3)
    const first = tf.relu(x)
    const view = tf.slice(first, [0, 0], [32, 512])
    const before = Array.from(tf.clone(view).dataSync())
    first.dispose()
    const second = tf.tidy(() => tf.relu(tf.neg(x)))
    expect(Array.from(view.dataSync())).toEqual(before)
    tf.dispose([x, view, second])
  })
})
