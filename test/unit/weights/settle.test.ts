/**
 * summary's settling of unknown counts from saved weights (issue 12.3): matched by the names the file records,
 * by order only when the names are not the model's, never an abort, and a nested model counted once.
 * The real-Keras end of it is test/unit/graph/keras-custom-fixtures.test.ts.
 */
import {describe, expect, it} from 'vitest'
import {settleFromCounts} from '../../../src/core/graph/fill-weights.js'
import {summarize} from '../../../src/core/graph/summarize.js'
import type {ModelSpec} from '../../../src/core/model/spec.js'
import {matchFileLayers} from '../../../src/core/weights/settle.js'
import type {LayerWeights, WeightsFile} from '../../../src/core/weights/types.js'
import {functionalGraph, input, layer, model, nested, node} from '../graph/builders.js'

const t = (name: string, ...shape: number[]) => ({name, shape, dtype: 'float32' as const, data: new Float32Array(shape.reduce((a, b) => a * b, 1))})
const saved = (name: string, ...shapes: number[][]): LayerWeights => ({name, path: `/model_weights/${name}`, name_is_layer_name: true, weights: shapes.map((s, i) => t(`${name}/w${i}`, ...s))})
const h5 = (...layers: LayerWeights[]): WeightsFile => ({layout: 'keras2', source: 'm.h5', keras_version: '2.21.0', backend: 'tensorflow', layers, top_level: []})

/** x → Dense(4) 'hidden' → custom weightless 'l2norm' → custom 'scale' → Dense(2) 'head'. */
function customMlp(): ModelSpec {
  return model('Functional', 'm', functionalGraph([
    input('x', [null, 3]),
    layer('Dense', 'hidden', {units: 4}, [node([['x', 0, 0]])]),
    layer('L2Norm', 'l2norm', {}, [node([['hidden', 0, 0]])]),
    layer('Scale', 'scale', {}, [node([['l2norm', 0, 0]])]),
    layer('Dense', 'head', {units: 2}, [node([['scale', 0, 0]])]),
  ], [['x', 0, 0]], [['head', 0, 0]]))
}

/** What the file of customMlp holds, weightless layers included (as legacy `layer_names` lists them). */
const customFile = (): WeightsFile => h5(saved('x'), saved('hidden', [3, 4], [4]), saved('l2norm'), saved('scale', [4]), saved('head', [4, 2], [2]))

function settle(spec: ModelSpec, file: WeightsFile) {
  const summary = summarize(spec)
  const match = matchFileLayers(spec, summary, file)
  const settled = settleFromCounts(summary, match.counts, file.source)
  return {mode: match.mode, summary: settled.summary, warnings: [...match.warnings, ...settled.warnings]}
}

