/**
 * Where kmodel's `summary --format keras` differs from what Keras's `model.summary()` printed for the same model
 * JSON (Keras's to_json): the text byte for byte in the generation's style (and in the style kmodel picks by
 * default from the file's keras_version), and the parameter counts Keras computes from the model's weights,
 * both as the engine's totals and as `summary --json` reports them. Shared by the summary suite and the fuzz runs.
 */
import {summarize} from '../../../src/core/graph/summarize.js'
import type {ModelSummary} from '../../../src/core/graph/summary-types.js'
import {defaultKerasStyle, type KerasStyle, renderKerasText, summaryToJson} from '../../../src/core/render/index.js'
import type {Generation, OracleResult} from '../harness.js'
import {readModelText} from '../kmodel-side.js'
import {firstLine} from './compute.js'

/** What test/oracle/py/suites/summary.py answers: one text per variant of the case. */
export interface SummaryAnswer extends OracleResult {
  build: 'ok' | 'error'
  error?: {type: string; message: string}
  model_json?: string
  total?: number
  trainable?: number
  non_trainable?: number
  texts?: string[]
  /** Per variant: null when the model reloaded from its JSON prints the same; else its text. */
  reloaded?: Array<string | null> | {error: {type: string; message: string}}
}

/** Keras's side of one comparison: the printed text and the counts from the model's weights. */
export interface KerasSummary {
  text: string
  total: number
  trainable: number
  non_trainable: number
  /**
   * What Keras prints for the model reloaded from this JSON, when that differs from `text` (the summary
   * suite's answers carry it): a disagreement then says whether kmodel prints the reloaded model's text.
   */
  reloaded?: string | null
}

/** The `model.summary()` options a variant passes (line_length only in the summary suite's own cases). */
export interface SummaryOptions {
  expand_nested?: boolean
  show_trainable?: boolean
  line_length?: number
}

/** The style that imitates each generation's summary: Keras 3's box table, tf-keras 2.13+'s wrapping text. */
export const GENERATION_STYLE: Readonly<Record<Generation, KerasStyle>> = {keras3: '3', keras2: '2.13'}

const quote = (line: string | undefined): string => (line === undefined ? '(no line)' : JSON.stringify(line))

/** The first line where two texts differ, as a sentence; null when they are equal. */
export function firstDifferingLine(kmodel: string, keras: string): string | null {
  if (kmodel === keras) return null
  const a = kmodel.split('\n')
  const b = keras.split('\n')
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1} differs: kmodel ${quote(a[i])}, Keras ${quote(b[i])}`
  }
  return 'the texts differ' // unreachable: equal lines make equal texts
}

/** The counts of the engine summary and of its JSON result against Keras's; null when all agree. */
function countsDifference(summary: ModelSummary, keras: KerasSummary): string | null {
  const want = `${keras.total}/${keras.trainable}/${keras.non_trainable}`
  const engine = `${summary.total_params}/${summary.trainable_params}/${summary.non_trainable_params}`
  const json = summaryToJson(summary)
  const reported = `${json.totalParams}/${json.trainableParams}/${json.nonTrainableParams}`
  const parts: string[] = []
  if (engine !== want) parts.push(`counts (total/trainable/non-trainable) kmodel ${engine}, Keras ${want}`)
  else if (reported !== want) parts.push(`summary --json counts ${reported}, Keras ${want}`)
  if (!summary.params_exact) parts.push('kmodel calls its counts a lower bound (params_exact false)')
  return parts.length === 0 ? null : parts.join('; ')
}

/** What the model Keras reads back from its own JSON prints, when that is not what the live model printed. */
function reloadNote(kmodel: string, reloaded: string | null | undefined): string {
  if (typeof reloaded !== 'string') return ''
  if (reloaded === kmodel) return " (the model Keras reloads from this JSON prints kmodel's text)"
  return ` (the model Keras reloads from this JSON prints yet another text: ${firstDifferingLine(kmodel, reloaded) ?? ''})`
}

/**
 * Null when kmodel prints Keras's summary and counts Keras's parameters; else one sentence naming the first
 * differing line and/or the counts. `options` may carry `line_length` (the summary suite's own cases).
 */
export async function summaryDifferenceWith(modelJson: string, keras: KerasSummary, generation: Generation, options: SummaryOptions): Promise<string | null> {
  let summary: ModelSummary
  try {
    summary = summarize(await readModelText(modelJson, 'model.json'))
  } catch (error) {
    return `kmodel failed: ${firstLine(error)}`
  }
  const style = GENERATION_STYLE[generation]
  const chosen = defaultKerasStyle(summary.keras_version)
  const parts: string[] = []
  if (chosen !== style) parts.push(`kmodel's default style for keras_version ${JSON.stringify(summary.keras_version)} is ${chosen}, ${generation} prints ${style}`)
  const text = renderKerasText(summary, {
    style,
    expandNested: options.expand_nested === true,
    showTrainable: options.show_trainable === true,
    ...(options.line_length === undefined ? {} : {lineLength: options.line_length}),
  })
  // Keras's capture ends in the newline of its last print; kmodel's renderer returns the lines without one
  // (the CLI appends it: render/summary-text.ts). That one newline is the only thing added before comparing.
  const line = firstDifferingLine(`${text}\n`, keras.text)
  if (line !== null) parts.push(`${style} text: ${line}${reloadNote(`${text}\n`, keras.reloaded)}`)
  const counts = countsDifference(summary, keras)
  if (counts !== null) parts.push(counts)
  return parts.length === 0 ? null : parts.join('; ')
}

/** Null when kmodel's summary text and counts equal Keras's for these options; else where they differ. */
export async function summaryDifference(modelJson: string, keras: {text: string; total: number; trainable: number; non_trainable: number}, generation: Generation, options: {expand_nested?: boolean; show_trainable?: boolean}): Promise<string | null> {
  return summaryDifferenceWith(modelJson, keras, generation, options)
}
