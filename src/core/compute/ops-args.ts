/**
 * The arguments of a saved Keras 3 operation call, bound to the operation's `call` parameters as Python binds
 * them: the node's positional `args` in order (tensors are the call's input tensors, in the order the executor
 * collects them; numbers, bools, None, slices and lists as saved), then its keyword arguments by name (tensors
 * from `kwargs`, the rest from `call_kwargs`). The operation's constructor arguments (`axis`, `keepdims`,
 * `dtype`, …) are its config.
 *
 * A required argument the saved call lacks is refused by name, never guessed.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type Json, isArray, isObject} from '../json.js'
import type {ComputeCall} from './types.js'

/** One bound argument: a tensor, a saved JSON value, or a list of them (`concatenate([x, y])`). */
export type Arg = Tensor | Json | Arg[]

/** True for a tfjs tensor. */
export function isTensor(value: Arg | undefined): value is Tensor {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'dtype' in value && 'shape' in value && typeof (value as {dataSync?: unknown}).dataSync === 'function'
}

/** True for a saved `__keras_tensor__` reference. */
const isSavedTensor = (v: Json): boolean => isObject(v) && v.class_name === '__keras_tensor__'

/** Replaces each saved tensor in `v` (depth first) by the next of `tensors`. */
function substitute(v: Json, tensors: Tensor[], at: {i: number}): Arg {
  if (isSavedTensor(v)) {
    const t = tensors[at.i++]
    if (t === undefined) throw new BackendError('KM_BACKEND_GRAPH', 'A saved operation names more tensors than reached it.')
    return t
  }
  if (isArray(v)) return v.map((x) => substitute(x, tensors, at))
  // Tensors inside a dict argument stay as saved; they still take their places in the executor's order.
  if (isObject(v)) Object.values(v).forEach((x) => substitute(x, tensors, at))
  return v
}

/**
 * The call's positional arguments: a Keras 3 node's saved `args` with tensors substituted in order; a legacy
 * (tf-keras) node's positional arguments are its tensors.
 */
export function positionalArgs(c: ComputeCall): Arg[] {
  if (c.generation !== 'keras3' && c.call_args.length === 0) return [...c.inputs]
  const at = {i: 0}
  return c.call_args.map((v) => substitute(v, c.inputs, at))
}

/**
 * Binds the call to the parameter names of the operation's `call` (`['x1', 'x2']`, `['condition', 'x1', 'x2']`):
 * positional first, then keyword tensors and keyword values by name. Missing parameters are undefined.
 */
export function bindArgs(c: ComputeCall, params: readonly string[]): Record<string, Arg | undefined> {
  const args = positionalArgs(c)
  const out: Record<string, Arg | undefined> = {}
  params.forEach((name, i) => {
    out[name] = i < args.length ? args[i] : c.kwargs[name] ?? c.call_kwargs[name]
  })
  return out
}

/** The refusal for an operation argument kmodel was not handed or does not compute. */
export function opRefusal(c: ComputeCall, arg: string, why: string): BackendError {
  return new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Keras operation ${c.class_name}: argument '${arg}' ${why}.`, {
    hint: 'summary and to-json still work; rebuild the model with layers in place of this operation to compute it.',
  })
}

/** A required argument; refuses naming it when the saved call lacks it (Keras raises then). */
export function required(c: ComputeCall, bound: Record<string, Arg | undefined>, name: string): Arg {
  const v = bound[name]
  if (v === undefined) throw opRefusal(c, name, 'is missing from the saved call (Keras raises)')
  return v
}
