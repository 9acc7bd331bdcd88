import {describe, expect, it} from 'vitest'
import {escapeHtml, formatCell, layerActivation, layerDtype, mergeCalls, outputCell, tensorOf} from '../../../src/core/plot/label.js'
import {plotFormatOf} from '../../../src/core/plot/index.js'
import type {LayerSpec} from '../../../src/core/model/spec.js'
import {doc, dotOfDoc, dotOfFixture, k2Input, k2Layer, k2Model, labelOf} from './helpers.js'

const layer = (config: LayerSpec['config'], extra: Partial<LayerSpec> = {}): LayerSpec => ({class_name: 'Dense', name: 'd', config, inbound_nodes: [], extra: {}, ...extra})

describe('shape cells', () => {
  it('print as Python tuples and lists', () => {
    expect(formatCell(outputCell([null, 10]))).toBe('(None, 10)')
    expect(formatCell(outputCell([null]))).toBe('(None,)')
    expect(formatCell(outputCell([[null, 2], [null, 3]]))).toBe('[(None, 2), (None, 3)]')
    expect(formatCell(outputCell('multiple'))).toBe('multiple')
    expect(formatCell(outputCell(null))).toBe('?')
  })

  it('pick one tensor of a multi-output cell and merge calls', () => {
    const two = outputCell([[null, 2], [null, 3]])
    expect(formatCell(tensorOf(two, 1))).toBe('(None, 3)')
    expect(tensorOf(two, 2)).toBeNull()
    expect(tensorOf(outputCell([null, 4]), 1)).toBeNull()
    expect(mergeCalls([outputCell([null, 4]), outputCell([null, 4])])).toEqual(outputCell([null, 4]))
    expect(mergeCalls([outputCell([null, 4]), outputCell([null, 5])])).toBe('multiple')
  })
})

describe('layer facts', () => {
  it('dtype from a string, a Keras 3 DTypePolicy, a mixed policy, and a nested model\'s output layer', () => {
    expect(layerDtype(layer({dtype: 'float32'}))).toBe('float32')
    expect(layerDtype(layer({dtype: {module: 'keras', class_name: 'DTypePolicy', config: {name: 'bfloat16'}, registered_name: null}}))).toBe('bfloat16')
    expect(layerDtype(layer({dtype: {class_name: 'Policy', config: {name: 'mixed_float16'}}}))).toBe('float16')
    expect(layerDtype(layer({}))).toBeUndefined()
    const inner = layer({dtype: 'float64'}, {name: 'out'})
    const model = layer({}, {class_name: 'Functional', graph: {sequential: false, layers: [inner], inputs: [], outputs: [{layer: 'out', node_index: 0, tensor_index: 0}], io: null}})
    expect(layerDtype(model)).toBe('float64')
  })

  it('activation from a string, a Keras 3 serialised function, an activation object; none without the key', () => {
    expect(layerActivation({activation: 'relu'})).toBe('relu')
    expect(layerActivation({activation: {module: 'keras.activations', class_name: 'function', config: 'gelu', registered_name: 'function'}})).toBe('gelu')
    expect(layerActivation({activation: {class_name: 'LeakyReLU', config: {negative_slope: 0.2}}})).toBe('LeakyReLU')
    expect(layerActivation({units: 3})).toBeUndefined()
  })

  it('escapeHtml covers XML specials and control characters', () => {
    expect(escapeHtml('a<b>&"c"\u0001\n')).toBe('a&lt;b&gt;&amp;&quot;c&quot;\uFFFD ')
  })
})

describe('box labels', () => {
  it('without layer names the header is the class alone; without shapes there is no detail row', async () => {
    const g = await dotOfFixture('siamese-tfkeras212.json', {showLayerNames: false, showShapes: false})
    expect(labelOf(g.dot, 'shared')).toBe('<<table border="0" cellborder="1" cellspacing="2" cellpadding="10" bgcolor="black"><tr><td colspan="1" bgcolor="black"><font point-size="16" color="white"><b>Dense</b></font></td></tr></table>>')
  })

  it('dtype, activation and trainable cells; no trainable cell for a weightless layer', async () => {
    const g = await dotOfFixture('siamese-tfkeras212.json', {showDtype: true, showLayerActivations: true, showTrainable: true})
    const shared = labelOf(g.dot, 'shared') ?? ''
    expect(shared).toContain('Activation: <b>relu</b>')
    expect(shared).toContain('Output dtype: <b>float32</b>')
    expect(shared).toContain('<b>Trainable</b>')
    expect(shared).toContain('colspan="4"')
    expect(labelOf(g.dot, 'concat')).not.toContain('Trainable')
    expect(labelOf(g.dot, 'left')).not.toContain('Activation')
  })

  it('a frozen layer is marked Non-trainable, a trainable nested model Trainable', async () => {
    const frozen = await dotOfDoc(doc(k2Model('m', [
      k2Input('x', [null, 4]), k2Layer('Dense', 'frozen', [[['x', 0, 0]]], {units: 2, trainable: false}),
    ], [['x', 0, 0]], [['frozen', 0, 0]])), {showTrainable: true})
    expect(labelOf(frozen.dot, 'frozen')).toContain('<td bgcolor="firebrick"><font point-size="14" color="white"><b>Non-trainable</b>')
    const nested = await dotOfFixture('nested-tfkeras212.json', {showTrainable: true})
    expect(labelOf(nested.dot, 'head')).toContain('<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b>')
  })
})

describe('plotFormatOf', () => {
  it('takes the explicit format, else the extension', () => {
    expect(plotFormatOf('a/b.SVG')).toBe('svg')
    expect(plotFormatOf('m.png')).toBe('png')
    expect(plotFormatOf('m.gv')).toBe('dot')
    expect(plotFormatOf('m.txt', 'dot')).toBe('dot')
    expect(() => plotFormatOf('model.pdf')).toThrowErrorMatchingInlineSnapshot(`[InputError: Cannot tell the picture format from the output name 'model.pdf'.]`)
  })
})
