/**
 * Keras 3 operations that reduce, reshape, index, select or multiply tensors (keras.ops numpy / nn / core), as
 * the TensorFlow backend computes them: reductions over `axis` (None: all axes; `keepdims`; bool sums and
 * products count in int32; `mean`, `var`, `std` in float32; bool max / min are any / all), `reshape`,
 * `transpose`, `expand_dims`, `squeeze`, `concatenate`, `stack`, `swapaxes`, `moveaxis`, `flip`, `tile`,
 * `repeat`, `broadcast_to`, `matmul` (NumPy's rank-1 rules), `softmax`, `log_softmax`, `cast`, `clip`,
 * `where`, `zeros_like`, `ones_like`, `one_hot`, `cumsum`, `convert_to_tensor` (Keras 3 saves a layer's returned
 * mask through it). Indexing (`x[...]`) is ops-index.ts.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import {type Json, isArray} from '../json.js'
import {num} from './attention-parts.js'
import {type Arg, bindArgs, isTensor, opRefusal, required} from './ops-args.js'
import {type Dt, asTensor, dtypeOf, promote, single, unary} from './ops-math.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute} from './types.js'

/** Axes of a config value (int, list, None) resolved against `rank`; undefined for None (all axes). */
function axesOf(c: ComputeCall, key: string, rank: number): number[] | undefined {
  const raw: Json | undefined = c.config[key]
  if (raw === undefined || raw === null) return undefined
  const list = isArray(raw) ? raw : [raw]
  return list.map((a) => {
    const n = typeof a === 'number' && Number.isInteger(a) ? a : NaN
    const r = n < 0 ? n + rank : n
    if (!(r >= 0 && r < rank)) throw opRefusal(c, key, `= ${JSON.stringify(raw)} is out of range for rank ${rank} (Keras raises)`)
    return r
  })
}

/** One int axis of the config (`fallback` when absent), resolved against `rank`. */
function axisOf(c: ComputeCall, key: string, rank: number, fallback: number): number {
  const given = c.config[key]
  const n = given === undefined || given === null ? fallback : typeof given === 'number' && Number.isInteger(given) ? given : NaN
  const r = n < 0 ? n + rank : n
  if (!(r >= 0 && r < rank)) throw opRefusal(c, key, `= ${JSON.stringify(given)} is not an axis of a rank-${rank} tensor (Keras raises)`)
  return r
}

/** The `x` argument as a tensor. */
function xOf(c: ComputeCall): Tensor {
  const x = required(c, bindArgs(c, ['x']), 'x')
  return asTensor(c.tf, x, dtypeOf(c, 'x', x))
}

const keep = (c: ComputeCall): boolean => c.config.keepdims === true

/** A reduction over the config's `axis` / `keepdims`, after `prepare` casts the input. */
function reduction(prepare: (tf: Core, x: Tensor) => Tensor, fn: (tf: Core, x: Tensor, axes: number[] | undefined, keepDims: boolean) => Tensor): LayerCompute {
  return {call: (c) => {
    const x = prepare(c.tf, xOf(c))
    return single(fn(c.tf, x, axesOf(c, 'axis', x.rank), keep(c)))
  }}
}

const toInt = (tf: Core, x: Tensor): Tensor => (x.dtype === 'bool' ? tf.cast(x, 'int32') : x)
const toFloat = (tf: Core, x: Tensor): Tensor => (x.dtype === 'float32' ? x : tf.cast(x, 'float32'))
const same = (_tf: Core, x: Tensor): Tensor => x

/** Keras's max / min: bool inputs reduce with any / all; `initial` joins the result. */
function extremum(isMax: boolean): LayerCompute {
  return {call: (c) => {
    const {tf} = c
    const x = xOf(c)
    const axes = axesOf(c, 'axis', x.rank)
    const initial = c.config.initial
    if (x.dtype === 'bool') {
      const r = isMax ? tf.any(x, axes, keep(c)) : tf.all(x, axes, keep(c))
      if (typeof initial !== 'number' && typeof initial !== 'boolean') return single(r)
      const i = tf.scalar(Number(initial), 'int32')
      return single(tf.cast(isMax ? tf.maximum(tf.cast(r, 'int32'), i) : tf.minimum(tf.cast(r, 'int32'), i), 'bool'))
    }
    const r = isMax ? tf.max(x, axes, keep(c)) : tf.min(x, axes, keep(c))
    if (typeof initial !== 'number') return single(r)
    const i = tf.scalar(initial, r.dtype)
    return single(isMax ? tf.maximum(r, i) : tf.minimum(r, i))
  }}
}

