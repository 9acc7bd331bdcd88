/**
 * Keras 3's audio layers (src/core/compute/preprocessing-audio*.ts) on what the compute oracle does not reach:
 * STFTSpectrogram's channels_first layouts (Keras cannot run that conv on TensorFlow's CPU kernels, so no oracle
 * case exists) checked against a hand-written DFT of each frame; MelSpectrogram on a rank-3 signal (per row as
 * on rank 2); the float64 real FFT against a naive DFT and its training gradient against the transform's
 * transpose; and the refusals for what Keras's call rejects.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {beforeAll, describe, expect, it} from 'vitest'
import {type Core, loadGradients, loadTfjs} from '../../../src/core/backend/runtime.js'
import {loadBackend} from '../../../src/core/backend/select.js'
import {PREPROCESSING_COMPUTE} from '../../../src/core/compute/preprocessing.js'
import {rfftFrames} from '../../../src/core/compute/preprocessing-audio-dsp.js'
import type {ComputeWeight} from '../../../src/core/compute/types.js'
import {BackendError} from '../../../src/core/errors.js'
import type {JsonObject} from '../../../src/core/json.js'
import {computeCall} from './call.js'

let tf: Core

beforeAll(async () => {
  await loadBackend('cpu')
  await loadGradients()
  tf = (await loadTfjs()).core
})

const signal = (n: number, phase = 0): number[] => Array.from({length: n}, (_, i) => Math.sin(0.7 * i + phase) + 0.3 * Math.cos(2.1 * i * i + phase))

function run(className: string, config: JsonObject, input: Tensor, weights: ComputeWeight[] = []): Tensor {
  const fn = PREPROCESSING_COMPUTE[className]
  if (fn === undefined) throw new Error(`no compute for ${className}`)
  return fn.call(computeCall({tf, class_name: className, config, inputs: [input], weights})).outputs[0] as Tensor
}

/** Plain DFT kernels (no window, no scaling): real = cos, imag = −sin, shape (frame, 1, bins). */
function dftKernels(frame: number, fft: number): ComputeWeight[] {
  const bins = Math.floor(fft / 2) + 1
  const kernel = (f: (a: number) => number): ComputeWeight => {
    const v = new Float32Array(frame * bins)
    for (let t = 0; t < frame; t++) for (let k = 0; k < bins; k++) v[t * bins + k] = f((2 * Math.PI * k * t) / fft)
    return {info: {name: '', shape: [frame, 1, bins], dtype: 'float32', trainable: true}, value: tf.tensor3d(v, [frame, 1, bins])}
  }
  const real = kernel(Math.cos)
  const imag = kernel((a) => -Math.sin(a))
  return [{...real, info: {...real.info, name: 'real_kernel'}}, {...imag, info: {...imag.info, name: 'imag_kernel'}}]
}

/** The DFT of frame `f` of `x` (step `step`, length `frame`, zero-padded to `fft`), bin k: [re, im]. */
function dft(x: number[], f: number, step: number, frame: number, fft: number, k: number): [number, number] {
  let re = 0
  let im = 0
  for (let t = 0; t < frame; t++) {
    const v = x[f * step + t] ?? 0
    re += v * Math.cos((2 * Math.PI * k * t) / fft)
    im -= v * Math.sin((2 * Math.PI * k * t) / fft)
  }
  return [re, im]
}

