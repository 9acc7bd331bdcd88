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
  return [...cases, ...resizeDetail(g)]
}

const BIG = [8, 8, 3]

/** Resizing's kernels downscaling and upscaling, smart_resize through CenterCrop / RandomCrop, integer images. */
function resizeDetail(g: Generation): ComputeCase[] {
  const cases = [
    ...RESIZE[g].map((interpolation) => one('Resizing', {height: 3, width: 5, interpolation}, BIG, PIXELS, ' on 8x8')),
    ...['bicubic', 'lanczos3', 'nearest'].map((interpolation) => one('Resizing', {height: 7, width: 9, interpolation}, IMAGE, PIXELS)),
    one('Resizing', {height: 3, width: 2, interpolation: 'nearest', crop_to_aspect_ratio: true}, [5, 7, 2], PIXELS),
    one('CenterCrop', {height: 6, width: 2}, IMAGE, PIXELS),
    one('RandomCrop', {height: 2, width: 3}, BIG, PIXELS),
    one('Rescaling', {scale: 0.5, offset: 2}, [3], INT(100)),
  ]
  if (g === 'keras3') {
    cases.push(
      ...['bicubic', 'lanczos3', 'lanczos5', 'area'].map((interpolation) => one('Resizing', {height: 3, width: 5, interpolation, antialias: true}, BIG, PIXELS)),
      one('Resizing', {height: 4, width: 2, pad_to_aspect_ratio: true, fill_value: -3}, [3, 5, 2], PIXELS),
      one('Resizing', {height: 3, width: 5}, IMAGE, INT(256), ' on int32'),
      one('Resizing', {height: 2, width: 4, crop_to_aspect_ratio: true, data_format: 'channels_first'}, [2, 5, 4], PIXELS),
      one('AutoContrast', {value_range: [0, 1]}, IMAGE, {range: [0, 1]}),
      one('ContrastLimitedAdaptiveHistogramEqualization', {tile_grid_size: [2, 3], clip_limit: 2}, [5, 7, 2], PIXELS),
      one('ContrastLimitedAdaptiveHistogramEqualization', {tile_grid_size: [3, 2], clip_limit: 0, value_range: [0, 1]}, [6, 6, 1], {range: [0, 1]}),
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
    // A named window needs scipy (not in the oracle venv): no window, or the window as numbers. STFTSpectrogram's
    // channels_first conv is one Keras cannot run on TensorFlow's CPU kernels (as Conv1D, compute-conv.ts).
    one('STFTSpectrogram', {frame_length: 16, frame_step: 8, fft_length: 16, window: null}, [64, 1]),
    one('STFTSpectrogram', {mode: 'log', frame_length: 8, frame_step: 4, fft_length: 8, window: [0.1, 0.5, 0.9, 1, 1, 0.9, 0.5, 0.1]}, [32, 1]),
    one('STFTSpectrogram', {mode: 'magnitude', frame_length: 16, frame_step: 5, fft_length: 32, window: null, padding: 'same'}, [61, 2]),
    one('STFTSpectrogram', {mode: 'psd', frame_length: 8, frame_step: 4, window: null}, [32, 1]),
    one('STFTSpectrogram', {mode: 'real', frame_length: 8, window: null}, [32, 2]),
    one('STFTSpectrogram', {mode: 'imag', frame_length: 8, frame_step: 3, window: null, expand_dims: true}, [32, 2]),
    one('STFTSpectrogram', {mode: 'angle', frame_length: 8, frame_step: 4, window: null}, [32, 1]),
    one('STFTSpectrogram', {mode: 'stft', frame_length: 8, frame_step: 4, window: null, expand_dims: true}, [32, 2]),
    one('STFTSpectrogram', {frame_length: 6, frame_step: 3, window: [0.2, 0.6, 1, 1, 0.6, 0.2], scaling: 'spectrum', padding: 'same'}, [20, 1]),
    one('MelSpectrogram', {fft_length: 16, sequence_stride: 4, sequence_length: 10, window: 'hamming', num_mel_bins: 6, sampling_rate: 1000, min_freq: 50, max_freq: 400}, [40]),
    one('MelSpectrogram', {fft_length: 12, sequence_stride: 5, window: null, num_mel_bins: 3, sampling_rate: 600, power_to_db: false, mag_exp: 1}, [30]),
    one('MelSpectrogram', {fft_length: 8, sequence_stride: 3, sequence_length: 6, window: [0.2, 0.6, 1, 1, 0.6, 0.2], num_mel_bins: 3, sampling_rate: 400, top_db: 10, ref_power: 0.5}, [24]),
    one('MelSpectrogram', {fft_length: 256, sequence_stride: 64, num_mel_bins: 32, sampling_rate: 8000}, [512]),
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

const MANY = {batch: 8}
const INTS = (lo: number, hi: number): {dtype: string; range: [number, number]; batch: number} => ({dtype: 'int32', range: [lo, hi], ...MANY})

/** HashedCrossing one_hot over named integer inputs (Keras 3 crosses exactly two, tf-keras any number). */
function crossing(names: string[]): ComputeCase {
  return graph(`HashedCrossing/num_bins=7,output_mode=one_hot on ${names.length} inputs`, names.map((name) => ({name, shape: [1], ...INT(1000)})),
    [{name: 'l', class_name: 'HashedCrossing', args: {num_bins: 7, output_mode: 'one_hot'}}], [{layer: 'l', inputs: names, output: 'y'}], ['y'])
}

/** Encodings, masks, OOV buckets and salts of the numeric categorical layers. */
function numericDetail(g: Generation): ComputeCase[] {
  const vocab = [4, 1, 7, 2]
  const cases = [
    one('Discretization', {bin_boundaries: [-0.5, 0, 0.5], output_mode: 'one_hot'}, [1]),
    one('Discretization', {bin_boundaries: [-0.5, 0, 0.5], output_mode: 'multi_hot'}, [4]),
    one('Discretization', {bin_boundaries: [0.25], output_mode: 'count'}, [5]),
    one('Hashing', {num_bins: 5, mask_value: 0}, [3], INTS(0, 4)),
    one('Hashing', {num_bins: 6, salt: [3, 9]}, [3], INTS(-1000, 1000)),
    one('Hashing', {num_bins: 4, output_mode: 'one_hot'}, [1], INTS(-50, 50)),
    one('Hashing', {num_bins: 7, output_mode: 'count'}, [4], INTS(0, 100000)),
    one('IntegerLookup', {vocabulary: vocab, mask_token: 0}, [3], INTS(0, 9)),
    one('IntegerLookup', {vocabulary: vocab, num_oov_indices: 3}, [3], INTS(-9, 9)),
    one('IntegerLookup', {vocabulary: [0, 1, 2, 3], num_oov_indices: 0}, [3], INTS(0, 4)),
    one('IntegerLookup', {vocabulary: vocab, invert: true, mask_token: 0}, [3], INTS(0, 7)),
    one('IntegerLookup', {vocabulary: vocab, output_mode: 'multi_hot', mask_token: 0}, [3], INTS(0, 9)),
    one('IntegerLookup', {vocabulary: vocab, output_mode: 'count', max_tokens: 8, pad_to_max_tokens: true}, [4], INTS(0, 9)),
    one('IntegerLookup', {vocabulary: [-1, 4, 1], output_mode: 'one_hot'}, [1], INTS(-2, 6)),
    crossing(g === 'keras3' ? ['a', 'b'] : ['a', 'b', 'c']),
  ]
  if (g === 'keras3') {
    cases.push(
      one('Hashing', {num_bins: 5}, [3], {range: [-20, 20], batch: 8}, ' on floats'),
      one('IntegerLookup', {vocabulary: vocab, num_oov_indices: 3, oov_method: 'farmhash'}, [3], INTS(-9, 9)),
      one('IntegerLookup', {vocabulary: vocab, num_oov_indices: 2, oov_method: 'farmhash', salt: 11}, [3], INTS(-9, 9)),
      one('IntegerLookup', {vocabulary: vocab, output_mode: 'tf_idf', idf_weights: [0.5, 1, 1.5, 2]}, [3], INTS(0, 9)),
      one('CategoryEncoding', {num_tokens: 4, output_mode: 'multi_hot'}, [3], INTS(0, 6)),
    )
  }
  return cases
}

/** The preprocessing family for one generation. */
export function preprocessingCases(g: Generation): ComputeCase[] {
  return [...imageOps(g), ...augmentation(g), ...(g === 'keras3' ? [...keras3Images(), ...audio()] : []), ...numeric(), ...numericDetail(g)]
}
