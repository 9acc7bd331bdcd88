/**
 * The preprocessing compute functions (src/core/compute/preprocessing*.ts) on what the compute oracle does not
 * reach: training-mode behaviour (random augmentation refused by name, a saved `training=True` call argument
 * refused at inference too, RandomCrop's deterministic training paths, MaxNumBoundingBoxes and AutoContrast in
 * training), the refusals Keras's own errors call for (tf-keras CategoryEncoding's range assertion, Keras 3's
 * rank-3 multi_hot, IntegerLookup without an in-config vocabulary or with OOV values and no OOV index,
 * Discretization without boundaries), the resize kernels against hand-computed values, Discretization's NaN
 * bucket, and TensorFlow's hashes against values TensorFlow 2.21 printed
 * (`tf.strings.to_hash_bucket_fast/strong(s, 2**63 - 1)`, `tf.sparse.cross_hashed([a, b], 0)`).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {beforeAll, describe, expect, it} from 'vitest'
import type {Core} from '../../../src/core/backend/runtime.js'
import {PREPROCESSING_COMPUTE, PREPROCESSING_REFUSED} from '../../../src/core/compute/preprocessing.js'
import {asUint64, fingerprint64, fingerprintCat64, sipHash24} from '../../../src/core/compute/preprocessing-fingerprint.js'
import {resizeImages} from '../../../src/core/compute/image-resize.js'
import {computeCall, cpuCore} from './call.js'
import type {ComputeCall} from '../../../src/core/compute/types.js'
import {BackendError} from '../../../src/core/errors.js'
import type {JsonObject} from '../../../src/core/json.js'

let tf: Core

beforeAll(async () => {
  tf = await cpuCore()
})

interface Options {
  generation?: 'keras2' | 'keras3'
  training?: boolean
  call_kwargs?: JsonObject
}

/** Runs one call of `className` on `inputs`; returns its first output's shape and values. */
function run(className: string, config: JsonObject, inputs: Tensor[], o: Options = {}): {shape: number[]; values: number[]} {
  const fn = PREPROCESSING_COMPUTE[className]
  if (fn === undefined) throw new Error(`no compute for ${className}`)
  const c: ComputeCall = computeCall({
    tf, class_name: className, config, generation: o.generation ?? 'keras3', keras_version: null, inputs,
    masks: inputs.map(() => null), kwargs: {}, call_kwargs: o.call_kwargs ?? {}, call_args: [], weights: [], training: o.training ?? false,
    input_shapes: inputs.map((x) => [null, ...x.shape.slice(1)]), output_shapes: [null],
    inner: () => { throw new Error('no inner layer') },
    assign: () => { throw new Error('no assign') },
    addLoss: () => { throw new Error('no loss') },
    state: {get: () => undefined, set: () => undefined},
    seed: () => 1,
  })
  const y = fn.call(c).outputs[0]
  if (y === undefined) throw new Error('no output')
  return {shape: y.shape, values: Array.from(y.dataSync())}
}

/** The BackendError message `fn` throws (fails the test when it does not throw one). */
function refusal(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(BackendError)
    return (error as Error).message
  }
  throw new Error('expected a BackendError')
}

const image = (): Tensor => tf.tensor4d(Array.from({length: 2 * 4 * 4 * 3}, (_, i) => (i * 37) % 255), [2, 4, 4, 3])

