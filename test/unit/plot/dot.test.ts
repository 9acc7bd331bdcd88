import {describe, expect, it} from 'vitest'
import {quoteId} from '../../../src/core/plot/dot.js'
import {doc, dotOfDoc, dotOfFixture, edgesOf, k2Input, k2Layer, k2Model, labelOf} from './helpers.js'

describe('modelToDot: functional graphs', () => {
  it('siamese: a shared layer gets an edge from each call\'s input, and one edge per connected pair', async () => {
    const g = await dotOfFixture('siamese-tfkeras212.json')
    expect(g.dot.startsWith('digraph "siamese" {\n')).toBe(true)
    expect(g.nodes).toBe(6)
    expect(edgesOf(g.dot)).toEqual([
      ['left', 'shared'], ['right', 'shared'], ['shared', 'concat'], ['concat', 'score'], ['concat', 'embedding'],
    ])
    expect(g.edges).toBe(5)
    expect(labelOf(g.dot, 'concat')).toContain('Input shape: <b>[(None, 8), (None, 8)]</b>')
    expect(labelOf(g.dot, 'shared')).toContain('<b>shared</b> (Dense)')
    expect(labelOf(g.dot, 'left')).not.toContain('Input shape')
    expect(labelOf(g.dot, 'left')).toContain('Output shape: <b>(None, 16)</b>')
  })

  it('a shared layer feeding two different layers has an edge to each consumer', async () => {
    const g = await dotOfDoc(doc(k2Model('m', [
      k2Input('a', [null, 4]), k2Input('b', [null, 6]),
      k2Layer('Dense', 'shared', [[['a', 0, 0]], [['b', 0, 0]]], {units: 3}),
      k2Layer('Dense', 'on_a', [[['shared', 0, 0]]], {units: 1}),
      k2Layer('Dense', 'on_b', [[['shared', 1, 0]]], {units: 1}),
    ], [['a', 0, 0], ['b', 0, 0]], [['on_a', 0, 0], ['on_b', 0, 0]])))
    expect(edgesOf(g.dot)).toEqual([['a', 'shared'], ['b', 'shared'], ['shared', 'on_a'], ['shared', 'on_b']])
    // The calls receive different shapes: the input cell says so, as Keras's summary does.
    expect(labelOf(g.dot, 'shared')).toContain('Input shape: <b>multiple</b>')
    expect(labelOf(g.dot, 'shared')).toContain('Output shape: <b>(None, 3)</b>')
  })

  it('Keras 3 dict nodes: the residual Add gets both branches', async () => {
    const g = await dotOfFixture('residual-keras3.json')
    expect(edgesOf(g.dot)).toEqual(expect.arrayContaining([['hidden', 'add'], ['skip', 'add'], ['add', 'output']]))
    expect(g.nodes).toBe(5)
  })

  it('a Sequential root does not draw its InputLayer and chains its layers', async () => {
    const g = await dotOfFixture('mlp-tfkeras212.json')
    const ids = [...g.dot.matchAll(/^ {2}"([^"]+)" \[label=/gm)].map((m) => m[1])
    expect(ids).toHaveLength(4)
    expect(ids.some((id) => id?.includes('input'))).toBe(false)
    expect(edgesOf(g.dot)).toHaveLength(3)
    expect(labelOf(g.dot, ids[0] ?? '')).toContain('Input shape: <b>(None, 784)</b>')
  })
})

