/**
 * Compute of Keras 3 operations saved as nodes of a functional graph (`module: keras.src.ops.*`, see
 * src/core/layers/ops.ts): `keras.ops.not_equal(x, 0)` (Keras 3's own mask of an Embedding with mask_zero),
 * `x + y`, `x[1:]`, `keras.ops.mean(x, axis=1)`, …, keyed by the operation's class name as saved. Each reads
 * its constructor arguments from the config and its call arguments as bound by ops-args.ts. Operations carry
 * no Keras masks. An operation in neither table is refused by name by the executor.
 */
import {getItem} from './ops-index.js'
import {MATH_COMPUTE} from './ops-math.js'
import {SHAPE_COMPUTE} from './ops-shape.js'
import type {ComputeTable, RefusalTable} from './types.js'

/** Every computed operation, by saved class name. */
export const OPS_COMPUTE: ComputeTable = {
  ...MATH_COMPUTE,
  ...SHAPE_COMPUTE,
  GetItem: {call: getItem},
}

/** Operations kmodel refuses with a reason (others it lacks are refused by name). */
export const OPS_REFUSED: RefusalTable = {
  Einsum: 'kmodel does not compute saved einsum operations (tfjs einsum lacks repeated and broadcast subscripts)',
  Map: 'the operation runs a Python function, which kmodel never runs',
  Scan: 'the operation runs a Python function, which kmodel never runs',
  AssociativeScan: 'the operation runs a Python function, which kmodel never runs',
  Switch: 'the operation runs Python branches, which kmodel never runs',
  Cond: 'the operation runs Python branches, which kmodel never runs',
  WhileLoop: 'the operation runs a Python loop body, which kmodel never runs',
  ForiLoop: 'the operation runs a Python loop body, which kmodel never runs',
  VectorizedMap: 'the operation runs a Python function, which kmodel never runs',
}
