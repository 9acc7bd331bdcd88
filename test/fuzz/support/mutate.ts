/**
 * Structured mutations of a Keras config document, as fast-check values: each mutation names its target by
 * an index that is reduced modulo the candidates the document offers (every node, every number, every layer
 * list, every inbound reference…), so any integer is a valid choice and shrinking moves towards the first
 * candidate. Mutations never touch the input: `applyMutations` works on a deep copy.
 */
import fc from 'fast-check'
import type {Json, JsonObject} from '../../../src/core/json.js'
import {isArray, isObject} from '../../../src/core/json.js'

/** A step in a JSON path: an object key or an array index. */
type Step = string | number

/** Numbers that stress validation and the shape engine. Strings `@@RAW:…@@` are written as bare tokens. */
const NUMBERS: readonly Json[] = [
  -1, -7, 0, 1, 0.5, -0, 3.7, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 1e308, -1e308, 5e-324, 65536 * 65536,
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
  raw('9007199254740993'), raw('1e400'), raw('-1e400'), raw('123456789012345678901234567890'), raw('1E-400'),
]

/** Values of every JSON type (and a few Keras-shaped ones) that replace a node. */
const VALUES: readonly Json[] = [
  null, true, false, 0, -1, 1.5, '', 'x', 'None', 'relu', 'Dense', 'InputLayer', 'channels_first', '__tuple__',
  [], [null], [1, 2], [[1, 2]], [null, -3], ['x', 0, 0], [['x', 0, 0, {}]], {}, {class_name: 'Dense', config: {}},
  {class_name: 'Sequential', config: {layers: []}}, {class_name: 'Functional', config: {}}, {__tuple__: [1]},
  {__keras_tensor__: true, config: {keras_history: ['x', 0, 0]}}, {name: null}, {config: null},
  'a'.repeat(5000), nested(600),
]

/** A number written as a bare token in the text (JSON and YAML), for values JSON.stringify cannot produce. */
function raw(token: string): string {
  return `@@RAW:${token}@@`
}

