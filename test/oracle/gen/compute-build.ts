/** The compute cases' types and the builders every gen/compute-*.ts family uses. */
import type {OracleCase} from '../harness.js'

/** One model input: its shape without the batch axis; floats uniform in `range`, integers in [lo, hi). */
export interface InputSpec {
  name: string
  shape: number[]
  dtype?: string
  range?: [number, number]
  /** Values written over the drawn ones (compute.py): x[...index] = value, e.g. whole masked timesteps. */
  set?: Array<{index: number[]; value: number}>
}

/** The Keras-side model spec (test/oracle/py/common.py). */
export interface ModelSpecCase {
  kind: 'sequential' | 'functional'
  name: string
  inputs: InputSpec[]
  layers: Array<{name: string; class_name: string; args?: Record<string, unknown>; model?: ModelSpecCase}>
  /** `extra_args`: tensors passed positionally after the inputs (MultiHeadAttention's value, key). */
  nodes?: Array<{layer: string; inputs: string | string[]; extra_args?: string[]; kwargs?: Record<string, unknown>; output: string | string[]}>
  outputs?: string[]
}

export interface ComputeCase extends OracleCase {
  model: ModelSpecCase
  batch?: number
}

export type Args = Record<string, unknown>
/** A layer as a builder takes it: [class, args]. */
export type LayerOf = readonly [string, Args]
/** Input options of the one-input builders. */
export interface InputOptions {
  range?: [number, number]
  dtype?: string
  set?: InputSpec['set']
  batch?: number
}

/** A stable seed per case id (FNV-1a): adding or removing a case leaves every other case's draws alone. */
export function seedOf(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0
  return h % 2_147_483_647
}

const isLayerArg = (v: unknown): v is {class_name: string; args: Args} => typeof v === 'object' && v !== null && 'class_name' in v && 'args' in v
const argText = (args: Args): string => Object.entries(args).map(([k, v]) => `${k}=${text(v)}`).join(',')
/** An argument as ids show it: strings bare, nested layers as `Class(k=v)`, the rest as JSON. */
function text(v: unknown): string {
  if (typeof v === 'string') return v
  if (isLayerArg(v)) return `${v.class_name}(${argText(v.args)})`
  if (Array.isArray(v) && v.some(isLayerArg)) return `[${v.map(text).join(',')}]`
  return JSON.stringify(v)
}
/** `Class/k=v,k=v`: the case id for a class and the arguments that make the case. */
export const idOf = (className: string, args: Args): string => {
  const parts = argText(args)
  return parts === '' ? `${className}/default` : `${className}/${parts}`
}

function inputOf(shape: number[], o: InputOptions): InputSpec {
  return {name: 'x', shape, ...(o.dtype === undefined ? {} : {dtype: o.dtype}), ...(o.range === undefined ? {} : {range: o.range}), ...(o.set === undefined ? {} : {set: o.set})}
}

/** A Sequential of the given layers on one input of `shape`. */
export function stack(id: string, shape: number[], layers: readonly LayerOf[], o: InputOptions = {}): ComputeCase {
  return {
    id,
    seed: seedOf(id),
    model: {
      kind: 'sequential',
      name: 'm',
      inputs: [inputOf(shape, o)],
      layers: layers.map(([className, args], i) => ({name: layers.length === 1 ? 'l' : `l${i}`, class_name: className, args})),
    },
    ...(o.batch === undefined ? {} : {batch: o.batch}),
  }
}

/** A one-layer Sequential whose id is the class and its arguments (plus `suffix` to tell input shapes apart). */
export function one(className: string, args: Args, shape: number[], o: InputOptions = {}, suffix = ''): ComputeCase {
  return stack(`${idOf(className, args)}${suffix}`, shape, [[className, args]], o)
}

/** A functional case: named inputs, layers, nodes calling them, outputs (several outputs: a multi-output model). */
export function graph(id: string, inputs: InputSpec[], layers: ModelSpecCase['layers'], nodes: NonNullable<ModelSpecCase['nodes']>, outputs: string[]): ComputeCase {
  return {id, seed: seedOf(id), model: {kind: 'functional', name: 'm', inputs, layers, nodes, outputs}}
}

/** A layer spec as an argument value (Bidirectional's / TimeDistributed's `layer`, RNN's `cell`). */
export const nested = (className: string, args: Args): {class_name: string; args: Args} => ({class_name: className, args})
