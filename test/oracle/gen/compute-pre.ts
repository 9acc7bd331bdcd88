/**
 * Compute cases, preprocessing: Rescaling, CenterCrop, Resizing × interpolation, the random augmentation layers
 * (what each computes at inference: mostly the identity), Keras 3's deterministic image layers, and the
 * numeric lookup / encoding layers on int32 inputs. String-input layers have no case (see NOT_GENERATED).
 */
import type {Generation} from '../harness.js'
import {type Args, type ComputeCase, graph, nested, one} from './compute-build.js'

const IMAGE = [4, 4, 3]
const PIXELS = {range: [0, 255] as [number, number]}

/** Resizing's interpolations per generation (Keras 3 RESIZE_INTERPOLATIONS; tf-keras _TF_INTERPOLATION_METHODS). */
const RESIZE: Record<Generation, readonly string[]> = {
  keras3: ['bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'lanczos5'],
  keras2: ['bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'lanczos5', 'gaussian', 'mitchellcubic'],
}

function imageOps(g: Generation): ComputeCase[] {
  const cases = [
    one('Rescaling', {scale: 1 / 255}, IMAGE, PIXELS),
    one('Rescaling', {scale: 2, offset: -1}, [4]),
    one('CenterCrop', {height: 2, width: 3}, IMAGE, PIXELS),
    one('CenterCrop', {height: 3, width: 6}, IMAGE, PIXELS),
    ...RESIZE[g].map((interpolation) => one('Resizing', {height: 3, width: 5, interpolation}, IMAGE, PIXELS)),
    one('Resizing', {height: 6, width: 6}, IMAGE, PIXELS),
    one('Resizing', {height: 2, width: 4, crop_to_aspect_ratio: true}, IMAGE, PIXELS),
  ]
  if (g === 'keras3') {
    cases.push(
      one('Rescaling', {scale: [0.5, 1, 2], offset: [0, 1, -1]}, IMAGE, PIXELS),
      one('Resizing', {height: 2, width: 4, pad_to_aspect_ratio: true, fill_value: 1}, IMAGE, PIXELS),
      one('Resizing', {height: 3, width: 3, antialias: true}, IMAGE, PIXELS),
      one('Resizing', {height: 3, width: 5, data_format: 'channels_first'}, [3, 4, 4], PIXELS),
      one('CenterCrop', {height: 2, width: 3, data_format: 'channels_first'}, [3, 4, 4], PIXELS),
    )
  }
  return cases
}

/** Random augmentation layers: what predict (training=False) computes with each. */
function augmentation(g: Generation): ComputeCase[] {
  const both: Array<[string, Args]> = [
    ['RandomFlip', {}], ['RandomRotation', {factor: 0.2}], ['RandomZoom', {height_factor: 0.2}],
    ['RandomTranslation', {height_factor: 0.1, width_factor: 0.1}], ['RandomContrast', {factor: 0.2}],
    ['RandomBrightness', {factor: 0.2}], ['RandomCrop', {height: 3, width: 3}], ['RandomCrop', {height: 4, width: 4}],
  ]
  const only: Array<[string, Args]> = g === 'keras2'
    ? [['RandomHeight', {factor: 0.2}], ['RandomWidth', {factor: 0.2}]]
    : [
        ['AugMix', {}], ['CutMix', {}], ['MixUp', {}], ['RandAugment', {}], ['RandomColorDegeneration', {factor: 0.5}],
        ['RandomColorJitter', {brightness_factor: 0.2, contrast_factor: 0.2}], ['RandomElasticTransform', {}], ['RandomErasing', {}],
        ['RandomGaussianBlur', {}], ['RandomGrayscale', {}], ['RandomHue', {factor: 0.2}], ['RandomInvert', {}],
        ['RandomPerspective', {}], ['RandomPosterization', {factor: [2, 4]}], ['RandomSaturation', {factor: 0.5}],
        ['RandomSharpness', {factor: 0.5}], ['RandomShear', {x_factor: 0.2}],
      ]
  return [...both, ...only].map(([c, a]) => one(c, a, IMAGE, PIXELS))
}

/** Keras 3's deterministic image layers, and Pipeline / MaxNumBoundingBoxes on plain images. */
function keras3Images(): ComputeCase[] {
  return [
    one('AutoContrast', {}, IMAGE, PIXELS),
    one('Solarization', {threshold_factor: [0.5, 0.5]}, IMAGE, PIXELS),
    one('ContrastLimitedAdaptiveHistogramEqualization', {tile_grid_size: [2, 2]}, IMAGE, PIXELS),
    one('MaxNumBoundingBoxes', {max_number: 2}, IMAGE, PIXELS),
    one('Pipeline', {layers: [nested('Rescaling', {scale: 0.5}), nested('RandomFlip', {}), nested('CenterCrop', {height: 2, width: 2})]}, IMAGE, PIXELS),
  ]
}

/** Keras 3's audio front ends on a short signal. */
function audio(): ComputeCase[] {
  return [
    one('MelSpectrogram', {fft_length: 16, sequence_stride: 8, sequence_length: 16, num_mel_bins: 4, sampling_rate: 800}, [64]),
    // A named window needs scipy (not in the oracle venv): no window, or the window as numbers.
    one('STFTSpectrogram', {frame_length: 16, frame_step: 8, fft_length: 16, window: null}, [64, 1]),
    one('STFTSpectrogram', {mode: 'log', frame_length: 8, frame_step: 4, fft_length: 8, window: [0.1, 0.5, 0.9, 1, 1, 0.9, 0.5, 0.1]}, [32, 1]),
  ]
}

const INT = (hi: number): {dtype: string; range: [number, number]} => ({dtype: 'int32', range: [0, hi]})

function numeric(): ComputeCase[] {
  return [
    one('CategoryEncoding', {num_tokens: 5, output_mode: 'one_hot'}, [1], INT(5)),
    one('CategoryEncoding', {num_tokens: 5, output_mode: 'multi_hot'}, [3], INT(5)),
    one('CategoryEncoding', {num_tokens: 5, output_mode: 'count'}, [3], INT(5)),
    one('Discretization', {bin_boundaries: [-0.5, 0, 0.5]}, [4]),
    one('Hashing', {num_bins: 4}, [3], INT(100)),
    one('Hashing', {num_bins: 4, salt: 7}, [3], INT(100)),
    one('IntegerLookup', {vocabulary: [1, 2, 3]}, [3], INT(5)),
    one('IntegerLookup', {vocabulary: [1, 2, 3], output_mode: 'one_hot'}, [1], INT(5)),
    graph('HashedCrossing/num_bins=5', [{name: 'a', shape: [1], ...INT(10)}, {name: 'b', shape: [1], ...INT(10)}],
      [{name: 'l', class_name: 'HashedCrossing', args: {num_bins: 5}}], [{layer: 'l', inputs: ['a', 'b'], output: 'y'}], ['y']),
  ]
}

/** The preprocessing family for one generation. */
export function preprocessingCases(g: Generation): ComputeCase[] {
  return [...imageOps(g), ...augmentation(g), ...(g === 'keras3' ? [...keras3Images(), ...audio()] : []), ...numeric()]
}
