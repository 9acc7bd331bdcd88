/**
 * Keras 3's audio front ends (keras/src/layers/preprocessing/stft_spectrogram.py, mel_spectrogram.py): their
 * output shapes, exactly as their `compute_output_shape` states them (which is what a Keras 3 model shows, even
 * where the real call differs), and STFTSpectrogram's two convolution kernels. The argument schemas live in
 * preprocessing-args-audio.ts.
 */
import type {JsonObject} from '../json.js'
import type {Dim} from '../graph/summary-types.js'
import {channelsFirst, int, optInt, str} from './config.js'
import {convLength} from './conv.js'
import {pyTruthy} from './args.js'
import {type LayerRule, type RuleTable, type Shape, UNKNOWN, first, refuse, single, weight} from './types.js'

/** STFTSpectrogram's settings with Keras's defaults filled in (`_frame_step`, `_fft_length`). */
export interface StftParams {
  mode: string
  frameLength: number
  /** `frame_step or frame_length // 2`. */
  frameStep: number
  /** `fft_length or 2 ** ceil(log2(frame_length))`. */
  fftLength: number
  padding: string
  expandDims: boolean
  channelsFirst: boolean
}

/** STFTSpectrogram's settings as its `__init__` resolves them. */
export function stftParams(cfg: JsonObject): StftParams {
  const frameLength = int(cfg, 'frame_length', 256)
  const step = optInt(cfg, 'frame_step')
  const fft = optInt(cfg, 'fft_length')
  return {
    mode: str(cfg, 'mode', 'log'),
    frameLength,
    frameStep: typeof step === 'number' && step !== 0 ? step : Math.floor(frameLength / 2),
    fftLength: typeof fft === 'number' && fft !== 0 ? fft : 2 ** Math.ceil(Math.log2(frameLength)),
    padding: str(cfg, 'padding', 'valid'),
    expandDims: cfg.expand_dims !== undefined && pyTruthy(cfg.expand_dims),
    channelsFirst: channelsFirst(cfg),
  }
}

const showShape = (shape: Shape): string => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`

/**
 * STFTSpectrogram: a rank-3 signal (batch, time, channels) — (batch, channels, time) channels-first — framed as a
 * strided 1-D convolution of `fft_length // 2 + 1` frequency bins (twice that in mode `stft`) per channel. The
 * output is (batch, frames, channels × bins), channels-first (batch, channels × bins, frames); `expand_dims`
 * keeps the channels apart: (batch, frames, bins, channels), channels-first (batch, channels, frames, bins).
 * Weights: `real_kernel` (all modes but `imag`) then `imag_kernel` (all but `real`), each (frame_length, 1, bins).
 */
const stftSpectrogram: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  if (shape.length !== 3) return refuse(`expected ndim=3, found ndim=${shape.length}. Full shape received: ${showShape(shape)}`)
  const p = stftParams(input.config)
  const bins = Math.floor(p.fftLength / 2) + 1
  const kernel = [p.frameLength, 1, bins]
  const weights = [
    ...(p.mode !== 'imag' ? [weight('real_kernel', kernel, input.dtype)] : []),
    ...(p.mode !== 'real' ? [weight('imag_kernel', kernel, input.dtype)] : []),
  ]
  const [batch = null, a = null, b = null] = shape
  const [time, channels] = p.channelsFirst ? [b, a] : [a, b]
  const frames = convLength(time, p.frameLength, p.padding, p.frameStep)
  if (frames !== null && frames <= 0) {
    return refuse(`Computed output size would be zero or negative. Received \`inputs shape=${showShape(shape)}\`, \`kernel shape=(${p.frameLength}, ${channels ?? 'None'}, ${bins})\`, \`strides=(${p.frameStep},)\`, \`padding=${p.padding}\`.`)
  }
  const freq = p.mode === 'stft' ? 2 * bins : bins
  let out: Shape
  if (p.expandDims) out = p.channelsFirst ? [batch, channels, frames, freq] : [batch, frames, freq, channels]
  else {
    const filters: Dim = channels === null ? null : channels * freq
    out = p.channelsFirst ? [batch, filters, frames] : [batch, frames, filters]
  }
  return single(out, weights)
}

/** MelSpectrogram's settings as its `__init__` resolves them. */
export interface MelParams {
  fftLength: number
  sequenceStride: number
  /** `sequence_length or fft_length`. */
  sequenceLength: number
  numMelBins: number
}

/** MelSpectrogram's framing settings. */
export function melParams(cfg: JsonObject): MelParams {
  const fftLength = int(cfg, 'fft_length', 2048)
  const length = optInt(cfg, 'sequence_length')
  return {
    fftLength,
    sequenceStride: int(cfg, 'sequence_stride', 512),
    sequenceLength: typeof length === 'number' && length !== 0 ? length : fftLength,
    numMelBins: int(cfg, 'num_mel_bins', 128),
  }
}

/**
 * MelSpectrogram's `compute_output_shape`, verbatim: a rank-1 input (time,) gives (mel bins, frames); any other
 * gives (input[0], mel bins, frames of input[1]), with frames = (time + stride + 1) // stride. (The call itself
 * works on the last axis and keeps the leading ones; for a rank-2 input the two agree.)
 */
const melSpectrogram: LayerRule = (input) => {
  const shape = first(input)
  if (shape === null) return UNKNOWN
  const p = melParams(input.config)
  const frames = (t: Dim | undefined): Dim => (t === null || t === undefined ? null : Math.floor((t + p.sequenceStride + 1) / p.sequenceStride))
  if (shape.length === 1) return single([p.numMelBins, frames(shape[0])])
  return single([shape[0] ?? null, p.numMelBins, frames(shape[1])])
}

/** Rules of the audio layers. */
export const AUDIO_RULES: RuleTable = {
  STFTSpectrogram: stftSpectrogram,
  MelSpectrogram: melSpectrogram,
}
