/**
 * The output shape of every call in a model, by tensor reference, from the shape engine: what Keras 3 records
 * in its `__keras_tensor__` entries and tf.keras in a MultiHeadAttention's build shapes (model/dialect.ts).
 */
import type {ShapeLookup} from '../model/dialect.js'
import type {ModelSpec} from '../model/spec.js'
import {type GraphEval, evaluateGraph} from './evaluate.js'

/** Every call's output shapes in the model (nested graphs too; the outer graph wins a name clash). */
export function shapeLookup(model: ModelSpec): ShapeLookup {
  const shapes = new Map<string, Array<number | null>>()
  const visit = (evaluation: GraphEval): void => {
    for (const layer of evaluation.layers) {
      layer.nodes.forEach((node, i) => {
        layer.calls[i]?.forEach((shape, t) => {
          const key = `${layer.layer.name}\u0000${node}\u0000${t}`
          if (shape !== null && !shapes.has(key)) shapes.set(key, shape)
        })
      })
    }
    for (const layer of evaluation.layers) if (layer.nested !== undefined) visit(layer.nested)
  }
  visit(evaluateGraph(model.root, model.root.graph, {dialect: model.dialect, keras_version: model.keras_version}))
  return (ref) => shapes.get(`${ref.layer}\u0000${ref.node_index}\u0000${ref.tensor_index}`) ?? null
}


/**
 * shapeLookup(model), computed at the first question only, for conversions that rarely need shapes (a
 * MultiHeadAttention's build shapes). A model the shape engine cannot follow answers null everywhere: the
 * shapes are optional where they are used (tf.keras then builds the layer at its first call).
 */
export function lazyShapeLookup(model: ModelSpec): ShapeLookup {
  let lookup: ShapeLookup | undefined
  return (ref) => {
    if (lookup === undefined) {
      try {
        lookup = shapeLookup(model)
      } catch {
        lookup = () => null
      }
    }
    return lookup(ref)
  }
}
