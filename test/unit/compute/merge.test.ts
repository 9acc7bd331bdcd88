/**
 * The merge compute functions (src/core/compute/merge*.ts) on what the compute oracle does not reach: the
 * output masks (Keras 2 ANDs the masks that exist, Keras 3 ORs them when all exist; Concatenate's joined mask),
 * Keras 3's masked values in Maximum / Multiply, Keras 1's `Merge` (no Keras 1 to ask: its modes computed by
 * hand), batch_dot's rank handling, and the refusals. The masked expectations were printed by tf-keras 2.21 and
 * Keras 3.15 for the same inputs (Masking on a, then the merge).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {beforeAll, describe, expect, it} from 'vitest'
import type {Core} from '../../../src/core/backend/runtime.js'
import {MERGE_COMPUTE} from '../../../src/core/compute/merge.js'
import {computeCall, cpuCore} from './call.js'
import type {ComputeCall} from '../../../src/core/compute/types.js'
import type {JsonObject} from '../../../src/core/json.js'

let tf: Core

beforeAll(async () => {
  tf = await cpuCore()
})

interface Options {
  generation?: 'keras2' | 'keras3'
  masks?: Array<number[][] | null>
  keras_version?: string | null
}

function run(className: string, config: JsonObject, inputs: Tensor[], o: Options = {}): {y: number[]; shape: number[]; mask: number[] | null} {
  const fn = MERGE_COMPUTE[className]
  if (fn === undefined) throw new Error(`no compute for ${className}`)
  const c: ComputeCall = computeCall({
    tf, class_name: className, config, generation: o.generation ?? 'keras3', keras_version: o.keras_version ?? null, inputs,
    masks: inputs.map((_, i) => {
      const m = o.masks?.[i] ?? null
      return m === null ? null : tf.tensor(m, undefined, 'bool')
    }),
    kwargs: {}, call_kwargs: {}, weights: [], training: false, input_shapes: inputs.map((x) => [null, ...x.shape.slice(1)]), output_shapes: [null],
    inner: () => { throw new Error('no inner layer') }, assign: () => undefined, addLoss: () => undefined, state: {get: () => undefined, set: () => undefined}, seed: () => 0,
  })
  const out = fn.call(c)
  const y = out.outputs[0] as Tensor
  const mask = out.masks?.[0] ?? null
  return {y: Array.from(y.dataSync()), shape: y.shape, mask: mask === null ? null : Array.from(mask.dataSync())}
}

function close(got: number[], want: number[], tol = 1e-6): void {
  expect(got).toHaveLength(want.length)
  got.forEach((v, i) => expect(Math.abs(v - (want[i] ?? 0))).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i] ?? 0))))
}

function refusal(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    return `${(error as {code?: string}).code ?? ''}: ${(error as Error).message}`
  }
  return 'no error'
}

// Two (2, 2, 3) batches; step 1 of sample 0 of a and step 0 of sample 1 of b are masked out (all zeros).
const A = [-1.25, -1.0, -0.75, 0.0, 0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5]
const B = [-1.0, 0.0, 1.0, -0.5, 0.5, -1.0, 0.0, 0.0, 0.0, 0.5, -1.0, 0.0]
const MASK_A = [[1, 0], [1, 1]]
const MASK_B = [[1, 1], [0, 1]]
const a = (): Tensor => tf.tensor(A, [2, 2, 3])
const b = (): Tensor => tf.tensor(B, [2, 2, 3])

describe('element-wise merges: output masks per generation', () => {
  it('Keras 2 ANDs the masks that exist; Keras 3 ORs them only when every input has one', () => {
    const sum = A.map((v, i) => v + (B[i] ?? 0))
    const k2both = run('Add', {}, [a(), b()], {generation: 'keras2', masks: [MASK_A, MASK_B]})
    close(k2both.y, sum)
    expect(k2both.mask).toEqual([1, 0, 0, 1])
    expect(run('Add', {}, [a(), b()], {generation: 'keras2', masks: [MASK_A, null]}).mask).toEqual([1, 0, 1, 1])
    expect(run('Add', {}, [a(), b()], {masks: [MASK_A, MASK_B]}).mask).toEqual([1, 1, 1, 1])
    expect(run('Add', {}, [a(), b()], {masks: [MASK_A, null]}).mask).toBeNull()
    expect(run('Add', {}, [a(), b()]).mask).toBeNull()
  })

  it('Keras 3 Maximum takes masked-out values from the other input; Keras 2 ignores masks', () => {
    const k3 = run('Maximum', {}, [a(), b()], {masks: [MASK_A, MASK_B]})
    close(k3.y, [-1.0, 0.0, 1.0, -0.5, 0.5, -1.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5])
    expect(k3.mask).toEqual([1, 1, 1, 1])
    close(run('Maximum', {}, [a(), b()], {generation: 'keras2', masks: [MASK_A, MASK_B]}).y, A.map((v, i) => Math.max(v, B[i] ?? 0)))
  })

  it('Keras 3 Multiply counts masked-out values as 1', () => {
    const one = run('Multiply', {}, [a(), b()], {masks: [MASK_A, null]})
    close(one.y, [1.25, -0.0, -0.75, -0.5, 0.5, -1.0, 0.0, 0.0, 0.0, 0.5, -1.25, 0.0])
    expect(one.mask).toBeNull()
    const both = run('Multiply', {}, [a(), b()], {masks: [MASK_A, MASK_B]})
    close(both.y, [1.25, -0.0, -0.75, -0.5, 0.5, -1.0, 0.25, 0.5, 0.75, 0.5, -1.25, 0.0])
    expect(both.mask).toEqual([1, 1, 1, 1])
  })

  it('inputs of lower rank are expanded at axis 1, then broadcast', () => {
    const r = run('Subtract', {}, [tf.tensor([[1, 2, 3], [4, 5, 6]]), tf.tensor([[10], [20]])])
    close(r.y, [-9, -8, -7, -16, -15, -14])
    const avg = run('Average', {}, [tf.tensor(A, [2, 2, 3]), tf.tensor([[1, 2, 3], [4, 5, 6]])])
    expect(avg.shape).toEqual([2, 2, 3])
    close(avg.y, A.map((v, i) => (v + (Math.floor(i / 6) * 3 + (i % 3) + 1)) / 2))
  })

  it('Subtract refuses other than two inputs', () => {
    expect(refusal(() => run('Subtract', {}, [a(), b(), a()]))).toMatch(/^KM_BACKEND_UNSUPPORTED_ARGUMENT: Layer class Subtract: it is called on 3 inputs/)
  })
})

describe('Concatenate masks', () => {
  it('Keras 2: all over the joined masks (an unmasked input all-true); Keras 3: any', () => {
    expect(run('Concatenate', {}, [a(), b()], {generation: 'keras2', masks: [MASK_A, MASK_B]}).mask).toEqual([1, 0, 0, 1])
    expect(run('Concatenate', {}, [a(), b()], {generation: 'keras2', masks: [MASK_A, null]}).mask).toEqual([1, 0, 1, 1])
    expect(run('Concatenate', {}, [a(), b()], {masks: [MASK_A, MASK_B]}).mask).toEqual([1, 1, 1, 1])
    expect(run('Concatenate', {}, [a(), b()], {masks: [MASK_A, null]}).mask).toEqual([1, 1, 1, 1])
    expect(run('Concatenate', {}, [a(), b()]).mask).toBeNull()
  })

  it('along the time axis the masks are joined in order', () => {
    const r = run('Concatenate', {axis: 1}, [a(), b()], {generation: 'keras2', masks: [MASK_A, MASK_B]})
    expect(r.shape).toEqual([2, 4, 3])
    expect(r.mask).toEqual([1, 0, 1, 1, 1, 1, 0, 1])
  })

  it('refuses a Keras 2 time-axis join of a masked and an unmasked input (tf-keras fails too)', () => {
    expect(refusal(() => run('Concatenate', {axis: 1}, [a(), b()], {generation: 'keras2', masks: [MASK_A, null]}))).toMatch(/cannot be concatenated along axis 1/)
  })
})

describe('Dot', () => {
  it('rank 2 × rank 2 gives (batch, 1); normalize gives the cosine', () => {
    const x = (): Tensor => tf.tensor([[1, 2, 2], [3, 0, 4]])
    const y = (): Tensor => tf.tensor([[2, 0, 1], [1, 1, 1]])
    const r = run('Dot', {axes: 1}, [x(), y()])
    expect(r.shape).toEqual([2, 1])
    close(r.y, [4, 7])
    close(run('Dot', {axes: -1, normalize: true}, [x(), y()], {generation: 'keras2'}).y, [4 / (3 * Math.sqrt(5)), 7 / (5 * Math.sqrt(3))])
  })

  it('rank 2 × rank 3 contracts the matching axis and drops the added one', () => {
    const r = run('Dot', {axes: [1, 1]}, [tf.tensor([[1, 2]]), tf.tensor([[[1, 2, 3], [4, 5, 6]]])])
    expect(r.shape).toEqual([1, 3])
    close(r.y, [9, 12, 15])
  })

  it('refuses the batch axis, and ranks above 3 for a Keras 2.1 file', () => {
    expect(refusal(() => run('Dot', {axes: 0}, [a(), b()]))).toMatch(/includes the batch axis 0/)
    const x4 = (): Tensor => tf.zeros([1, 2, 2, 3])
    expect(refusal(() => run('Dot', {axes: -1}, [x4(), x4()], {generation: 'keras2', keras_version: '2.1.6'}))).toMatch(/inputs of rank 4 and 4 are not computed by kmodel for a Keras 2\.1\.6 file/)
    expect(run('Dot', {axes: -1}, [x4(), x4()], {generation: 'keras2', keras_version: '2.1.6-tf'}).shape).toEqual([1, 2, 2, 2, 2])
  })
})

describe('Keras 1 Merge', () => {
  const k1 = {generation: 'keras2' as const, keras_version: '1.2.2'}
  const x = (): Tensor => tf.tensor([[1, -2, 3], [0.5, 4, -1]])
  const y = (): Tensor => tf.tensor([[2, 1, -1], [3, -2, 2]])
  const X = [1, -2, 3, 0.5, 4, -1]
  const Y = [2, 1, -1, 3, -2, 2]

  it('sum, ave, mul, max element-wise', () => {
    close(run('Merge', {mode: 'sum'}, [x(), y()], k1).y, X.map((v, i) => v + (Y[i] ?? 0)))
    close(run('Merge', {mode: 'ave'}, [x(), y()], k1).y, X.map((v, i) => (v + (Y[i] ?? 0)) / 2))
    close(run('Merge', {mode: 'mul'}, [x(), y()], k1).y, X.map((v, i) => v * (Y[i] ?? 0)))
    close(run('Merge', {mode: 'max'}, [x(), y()], k1).y, X.map((v, i) => Math.max(v, Y[i] ?? 0)))
    close(run('Merge', {}, [x(), y()], k1).y, X.map((v, i) => v + (Y[i] ?? 0)))
  })

  it('concat on concat_axis; dot and cos along dot_axes', () => {
    const cat = run('Merge', {mode: 'concat', concat_axis: 1}, [x(), y()], k1)
    expect(cat.shape).toEqual([2, 6])
    close(cat.y, [1, -2, 3, 2, 1, -1, 0.5, 4, -1, 3, -2, 2])
    const dot = run('Merge', {mode: 'dot', dot_axes: [1, 1]}, [x(), y()], k1)
    expect(dot.shape).toEqual([2, 1])
    close(dot.y, [-3, -8.5])
    const cos = run('Merge', {mode: 'cos', dot_axes: -1}, [x(), y()], k1)
    expect(cos.shape).toEqual([2, 1])
    close(cos.y, [-3 / Math.sqrt(14 * 6), -8.5 / Math.sqrt(17.25 * 17)])
  })

  it('elementwise masks AND, concat masks join, dot passes none', () => {
    expect(run('Merge', {mode: 'sum'}, [a(), b()], {...k1, masks: [MASK_A, MASK_B]}).mask).toEqual([1, 0, 0, 1])
    expect(run('Merge', {mode: 'concat'}, [a(), b()], {...k1, masks: [MASK_A, null]}).mask).toEqual([1, 0, 1, 1])
    expect(run('Merge', {mode: 'dot', dot_axes: [2, 2]}, [a(), b()], {...k1, masks: [MASK_A, MASK_B]}).mask).toBeNull()
  })

  it('refuses a lambda mode and ranks Keras 1 batch_dot computed otherwise', () => {
    expect(refusal(() => run('Merge', {mode: ['4wEAAAAA', null, null], mode_type: 'lambda'}, [x(), y()], k1))).toMatch(/^KM_BACKEND_UNSUPPORTED_ARGUMENT: Layer class Merge: argument 'mode' is Python code/)
    expect(refusal(() => run('Merge', {mode: 'dot', dot_axes: -1}, [tf.zeros([1, 2, 2, 3]), tf.zeros([1, 2, 2, 3])], k1))).toMatch(/rank 4 and 4 is not computed/)
    expect(refusal(() => run('Merge', {mode: 'cos', dot_axes: [2, 2]}, [a(), b()], k1))).toMatch(/mode 'cos' on inputs of rank 3/)
  })
})
