/**
 * The fuzz runs' model builder: random functional graphs (branches and merges, shared layers, nested
 * Sequential/functional sub-models, several inputs and outputs) and Sequential stacks, as model specs
 * (test/oracle/py/common.py). Shapes are tracked here so that every merge, shared call and nested call is
 * one Keras accepts.
 */
import type {Generation} from '../harness.js'
import type {ModelSpecCase} from './compute.js'
import {elements, type LayerChoice, MAX_ELEMENTS, preservingLayer, rnnLayer, type Shape, unaryLayer, variantsOf} from './fuzz-layers.js'
import type {Rng} from './random.js'

type LayerSpec = ModelSpecCase['layers'][number]
type NodeSpec = NonNullable<ModelSpecCase['nodes']>[number]
type InputSpec = ModelSpecCase['inputs'][number]

interface Tensor {
  name: string
  shape: Shape
}

/** What one case's model holds, for its id: classes, activation names and structural features. */
export interface Contents {
  classes: Set<string>
  activations: Set<string>
  features: Set<string>
  /** A counter shared by a model and its nested models: every layer, tensor and model name is unique. */
  counter: {n: number}
}

export const newContents = (): Contents => ({classes: new Set(), activations: new Set(), features: new Set(), counter: {n: 0}})

const MERGES = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate'] as const
const same = (a: Shape, b: Shape): boolean => JSON.stringify(a) === JSON.stringify(b)

/** A random input: a vector, a sequence, an image, or integer tokens for an Embedding. */
export function randomInput(rng: Rng, name: string): InputSpec & {vocab?: number} {
  const kind = rng.pick(['vec', 'seq', 'seq', 'img', 'img', 'int'])
  if (kind === 'vec') return {name, shape: [rng.int(1, 8)]}
  if (kind === 'seq') return {name, shape: [rng.int(2, 6), rng.int(1, 5)]}
  if (kind === 'img') return {name, shape: [rng.int(3, 6), rng.int(3, 6), rng.int(1, 3)]}
  const vocab = rng.int(3, 8)
  return {name, shape: [rng.int(2, 6)], dtype: 'int32', range: [0, vocab], vocab}
}

/** Builds one model spec; `call` methods add layer calls and return their output tensors. */
export class GraphBuilder {
  readonly inputs: InputSpec[] = []
  readonly layers: LayerSpec[] = []
  readonly nodes: NodeSpec[] = []
  /** Tensors not yet consumed (the graph's open ends), and every tensor made so far. */
  readonly leaves: Tensor[] = []
  readonly tensors: Tensor[] = []
  calls = 0

  constructor(readonly rng: Rng, readonly generation: Generation, readonly contents: Contents, readonly nesting: number) {}

  name(base: string): string {
    return `${base}${++this.contents.counter.n}`
  }

  private record(choice: {class_name: string; args?: Record<string, unknown>; activations?: string[]}): void {
    const tag = (className: string, args: Record<string, unknown>): void => {
      this.contents.classes.add(className)
      for (const v of variantsOf(className, args)) this.contents.classes.add(v)
    }
    tag(choice.class_name, choice.args ?? {})
    const inner = choice.args?.layer as {class_name?: string; args?: Record<string, unknown>} | undefined
    if (inner?.class_name !== undefined) tag(inner.class_name, inner.args ?? {})
    for (const a of choice.activations ?? []) if (a !== 'linear') this.contents.activations.add(a)
  }

  /** Adds a layer (called later through `call`); its name is unique in the whole case. */
  layer(choice: {class_name: string; args: Record<string, unknown>; activations?: string[]}): string {
    const name = this.name(choice.class_name.toLowerCase().replace(/[^a-z0-9]/g, ''))
    this.layers.push({name, class_name: choice.class_name, args: choice.args})
    this.record(choice)
    return name
  }

