/**
 * Element-wise Keras 3 operations (keras.ops numpy / nn / math) as the TensorFlow backend computes them,
 * including Keras's dtype rules over kmodel's three dtypes (float32, int32, bool): arithmetic promotes to the
 * widest operand (a Python float makes float32, a Python int int32 unless a float is present, bools stay bool
 * only among bools); `divide` / `true_divide` always give float32; comparisons give bool; math functions
 * (`exp`, `sqrt`, `tanh`, `floor`, …) cast integer and bool inputs to float32 first.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import {type Arg, bindArgs, isTensor, opRefusal, required} from './ops-args.js'
import {num} from './attention-parts.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute} from './types.js'

/** The dtypes kmodel computes in. */
export type Dt = 'float32' | 'int32' | 'bool'

/** The dtype an argument brings to Keras's promotion (Python scalars by their type). */
export function dtypeOf(c: ComputeCall, name: string, a: Arg): Dt {
  if (isTensor(a)) {
    if (a.dtype === 'float32' || a.dtype === 'int32' || a.dtype === 'bool') return a.dtype
    throw opRefusal(c, name, `has dtype ${a.dtype}, which kmodel does not compute`)
  }
  if (typeof a === 'boolean') return 'bool'
  // JSON numbers cannot tell `2.0` from `2`: a whole number is read as a Python int. Comparisons and float
  // tensors give the same values either way; an integer tensor's arithmetic keeps its values (only the dtype
  // Keras reports could differ).
  if (typeof a === 'number') return Number.isInteger(a) ? 'int32' : 'float32'
  throw opRefusal(c, name, `= ${JSON.stringify(a)} is not a tensor or a number`)
}

/** Keras's `result_type` over float32 / int32 / bool. */
export function promote(dtypes: readonly Dt[]): Dt {
  if (dtypes.includes('float32')) return 'float32'
  if (dtypes.includes('int32')) return 'int32'
  return 'bool'
}

/** An argument as a tensor of `dtype` (Python scalars become scalars). */
export function asTensor(tf: Core, a: Arg, dtype: Dt): Tensor {
  if (isTensor(a)) return a.dtype === dtype ? a : tf.cast(a, dtype)
  return tf.scalar(typeof a === 'boolean' ? Number(a) : (a as number), dtype)
}

/** One output, no mask (operations carry no Keras masks). */
export const single = (t: Tensor): ComputeOutput => ({outputs: [t], masks: [null]})

/** A unary operation on its `x` argument. */
export function unary(fn: (tf: Core, x: Tensor, c: ComputeCall) => Tensor): LayerCompute {
  return {
    call: (c) => {
      const x = required(c, bindArgs(c, ['x']), 'x')
      return single(fn(c.tf, asTensor(c.tf, x, dtypeOf(c, 'x', x)), c))
    },
  }
}

/** A unary operation computed in float32 (Keras casts integer and bool inputs to floatx first). */
const floatUnary = (fn: (tf: Core, x: Tensor) => Tensor): LayerCompute => unary((tf, x) => fn(tf, x.dtype === 'float32' ? x : tf.cast(x, 'float32')))

/** A binary operation on `x1`, `x2` in `mode`: promoted operands (`promote`), float32 (`float`) or bools. */
function binary(mode: 'promote' | 'float' | 'bool', fn: (tf: Core, a: Tensor, b: Tensor) => Tensor): LayerCompute {
  return {
    call: (c) => {
      const bound = bindArgs(c, ['x1', 'x2'])
      const a = required(c, bound, 'x1')
      const b = required(c, bound, 'x2')
      const dt: Dt = mode === 'float' ? 'float32' : mode === 'bool' ? 'bool' : promote([dtypeOf(c, 'x1', a), dtypeOf(c, 'x2', b)])
      return single(fn(c.tf, asTensor(c.tf, a, dt), asTensor(c.tf, b, dt)))
    },
  }
}

/**
 * `x1 ** x2` in the promoted dtype (bools as int32). An integer base with a negative Python exponent is refused:
 * TensorFlow raises for a true int, and a saved `-1.0` (a float power in Keras) reads as the int -1 in JSON.
 */
