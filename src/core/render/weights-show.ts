/**
 * `weights show` as text: a heading (file, layout, Keras version, optimizer state), one table row per tensor
 * (weightless layers as a dimmed row), totals and, with a model, the by-order pairing. Every string from the
 * file goes through terminalSafe before colour is added; colour is a parameter.
 */
import type {ShownLayer, ShownPairing, ShownTensor, WeightsShowResult} from '../weights/show.js'
import {type Painter, painter} from './ansi.js'
import {groupThousands, KERAS3_SIZE_UNITS, readableSize} from './format.js'
import type {GridAlign} from './grid.js'
import {terminalSafe} from './sanitize.js'
import {type Cell, drawTable} from './table.js'

const HEAD = ['Layer', 'Weight', 'Shape', 'DType', 'Min', 'Max', 'Mean', 'Std', 'NaN', 'Inf']
const ALIGN: GridAlign[] = ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right']

const CONTAINERS: Record<WeightsShowResult['container'], string> = {
  weights: 'weights-only file',
  'full-model': "full model (weights in 'model_weights')",
  'keras-zip': ".keras zip ('model.weights.h5')",
  tfjs: 'TensorFlow.js model.json + shards',
}
const LAYOUTS: Record<WeightsShowResult['layout'], string> = {
  keras2: 'legacy Keras HDF5 (layer_names / weight_names)',
  keras3: 'Keras 3 (layers/…/vars)',
  tfjs: 'tfjs weightsManifest',
}

/** A statistic in at most 5 significant digits; '-' when absent. */
export function statText(x: number | null): string {
  if (x === null) return '-'
  if (x === 0) return '0'
  const abs = Math.abs(x)
  if (abs >= 1e-4 && abs < 1e6) return String(Number(x.toPrecision(5)))
  return x.toExponential(4).replace(/\.?0+e/, 'e')
}

const shapeText = (shape: readonly number[]): string => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`

function tensorCells(layer: string, t: ShownTensor, c: Painter): Cell[] {
  const count = (n: number): Cell => (n === 0 ? {text: '0', paint: c.dim} : {text: groupThousands(n), paint: c.yellow})
  return [
    {text: terminalSafe(layer)}, {text: terminalSafe(t.name)}, {text: shapeText(t.shape)}, {text: t.dtype, paint: c.dim},
    {text: statText(t.min)}, {text: statText(t.max)}, {text: statText(t.mean)}, {text: statText(t.std)}, count(t.nan), count(t.inf),
  ]
}

function layerRows(layer: ShownLayer, c: Painter): Cell[][] {
  if (layer.weights.length === 0) return [[{text: terminalSafe(layer.name)}, {text: '(no weights)', paint: c.dim}, ...HEAD.slice(2).map(() => ({text: ''}))]]
  return layer.weights.map((t, i) => tensorCells(i === 0 ? layer.name : '', t, c))
}

function natural(rows: readonly Cell[][]): number[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell.text].length)))
  return widths
}

function heading(r: WeightsShowResult, c: Painter): string[] {
  const version = r.kerasVersion === null ? 'not recorded' : terminalSafe(r.kerasVersion)
  const backend = r.backend === null ? '' : `, backend ${terminalSafe(r.backend)}`
  const optimizer = r.optimizer.present ? `saved (${groupThousands(r.optimizer.tensors)} tensors, ${groupThousands(r.optimizer.params)} values; not model weights)` : 'none'
  return [
    `${c.bold('Weights:')} ${terminalSafe(r.file)}`,
    `${c.bold('Layout:')} ${LAYOUTS[r.layout]}, ${CONTAINERS[r.container]}`,
    `${c.bold('Keras version:')} ${version}${backend}`,
    `${c.bold('Optimizer state:')} ${optimizer}`,
  ]
}

function footer(r: WeightsShowResult, c: Painter): string[] {
  const t = r.totals
  const lines = [
    `${c.bold('Total:')} ${groupThousands(t.params)} values (${readableSize(t.bytes, KERAS3_SIZE_UNITS)}) in ${groupThousands(t.tensors)} tensors, ${t.layersWithWeights} of ${t.layers} layers with weights`,
  ]
  if (t.nan > 0 || t.inf > 0) lines.push(c.yellow(`Warning: ${groupThousands(t.nan)} NaN and ${groupThousands(t.inf)} infinite values.`))
  return lines
}

function pairingLines(p: ShownPairing, model: string, c: Painter): string[] {
  const out = [c.bold(`Pairing with ${terminalSafe(model)} by order (as load-weights):`)]
  if (p.error !== null) return [...out, c.yellow(`  refused: ${terminalSafe(p.error.message)} (${p.error.code})`)]
  for (const m of p.matched) out.push(`  ${terminalSafe(m.fileLayer)} → ${terminalSafe(m.layer)}: ${m.weights} weight(s)`)
  for (const s of p.skipped) out.push(c.yellow(`  ${terminalSafe(s.fileLayer ?? '-')} → ${terminalSafe(s.layer ?? '-')}: does not load: ${terminalSafe(s.reason)}`))
  return out
}

/** The whole text, lines joined by `\n`, no final newline. `model` names the model file when a pairing is shown. */
export function renderWeightsShow(r: WeightsShowResult, opts: {color: boolean; model?: string}): string {
  const c = painter(opts.color)
  const head: Cell[] = HEAD.map((text) => ({text, paint: c.bold}))
  const body = [...r.layers.flatMap((l) => layerRows(l, c)), ...r.topLevel.map((t, i) => tensorCells(i === 0 ? '(model)' : '', t, c))]
  const parts = [...heading(r, c), '']
  parts.push(body.length === 0 ? c.dim('(no layers)') : drawTable(head, body, {widths: undefined, natural: natural([head, ...body]), align: ALIGN, rules: false}))
  parts.push(...footer(r, c))
  if (r.pairing !== null) parts.push('', ...pairingLines(r.pairing, opts.model ?? 'the model', c))
  return parts.join('\n')
}
