/**
 * Compute cases, shape family: reshaping (Reshape, Flatten, Permute, RepeatVector, Cropping / ZeroPadding /
 * UpSampling 1D–3D), the merge layers as functional models, Embedding on int32 inputs (mask_zero into a
 * mask-aware pooling), ReversibleEmbedding (Keras 3.12+) and Masking.
 */
import type {Generation} from '../harness.js'
import {type Args, type ComputeCase, graph, type InputSpec, idOf, one, stack} from './compute-build.js'

const CF = {data_format: 'channels_first'}

function reshaping(): ComputeCase[] {
  return [
    one('Reshape', {target_shape: [2, 6]}, [3, 4]),
    one('Reshape', {target_shape: [-1, 2]}, [3, 4]),
    one('Reshape', {target_shape: [12]}, [3, 4]),
    one('Reshape', {target_shape: [2, 2, 3]}, [12]),
    one('Flatten', {}, [2, 3, 2]),
    one('Flatten', CF, [2, 3, 2]),
    one('Flatten', CF, [2, 2, 3, 2], {}, ' on rank 5'),
    one('Permute', {dims: [2, 1]}, [3, 4]),
    one('Permute', {dims: [3, 1, 2]}, [2, 3, 2]),
    one('RepeatVector', {n: 3}, [4]),
  ]
}

function croppingPadding(): ComputeCase[] {
  return [
    one('Cropping1D', {}, [6, 2]),
    one('Cropping1D', {cropping: [1, 2]}, [6, 2]),
    one('Cropping2D', {cropping: 1}, [5, 5, 2]),
    one('Cropping2D', {cropping: [[1, 0], [0, 2]]}, [5, 5, 2]),
    one('Cropping2D', {cropping: [[1, 0], [0, 2]], ...CF}, [2, 5, 5]),
    one('Cropping3D', {cropping: 1}, [4, 4, 4, 2]),
    one('Cropping3D', {cropping: [[1, 0], [0, 1], [1, 1]]}, [4, 4, 4, 2]),
    one('Cropping3D', {cropping: [[1, 0], [0, 1], [1, 1]], ...CF}, [2, 4, 4, 4]),
    one('ZeroPadding1D', {}, [4, 2]),
    one('ZeroPadding1D', {padding: [1, 2]}, [4, 2]),
    one('ZeroPadding2D', {padding: 1}, [3, 3, 2]),
    one('ZeroPadding2D', {padding: [[1, 0], [2, 1]]}, [3, 3, 2]),
    one('ZeroPadding2D', {padding: [[1, 0], [2, 1]], ...CF}, [2, 3, 3]),
    one('ZeroPadding3D', {padding: 1}, [2, 2, 2, 1]),
    one('ZeroPadding3D', {padding: [[1, 0], [0, 1], [1, 1]]}, [2, 2, 2, 1]),
    one('ZeroPadding3D', {padding: [[1, 0], [0, 1], [1, 1]], ...CF}, [1, 2, 2, 2]),
  ]
}

/** UpSampling2D's interpolations per generation (Keras 3 ops.image.resize; tf-keras image_utils). */
const INTERPOLATIONS: Record<Generation, readonly string[]> = {
  keras3: ['nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5', 'area'],
  keras2: ['nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5', 'area', 'gaussian', 'mitchellcubic'],
}

function upSampling(g: Generation): ComputeCase[] {
  const cases = [
    one('UpSampling1D', {}, [3, 2]),
    one('UpSampling1D', {size: 3}, [3, 2]),
    ...INTERPOLATIONS[g].map((interpolation) => one('UpSampling2D', {size: [2, 3], interpolation}, [3, 3, 2])),
    one('UpSampling2D', {size: 2, interpolation: 'nearest', ...CF}, [2, 3, 3]),
    one('UpSampling2D', {size: 2, interpolation: 'bilinear', ...CF}, [2, 3, 3]),
    one('UpSampling3D', {}, [2, 2, 2, 1]),
    one('UpSampling3D', {size: [1, 2, 3]}, [2, 2, 2, 1]),
    one('UpSampling3D', {size: 2, ...CF}, [1, 2, 2, 2]),
  ]
  return cases
}

const inputs = (shapes: number[][]): InputSpec[] => shapes.map((shape, i) => ({name: `x${i}`, shape}))

/** One merge layer called on several inputs. */
function merge(className: string, args: Args, shapes: number[][]): ComputeCase {
  const names = shapes.map((_s, i) => `x${i}`)
  const id = `${idOf(className, args)} on ${shapes.map((s) => JSON.stringify(s)).join(' ')}`
  return graph(id, inputs(shapes), [{name: 'l', class_name: className, args}], [{layer: 'l', inputs: names, output: 'y'}], ['y'])
}

