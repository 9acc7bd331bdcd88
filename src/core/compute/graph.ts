/**
 * The executor: runs a model graph call by call (the shape engine's dependency order), feeding each call its
 * tensors, masks and weights and storing its outputs, recursing into nested models. Shapes come from the shape
 * engine's evaluation of the same graph (graph/evaluate.ts), so the executor and `summary` agree on the model.
 */
import type {Tensor, Variable} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import type {GraphEval, LayerEval} from '../graph/evaluate.js'
import {callKwargs, namedKwargRefs} from '../graph/call-args.js'
import {asDescriptor, asKerasTensor} from '../model/nodes.js'
import type {WeightInfo} from '../graph/summary-types.js'
import type {CallSite} from '../graph/topology.js'
import {type Json, type JsonObject, isArray, isObject} from '../json.js'
import type {Shape} from '../layers/types.js'
import type {Dialect, GraphSpec, LayerSpec, TensorRef} from '../model/spec.js'
import type {Core} from '../backend/runtime.js'
import {runInner} from './inner.js'
import {computeOf} from './refuse.js'
import type {ComputeCall, ComputeOutput, ComputeWeight, RunContext} from './types.js'

/** One weight variable of a leaf layer. */
export interface Slot {
  info: WeightInfo
  variable: Variable
}

/** A graph prepared for running: its evaluation and, per layer, its weights or its nested graph. */
export interface BuiltGraph {
  evaluation: GraphEval
  /** Leaf layers: their weight slots in shape-rule order. */
  slots: Map<LayerSpec, Slot[]>
  /** Nested model layers: their built graph. */
  nested: Map<LayerSpec, BuiltGraph>
}

export type {RunContext} from './types.js'

/** Tensors and masks produced by one call. */
interface Produced {
  tensors: Tensor[]
  masks: Array<Tensor | null>
}

const refKey = (layer: string, node: number): string => `${layer}\u0000${node}`

/** The output shapes the shape engine found for a call, by node index. */
function callShapes(acc: LayerEval | undefined, node: number): Array<Shape | null> {
  const i = acc?.nodes.indexOf(node) ?? -1
  return (i >= 0 ? acc?.calls[i] : null) ?? []
}

function inputShapes(acc: LayerEval | undefined, node: number): Array<Shape | null> {
  const i = acc?.nodes.indexOf(node) ?? -1
  return (i >= 0 ? acc?.inputs[i] : null) ?? []
}

function lookup(produced: Map<string, Produced>, ref: TensorRef, call: CallSite): {tensor: Tensor; mask: Tensor | null} {
  const p = produced.get(refKey(ref.layer, ref.node_index))
  const tensor = p?.tensors[ref.tensor_index]
  if (tensor === undefined) throw new BackendError('KM_BACKEND_GRAPH', `Layer '${call.layer.name}' needs output ${ref.tensor_index} of call ${ref.node_index} of '${ref.layer}', which was not computed.`)
  return {tensor, mask: p?.masks[ref.tensor_index] ?? null}
}

/** The positional tensors of a call: inbound refs, keyword-only tensors, or the model's own inputs. */
function callInputs(built: BuiltGraph, call: CallSite, produced: Map<string, Produced>, given: Produced): Produced {
  const refs = call.node.inputs.length > 0 ? call.node.inputs : call.node.kwarg_inputs
  if (refs.length > 0) {
    const found = refs.map((r) => lookup(produced, r, call))
    return {tensors: found.map((f) => f.tensor), masks: found.map((f) => f.mask)}
  }
  const graph = built.evaluation.graph
  const index = graph.sequential ? 0 : graph.inputs.findIndex((r) => r.layer === call.layer.name)
  const tensor = given.tensors[Math.max(0, index)]
  if (tensor === undefined) throw new BackendError('KM_BACKEND_GRAPH', `No input tensor reaches layer '${call.layer.name}'.`)
  return {tensors: [tensor], masks: [given.masks[Math.max(0, index)] ?? null]}
}

/**
 * Keyword arguments holding a list of tensors (Keras 3 `initial_state=[h, c]`, tf-keras a cell's `states`), as
 * `name/0`, `name/1`, … refs.
 */
function listKwargRefs(raw: Json): Map<string, TensorRef> {
  const out = new Map<string, TensorRef>()
  for (const [name, value] of Object.entries(callKwargs(raw))) {
    if (!isArray(value) || value.length === 0) continue
    const refs = value.map((v) => (isObject(raw) ? asKerasTensor(v) : isArray(v) && v.length === 3 ? asDescriptor(v) : undefined))
    if (refs.every((r) => r !== undefined)) refs.forEach((r, i) => out.set(`${name}/${i}`, r as TensorRef))
  }
  return out
}

/** The non-tensor keyword arguments of a call (tensor ones are in `kwargs`). */
function plainKwargs(raw: Json, tensorNames: ReadonlySet<string>): JsonObject {
  return Object.fromEntries(Object.entries(callKwargs(raw)).filter(([k]) => !tensorNames.has(k)))
}

