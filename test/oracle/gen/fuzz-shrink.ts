/**
 * The shrinker's edits of a fuzz model spec: every model one step smaller than a given one (a node dropped and
 * its consumers reconnected to one of its inputs — which also removes a merge's branch —, an output dropped, a
 * unit/filter count halved, an optional argument dropped, a wrapper or a nested model unwrapped, an input axis
 * halved). The edits do not track shapes: Keras builds each candidate, and the ones it refuses are discarded.
 */
import type {ModelSpecCase} from './compute.js'

type Layer = ModelSpecCase['layers'][number]
type Node = NonNullable<ModelSpecCase['nodes']>[number]

const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T
const namesOf = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v])

/** Arguments whose count the shrinker halves. */
const COUNTS = ['units', 'filters', 'output_dim', 'n', 'depth_multiplier']
/** Arguments a layer cannot go without (never dropped). */
const REQUIRED = new Set([...COUNTS, 'layer', 'target_shape', 'input_dim', 'rate', 'stddev', 'dims', 'kernel_size', 'pool_size'])

/** A functional spec without the nodes, layers and inputs no output depends on; null when it has no input left. */
export function prune(spec: ModelSpecCase): ModelSpecCase | null {
  if (spec.kind === 'sequential') return spec.layers.length === 0 ? null : spec
  const outputs = [...new Set(spec.outputs ?? [])]
  const needed = new Set(outputs)
  const kept: Node[] = []
  for (const node of [...(spec.nodes ?? [])].reverse()) {
    if (!namesOf(node.output).some((t) => needed.has(t))) continue
    kept.unshift(node)
    for (const t of namesOf(node.inputs)) needed.add(t)
  }
  const inputs = spec.inputs.filter((i) => needed.has(i.name))
  if (inputs.length === 0 || kept.length === 0 || outputs.some((o) => spec.inputs.some((i) => i.name === o))) return null
  const used = new Set(kept.map((n) => n.layer))
  return {...spec, inputs, layers: spec.layers.filter((l) => used.has(l.name)), nodes: kept, outputs}
}

/** References to tensor `from` become `to` (in node inputs and model outputs). */
function rewire(spec: ModelSpecCase, from: string, to: string): void {
  for (const node of spec.nodes ?? []) node.inputs = Array.isArray(node.inputs) ? node.inputs.map((t) => (t === from ? to : t)) : node.inputs === from ? to : node.inputs
  spec.outputs = (spec.outputs ?? []).map((t) => (t === from ? to : t))
}

function dropNodes(spec: ModelSpecCase): ModelSpecCase[] {
  const out: ModelSpecCase[] = []
  for (const [k, node] of (spec.nodes ?? []).entries()) {
    const output = namesOf(node.output)[0] ?? ''
    for (const input of new Set(namesOf(node.inputs))) {
      const next = copy(spec)
      next.nodes = (next.nodes ?? []).filter((_, i) => i !== k)
      rewire(next, output, input)
      out.push(next)
    }
  }
  for (const o of spec.outputs ?? []) if ((spec.outputs ?? []).length > 1) out.push({...copy(spec), outputs: (spec.outputs ?? []).filter((x) => x !== o)})
  return out
}

/** A Sequential or single-output functional sub-model inlined at each call of it (its layers shared by the calls). */
function inline(spec: ModelSpecCase, nested: Layer): ModelSpecCase | null {
  const sub = nested.model
  if (sub === undefined || spec.kind !== 'functional') return null
  const next = copy(spec)
  const nodes: Node[] = []
  for (const node of next.nodes ?? []) {
    if (node.layer !== nested.name) { nodes.push(node); continue }
    const input = namesOf(node.inputs)[0] ?? ''
    const output = namesOf(node.output)[0] ?? ''
    if (sub.kind === 'sequential') {
      sub.layers.forEach((l, i) => nodes.push({layer: l.name, inputs: i === 0 ? input : `${output}_${i - 1}`, output: i === sub.layers.length - 1 ? output : `${output}_${i}`}))
      continue
    }
    const last = (sub.outputs ?? [])[0]
    const rename = (t: string): string => (t === sub.inputs[0]?.name ? input : t === last ? output : `${output}_${t}`)
    for (const n of sub.nodes ?? []) nodes.push({...n, inputs: Array.isArray(n.inputs) ? n.inputs.map(rename) : rename(n.inputs), output: Array.isArray(n.output) ? n.output.map(rename) : rename(n.output)})
  }
  next.nodes = nodes
  next.layers = [...next.layers.filter((l) => l.name !== nested.name), ...copy(sub.layers)]
  return next
}

