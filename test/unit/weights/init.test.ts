import {describe, expect, it} from 'vitest'
import {WeightsError} from '../../../src/core/errors.js'
import {
  TRUNCATED_NORMAL_STDDEV, bfloat16Bits, computeFans, float16Bits, initialize, makeRng, parseInitializer, sampleInitializer, xoshiro128ss,
} from '../../../src/core/weights/init.js'

const stats = (xs: ArrayLike<number>): {mean: number; std: number; min: number; max: number} => {
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] ?? 0
    sum += x
    min = Math.min(min, x)
    max = Math.max(max, x)
  }
  const mean = sum / xs.length
  let sq = 0
  for (let i = 0; i < xs.length; i++) sq += ((xs[i] ?? 0) - mean) ** 2
  return {mean, std: Math.sqrt(sq / xs.length), min, max}
}

/** Max |(MᵀM)ij − g²δij| over the columns of a row-major rows × cols matrix. */
function gramError(m: ArrayLike<number>, rows: number, cols: number, gain = 1): number {
  let err = 0
  for (let a = 0; a < cols; a++) {
    for (let b = 0; b < cols; b++) {
      let dot = 0
      for (let i = 0; i < rows; i++) dot += (m[i * cols + a] ?? 0) * (m[i * cols + b] ?? 0)
      err = Math.max(err, Math.abs(dot - (a === b ? gain * gain : 0)))
    }
  }
  return err
}

const transpose = (m: ArrayLike<number>, rows: number, cols: number): Float64Array =>
  Float64Array.from({length: rows * cols}, (_, k) => m[(k % rows) * cols + Math.floor(k / rows)] ?? 0)

describe('makeRng', () => {
  it('implements xoshiro128** (reference vector for state 1, 2, 3, 4)', () => {
    const next = xoshiro128ss(Uint32Array.from([1, 2, 3, 4]))
    expect(Array.from({length: 6}, next)).toEqual([11_520, 0, 5_927_040, 70_819_200, 2_031_721_883, 1_637_235_492])
  })

  it('is deterministic by seed and label, and different otherwise', () => {
    const draw = (seed: number): number[] => {
      const r = makeRng(seed)
      return [r.uniform(), r.uniform(), r.normal(), r.normal(), r.normal()]
    }
    expect(draw(42)).toEqual(draw(42))
    expect(draw(42)).not.toEqual(draw(43))
    expect(draw(2 ** 40 + 1)).not.toEqual(draw(1))
    expect(makeRng(7).fork('dense/kernel').uniform()).toBe(makeRng(7).fork('dense/kernel').uniform())
    const used = makeRng(7)
    used.uniform()
    expect(used.fork('dense/kernel').uniform()).toBe(makeRng(7).fork('dense/kernel').uniform())
    expect(makeRng(7).fork('a').uniform()).not.toBe(makeRng(7).fork('b').uniform())
  })

  it('draws uniform [0, 1) and standard normal values', () => {
    const r = makeRng(1)
    const u = Float64Array.from({length: 200_000}, () => r.uniform())
    const n = Float64Array.from({length: 200_000}, () => r.normal())
    const su = stats(u)
    expect(su.min).toBeGreaterThanOrEqual(0)
    expect(su.max).toBeLessThan(1)
    expect(su.mean).toBeCloseTo(0.5, 2)
    expect(su.std).toBeCloseTo(Math.sqrt(1 / 12), 2)
    const sn = stats(n)
    expect(sn.mean).toBeCloseTo(0, 2)
    expect(sn.std).toBeCloseTo(1, 2)
  })
})