/** Keras's argmax / argmin: int32 indices; on floats -0.0 counts as just below 0.0 (flush-to-zero fix). */
function argExtremum(isMax: boolean): LayerCompute {
  return {call: (c) => {
    const {tf} = c
    let x = xOf(c)
    if (x.dtype === 'float32' && x.rank > 0) {
      const negZero = tf.logicalAnd(tf.equal(x, tf.scalar(0)), tf.less(tf.div(tf.scalar(1), x), tf.scalar(0)))
      x = tf.where(negZero, tf.scalar(-1.1754943508222875e-38), x)
    }
    const raw = c.config.axis
    const flat = raw === undefined || raw === null
    const axis = flat ? 0 : axisOf(c, 'axis', x.rank, 0)
    const input = flat ? tf.reshape(x, [-1]) : x
    let y = isMax ? tf.argMax(input, axis) : tf.argMin(input, axis)
    if (keep(c)) y = flat ? tf.reshape(y, x.shape.map(() => 1)) : tf.expandDims(y, axis)
    return single(tf.cast(y, 'int32'))
  }}
}

/** Softmax or log-softmax over an int axis (None: all axes, flattened, as TensorFlow's softmax does). */
function softmaxOp(log: boolean): LayerCompute {
  return unary((tf, x0, c) => {
    const x = toFloat(tf, x0)
    const raw = c.config.axis
    if (isArray(raw)) throw opRefusal(c, 'axis', `= ${JSON.stringify(raw)}: several axes make TensorFlow's softmax raise in Keras`)
    const axes = raw === null ? x.shape.map((_d, i) => i) : axesOf(c, 'axis', x.rank) ?? [x.rank - 1]
    const rest = x.shape.map((_d, i) => i).filter((i) => !axes.includes(i))
    const perm = [...rest, ...axes]
    const moved = tf.transpose(x, perm)
    const flat = tf.reshape(moved, [...rest.map((i) => x.shape[i] ?? 1), -1])
    const out = tf.reshape(log ? tf.logSoftmax(flat, -1) : tf.softmax(flat, -1), moved.shape)
    return tf.transpose(out, perm.map((_p, i) => perm.indexOf(i)))
  })
}

/**
 * The dtype `cast`, `zeros_like`, … ask for, among those kmodel computes in (int64 as int32: the same values in
 * range); float16 / float64 / bfloat16 would round differently and narrow ints wrap, so those are refused.
 */
function dtypeArg(c: ComputeCall, key: string, fallback: Dt): Dt {
  const raw = c.config[key]
  const name = typeof raw === 'string' ? raw : raw === undefined || raw === null ? fallback : String((raw as {config?: {name?: unknown}}).config?.name ?? raw)
  if (name === 'float32' || name === 'int32' || name === 'bool') return name
  if (name === 'int64') return 'int32'
  throw opRefusal(c, key, `= ${JSON.stringify(raw)} is not computed by kmodel (it computes in float32, int32 and bool)`)
}

/** NumPy matmul: rank-1 operands gain and then lose an axis; float32 compute, result in the promoted dtype. */
function matmul(c: ComputeCall): ComputeOutput {
  const {tf} = c
  const bound = bindArgs(c, ['x1', 'x2'])
  const [a0, b0] = [required(c, bound, 'x1'), required(c, bound, 'x2')]
  const result = promote([dtypeOf(c, 'x1', a0), dtypeOf(c, 'x2', b0)])
  let a = asTensor(tf, a0, 'float32')
  let b = asTensor(tf, b0, 'float32')
  const [va, vb] = [a.rank === 1, b.rank === 1]
  if (va) a = tf.expandDims(a, 0)
  if (vb) b = tf.expandDims(b, 1)
  let out = tf.matMul(a, b)
  if (va) out = tf.squeeze(out, [out.rank - 2])
  if (vb) out = tf.squeeze(out, [out.rank - 1])
  return single(result === 'float32' ? out : tf.cast(out, result === 'bool' ? 'int32' : result))
}

/** `where(condition, x1, x2)` with both branches (the one-argument form returns indices: refused). */
function where(c: ComputeCall): ComputeOutput {
  const bound = bindArgs(c, ['condition', 'x1', 'x2'])
  const cond = required(c, bound, 'condition')
  const [a, b] = [required(c, bound, 'x1'), required(c, bound, 'x2')]
  if (a === null || b === null) throw opRefusal(c, 'x1', 'is None: the one-argument where (nonzero indices) is not computed by kmodel')
  const dt = promote([dtypeOf(c, 'x1', a), dtypeOf(c, 'x2', b)])
  return single(c.tf.where(c.tf.cast(asTensor(c.tf, cond, dtypeOf(c, 'condition', cond)), 'bool'), asTensor(c.tf, a, dt), asTensor(c.tf, b, dt)))
}

