/**
 * Tensor methods (`t.reshape(…)`, `t.flatten()`, …) for a tfjs-core loaded from its CommonJS bundle.
 *
 * tfjs-layers calls them (e.g. `rMat.flatten()` in the Orthogonal initializer), but tfjs-core installs them only
 * from its ESM file `dist/public/chained_ops/register_all_chained_ops.js`, whose extensionless imports Node
 * cannot resolve (DEPENDENCY-FACTS: tfjs-core alone has no chained ops). The @tensorflow/tfjs umbrella bundles
 * them; kmodel depends on tfjs-core directly, so it installs the same method names itself: each one calls the
 * tfjs-core op of the same name with the tensor as first argument, except the few listed in SPECIAL.
 */
import type * as TfCore from '@tensorflow/tfjs-core'

type Core = typeof TfCore
type Method = (this: TfCore.Tensor, ...args: unknown[]) => unknown

/** Method names that are `op(this, ...args)` for the tfjs-core op of the same name (tfjs-core 4.22's list). */
const SAME_NAME = [
  'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan', 'atan2', 'atanh',
  'avgPool', 'batchToSpaceND', 'batchNorm', 'broadcastTo', 'cast', 'ceil', 'clipByValue', 'conv1d', 'conv2d',
  'conv2dTranspose', 'cos', 'cosh', 'cumprod', 'cumsum', 'depthToSpace', 'depthwiseConv2d', 'dilation2d', 'div',
  'divNoNan', 'dot', 'elu', 'equal', 'erf', 'euclideanNorm', 'exp', 'expandDims', 'expm1', 'fft', 'floor',
  'floorDiv', 'gather', 'greater', 'greaterEqual', 'ifft', 'irfft', 'isFinite', 'isInf', 'isNaN', 'leakyRelu',
  'less', 'lessEqual', 'localResponseNormalization', 'log', 'log1p', 'logSigmoid', 'logSoftmax', 'logSumExp',
  'logicalAnd', 'logicalNot', 'logicalOr', 'logicalXor', 'matMul', 'max', 'maxPool', 'maximum', 'mean', 'min',
  'minimum', 'mirrorPad', 'mod', 'mul', 'neg', 'norm', 'notEqual', 'oneHot', 'onesLike', 'pad', 'pool', 'pow',
  'prelu', 'prod', 'reciprocal', 'relu', 'relu6', 'reshape', 'reverse', 'rfft', 'round', 'rsqrt', 'selu',
  'separableConv2d', 'sigmoid', 'sign', 'sin', 'sinh', 'slice', 'softmax', 'softplus', 'spaceToBatchND', 'split',
  'sqrt', 'square', 'squaredDifference', 'squeeze', 'step', 'stridedSlice', 'sub', 'sum', 'tan', 'tanh', 'tile',
  'topk', 'transpose', 'unique', 'unsortedSegmentSum', 'unstack', 'zerosLike',
] as const

/** Methods whose arguments differ from their op's, or that have no op of their own name. */
function special(tf: Core): Record<string, Method> {
  const asList = (x: unknown): TfCore.Tensor[] => (x instanceof tf.Tensor ? [x] : (x as TfCore.Tensor[]))
  const reshapeTo = (shape: (t: TfCore.Tensor, args: unknown[]) => number[]): Method => function (...args) {
    return tf.reshape(this, shape(this, args))
  }
  return {
    flatten: reshapeTo((t) => [t.size]),
    as1D: reshapeTo((t) => [t.size]),
    as2D: reshapeTo((_, a) => a.slice(0, 2) as number[]),
    as3D: reshapeTo((_, a) => a.slice(0, 3) as number[]),
    as4D: reshapeTo((_, a) => a.slice(0, 4) as number[]),
    as5D: reshapeTo((_, a) => a.slice(0, 5) as number[]),
    asScalar: reshapeTo(() => []),
    reshapeAs: reshapeTo((_, a) => (a[0] as TfCore.Tensor).shape),
    asType(dtype) { return tf.cast(this, dtype as TfCore.DataType) },
    toBool() { return tf.cast(this, 'bool') },
    toFloat() { return tf.cast(this, 'float32') },
    toInt() { return tf.cast(this, 'int32') },
    concat(x, axis) { return tf.concat([this, ...asList(x)], axis as number | undefined) },
    stack(x, axis) { return tf.stack([this, ...asList(x)], axis as number | undefined) },
    where(condition, x) { return tf.where(condition as TfCore.Tensor, this, x as TfCore.Tensor) },
    resizeBilinear(...a) { return (tf.image.resizeBilinear as (...args: unknown[]) => unknown)(this, ...a) },
    resizeNearestNeighbor(...a) { return (tf.image.resizeNearestNeighbor as (...args: unknown[]) => unknown)(this, ...a) },
  }
}

/**
 * Installs the chained tensor methods on tfjs-core's Tensor class, once; methods already present (installed by
 * an umbrella bundle in the same process) are left alone.
 */
export function installChainedOps(tf: Core): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>
  const ops = tf as unknown as Record<string, unknown>
  const methods: Record<string, Method> = {}
  for (const name of SAME_NAME) {
    const op = ops[name]
    if (typeof op === 'function') {
      methods[name] = function (...args) {
        return (op as (...a: unknown[]) => unknown)(this, ...args)
      }
    }
  }
  Object.assign(methods, special(tf))
  for (const [name, method] of Object.entries(methods)) {
    if (typeof proto[name] !== 'function') proto[name] = method
  }
}
