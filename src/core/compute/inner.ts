/**
 * Runs a layer given as a raw `{class_name, config}` inside another layer's call (a wrapper's `layer`, an RNN's
 * `cell`): the same compute function a top-level layer of that class gets, with the weights the outer layer
 * hands over and the shapes the shape engine gives for the inner call.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {type Json, isObject} from '../json.js'
import {evaluateLayer} from '../layers/index.js'
import type {Shape} from '../layers/types.js'
import {lookupCompute} from './refuse.js'
import type {ComputeCall, ComputeOutput, InnerOptions, RunContext} from './types.js'

const shapeOf = (t: Tensor): Shape => [null, ...t.shape.slice(1)]

/** Runs `entry` on `inputs` as a nested call of `outer`. */
export function runInner(ctx: RunContext, outer: ComputeCall, entry: Json | undefined, inputs: Tensor[], options: InnerOptions): ComputeOutput {
  if (!isObject(entry) || typeof entry.class_name !== 'string') throw new BackendError('KM_BACKEND_GRAPH', `A ${outer.class_name} layer holds no layer config to run.`)
  const config = isObject(entry.config) ? entry.config : {}
  const fn = lookupCompute(entry.class_name, entry.module)
  if (fn === undefined) throw new BackendError('KM_BACKEND_UNSUPPORTED_LAYER', `The ${entry.class_name} inside a ${outer.class_name} layer is not computed by kmodel.`)
  const input_shapes = inputs.map(shapeOf)
  const rule = evaluateLayer({class_name: entry.class_name, config, inputs: input_shapes, dialect: ctx.generation, keras_version: ctx.keras_version})
  const stateBase = `inner\u0000${outer.config.name as string}\u0000${options.stateKey ?? ''}`
  const c: ComputeCall = {
    ...outer,
    class_name: entry.class_name, config, inputs, input_shapes, output_shapes: rule.outputs ?? [],
    masks: options.masks ?? inputs.map(() => null), kwargs: options.kwargs ?? {}, kwarg_masks: options.kwarg_masks ?? {}, call_kwargs: options.call_kwargs ?? {}, call_args: [], weights: options.weights,
    inner: (e, t, o) => runInner(ctx, c, e, t, o),
    state: {get: (k) => ctx.states.get(`${stateBase}\u0000${k}`), set: (k, v) => { ctx.states.set(`${stateBase}\u0000${k}`, v) }},
  }
  const out = fn.call(c)
  if (out.masks !== undefined) return out
  const pass = fn.passMask === true && out.outputs.length === 1
  return {outputs: out.outputs, masks: out.outputs.map(() => (pass ? c.masks[0] ?? null : null))}
}
