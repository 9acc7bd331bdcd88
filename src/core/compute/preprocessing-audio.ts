/**
 * Keras 3's audio front ends (keras/src/layers/preprocessing/stft_spectrogram.py, mel_spectrogram.py) on the
 * TensorFlow backend:
 *
 * - STFTSpectrogram frames each channel of a float signal with a strided 1-D convolution by its stored
 *   `real_kernel` / `imag_kernel` (window × cos / sin, scaled), then gives the real or imaginary part, the angle,
 *   both stacked (`stft`), the power spectral density (`psd`: power with the inner bins doubled), the magnitude
 *   √max(power, ε) or its log, ε = 1e-7; the result is laid out per `data_format` and `expand_dims`.
 * - MelSpectrogram reflect-pads the last axis by fft_length // 2, frames it (fft_length samples every
 *   sequence_stride), multiplies by the periodic Hann / Hamming window (or the given one, zero-padded to
 *   fft_length), takes |rfft|^mag_exp, maps it to mel bins with Keras's filter bank, optionally to decibels
 *   relative to `ref_power` clipped `top_db` below the tensor's maximum, and swaps the last two axes.
 */
import type {Tensor, Tensor2D, Tensor3D} from '@tensorflow/tfjs-core'
import {isArray} from '../json.js'
import {pyTruthy} from '../layers/args.js'
import {melParams, stftParams, type StftParams} from '../layers/preprocessing-audio.js'
import {asFloat, refuseArgument, refuseInput} from './preprocessing-common.js'
import {melWeightMatrix, raisedCosineWindow, rfftFrames} from './preprocessing-audio-dsp.js'
import type {ComputeCall, ComputeOutput, ComputeTable} from './types.js'

/** Keras's `backend.epsilon()`. */
const EPSILON = 1e-7

/** The stored kernel `name`, which STFTSpectrogram's build made for this mode. */
function kernel(c: ComputeCall, name: string): Tensor {
  const w = c.weights.find((x) => x.info.name === name)
  if (w === undefined) throw refuseArgument('STFTSpectrogram', 'mode', c.config.mode, `the layer has no ${name} weight`)
  return w.value
}

/** One kernel's convolution: (batch, channels, bins, frames), as Keras's `_apply_conv` lays it out. */
function applyConv(c: ComputeCall, x: Tensor, p: StftParams, k: Tensor): Tensor {
  const {tf} = c
  const [batch = 0, a = 0, b = 0] = x.shape
  const [time, channels] = p.channelsFirst ? [b, a] : [a, b]
  const signals = p.channelsFirst ? x : tf.transpose(x, [0, 2, 1])
  const y = tf.conv1d(tf.reshape(signals, [batch * channels, time, 1]) as Tensor3D, k as Tensor3D, p.frameStep, p.padding as 'valid' | 'same')
  const [, frames = 0, bins = 0] = y.shape
  return tf.reshape(tf.transpose(y, [0, 2, 1]), [batch, channels, bins, frames])
}

/** Keras's `_adjust_shapes`: (batch, channels, bins, frames) to the layer's output layout. */
function adjust(c: ComputeCall, y: Tensor, p: StftParams): Tensor {
  const {tf} = c
  const [batch = 0, channels = 0, bins = 0, frames = 0] = y.shape
  if (p.expandDims) return tf.transpose(y, p.channelsFirst ? [0, 1, 3, 2] : [0, 3, 2, 1])
  const flat = tf.reshape(y, [batch, channels * bins, frames])
  return p.channelsFirst ? flat : tf.transpose(flat, [0, 2, 1])
}

function stftSpectrogram(c: ComputeCall): ComputeOutput {
  const {tf} = c
  const input = c.inputs[0]
  if (input === undefined) throw refuseInput('STFTSpectrogram', 'the layer needs one input tensor.')
  if (input.dtype !== 'float32') throw refuseInput('STFTSpectrogram', `Invalid input type. Expected \`float16\`, \`float32\` or \`float64\`. Received: input type=${input.dtype}`)
  if (input.rank !== 3) throw refuseInput('STFTSpectrogram', `expected ndim=3, found ndim=${input.rank}.`)
  const p = stftParams(c.config)
  const real = p.mode !== 'imag' ? applyConv(c, input, p, kernel(c, 'real_kernel')) : undefined
  const imag = p.mode !== 'real' ? applyConv(c, input, p, kernel(c, 'imag_kernel')) : undefined
  const out = (y: Tensor): ComputeOutput => ({outputs: [adjust(c, y, p)]})
  if (real === undefined) return out(imag as Tensor)
  if (imag === undefined) return out(real)
  if (p.mode === 'angle') return out(tf.atan2(imag, real))
  if (p.mode === 'stft') return out(tf.concat([real, imag], 2))
  const power = tf.add(tf.square(real), tf.square(imag))
  if (p.mode === 'psd') {
    const bins = power.shape[2] ?? 0
    const inner = tf.slice(power, [0, 0, 1, 0], [-1, -1, Math.max(bins - 2, 0), -1])
    return out(tf.add(power, tf.pad(inner, [[0, 0], [0, 0], [1, 1], [0, 0]])))
  }
  const linear = adjust(c, tf.sqrt(tf.maximum(power, EPSILON)), p)
  if (p.mode === 'magnitude') return {outputs: [linear]}
  if (p.mode === 'log') return {outputs: [tf.log(tf.maximum(linear, EPSILON))]}
  throw refuseArgument('STFTSpectrogram', 'mode', c.config.mode, 'Keras accepts log, magnitude, psd, real, imag, angle and stft only')
}

