/**
 * Differences between two models: layers added, removed or renamed, config changes, output-shape and
 * parameter changes, and — given weights for both — which tensors differ and by how much.
 * Layers are paired by name first; the rest by an LCS over (class, params) so a renamed layer is
 * reported as renamed rather than as one removal plus one addition.
 */
import type {ModelSummary, OutputShape, SummaryRow} from './graph/summary-types.js'
import {type Json, isArray, isObject, jsonEqual} from './json.js'
import type {LayerSpec, ModelSpec} from './model/spec.js'
import {SAME_DIALECT, entry} from './model/write.js'
import type {WeightData} from './weights/types.js'

/** One changed config value, by its path inside the layer config. */
export interface ConfigChange {
  path: string
  a: Json | undefined
  b: Json | undefined
}

/** A pair of layers that exist in both models (possibly under different names). */
export interface LayerDiff {
  a: string
  b: string
  className: string
  renamed: boolean
  classChanged: {a: string; b: string} | null
  outputShape: {a: OutputShape; b: OutputShape} | null
  params: {a: number | null; b: number | null} | null
  /** Inbound connections (`connectedTo`) when they differ, A's named after B's layers where A's were renamed. */
  connections: {a: string[]; b: string[]} | null
  /** Config changes; for a nested model also inside its layers (`layers[2].config.units`). */
  config: ConfigChange[]
}

/** Per-tensor weight comparison of a paired layer. */
export interface WeightDiff {
  layer: string
  weight: string
  shapeA: number[]
  shapeB: number[]
  maxAbsDiff: number | null
  meanAbsDiff: number | null
}

/** `diff --json` result. */
export interface DiffResult {
  same: boolean
  added: string[]
  removed: string[]
  changed: LayerDiff[]
  totals: {a: number; b: number}
  weights: WeightDiff[] | null
}

/** Weights of a model's layers, by layer name, in saved order. */
export type LayerTensors = Map<string, Array<{name: string; shape: number[]; data: WeightData}>>

function configChanges(a: Json | undefined, b: Json | undefined, path: string, out: ConfigChange[]): void {
  if (jsonEqual(a, b)) return
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) configChanges(a[key], b[key], path === '' ? key : `${path}.${key}`, out)
    return
  }
  if (isArray(a) && isArray(b) && a.length === b.length && a.some(isObject)) {
    a.forEach((v, i) => configChanges(v, b[i], `${path}[${i}]`, out))
    return
  }
  out.push({path, a, b})
}

/** Longest common subsequence of two lists under `same`, as index pairs. */
function lcs<T>(xs: T[], ys: T[], same: (x: T, y: T) => boolean): Array<[number, number]> {
  const n = xs.length
  const m = ys.length
  const table = Array.from({length: n + 1}, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = table[i] as Uint32Array
      row[j] = same(xs[i] as T, ys[j] as T) ? (table[i + 1] as Uint32Array)[j + 1] as number + 1 : Math.max((table[i + 1] as Uint32Array)[j] as number, row[j + 1] as number)
    }
  }
  const pairs: Array<[number, number]> = []
  for (let i = 0, j = 0; i < n && j < m;) {
    if (same(xs[i] as T, ys[j] as T)) pairs.push([i++, j++])
    else if (((table[i + 1] as Uint32Array)[j] as number) >= ((table[i] as Uint32Array)[j + 1] as number)) i++
    else j++
  }
  return pairs
}

/** Pairs rows by name, then the leftovers by (class, params) order. */
function pairRows(a: SummaryRow[], b: SummaryRow[]): {pairs: Array<[SummaryRow, SummaryRow]>; removed: SummaryRow[]; added: SummaryRow[]} {
  const bByName = new Map(b.map((r) => [r.name, r]))
  const pairs: Array<[SummaryRow, SummaryRow]> = []
  const restA = a.filter((r) => {
    const match = bByName.get(r.name)
    if (match === undefined) return true
    pairs.push([r, match])
    bByName.delete(r.name)
    return false
  })
  const restB = b.filter((r) => bByName.has(r.name))
  const matched = lcs(restA, restB, (x, y) => x.class_name === y.class_name && x.params === y.params)
  for (const [i, j] of matched) pairs.push([restA[i] as SummaryRow, restB[j] as SummaryRow])
  const usedA = new Set(matched.map(([i]) => i))
  const usedB = new Set(matched.map(([, j]) => j))
  return {pairs, removed: restA.filter((_, i) => !usedA.has(i)), added: restB.filter((_, j) => !usedB.has(j))}
}

/**
 * A config in dialect-neutral form, so a Keras 2 file and a Keras 3 file of the same layer compare equal:
 * no module / registered_name / shared_object_id, DTypePolicy objects as their name, batch_shape as
 * batch_input_shape.
 */
