/** Suite a (compute): one case per built-in class and argument variant (seeded). Extended by the compute suite. */
import type {OracleCase} from '../harness.js'

/** The Keras-side model spec (test/oracle/py/common.py). */
export interface ModelSpecCase {
  kind: 'sequential' | 'functional'
  name: string
  inputs: Array<{name: string; shape: number[]; dtype?: string; range?: [number, number]}>
  layers: Array<{name: string; class_name: string; args?: Record<string, unknown>; model?: ModelSpecCase}>
  nodes?: Array<{layer: string; inputs: string | string[]; kwargs?: Record<string, unknown>; output: string | string[]}>
  outputs?: string[]
}

export interface ComputeCase extends OracleCase {
  model: ModelSpecCase
  batch?: number
}

const seq = (id: string, seed: number, shape: number[], className: string, args: Record<string, unknown>): ComputeCase => ({
  id, seed, model: {kind: 'sequential', name: 'm', inputs: [{name: 'x', shape}], layers: [{name: 'l', class_name: className, args}]},
})

export function computeCases(): ComputeCase[] {
  return [
    seq('Dense/units=3,relu', 1, [4], 'Dense', {units: 3, activation: 'relu'}),
    seq('ReLU/max_value=0.5,negative_slope=0.1,threshold=0.2', 2, [6], 'ReLU', {max_value: 0.5, negative_slope: 0.1, threshold: 0.2}),
  ]
}
