/**
 * What training reports while it runs (events the fit loop emits; the command decides where they go) and pure
 * renderers for them in the form of Keras's progress bar (tf.keras 2.x `Progbar`, verbose=1 on a terminal):
 *
 *   Epoch 3/10
 *   12/60 [=====>........................] - ETA: 3s - loss: 0.4123 - accuracy: 0.8821      (redrawn with \r)
 *   60/60 [==============================] - 2s 31ms/step - loss: 0.3012 - accuracy: 0.9102 - val_loss: 0.3301
 *
 * and, where stderr is not a terminal, one line per epoch (like verbose=2, folded onto one line):
 *
 *   Epoch 3/10: 60/60 - 2s - loss: 0.3012 - accuracy: 0.9102 - val_loss: 0.3301 - 31ms/step
 *
 * Values are printed `%.4f`, or `%.4e` when |v| ≤ 1e-3, as Keras prints them.
 */
import type {Logs} from './callbacks.js'

/** Events of a training run, in order: start, then per epoch epoch-start, batch…, epoch-end; notes anywhere. */
export type TrainEvent =
  | {type: 'start'; epochs: number; initialEpoch: number; samples: number; validationSamples: number; steps: number; backend: string; notices: string[]}
  | {type: 'epoch-start'; epoch: number; epochs: number}
  | {type: 'batch'; epoch: number; step: number; steps: number; logs: Logs; elapsedMs: number}
  | {type: 'epoch-end'; epoch: number; epochs: number; steps: number; logs: Logs; elapsedMs: number}
  | {type: 'note'; message: string}

const BAR_WIDTH = 30

/** `0.4123`, or `1.2340e-04` for small magnitudes (Keras: `%.4e` when |v| ≤ 1e-3). */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf'
  if (Math.abs(value) > 1e-3 || value === 0) return value.toFixed(4)
  return value.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2')
}

const logsText = (logs: Logs): string => Object.entries(logs).map(([k, v]) => ` - ${k}: ${formatMetric(v)}`).join('')

/** `3s`, `1:05`, `1:01:05` as Keras prints an ETA. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const two = (n: number): string => String(n).padStart(2, '0')
  if (s >= 3600) return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`
  if (s >= 60) return `${Math.floor(s / 60)}:${two(s % 60)}`
  return `${s}s`
}

/** `31ms/step`, `2s/step`, `850us/step`. */
export function formatStepTime(ms: number): string {
  if (ms >= 1000) return `${Math.round(ms / 1000)}s/step`
  if (ms >= 1) return `${Math.round(ms)}ms/step`
  return `${Math.round(ms * 1000)}us/step`
}

/** `12/60 [=====>........................]`. */
export function progressBar(step: number, steps: number): string {
  const digits = String(steps).length
  const filled = Math.floor((BAR_WIDTH * step) / Math.max(steps, 1))
  const head = step < steps ? '>' : '='
  const bar = filled > 0 ? `${'='.repeat(filled - 1)}${head}` : ''
  return `${String(step).padStart(digits, ' ')}/${steps} [${bar}${'.'.repeat(BAR_WIDTH - bar.length)}]`
}

/** `Epoch 3/10`. */
export const renderEpochStart = (e: {epoch: number; epochs: number}): string => `Epoch ${e.epoch}/${e.epochs}`

/** The bar line during an epoch (to be redrawn in place). */
export function renderBatch(e: Extract<TrainEvent, {type: 'batch'}>): string {
  const eta = e.step > 0 ? ((e.elapsedMs / e.step) * (e.steps - e.step)) / 1000 : 0
  const timing = e.step < e.steps ? ` - ETA: ${formatEta(eta)}` : ` - ${Math.round(e.elapsedMs / 1000)}s ${formatStepTime(e.elapsedMs / Math.max(e.step, 1))}`
  return `${progressBar(e.step, e.steps)}${timing}${logsText(e.logs)}`
}

/** The bar line that closes an epoch, with the validation values. */
export function renderEpochEnd(e: Extract<TrainEvent, {type: 'epoch-end'}>): string {
  return `${progressBar(e.steps, e.steps)} - ${Math.round(e.elapsedMs / 1000)}s ${formatStepTime(e.elapsedMs / Math.max(e.steps, 1))}${logsText(e.logs)}`
}

/** The single line per epoch for logs that are not a terminal. */
export function renderEpochLine(e: Extract<TrainEvent, {type: 'epoch-end'}>): string {
  return `Epoch ${e.epoch}/${e.epochs}: ${e.steps}/${e.steps} - ${Math.round(e.elapsedMs / 1000)}s${logsText(e.logs)} - ${formatStepTime(e.elapsedMs / Math.max(e.steps, 1))}`
}

/** Options of progressRenderer. */
export interface ProgressOptions {
  /** A terminal: redraw the bar in place; otherwise one line per epoch. */
  tty: boolean
  /** Minimum time between two bar redraws (Keras: 50 ms). */
  intervalMs?: number
}

/**
 * Turns events into the text to write (to stderr) — pure apart from the redraw throttle's clock, which the
 * caller passes in. Returns '' when nothing is to be written.
 */
export function progressRenderer(options: ProgressOptions): {render: (event: TrainEvent, nowMs: number) => string; close: () => string} {
  const interval = options.intervalMs ?? 50
  let lastDraw = -Infinity
  let barOpen = false
  const closeBar = (): string => {
    const text = barOpen ? '\n' : ''
    barOpen = false
    return text
  }
  const render = (e: TrainEvent, now: number): string => {
    switch (e.type) {
      case 'start':
        return `Training on ${e.samples} samples${e.validationSamples > 0 ? `, validating on ${e.validationSamples}` : ''} (${e.backend}${e.notices.length > 0 ? `; ${e.notices.join('; ')}` : ''}).\n`
      case 'epoch-start':
        return options.tty ? `${closeBar()}${renderEpochStart(e)}\n` : ''
      case 'batch':
        if (!options.tty || (now - lastDraw < interval && e.step < e.steps)) return ''
        lastDraw = now
        barOpen = true
        return `\r${renderBatch(e)}\u001B[K`
      case 'epoch-end':
        barOpen = false
        return options.tty ? `\r${renderEpochEnd(e)}\u001B[K\n` : `${renderEpochLine(e)}\n`
      case 'note':
        return `${closeBar()}${e.message}\n`
    }
  }
  // close(): the newline that ends a bar left open by an error or an interruption
  return {render, close: closeBar}
}
