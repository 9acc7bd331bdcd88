/**
 * Walks a model graph call by call (inputs first), feeding each call's input shapes to the layer rules and
 * recursing into nested models. The result keeps, per layer, the outputs of every call and the expected
 * weights — the raw material of a summary. Nothing here allocates weight bytes.
 */
import type {JsonObject} from '../json.js'
import type {RawModelDocument} from '../formats/raw.js'
import {type ModelEvaluator, evaluateLayer} from '../layers/index.js'
import {type RuleResult, type Shape, prefixed} from '../layers/types.js'
import {normalize} from '../model/normalize.js'
import type {Dialect, GraphSpec, LayerSpec, TensorRef} from '../model/spec.js'
import {callKwargs, inboundOrder, namedKwargRefs} from './call-args.js'
import {modelWeights} from './params.js'
import {buildShapes, collectHints, sequentialInput, tensorKey} from './shapes.js'
import type {WeightInfo} from './summary-types.js'
import {type CallSite, callOrder} from './topology.js'

/** What the file says about its writer: the document layout and the Keras version. */
export interface Origin {
  dialect: Dialect
  keras_version: string | null
}

/** Outputs of one call: one entry per output tensor, or null when nothing is known. */
export type CallOutputs = Array<Shape | null> | null

/** What the engine learnt about one layer of a graph. */
export interface LayerEval {
  layer: LayerSpec
  /** Outputs of each call, in node order (the file's `inbound_nodes` order, which Keras's summary prints). */
  calls: CallOutputs[]
  /** The refs feeding each call (positional, then keyword tensors), in node order. */
  inbound: TensorRef[][]
  /** The shapes each call received (positional tensors), in node order. */
  inputs: Array<Array<Shape | null>>
  /** The node index of each call, ascending. */
  nodes: number[]
  /** The layer's expected weights in saved order (nested: all trainable then all non-trainable); null = unknown. */
  weights: WeightInfo[] | null
  /** The weight lists of the leaf layers inside (itself for a plain layer), for totals that survive unknowns. */
  leaves: Array<WeightInfo[] | null>
  /** Evaluation of the inner graph when the layer is a nested model. */
  nested?: GraphEval
  /** Why Keras would refuse a call of this layer (RuleResult.error), one entry per refused call. */
  errors: string[]
}

/** What the engine learnt about one graph. */
export interface GraphEval {
  graph: GraphSpec
  /** The layout of the file the graph was read from (node numbering differs between Keras 2 and 3). */
  dialect: Dialect
  /** Per layer, in `graph.layers` order. */
  layers: LayerEval[]
  /** Calls in the order they were evaluated (dependency order). */
  order: CallSite[]
  /** Shapes of the graph's outputs, in `graph.outputs` order. */
  outputs: Array<Shape | null>
  weights: WeightInfo[] | null
  leaves: Array<WeightInfo[] | null>
}

interface Walk {
  owner: LayerSpec
  graph: GraphSpec
  origin: Origin
  /** Shapes passed to the graph by an enclosing call, when nested. */
  outer: Array<Shape | null> | null
  produced: Map<string, CallOutputs>
  hints: Map<string, Shape>
}

function producedShape(walk: Walk, ref: TensorRef): Shape | null {
  const outputs = walk.produced.get(`${ref.layer}\u0000${ref.node_index}`)
  return outputs?.[ref.tensor_index] ?? walk.hints.get(tensorKey(ref)) ?? null
}

/** The input shapes of a call without inbound refs: a Sequential's first layer or a functional InputLayer. */
function entryInputs(walk: Walk, call: CallSite): Array<Shape | null> {
  if (call.layer.class_name === 'InputLayer') return []
  if (walk.graph.sequential && walk.graph.layers[0] === call.layer) {
    return [walk.outer?.[0] ?? sequentialInput(walk.owner, walk.graph)]
  }
  return []
}

/**
 * An InputLayer's output inside a nested model: its declared shape, with dimensions it leaves open (None)
 * filled from the enclosing call, as Keras re-runs a nested graph on the tensors it is called with.
 */
