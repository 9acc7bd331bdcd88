/**
 * Keras's epoch-end callbacks, as plain state machines the fit loop drives (no tfjs, no I/O here except the
 * CSV log's text):
 *
 *   ModelCheckpoint   `--checkpoint 'ckpt-{epoch:02d}.h5'` every epoch, or with `--save-best-only` when the
 *                     monitored value improved; the path is a Python format template over `epoch` (1-based,
 *                     as Keras fills it) and the epoch's logs (`{val_loss:.4f}`), see checkpoint-template.ts
 *   EarlyStopping     stop once the monitored value has not improved for `patience` epochs (min_delta 0);
 *                     optionally restore the best epoch's weights
 *   CSVLogger         `epoch` (0-based, as Keras writes it) then the log keys sorted, one row per epoch;
 *                     appended to when resuming
 *
 * Direction ('auto' in Keras): a monitored name containing `acc`, `auc`, `precision` or `recall` is maximised,
 * anything else (losses, errors) minimised.
 */
import {InputError} from '../errors.js'
import {fillTemplate, parseTemplate} from './checkpoint-template.js'

/** Per-epoch values by history name (`loss`, `accuracy`, `val_loss`, …). */
export type Logs = Record<string, number>

/** Tracks the best value of one monitored quantity. */
export class Monitor {
  readonly maximize: boolean
  best: number
  bestEpoch = -1

  constructor(readonly name: string) {
    this.maximize = /acc|auc|precision|recall/.test(name)
    this.best = this.maximize ? -Infinity : Infinity
  }

  /** True (and records it) when `logs` improve on the best so far; a NaN never improves. */
  update(logs: Logs, epoch: number): boolean {
    const value = logs[this.name]
    if (value === undefined || Number.isNaN(value)) return false
    const better = this.maximize ? value > this.best : value < this.best
    if (better) {
      this.best = value
      this.bestEpoch = epoch
    }
    return better
  }
}

/** The checkpoint path for `epoch` (1-based) and its logs; UsageError KM_USAGE_CHECKPOINT for a bad template. */
export function checkpointPath(template: string, epoch: number, logs: Logs): string {
  return fillTemplate(parseTemplate(template), epoch, logs)
}

/**
 * Refuses a bad template (UsageError KM_USAGE_CHECKPOINT, exit 2) or one naming a value the run will not
 * log (InputError KM_INPUT_CHECKPOINT), before any training.
 */
export function checkTemplate(template: string, names: readonly string[]): void {
  for (const part of parseTemplate(template)) {
    if ('text' in part || part.field === 'epoch' || names.includes(part.field)) continue
    throw new InputError('KM_INPUT_CHECKPOINT', `--checkpoint '${template}' names '{${part.field}}', which this run does not log.`, {hint: `Use {epoch} or one of: ${names.join(', ')}.`})
  }
}

/** EarlyStopping's state. */
export class EarlyStopping {
  private wait = 0
  readonly monitor: Monitor

  constructor(monitorName: string, readonly patience: number) {
    this.monitor = new Monitor(monitorName)
  }

  /** Feeds an epoch's logs; returns whether training should stop and whether this epoch is the best so far. */
  update(logs: Logs, epoch: number): {stop: boolean; improved: boolean} {
    const improved = this.monitor.update(logs, epoch)
    this.wait = improved ? 0 : this.wait + 1
    return {stop: this.wait >= this.patience, improved}
  }
}

const csvCell = (value: number | string): string => {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan') : value
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The CSV log's header: `epoch`, then the log names sorted (Keras's CSVLogger). */
export const csvHeader = (names: readonly string[]): string => ['epoch', ...[...names].sort()].map(csvCell).join(',')

/** One CSV log row: the 0-based epoch, then the values in header order. */
export function csvRow(epoch: number, logs: Logs): string {
  return [epoch, ...Object.keys(logs).sort().map((k) => logs[k] ?? Number.NaN)].map(csvCell).join(',')
}
