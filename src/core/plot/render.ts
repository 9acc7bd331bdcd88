/**
 * Rendering DOT in-process, with no system Graphviz and no Python: DOT → SVG with Graphviz compiled to wasm
 * (@hpcc-js/wasm-graphviz), SVG → PNG with resvg compiled to wasm (@resvg/resvg-wasm). Both are imported
 * lazily, so only `kmodel plot` pays for them, and each wasm module is instantiated once per process.
 */
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {InputError, InternalError} from '../errors.js'
import type {PlotFont} from './fonts.js'

type GraphvizModule = typeof import('@hpcc-js/wasm-graphviz')
type ResvgModule = typeof import('@resvg/resvg-wasm')
type Graphviz = Awaited<ReturnType<GraphvizModule['Graphviz']['load']>>

let graphviz: Promise<Graphviz> | undefined
let resvg: Promise<ResvgModule> | undefined

/** Largest PNG drawn, in pixels (RGBA: 4 bytes each, so about 400 MB). */
const MAX_PIXELS = 100_000_000

function loadGraphviz(): Promise<Graphviz> {
  graphviz ??= import('@hpcc-js/wasm-graphviz').then((m) => m.Graphviz.load())
  return graphviz
}

/** resvg's wasm is read from the package's own .wasm file: Node has no fetch for a relative URL here. */
function loadResvg(): Promise<ResvgModule> {
  resvg ??= (async () => {
    const module = await import('@resvg/resvg-wasm')
    const wasm = await readFile(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm'))
    await module.initWasm(wasm)
    return module
  })()
  return resvg
}

/** Graphviz-wasm's failures that mean the graph is too large for it, not that the DOT text is wrong. */
const EXHAUSTED = /maximum call stack size exceeded|memory access out of bounds|out of memory|aborted\(oom\)/i

/** What to do about a graph too large to lay out in-process. */
export const LAYOUT_HINT = 'Write the Graphviz source instead (--output model.dot) and lay it out with a system Graphviz (dot -Tsvg model.dot).'

/** Lays out DOT text with Graphviz's `dot` engine and returns the SVG document. */
export async function dotToSvg(dot: string): Promise<string> {
  const engine = await loadGraphviz()
  try {
    return engine.dot(dot, 'svg')
  } catch (error) {
    if (error instanceof Error && EXHAUSTED.test(error.message)) {
      throw new InputError('KM_INPUT_PLOT_TOO_LARGE', `Graphviz ran out of stack or memory laying out the graph (${error.message}).`, {hint: LAYOUT_HINT, cause: error})
    }
    throw new InternalError(`Graphviz could not lay out the generated DOT text (${error instanceof Error ? error.message : String(error)}).`, {cause: error})
  }
}

/** The size Graphviz gave an SVG, in points (`width="495pt"`), or undefined if absent. */
export function svgSizePt(svg: string): {width: number; height: number} | undefined {
  const match = /<svg\b[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"/.exec(svg)
  if (match === null) return undefined
  return {width: Number(match[1]), height: Number(match[2])}
}

/**
 * Draws an SVG as PNG at `dpi` dots per inch (Graphviz sizes are in points, 72 to the inch), with the given
 * font for every text. Refuses images over MAX_PIXELS before allocating them.
 */
export async function svgToPng(svg: string, font: PlotFont, dpi: number): Promise<Uint8Array> {
  const size = svgSizePt(svg)
  if (size !== undefined) {
    const pixels = Math.ceil((size.width * dpi) / 72) * Math.ceil((size.height * dpi) / 72)
    if (pixels > MAX_PIXELS) {
      throw new InputError('KM_INPUT_PLOT_TOO_LARGE', `The plot would be ${Math.round(pixels / 1e6)} megapixels at ${dpi} dpi, over the ${MAX_PIXELS / 1e6} megapixel limit.`, {
        hint: 'Pass a lower --dpi, or write an .svg (it scales without limit).',
      })
    }
  }
  const {Resvg} = await loadResvg()
  const options = {dpi, font: {fontBuffers: font.buffers, defaultFontFamily: font.family, sansSerifFamily: font.family, serifFamily: font.family}, background: 'white'}
  let renderer: InstanceType<ResvgModule['Resvg']> | undefined
  try {
    renderer = new Resvg(svg, options)
    const image = renderer.render()
    try {
      return image.asPng()
    } finally {
      image.free()
    }
  } catch (error) {
    throw new InternalError(`resvg could not draw the plot (${error instanceof Error ? error.message : String(error)}).`, {cause: error})
  } finally {
    renderer?.free()
  }
}