/** A Keras 3 node's saved positional arguments (`args`), or [] for a legacy node. */
function positionalArgs(raw: Json): Json[] {
  return isObject(raw) && isArray(raw.args) ? raw.args : []
}

/** Runs one call of a leaf layer. */
function runLeaf(ctx: RunContext, built: BuiltGraph, call: CallSite, acc: LayerEval | undefined, inputs: Produced, produced: Map<string, Produced>): Produced {
  const layer = call.layer
  if (layer.class_name === 'InputLayer' && call.node.inputs.length === 0) return inputs
  const named = namedKwargRefs(call.node.raw)
  const listed = listKwargRefs(call.node.raw)
  const kwargs: Record<string, Tensor> = {}
  const kwargMasks: Record<string, Tensor | null> = {}
  for (const [name, ref] of [...named, ...listed]) {
    const found = lookup(produced, ref, call)
    kwargs[name] = found.tensor
    kwargMasks[name] = found.mask
  }
  const weights: ComputeWeight[] = (built.slots.get(layer) ?? []).map((s) => ({info: s.info, value: s.variable}))
  const stateBase = `${layer.name}\u0000${call.node_index}`
  const saved = callKwargs(call.node.raw).training
  const training = ctx.generation === 'keras2' && typeof saved === 'boolean' ? saved : ctx.training
  const c: ComputeCall = {
    tf: ctx.tf, class_name: layer.class_name, config: layer.config, generation: ctx.generation, keras_version: ctx.keras_version,
    inputs: inputs.tensors, masks: inputs.masks, kwargs, kwarg_masks: kwargMasks, call_kwargs: plainKwargs(call.node.raw, new Set([...named.keys(), ...[...listed.keys()].map((k) => k.split('/')[0] ?? k)])), weights,
    call_args: positionalArgs(call.node.raw), training, input_shapes: inputShapes(acc, call.node_index), output_shapes: callShapes(acc, call.node_index),
    inner: (entry, tensors, options) => runInner(ctx, c, entry, tensors, options),
    assign: (weight, value) => { ctx.updates.push({variable: weight.value as Variable, value}) },
    addLoss: (loss) => { ctx.losses.push(loss) },
    state: {get: (k) => ctx.states.get(`${stateBase}\u0000${k}`), set: (k, v) => { ctx.states.set(`${stateBase}\u0000${k}`, v) }},
    seed: ctx.seed,
  }
  const fn = computeOf(layer)
  let out: ComputeOutput
  try {
    out = fn.call(c)
  } catch (error) {
    if (error instanceof BackendError) throw error
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
    throw new BackendError('KM_BACKEND_COMPUTE', `Layer '${layer.name}' (${layer.class_name}) failed to compute: ${message.replace(/\.+$/, '')}.`, {cause: error})
  }
  const masks = out.masks ?? out.outputs.map((_, i) => (i === 0 && fn.passMask === true && out.outputs.length === 1 ? inputs.masks[0] ?? null : null))
  const penalty = ctx.activity(layer.config, out.outputs)
  if (penalty !== null) ctx.losses.push(penalty)
  return {tensors: out.outputs, masks}
}

/**
 * Runs a built graph on `given` (one tensor and mask per graph input) and returns its outputs and their masks.
 */
export function runGraph(ctx: RunContext, built: BuiltGraph, given: Produced): Produced {
  const produced = new Map<string, Produced>()
  const evals = new Map(built.evaluation.layers.map((l) => [l.layer, l]))
  for (const call of built.evaluation.order) {
    const inputs = callInputs(built, call, produced, given)
    const nested = built.nested.get(call.layer)
    const out = nested !== undefined ? runGraph(ctx, nested, inputs) : runLeaf(ctx, built, call, evals.get(call.layer), inputs, produced)
    produced.set(refKey(call.layer.name, call.node_index), out)
  }
  const outs = built.evaluation.graph.outputs.map((r) => {
    const p = produced.get(refKey(r.layer, r.node_index))
    const tensor = p?.tensors[r.tensor_index]
    if (tensor === undefined) throw new BackendError('KM_BACKEND_GRAPH', `The model output '${r.layer}' was not computed.`)
    return {tensor, mask: p?.masks[r.tensor_index] ?? null}
  })
  return {tensors: outs.map((o) => o.tensor), masks: outs.map((o) => o.mask)}
}

/** The graphs of a GraphEval tree, for walking every leaf layer. */
export function leafLayers(built: BuiltGraph): Array<{layer: LayerSpec; slots: Slot[]}> {
  const out: Array<{layer: LayerSpec; slots: Slot[]}> = []
  const stack: BuiltGraph[] = [built]
  for (let g = stack.pop(); g !== undefined; g = stack.pop()) {
    for (const [layer, slots] of g.slots) out.push({layer, slots})
    stack.push(...g.nested.values())
  }
  return out
}

export type {GraphSpec}
