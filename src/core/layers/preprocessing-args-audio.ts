/**
 * Argument schemas of Keras 3's audio layers, as their `__init__` checks them (keras/src/layers/preprocessing/
 * stft_spectrogram.py, mel_spectrogram.py) and as their `compute_output_shape` needs them when a model is
 * rebuilt from its config. MelSpectrogram's `window` is only checked when the layer is called (kmodel's compute
 * refuses what Keras's call would), so it is not checked here.
 */
import {type Json, isArray} from '../json.js'
import {type ArgCheck, type ArgTable, type CrossCheck, intAtLeast, intValue, nullable, number, oneOf, pyInt, pyNumber} from './args.js'
import {dataFormat} from './preprocessing-args.js'

const num = (v: Json | undefined, fallback: number): number => (v !== undefined && pyNumber(v) ? Number(v) : fallback)

/** STFTSpectrogram `window`: None, a scipy window name, or the window's values (one number per frame sample). */
const stftWindow: ArgCheck = (v) =>
  v === null || typeof v === 'string' || (isArray(v) && v.every(pyNumber)) ? undefined : 'null, a window name or a list of numbers'

/** `frame_step`: None, or an int in [1, frame_length]. */
const frameStep: ArgCheck = (v, ctx) => {
  const length = num(ctx.config.frame_length, 256)
  return v === null || (pyInt(v) && intValue(v) >= 1 && intValue(v) <= length) ? undefined : `null or an integer in [1, frame_length=${length}]`
}

/** `fft_length`: None, or an int ≥ frame_length (Keras only warns when it is not a power of two). */
const fftLength: ArgCheck = (v, ctx) => {
  const length = num(ctx.config.frame_length, 256)
  return v === null || (pyInt(v) && intValue(v) >= length) ? undefined : `null or an integer ≥ frame_length=${length}`
}

/** A list `window` must hold exactly `frame_length` values (the STFT kernel initializer raises otherwise). */
const windowLength: CrossCheck = (cfg) => {
  const length = num(cfg.frame_length, 256)
  if (!isArray(cfg.window) || cfg.window.length === length) return undefined
  return {key: 'window', message: `The shape of \`window\` must be equal to [frame_length]. Received: window shape=(${cfg.window.length},)`}
}

/** MelSpectrogram: `fft_length` ≥ `sequence_length or fft_length`. */
const melLengths: CrossCheck = (cfg) => {
  const fft = num(cfg.fft_length, 2048)
  const length = cfg.sequence_length === null || cfg.sequence_length === 0 || cfg.sequence_length === undefined ? fft : num(cfg.sequence_length, fft)
  if (fft >= length) return undefined
  return {key: 'fft_length', message: `\`fft_length\` must be greater than or equal to \`sequence_length\`. Received: \`sequence_length\`=${length}, \`fft_length\`=${fft}.`}
}

/** A divisor of the output-shape formula: any non-zero number. */
const nonZero: ArgCheck = (v) => (pyNumber(v) && Number(v) !== 0 ? undefined : 'a non-zero number')

/** Argument schemas of the audio layers. */
export const AUDIO_ARG_TABLE: ArgTable = {
  STFTSpectrogram: {
    args: {
      mode: oneOf('log', 'magnitude', 'psd', 'real', 'imag', 'angle', 'stft'),
      frame_length: intAtLeast(1),
      frame_step: frameStep,
      fft_length: fftLength,
      window: stftWindow,
      scaling: nullable(oneOf('density', 'spectrum')),
      padding: oneOf('valid', 'same'),
      data_format: dataFormat,
    },
    cross: [windowLength],
  },
  MelSpectrogram: {
    args: {
      fft_length: intAtLeast(1),
      sequence_stride: nonZero,
      sequence_length: nullable(intAtLeast(0)),
      num_mel_bins: intAtLeast(0),
      sampling_rate: number,
      min_freq: number,
      max_freq: nullable(number),
      top_db: nullable(number),
      mag_exp: number,
      min_power: number,
      ref_power: number,
    },
    cross: [melLengths],
  },
}
