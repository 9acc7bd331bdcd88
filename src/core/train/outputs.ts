/**
 * The files a training run writes — checkpoints, the CSV history log, the final `-o` weights — each written
 * atomically (files.ts). What a checkpoint or `-o` holds follows its name (output-kind.ts): `.weights.h5` the
 * Keras 3 layout, `.h5` the legacy one, `.keras` the whole model. Existing files are checked before the first epoch, so a run never trains for an
 * hour and then refuses to save: without `--force` an existing output is refused, except the CSV log of a
 * resumed run (`--initial-epoch` > 0), which is appended to as Keras's `CSVLogger(append=True)` does.
 * Files this run wrote itself (a `--save-best-only` checkpoint) are overwritten freely.
 */
import {readFile} from 'node:fs/promises'
import {checkOverwrite, writeFileAtomic} from '../files.js'
import type {ModelSpec} from '../model/spec.js'
import {saveModel} from '../formats/save-model.js'
import {weightsOutput} from '../weights/output-kind.js'
import {type OutputLayout, saveForModel} from '../weights/save.js'
import type {WeightsFile} from '../weights/types.js'
import {type Logs, checkpointPath, csvHeader, csvRow} from './callbacks.js'
import {checkNameLength, fillTemplate, parseTemplate} from './checkpoint-template.js'

/** What a run writes. */
export interface OutputPlan {
  output?: string
  checkpoint?: string
  csvLog?: string
  /** The `--layout` given; undefined: from each output's name (output-kind.ts). */
  layout: OutputLayout | undefined
  force: boolean
  initialEpoch: number
  epochs: number
}

/**
 * Refuses existing outputs before training (UsageError KM_USAGE_OUTPUT_EXISTS, exit 2), a bad `--checkpoint`
 * template (exit 2) and checkpoint names too long to write (checkpoint-template.ts).
 */
export async function checkOutputs(plan: OutputPlan): Promise<void> {
  if (plan.output !== undefined) weightsOutput(plan.output, plan.layout, '--output', true)
  if (plan.checkpoint !== undefined) weightsOutput(plan.checkpoint, plan.layout, '--checkpoint', true)
  if (plan.output !== undefined) await checkOverwrite(plan.output, plan.force)
  if (plan.csvLog !== undefined && plan.initialEpoch === 0) await checkOverwrite(plan.csvLog, plan.force)
  const template = plan.checkpoint
  if (template === undefined) return
  const parts = parseTemplate(template)
  if (parts.some((p) => 'field' in p && p.field !== 'epoch')) return // names values not known yet: checked when written
  const paths = new Set<string>()
  for (let e = plan.initialEpoch + 1; e <= plan.epochs && paths.size < 10_000; e++) paths.add(fillTemplate(parts, e, {}))
  for (const path of paths) {
    checkNameLength(path)
    await checkOverwrite(path, plan.force)
  }
}

/** Writes checkpoints and the CSV log as epochs end, and the final weights. */
export class RunWriter {
  private readonly written = new Set<string>()
  private csv: string | undefined
  /** The last checkpoint written, or null. */
  lastCheckpoint: string | null = null

  constructor(private readonly plan: OutputPlan, private readonly model: ModelSpec) {}

  /** Loads the CSV log to append to (a resumed run) or starts it with its header. */
  async openCsv(names: readonly string[]): Promise<void> {
    const path = this.plan.csvLog
    if (path === undefined) return
    const existing = this.plan.initialEpoch > 0 ? await readFile(path, 'utf8').catch(() => '') : ''
    this.csv = existing.trim() === '' ? `${csvHeader(names)}\n` : existing.endsWith('\n') ? existing : `${existing}\n`
  }

  /** Appends an epoch (0-based) to the CSV log and rewrites it atomically. */
  async logEpoch(epoch: number, logs: Logs): Promise<void> {
    if (this.plan.csvLog === undefined || this.csv === undefined) return
    this.csv += `${csvRow(epoch, logs)}\n`
    await this.write(this.plan.csvLog, this.csv)
  }

  /** Writes the checkpoint of `epoch` (1-based); returns its path. */
  async checkpoint(epoch: number, logs: Logs, weights: WeightsFile): Promise<string> {
    const path = checkpointPath(this.plan.checkpoint ?? '', epoch, logs)
    checkNameLength(path) // a value-dependent name ({loss:.64f}): refused before any temp file exists
    await this.saveWeights(path, '--checkpoint', weights, this.plan.force || this.written.has(path))
    this.written.add(path)
    this.lastCheckpoint = path
    return path
  }

  /** Writes the final `-o` weights. */
  async final(weights: WeightsFile): Promise<string | null> {
    if (this.plan.output === undefined) return null
    await this.saveWeights(this.plan.output, '--output', weights, this.plan.force)
    return this.plan.output
  }

  /** Weights by the name: a `.keras` name gets the whole model (as Keras's save), a weights name its layout. */
  private async saveWeights(path: string, flag: string, weights: WeightsFile, force: boolean): Promise<void> {
    const kind = weightsOutput(path, this.plan.layout, flag, true)
    if (kind.kind === 'model') await saveModel(path, 'keras', this.model, weights, {force})
    else await saveForModel(path, weights, this.model, kind.layout, force)
  }

  private async write(path: string, text: string): Promise<void> {
    await writeFileAtomic(path, text, this.plan.force || this.written.has(path) || this.plan.initialEpoch > 0)
    this.written.add(path)
  }
}