/** `concatenate(xs)` / `stack(x)`: a list of tensors joined along `axis` in their promoted dtype. */
function join(stack: boolean): LayerCompute {
  return {call: (c) => {
    const list = required(c, bindArgs(c, [stack ? 'x' : 'xs']), stack ? 'x' : 'xs')
    const items = isTensor(list) ? [list] : Array.isArray(list) ? list : []
    const dt = promote(items.map((t) => dtypeOf(c, 'xs', t)))
    const tensors = items.map((t) => asTensor(c.tf, t, dt))
    const rank = (tensors[0]?.rank ?? 0) + (stack ? 1 : 0)
    const axis = axisOf(c, 'axis', rank, 0)
    return single(stack ? c.tf.stack(tensors, axis) : c.tf.concat(tensors, axis))
  }}
}

/** An int list from the config (`newshape`, `repeats`, `shape`, `axes`). */
function intsOf(c: ComputeCall, key: string): number[] {
  const raw = c.config[key]
  const list = isArray(raw) ? raw : typeof raw === 'number' ? [raw] : null
  if (list === null || !list.every((v) => typeof v === 'number' && Number.isInteger(v))) throw opRefusal(c, key, `= ${JSON.stringify(raw)} is not a list of integers`)
  return list as number[]
}

/** NumPy `expand_dims` with one or several axes (counted in the output rank, inserted in sorted order). */
function expandDims(tf: Core, x: Tensor, c: ComputeCall): Tensor {
  const raw = intsOf(c, 'axis')
  const outRank = x.rank + raw.length
  const axes = raw.map((a) => (a < 0 ? a + outRank : a)).sort((p, q) => p - q)
  if (axes.some((a) => a < 0 || a >= outRank)) throw opRefusal(c, 'axis', `= ${JSON.stringify(c.config.axis)} is out of range (Keras raises)`)
  return axes.reduce((t, a) => tf.expandDims(t, a), x)
}

/** NumPy `moveaxis`. */
function moveaxis(tf: Core, x: Tensor, c: ComputeCall): Tensor {
  const norm = (v: number[]): number[] => v.map((a) => (a < 0 ? a + x.rank : a))
  const src = norm(intsOf(c, 'source'))
  const dst = norm(intsOf(c, 'destination'))
  const perm = x.shape.map((_d, i) => i).filter((i) => !src.includes(i))
  dst.map((d, i) => [d, src[i] ?? 0] as const).sort((p, q) => p[0] - q[0]).forEach(([d, s]) => perm.splice(d, 0, s))
  return tf.transpose(x, perm)
}

/** NumPy `repeat`: each element `repeats` times along `axis` (None: of the flattened tensor). */
function repeat(tf: Core, x: Tensor, c: ComputeCall): Tensor {
  const reps = intsOf(c, 'repeats')
  const flat = c.config.axis === undefined || c.config.axis === null
  const t = flat ? tf.reshape(x, [-1]) : x
  const axis = flat ? 0 : axisOf(c, 'axis', t.rank, 0)
  const size = t.shape[axis] ?? 0
  const counts = reps.length === 1 ? Array.from({length: size}, () => reps[0] ?? 0) : reps
  const index = counts.flatMap((n, i) => Array.from({length: n}, () => i))
  return tf.gather(t, tf.tensor1d(index, 'int32'), axis)
}