function inputLayerOutputs(walk: Walk, layer: LayerSpec, declared: CallOutputs): CallOutputs {
  const shape = declared?.[0] ?? null
  const index = walk.graph.sequential ? 0 : walk.graph.inputs.findIndex((r) => r.layer === layer.name)
  const given = walk.outer?.[index] ?? null
  if (shape === null || given === null) return [shape ?? given]
  if (given.length !== shape.length) return [shape]
  return [shape.map((d, i) => d ?? given[i] ?? null)]
}

/** Fills unknown outputs of a call from the shapes the file records for them. */
function withHints(walk: Walk, call: CallSite, outputs: CallOutputs): CallOutputs {
  const hint = (t: number): Shape | null => walk.hints.get(tensorKey({layer: call.layer.name, node_index: call.node_index, tensor_index: t})) ?? null
  if (outputs !== null) return outputs.map((s, t) => s ?? hint(t))
  const found: Shape[] = []
  for (let t = 0; walk.hints.has(tensorKey({layer: call.layer.name, node_index: call.node_index, tensor_index: t})); t++) found.push(hint(t) ?? [])
  return found.length > 0 ? found : null
}

/**
 * A model held in a wrapper's config (`TimeDistributed(Sequential)`, `Bidirectional(Functional)`): normalised
 * like a top-level document, then evaluated on the wrapper's inner input shapes.
 */
function wrappedModel(origin: Origin): ModelEvaluator {
  return (entry: JsonObject, inputs: Array<Shape | null>): RuleResult => {
    const raw: RawModelDocument = {format: 'keras-json', document: entry, keras_version: null, backend: null, training_config: null}
    const {model} = normalize(raw, 'nested model')
    const inner = evaluateGraph(model.root, model.root.graph, origin, inputs)
    return {outputs: inner.outputs, weights: inner.weights}
  }
}

/** True when every dimension of every weight is known. */
function fullyKnown(weights: WeightInfo[] | null): boolean {
  return weights !== null && weights.every((w) => w.shape.every((d) => d !== null))
}

/** The shapes one call receives: positional tensors, and keyword tensors by name. */
interface CallInputs {
  positional: Array<Shape | null>
  named: Record<string, Shape | null>
  /** True when the tensors come from inbound refs (not from a model's declared input). */
  fromRefs: boolean
}

function callInputs(walk: Walk, call: CallSite): CallInputs {
  const named: Record<string, Shape | null> = {}
  for (const [name, ref] of namedKwargRefs(call.node.raw)) named[name] = producedShape(walk, ref)
  if (call.node.inputs.length > 0) return {positional: call.node.inputs.map((r) => producedShape(walk, r)), named, fromRefs: true}
  // `layer(inputs=x)`: the only tensors are keyword ones.
  if (call.node.kwarg_inputs.length > 0) return {positional: call.node.kwarg_inputs.map((r) => producedShape(walk, r)), named, fromRefs: true}
  return {positional: entryInputs(walk, call), named, fromRefs: false}
}

/** Evaluates one call of a plain layer or of a nested model. */
function callResult(walk: Walk, call: CallSite, inputs: CallInputs): {result: RuleResult; nested?: GraphEval} {
  if (call.layer.graph !== undefined) {
    const nested = evaluateGraph(call.layer, call.layer.graph, walk.origin, inputs.fromRefs ? inputs.positional : null)
    return {result: {outputs: nested.outputs, weights: nested.weights}, nested}
  }
  const built = buildShapes(call.layer)
  const result = evaluateLayer({
    class_name: call.layer.class_name, config: call.layer.config, inputs: inputs.positional, dialect: walk.origin.dialect, keras_version: walk.origin.keras_version,
    module: call.layer.extra.module ?? null, call_kwargs: callKwargs(call.node.raw), kwarg_inputs: inputs.named, model: wrappedModel(walk.origin),
    ...(built === undefined ? {} : {build_shapes: built}),
  })
  if (call.layer.class_name !== 'InputLayer') return {result}
  return {result: {outputs: inputLayerOutputs(walk, call.layer, result.outputs), weights: result.weights}}
}

/**
 * Evaluates one call and records it on the layer's LayerEval. The layer's weights come from its first call,
 * unless a later call is the first to settle every dimension (a shared layer first called on an unknown shape).
 */
