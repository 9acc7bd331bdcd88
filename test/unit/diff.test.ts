import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {diffModels} from '../../src/core/diff.js'
import {summarize} from '../../src/core/graph/summarize.js'
import {convertModel} from '../../src/core/model/dialect.js'
import {readModel} from '../../src/core/read.js'
import {fixture} from '../helpers/paths.js'
import {readDoc} from '../helpers/read.js'

const both = (m: Awaited<ReturnType<typeof readModel>>['model']) => ({model: m, summary: summarize(m)})
type Doc = {config: {layers: Array<{name: string; config: Record<string, unknown>; inbound_nodes: unknown}>; output_layers: unknown}}

describe('diffModels', () => {
  it('finds nothing between a model and itself, or its Keras 3 conversion', async () => {
    const {model} = await readModel(fixture('siamese-tfkeras212.json'))
    expect(diffModels(both(model), both(model)).same).toBe(true)
    const k3 = await readDoc(convertModel(model, 'keras3').document)
    const d = diffModels(both(model), both(k3.model))
    expect(d.changed).toEqual([])
    expect(d.same).toBe(true)
  })

  it('reports a changed argument, its shape and parameter consequences, a rename and an addition', async () => {
    const {model} = await readModel(fixture('siamese-tfkeras212.json'))
    const doc = JSON.parse(readFileSync(fixture('siamese-tfkeras212.json'), 'utf8')) as Doc
    const layers = doc.config.layers
    const embedding = layers[5]
    if (embedding !== undefined) embedding.config.units = 6
    const score = layers[4]
    if (score !== undefined) {
      score.name = 'probability'
      score.config.name = 'probability'
    }
    layers.push({name: 'extra', config: {name: 'extra', units: 2}, inbound_nodes: [[['concat', 0, 0, {}]]], class_name: 'Dense'} as never)
    doc.config.output_layers = [['probability', 0, 0], ['embedding', 0, 0], ['extra', 0, 0]]
    const b = await readDoc(doc)
    const d = diffModels(both(model), both(b.model))
    expect(d.same).toBe(false)
    expect(d.added).toEqual(['extra'])
    expect(d.removed).toEqual([])
    expect(d.changed.find((c) => c.a === 'score')).toMatchObject({b: 'probability', renamed: true, config: []})
    expect(d.changed.find((c) => c.a === 'embedding')).toMatchObject({
      outputShape: {a: [null, 4], b: [null, 6]}, params: {a: 68, b: 102}, config: [{path: 'units', a: 4, b: 6}],
    })
    expect(d.totals).toEqual({a: 221, b: 221 + 34 + 34})
  })

  it('compares weights tensor by tensor', async () => {
    const {model} = await readModel(fixture('mlp-tfkeras212.json'))
    const t = (v: number) => new Map([['dense', [{name: 'kernel', shape: [2], data: new Float32Array([1, v])}]]])
    expect(diffModels(both(model), both(model), {a: t(2), b: t(2)}).same).toBe(true)
    const d = diffModels(both(model), both(model), {a: t(2), b: t(2.5)})
    expect(d.weights).toEqual([{layer: 'dense', weight: 'kernel', shapeA: [2], shapeB: [2], maxAbsDiff: 0.5, meanAbsDiff: 0.25}])
  })

  it('a tensor only one side has is a difference, whichever side has it', async () => {
    const {model} = await readModel(fixture('mlp-tfkeras212.json'))
    const kernel = {name: 'kernel', shape: [2], data: new Float32Array([1, 2])}
    const withBias = new Map([['dense', [kernel, {name: 'bias', shape: [1], data: new Float32Array([0])}]]])
    const without = new Map([['dense', [kernel]]])
    const missing = {layer: 'dense', weight: 'bias', maxAbsDiff: null, meanAbsDiff: null}
    const gained = diffModels(both(model), both(model), {a: without, b: withBias})
    expect(gained.same).toBe(false)
    expect(gained.weights).toEqual([{...missing, shapeA: [], shapeB: [1]}])
    const lost = diffModels(both(model), both(model), {a: withBias, b: without})
    expect(lost.same).toBe(false)
    expect(lost.weights).toEqual([{...missing, shapeA: [1], shapeB: []}])
  })

  it('reports a change inside a nested model, where the top-level rows are the same', async () => {
    const dense = (units: number) => ({class_name: 'Dense', config: {name: 'd', units: 2, activation: units === 2 ? 'linear' : 'relu', batch_input_shape: [null, 3]}})
    const nest = (inner: unknown) => ({class_name: 'Sequential', config: {name: 'outer', layers: [{class_name: 'Sequential', config: {name: 'inner', layers: [inner]}}]}, keras_version: '2.15.0'})
    const a = await readDoc(nest(dense(2)))
    const b = await readDoc(nest(dense(3)))
    expect(diffModels(both(a.model), both(a.model)).same).toBe(true)
    const d = diffModels(both(a.model), both(b.model))
    expect(d.same).toBe(false)
    expect(d.changed).toMatchObject([{a: 'inner', outputShape: null, params: null, config: [{path: 'layers[0].config.activation', a: 'linear', b: 'relu'}]}])
  })

  it('reports rewired inputs, and not the names of renamed layers upstream', async () => {
    const input = (name: string) => ({class_name: 'InputLayer', name, config: {name, batch_input_shape: [null, 4]}, inbound_nodes: []})
    const dense = (name: string, from: string) => ({class_name: 'Dense', name, config: {name, units: 4}, inbound_nodes: [[[from, 0, 0, {}]]]})
    const model = (x: string, wiring: [string, string]) => ({
      class_name: 'Functional', keras_version: '2.15.0',
      config: {name: 'm', layers: [input(x), dense('d1', x), dense('d2', wiring[0]), dense('d3', wiring[1])], input_layers: [[x, 0, 0]], output_layers: [['d3', 0, 0]]},
    })
    const a = await readDoc(model('x', ['d1', 'd2']))
    const renamed = await readDoc(model('inp', ['d1', 'd2']))
    const rewired = await readDoc(model('x', ['x', 'd1']))
    const r = diffModels(both(a.model), both(renamed.model))
    expect(r.changed.map((c) => [c.a, c.b, c.connections])).toEqual([['x', 'inp', null]])
    const w = diffModels(both(a.model), both(rewired.model))
    expect(w.same).toBe(false)
    expect(w.changed.map((c) => [c.a, c.connections])).toEqual([['d2', {a: ['d1[0][0]'], b: ['x[0][0]']}], ['d3', {a: ['d2[0][0]'], b: ['d1[0][0]']}]])
  })
})