/** Reductions, shape operations and selections, by saved class name. */
export const SHAPE_COMPUTE: ComputeTable = {
  Sum: reduction(toInt, (tf, x, a, k) => tf.sum(x, a, k)),
  Prod: reduction(toInt, (tf, x, a, k) => tf.prod(x, a, k)),
  Mean: reduction(toFloat, (tf, x, a, k) => tf.mean(x, a, k)),
  Var: reduction(toFloat, (tf, x, a, k) => tf.moments(x, a, k).variance),
  Std: reduction(toFloat, (tf, x, a, k) => tf.sqrt(tf.moments(x, a, k).variance)),
  Logsumexp: reduction(toFloat, (tf, x, a, k) => tf.logSumExp(x, a, k)),
  Any: reduction((tf, x) => tf.cast(x, 'bool'), (tf, x, a, k) => tf.any(x, a, k)),
  All: reduction((tf, x) => tf.cast(x, 'bool'), (tf, x, a, k) => tf.all(x, a, k)),
  Max: extremum(true),
  Min: extremum(false),
  Amax: extremum(true),
  Amin: extremum(false),
  Argmax: argExtremum(true),
  Argmin: argExtremum(false),
  Softmax: softmaxOp(false),
  LogSoftmax: softmaxOp(true),
  Matmul: {call: matmul},
  Where: {call: where},
  Concatenate: join(false),
  Stack: join(true),
  Cast: unary((tf, x, c) => tf.cast(x, dtypeArg(c, 'dtype', 'float32'))),
  Clip: unary((tf, x0, c) => {
    const x = toInt(tf, x0)
    return tf.maximum(tf.minimum(x, tf.scalar(num(c.config.x_max, Infinity), x.dtype)), tf.scalar(num(c.config.x_min, -Infinity), x.dtype))
  }),
  Reshape: unary((tf, x, c) => tf.reshape(x, intsOf(c, 'newshape'))),
  Transpose: unary((tf, x, c) => tf.transpose(x, c.config.axes === undefined || c.config.axes === null ? undefined : intsOf(c, 'axes').map((a) => (a < 0 ? a + x.rank : a)))),
  ExpandDims: unary(expandDims),
  Squeeze: unary((tf, x, c) => tf.squeeze(x, axesOf(c, 'axis', x.rank))),
  Swapaxes: unary((tf, x, c) => {
    const [a, b] = [axisOf(c, 'axis1', x.rank, 0), axisOf(c, 'axis2', x.rank, 0)]
    const perm = x.shape.map((_d, i) => (i === a ? b : i === b ? a : i))
    return tf.transpose(x, perm)
  }),
  Moveaxis: unary(moveaxis),
  Flip: unary((tf, x, c) => tf.reverse(x, axesOf(c, 'axis', x.rank) ?? x.shape.map((_d, i) => i))),
  Tile: unary((tf, x, c) => {
    const reps = intsOf(c, 'repeats')
    const t = reps.length > x.rank ? tf.reshape(x, [...Array.from({length: reps.length - x.rank}, () => 1), ...x.shape]) : x
    return tf.tile(t, [...Array.from({length: t.rank - reps.length}, () => 1), ...reps])
  }),
  Repeat: unary(repeat),
  BroadcastTo: unary((tf, x, c) => tf.broadcastTo(x, intsOf(c, 'shape'))),
  ZerosLike: unary((tf, x, c) => tf.zeros(x.shape, dtypeArg(c, 'dtype', x.dtype as Dt))),
  OnesLike: unary((tf, x, c) => tf.ones(x.shape, dtypeArg(c, 'dtype', x.dtype as Dt))),
  ConvertToTensor: unary((tf, x, c) => (c.config.dtype === undefined || c.config.dtype === null ? x : tf.cast(x, dtypeArg(c, 'dtype', 'float32')))),
  StopGradient: {call: (c) => {
    const v = required(c, bindArgs(c, ['variable']), 'variable')
    const x = asTensor(c.tf, v, dtypeOf(c, 'variable', v))
    // The value passes; no gradient flows back (tf.stop_gradient).
    const stop = c.tf.customGrad((...args: Array<Tensor | unknown>) => {
      const t = args[0] as Tensor
      return {value: c.tf.clone(t), gradFunc: (dy: Tensor) => c.tf.zerosLike(dy)}
    })
    return single(x.dtype === 'float32' ? stop(x) : x)
  }},
  Cumsum: unary((tf, x0, c) => {
    const x = toInt(tf, c.config.dtype === undefined || c.config.dtype === null ? x0 : tf.cast(x0, dtypeArg(c, 'dtype', 'float32')))
    const flat = c.config.axis === undefined || c.config.axis === null
    return tf.cumsum(flat ? tf.reshape(x, [-1]) : x, flat ? 0 : axisOf(c, 'axis', x.rank, 0))
  }),
  OneHot: unary((tf, x, c) => {
    const depth = num(c.config.num_classes, 0)
    const hot = tf.cast(tf.oneHot(tf.cast(x, 'int32'), depth), dtypeArg(c, 'dtype', 'float32'))
    const axis = axisOf(c, 'axis', hot.rank, -1)
    if (axis === hot.rank - 1) return hot
    const perm = hot.shape.map((_d, i) => i).filter((i) => i !== hot.rank - 1)
    perm.splice(axis, 0, hot.rank - 1)
    return tf.transpose(hot, perm)
  }),
}

export type {Arg}
