/**
 * Compute functions of the preprocessing family (see types.ts), written from Keras 2's (tf-keras) and Keras 3's
 * own `call` of each class, per generation:
 *
 * - image geometry (preprocessing-image.ts): Rescaling, Resizing, CenterCrop, RandomCrop, over an exact
 *   tf.image.resize (image-resize.ts);
 * - augmentation (preprocessing-augment.ts): the Random* layers, MixUp, CutMix, AugMix, RandAugment,
 *   Solarization, Equalization at inference (the image, unchanged), MaxNumBoundingBoxes, AutoContrast, and
 *   ContrastLimitedAdaptiveHistogramEqualization (preprocessing-clahe.ts); random transforms in training are
 *   refused;
 * - categorical (preprocessing-categorical.ts, -hashing.ts, -lookup.ts): CategoryEncoding, Discretization,
 *   Hashing and HashedCrossing on integers (TensorFlow's hashes reproduced bit for bit,
 *   preprocessing-fingerprint.ts), IntegerLookup with its vocabulary in the config;
 * - audio (preprocessing-audio.ts): Keras 3's STFTSpectrogram and MelSpectrogram.
 *
 * Refused: the layers that need string tensors.
 */
import {AUDIO_COMPUTE} from './preprocessing-audio.js'
import {AUGMENT_COMPUTE} from './preprocessing-augment.js'
import {CATEGORICAL_COMPUTE} from './preprocessing-categorical.js'
import {CLAHE_COMPUTE} from './preprocessing-clahe.js'
import {HASHING_COMPUTE} from './preprocessing-hashing.js'
import {IMAGE_COMPUTE} from './preprocessing-image.js'
import {LOOKUP_COMPUTE} from './preprocessing-lookup.js'
import type {ComputeTable, RefusalTable} from './types.js'

/** Every preprocessing class kmodel computes. */
export const PREPROCESSING_COMPUTE: ComputeTable = {
  ...IMAGE_COMPUTE,
  ...AUGMENT_COMPUTE,
  ...CLAHE_COMPUTE,
  ...CATEGORICAL_COMPUTE,
  ...HASHING_COMPUTE,
  ...LOOKUP_COMPUTE,
  ...AUDIO_COMPUTE,
}

/** Preprocessing classes kmodel refuses to compute, with the reason. */
export const PREPROCESSING_REFUSED: RefusalTable = {
  StringLookup: 'it looks up strings (or, inverted, returns strings), and kmodel computes numeric tensors only',
  TextVectorization: 'it splits and looks up text, a string tensor, and kmodel computes numeric tensors only',
}
