import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {kmodel} from '../helpers/cli.js'
import {HAVE_INTEROP, INTEROP, announceSkip, fixture} from '../helpers/paths.js'

const trimLines = (t: string) => t.split('\n').map((l) => l.trimEnd()).join('\n').trimEnd()

describe('kmodel summary', () => {
  it('--json gives the DESIGN.md shape with exact totals', () => {
    const run = kmodel(['summary', fixture('siamese-tfkeras212.json'), '--json'])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.json?.result).toMatchObject({name: 'siamese', className: 'Functional', kerasVersion: '2.12.0', totalParams: 221, trainableParams: 221, nonTrainableParams: 0, paramsExact: true})
    const layers = (run.json?.result as {layers: Array<{name: string; outputShape: unknown; connectedTo: string[]}>}).layers
    expect(layers.find((l) => l.name === 'concat')).toMatchObject({outputShape: [null, 16], connectedTo: ['shared[0][0]', 'shared[1][0]']})
  })

  it('--format keras prints Keras 2.12 text for a tf.keras 2.12 file', () => {
    const run = kmodel(['summary', fixture('mlp-tfkeras212.json'), '--format', 'keras'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(' dense (Dense)               (None, 256)               200960')
    expect(run.stdout).toContain('Total params: 235,146')
  })

  it('--flops adds macs per layer and totalMacs to the JSON, FLOPs to the text', () => {
    const run = kmodel(['summary', fixture('cnn-list-keras208.json'), '--flops', '--json'])
    expect(run.code).toBe(0)
    expect(run.json?.result).toMatchObject({totalMacs: 48672 + 13520, macsExact: true})
    expect((run.json?.result as {layers: Array<{macs: number}>}).layers.map((l) => l.macs)).toEqual([48672, 0, 0, 13520])
    const text = kmodel(['summary', fixture('cnn-list-keras208.json'), '--flops', '-f', 'keras'])
    expect(text.stdout).toContain('Total FLOPs: 124,384 (62,192 MACs)')
  })

  it('exit 4 on an invalid model', () => {
    expect(kmodel(['summary', fixture('subclassed-simplemlp.json')]).code).toBe(4)
  })
})

if (!HAVE_INTEROP) announceSkip('summary e2e against real Keras output', '../shared/interop is absent')
describe.skipIf(!HAVE_INTEROP)('kmodel summary --format keras reproduces real Keras output', () => {
  it.each([
    ['ccfraud-mlp-k205/model.json', 'ccfraud-mlp-k205/expected_summary.txt'],
    ['deepanomaly-ff3/ff3_model.json', 'deepanomaly-ff3/expected_summary.txt'],
    ['fer-bn-cnn-json-summary/model.json', 'fer-bn-cnn-json-summary/expected_summary.txt'],
    ['asha-yaml-mlp/model.h5', 'asha-yaml-mlp/expected_summary.txt'],
  ])('%s', (model, expected) => {
    const run = kmodel(['summary', join(INTEROP, model), '--format', 'keras'])
    expect(run.code).toBe(0)
    expect(trimLines(run.stdout)).toBe(trimLines(readFileSync(join(INTEROP, expected), 'utf8')))
  })
})