describe('initializer forms and simple initializers', () => {
  it('parses strings, Keras 1 aliases, Keras 2 and Keras 3 dicts', () => {
    expect(parseInitializer('glorot_uniform').class_name).toBe('GlorotUniform')
    expect(parseInitializer('zero').class_name).toBe('Zeros')
    expect(parseInitializer('one').class_name).toBe('Ones')
    expect(parseInitializer({class_name: 'OrthogonalInitializer', config: {gain: 2}})).toEqual({class_name: 'Orthogonal', config: {gain: 2}})
    expect(parseInitializer({module: 'keras.initializers', class_name: 'HeNormal', config: {seed: null}, registered_name: null}).class_name).toBe('HeNormal')
    expect(() => parseInitializer('my_init')).toThrow(WeightsError)
    expect(() => parseInitializer({class_name: 'Custom>MyInit', config: {}})).toThrow(/Unknown initializer 'Custom>MyInit'/)
  })

  it('fills constants', () => {
    const r = makeRng(0)
    expect([...initialize('zeros', [2, 2], r)]).toEqual([0, 0, 0, 0])
    expect([...initialize({class_name: 'Ones', config: {}}, [3], r)]).toEqual([1, 1, 1])
    expect([...initialize({class_name: 'Constant', config: {value: 0.5}}, [2], r)]).toEqual([0.5, 0.5])
    expect([...initialize({class_name: 'Constant', config: {value: [[1, 2], [3, 4]]}}, [2, 2], r)]).toEqual([1, 2, 3, 4])
    expect([...initialize({class_name: 'Identity', config: {gain: 2}}, [2, 3], r)]).toEqual([2, 0, 0, 0, 2, 0])
    expect([...initialize('zeros', [2], r, 'int32')]).toEqual([0, 0])
    expect(() => initialize('glorot_uniform', [2], r, 'int32')).toThrow(/cannot fill a int32 weight/)
    expect(() => initialize('identity', [2, 2, 2], r)).toThrow(/2-D weight/)
    expect(() => initialize('zeros', [Number.NaN], r)).toThrow(/every dimension must be known/)
  })

  it('RandomUniform / RandomNormal / TruncatedNormal use Keras defaults and truncate at 2σ', () => {
    const u = stats(initialize('uniform', [100_000], makeRng(3)))
    expect(u.min).toBeGreaterThanOrEqual(-0.05)
    expect(u.max).toBeLessThan(0.05)
    const n = stats(initialize('random_normal', [100_000], makeRng(3)))
    expect(n.std).toBeCloseTo(0.05, 3)
    const t = stats(initialize({class_name: 'TruncatedNormal', config: {mean: 1, stddev: 0.5}}, [100_000], makeRng(3)))
    expect(t.min).toBeGreaterThanOrEqual(0)
    expect(t.max).toBeLessThanOrEqual(2)
    expect(t.mean).toBeCloseTo(1, 2)
    expect(t.std / (0.5 * TRUNCATED_NORMAL_STDDEV)).toBeCloseTo(1, 1)
  })
})