function merging(): ComputeCase[] {
  const two = [[3, 4], [3, 4]]
  const three = [[3, 4], [3, 4], [3, 4]]
  const cases = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'].map((c) => merge(c, {}, two))
  for (const c of ['Add', 'Average', 'Minimum']) cases.push(merge(c, {}, three))
  cases.push(
    merge('Concatenate', {}, [[3, 4], [3, 2]]),
    merge('Concatenate', {axis: 1}, [[3, 4], [2, 4]]),
    merge('Concatenate', {axis: -1}, [[2, 2, 1], [2, 2, 3], [2, 2, 2]]),
    merge('Dot', {axes: 1}, [[4], [4]]),
    merge('Dot', {axes: [2, 2]}, [[3, 4], [2, 4]]),
    merge('Dot', {axes: [1, 1], normalize: true}, [[3, 4], [3, 2]]),
    merge('Dot', {axes: -1, normalize: true}, [[4], [4]]),
  )
  return cases
}

const INT = {dtype: 'int32', range: [0, 6] as [number, number]}

function embedding(g: Generation): ComputeCase[] {
  const cases = [
    one('Embedding', {input_dim: 6, output_dim: 3}, [4], INT),
    one('Embedding', {input_dim: 6, output_dim: 2}, [2, 3], INT, ' on rank 3'),
    stack('Embedding+GlobalAveragePooling1D/mask_zero=true', [5], [['Embedding', {input_dim: 6, output_dim: 3, mask_zero: true}], ['GlobalAveragePooling1D', {}]], INT),
    stack('Embedding+GlobalAveragePooling1D/mask_zero=false', [5], [['Embedding', {input_dim: 6, output_dim: 3}], ['GlobalAveragePooling1D', {}]], INT),
    stack('Embedding+Flatten+Dense/mask_zero=false', [4], [['Embedding', {input_dim: 6, output_dim: 2}], ['Flatten', {}], ['Dense', {units: 2}]], INT),
  ]
  if (g === 'keras2') cases.push(one('Embedding', {input_dim: 6, output_dim: 3, input_length: 4}, [4], INT))
  if (g === 'keras3') {
    cases.push(
      one('ReversibleEmbedding', {input_dim: 6, output_dim: 3}, [4], INT),
      one('ReversibleEmbedding', {input_dim: 6, output_dim: 3, tie_weights: false}, [4], INT),
    )
  }
  return cases
}

/** Masked timesteps: step 1 of sample 0 and steps 0 and 3 of sample 1 are all mask_value. */
export const MASKED_STEPS = (value: number): Array<{index: number[]; value: number}> => [
  {index: [0, 1], value},
  {index: [1, 0], value},
  {index: [1, 3], value},
]

function masking(): ComputeCase[] {
  return [
    one('Masking', {}, [4, 3], {set: MASKED_STEPS(0)}),
    one('Masking', {mask_value: 0.5}, [4, 3], {set: MASKED_STEPS(0.5)}),
    stack('Masking+GlobalAveragePooling1D/mask_value=0', [4, 3], [['Masking', {mask_value: 0}], ['GlobalAveragePooling1D', {}]], {set: MASKED_STEPS(0)}),
    stack('Masking+GlobalMaxPooling1D/mask_value=0', [4, 3], [['Masking', {mask_value: 0}], ['GlobalMaxPooling1D', {}]], {set: MASKED_STEPS(0)}),
  ]
}

/**
 * Beyond the defaults: a middle -1, a 4-D permutation, non-square images resized by unequal factors, a masked
 * average kept as (1, features), non-square pooling windows, and Keras 3's adaptive pooling on uneven windows.
 */
function extras(g: Generation): ComputeCase[] {
  const cases = [
    one('Reshape', {target_shape: [3, -1, 2]}, [3, 4]),
    one('Permute', {dims: [2, 3, 1]}, [2, 3, 4]),
    one('Cropping2D', {cropping: [1, 2]}, [5, 6, 2]),
    ...INTERPOLATIONS[g].map((interpolation) => one('UpSampling2D', {size: [3, 2], interpolation}, [3, 4, 2], {}, ' on 3x4')),
    stack('Masking+GlobalAveragePooling1D/keepdims=true', [4, 3], [['Masking', {mask_value: 0}], ['GlobalAveragePooling1D', {keepdims: true}]], {set: MASKED_STEPS(0)}),
    one('MaxPooling2D', {pool_size: [3, 2], strides: [2, 1], padding: 'same'}, [5, 4, 2]),
    one('AveragePooling2D', {pool_size: [3, 2], strides: [2, 1], padding: 'same'}, [5, 4, 2]),
    one('GlobalMaxPooling3D', {keepdims: true, data_format: 'channels_first'}, [2, 3, 3, 3]),
  ]
  if (g === 'keras3') {
    cases.push(
      one('ZeroPadding1D', {padding: [1, 2], data_format: 'channels_first'}, [2, 4]),
      one('AdaptiveMaxPooling1D', {output_size: 3}, [5, 2]),
      one('AdaptiveAveragePooling2D', {output_size: [3, 2]}, [5, 3, 2]),
      one('AdaptiveAveragePooling3D', {output_size: [2, 3, 2]}, [3, 5, 4, 1]),
    )
  }
  return cases
}

/** The shape family for one generation. */
export function shapeCases(g: Generation): ComputeCase[] {
  return [...reshaping(), ...croppingPadding(), ...upSampling(g), ...merging(), ...embedding(g), ...masking(), ...extras(g)]
}
