/**
 * Keras 3 operations saved as nodes of a functional graph: `keras.ops.not_equal(x, 0)` (which Keras 3 itself
 * inserts for an Embedding's `mask_zero`), `x + y`, `keras.ops.exp(x)`. Their entries carry
 * `"module": "keras.src.ops.numpy"` (or `.core`, `.nn`, …) and the operation's class name (`NotEqual`, `Add`,
 * `Exp`), which may equal a layer's (`Add`): the module tells them apart. An operation owns no weights; its
 * output shape is the inputs' broadcast for element-wise operations, else left to the shapes its consumers
 * record (`__keras_tensor__` configs).
 */
import type {Json} from '../json.js'
import type {Dim} from '../graph/summary-types.js'
import type {LayerRule, Shape} from './types.js'

/** True for the `module` of a saved Keras 3 operation. */
export function isOperation(module: Json | undefined): boolean {
  return typeof module === 'string' && module.startsWith('keras.src.ops.')
}

/** Element-wise operations of keras.ops (numpy and nn) whose output is the broadcast of their tensor inputs. */
const ELEMENTWISE = new Set([
  'Abs', 'Absolute', 'Add', 'Subtract', 'Multiply', 'Divide', 'TrueDivide', 'FloorDivide', 'Mod', 'Power', 'Negative',
  'Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr', 'LogicalNot', 'LogicalXor',
  'Maximum', 'Minimum', 'Exp', 'Expm1', 'Log', 'Log1p', 'Log2', 'Log10', 'Sqrt', 'Square', 'Sign', 'Sin', 'Cos', 'Tan',
  'Tanh', 'Sinh', 'Cosh', 'Arctan', 'Floor', 'Ceil', 'Round', 'Clip', 'Where', 'Cast', 'Relu', 'Relu6', 'Sigmoid',
  'Softplus', 'Softsign', 'Silu', 'Gelu', 'Elu', 'Selu', 'LeakyRelu', 'HardSigmoid', 'Reciprocal', 'Rsqrt',
])

/** NumPy broadcasting of shapes (batch included); null when a pair of known sizes cannot broadcast. */
export function broadcast(shapes: readonly Shape[]): Shape | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length))
  const out: Dim[] = []
  for (let i = 0; i < rank; i++) {
    let dim: Dim = 1
    for (const s of shapes) {
      const d = s[s.length - rank + i]
      if (d === undefined || d === 1) continue
      if (d === null) dim = dim === 1 ? null : dim
      else if (dim === 1 || dim === null) dim = d
      else if (dim !== d) return null
    }
    out.push(dim)
  }
  return out
}

/** Any saved operation: no weights; element-wise ones broadcast their tensor inputs. */
export const operation: LayerRule = (input) => {
  const shapes = input.inputs
  if (!ELEMENTWISE.has(input.class_name) || shapes.length === 0 || shapes.some((s) => s === null)) return {outputs: [null], weights: []}
  return {outputs: [broadcast(shapes as Shape[])], weights: []}
}