function evaluateCall(walk: Walk, call: CallSite, acc: LayerEval): void {
  const inputs = callInputs(walk, call)
  const {result, nested} = callResult(walk, call, inputs)
  if (acc.calls.length === 0 || (!fullyKnown(acc.weights) && fullyKnown(result.weights))) {
    acc.weights = result.weights
    acc.leaves = nested === undefined ? [result.weights] : nested.leaves
    if (nested !== undefined) acc.nested = nested
  }
  if (result.error !== undefined) acc.errors.push(result.error)
  const outputs = withHints(walk, call, result.outputs)
  acc.calls.push(outputs)
  acc.inbound.push(inboundOrder(call))
  acc.inputs.push(inputs.positional)
  acc.nodes.push(call.node_index)
  walk.produced.set(`${call.layer.name}\u0000${call.node_index}`, outputs)
}

/**
 * Puts a layer's calls in node order. Calls are evaluated in dependency order, so a shared layer whose second
 * node is ready first (`dense(relu(x))` saved before `dense(x)`) is evaluated out of order.
 */
function inNodeOrder(acc: LayerEval): void {
  if (acc.nodes.every((n, i) => i === 0 || (acc.nodes[i - 1] ?? 0) <= n)) return
  const order = acc.nodes.map((node, i) => ({node, i})).sort((a, b) => a.node - b.node).map((x) => x.i)
  const pick = <T>(list: T[]): T[] => order.map((i) => list[i] as T)
  acc.calls = pick(acc.calls)
  acc.inbound = pick(acc.inbound)
  acc.inputs = pick(acc.inputs)
  acc.nodes = pick(acc.nodes)
}

/** Applies a model's own `trainable: false` to its leaf weight lists. */
function frozenLeaves(leaves: Array<WeightInfo[] | null>, trainable: boolean): Array<WeightInfo[] | null> {
  return trainable ? leaves : leaves.map((l) => l?.map((w) => ({...w, trainable: false})) ?? null)
}

/**
 * Evaluates a graph. `owner` is the model the graph belongs to (the root, or a nested model layer);
 * `outer` the shapes an enclosing call passes in (null at the root or when unknown).
 */
export function evaluateGraph(owner: LayerSpec, graph: GraphSpec, origin: Origin, outer: Array<Shape | null> | null = null): GraphEval {
  if (outer !== null) return evaluateFresh(owner, graph, origin, outer)
  // A root evaluation is asked for twice per command (the validation pass, then summary/plot/compute): the
  // model is never changed after it is read, so the first answer is kept with the graph.
  const key = `${origin.dialect} ${origin.keras_version ?? ''}`
  const cached = ROOT_EVALUATIONS.get(graph)
  if (cached !== undefined && cached.owner === owner && cached.key === key) return cached.evaluation
  const evaluation = evaluateFresh(owner, graph, origin, null)
  ROOT_EVALUATIONS.set(graph, {owner, key, evaluation})
  return evaluation
}

const ROOT_EVALUATIONS = new WeakMap<GraphSpec, {owner: LayerSpec; key: string; evaluation: GraphEval}>()

function evaluateFresh(owner: LayerSpec, graph: GraphSpec, origin: Origin, outer: Array<Shape | null> | null): GraphEval {
  const order = callOrder(graph)
  const walk: Walk = {owner, graph, origin, outer, produced: new Map(), hints: collectHints(graph)}
  const evals = new Map<LayerSpec, LayerEval>(graph.layers.map((layer) => [layer, {layer, calls: [], inbound: [], inputs: [], nodes: [], weights: null, leaves: [null], errors: []}]))
  for (const call of order) {
    const acc = evals.get(call.layer)
    if (acc !== undefined) evaluateCall(walk, call, acc)
  }
  const layers = graph.layers.map((l) => evals.get(l)).filter((e): e is LayerEval => e !== undefined)
  for (const acc of layers) inNodeOrder(acc)
  // Keras 3 leaves the layers of a model whose own config says `trainable: false` as their configs say (3.15:
  // model_from_json counts them trainable); tf-keras freezes them.
  const trainable = owner.config.trainable !== false || origin.dialect === 'keras3'
  return {
    graph,
    dialect: origin.dialect,
    layers,
    order,
    outputs: graph.outputs.map((r) => producedShape(walk, r)),
    weights: modelWeights(layers.map((l) => prefixed(l.weights, l.layer.name)), trainable),
    leaves: frozenLeaves(layers.flatMap((l) => l.leaves), trainable),
  }
}

