/**
 * How Keras 3 names a model's layers inside `.weights.h5`: not by layer name but by the snake-cased class
 * name plus a per-class counter, in model order (`dense`, `dense_1`, `conv2d`, …). A Functional model counts
 * its InputLayers; a Sequential's `layers` does not include its InputLayer (KERAS-REFERENCE §3.5).
 */
import type {GraphSpec} from '../model/spec.js'

/** Keras's to_snake_case: `BatchNormalization` → `batch_normalization`, `PReLU` → `p_re_lu`, `Conv2D` → `conv2d`. */
export function snakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
}

/** The layers Keras's `model.layers` lists: a Sequential hides its InputLayer. */
export function modelLayers<T extends {class_name: string}>(graph: {sequential: boolean; layers: T[]}): T[] {
  return graph.sequential ? graph.layers.filter((l) => l.class_name !== 'InputLayer') : graph.layers
}

/** The `.weights.h5` group key of each of the graph's layers, by layer name. */
export function keras3Keys(graph: GraphSpec): Map<string, string> {
  const counters = new Map<string, number>()
  const keys = new Map<string, string>()
  for (const layer of modelLayers(graph)) {
    const base = snakeCase(layer.class_name)
    const n = counters.get(base) ?? 0
    counters.set(base, n + 1)
    keys.set(layer.name, n === 0 ? base : `${base}_${n}`)
  }
  return keys
}