describe('VarianceScaling family', () => {
  it('computes fans like Keras, conv kernels with the receptive field', () => {
    expect(computeFans([])).toEqual([1, 1])
    expect(computeFans([5])).toEqual([5, 5])
    expect(computeFans([10, 20])).toEqual([10, 20])
    expect(computeFans([3, 3, 64, 128])).toEqual([576, 1152])
    expect(computeFans([5, 16, 32])).toEqual([80, 160])
    expect(computeFans([4, 2, 8], [0], [1, 2])).toEqual([4, 16])
  })

  it('GlorotUniform stays within sqrt(6 / (fan_in + fan_out)) and reaches it', () => {
    const limit = Math.sqrt(6 / (300 + 200))
    const s = stats(initialize('glorot_uniform', [300, 200], makeRng(5)))
    expect(s.min).toBeGreaterThanOrEqual(-limit)
    expect(s.max).toBeLessThanOrEqual(limit)
    expect(s.max).toBeGreaterThan(0.999 * limit)
    expect(s.std / (limit / Math.sqrt(3))).toBeCloseTo(1, 1)
  })

  it('HeNormal on a conv kernel: truncated normal with the 0.8796 correction, std sqrt(2 / fan_in)', () => {
    const shape = [3, 3, 64, 128]
    const sd = Math.sqrt(2 / 576)
    const s = stats(sampleInitializer('he_normal', shape, makeRng(9)))
    expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual((2 * sd) / TRUNCATED_NORMAL_STDDEV + 1e-12)
    expect(s.std / sd).toBeGreaterThan(0.98)
    expect(s.std / sd).toBeLessThan(1.02)
  })

  it('covers the other presets and the explicit modes and distributions', () => {
    const sd = (init: Parameters<typeof sampleInitializer>[0], shape: number[]): number => stats(sampleInitializer(init, shape, makeRng(11))).std
    expect(sd('lecun_normal', [400, 100]) / Math.sqrt(1 / 400)).toBeCloseTo(1, 1)
    expect(sd('glorot_normal', [400, 100]) / Math.sqrt(2 / 500)).toBeCloseTo(1, 1)
    expect(sd('he_uniform', [400, 100]) / Math.sqrt(2 / 400)).toBeCloseTo(1, 1)
    expect(sd('lecun_uniform', [400, 100]) / Math.sqrt(1 / 400)).toBeCloseTo(1, 1)
    const vs = (config: Record<string, string | number>): number => sd({class_name: 'VarianceScaling', config}, [400, 100])
    expect(vs({scale: 3, mode: 'fan_out', distribution: 'untruncated_normal'}) / Math.sqrt(3 / 100)).toBeCloseTo(1, 1)
    expect(vs({scale: 1, mode: 'fan_avg', distribution: 'normal'}) / Math.sqrt(1 / 250)).toBeCloseTo(1, 1)
    expect(vs({scale: 1, mode: 'FAN_IN', distribution: 'uniform'}) / Math.sqrt(1 / 400)).toBeCloseTo(1, 1)
    expect(() => vs({mode: 'fan_sideways'})).toThrow(/mode 'fan_sideways'/)
  })
})

describe('Orthogonal', () => {
  it('gives orthonormal columns (rows ≥ cols), orthonormal rows (rows < cols), conv kernels flattened, gain applied', () => {
    const tall = initialize('orthogonal', [64, 32], makeRng(1))
    expect(gramError(tall, 64, 32)).toBeLessThan(1e-5)
    const wide = initialize('orthogonal', [16, 48], makeRng(1))
    expect(gramError(transpose(wide, 16, 48), 48, 16)).toBeLessThan(1e-5)
    const conv = sampleInitializer({class_name: 'Orthogonal', config: {gain: 2}}, [3, 3, 4, 8], makeRng(1))
    expect(gramError(conv, 36, 8, 2)).toBeLessThan(1e-12)
    const square = sampleInitializer('orthogonal', [20, 20], makeRng(4))
    expect(gramError(square, 20, 20)).toBeLessThan(1e-12)
    expect(gramError(transpose(square, 20, 20), 20, 20)).toBeLessThan(1e-12)
    expect(() => initialize('orthogonal', [5], makeRng(1))).toThrow(/rank 2 or more/)
  })
})

describe('determinism', () => {
  it('same seed → same tensor; a seed in the initializer config overrides the stream', () => {
    const a = initialize('glorot_uniform', [20, 10], makeRng(123))
    expect(initialize('glorot_uniform', [20, 10], makeRng(123))).toEqual(a)
    expect(initialize('glorot_uniform', [20, 10], makeRng(124))).not.toEqual(a)
    const seeded = {class_name: 'RandomNormal', config: {seed: 5}}
    expect(initialize(seeded, [8], makeRng(1))).toEqual(initialize(seeded, [8], makeRng(2)))
  })
})

describe('half-precision bits', () => {
  it('rounds to nearest even like NumPy', () => {
    expect([1, -2, 65_504, 65_519, 65_520, 2 ** -24, 0.1, 1e-8, 4.57763671875e-5, -0].map(float16Bits))
      .toEqual([0x3c00, 0xc000, 0x7bff, 0x7bff, 0x7c00, 0x0001, 0x2e66, 0x0000, 0x0300, 0x8000])
    expect(float16Bits(Number.NaN)).toBe(0x7e00)
    expect([1, -123.5, 1 / 3].map(bfloat16Bits)).toEqual([0x3f80, 0xc2f7, 0x3eab])
  })
})