describe('augmentation in training', () => {
  it('a random layer is the identity at inference and refused by name in training', () => {
    const x = image()
    expect(run('RandomFlip', {}, [x]).values).toEqual(Array.from(x.dataSync()))
    const message = refusal(() => run('RandomFlip', {}, [x], {training: true}))
    expect(message).toContain('RandomFlip')
    expect(message).toContain('training')
  })

  it('a saved training=True call argument applies the random transform at inference: refused', () => {
    expect(refusal(() => run('RandomRotation', {factor: 0.2}, [image()], {call_kwargs: {training: true}}))).toContain('RandomRotation')
  })

  it('Equalization equalizes only in training: refused there, identity at inference', () => {
    expect(refusal(() => run('Equalization', {}, [image()], {training: true}))).toContain('Equalization')
    expect(run('Equalization', {}, [image()]).values).toEqual(Array.from(image().dataSync()))
  })

  it('MaxNumBoundingBoxes returns the images in training too', () => {
    expect(run('MaxNumBoundingBoxes', {max_number: 2}, [image()], {training: true}).values).toEqual(Array.from(image().dataSync()))
  })

  it('AutoContrast stretches each channel to 0–255 in training as at inference; a constant channel keeps its values', () => {
    const x = tf.tensor4d([10, 7, 20, 7, 30, 7, 50, 7], [1, 2, 2, 2])
    const expected = [0, 7, 63.75, 7, 127.5, 7, 255, 7]
    expect(run('AutoContrast', {}, [x], {training: true}).values).toEqual(expected)
    expect(run('AutoContrast', {}, [x]).values).toEqual(expected)
  })

  it('RandomCrop: Keras 3 keeps the image at inference; Keras 2 smart-resizes; training crops randomly only on a larger image', () => {
    const x = image()
    expect(run('RandomCrop', {height: 2, width: 2}, [x]).shape).toEqual([2, 4, 4, 3])
    expect(run('RandomCrop', {height: 2, width: 2}, [x], {generation: 'keras2'}).shape).toEqual([2, 2, 2, 3])
    expect(refusal(() => run('RandomCrop', {height: 2, width: 2}, [x], {training: true}))).toContain('random position')
    expect(refusal(() => run('RandomCrop', {height: 4, width: 4}, [x], {generation: 'keras2', training: true}))).toContain('RandomCrop')
    // Keras 3 in training, image not larger than the crop: the centered crop, resized to the crop size.
    expect(run('RandomCrop', {height: 4, width: 4}, [x], {training: true}).values).toEqual(Array.from(x.dataSync()))
    expect(run('RandomCrop', {height: 6, width: 6}, [x], {training: true}).shape).toEqual([2, 6, 6, 3])
  })
})

describe('resize kernels', () => {
  const grid = (): Tensor => tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1])

  it('area halving averages 2×2 blocks; bilinear halving with half-pixel centers does the same', () => {
    const means = [3.5, 5.5, 11.5, 13.5]
    expect(Array.from(resizeImages(tf, grid(), 2, 2, 'area').dataSync())).toEqual(means)
    expect(Array.from(resizeImages(tf, grid(), 2, 2, 'bilinear').dataSync())).toEqual(means)
  })

  it('same size is the identity for bilinear and bicubic; nearest keeps the dtype', () => {
    expect(Array.from(resizeImages(tf, grid(), 4, 4, 'bilinear').dataSync())).toEqual(Array.from(grid().dataSync()))
    expect(Array.from(resizeImages(tf, grid(), 4, 4, 'bicubic').dataSync())).toEqual(Array.from(grid().dataSync()))
    const ints = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1], 'int32')
    const up = resizeImages(tf, ints, 4, 4, 'nearest')
    expect(up.dtype).toBe('int32')
    expect(Array.from(up.dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
  })

  it('Keras 3 Resizing rounds an integer image half to even; Keras 2 returns floats', () => {
    const x = tf.tensor4d([0, 1, 2, 3], [1, 1, 4, 1], 'int32')
    expect(run('Resizing', {height: 1, width: 2}, [x]).values).toEqual([0, 2])
    expect(run('Resizing', {height: 1, width: 2}, [x], {generation: 'keras2'}).values).toEqual([0.5, 2.5])
  })

  it('Keras 3 refuses gaussian and mitchellcubic, which its resize rejects', () => {
    expect(refusal(() => run('Resizing', {height: 2, width: 2, interpolation: 'gaussian'}, [image()]))).toContain("'interpolation'")
    expect(run('Resizing', {height: 2, width: 2, interpolation: 'gaussian'}, [image()], {generation: 'keras2'}).shape).toEqual([2, 2, 2, 3])
  })
})

