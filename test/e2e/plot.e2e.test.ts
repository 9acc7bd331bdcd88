import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'
import {HAVE_INTEROP, INTEROP, announceSkip, fixture} from '../helpers/paths.js'

const TMP = mkdtempSync(join(tmpdir(), 'kmodel-plot-'))
afterAll(() => rmSync(TMP, {recursive: true, force: true}))

const BAD_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/
const BAD_ENTITY_HERE = new RegExp(`^${BAD_ENTITY.source}`)
const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|[<&]/g

/** A small XML well-formedness check (balanced tags, quoted attributes, valid entities, one root): the problems found. */
function xmlProblems(xml: string): string[] {
  const problems: string[] = []
  const stack: string[] = []
  let roots = 0
  for (const m of xml.matchAll(TOKEN)) {
    const [text, closing, name, attrs, selfClosing] = m
    if (text === '<') problems.push(`stray '<' at ${m.index}`)
    else if (text === '&' && BAD_ENTITY_HERE.test(xml.slice(m.index, m.index + 12))) problems.push(`bad entity at ${m.index}`)
    if (name === undefined) continue
    if (attrs !== undefined && BAD_ENTITY.test(attrs)) problems.push(`bad entity in <${name}> attributes`)
    if (closing === '/') {
      const open = stack.pop()
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`)
    } else {
      if (stack.length === 0) roots++
      if (selfClosing !== '/') stack.push(name)
    }
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join('> <')}>`)
  if (roots !== 1) problems.push(`${roots} root elements`)
  return problems
}

/** fixtures/MANIFEST.json: each fixture's expected top-level layer count (one box each, nested models collapsed). */
const MANIFEST = JSON.parse(readFileSync(fixture('MANIFEST.json'), 'utf8')) as Array<{file: string; expect: {layers?: number}}>

const nodeGroups = (svg: string): number => (svg.match(/<g id="node\d+" class="node">/g) ?? []).length

/** Plots `model` to `name` in the tmp folder with --json; checks the envelope and returns the result and path. */
function plot(model: string, name: string, ...flags: string[]): {nodes: number; edges: number; path: string} {
  const path = join(TMP, name)
  const run = kmodel(['plot', model, '--output', path, '--force', '--json', ...flags])
  expect(run.code, run.stderr || run.stdout).toBe(0)
  expect.soft(run.stderr).toBe('')
  const result = run.json?.result as {output: string; format: string; nodes: number; edges: number}
  expect(result).toEqual({output: path, format: expect.any(String), nodes: expect.any(Number), edges: expect.any(Number)})
  return {nodes: result.nodes, edges: result.edges, path}
}

/** The number of top-level summary rows: one box each when nested models are collapsed. */
function summaryLayers(model: string): number {
  return (kmodel(['summary', model, '--json']).json?.result as {layers: unknown[]}).layers.length
}

/** Checks an SVG file: well-formed XML with one node group per layer box. */
function checkSvg(path: string, nodes: number): void {
  const svg = readFileSync(path, 'utf8')
  expect(xmlProblems(svg)).toEqual([])
  expect(nodeGroups(svg)).toBe(nodes)
}

/** Checks a PNG file's signature and IHDR; returns its size. */
function pngSize(path: string): {width: number; height: number} {
  const png = readFileSync(path)
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR')
  const size = {width: png.readUInt32BE(16), height: png.readUInt32BE(20)}
  expect(size.width).toBeGreaterThan(0)
  expect(size.height).toBeGreaterThan(0)
  return size
}

describe('kmodel plot: fixtures', () => {
  it.each([
    ['siamese-tfkeras212.json', 6, 5],
    ['nested-tfkeras212.json', 3, 2],
    ['mlp-tfkeras212.json', 4, 3],
    ['residual-keras3.json', 5, 5],
    ['cnn-keras213.yaml', 4, 3],
    ['tfjs-mlp-model.json', 2, 1],
  ])('%s → SVG with one node per layer', (name, nodes, edges) => {
    const out = plot(fixture(name), `${name}.svg`)
    expect([out.nodes, out.edges]).toEqual([nodes, edges])
    expect(nodes).toBe(MANIFEST.find((e) => e.file === name)?.expect.layers)
    checkSvg(out.path, nodes)
  })

  it('--expand-nested draws the nested models\' layers inside clusters', () => {
    const out = plot(fixture('nested-tfkeras212.json'), 'nested-expanded.svg', '--expand-nested', '--show-dtype', '--show-trainable', '--show-layer-activations')
    expect(out.nodes).toBe(5)
    checkSvg(out.path, 5)
    expect(readFileSync(out.path, 'utf8').match(/class="cluster"/g)).toHaveLength(2)
  })

  it('PNG: a valid header, and --dpi scales it', () => {
    const low = pngSize(plot(fixture('siamese-tfkeras212.json'), 'siamese-96.png').path)
    const high = pngSize(plot(fixture('siamese-tfkeras212.json'), 'siamese-192.png', '--dpi', '192').path)
    expect(Math.abs(high.width - 2 * low.width)).toBeLessThanOrEqual(2)
    expect(Math.abs(high.height - 2 * low.height)).toBeLessThanOrEqual(2)
  })

  it('DOT from the extension, or from --format whatever the name', () => {
    expect(readFileSync(plot(fixture('siamese-tfkeras212.json'), 'siamese.dot').path, 'utf8')).toMatch(/^digraph "siamese" \{/)
    const out = plot(fixture('siamese-tfkeras212.json'), 'siamese.txt', '--format', 'dot', '--rankdir', 'LR', '--no-show-shapes')
    const dot = readFileSync(out.path, 'utf8')
    expect(dot).toContain('rankdir=LR')
    expect(dot).not.toContain('Output shape')
  })

  it('odd layer names give a well-formed SVG', () => {
    const names = ['in"put\\', '<b>&amp;</b>', 'über\tname', ']]>--']
    const layers = names.map((name, i) => ({
      class_name: i === 0 ? 'InputLayer' : 'Dense', name,
      config: i === 0 ? {batch_input_shape: [null, 4], dtype: 'float32', name} : {name, units: 2},
      inbound_nodes: i === 0 ? [] : [[[names[i - 1], 0, 0, {}]]],
    }))
    const model = join(TMP, 'odd.json')
    writeFileSync(model, JSON.stringify({class_name: 'Functional', config: {name: 'm<&>"', layers, input_layers: [[names[0], 0, 0]], output_layers: [[names[3], 0, 0]]}, keras_version: '2.12.0'}))
    const out = plot(model, 'odd.svg', '--show-layer-activations')
    expect([out.nodes, out.edges]).toEqual([4, 3])
    checkSvg(out.path, 4)
    expect(readFileSync(out.path, 'utf8')).toContain('&lt;b&gt;&amp;amp;&lt;/b&gt;')
  })
})

describe('kmodel plot: errors', () => {
  it('exit 3 for an output name without a known extension', () => {
    const run = kmodel(['plot', fixture('siamese-tfkeras212.json'), '--output', join(TMP, 'model.pdf'), '--json'])
    expect(run.code).toBe(3)
    expect(run.json?.error?.code).toBe('KM_INPUT_PLOT_FORMAT')
  })

  it('exit 2 (usage) and the old file kept when the output exists without --force', () => {
    const path = join(TMP, 'exists.svg')
    writeFileSync(path, 'old')
    const run = kmodel(['plot', fixture('siamese-tfkeras212.json'), '--output', path, '--json'])
    expect(run.code).toBe(2)
    expect(run.json?.error?.code).toBe('KM_USAGE_OUTPUT_EXISTS')
    expect(readFileSync(path, 'utf8')).toBe('old')
  })

  it('exit 2 without --output; exit 4 for a subclassed model', () => {
    expect(kmodel(['plot', fixture('siamese-tfkeras212.json')]).code).toBe(2)
    expect(kmodel(['plot', fixture('subclassed-simplemlp.json'), '--output', join(TMP, 'sub.svg')]).code).toBe(4)
  })
})

if (!HAVE_INTEROP) announceSkip('plot e2e against real Keras files', '../shared/interop is absent')
describe.skipIf(!HAVE_INTEROP)('kmodel plot: real Keras files', () => {
  it.each([
    'mobilenet-json-k220/model.json',
    'textsim-json/model_architecture.json',
    'hitsong-keras214-v3format/model.keras',
    'asha-yaml-mlp/model.h5',
    'k3-lstm-json-h5/model.h5',
  ])('%s → SVG with one node per summary row', (file) => {
    const model = join(INTEROP, file)
    const out = plot(model, `${file.replaceAll('/', '_')}.svg`)
    expect(out.nodes).toBe(summaryLayers(model))
    checkSvg(out.path, out.nodes)
  })

  it('a real branching model as PNG, left to right', () => {
    pngSize(plot(join(INTEROP, 'textsim-json/model_architecture.json'), 'textsim.png', '--rankdir', 'LR').path)
  })
})
