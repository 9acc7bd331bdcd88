/**
 * plotModel(): a model and its summary → the bytes of a DOT, SVG or PNG picture of its layer graph, as
 * `keras.utils.plot_model` draws it. DOT needs no wasm; SVG loads Graphviz-wasm; PNG also loads resvg-wasm
 * and a font, and lays the graph out for that font's metrics.
 */
import {extname} from 'node:path'
import {InputError} from '../errors.js'
import type {ModelSummary} from '../graph/summary-types.js'
import type {ModelSpec} from '../model/spec.js'
import {type DotOptions, type PlotGraph, modelToDot} from './dot.js'

export {RANKDIRS, type Rankdir, type DotOptions, type PlotGraph, modelToDot} from './dot.js'

/**
 * Most layer boxes laid out in-process as SVG or PNG (a 10,000-box chain takes ~2 s and ~240 MB in
 * Graphviz-wasm); DOT output has no limit.
 */
export const MAX_LAYOUT_NODES = 10_000

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
  const {dotToSvg, svgToPng, LAYOUT_HINT} = await import('./render.js')
  const boxes = (graph: PlotGraph): PlotGraph => {
    if (graph.nodes <= MAX_LAYOUT_NODES) return graph
    throw new InputError('KM_INPUT_PLOT_TOO_LARGE', `The model has ${graph.nodes.toLocaleString('en-US')} layer boxes to draw, over the ${MAX_LAYOUT_NODES.toLocaleString('en-US')} kmodel lays out as ${format.toUpperCase()}.`, {hint: LAYOUT_HINT})
  }
  if (format === 'svg') {
    const graph = boxes(modelToDot(model, summary, dotOptions))
    return {data: await dotToSvg(graph.dot), nodes: graph.nodes, edges: graph.edges}
  }
  const {loadPlotFont} = await import('./fonts.js')
  const font = await loadPlotFont()
  const graph = boxes(modelToDot(model, summary, {...dotOptions, fontname: font.layoutName}))
  return {data: await svgToPng(await dotToSvg(graph.dot), font, dpi), nodes: graph.nodes, edges: graph.edges}
}
