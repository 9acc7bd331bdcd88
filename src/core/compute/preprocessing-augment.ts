/**
 * The augmentation layers at inference, as each class's `call` computes with `training=False`: the random
 * ones (RandomFlip … RandAugment, Keras 2's RandomHeight / RandomWidth) and Solarization / Equalization
 * return the image unchanged (cast to the float compute dtype where that class casts); MaxNumBoundingBoxes
 * returns the image in both modes; AutoContrast stretches every image's channels to the value range in both
 * modes. In training the random transforms are refused (kmodel cannot draw Keras's random numbers), and
 * Equalization's training-only histogram equalization is refused too.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {
  asFloat, firstInput, onImages, refuseInput, refuseTraining, trainingOf, transformRange, valueRange,
} from './preprocessing-common.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute} from './types.js'

/** The random augmentation layers (identity at inference). */
const RANDOM = [
  'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomTranslation', 'RandomBrightness',
  'RandomGrayscale', 'RandomHue', 'RandomSaturation', 'RandomSharpness', 'RandomShear', 'RandomColorJitter',
  'RandomColorDegeneration', 'RandomPosterization', 'RandomInvert', 'RandomErasing', 'RandomGaussianBlur',
  'RandomElasticTransform', 'RandomPerspective', 'MixUp', 'CutMix', 'AugMix', 'RandAugment', 'Solarization',
  'RandomHeight', 'RandomWidth',
] as const

/**
 * Keras 3 classes whose inference path returns the input without casting it to the compute dtype (checked
 * with int32 images on Keras 3.15); every other Keras 3 class casts. tf-keras casts in every class but
 * RandomHeight / RandomWidth.
 */
const KERAS3_UNCAST: ReadonlySet<string> = new Set([
  'RandomContrast', 'RandomBrightness', 'MixUp', 'RandomColorDegeneration', 'RandomColorJitter', 'RandomGrayscale',
  'RandomHue', 'RandomInvert', 'RandomPosterization', 'RandomSaturation', 'MaxNumBoundingBoxes', 'Equalization',
])
const KERAS2_UNCAST: ReadonlySet<string> = new Set(['RandomHeight', 'RandomWidth'])

/** The image unchanged, cast where the class casts; Keras 3 image layers take rank 3 or 4 only. */
function unchanged(c: ComputeCall): Tensor {
  const x = firstInput(c)
  if (c.generation === 'keras3' && x.rank !== 3 && x.rank !== 4) {
    throw refuseInput(c.class_name, `expected image tensors of rank 3 (one image) or rank 4 (a batch of images), received shape [${x.shape.join(', ')}].`)
  }
  const uncast = c.generation === 'keras3' ? KERAS3_UNCAST : KERAS2_UNCAST
  return uncast.has(c.class_name) ? x : asFloat(c, x)
}

/** A random augmentation layer: the identity at inference, refused in training. */
const randomLayer: LayerCompute = {
  call: (c) => {
    if (trainingOf(c)) throw refuseTraining(c.class_name)
    return {outputs: [unchanged(c)]}
  },
}

/** Equalization equalizes histograms in training only (equalization.py transform_images). */
const equalization: LayerCompute = {
  call: (c) => {
    if (trainingOf(c)) throw refuseTraining(c.class_name, 'Keras equalizes the histograms of the whole batch in training, which kmodel does not compute')
    return {outputs: [unchanged(c)]}
  },
}

/**
 * AutoContrast (auto_contrast.py): per image and channel (axes 1 and 2 of the batch, whatever data_format
 * says), `x · 255 / (max − min) − min · 255 / (max − min)` clipped to [0, 255], in the 0–255 range mapped
 * from and back to `value_range`; a constant channel (NaN there) keeps the input.
 */
function autoContrast(c: ComputeCall): ComputeOutput {
  const tf = c.tf
  const range = valueRange(c.config)
  const y = onImages(c, firstInput(c), false, (im) => {
    const images = asFloat(c, transformRange(c, im, range, [0, 255]))
    const low = tf.min(images, [1, 2], true)
    const scale = tf.div(tf.scalar(255), tf.sub(tf.max(images, [1, 2], true), low))
    const stretched = tf.clipByValue(tf.add(tf.mul(images, scale), tf.mul(tf.neg(low), scale)), 0, 255)
    const back = asFloat(c, transformRange(c, stretched, [0, 255], range))
    return tf.where(tf.isNaN(back), asFloat(c, im), back)
  })
  return {outputs: [y]}
}

/** Compute functions of the augmentation layers. */
export const AUGMENT_COMPUTE: ComputeTable = {
  ...Object.fromEntries(RANDOM.map((name) => [name, randomLayer])),
  Equalization: equalization,
  MaxNumBoundingBoxes: {call: (c) => ({outputs: [unchanged(c)]})},
  AutoContrast: {call: autoContrast},
}
