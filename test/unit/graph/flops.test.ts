/** MACs against hand-computed counts (FLOPs = 2 × MACs). */
import {describe, expect, it} from 'vitest'
import {summarize} from '../../../src/core/graph/summarize.js'
import {readModel} from '../../../src/core/read.js'
import {fixture} from '../../helpers/paths.js'
import {readDoc} from '../../helpers/read.js'

const seq = (...layers: Array<Record<string, unknown>>) => ({class_name: 'Sequential', config: {name: 's', layers}, keras_version: '2.12.0'})
const macsOf = async (doc: unknown) => summarize((await readDoc(doc)).model, {macs: true})

describe('summary --flops (MACs at batch 1)', () => {
  it('Dense: inputs × units per position', async () => {
    const s = await macsOf(seq({class_name: 'Dense', config: {name: 'd', units: 256, batch_input_shape: [null, 784]}}))
    expect(s.rows[0]?.macs).toBe(784 * 256)
    const timeDense = await macsOf(seq({class_name: 'Dense', config: {name: 'd', units: 4, batch_input_shape: [null, 5, 3]}}))
    expect(timeDense.total_macs).toBe(5 * 3 * 4)
  })

  it('Conv2D: output positions × filters × kernel area × input channels (valid, strides, same)', async () => {
    const {model} = await readModel(fixture('cnn-list-keras208.json'))
    const s = summarize(model, {macs: true})
    expect(s.rows.map((r) => r.macs)).toEqual([26 * 26 * 8 * 3 * 3 * 1, 0, 0, 1352 * 10])
    const strided = await macsOf(seq({class_name: 'Conv2D', config: {name: 'c', filters: 16, kernel_size: [5, 5], strides: [2, 2], padding: 'same', batch_input_shape: [null, 32, 32, 3]}}))
    expect(strided.total_macs).toBe(16 * 16 * 16 * 5 * 5 * 3)
  })

  it('LSTM: timesteps × (input and recurrent kernels)', async () => {
    const s = await macsOf(seq({class_name: 'LSTM', config: {name: 'l', units: 16, batch_input_shape: [null, 10, 8]}}))
    expect(s.total_macs).toBe(10 * (8 * 64 + 16 * 64))
    const gru = await macsOf(seq({class_name: 'GRU', config: {name: 'g', units: 5, reset_after: true, batch_input_shape: [null, 7, 4]}}))
    expect(gru.total_macs).toBe(7 * (4 * 15 + 5 * 15))
  })

  it('depthwise and separable convolutions', async () => {
    const dw = await macsOf(seq({class_name: 'DepthwiseConv2D', config: {name: 'dw', kernel_size: [3, 3], padding: 'same', depth_multiplier: 1, batch_input_shape: [null, 8, 8, 4]}}))
    expect(dw.total_macs).toBe(8 * 8 * 4 * 9)
    const sep = await macsOf(seq({class_name: 'SeparableConv2D', config: {name: 'sc', filters: 6, kernel_size: [3, 3], padding: 'same', batch_input_shape: [null, 8, 8, 4]}}))
    expect(sep.total_macs).toBe(8 * 8 * (9 * 4 + 4 * 6))
  })

  it('shared layers count once per call; custom layers make the total a lower bound', async () => {
    const {model} = await readModel(fixture('siamese-tfkeras212.json'))
    const s = summarize(model, {macs: true})
    expect(s.rows.find((r) => r.name === 'shared')?.macs).toBe(2 * 16 * 8)
    expect(s.total_macs).toBe(2 * 16 * 8 + 16 + 16 * 4)
    const custom = await macsOf(seq({class_name: 'Dense', config: {name: 'd', units: 2, batch_input_shape: [null, 3]}}, {class_name: 'Mystery', config: {name: 'm'}}))
    expect(custom.macs_exact).toBe(false)
    expect(custom.total_macs).toBe(6)
  })

  it('nested models sum their layers', async () => {
    const {model} = await readModel(fixture('nested-tfkeras212.json'))
    const s = summarize(model, {macs: true})
    expect(s.rows.map((r) => r.macs)).toEqual([0, 32 * 16, 16 * 3])
  })
})