  /** Calls layer `layer` on `inputs`; the output tensor has shape `out`. */
  call(layer: string, inputs: Tensor | Tensor[], out: Shape): Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs]
    for (const t of list) {
      const i = this.leaves.indexOf(t)
      if (i >= 0) this.leaves.splice(i, 1)
    }
    const tensor = {name: this.name('t'), shape: out}
    this.nodes.push({layer, inputs: Array.isArray(inputs) ? inputs.map((t) => t.name) : inputs.name, output: tensor.name})
    this.leaves.push(tensor)
    this.tensors.push(tensor)
    this.calls++
    return tensor
  }

  /** Adds the layer and calls it on `t`. */
  apply(choice: LayerChoice, t: Tensor): Tensor {
    return this.call(this.layer(choice), t, choice.out)
  }

  /** A model input; integer inputs go straight into an Embedding (masked ones into a mask-consuming layer). */
  input(spec: InputSpec & {vocab?: number}): Tensor {
    const {vocab, ...input} = spec
    this.inputs.push(input)
    const t = {name: input.name, shape: input.shape}
    if (vocab === undefined) {
      this.leaves.push(t)
      this.tensors.push(t)
      return t
    }
    const mask = this.rng.chance(0.35)
    const dim = this.rng.int(1, 4)
    const embedded = this.apply({class_name: 'Embedding', args: {input_dim: vocab, output_dim: dim, ...(mask ? {mask_zero: true} : {})}, out: [...input.shape, dim]}, t)
    return mask ? this.unmask(embedded) : embedded
  }

  /** Takes a masked tensor out of the pool: only the mask-consuming chain of `unmask` may use it. */
  private hide(t: Tensor): void {
    this.tensors.splice(this.tensors.indexOf(t), 1)
  }

  /** A masked sequence through layers that take masks (Dense, Dropout) into one that consumes it (RNN, pooling). */
  private unmask(t: Tensor): Tensor {
    this.contents.features.add('mask')
    let x = t
    this.hide(x)
    if (this.rng.chance(0.3)) {
      const units = this.rng.int(1, 4)
      x = this.apply(this.rng.chance(0.5) ? {class_name: 'Dropout', args: {rate: 0.25}, out: x.shape} : {class_name: 'Dense', args: {units}, out: [x.shape[0] ?? 1, units]}, x)
      this.hide(x)
    }
    if (this.rng.chance(0.25)) {
      this.contents.features.add('mask-pooled')
      return this.apply({class_name: 'GlobalAveragePooling1D', args: {}, out: [x.shape[1] ?? 1]}, x)
    }
    const inner = rnnLayer(this.rng, false, true)
    if (!this.rng.chance(0.3)) return this.apply({class_name: inner.class_name, args: inner.args, out: [inner.units], activations: inner.activations}, x)
    return this.apply({class_name: 'Bidirectional', args: {layer: {class_name: inner.class_name, args: inner.args}}, out: [2 * inner.units], activations: inner.activations}, x)
  }

  unary(t: Tensor): Tensor {
    return this.apply(unaryLayer(this.rng, t.shape, this.generation), t)
  }

  /**
   * Merges two or more tensors with a random merge layer. Shapes are made mergeable first: all flattened when
   * their leading axes differ, then (elementwise merges) projected by a Dense to the first one's last axis.
   */
  merge(ts: Tensor[]): Tensor {
    let kind: string = this.rng.pick(ts.length > 2 ? MERGES.filter((m) => m !== 'Subtract') : MERGES)
    const first = ts[0] as Tensor
    const prefix = ts.every((t) => t.shape.length === first.shape.length && same(t.shape.slice(0, -1), first.shape.slice(0, -1)))
    const flat = (t: Tensor): Tensor => (t.shape.length === 1 ? t : this.apply({class_name: 'Flatten', args: {}, out: [elements(t.shape)]}, t))
    let aligned = prefix ? ts : ts.map(flat)
    const lead = (aligned[0] as Tensor).shape.slice(0, -1)
    const lastOf = (t: Tensor): number => t.shape[t.shape.length - 1] ?? 1
    const width = aligned.reduce((n, t) => n + lastOf(t), 0)
    if (kind === 'Concatenate' && width * elements(lead) > MAX_ELEMENTS) kind = 'Add'
    if (kind !== 'Concatenate') {
      const units = lastOf(aligned[0] as Tensor)
      aligned = aligned.map((t, i) => (i === 0 || lastOf(t) === units ? t : this.apply({class_name: 'Dense', args: {units}, out: [...lead, units]}, t)))
    }
    const out = kind === 'Concatenate' ? [...lead, width] : (aligned[0] as Tensor).shape
    return this.call(this.layer({class_name: kind, args: {}}), aligned, out)
  }

  /** Two branches from `t` (one may be empty: a residual connection), merged. */
  branch(t: Tensor): Tensor {
    let left = this.unary(t)
    if (this.rng.chance(0.4)) left = this.unary(left)
    const right = this.rng.chance(0.4) ? t : this.unary(t)
    this.contents.features.add('branch')
    return this.merge([left, right])
  }

  /** One layer called on `t` and on a tensor of the same shape (a twin made from `t` when none exists). */
  shared(t: Tensor): Tensor[] {
    const other = this.tensors.find((u) => u !== t && same(u.shape, t.shape) && !this.inputs.some((i) => i.name === u.name && i.dtype === 'int32'))
    const twin = other ?? this.apply(preservingLayer(this.rng, t.shape, this.generation), t)
    const choice = unaryLayer(this.rng, t.shape, this.generation)
    const name = this.layer(choice)
    this.contents.features.add('shared')
    return [this.call(name, t, choice.out), this.call(name, twin, choice.out)]
  }

  /** A Sequential or functional sub-model built on `t`'s shape, called on `t` (and sometimes on a twin too). */
  nested(t: Tensor): Tensor[] {
    const sub = nestedModel(this.rng, this.generation, this.contents, t, this.nesting + 1)
    const name = sub.spec.name
    this.layers.push({name, class_name: '__model__', model: sub.spec})
    this.contents.features.add(`nested:${sub.spec.kind === 'sequential' ? 'seq' : 'fn'}`)
    const outs = [this.call(name, t, sub.out)]
    if (this.rng.chance(0.3)) {
      this.contents.features.add('nested-twice')
      outs.push(this.call(name, this.apply(preservingLayer(this.rng, t.shape, this.generation), t), sub.out))
    }
    return outs
  }

  /** The spec, with these outputs. */
  spec(name: string, outputs: Tensor[]): ModelSpecCase {
    return {kind: 'functional', name, inputs: this.inputs, layers: this.layers, nodes: this.nodes, outputs: outputs.map((t) => t.name)}
  }
}