function power(c: ComputeCall): ComputeOutput {
  const bound = bindArgs(c, ['x1', 'x2'])
  const a = required(c, bound, 'x1')
  const b = required(c, bound, 'x2')
  const dt = promote([dtypeOf(c, 'x1', a), dtypeOf(c, 'x2', b)])
  if (dt !== 'float32' && typeof b === 'number' && b < 0) throw opRefusal(c, 'x2', `= ${b} on an integer tensor is not computed by kmodel (TensorFlow refuses negative integer powers of integers)`)
  const it = dt === 'bool' ? 'int32' : dt
  return single(c.tf.pow(asTensor(c.tf, a, it), asTensor(c.tf, b, it)))
}

/** Keras's hard_sigmoid: relu6(x + 3) / 6. */
const hardSigmoid = (tf: Core, x: Tensor): Tensor => tf.div(tf.relu6(tf.add(x, tf.scalar(3))), tf.scalar(6))

/** TF's gelu: tanh approximation, or 0.5 x erfc(-x / √2). */
function gelu(tf: Core, x: Tensor, approximate: boolean): Tensor {
  if (approximate) {
    const inner = tf.mul(tf.scalar(0.7978845608028654), tf.add(x, tf.mul(tf.scalar(0.044715), tf.pow(x, tf.scalar(3)))))
    return tf.mul(tf.mul(tf.scalar(0.5), x), tf.add(tf.scalar(1), tf.tanh(inner)))
  }
  return tf.mul(tf.mul(tf.scalar(0.5), x), tf.add(tf.scalar(1), tf.erf(tf.mul(x, tf.scalar(0.7071067811865476)))))
}

/** `log(x) / log(base)` as Keras's log2 / log10. */
const logBase = (base: number) => (tf: Core, x: Tensor): Tensor => tf.div(tf.log(x), tf.log(tf.scalar(base)))

/** Keras's round: banker's rounding, at `decimals` through × 10^decimals. */
function round(tf: Core, x: Tensor, c: ComputeCall): Tensor {
  const decimals = num(c.config.decimals, 0)
  if (decimals === 0) return x.dtype === 'float32' ? tf.round(x) : x
  if (x.dtype !== 'float32' && decimals > 0) return x
  const factor = tf.scalar(10 ** decimals)
  const out = tf.div(tf.round(tf.mul(tf.cast(x, 'float32'), factor)), factor)
  return x.dtype === 'float32' ? out : tf.cast(out, x.dtype)
}

/** NumPy's isnan / isinf / isfinite (integers and bools are always finite). */
const isFloat = (x: Tensor): boolean => x.dtype === 'float32'

