/**
 * The signal-processing pieces of Keras 3's MelSpectrogram on the TensorFlow backend, as float32 constants and a
 * real DFT: TensorFlow's periodic Hann / Hamming windows (`tf.signal.hann_window`, float32 arithmetic), Keras's
 * `linear_to_mel_weight_matrix` (HTK mel scale, float32 arithmetic, `tf.linspace` end points), and the real FFT
 * of `tf.signal.rfft`, computed in float64 and rounded once to float32 (TensorFlow's own float32 FFT is within
 * rounding of that), with the exact gradient of the transform for training.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'

const f32 = Math.fround

/**
 * TensorFlow's raised-cosine window (`a - b·cos(2π n / N)`, N = length for a periodic window of even length,
 * length − 1 otherwise), each step rounded to float32 as TensorFlow computes it.
 */
export function raisedCosineWindow(length: number, a: number, b: number, periodic: boolean): Float32Array {
  const out = new Float32Array(length)
  if (length === 1) return out.fill(1)
  const even = length % 2 === 0 ? 1 : 0
  const n = f32(length + (periodic ? even : 0) - 1)
  const twoPi = f32(2 * Math.PI)
  for (let i = 0; i < length; i++) {
    const arg = f32(f32(twoPi * i) / n)
    out[i] = f32(f32(a) - f32(f32(b) * f32(Math.cos(arg))))
  }
  return out
}

/** `tf.linspace(start, stop, num)` in float32: start, start + step·i, …, stop, with step = (stop − start)/(num − 1). */
function linspace32(start: number, stop: number, num: number): number[] {
  if (num <= 0) return []
  if (num === 1) return [start]
  const step = f32(f32(stop - start) / f32(num - 1))
  return Array.from({length: num}, (_, i) => (i === 0 ? start : i === num - 1 ? stop : f32(start + f32(step * i))))
}

/** Keras's `_hertz_to_mel`: 1127 · ln(1 + f / 700), in float32. */
const hertzToMel = (f: number): number => f32(1127 * f32(Math.log(f32(1 + f32(f / 700)))))

/**
 * Keras's `linear_to_mel_weight_matrix` (rows: the `bins` spectrogram bins from 0 to the Nyquist frequency;
 * columns: `melBins` triangular filters between `lower` and `upper` Hz, peak 1; row 0, the DC bin, is zero).
 */
export function melWeightMatrix(melBins: number, bins: number, samplingRate: number, lower: number, upper: number): Float32Array {
  const out = new Float32Array(bins * melBins)
  const nyquist = f32(f32(samplingRate) / 2)
  const binMel = linspace32(0, nyquist, bins).slice(1).map(hertzToMel)
  const edges = linspace32(hertzToMel(f32(lower)), hertzToMel(f32(upper)), melBins + 2)
  for (let m = 0; m < melBins; m++) {
    const lo = edges[m] ?? 0
    const mid = edges[m + 1] ?? 0
    const hi = edges[m + 2] ?? 0
    binMel.forEach((mel, i) => {
      const up = f32(f32(mel - lo) / f32(mid - lo))
      const down = f32(f32(hi - mel) / f32(hi - mid))
      out[(i + 1) * melBins + m] = Math.max(0, Math.min(up, down))
    })
  }
  return out
}

/** The real DFT of one frame in float64: X[k] = Σ x[n]·e^(−2πikn/N), k = 0 … N/2; radix-2 when N is a power of two. */
function rfft64(frame: Float64Array, re: Float64Array, im: Float64Array): void {
  const n = frame.length
  if (n > 1 && (n & (n - 1)) === 0) {
    fftRadix2(frame, re, im)
    return
  }
  for (let k = 0; k < re.length; k++) {
    let sr = 0
    let si = 0
    for (let t = 0; t < n; t++) {
      const angle = (2 * Math.PI * ((k * t) % n)) / n
      sr += (frame[t] ?? 0) * Math.cos(angle)
      si -= (frame[t] ?? 0) * Math.sin(angle)
    }
    re[k] = sr
    im[k] = si
  }
}

/** In-place iterative radix-2 FFT of a real frame; writes bins 0 … N/2. */
function fftRadix2(frame: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  const n = frame.length
  const re = new Float64Array(n)
  const im = new Float64Array(n)
  const bits = Math.log2(n)
  for (let i = 0; i < n; i++) {
    let r = 0
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b)
    re[r] = frame[i] ?? 0
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2
    for (let j = 0; j < half; j++) {
      const angle = (-2 * Math.PI * j) / size
      const wr = Math.cos(angle)
      const wi = Math.sin(angle)
      for (let s = 0; s < n; s += size) {
        const a = s + j
        const b = a + half
        const tr = (re[b] ?? 0) * wr - (im[b] ?? 0) * wi
        const ti = (re[b] ?? 0) * wi + (im[b] ?? 0) * wr
        re[b] = (re[a] ?? 0) - tr
        im[b] = (im[a] ?? 0) - ti
        re[a] = (re[a] ?? 0) + tr
        im[a] = (im[a] ?? 0) + ti
      }
    }
  }
  outRe.set(re.subarray(0, outRe.length))
  outIm.set(im.subarray(0, outIm.length))
}

/** The (N, 2·bins) real matrix [cos | −sin] of the DFT, for the gradient (x ↦ x·W is the transform). */
function dftMatrix(tf: Core, n: number, bins: number): Tensor {
  const w = new Float32Array(n * 2 * bins)
  for (let t = 0; t < n; t++) {
    for (let k = 0; k < bins; k++) {
      const angle = (2 * Math.PI * ((k * t) % n)) / n
      w[t * 2 * bins + k] = Math.cos(angle)
      w[t * 2 * bins + bins + k] = -Math.sin(angle)
    }
  }
  return tf.tensor2d(w, [n, 2 * bins])
}

/**
 * `tf.signal.rfft` of frames (…, N) → (…, 2·(N/2 + 1)): the real parts, then the imaginary parts, each value the
 * float64 DFT rounded to float32. Its gradient is the transform's own (dy · Wᵀ).
 */
export function rfftFrames(tf: Core, frames: Tensor): Tensor {
  const n = frames.shape.at(-1) ?? 0
  const bins = Math.floor(n / 2) + 1
  const op = tf.customGrad((...args) => {
    const x = args[0] as Tensor
    const data = x.dataSync()
    const count = n === 0 ? 0 : data.length / n
    const out = new Float32Array(count * 2 * bins)
    const frame = new Float64Array(n)
    const re = new Float64Array(bins)
    const im = new Float64Array(bins)
    for (let f = 0; f < count; f++) {
      for (let t = 0; t < n; t++) frame[t] = data[f * n + t] ?? 0
      rfft64(frame, re, im)
      out.set(re, f * 2 * bins)
      out.set(im, f * 2 * bins + bins)
    }
    const value = tf.tensor(out, [...x.shape.slice(0, -1), 2 * bins], 'float32')
    const gradFunc = (dy: Tensor): Tensor => {
      const flat = tf.reshape(dy, [-1, 2 * bins])
      return tf.reshape(tf.matMul(flat, dftMatrix(tf, n, bins), false, true), x.shape)
    }
    return {value, gradFunc}
  })
  return op(frames)
}