describe('modelToDot: nested models', () => {
  it('collapsed: each nested model is one box with its outer input and output shapes', async () => {
    const g = await dotOfFixture('nested-tfkeras212.json')
    expect(g.nodes).toBe(3)
    expect(g.dot).not.toContain('subgraph')
    // `encoder` is referenced as node 1 (a nested Sequential starting with an InputLayer): still one edge.
    expect(edgesOf(g.dot)).toEqual([['image', 'encoder'], ['encoder', 'head']])
    expect(labelOf(g.dot, 'encoder')).toContain('<b>encoder</b> (Sequential)')
    expect(labelOf(g.dot, 'encoder')).toContain('Input shape: <b>(None, 32)</b>')
    expect(labelOf(g.dot, 'head')).toContain('Output shape: <b>(None, 3)</b>')
  })

  it('expanded: clusters of inner layers; edges land on the entry layer and leave from the producer', async () => {
    const g = await dotOfFixture('nested-tfkeras212.json', {expandNested: true})
    expect(g.dot).toContain('subgraph "cluster_encoder" {')
    expect(g.dot).toContain('subgraph "cluster_head" {')
    expect(g.dot).toContain('label=<<b>encoder</b> (Sequential)>, style=dashed')
    expect(g.nodes).toBe(5)
    expect(g.dot).not.toContain('encoder_input')
    expect(edgesOf(g.dot)).toEqual(expect.arrayContaining([
      ['image', 'encoder/enc_1'], ['encoder/enc_1', 'encoder/enc_bn'], ['encoder/enc_bn', 'head/head_in'], ['head/head_in', 'head/head_dense'],
    ]))
    expect(g.edges).toBe(4)
    expect(labelOf(g.dot, 'encoder/enc_1')).toContain('Input shape: <b>(None, 32)</b>')
  })

  it('expanded multi-output model: each outer edge leaves from the inner layer of that output tensor', async () => {
    const inner = {...k2Model('two', [
      k2Input('i', [null, 5]), k2Layer('Dense', 'p', [[['i', 0, 0]]], {units: 2}), k2Layer('Dense', 'q', [[['i', 0, 0]]], {units: 3}),
    ], [['i', 0, 0]], [['p', 0, 0], ['q', 0, 0]]), inbound_nodes: [[['x', 0, 0, {}]]]}
    const model = doc(k2Model('outer', [
      k2Input('x', [null, 5]), inner, k2Layer('Dense', 'after_q', [[['two', 1, 1]]], {units: 1}),
    ], [['x', 0, 0]], [['after_q', 0, 0]]))
    const collapsed = await dotOfDoc(model)
    expect(labelOf(collapsed.dot, 'after_q')).toContain('Input shape: <b>(None, 3)</b>')
    expect(labelOf(collapsed.dot, 'two')).toContain('Output shape: <b>[(None, 2), (None, 3)]</b>')
    const expanded = await dotOfDoc(model, {expandNested: true})
    expect(edgesOf(expanded.dot)).toEqual(expect.arrayContaining([['x', 'two/i'], ['two/q', 'after_q']]))
    expect(edgesOf(expanded.dot)).not.toContainEqual(['two/p', 'after_q'])
  })
})

describe('modelToDot: options and escaping', () => {
  it('rankdir and the Keras graph attributes', async () => {
    const g = await dotOfFixture('siamese-tfkeras212.json', {rankdir: 'LR'})
    expect(g.dot).toContain('graph [rankdir=LR, concentrate=true, splines=ortho, fontname="Helvetica"')
    expect((await dotOfFixture('siamese-tfkeras212.json', {fontname: 'DejaVu Sans'})).dot).toContain('node [shape=plain, fontname="DejaVu Sans"]')
  })

  it('odd layer names are escaped in ids and labels, and ids stay unique', async () => {
    const names = ['in"put\\', '<b>&amp;</b>', 'über\tname', 'a/b']
    const g = await dotOfDoc(doc(k2Model('m"odel', [
      k2Input(names[0] ?? '', [null, 4]),
      k2Layer('Dense', names[1] ?? '', [[[names[0] ?? '', 0, 0]]], {units: 2}),
      k2Layer('Dense', names[2] ?? '', [[[names[1] ?? '', 0, 0]]], {units: 2}),
      k2Layer('Dense', names[3] ?? '', [[[names[2] ?? '', 0, 0]]], {units: 2}),
    ], [[names[0] ?? '', 0, 0]], [[names[3] ?? '', 0, 0]])))
    expect(g.dot.startsWith('digraph "m\\"odel" {')).toBe(true)
    expect(g.dot).toContain('"in\\"put\\\\" [label=<')
    expect(g.dot).toContain('<b>&lt;b&gt;&amp;amp;&lt;/b&gt;</b> (Dense)')
    expect(g.dot).toContain('"über?name" [label=<<table')
    expect(g.dot).toContain('<b>über name</b> (Dense)')
    expect(g.dot).toContain('"in\\"put\\\\" -> "<b>&amp;</b>"')
    expect(g.edges).toBe(3)
    // No raw '<' or '&' from a name reaches an HTML label.
    for (const line of g.dot.split('\n').filter((l) => l.includes('[label=<'))) {
      const label = line.slice(line.indexOf('[label=<') + 8)
      expect(label).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/)
    }
  })

  it('quoteId escapes backslashes before quotes', () => {
    expect(quoteId('a\\"b')).toBe('"a\\\\\\"b"')
  })
})