/** Element-wise operations, by saved class name. */
export const MATH_COMPUTE: ComputeTable = {
  Add: binary('promote', (tf, a, b) => tf.add(a, b)),
  Subtract: binary('promote', (tf, a, b) => tf.sub(a, b)),
  Multiply: binary('promote', (tf, a, b) => tf.mul(a, b)),
  Divide: binary('float', (tf, a, b) => tf.div(a, b)),
  TrueDivide: binary('float', (tf, a, b) => tf.div(a, b)),
  FloorDivide: binary('promote', (tf, a, b) => (a.dtype === 'float32' ? tf.floor(tf.div(a, b)) : a.dtype === 'bool' ? tf.logicalAnd(a, b) : tf.floorDiv(a, b))),
  Mod: binary('promote', (tf, a, b) => (a.dtype === 'bool' ? tf.mod(tf.cast(a, 'int32'), tf.cast(b, 'int32')) : tf.mod(a, b))),
  Power: {call: power},
  Maximum: binary('promote', (tf, a, b) => tf.maximum(a, b)),
  Minimum: binary('promote', (tf, a, b) => tf.minimum(a, b)),
  Equal: binary('promote', (tf, a, b) => tf.equal(a, b)),
  NotEqual: binary('promote', (tf, a, b) => tf.notEqual(a, b)),
  Greater: binary('promote', (tf, a, b) => tf.greater(a, b)),
  GreaterEqual: binary('promote', (tf, a, b) => tf.greaterEqual(a, b)),
  Less: binary('promote', (tf, a, b) => tf.less(a, b)),
  LessEqual: binary('promote', (tf, a, b) => tf.lessEqual(a, b)),
  LogicalAnd: binary('bool', (tf, a, b) => tf.logicalAnd(a, b)),
  LogicalOr: binary('bool', (tf, a, b) => tf.logicalOr(a, b)),
  LogicalXor: binary('bool', (tf, a, b) => tf.logicalXor(a, b)),
  LogicalNot: unary((tf, x) => tf.logicalNot(tf.cast(x, 'bool'))),
  Absolute: unary((tf, x) => (x.dtype === 'bool' ? x : tf.abs(x))),
  Abs: unary((tf, x) => (x.dtype === 'bool' ? x : tf.abs(x))),
  Negative: unary((tf, x) => tf.neg(x)),
  Square: unary((tf, x) => tf.square(x.dtype === 'bool' ? tf.cast(x, 'int32') : x)),
  Sign: unary((tf, x) => tf.sign(x)),
  Round: unary(round),
  Exp: floatUnary((tf, x) => tf.exp(x)),
  Expm1: floatUnary((tf, x) => tf.expm1(x)),
  Log: floatUnary((tf, x) => tf.log(x)),
  Log1p: floatUnary((tf, x) => tf.log1p(x)),
  Log2: floatUnary(logBase(2)),
  Log10: floatUnary(logBase(10)),
  Sqrt: floatUnary((tf, x) => tf.sqrt(x)),
  Rsqrt: floatUnary((tf, x) => tf.rsqrt(x)),
  Reciprocal: unary((tf, x, c) => {
    if (x.dtype !== 'float32') throw opRefusal(c, 'x', `has dtype ${x.dtype}: TensorFlow's integer reciprocal is not computed by kmodel`)
    return tf.reciprocal(x)
  }),
  Sin: floatUnary((tf, x) => tf.sin(x)),
  Cos: floatUnary((tf, x) => tf.cos(x)),
  Tan: floatUnary((tf, x) => tf.tan(x)),
  Tanh: floatUnary((tf, x) => tf.tanh(x)),
  Sinh: floatUnary((tf, x) => tf.sinh(x)),
  Cosh: floatUnary((tf, x) => tf.cosh(x)),
  Arctan: floatUnary((tf, x) => tf.atan(x)),
  Arcsin: floatUnary((tf, x) => tf.asin(x)),
  Arccos: floatUnary((tf, x) => tf.acos(x)),
  Arcsinh: floatUnary((tf, x) => tf.asinh(x)),
  Arccosh: floatUnary((tf, x) => tf.acosh(x)),
  Arctanh: floatUnary((tf, x) => tf.atanh(x)),
  Floor: floatUnary((tf, x) => tf.floor(x)),
  Ceil: floatUnary((tf, x) => tf.ceil(x)),
  Erf: floatUnary((tf, x) => tf.erf(x)),
  Isnan: unary((tf, x) => (isFloat(x) ? tf.isNaN(x) : tf.zerosLike(tf.cast(x, 'bool')))),
  Isinf: unary((tf, x) => (isFloat(x) ? tf.isInf(x) : tf.zerosLike(tf.cast(x, 'bool')))),
  Isfinite: unary((tf, x) => (isFloat(x) ? tf.isFinite(x) : tf.onesLike(tf.cast(x, 'bool')))),
  Relu: floatUnary((tf, x) => tf.relu(x)),
  Relu6: floatUnary((tf, x) => tf.relu6(x)),
  Sigmoid: floatUnary((tf, x) => tf.sigmoid(x)),
  Softplus: floatUnary((tf, x) => tf.softplus(x)),
  Softsign: floatUnary((tf, x) => tf.div(x, tf.add(tf.scalar(1), tf.abs(x)))),
  Silu: floatUnary((tf, x) => tf.mul(x, tf.sigmoid(x))),
  Selu: floatUnary((tf, x) => tf.selu(x)),
  HardSigmoid: floatUnary(hardSigmoid),
  HardSilu: floatUnary((tf, x) => tf.mul(x, hardSigmoid(tf, x))),
  Gelu: unary((tf, x, c) => gelu(tf, tf.cast(x, 'float32'), c.config.approximate !== false)),
  Elu: unary((tf, x, c) => {
    const alpha = num(c.config.alpha, 1)
    const res = tf.elu(tf.cast(x, 'float32'))
    return alpha === 1 ? res : tf.where(tf.greater(x, tf.scalar(0, x.dtype)), res, tf.mul(tf.scalar(alpha), res))
  }),
  LeakyRelu: unary((tf, x, c) => tf.leakyRelu(tf.cast(x, 'float32'), num(c.config.negative_slope, 0.2))),
}
