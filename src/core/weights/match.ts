/**
 * Pairing a weights file with a model, as Keras's load_weights does (KERAS-REFERENCE §3.6), but never silently:
 * every model layer and every file layer ends up matched, skipped (with the reason) or mismatched.
 *
 * - by order (Keras's default): the model's layers that have weights, in order, against the file's layers
 *   that have weights, in order; names are ignored; counts must agree.
 * - by name (`by_name=True`): a file layer's weights go to the top-level model layer of the same name;
 *   layers on only one side are reported as skipped.
 * Within a layer, weights pair by position. Shapes are checked (Keras 3 does; tf.keras failed at assignment).
 */
import {WeightsError} from '../errors.js'
import type {Dim, WeightInfo} from '../graph/summary-types.js'
import type {LayerWeights, WeightTensor, WeightsFile} from './types.js'

/** What the model expects of one top-level layer (from the shape engine). */
export interface ExpectedLayer {
  name: string
  class_name: string
  /** Expected weights in saved order; null when unknown (custom layer): the file's weights are taken as they are. */
  weights: WeightInfo[] | null
}

/** One weight given to a model layer. */
export interface AssignedWeight {
  /** The expected (Keras short) name, or the file's name when the layer's weights are unknown. */
  name: string
  tensor: WeightTensor
}

/** The weights given to one model layer, and where they came from. */
export interface Assignment {
  layer: string
  file_layer: string
  weights: AssignedWeight[]
}

/** `load-weights --json` report (DESIGN.md). */
export interface MatchReport {
  mode: 'order' | 'name'
  matched: Array<{layer: string; fileLayer: string; weights: number}>
  skipped: Array<{layer: string | null; fileLayer: string | null; reason: string}>
  mismatched: Array<{layer: string; weight: string; expected: Dim[]; found: number[]}>
}

export interface MatchOptions {
  mode: 'order' | 'name'
  /** Keras's skip_mismatch: a layer whose count or shapes disagree is skipped (and reported) instead of failing. */
  skipMismatch: boolean
  /**
   * Keras's preprocess_weights_for_loading: rewrites a file layer's arrays for the model layer it pairs with
   * (Keras 1 gate arrays, Theano kernels, CuDNN layouts) before counts and shapes are compared.
   */
  convert?: (layer: ExpectedLayer, saved: LayerWeights) => WeightTensor[]
}

const hasWeights = (l: LayerWeights): boolean => l.weights.length > 0
const expectsWeights = (l: ExpectedLayer): boolean => l.weights === null || l.weights.length > 0

function shapeFits(expected: Dim[], found: number[]): boolean {
  return expected.length === found.length && expected.every((d, i) => d === null || d === found[i])
}

const fmt = (shape: ReadonlyArray<Dim>): string => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`

/** Pairs one model layer with one file layer; returns the assignment, or records why not. */
function pairLayer(index: number, layer: ExpectedLayer, saved: LayerWeights, opts: MatchOptions, report: MatchReport): Assignment | undefined {
  const file = opts.convert === undefined ? saved : {...saved, weights: opts.convert(layer, saved)}
  const expected = layer.weights
  const where = `layer #${index} (named ${layer.name} in the current model, ${file.name} in the save file)`
  if (expected === null) {
    report.matched.push({layer: layer.name, fileLayer: file.name, weights: file.weights.length})
    return {layer: layer.name, file_layer: file.name, weights: file.weights.map((t) => ({name: t.name, tensor: t}))}
  }
  if (expected.length !== file.weights.length) {
    const message = `Weight count mismatch for ${where}: the layer expects ${expected.length} weight(s), the file has ${file.weights.length}.`
    if (!opts.skipMismatch) throw new WeightsError('KM_WEIGHTS_COUNT', message, {hint: 'Check the weights belong to this architecture, or pass --skip-mismatch to leave this layer unloaded.'})
    report.skipped.push({layer: layer.name, fileLayer: file.name, reason: message})
    return undefined
  }
  const bad = expected.flatMap((w, i) => {
    const t = file.weights[i] as WeightTensor
    return shapeFits(w.shape, t.shape) ? [] : [{layer: layer.name, weight: w.name, expected: w.shape, found: t.shape}]
  })
  if (bad.length > 0) {
    report.mismatched.push(...bad)
    const first = bad[0] as MatchReport['mismatched'][number]
    const message = `Shape mismatch in ${where} for weight ${first.weight}: the layer expects ${fmt(first.expected)}, the file has ${fmt(first.found)}.`
    if (!opts.skipMismatch) throw new WeightsError('KM_WEIGHTS_SHAPE', message, {hint: 'The architecture and the weights disagree; pass --skip-mismatch to load the other layers and leave this one unloaded.'})
    report.skipped.push({layer: layer.name, fileLayer: file.name, reason: message})
    return undefined
  }
  report.matched.push({layer: layer.name, fileLayer: file.name, weights: expected.length})
  return {layer: layer.name, file_layer: file.name, weights: expected.map((w, i) => ({name: w.name, tensor: file.weights[i] as WeightTensor}))}
}

function byOrder(model: ExpectedLayer[], file: WeightsFile, opts: MatchOptions, report: MatchReport): Assignment[] {
  const layers = model.filter(expectsWeights)
  const saved = file.layers.filter(hasWeights)
  if (layers.length !== saved.length) {
    throw new WeightsError('KM_WEIGHTS_LAYER_COUNT', `Layer count mismatch when loading ${file.source}: the model has ${layers.length} layers with weights, the file has ${saved.length}.`, {
      hint: 'Loading by order needs the same architecture; if only names differ use the right architecture, or --by-name to load the layers whose names match.',
    })
  }
  return layers.flatMap((layer, i) => pairLayer(i, layer, saved[i] as LayerWeights, opts, report) ?? [])
}

function byName(model: ExpectedLayer[], file: WeightsFile, opts: MatchOptions, report: MatchReport): Assignment[] {
  if (file.layers.some((l) => !l.name_is_layer_name && hasWeights(l))) {
    throw new WeightsError('KM_WEIGHTS_NO_NAMES', `${file.source} is a Keras 3 weights file written before Keras 3.6: it records class-based keys, not layer names, so it cannot be loaded by name.`, {
      hint: 'Load it by order (without --by-name), as Keras 3 does.',
    })
  }
  const byLayerName = new Map(model.map((l, i) => [l.name, {layer: l, index: i}]))
  const seen = new Set<string>()
  const out: Assignment[] = []
  for (const saved of file.layers.filter(hasWeights)) {
    const target = byLayerName.get(saved.name)
    if (target === undefined) {
      report.skipped.push({layer: null, fileLayer: saved.name, reason: `no layer named '${saved.name}' in the model`})
      continue
    }
    seen.add(saved.name)
    const assignment = pairLayer(target.index, target.layer, saved, opts, report)
    if (assignment !== undefined) out.push(assignment)
  }
  for (const layer of model.filter(expectsWeights)) {
    if (!seen.has(layer.name)) report.skipped.push({layer: layer.name, fileLayer: null, reason: `no weights named '${layer.name}' in the file: left unloaded`})
  }
  return out
}

/** Matches the file's weights to the model's layers. Throws WeightsError (exit 5) where Keras would fail. */
export function matchWeights(model: ExpectedLayer[], file: WeightsFile, opts: MatchOptions): {assignments: Assignment[]; report: MatchReport} {
  const report: MatchReport = {mode: opts.mode, matched: [], skipped: [], mismatched: []}
  const assignments = opts.mode === 'order' ? byOrder(model, file, opts, report) : byName(model, file, opts, report)
  return {assignments, report}
}