/** A Sequential stack of unary layers on one input (an Embedding first for integer inputs). */
/** A built (sub-)model: its spec and output shape. */
interface Built {
  spec: ModelSpecCase
  out: Shape
}

export function sequentialModel(rng: Rng, g: Generation, contents: Contents, input: InputSpec & {vocab?: number}, depth: number, nesting: number): Built {
  const b = new GraphBuilder(rng, g, contents, nesting)
  let t = b.input(input)
  while (b.calls < depth) {
    if (nesting < 1 && rng.chance(0.1)) {
      const sub = nestedModel(rng, g, contents, t, nesting + 1)
      b.layers.push({name: sub.spec.name, class_name: '__model__', model: sub.spec})
      contents.features.add(`nested:${sub.spec.kind === 'sequential' ? 'seq' : 'fn'}`)
      t = b.call(sub.spec.name, t, sub.out)
    } else t = b.unary(t)
  }
  const name = b.name('m')
  return {spec: {kind: 'sequential', name, inputs: b.inputs, layers: b.layers}, out: t.shape}
}

/** A small sub-model (1–4 calls) for tensor `on`: Sequential or functional with one input and one output. */
export function nestedModel(rng: Rng, g: Generation, contents: Contents, on: Tensor, nesting: number): Built {
  const depth = rng.int(1, 4)
  const input = {name: `in${++contents.counter.n}`, shape: on.shape}
  if (rng.chance(0.5)) return sequentialModel(rng, g, contents, input, depth, nesting)
  const b = new GraphBuilder(rng, g, contents, nesting)
  let t = b.input(input)
  while (b.calls < depth) t = rng.chance(0.25) ? b.branch(t) : b.unary(t)
  return {spec: b.spec(b.name('sub'), [t]), out: t.shape}
}

/** One step of a functional graph on the builder's open ends. */
function step(b: GraphBuilder): void {
  const {rng} = b
  const leaves = b.leaves
  // Mostly the newest open end; sometimes an older tensor (a fork: the graph branches).
  const t = rng.chance(0.15) ? rng.pick(b.tensors) : (leaves[leaves.length - 1] ?? rng.pick(b.tensors))
  const r = rng.next()
  if (leaves.length >= 2 && r < 0.2) b.merge(rng.chance(0.8) ? leaves.slice(-2) : leaves.slice(-3))
  else if (r < 0.32) b.branch(t)
  else if (r < 0.4) b.shared(t)
  else if (r < 0.47 && b.nesting < 1) b.nested(t)
  else b.unary(t)
}

/** A functional model: 1–3 inputs, `depth` layer calls or more, 1–3 outputs (every input reaches one). */
export function functionalModel(rng: Rng, g: Generation, contents: Contents, depth: number): ModelSpecCase {
  const b = new GraphBuilder(rng, g, contents, 0)
  const count = rng.chance(0.7) ? 1 : rng.chance(0.7) ? 2 : 3
  for (let i = 0; i < count; i++) b.input(randomInput(rng, `x${i}`))
  if (count > 1) contents.features.add('multi-in')
  for (const i of b.inputs) {
    const open = b.leaves.find((t) => t.name === i.name)
    if (open !== undefined) b.unary(open)
  }
  while (b.calls < depth) step(b)
  const wanted = rng.chance(0.75) ? 1 : rng.int(2, 3)
  while (b.leaves.length > wanted) b.merge(b.leaves.slice(-2))
  const outputs = [...b.leaves]
  const extra = b.tensors.filter((t) => !outputs.includes(t) && !b.inputs.some((i) => i.name === t.name))
  if (outputs.length < wanted && extra.length > 0) outputs.unshift(rng.pick(extra))
  if (outputs.length > 1) contents.features.add('multi-out')
  return b.spec('m', outputs)
}