/** Per layer: counts halved, optional arguments dropped, the wrapper's inner layer in its place. */
function argEdits(layer: Layer): Array<Partial<Layer>> {
  const args = layer.args ?? {}
  const edits: Array<Partial<Layer>> = []
  for (const key of COUNTS) {
    const v = args[key]
    if (typeof v === 'number' && v > 1) edits.push({args: {...args, [key]: Math.floor(v / 2)}})
  }
  for (const key of Object.keys(args)) if (!REQUIRED.has(key)) edits.push({args: Object.fromEntries(Object.entries(args).filter(([k]) => k !== key))})
  const inner = args.layer as {class_name: string; args: Record<string, unknown>} | undefined
  if (inner !== undefined) {
    edits.push({class_name: inner.class_name, args: inner.args})
    for (const e of argEdits({name: '', class_name: inner.class_name, args: inner.args})) if (e.args !== undefined && e.class_name === undefined) edits.push({args: {...args, layer: {class_name: inner.class_name, args: e.args}}})
  }
  return edits
}

function layerEdits(spec: ModelSpecCase): ModelSpecCase[] {
  const out: ModelSpecCase[] = []
  for (const [i, layer] of spec.layers.entries()) {
    const replace = (l: Layer): ModelSpecCase => ({...copy(spec), layers: spec.layers.map((x, k) => (k === i ? l : copy(x)))})
    if (layer.model !== undefined) {
      const inlined = inline(spec, layer)
      if (inlined !== null) out.push(inlined)
      if (spec.kind === 'sequential' && layer.model.kind === 'sequential') out.push({...copy(spec), layers: spec.layers.flatMap((x, k) => (k === i ? copy(layer.model?.layers ?? []) : [copy(x)]))})
      for (const sub of candidates(layer.model)) out.push(replace({...layer, model: sub}))
      continue
    }
    for (const edit of argEdits(layer)) out.push(replace({...copy(layer), ...edit}))
  }
  return out
}

function inputEdits(spec: ModelSpecCase): ModelSpecCase[] {
  const out: ModelSpecCase[] = []
  for (const [i, input] of spec.inputs.entries()) {
    for (const [k, d] of input.shape.entries()) {
      if (d > 1) out.push({...copy(spec), inputs: spec.inputs.map((x, j) => (j === i ? {...x, shape: x.shape.map((v, m) => (m === k ? Math.ceil(v / 2) : v))} : copy(x)))})
    }
  }
  return out
}

/** Every spec one edit smaller than `spec` (pruned; duplicates and empty models left out). */
export function candidates(spec: ModelSpecCase): ModelSpecCase[] {
  const raw = spec.kind === 'sequential'
    ? spec.layers.map((_, i) => ({...copy(spec), layers: spec.layers.filter((__, k) => k !== i)}))
    : dropNodes(spec)
  const all = [...raw, ...layerEdits(spec), ...inputEdits(spec)].map(prune).filter((s): s is ModelSpecCase => s !== null)
  const seen = new Set([JSON.stringify(spec)])
  return all.filter((s) => {
    const key = JSON.stringify(s)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** How big a spec is, for choosing among candidates: layers and calls first, then counts and input sizes. */
export function specSize(spec: ModelSpecCase): number {
  let size = (spec.nodes?.length ?? 0) * 1000 + spec.inputs.reduce((n, i) => n + i.shape.reduce((a, b) => a * b, 1), 0)
  for (const layer of spec.layers) {
    size += 1000 + Object.keys(layer.args ?? {}).length * 10
    if (layer.model !== undefined) size += specSize(layer.model)
    for (const key of COUNTS) if (typeof layer.args?.[key] === 'number') size += layer.args[key] as number
  }
  return size
}

/** Layer calls and layers of a spec, nested models included (for the printed summary of a shrink). */
export function layerCount(spec: ModelSpecCase): number {
  return spec.layers.reduce((n, l) => n + (l.model === undefined ? 1 : layerCount(l.model)), 0)
}
