import {describe, expect, it} from 'vitest'
import {EarlyStopping, Monitor, checkTemplate, checkpointPath, csvHeader, csvRow} from '../../../src/core/train/callbacks.js'
import {formatEta, formatMetric, progressBar, progressRenderer, renderBatch, renderEpochEnd, renderEpochLine} from '../../../src/core/train/progress.js'

describe("Keras's progress bar", () => {
  it('draws the bar, ETA and values as tf.keras prints them', () => {
    expect(progressBar(12, 60)).toBe('12/60 [=====>........................]')
    expect(progressBar(60, 60)).toBe('60/60 [==============================]')
    expect(progressBar(1, 60)).toBe(' 1/60 [..............................]')
    expect(renderBatch({type: 'batch', epoch: 1, step: 12, steps: 60, logs: {loss: 0.41234, accuracy: 0.88213}, elapsedMs: 750})).toBe('12/60 [=====>........................] - ETA: 3s - loss: 0.4123 - accuracy: 0.8821')
    expect(renderEpochEnd({type: 'epoch-end', epoch: 1, epochs: 2, steps: 60, logs: {loss: 0.3, val_loss: 0.00012}, elapsedMs: 1860})).toBe('60/60 [==============================] - 2s 31ms/step - loss: 0.3000 - val_loss: 1.2000e-04')
    expect(renderEpochLine({type: 'epoch-end', epoch: 3, epochs: 10, steps: 60, logs: {loss: 0.3}, elapsedMs: 1860})).toBe('Epoch 3/10: 60/60 - 2s - loss: 0.3000 - 31ms/step')
    expect([formatEta(3.4), formatEta(65), formatEta(3725)]).toEqual(['3s', '1:05', '1:02:05'])
    expect(formatMetric(Number.NaN)).toBe('nan')
  })

  it('redraws in place on a terminal (throttled) and prints one line per epoch elsewhere', () => {
    const batch = (step: number) => ({type: 'batch' as const, epoch: 1, step, steps: 3, logs: {loss: 1}, elapsedMs: 10})
    const end = {type: 'epoch-end' as const, epoch: 1, epochs: 1, steps: 3, logs: {loss: 1}, elapsedMs: 30}
    const tty = progressRenderer({tty: true, intervalMs: 50})
    expect(tty.render({type: 'epoch-start', epoch: 1, epochs: 1}, 0)).toBe('Epoch 1/1\n')
    expect(tty.render(batch(1), 0)).toMatch(/^\r1\/3 \[=+>?\.+\] - ETA: 0s - loss: 1\.0000\u001B\[K$/)
    expect(tty.render(batch(2), 10)).toBe('')
    expect(tty.render(end, 20)).toMatch(/^\r3\/3 \[=+\] - 0s 10ms\/step - loss: 1\.0000\u001B\[K\n$/)
    expect(tty.close()).toBe('')
    const log = progressRenderer({tty: false})
    expect([log.render({type: 'epoch-start', epoch: 1, epochs: 1}, 0), log.render(batch(1), 0), log.render(end, 0)]).toEqual(['', '', 'Epoch 1/1: 3/3 - 0s - loss: 1.0000 - 10ms/step\n'])
  })
})

describe('callbacks', () => {
  it('fills checkpoint templates as Python format strings', () => {
    expect(checkpointPath('w-{epoch:02d}-{val_loss:.2f}.h5', 3, {val_loss: 0.12345})).toBe('w-03-0.12.h5')
    expect(checkpointPath('w-{epoch}.h5', 12, {})).toBe('w-12.h5')
    expect(() => checkTemplate('w-{val_acc}.h5', ['loss', 'val_loss'])).toThrowError(expect.objectContaining({code: 'KM_INPUT_CHECKPOINT'}))
  })

  it('monitors in the right direction and counts patience as Keras', () => {
    expect(new Monitor('val_accuracy').maximize).toBe(true)
    expect(new Monitor('val_loss').maximize).toBe(false)
    const early = new EarlyStopping('loss', 2)
    expect([1, 0.5, 0.6, 0.55, 0.4].map((loss, e) => early.update({loss}, e).stop)).toEqual([false, false, false, true, false])
  })

  it("writes CSVLogger's columns: epoch, then the keys sorted", () => {
    expect(csvHeader(['loss', 'accuracy', 'val_loss'])).toBe('epoch,accuracy,loss,val_loss')
    expect(csvRow(0, {loss: 0.5, accuracy: 1, val_loss: Number.NaN})).toBe('0,1,0.5,nan')
  })
})