/** A float config value (Python truthiness where Keras uses `x or default`). */
function numberOf(c: ComputeCall, key: string, fallback: number, orDefault = false): number {
  const v = c.config[key]
  if (v === undefined || (orDefault && !pyTruthy(v))) return fallback
  if (typeof v === 'number' || typeof v === 'boolean') return Number(v)
  throw refuseArgument('MelSpectrogram', key, v, 'Keras needs a number there')
}

/** The window `tf.signal.stft` multiplies each fft_length frame by, or null for none. */
function melWindow(c: ComputeCall, sequenceLength: number, fftLength: number): Float32Array | null {
  const w = c.config.window === undefined ? 'hann' : c.config.window
  if (w === null) return null
  let values: Float32Array
  if (w === 'hann' || w === 'hamming') values = w === 'hann' ? raisedCosineWindow(sequenceLength, 0.5, 0.5, true) : raisedCosineWindow(sequenceLength, 0.54, 0.46, true)
  else if (isArray(w) && w.every((v) => typeof v === 'number') && w.length === sequenceLength) values = Float32Array.from(w as number[])
  else throw refuseArgument('MelSpectrogram', 'window', w, `Keras's stft takes "hann", "hamming", null or ${sequenceLength} (sequence_length) numbers`)
  const padded = new Float32Array(fftLength)
  padded.set(values, Math.floor((fftLength - sequenceLength) / 2))
  return padded
}

/** `tf.signal.stft` with Keras's centring: |X|^mag_exp of shape (rows, frames, fft_length // 2 + 1). */
function magnitudes(c: ComputeCall, x2: Tensor): Tensor {
  const {tf} = c
  const p = melParams(c.config)
  const [rows = 0, length = 0] = x2.shape
  const half = Math.floor(p.fftLength / 2)
  if (p.sequenceStride < 1) throw refuseArgument('MelSpectrogram', 'sequence_stride', c.config.sequence_stride, 'TensorFlow frames with a positive step only')
  if (length <= half) throw refuseInput('MelSpectrogram', `the signal (${length} samples) must be longer than fft_length // 2 = ${half} for the reflect padding (TensorFlow: paddings must be less than the dimension size).`)
  const padded = tf.mirrorPad(x2 as Tensor2D, [[0, 0], [half, half]], 'reflect')
  const count = Math.floor((length + 2 * half - p.fftLength) / p.sequenceStride) + 1
  const index = Array.from({length: count}, (_, f) => Array.from({length: p.fftLength}, (_v, t) => f * p.sequenceStride + t))
  let frames = tf.gather(padded, tf.tensor2d(index, [count, p.fftLength], 'int32'), 1)
  const window = melWindow(c, p.sequenceLength, p.fftLength)
  if (window !== null) frames = tf.mul(frames, tf.tensor1d(window))
  const spectrum = rfftFrames(tf, frames)
  const bins = half + 1
  const re = tf.slice(spectrum, [0, 0, 0], [rows, count, bins])
  const im = tf.slice(spectrum, [0, 0, bins], [rows, count, bins])
  const magnitude = tf.sqrt(tf.add(tf.square(re), tf.square(im)))
  return tf.pow(magnitude, tf.scalar(numberOf(c, 'mag_exp', 2)))
}

/** Keras's `_dbscale`: 10·log10(max(x, min_power)) − 10·log10(max(|ref_power|, min_power)), floored top_db below the max. */
function dbScale(c: ComputeCall, x: Tensor): Tensor {
  const {tf} = c
  const minPower = numberOf(c, 'min_power', 1e-10)
  if (c.config.top_db === null) throw refuseArgument('MelSpectrogram', 'top_db', null, 'Keras subtracts None from the maximum and raises')
  const topDb = numberOf(c, 'top_db', 80)
  const log10 = (t: Tensor): Tensor => tf.div(tf.log(t), tf.log(tf.scalar(10)))
  const ref = tf.mul(10, log10(tf.maximum(tf.abs(tf.scalar(numberOf(c, 'ref_power', 1))), minPower)))
  const db = tf.sub(tf.mul(10, log10(tf.maximum(x, minPower))), ref)
  return tf.maximum(db, tf.sub(tf.max(db), topDb))
}

function melSpectrogram(c: ComputeCall): ComputeOutput {
  const {tf} = c
  const input = c.inputs[0]
  if (input === undefined || input.rank < 1) throw refuseInput('MelSpectrogram', 'the layer needs a signal tensor of rank ≥ 1.')
  const p = melParams(c.config)
  const lead = input.shape.slice(0, -1)
  const x2 = tf.reshape(asFloat(c, input), [-1, input.shape.at(-1) ?? 0])
  const spec = magnitudes(c, x2)
  const [rows = 0, frames = 0, bins = 0] = spec.shape
  const samplingRate = numberOf(c, 'sampling_rate', 16000)
  const maxFreq = numberOf(c, 'max_freq', Math.trunc(samplingRate / 2), true)
  const matrix = melWeightMatrix(p.numMelBins, bins, samplingRate, numberOf(c, 'min_freq', 20), maxFreq)
  let mel = tf.reshape(tf.matMul(tf.reshape(spec, [rows * frames, bins]), tf.tensor2d(matrix, [bins, p.numMelBins])), [rows, frames, p.numMelBins])
  if (c.config.power_to_db === undefined || pyTruthy(c.config.power_to_db)) mel = dbScale(c, mel)
  return {outputs: [tf.reshape(tf.transpose(mel, [0, 2, 1]), [...lead, p.numMelBins, frames])]}
}

/** The audio layers kmodel computes. */
export const AUDIO_COMPUTE: ComputeTable = {
  STFTSpectrogram: {call: stftSpectrogram},
  MelSpectrogram: {call: melSpectrogram},
}
