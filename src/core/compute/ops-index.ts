/**
 * Keras 3's saved `x[key]` (the GetItem operation): NumPy basic indexing as TensorFlow applies it, with the key
 * as Keras serialises it: ints (negative from the end), `__slice__` objects (start / stop / step, Python's
 * `slice.indices` rules, negative steps included), None (a new axis of size 1) and one `__ellipsis__`; a list
 * is a tuple of those. Tensor keys (gather / boolean masks) are refused.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {type Json, isObject} from '../json.js'
import {type Arg, bindArgs, isTensor, opRefusal, required} from './ops-args.js'
import {asTensor, dtypeOf, single} from './ops-math.js'
import type {ComputeCall, ComputeOutput} from './types.js'

/** A Python slice's bounds. */
interface Slice {start: number | null; stop: number | null; step: number | null}

const isSlice = (v: Arg): v is {class_name: string; config: Json} => isObject(v as Json) && (v as {class_name?: unknown}).class_name === '__slice__'
const isEllipsis = (v: Arg): boolean => isObject(v as Json) && (v as {class_name?: unknown}).class_name === '__ellipsis__'

/** An optional int of a slice's config. */
function bound(c: ComputeCall, v: Json | undefined): number | null {
  if (v === undefined || v === null) return null
  if (typeof v === 'number' && Number.isInteger(v)) return v
  throw opRefusal(c, 'key', `holds the slice bound ${JSON.stringify(v)}, which is not an integer`)
}

/** The indices `range(*slice.indices(length))` selects. */
export function sliceIndices(s: Slice, length: number): number[] {
  const step = s.step ?? 1
  const [lower, upper] = step < 0 ? [-1, length - 1] : [0, length]
  const clamp = (v: number | null, fallback: number): number => {
    if (v === null) return fallback
    const r = v < 0 ? v + length : v
    return r < lower ? lower : r > upper ? upper : r
  }
  const start = clamp(s.start, step < 0 ? upper : lower)
  const stop = clamp(s.stop, step < 0 ? lower : upper)
  const out: number[] = []
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i)
  return out
}

/** Applies one key item at output axis `out` (input axis `dim`); returns the axes it advanced. */
function applyItem(c: ComputeCall, t: Tensor, item: Arg, out: number, length: number): {t: Tensor; advance: number} {
  const {tf} = c
  if (typeof item === 'number' && Number.isInteger(item)) {
    const i = item < 0 ? item + length : item
    if (i < 0 || i >= length) throw opRefusal(c, 'key', `index ${item} is out of bounds for an axis of size ${length} (Keras raises)`)
    return {t: tf.squeeze(tf.gather(t, tf.tensor1d([i], 'int32'), out), [out]), advance: 0}
  }
  if (isSlice(item)) {
    const cfg = isObject(item.config) ? item.config : {}
    const s = {start: bound(c, cfg.start), stop: bound(c, cfg.stop), step: bound(c, cfg.step)}
    if (s.step === 0) throw opRefusal(c, 'key', 'has a slice step of 0 (Python raises)')
    const idx = sliceIndices(s, length)
    const whole = idx.length === length && idx.every((v, k) => v === k)
    return {t: whole ? t : tf.gather(t, tf.tensor1d(idx, 'int32'), out), advance: 1}
  }
  throw opRefusal(c, 'key', `holds ${isTensor(item) ? 'a tensor' : JSON.stringify(item)}, which kmodel does not compute as an index (basic slicing only)`)
}

/** `x[key]`. */
export function getItem(c: ComputeCall): ComputeOutput {
  const bound0 = bindArgs(c, ['x', 'key'])
  const x0 = required(c, bound0, 'x')
  const key = required(c, bound0, 'key')
  let t = asTensor(c.tf, x0, dtypeOf(c, 'x', x0))
  const items: Arg[] = Array.isArray(key) ? [...key] : [key]
  const ellipses = items.filter(isEllipsis).length
  if (ellipses > 1) throw opRefusal(c, 'key', 'has more than one ellipsis (Keras raises)')
  if (ellipses === 0) items.push({class_name: '__ellipsis__', config: {}})
  const consuming = items.filter((v) => v !== null && !isEllipsis(v)).length
  const rank = t.rank
  if (consuming > rank) throw opRefusal(c, 'key', `has ${consuming} indices for a rank-${rank} tensor (Keras raises)`)
  let out = 0
  let dim = 0
  for (const item of items) {
    if (isEllipsis(item)) {
      const n = rank - consuming
      out += n
      dim += n
    } else if (item === null) {
      t = c.tf.expandDims(t, out)
      out += 1
    } else {
      const r = applyItem(c, t, item, out, t.shape[out] ?? 0)
      t = r.t
      out += r.advance
      dim += 1
    }
  }
  return single(t)
}
