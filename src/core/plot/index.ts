/**
 * plotModel(): a model and its summary → the bytes of a DOT, SVG or PNG picture of its layer graph, as
 * `keras.utils.plot_model` draws it. DOT needs no wasm; SVG loads Graphviz-wasm; PNG also loads resvg-wasm
 * and a font, and lays the graph out for that font's metrics.
 */
import {extname} from 'node:path'
import {InputError} from '../errors.js'
import type {ModelSummary} from '../graph/summary-types.js'
import type {ModelSpec} from '../model/spec.js'
import {type DotOptions, modelToDot} from './dot.js'

export {RANKDIRS, type Rankdir, type DotOptions, type PlotGraph, modelToDot} from './dot.js'

/** The picture formats: Graphviz source, a scalable SVG, a raster PNG. */
export const PLOT_FORMATS = ['svg', 'png', 'dot'] as const
/** One of PLOT_FORMATS. */
export type PlotFormat = (typeof PLOT_FORMATS)[number]

/** What to draw and how (see DotOptions), in which format, and the PNG resolution. */
export interface PlotOptions extends Omit<DotOptions, 'fontname'> {
  format: PlotFormat
  /** Dots per inch of a PNG (ignored for SVG and DOT, whose sizes are in points). */
  dpi: number
}

/** The picture and what it shows. */
export interface PlotOutput {
  /** DOT and SVG are text, PNG is bytes. */
  data: string | Uint8Array
  /** Layer boxes drawn (an expanded nested model counts its inner layers, not itself). */
  nodes: number
  /** Distinct layer-to-layer edges drawn. */
  edges: number
}

/**
 * The format of an output path: the explicit one, else from the extension (`.svg`, `.png`, `.dot` or `.gv`).
 * Throws InputError when neither says.
 */
export function plotFormatOf(path: string, explicit?: PlotFormat): PlotFormat {
  if (explicit !== undefined) return explicit
  const ext = extname(path).toLowerCase()
  if (ext === '.gv') return 'dot'
  const found = PLOT_FORMATS.find((f) => `.${f}` === ext)
  if (found !== undefined) return found
  throw new InputError('KM_INPUT_PLOT_FORMAT', `Cannot tell the picture format from the output name '${path}'.`, {
    hint: 'End --output with .svg, .png or .dot, or pass --format svg|png|dot.',
  })
}

/** Draws the model in the requested format. */
export async function plotModel(model: ModelSpec, summary: ModelSummary, options: PlotOptions): Promise<PlotOutput> {
  const {format, dpi, ...dotOptions} = options
  if (format === 'dot') {
    const graph = modelToDot(model, summary, dotOptions)
    return {data: graph.dot, nodes: graph.nodes, edges: graph.edges}
  }
  const {dotToSvg, svgToPng} = await import('./render.js')
  if (format === 'svg') {
    const graph = modelToDot(model, summary, dotOptions)
    return {data: await dotToSvg(graph.dot), nodes: graph.nodes, edges: graph.edges}
  }
  const {loadPlotFont} = await import('./fonts.js')
  const font = await loadPlotFont()
  const graph = modelToDot(model, summary, {...dotOptions, fontname: font.layoutName})
  return {data: await svgToPng(await dotToSvg(graph.dot), font, dpi), nodes: graph.nodes, edges: graph.edges}
}
