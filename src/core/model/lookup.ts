/**
 * A graph's layers by name, built once per graph: looking a layer up for each reference with `layers.find`
 * made every pass over a large model quadratic (a 100,000-layer model took minutes to summarise).
 * Graphs are not changed after reading (normalize and the dialect converters build new ones), so the index
 * stays valid; with duplicate names the first layer wins, as `find` did.
 */
import type {GraphSpec, LayerSpec} from './spec.js'

const indexes = new WeakMap<GraphSpec, Map<string, LayerSpec>>()

/** The first layer of `graph` named `name`. */
export function layerNamed(graph: GraphSpec, name: string): LayerSpec | undefined {
  let index = indexes.get(graph)
  if (index === undefined || index.size > graph.layers.length) {
    index = new Map()
    for (const layer of graph.layers) if (!index.has(layer.name)) index.set(layer.name, layer)
    indexes.set(graph, index)
  }
  return index.get(name)
}