describe('settling custom layers from the file\'s weights', () => {
  it('matches by the recorded layer names where the order would not line up (a weightless custom layer)', () => {
    const {mode, summary, warnings} = settle(customMlp(), customFile())
    expect(mode).toBe('name')
    expect(warnings).toEqual([])
    expect(summary.rows.map((r) => [r.name, r.params])).toEqual([['x', 0], ['hidden', 16], ['l2norm', 0], ['scale', 4], ['head', 10]])
    expect(summary.total_params).toBe(30)
    expect(summary.total_bytes).toBe(120)
    expect(summary.params_exact).toBe(true)
  })

  it('a layer the file has no record of keeps the engine\'s numbers (unknown)', () => {
    const file = customFile()
    const {summary, warnings} = settle(customMlp(), {...file, layers: file.layers.filter((l) => l.name !== 'l2norm')})
    expect(warnings).toEqual([])
    expect(summary.rows.find((r) => r.name === 'l2norm')?.params).toBeNull()
    expect(summary.total_params).toBe(30)
    expect(summary.params_exact).toBe(false)
  })

  it('a known layer whose saved weights differ is a warning; the engine\'s count is kept', () => {
    const file = customFile()
    const {summary, warnings} = settle(customMlp(), {...file, layers: file.layers.map((l) => (l.name === 'hidden' ? saved('hidden', [3, 5], [5]) : l))})
    expect(warnings).toEqual([{path: 'm.h5:/model_weights/hidden', message: "the saved weights of layer 'hidden' (Dense) hold 20 parameters, the architecture gives 16 parameters: the architecture's count is kept."}])
    expect(summary.rows.find((r) => r.name === 'hidden')?.params).toBe(16)
    expect(summary.total_params).toBe(30)
  })

  it('weights saved by another instance (other names) pair by order when the order lines up', () => {
    const file = h5(saved('dense_7', [3, 4], [4]), saved('scale_2', [4]), saved('dense_8', [4, 2], [2]))
    const spec = model('Functional', 'm', functionalGraph([
      input('x', [null, 3]),
      layer('Dense', 'hidden', {units: 4}, [node([['x', 0, 0]])]),
      layer('Scale', 'scale', {}, [node([['hidden', 0, 0]])]),
      layer('Dense', 'head', {units: 2}, [node([['scale', 0, 0]])]),
    ], [['x', 0, 0]], [['head', 0, 0]]))
    const {mode, summary, warnings} = settle(spec, file)
    expect(mode).toBe('order')
    expect(warnings).toEqual([])
    expect(summary.rows.find((r) => r.name === 'scale')?.params).toBe(4)
  })

  it('other names and an order that does not line up: a warning, never an abort', () => {
    const file = h5(saved('dense_7', [3, 4], [4]), saved('scale_2', [4]), saved('dense_8', [4, 2], [2]))
    const {mode, summary, warnings} = settle(customMlp(), file)
    expect(mode).toBe('none')
    expect(warnings[0]?.message).toMatch(/its 3 layers with weights do not line up by order with the model's 4: layers of unknown size stay unknown/)
    expect(summary.params_exact).toBe(false)
    expect(summary.total_params).toBe(16) // only 'hidden' is known: the layers after the custom ones have unknown inputs
  })

  it('a file layer the model does not have is reported, the others are matched by name', () => {
    // By order, 'hidden' (16 parameters) would get the stray's 5: the order does not line up, the names do.
    const {mode, summary, warnings} = settle(customMlp(), {...customFile(), layers: [saved('stray', [5]), ...customFile().layers]})
    expect(mode).toBe('name')
    expect(warnings).toEqual([{path: 'm.h5', message: "m.h5 holds weights for a layer the model does not have ('stray'); it is not counted."}])
    expect(summary.total_params).toBe(30)
  })

  it('Keras 3 files before 3.6 (group keys, no recorded names) are matched through the model\'s keys', () => {
    const k3 = (key: string, ...shapes: number[][]): LayerWeights => ({...saved(key, ...shapes), path: `/layers/${key}`, name_is_layer_name: false})
    const file: WeightsFile = {layout: 'keras3', source: 'm.weights.h5', keras_version: null, backend: null, top_level: [],
      layers: [k3('dense', [3, 4], [4]), k3('dense_1', [4, 2], [2]), k3('input_layer'), k3('l2_norm'), k3('scale', [4])]}
    const {mode, summary, warnings} = settle(customMlp(), file)
    expect(mode).toBe('name')
    expect(warnings).toEqual([])
    expect(summary.rows.map((r) => r.params)).toEqual([0, 16, 0, 4, 10])
  })
})

describe('a nested model with a custom layer counts once', () => {
  /** The VAE shape: an encoder (Dense + custom weightless Sampling) on the outer input, a decoder called twice. */
  function vae(sampling = 'Sampling'): ModelSpec {
    const encoder = nested('Functional', 'encoder', functionalGraph([
      input('x', [null, 6]),
      layer('Dense', 'z_mean', {units: 2}, [node([['x', 0, 0]])]),
      layer(sampling, 'z', {}, [node([['z_mean', 0, 0]])]),
    ], [['x', 0, 0]], [['z_mean', 0, 0], ['z', 0, 0]]), [node([['x', 0, 0]])])
    const decoder = nested('Functional', 'decoder', functionalGraph([
      input('z_in', [null, 2]),
      layer('Dense', 'out', {units: 6}, [node([['z_in', 0, 0]])]),
    ], [['z_in', 0, 0]], [['out', 0, 0]]), [node([['encoder', 1, 1]]), node([['encoder', 1, 0]])])
    return model('Functional', 'vae', functionalGraph([input('x', [null, 6]), encoder, decoder], [['x', 0, 0]], [['decoder', 1, 0], ['decoder', 2, 0]]))
  }

  it('adds only what the known layers do not count, and settles the custom layer inside', () => {
    const before = summarize(vae())
    expect(before.total_params).toBe(14 + 18) // z unknown: a lower bound without double counting
    const {summary, warnings} = settle(vae(), h5(saved('x'), saved('encoder', [6, 2], [2]), saved('decoder', [2, 6], [6])))
    expect(warnings).toEqual([])
    expect(summary.total_params).toBe(14 + 18)
    expect(summary.params_exact).toBe(true)
    const encoder = summary.rows.find((r) => r.name === 'encoder')
    expect(encoder?.params).toBe(14)
    expect(encoder?.children?.map((c) => [c.name, c.params])).toEqual([['x', 0], ['z_mean', 14], ['z', 0]])
  })

  it('a custom layer with weights inside a nested model gets the difference', () => {
    const {summary} = settle(vae('Bias'), h5(saved('x'), saved('encoder', [6, 2], [2], [2]), saved('decoder', [2, 6], [6])))
    expect(summary.total_params).toBe(16 + 18)
    expect(summary.rows.find((r) => r.name === 'encoder')?.children?.find((c) => c.name === 'z')?.params).toBe(2)
  })

  it('fewer saved weights than the known inner layers: a warning, the count stays unknown', () => {
    const {summary, warnings} = settle(vae(), h5(saved('x'), saved('encoder', [2]), saved('decoder', [2, 6], [6])))
    expect(warnings[0]?.message).toBe("the saved weights of layer 'encoder' (Functional) hold 2 parameters, fewer than the 14 parameters its known layers have: its count stays unknown.")
    expect(summary.rows.find((r) => r.name === 'encoder')?.params).toBeNull()
    expect(summary.total_params).toBe(32)
  })
})
