/** Shared set-up of the plot unit tests: read a model (fixture or inline), summarise it, draw it as DOT. */
import {readFile} from 'node:fs/promises'
import {summarize} from '../../../src/core/graph/summarize.js'
import {type DotOptions, type PlotGraph, modelToDot} from '../../../src/core/plot/dot.js'
import {fixture} from '../../helpers/paths.js'
import {readDoc} from '../../helpers/read.js'

/** plot_model's defaults as kmodel's command has them (shapes and names on). */
export const DEFAULTS: DotOptions = {
  rankdir: 'TB', expandNested: false, showShapes: true, showDtype: false, showLayerNames: true, showLayerActivations: false, showTrainable: false,
}

/** DOT of a document given inline. */
export async function dotOfDoc(doc: unknown, opts: Partial<DotOptions> = {}): Promise<PlotGraph> {
  const {model} = await readDoc(doc)
  return modelToDot(model, summarize(model), {...DEFAULTS, ...opts})
}

/** DOT of a committed fixture. */
export async function dotOfFixture(name: string, opts: Partial<DotOptions> = {}): Promise<PlotGraph> {
  return dotOfDoc(await readFile(fixture(name), 'utf8'), opts)
}

/** The `"a" -> "b"` lines of a DOT text, as [tail, head] pairs (ids unescaped only for plain names). */
export function edgesOf(dot: string): Array<[string, string]> {
  return [...dot.matchAll(/^\s*"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)"$/gm)].map((m) => [m[1] ?? '', m[2] ?? ''])
}

/** The label of node `id` (plain id), or undefined. */
export function labelOf(dot: string, id: string): string | undefined {
  const line = dot.split('\n').find((l) => l.trimStart().startsWith(`"${id}" [label=`))
  return line?.slice(line.indexOf('[label=') + 7, -1)
}

/** A legacy (Keras 2) layer entry; `calls` are the inbound nodes, each a list of [layer, node, tensor]. */
export function k2Layer(cls: string, name: string, calls: Array<Array<[string, number, number]>>, config: Record<string, unknown> = {}): Record<string, unknown> {
  return {class_name: cls, config: {name, ...config}, name, inbound_nodes: calls.map((refs) => refs.map(([l, n, t]) => [l, n, t, {}]))}
}

/** A legacy functional model entry (root when `root`, else nested: add `inbound_nodes` yourself). */
export function k2Model(name: string, layers: unknown[], inputs: Array<[string, number, number]>, outputs: Array<[string, number, number]>): Record<string, unknown> {
  return {class_name: 'Functional', config: {name, layers, input_layers: inputs, output_layers: outputs}, name}
}

/** A root document around a model entry. */
export function doc(model: Record<string, unknown>): Record<string, unknown> {
  return {...model, keras_version: '2.12.0', backend: 'tensorflow'}
}

/** An InputLayer entry with its batch shape. */
export function k2Input(name: string, shape: Array<number | null>, dtype = 'float32'): Record<string, unknown> {
  return {class_name: 'InputLayer', config: {batch_input_shape: shape, dtype, name}, name, inbound_nodes: []}
}
