/**
 * Registers kmodel's implementations of Keras classes tfjs-layers 4.22 lacks (tf.serialization.registerClass,
 * KERAS-REFERENCE §5.6). Registering a class name tfjs already has (GRU, GRUCell) replaces tfjs's entry; those
 * classes hand configs they do not need to handle back to tfjs's own implementation.
 */
import type {RegisteredClass} from './util.js'
import type {Tfjs} from '../runtime.js'
import {defineAttention} from './attention.js'
import {defineRecurrentLayers} from './recurrent.js'
import {defineRegularizers} from './regularizers.js'
import {defineShapeLayers} from './shape-layers.js'

/** Keras class names kmodel adds to (or overrides in) tfjs's serialization registry. */
export const REGISTERED_CLASSES = [
  'Subtract', 'UpSampling1D', 'ZeroPadding1D', 'Cropping1D', 'GlobalMaxPooling3D', 'GlobalAveragePooling3D',
  'GRU', 'GRUCell', 'CuDNNGRU', 'CuDNNLSTM', 'Attention', 'L1', 'L2',
] as const

const done = new WeakSet<object>()

/** Registers every class in REGISTERED_CLASSES into the given tfjs, once per tfjs instance. */
export function registerKerasExtras(tf: Tfjs): void {
  if (done.has(tf.core)) return
  const classes: Record<string, RegisteredClass> = {
    ...defineShapeLayers(tf),
    ...defineRecurrentLayers(tf),
    ...defineAttention(tf),
    ...defineRegularizers(tf),
  }
  for (const name of REGISTERED_CLASSES) {
    const cls = classes[name]
    if (cls !== undefined) tf.core.serialization.registerClass(cls, 'kmodel', name)
  }
  done.add(tf.core)
}
