/**
 * kmodel's seeded random numbers for fresh weights (`--seed N`). The same seed gives the same values on
 * every run and machine with the same Node major version. The streams are NOT NumPy's, TensorFlow's or
 * JAX's (those use Philox / Threefry keyed by backend-specific seeds), so a model initialised here never
 * equals one Keras initialised with the same seed — only the distributions match.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna, 2018; 128-bit state, period 2^128 − 1) seeded through
 * splitmix32 from the seed's low and high 32 bits. Uniform doubles take 53 bits from two outputs.
 * Normals use Marsaglia's polar method (only `Math.log` and `Math.sqrt`, no trigonometry), keeping
 * the spare value. `fork(label)` derives an independent stream from the seed and a label, so a layer's
 * values depend on its name, not on how many numbers other layers drew first.
 */

/** A seeded random stream. */
export interface Rng {
  /** The seed this stream was made from (forks report their derived seed). */
  readonly seed: number
  /** A uniform double in [0, 1). */
  uniform(): number
  /** A standard normal N(0, 1) value. */
  normal(): number
  /** An independent stream named by `label` (same seed + label → same stream). */
  fork(label: string): Rng
}

/** splitmix32 step: the mixing function used to spread a seed over the state. */
function splitmix32(state: {s: number}): number {
  state.s = (state.s + 0x9e3779b9) | 0
  let z = state.s
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

/** 32-bit FNV-1a of a string's UTF-16 units from the given offset basis. */
function fnv1a(text: string, basis: number): number {
  let h = basis
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** The 53-bit seed of a fork: two FNV-1a hashes of `seed NUL label`. */
function forkSeed(seed: number, label: string): number {
  const key = `${seed}\u0000${label}`
  return fnv1a(key, 0x811c9dc5) + (fnv1a(key, 0x5bd1e995) & 0x1fffff) * 2 ** 32
}

/**
 * The xoshiro128** generator over a 4-word state (updated in place): each call returns the next
 * uint32. Exported for its reference test vector (state 1, 2, 3, 4 → 11520, 0, 5927040, …).
 */
export function xoshiro128ss(s: Uint32Array): () => number {
  return () => {
    const [a = 0, b = 0, c = 0, d = 0] = s
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0
    const c2 = c ^ a
    const d2 = d ^ b
    s[0] = a ^ d2
    s[1] = b ^ c2
    s[2] = c2 ^ (b << 9)
    s[3] = rotl(d2, 11)
    return r
  }
}

/**
 * A stream from an integer seed (0 ≤ seed ≤ 2^53 − 1; other numbers are truncated and made positive).
 * Deterministic: `makeRng(1).uniform()` is the same number on every run.
 */
export function makeRng(seed: number): Rng {
  const clean = Math.abs(Math.trunc(Number.isFinite(seed) ? seed : 0)) % Number.MAX_SAFE_INTEGER
  const mix = {s: (clean >>> 0) ^ Math.imul(Math.floor(clean / 2 ** 32), 0x27d4eb2d)}
  const s = Uint32Array.from([splitmix32(mix), splitmix32(mix), splitmix32(mix), splitmix32(mix)])
  if (s.every((w) => w === 0)) s[0] = 1 // the all-zero state is the one xoshiro cannot leave

  const next = xoshiro128ss(s)

  let spare: number | null = null
  const uniform = (): number => ((next() >>> 5) * 67_108_864 + (next() >>> 6)) / 9_007_199_254_740_992
  const normal = (): number => {
    if (spare !== null) {
      const out = spare
      spare = null
      return out
    }
    let u: number
    let v: number
    let q: number
    do {
      u = 2 * uniform() - 1
      v = 2 * uniform() - 1
      q = u * u + v * v
    } while (q >= 1 || q === 0)
    const f = Math.sqrt((-2 * Math.log(q)) / q)
    spare = v * f
    return u * f
  }
  return {seed: clean, uniform, normal, fork: (label) => makeRng(forkSeed(clean, label))}
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