/** An array nested `depth` levels deep: `[[[…[1]…]]]`. */
function nested(depth: number): Json {
  let value: Json = [1]
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

/** Replaces the `@@RAW:…@@` markers (quoted or not) by their bare tokens. */
export function restoreRawTokens(text: string): string {
  return text.replace(/['"]?@@RAW:([^@]+)@@['"]?/g, '$1')
}

/** One mutation. `at` and the other indices are reduced modulo the candidates. */
export type Mutation =
  | {op: 'delete'; at: number}
  | {op: 'replace'; at: number; value: number}
  | {op: 'number'; at: number; value: number}
  | {op: 'graft'; at: number; from: number}
  | {op: 'duplicateLayer'; at: number; to: number; rename: boolean}
  | {op: 'dropLayer'; at: number}
  | {op: 'renameLayer'; at: number; name: number}
  | {op: 'rewire'; at: number; name: number}
  | {op: 'nodeIndex'; at: number; value: number}

const idx = fc.nat({max: 1 << 20})

/** Arbitrary mutation, weighted towards the graph-shaped ones. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {weight: 2, arbitrary: fc.record({op: fc.constant('delete' as const), at: idx})},
  {weight: 3, arbitrary: fc.record({op: fc.constant('replace' as const), at: idx, value: idx})},
  {weight: 3, arbitrary: fc.record({op: fc.constant('number' as const), at: idx, value: idx})},
  {weight: 1, arbitrary: fc.record({op: fc.constant('graft' as const), at: idx, from: idx})},
  {weight: 2, arbitrary: fc.record({op: fc.constant('duplicateLayer' as const), at: idx, to: idx, rename: fc.boolean()})},
  {weight: 1, arbitrary: fc.record({op: fc.constant('dropLayer' as const), at: idx})},
  {weight: 2, arbitrary: fc.record({op: fc.constant('renameLayer' as const), at: idx, name: idx})},
  {weight: 3, arbitrary: fc.record({op: fc.constant('rewire' as const), at: idx, name: idx})},
  {weight: 2, arbitrary: fc.record({op: fc.constant('nodeIndex' as const), at: idx, value: idx})},
)

/** Every path in the document, root first, in document order. */
function paths(doc: Json, prefix: Step[] = [], out: Step[][] = []): Step[][] {
  out.push(prefix)
  if (isArray(doc)) doc.forEach((v, i) => paths(v, [...prefix, i], out))
  else if (isObject(doc)) for (const [k, v] of Object.entries(doc)) paths(v, [...prefix, k], out)
  return out
}

function get(doc: Json, path: readonly Step[]): Json | undefined {
  let node: Json | undefined = doc
  for (const step of path) {
    if (isArray(node) && typeof step === 'number') node = node[step]
    else if (isObject(node) && typeof step === 'string') node = node[step]
    else return undefined
  }
  return node
}

/** Sets (or, with `undefined`, deletes) the node at a non-root path. */
function set(doc: Json, path: readonly Step[], value: Json | undefined): void {
  const parent = get(doc, path.slice(0, -1))
  const last = path.at(-1)
  if (isArray(parent) && typeof last === 'number') {
    if (value === undefined) parent.splice(last, 1)
    else parent[last] = value
  } else if (isObject(parent) && typeof last === 'string') {
    if (value === undefined) delete parent[last]
    else parent[last] = value
  }
}

const pick = <T>(items: readonly T[], i: number): T | undefined => (items.length === 0 ? undefined : items[i % items.length])

/** Layer lists: arrays of `{class_name, …}` objects (Sequential / functional `layers`, a bare-list config). */
function layerLists(doc: Json): Step[][] {
  return paths(doc).filter((p) => {
    const node = get(doc, p)
    return isArray(node) && node.length > 0 && node.every((l) => isObject(l) && 'class_name' in l)
  })
}

/** Paths of layer-name strings: `config.name` and `name` of every layer object. */
function layerNamePaths(doc: Json): Step[][] {
  return layerLists(doc).flatMap((list) => {
    const layers = get(doc, list)
    if (!isArray(layers)) return []
    return layers.flatMap((layer, i): Step[][] => {
      if (!isObject(layer)) return []
      const out: Step[][] = []
      if (typeof layer.name === 'string') out.push([...list, i, 'name'])
      if (isObject(layer.config) && typeof layer.config.name === 'string') out.push([...list, i, 'config', 'name'])
      return out
    })
  })
}

const REF_KEYS = new Set(['inbound_nodes', 'input_layers', 'output_layers', 'keras_history'])

/** Paths of every string / number below a connection key (inbound nodes, model inputs and outputs). */
function refPaths(doc: Json, kind: 'string' | 'number'): Step[][] {
  return paths(doc).filter((p) => p.some((s) => typeof s === 'string' && REF_KEYS.has(s)) && typeof get(doc, p) === kind)
}

function layerNames(doc: Json): string[] {
  const names = layerNamePaths(doc).map((p) => get(doc, p)).filter((n): n is string => typeof n === 'string')
  return [...new Set([...names, 'ghost', ''])]
}

/** Applies one mutation in place; a mutation with no candidate in this document does nothing. */
function applyOne(doc: JsonObject | Json[], m: Mutation): void {
  const all = paths(doc).slice(1)
  switch (m.op) {
    case 'delete': return void withPath(pick(all, m.at), (p) => set(doc, p, undefined))
    case 'replace': return void withPath(pick(all, m.at), (p) => set(doc, p, structuredClone(pick(VALUES, m.value) ?? null)))
    case 'number': {
      const numbers = all.filter((p) => typeof get(doc, p) === 'number')
      return void withPath(pick(numbers.length > 0 ? numbers : all, m.at), (p) => set(doc, p, pick(NUMBERS, m.value) ?? 0))
    }
    case 'graft': return void withPath(pick(all, m.at), (p) => set(doc, p, structuredClone(get(doc, pick(all, m.from) ?? []) ?? null)))
    case 'duplicateLayer':
    case 'dropLayer': return void withPath(pick(layerLists(doc), m.at), (p) => editLayers(doc, p, m))
    case 'renameLayer':
      return void withPath(pick(layerNamePaths(doc), m.at), (p) => set(doc, p, pick([...layerNames(doc), 'renamed', 'a/b', 'x[0]'], m.name) ?? 'x'))
    case 'rewire': return void withPath(pick(refPaths(doc, 'string'), m.at), (p) => set(doc, p, pick(layerNames(doc), m.name) ?? 'ghost'))
    case 'nodeIndex': return void withPath(pick(refPaths(doc, 'number'), m.at), (p) => set(doc, p, pick([0, 1, 2, -1, 99, 2 ** 40, 0.5], m.value) ?? 0))
  }
}

function withPath(path: Step[] | undefined, fn: (p: Step[]) => void): void {
  if (path !== undefined && path.length > 0) fn(path)
}

/** Duplicates a layer (same name, so also a duplicate-name case) into another position, or drops one. */
function editLayers(doc: Json, list: Step[], m: Mutation): void {
  const layers = get(doc, list)
  if (!isArray(layers) || layers.length === 0) return
  if (m.op === 'dropLayer') layers.splice(m.at % layers.length, 1)
  else if (m.op === 'duplicateLayer') layers.splice(m.to % (layers.length + 1), 0, copyLayer(layers[m.at % layers.length] ?? null, m.rename))
}

/** A copy of a layer entry; renamed (`dense_dup`) so the copy gets past the duplicate-name check. */
function copyLayer(layer: Json, rename: boolean): Json {
  const copy = structuredClone(layer)
  if (!rename || !isObject(copy)) return copy
  if (typeof copy.name === 'string') copy.name = `${copy.name}_dup`
  if (isObject(copy.config) && typeof copy.config.name === 'string') copy.config.name = `${copy.config.name}_dup`
  return copy
}

/** A mutated deep copy of `doc`. */
export function applyMutations(doc: Json, mutations: readonly Mutation[]): Json {
  const copy = structuredClone(doc)
  if (!isObject(copy) && !isArray(copy)) return copy
  for (const m of mutations) applyOne(copy, m)
  return copy
}
