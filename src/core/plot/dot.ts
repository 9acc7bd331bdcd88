/**
 * modelToDot(): the canonical model and its summary → Graphviz DOT text of the layer graph, as
 * `keras.utils.plot_model` draws it: one box per layer (a Sequential's own InputLayer is not drawn, as in
 * Keras 3), one edge per connected pair of layers however many calls link them (a shared layer gets an edge
 * from every call's inputs), nested models drawn as one box, or with `expandNested` as a dashed
 * `subgraph cluster_*` whose inner boxes the outer edges reach: an edge into a nested Functional lands on
 * the InputLayer of that input, into a nested Sequential on its first layer; an edge out of a nested model
 * leaves from the layer producing that output. Pure: no Graphviz here, just text.
 */
import type {ModelSummary, SummaryRow} from '../graph/summary-types.js'
import {sequentialInput} from '../graph/shapes.js'
import type {GraphSpec, LayerSpec, ModelSpec} from '../model/spec.js'
import {type LabelOptions, type ShapeCell, callCell, headerText, layerLabel, mergeCalls, outputCell, tensorOf} from './label.js'
import {layerNamed} from '../model/lookup.js'

/** Graphviz's `rankdir`: top to bottom (Keras's default), left to right, and the two reversed. */
export const RANKDIRS = ['TB', 'LR', 'BT', 'RL'] as const
/** One of RANKDIRS. */
export type Rankdir = (typeof RANKDIRS)[number]

/** What to draw; the flags mirror plot_model's arguments. */
export interface DotOptions extends LabelOptions {
  rankdir: Rankdir
  expandNested: boolean
  /**
   * The font Graphviz sizes the boxes for (its built-in metrics). Default `Helvetica`, as Keras; the PNG
   * renderer passes the family it will actually draw with when that one is not Helvetica-compatible.
   */
  fontname?: string
}

/** The DOT text and what it holds: `nodes` layer boxes (clusters are not counted) and distinct `edges`. */
export interface PlotGraph {
  dot: string
  nodes: number
  edges: number
}

/**
 * Most layer boxes drawn with right-angled edges (`splines=ortho`, as Keras). Graphviz's ortho router
 * recurses deeply: in the wasm build a 1,000-box chain overflows the stack (measured: 800 boxes lay out,
 * 1,000 do not), so larger graphs get Graphviz's default curved edges, which lay out 10,000 boxes in ~2 s.
 */
export const ORTHO_MAX_NODES = 500

/** One model graph being drawn: the root, or a nested model that is expanded. */
interface Scope {
  owner: LayerSpec
  graph: GraphSpec
  rows: Map<string, SummaryRow>
  /** Prefix of node ids inside this scope: '' at the root, `outer/` inside the nested model `outer`. */
  prefix: string
  /** The input an enclosing call feeds a nested Sequential's first layer (null at the root or unknown). */
  outerInput: ShapeCell
}