function neutral(value: Json): Json {
  if (isArray(value)) return value.map(neutral)
  if (!isObject(value)) return value
  if (typeof value.class_name === 'string' && /(^|\w)(DTypePolicy|Policy)$/.test(value.class_name) && isObject(value.config) && typeof value.config.name === 'string') return value.config.name
  const out: Record<string, Json> = {}
  for (const [k, v] of Object.entries(value)) {
    if (k === 'module' || k === 'registered_name' || k === 'shared_object_id') continue
    out[k === 'batch_shape' ? 'batch_input_shape' : k] = neutral(v)
  }
  return out
}

/** A layer's config for comparison: without its name; a nested model's with its layers and wiring. */
function comparable(l: LayerSpec | undefined): Json {
  if (l === undefined) return null
  const config = l.graph === undefined ? l.config : entry(l, SAME_DIALECT, null).config
  return neutral(Object.fromEntries(Object.entries(isObject(config) ? config : {}).filter(([k]) => k !== 'name')))
}

/** `dense_1[0][0]` with the layer named as in B when A's layer was renamed. */
function renamedRef(ref: string, renames: ReadonlyMap<string, string>): string {
  const m = /^(.*)(\[\d+\]\[\d+\])$/s.exec(ref)
  return m === null ? ref : `${renames.get(m[1] as string) ?? m[1]}${m[2]}`
}

function layerDiff(ra: SummaryRow, rb: SummaryRow, la: LayerSpec | undefined, lb: LayerSpec | undefined, renames: ReadonlyMap<string, string>): LayerDiff {
  const config: ConfigChange[] = []
  configChanges(comparable(la), comparable(lb), '', config)
  const inboundA = ra.connected_to.map((r) => renamedRef(r, renames))
  return {
    a: ra.name, b: rb.name, className: ra.class_name, renamed: ra.name !== rb.name,
    classChanged: ra.class_name === rb.class_name ? null : {a: ra.class_name, b: rb.class_name},
    outputShape: jsonEqual(ra.output_shape as Json, rb.output_shape as Json) ? null : {a: ra.output_shape, b: rb.output_shape},
    params: ra.params === rb.params ? null : {a: ra.params, b: rb.params},
    connections: jsonEqual(inboundA, rb.connected_to) ? null : {a: ra.connected_to, b: rb.connected_to},
    config,
  }
}

function compareTensors(layer: string, a: LayerTensors, b: LayerTensors, nameA: string, nameB: string): WeightDiff[] {
  const ta = a.get(nameA) ?? []
  const tb = b.get(nameB) ?? []
  // a tensor only B has (a layer that gained a bias) differs too: shape () on A's side
  const onlyB = tb.slice(ta.length).map((y): WeightDiff => ({layer, weight: y.name, shapeA: [], shapeB: y.shape, maxAbsDiff: null, meanAbsDiff: null}))
  return ta.flatMap((x, i): WeightDiff[] => {
    const y = tb[i]
    if (y === undefined) return [{layer, weight: x.name, shapeA: x.shape, shapeB: [], maxAbsDiff: null, meanAbsDiff: null}]
    if (x.data.length !== y.data.length || x.shape.join() !== y.shape.join()) return [{layer, weight: x.name, shapeA: x.shape, shapeB: y.shape, maxAbsDiff: null, meanAbsDiff: null}]
    let max = 0
    let sum = 0
    for (let k = 0; k < x.data.length; k++) {
      const d = Math.abs(Number(x.data[k]) - Number(y.data[k]))
      if (d > max || Number.isNaN(d)) max = d
      sum += d
    }
    return max === 0 ? [] : [{layer, weight: x.name, shapeA: x.shape, shapeB: y.shape, maxAbsDiff: max, meanAbsDiff: sum / Math.max(1, x.data.length)}]
  }).concat(onlyB)
}

/** Diffs two read models (and their weights, when both are given). */
export function diffModels(a: {model: ModelSpec; summary: ModelSummary}, b: {model: ModelSpec; summary: ModelSummary}, weights?: {a: LayerTensors; b: LayerTensors}): DiffResult {
  const {pairs, removed, added} = pairRows(a.summary.rows, b.summary.rows)
  const specA = new Map(a.model.root.graph.layers.map((l) => [l.name, l]))
  const specB = new Map(b.model.root.graph.layers.map((l) => [l.name, l]))
  const renames = new Map(pairs.map(([ra, rb]) => [ra.name, rb.name]))
  const changed = pairs
    .map(([ra, rb]) => layerDiff(ra, rb, specA.get(ra.name), specB.get(rb.name), renames))
    .filter((d) => d.renamed || d.classChanged !== null || d.outputShape !== null || d.params !== null || d.connections !== null || d.config.length > 0)
  const weightDiffs = weights === undefined ? null : pairs.flatMap(([ra, rb]) => compareTensors(rb.name, weights.a, weights.b, ra.name, rb.name))
  const same = added.length === 0 && removed.length === 0 && changed.length === 0 && (weightDiffs === null || weightDiffs.length === 0)
  return {same, added: added.map((r) => r.name), removed: removed.map((r) => r.name), changed, totals: {a: a.summary.total_params, b: b.summary.total_params}, weights: weightDiffs}
}
