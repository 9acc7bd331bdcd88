import {describe, expect, it} from 'vitest'
import {expectClose, forward, rng, values, w} from './helpers.js'

const softmax = (xs: number[]): number[] => {
  const m = Math.max(...xs)
  const e = xs.map((x) => Math.exp(x - m))
  const s = e.reduce((a, b) => a + b, 0)
  return e.map((x) => x / s)
}
const row = (m: number[], i: number, d: number) => m.slice(i * d, (i + 1) * d)

/** Attention by hand for one sample: q (tq × d), k and v (tv × d); score(i, j) from the given function. */
function attend(q: number[], k: number[], v: number[], d: number, score: (qi: number[], kj: number[]) => number, causal = false): number[] {
  const [tq, tv] = [q.length / d, k.length / d]
  return Array.from({length: tq}, (_, i) => {
    const s = Array.from({length: tv}, (_, j) => score(row(q, i, d), row(k, j, d)) - (causal && j > i ? 1e9 : 0))
    const p = softmax(s)
    return Array.from({length: d}, (_, c) => p.reduce((acc, pj, j) => acc + pj * (v[j * d + c] ?? 0), 0))
  }).flat()
}
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0)

describe('Attention (Keras dot-product attention, registered into tfjs)', () => {
  const next = rng(11)
  const [tq, tv, d] = [2, 3, 2]
  const q = values(tq * d, next)
  const v = values(tv * d, next)
  const k = values(tv * d, next)

  it('dot scores with use_scale (weight "scale"), key defaulting to value', async () => {
    const y = await forward({cls: 'Attention', config: {use_scale: true, score_mode: 'dot'}}, [[1, tq, d], [1, tv, d]], [q, v], [w([], [0.5])])
    expect(y.shape).toEqual([1, tq, d])
    expectClose(y.data, attend(q, v, v, d, (a, b) => 0.5 * dot(a, b)))
  })

  it('a separate key, and the causal mask of older tf.keras configs', async () => {
    const y = await forward({cls: 'Attention', config: {use_scale: false, causal: true}}, [[1, tq, d], [1, tv, d], [1, tv, d]], [q, v, k])
    expectClose(y.data, attend(q, k, v, d, dot, true))
  })

  it('concat scores: w · Σ tanh(scale · (q + k)), weights in Keras order (scale, concat_score_weight), on wasm', async () => {
    const y = await forward({cls: 'Attention', config: {use_scale: true, score_mode: 'concat'}}, [[1, tq, d], [1, tv, d]], [q, v], [w([], [2]), w([], [-1.5])], 'wasm')
    expectClose(y.data, attend(q, v, v, d, (a, b) => -1.5 * a.reduce((s, x, i) => s + Math.tanh(2 * (x + (b[i] ?? 0))), 0)))
  })
})
