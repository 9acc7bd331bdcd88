/**
 * A weights file → the per-layer values setWeights takes, through load-weights' own matching
 * (weights/load.ts: Keras 3 keys and tfjs names put in model order, Keras 1 / cuDNN layouts converted, then
 * by order — Keras's default — or by name). Keras's load_weights semantics therefore hold for predict too.
 */
import type {ModelSpec} from '../model/spec.js'
import {toFloat32} from '../weights/convert.js'
import {type LoadResult, loadInto} from '../weights/load.js'
import type {WeightsFile} from '../weights/types.js'
import type {WeightValue} from '../compute/model.js'

/** The matched weights per top-level layer name, as float32, plus the match report. */
export function weightsForModel(model: ModelSpec, file: WeightsFile, options: {byName?: boolean} = {}): {perLayer: Map<string, WeightValue[]>; result: LoadResult} {
  const result = loadInto(model, file, {byName: options.byName === true, skipMismatch: false})
  const perLayer = new Map(result.assignments.map((a) => [a.layer, a.weights.map((w) => ({shape: w.tensor.shape, data: toFloat32(w.tensor)}))]))
  return {perLayer, result}
}