describe('categorical layers', () => {
  it('tf-keras CategoryEncoding refuses values outside [0, num_tokens), as its assertion does; Keras 3 drops them', () => {
    const x = tf.tensor2d([[1, 5]], [1, 2], 'int32')
    expect(refusal(() => run('CategoryEncoding', {num_tokens: 4, output_mode: 'multi_hot'}, [x], {generation: 'keras2'}))).toContain('num_tokens=4')
    expect(run('CategoryEncoding', {num_tokens: 4, output_mode: 'multi_hot'}, [x]).values).toEqual([0, 1, 0, 0])
  })

  it('Keras 3 multi_hot of a rank-3 input is refused (Keras counts along axis 1, not the declared last axis)', () => {
    const x = tf.tensor3d([[[1, 2], [3, 0]]], [1, 2, 2], 'int32')
    expect(refusal(() => run('CategoryEncoding', {num_tokens: 4, output_mode: 'multi_hot'}, [x]))).toContain('axis 1')
  })

  it('Discretization puts NaN past the last boundary and a value equal to a boundary above it', () => {
    const x = tf.tensor2d([[Number.NaN, 0, -1, 0.5]], [1, 4])
    expect(run('Discretization', {bin_boundaries: [0, 0.5]}, [x]).values).toEqual([2, 1, 0, 2])
    expect(refusal(() => run('Discretization', {bin_boundaries: null, num_bins: 3}, [x], {generation: 'keras2'}))).toContain('adapt')
  })

  it('IntegerLookup refuses a vocabulary outside the config and an OOV value with no OOV index', () => {
    const x = tf.tensor2d([[1, 9]], [1, 2], 'int32')
    expect(refusal(() => run('IntegerLookup', {vocabulary: null}, [x]))).toContain('vocabulary')
    expect(refusal(() => run('IntegerLookup', {vocabulary: 'vocab.txt'}, [x]))).toContain('file path')
    expect(refusal(() => run('IntegerLookup', {vocabulary: [1, 2], num_oov_indices: 0}, [x]))).toContain('num_oov_indices=0')
    expect(run('IntegerLookup', {vocabulary: [1, 2], num_oov_indices: 2}, [x]).values).toEqual([2, 1])
  })

  it('a vocabulary that lists the special tokens first has them stripped', () => {
    const x = tf.tensor2d([[0, -1, 7, 8, 5]], [1, 5], 'int32')
    expect(run('IntegerLookup', {vocabulary: [0, -1, 7, 8], mask_token: 0}, [x]).values).toEqual([0, 1, 2, 3, 1])
  })

  it('the string layers are refused with a reason', () => {
    for (const name of ['StringLookup', 'TextVectorization']) {
      expect(PREPROCESSING_REFUSED[name], name).toMatch(/\w+ \w+/)
      expect(PREPROCESSING_COMPUTE[name], name).toBeUndefined()
    }
  })
})

describe("TensorFlow's hashes", () => {
  const N = (1n << 63n) - 1n
  const cases: Array<[string, string, string]> = [
    ['', '1936946117179621456', '4673399734692642358'],
    ['1', '80785766752259042', '7789803104999613752'],
    ['-5', '8479213860049130009', '562316372813214598'],
    ['12345678', '3430003927990384362', '163965916295423221'],
    ['-2147483648', '6520386892892340469', '8780856648312868785'],
    ['9223372036854775807', '3516461496058286512', '3937916156356379094'],
    ['abcdefghijklmnopqrstuvwxyz012345', '934449955909727258', '2798029230285479514'],
  ]

  it.each(cases)('%j: Fingerprint64 and SipHash-2-4 keyed (7, 7), modulo 2^63 − 1', (text, fast, strong) => {
    expect((fingerprint64(text) % N).toString()).toBe(fast)
    expect((sipHash24([7n, 7n], text) % N).toString()).toBe(strong)
  })

  it('cross_hashed chains FingerprintCat64 from 0xDECAFCAFFE over the int64 values', () => {
    const cross = (a: bigint, b: bigint): string => (fingerprintCat64(fingerprintCat64(0xdecafcaffen, asUint64(a)), asUint64(b)) % N).toString()
    expect(cross(3n, 5n)).toBe('2006280100988443412')
    expect(cross(-1n, 7n)).toBe('3042946296538672674')
    expect(cross(2147483647n, -9n)).toBe('1384297265191478576')
  })

  it('Hashing with a mask value puts it in bin 0 and hashes the rest into bins 1 … num_bins − 1', () => {
    const x = tf.tensor2d([[0, 1, 12]], [1, 3], 'int32')
    const bins = [0, ...[1n, 12n].map((v) => Number(fingerprint64(v.toString()) % 4n) + 1)]
    expect(run('Hashing', {num_bins: 5, mask_value: 0}, [x]).values).toEqual(bins)
    expect(refusal(() => run('Hashing', {num_bins: 5}, [tf.tensor2d([[1.5]])], {generation: 'keras2'}))).toContain('integer')
  })
})
