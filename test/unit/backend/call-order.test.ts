/**
 * tfjs-layers builds a shared layer's calls in the order their inputs become available and resolves saved node
 * indices against that order; Keras maps the saved indices. The fuzz runs found models where the two differ
 * (fuzz-0321, fuzz-0848: outputs 2–49 % away from Keras's, exit 0): kmodel must refuse them, and only them.
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import type {JsonObject} from '../../../src/core/json.js'
import {callOrderProblem, refuseCallOrder} from '../../../src/core/backend/call-order.js'
import {fixture} from '../../helpers/paths.js'

const node = (...refs: Array<[string, number]>) => [refs.map(([name, index]) => [name, index, 0, {}])]
const layer = (name: string, class_name: string, inbound: unknown[] = []) => ({class_name, name, config: {name}, inbound_nodes: inbound})

/** fuzz-0848's shape: the shared pooling layer's saved call 0 takes `dense`, which is listed after it. */
const outOfOrder: JsonObject = {
  class_name: 'Functional',
  config: {
    name: 'm',
    layers: [
      layer('x', 'InputLayer'),
      layer('pool', 'MaxPooling2D', node(['x', 0])),
      {...layer('gap', 'GlobalAveragePooling2D'), inbound_nodes: [...node(['dense', 0]), ...node(['pool', 0])]},
      layer('after', 'Dense', node(['gap', 1])),
      layer('dense', 'Dense', node(['pool', 0])),
    ],
    input_layers: [['x', 0, 0]],
    output_layers: [['after', 0, 0], ['gap', 0, 0]],
  },
} as unknown as JsonObject

describe('the call order tfjs would build', () => {
  it('names the shared layer whose saved calls tfjs would swap', () => {
    expect(callOrderProblem(outOfOrder.config as JsonObject)).toBe("layer 'gap': its saved call 1 would be built as call 0")
    expect(() => refuseCallOrder(outOfOrder, 'm')).toThrow(/out of their saved order.*layer 'gap'/)
  })
  it('accepts the same model with the producer listed first (tfjs then builds the calls in saved order)', () => {
    const layers = (outOfOrder.config as {layers: unknown[]}).layers
    const reordered = {...(outOfOrder.config as JsonObject), layers: [layers[0], layers[1], layers[4], layers[2], layers[3]]} as unknown as JsonObject
    expect(callOrderProblem(reordered)).toBeNull()
  })
  it('accepts real shared layers and nested models called twice', () => {
    for (const file of ['siamese-tfkeras212.json', 'nested-twice-tfkeras.json', 'nested-tfkeras212.json']) {
      const doc = JSON.parse(readFileSync(fixture(file), 'utf8')) as JsonObject
      expect(callOrderProblem(doc.config as JsonObject), file).toBeNull()
    }
  })
})
