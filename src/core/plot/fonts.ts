/**
 * The font a PNG is drawn with. resvg compiled to wasm sees no system fonts, so the font files are read here
 * and handed over as buffers. Graphviz sizes each box from its own built-in metrics for the DOT `fontname`,
 * so the font drawn must have the metrics Graphviz assumed, or text spills out of its box:
 * Arimo (npm `@expo-google-fonts/arimo`, SIL OFL) and Liberation Sans are metric-compatible with
 * Helvetica/Arial, the family Keras's plots name; DejaVu Sans is a last resort that Graphviz also has
 * metrics for, so with it the layout is redone for `DejaVu Sans`.
 */
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {InputError} from '../errors.js'

/** A font ready for the PNG renderer. */
export interface PlotFont {
  /** The family the font files declare, which resvg is told to use for every text. */
  family: string
  /** The `fontname` Graphviz must lay the boxes out for, so that the text fits them. */
  layoutName: string
  /** Regular then bold (the headers and shapes are bold). */
  buffers: Uint8Array[]
  /** Where the files came from, for messages and tests: the npm package or a folder. */
  source: string
}

interface Candidate {
  /** An npm package holding the files, or a folder. */
  from: {pkg: string} | {dir: string}
  files: [regular: string, bold: string]
  family: string
  layoutName: string
}

/** Tried in order: the npm dependency first, so a clean clone renders the same everywhere. */
const CANDIDATES: readonly Candidate[] = [
  {from: {pkg: '@expo-google-fonts/arimo'}, files: ['400Regular/Arimo_400Regular.ttf', '700Bold/Arimo_700Bold.ttf'], family: 'Arimo', layoutName: 'Helvetica'},
  // Debian fonts-liberation2 / fonts-liberation
  {from: {dir: '/usr/share/fonts/truetype/liberation2'}, files: ['LiberationSans-Regular.ttf', 'LiberationSans-Bold.ttf'], family: 'Liberation Sans', layoutName: 'Helvetica'},
  {from: {dir: '/usr/share/fonts/truetype/liberation'}, files: ['LiberationSans-Regular.ttf', 'LiberationSans-Bold.ttf'], family: 'Liberation Sans', layoutName: 'Helvetica'},
  // Debian fonts-dejavu-core
  {from: {dir: '/usr/share/fonts/truetype/dejavu'}, files: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'], family: 'DejaVu Sans', layoutName: 'DejaVu Sans'},
]

/** The folder of an installed npm package, or undefined when it is not installed. */
function packageDir(pkg: string): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`))
  } catch {
    return undefined
  }
}

async function load(candidate: Candidate): Promise<PlotFont | undefined> {
  const dir = 'pkg' in candidate.from ? packageDir(candidate.from.pkg) : candidate.from.dir
  if (dir === undefined) return undefined
  try {
    const buffers = await Promise.all(candidate.files.map(async (f) => new Uint8Array(await readFile(join(dir, f)))))
    return {family: candidate.family, layoutName: candidate.layoutName, buffers, source: 'pkg' in candidate.from ? candidate.from.pkg : dir}
  } catch {
    return undefined
  }
}

/**
 * The first available font of the list above. Throws InputError when none is there (only possible when the
 * npm dependency was not installed and the machine has none of the Debian fonts).
 */
export async function loadPlotFont(): Promise<PlotFont> {
  for (const candidate of CANDIDATES) {
    const font = await load(candidate)
    if (font !== undefined) return font
  }
  throw new InputError('KM_INPUT_NO_FONT', 'No font to draw the PNG text with: @expo-google-fonts/arimo is not installed and no Liberation Sans or DejaVu Sans is under /usr/share/fonts.', {
    hint: 'Reinstall kmodel with its dependencies (npm ci), install Debian\'s fonts-liberation2, or write an .svg instead.',
  })
}