describe('STFTSpectrogram channels_first', () => {
  const [frame, fft, step, time] = [6, 8, 3, 18]
  const channels = [signal(time), signal(time, 1)]
  const cf = (): Tensor => tf.tensor3d([channels], [1, 2, time])
  const frames = Math.floor((time - frame) / step) + 1

  it('mode stft: (batch, channels × 2·bins, frames), each channel its real bins then its imaginary ones', () => {
    const y = run('STFTSpectrogram', {mode: 'stft', frame_length: frame, frame_step: step, fft_length: fft, window: null, data_format: 'channels_first'}, cf(), dftKernels(frame, fft))
    expect(y.shape).toEqual([1, 2 * 10, frames])
    const v = y.arraySync() as number[][][]
    for (let ch = 0; ch < 2; ch++) {
      for (let k = 0; k < 5; k++) {
        for (let f = 0; f < frames; f++) {
          const [re, im] = dft(channels[ch] ?? [], f, step, frame, fft, k)
          expect(v[0]?.[ch * 10 + k]?.[f]).toBeCloseTo(re, 5)
          expect(v[0]?.[ch * 10 + 5 + k]?.[f]).toBeCloseTo(im, 5)
        }
      }
    }
  })

  it('expand_dims: (batch, channels, frames, bins), the magnitude of each frame', () => {
    const y = run('STFTSpectrogram', {mode: 'magnitude', frame_length: frame, frame_step: step, fft_length: fft, window: null, data_format: 'channels_first', expand_dims: true}, cf(), dftKernels(frame, fft))
    expect(y.shape).toEqual([1, 2, frames, 5])
    const v = y.arraySync() as number[][][][]
    const [re, im] = dft(channels[1] ?? [], 2, step, frame, fft, 3)
    expect(v[0]?.[1]?.[2]?.[3]).toBeCloseTo(Math.hypot(re, im), 5)
  })

  it('agrees with channels_last on the transposed signal', () => {
    const config = {mode: 'log', frame_length: frame, frame_step: step, fft_length: fft, window: null, padding: 'same'}
    const first = run('STFTSpectrogram', {...config, data_format: 'channels_first'}, cf(), dftKernels(frame, fft))
    const last = run('STFTSpectrogram', config, tf.transpose(cf(), [0, 2, 1]), dftKernels(frame, fft))
    expect(first.shape).toEqual([1, 10, 6])
    expect(tf.max(tf.abs(tf.sub(tf.transpose(first, [0, 2, 1]), last))).dataSync()[0]).toBeLessThan(1e-6)
  })
})

describe('MelSpectrogram', () => {
  const config = {fft_length: 16, sequence_stride: 4, num_mel_bins: 5, sampling_rate: 800}

  it('a rank-3 signal: each (batch, channel) row as a rank-2 signal would give it', () => {
    const rows = [signal(40), signal(40, 2)]
    const both = run('MelSpectrogram', {...config, power_to_db: false}, tf.tensor3d([rows], [1, 2, 40]))
    expect(both.shape).toEqual([1, 2, 5, 11])
    const one = run('MelSpectrogram', {...config, power_to_db: false}, tf.tensor2d([rows[1] ?? []], [1, 40]))
    expect(tf.max(tf.abs(tf.sub(tf.squeeze(tf.slice(both, [0, 1, 0, 0], [1, 1, 5, 11]), [1]), one))).dataSync()[0]).toBeLessThan(1e-6)
  })

  it('refuses a window Keras does not take, a signal too short to reflect-pad, and top_db None', () => {
    const x = tf.tensor2d([signal(40)], [1, 40])
    expect(() => run('MelSpectrogram', {...config, window: 'blackman'}, x)).toThrow(BackendError)
    expect(() => run('MelSpectrogram', {...config, window: [1, 2]}, x)).toThrow(/window/)
    expect(() => run('MelSpectrogram', config, tf.tensor2d([signal(8)], [1, 8]))).toThrow(/reflect/)
    expect(() => run('MelSpectrogram', {...config, top_db: null}, x)).toThrow(/top_db/)
  })
})

describe('rfftFrames', () => {
  const n = 12
  const x = [signal(n), signal(n, 1)]

  it('is the DFT of each frame (float64, rounded once), for a length that is not a power of two', () => {
    const y = rfftFrames(tf, tf.tensor2d(x, [2, n])).arraySync() as number[][]
    for (let r = 0; r < 2; r++) {
      for (let k = 0; k <= n / 2; k++) {
        const [re, im] = dft(x[r] ?? [], 0, 0, n, n, k)
        expect(y[r]?.[k]).toBeCloseTo(re, 5)
        expect(y[r]?.[7 + k]).toBeCloseTo(im, 5)
      }
    }
  })

  it('has the transform\'s gradient: d(Σ w·X)/dx[t] = Σ_k w_re[k]·cos − w_im[k]·sin', () => {
    const w = Array.from({length: 14}, (_, i) => (i % 3) - 0.5 * i)
    const grad = tf.grad((t: Tensor) => tf.sum(tf.mul(rfftFrames(tf, t), tf.tensor1d(w))))(tf.tensor1d(x[0] ?? [])).dataSync()
    for (let t = 0; t < n; t++) {
      let want = 0
      for (let k = 0; k <= 6; k++) want += (w[k] ?? 0) * Math.cos((2 * Math.PI * k * t) / n) - (w[7 + k] ?? 0) * Math.sin((2 * Math.PI * k * t) / n)
      expect(grad[t]).toBeCloseTo(want, 4)
    }
  })
})
