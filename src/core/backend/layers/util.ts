/** Small helpers shared by the Keras layers kmodel registers into tfjs. */
import type {Tensor, serialization} from '@tensorflow/tfjs-core'
import type {Shape} from '@tensorflow/tfjs-layers'
import {BackendError} from '../../errors.js'

/** A layer's camel-cased config as tfjs hands it to a constructor (after convertPythonicToTs). */
export type ConfigDict = serialization.ConfigDict
/** A class kmodel registers into tfjs's serialization registry. */
export type RegisteredClass = serialization.SerializableConstructor<serialization.Serializable>

/** tfjs's `kwargs` of Layer.call. */
export type {Kwargs} from '@tensorflow/tfjs-layers/dist/types.js'

/** The one tensor a single-input layer receives (tfjs may wrap it in a one-element list). */
export function oneTensor(inputs: Tensor | Tensor[], layer: string): Tensor {
  const list = Array.isArray(inputs) ? inputs : [inputs]
  const first = list[0]
  if (list.length !== 1 || first === undefined) throw new BackendError('KM_BACKEND_CALL', `Layer '${layer}' expects one input tensor, got ${list.length}.`)
  return first
}

/** The one shape a single-input layer receives. */
export function oneShape(shape: Shape | Shape[]): Shape {
  const first = shape[0]
  return Array.isArray(first) ? first : (shape as Shape)
}

/** A Keras int-or-pair argument (`padding=1` or `padding=(1, 2)`) as a pair. */
export function intPair(value: unknown, fallback: [number, number], what: string): [number, number] {
  if (value === undefined || value === null) return fallback
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return [value, value]
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) return [value[0] as number, value[1] as number]
  throw new BackendError('KM_BACKEND_CONFIG', `${what} must be a non-negative integer or a pair of them, got ${JSON.stringify(value)}.`)
}

/** A positive integer config value. */
export function positiveInt(value: unknown, fallback: number, what: string): number {
  if (value === undefined || value === null) return fallback
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value
  throw new BackendError('KM_BACKEND_CONFIG', `${what} must be a positive integer, got ${JSON.stringify(value)}.`)
}

/** `channelsFirst` (camel-cased `channels_first`) or the default channels-last. */
export function channelsFirst(value: unknown): boolean {
  return value === 'channelsFirst' || value === 'channels_first'
}