/** Quotes a DOT identifier: backslashes and double quotes are escaped. */
export function quoteId(id: string): string {
  return `"${id.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

/** The layers drawn for a graph: a Sequential's InputLayer is implicit, as in Keras's `model.layers`. */
function drawnLayers(graph: GraphSpec): LayerSpec[] {
  return graph.sequential ? graph.layers.filter((l) => l.class_name !== 'InputLayer') : graph.layers
}

/** Builds the DOT text of one model; one instance per call of modelToDot. */
class DotBuilder {
  private readonly lines: string[] = []
  private readonly ids = new Map<LayerSpec, string>()
  private readonly usedIds = new Set<string>()
  private readonly edges = new Map<string, [string, string]>()
  private readonly scopes = new Map<LayerSpec, Scope | undefined>()
  private nodes = 0

  constructor(private readonly opts: DotOptions) {}

  build(model: ModelSpec, summary: ModelSummary): PlotGraph {
    const font = quoteId(this.opts.fontname ?? 'Helvetica')
    const root: Scope = {owner: model.root, graph: model.root.graph, rows: new Map(summary.rows.map((r) => [r.name, r])), prefix: '', outerInput: null}
    this.emitScope(root, '  ')
    const splines = this.nodes <= ORTHO_MAX_NODES ? 'splines=ortho, ' : ''
    const header = [
      `digraph ${quoteId(summary.name)} {`,
      `  graph [rankdir=${this.opts.rankdir}, concentrate=true, ${splines}fontname=${font}, fontsize=14, nodesep=0.4, ranksep=0.5]`,
      `  node [shape=plain, fontname=${font}]`,
      '  edge [penwidth=2, arrowsize=0.8]',
    ]
    const edges = [...this.edges.values()].map(([tail, head]) => `  ${quoteId(tail)} -> ${quoteId(head)}`)
    return {dot: `${[...header, ...this.lines, ...edges, '}'].join('\n')}\n`, nodes: this.nodes, edges: this.edges.size}
  }

  /** A unique, readable node id: the layer's path (`encoder/enc_1`), control characters replaced. */
  private idOf(scope: Scope, layer: LayerSpec): string {
    const known = this.ids.get(layer)
    if (known !== undefined) return known
    const base = `${scope.prefix}${layer.name}`.replaceAll(/[\u0000-\u001F\u007F]/g, '?')
    let id = base
    for (let n = 2; this.usedIds.has(id); n++) id = `${base}~${n}`
    this.usedIds.add(id)
    this.ids.set(layer, id)
    return id
  }

  /** The scope of a nested model when it is drawn expanded, else undefined (drawn as one box). */
  private expanded(scope: Scope, layer: LayerSpec): Scope | undefined {
    if (!this.opts.expandNested || layer.graph === undefined) return undefined
    if (this.scopes.has(layer)) return this.scopes.get(layer)
    const children = scope.rows.get(layer.name)?.children
    const inner = children === undefined ? undefined : {
      owner: layer, graph: layer.graph, rows: new Map(children.map((r) => [r.name, r])),
      prefix: `${this.idOf(scope, layer)}/`, outerInput: this.inputCells(scope).get(layer.name) ?? null,
    }
    this.scopes.set(layer, inner)
    return inner
  }

  /** Each drawn layer's input cell: the outputs of the tensors its calls receive (`multiple` when calls differ). */
  private inputCells(scope: Scope): Map<string, ShapeCell> {
    const out = new Map<string, ShapeCell>()
    const outputOf = (name: string): ShapeCell => outputCell(scope.rows.get(name)?.output_shape ?? null)
    if (scope.graph.sequential) {
      const declared = sequentialInput(scope.owner, scope.graph)
      let previous: ShapeCell = scope.outerInput ?? (declared === null ? null : {kind: 'shape', dims: declared})
      for (const layer of drawnLayers(scope.graph)) {
        out.set(layer.name, previous)
        previous = outputOf(layer.name)
      }
      return out
    }
    for (const layer of scope.graph.layers) {
      const calls = layer.inbound_nodes.map((node) => callCell([...node.inputs, ...node.kwarg_inputs].map((r) => tensorOf(outputOf(r.layer), r.tensor_index))))
      out.set(layer.name, calls.length === 0 ? null : mergeCalls(calls))
    }
    return out
  }

  private emitScope(scope: Scope, indent: string): void {
    const inputs = this.inputCells(scope)
    for (const layer of drawnLayers(scope.graph)) {
      const row = scope.rows.get(layer.name)
      if (row === undefined) continue
      const id = this.idOf(scope, layer)
      const inner = this.expanded(scope, layer)
      if (inner === undefined) {
        this.lines.push(`${indent}${quoteId(id)} [label=${layerLabel(layer, row, inputs.get(layer.name) ?? null, this.opts)}]`)
        this.nodes++
        continue
      }
      this.lines.push(
        `${indent}subgraph ${quoteId(`cluster_${id}`)} {`,
        `${indent}  graph [label=<${headerText(row.name, row.class_name, true)}>, style=dashed, labeljust=l, margin=12]`,
      )
      this.emitScope(inner, `${indent}  `)
      this.lines.push(`${indent}}`)
    }
    this.connect(scope)
  }

  /** The box an edge leaves from for tensor `tensor` of layer `name`: inside an expanded model, its producer. */
  private source(scope: Scope, name: string, tensor: number): string | undefined {
    const layer = layerNamed(scope.graph, name)
    if (layer === undefined) return undefined
    const inner = this.expanded(scope, layer)
    if (inner === undefined) return this.idOf(scope, layer)
    if (inner.graph.sequential) {
      const last = drawnLayers(inner.graph).at(-1)
      return last === undefined ? undefined : this.source(inner, last.name, tensor)
    }
    const ref = inner.graph.outputs[tensor]
    return ref === undefined ? undefined : this.source(inner, ref.layer, ref.tensor_index)
  }

  /** The box an edge lands on for input `index` of layer `name`: inside an expanded model, its entry layer. */
  private target(scope: Scope, name: string, index: number): string | undefined {
    const layer = layerNamed(scope.graph, name)
    if (layer === undefined) return undefined
    const inner = this.expanded(scope, layer)
    if (inner === undefined) return this.idOf(scope, layer)
    if (inner.graph.sequential) {
      const first = drawnLayers(inner.graph)[0]
      return first === undefined ? undefined : this.target(inner, first.name, index)
    }
    const ref = inner.graph.inputs[index]
    return ref === undefined ? undefined : this.target(inner, ref.layer, 0)
  }

  private addEdge(tail: string | undefined, head: string | undefined): void {
    if (tail !== undefined && head !== undefined && tail !== head) this.edges.set(`${tail}\u0000${head}`, [tail, head])
  }

  /** Edges of one scope: consecutive layers of a Sequential, every call's input tensors in a functional graph. */
  private connect(scope: Scope): void {
    if (scope.graph.sequential) {
      const layers = drawnLayers(scope.graph)
      for (let i = 1; i < layers.length; i++) {
        const [from, to] = [layers[i - 1], layers[i]]
        if (from !== undefined && to !== undefined) this.addEdge(this.source(scope, from.name, 0), this.target(scope, to.name, 0))
      }
      return
    }
    for (const layer of scope.graph.layers) {
      for (const node of layer.inbound_nodes) {
        [...node.inputs, ...node.kwarg_inputs].forEach((ref, i) => this.addEdge(this.source(scope, ref.layer, ref.tensor_index), this.target(scope, layer.name, i)))
      }
    }
  }
}

/** Draws a model as DOT text (see the module comment for what is drawn). */
export function modelToDot(model: ModelSpec, summary: ModelSummary, options: DotOptions): PlotGraph {
  return new DotBuilder(options).build(model, summary)
}
