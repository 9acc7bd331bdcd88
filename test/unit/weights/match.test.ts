import {describe, expect, it} from 'vitest'
import type {WeightInfo} from '../../../src/core/graph/summary-types.js'
import {type ExpectedLayer, matchWeights} from '../../../src/core/weights/match.js'
import type {LayerWeights, WeightsFile} from '../../../src/core/weights/types.js'

const w = (name: string, ...shape: number[]): WeightInfo => ({name, shape, dtype: 'float32', trainable: true})
const dense = (name: string, i: number, o: number): ExpectedLayer => ({name, class_name: 'Dense', weights: [w('kernel', i, o), w('bias', o)]})
const t = (name: string, ...shape: number[]) => ({name, shape, dtype: 'float32' as const, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(shape.length)})
const saved = (name: string, i: number, o: number): LayerWeights => ({name, path: `/${name}`, name_is_layer_name: true, weights: [t(`${name}/kernel:0`, i, o), t(`${name}/bias:0`, o)]})
const empty = (name: string): LayerWeights => ({name, path: `/${name}`, name_is_layer_name: true, weights: []})
const file = (...layers: LayerWeights[]): WeightsFile => ({layout: 'keras2', source: 'w.h5', keras_version: '2.0.8', backend: 'tensorflow', layers, top_level: []})
const model = [dense('dense_1', 8, 12), {name: 'dropout_1', class_name: 'Dropout', weights: []}, dense('dense_2', 12, 1)]

describe('matchWeights by order', () => {
  it('pairs layers with weights in order, ignoring names and weightless layers', () => {
    const {assignments, report} = matchWeights(model, file(saved('dense_4', 8, 12), empty('dropout_9'), saved('dense_5', 12, 1)), {mode: 'order', skipMismatch: false})
    expect(assignments.map((a) => [a.layer, a.file_layer, a.weights.map((x) => x.name)])).toEqual([['dense_1', 'dense_4', ['kernel', 'bias']], ['dense_2', 'dense_5', ['kernel', 'bias']]])
    expect(report).toEqual({mode: 'order', matched: [{layer: 'dense_1', fileLayer: 'dense_4', weights: 2}, {layer: 'dense_2', fileLayer: 'dense_5', weights: 2}], skipped: [], mismatched: []})
  })

  it('refuses a different layer count as Keras does', () => {
    expect(() => matchWeights(model, file(saved('dense_4', 8, 12)), {mode: 'order', skipMismatch: false})).toThrowError('Layer count mismatch when loading w.h5: the model has 2 layers with weights, the file has 1.')
  })

  it('refuses a shape mismatch with both shapes, or skips and reports it with --skip-mismatch', () => {
    const f = file(saved('a', 8, 12), saved('b', 12, 3))
    expect(() => matchWeights(model, f, {mode: 'order', skipMismatch: false})).toThrowError('Shape mismatch in layer #1 (named dense_2 in the current model, b in the save file) for weight kernel: the layer expects (12, 1), the file has (12, 3).')
    const {assignments, report} = matchWeights(model, f, {mode: 'order', skipMismatch: true})
    expect(assignments.map((a) => a.layer)).toEqual(['dense_1'])
    expect(report.mismatched).toEqual([{layer: 'dense_2', weight: 'kernel', expected: [12, 1], found: [12, 3]}, {layer: 'dense_2', weight: 'bias', expected: [1], found: [3]}])
    expect(report.skipped[0]?.layer).toBe('dense_2')
  })

  it('refuses a weight count mismatch', () => {
    const one = {...saved('a', 8, 12), weights: [t('a/kernel:0', 8, 12)]}
    expect(() => matchWeights(model, file(one, saved('b', 12, 1)), {mode: 'order', skipMismatch: false})).toThrowError(/Weight count mismatch for layer #0 .* expects 2 weight\(s\), the file has 1/)
  })

  it('takes a custom layer\'s weights as they are', () => {
    const custom: ExpectedLayer = {name: 'clustering', class_name: 'ClusteringLayer', weights: null}
    const {report} = matchWeights([custom], file({name: 'clustering', path: '/c', name_is_layer_name: true, weights: [t('clusters', 10, 4)]}), {mode: 'order', skipMismatch: false})
    expect(report.matched).toEqual([{layer: 'clustering', fileLayer: 'clustering', weights: 1}])
  })
})

describe('matchWeights by name', () => {
  it('loads matching names and reports every layer it could not load', () => {
    const {assignments, report} = matchWeights(model, file(saved('dense_1', 8, 12), saved('dense_9', 12, 1)), {mode: 'name', skipMismatch: false})
    expect(assignments.map((a) => a.layer)).toEqual(['dense_1'])
    expect(report.skipped).toEqual([
      {layer: null, fileLayer: 'dense_9', reason: "no layer named 'dense_9' in the model"},
      {layer: 'dense_2', fileLayer: null, reason: "no weights named 'dense_2' in the file: left unloaded"},
    ])
  })

  it('refuses Keras 3 files without layer names', () => {
    const k3 = file({...saved('dense_1', 8, 12), name_is_layer_name: false})
    expect(() => matchWeights(model, k3, {mode: 'name', skipMismatch: false})).toThrowError(/cannot be loaded by name/)
  })
})
