/**
 * Every layer class tfjs-layers 4.22 registers, in a tiny model with fresh weights, written by kmodel as a tfjs
 * folder: either tfjs-layers loads it and predicts what kmodel's compute core predicts (within 1e-5), or kmodel
 * refuses to write it (tfjs would load it and compute something else, or fail). The refusals are asserted.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {writeTfjsModel} from '../../../src/core/formats/write-tfjs.js'
import {summarize} from '../../../src/core/graph/summarize.js'
import {predict} from '../../../src/core/predict.js'
import {freshModelWeights} from '../../../src/core/weights/fresh.js'
import {readDoc} from '../../helpers/read.js'
import {loadFolder, tfjsPredict} from '../../interop/tfjs-write-load.js'

type Layer = Record<string, unknown>
interface Case {
  name: string
  input: number[]
  layers: Layer[]
  /** Refused: a piece of the message. */
  refused?: string
  int?: boolean
}

const L = (class_name: string, config: Record<string, unknown> = {}): Layer => ({class_name, config: {name: class_name.toLowerCase(), ...config}})

const CASES: Case[] = [
  {name: 'Dense relu', input: [5], layers: [L('Dense', {units: 3, activation: 'relu'})]},
  {name: 'dtype policy float32', input: [5], layers: [L('Dense', {units: 3, dtype: {class_name: 'Policy', config: {name: 'float32'}}})]},
  {name: 'dtype policy mixed_float16', input: [5], layers: [L('Dense', {units: 3, dtype: {class_name: 'Policy', config: {name: 'mixed_float16'}}})], refused: 'uses Policy (dtype)'},
  {name: 'Dense on 3-D', input: [2, 5], layers: [L('Dense', {units: 3, activation: 'tanh'})]},
  {name: 'Conv1D causal dilated', input: [8, 3], layers: [L('Conv1D', {filters: 4, kernel_size: 3, padding: 'causal', dilation_rate: 2})], refused: "padding='causal'"},
  {name: 'Conv1D dilated', input: [8, 3], layers: [L('Conv1D', {filters: 4, kernel_size: 3, dilation_rate: 2})]},
  {name: 'Conv2D same strides', input: [6, 6, 2], layers: [L('Conv2D', {filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same'})]},
  {name: 'Conv2D groups', input: [6, 6, 4], layers: [L('Conv2D', {filters: 4, kernel_size: [3, 3], groups: 2})], refused: 'groups > 1'},
  {name: 'channels_first convolution, pooling, BatchNormalization, Flatten', input: [2, 6, 6], layers: [L('Conv2D', {filters: 3, kernel_size: [3, 3], data_format: 'channels_first'}), L('MaxPooling2D', {pool_size: [2, 2], data_format: 'channels_first'}), L('BatchNormalization', {axis: 1}), L('Flatten', {data_format: 'channels_first'}), L('Dense', {units: 2})]},
  {name: 'channels_first global pooling, upsampling, padding', input: [2, 4, 4], layers: [L('ZeroPadding2D', {padding: [1, 1], data_format: 'channels_first'}), L('UpSampling2D', {size: [2, 2], data_format: 'channels_first'}), L('GlobalAveragePooling2D', {data_format: 'channels_first'})]},
  {name: 'Conv3D', input: [4, 4, 4, 2], layers: [L('Conv3D', {filters: 2, kernel_size: [2, 2, 2]})]},
  {name: 'Conv2DTranspose', input: [4, 4, 2], layers: [L('Conv2DTranspose', {filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same'})]},
  {name: 'Conv3DTranspose', input: [3, 3, 3, 2], layers: [L('Conv3DTranspose', {filters: 2, kernel_size: [2, 2, 2], strides: [2, 2, 2]})]},
  {name: 'SeparableConv2D', input: [6, 6, 2], layers: [L('SeparableConv2D', {filters: 3, kernel_size: [3, 3], depth_multiplier: 2})]},
  {name: 'DepthwiseConv2D', input: [6, 6, 2], layers: [L('DepthwiseConv2D', {kernel_size: [3, 3], depth_multiplier: 2})]},
  {name: 'ConvLSTM2D', input: [3, 5, 5, 2], layers: [L('ConvLSTM2D', {filters: 2, kernel_size: [3, 3], padding: 'same', recurrent_activation: 'hard_sigmoid'})]},
  {name: 'LSTM', input: [4, 3], layers: [L('LSTM', {units: 5, return_sequences: true, recurrent_activation: 'sigmoid'})]},
  {name: 'GRU reset_after=False', input: [4, 3], layers: [L('GRU', {units: 5, reset_after: false, recurrent_activation: 'hard_sigmoid'})]},
  {name: 'GRU reset_after=True', input: [4, 3], layers: [L('GRU', {units: 5, reset_after: true})], refused: 'reset_after=True'},
  {name: 'LSTM without recurrent_activation (tf.keras 2.15: sigmoid)', input: [4, 3], layers: [L('LSTM', {units: 3})]},
  {name: 'SimpleRNN go_backwards', input: [4, 3], layers: [L('SimpleRNN', {units: 5, go_backwards: true})]},
  {name: 'Bidirectional LSTM concat', input: [4, 3], layers: [L('Bidirectional', {merge_mode: 'concat', layer: {class_name: 'LSTM', config: {name: 'lstm', units: 3, recurrent_activation: 'sigmoid'}}})]},
  {name: 'TimeDistributed Dense', input: [4, 3], layers: [L('TimeDistributed', {layer: {class_name: 'Dense', config: {name: 'dense', units: 2}}})]},
  {name: 'Embedding', input: [4], int: true, layers: [L('Embedding', {input_dim: 7, output_dim: 3})]},
  {name: 'BatchNormalization', input: [6, 3], layers: [L('BatchNormalization', {axis: -1, epsilon: 0.01})]},
  {name: 'LayerNormalization', input: [6, 3], layers: [L('LayerNormalization', {axis: [-1], epsilon: 0.001})]},
  {name: 'PReLU', input: [4, 3], layers: [L('PReLU', {shared_axes: [1]})]},
  {name: 'LeakyReLU', input: [5], layers: [L('LeakyReLU', {alpha: 0.1})]},
  {name: 'ELU alpha 1', input: [5], layers: [L('ELU', {alpha: 1})]},
  {name: 'ELU alpha 0.7', input: [5], layers: [L('ELU', {alpha: 0.7})], refused: 'alpha other than 1'},
  {name: 'ReLU max_value', input: [5], layers: [L('ReLU', {max_value: 0.5})]},
  {name: 'ReLU negative_slope', input: [5], layers: [L('ReLU', {negative_slope: 0.1})], refused: 'negative_slope'},
  {name: 'ThresholdedReLU', input: [5], layers: [L('ThresholdedReLU', {theta: 0.3})]},
  {name: 'Softmax last axis', input: [3, 4], layers: [L('Softmax', {axis: -1})]},
  {name: 'Softmax axis 1 of 3', input: [3, 4], layers: [L('Softmax', {axis: 1})], refused: 'axis'},
  {name: 'Activation gelu', input: [5], layers: [L('Activation', {activation: 'gelu'})]},
  {name: 'Activation silu', input: [5], layers: [L('Activation', {activation: 'silu'})], refused: "activation 'silu'"},
  {name: 'Activation exponential', input: [5], layers: [L('Activation', {activation: 'exponential'})], refused: "activation 'exponential'"},
  {name: 'Pooling 2D', input: [6, 6, 2], layers: [L('MaxPooling2D', {pool_size: [2, 2]}), L('AveragePooling2D', {pool_size: [2, 2], padding: 'same'})]},
  {name: 'Pooling 1D', input: [6, 2], layers: [L('MaxPooling1D', {pool_size: 2}), L('AveragePooling1D', {pool_size: 2})]},
  {name: 'Pooling 3D', input: [4, 4, 4, 2], layers: [L('MaxPooling3D', {pool_size: [2, 2, 2]}), L('AveragePooling3D', {pool_size: [1, 1, 1]})]},
  {name: 'Global pooling 2D', input: [4, 4, 2], layers: [L('GlobalAveragePooling2D')]},
  {name: 'Global max pooling 1D', input: [4, 2], layers: [L('GlobalMaxPooling1D')]},
  {name: 'Global pooling keepdims', input: [4, 4, 2], layers: [L('GlobalMaxPooling2D', {keepdims: true})], refused: 'keepdims'},
  {name: 'UpSampling2D nearest', input: [3, 3, 2], layers: [L('UpSampling2D', {size: [2, 2]})]},
  {name: 'UpSampling2D bilinear', input: [3, 3, 2], layers: [L('UpSampling2D', {size: [2, 2], interpolation: 'bilinear'})], refused: 'interpolation'},
  {name: 'ZeroPadding2D Cropping2D', input: [4, 4, 2], layers: [L('ZeroPadding2D', {padding: [[1, 0], [0, 2]]}), L('Cropping2D', {cropping: [[1, 1], [0, 1]]})]},
  {name: 'Reshape Permute Flatten', input: [4, 3], layers: [L('Reshape', {target_shape: [2, 6]}), L('Permute', {dims: [2, 1]}), L('Flatten')]},
  {name: 'RepeatVector', input: [3], layers: [L('RepeatVector', {n: 2})]},
  {name: 'Masking LSTM', input: [4, 3], layers: [L('Masking', {mask_value: 0.5}), L('LSTM', {units: 2, recurrent_activation: 'sigmoid'})]},
  {name: 'Dropouts and noise (identity)', input: [5], layers: [L('Dropout', {rate: 0.5}), L('GaussianNoise', {stddev: 1}), L('GaussianDropout', {rate: 0.3}), L('AlphaDropout', {rate: 0.2})]},
  {name: 'SpatialDropout1D', input: [4, 3], layers: [L('SpatialDropout1D', {rate: 0.5})]},
  {name: 'Rescaling', input: [5], layers: [L('Rescaling', {scale: 0.5, offset: 1})]},
  {name: 'Resizing', input: [4, 4, 2], layers: [L('Resizing', {height: 6, width: 5})], refused: 'Resizing'},
  {name: 'CenterCrop', input: [4, 4, 2], layers: [L('CenterCrop', {height: 2, width: 3})], refused: 'CenterCrop'},
]

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})

describe('every tfjs-registered layer: tfjs computes what kmodel computes, or kmodel refuses to write it', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const input = {class_name: 'InputLayer', config: {name: 'in', batch_input_shape: [null, ...c.input], dtype: c.int === true ? 'int32' : 'float32'}}
    const doc = {class_name: 'Sequential', config: {name: 's', layers: [input, ...c.layers]}, keras_version: '2.15.0', backend: 'tensorflow'}
    const {model} = await readDoc(doc)
    const file = freshModelWeights(model, summarize(model), 3)
    const dir = mkdtempSync(join(tmpdir(), 'kmodel-tfjs-zoo-'))
    dirs.push(dir)
    const out = join(dir, 'm')
    if (c.refused !== undefined) {
      await expect(writeTfjsModel(out, model, file, {force: false})).rejects.toMatchObject({code: 'KM_FORMAT_TFJS_UNSUPPORTED', exit: 4, message: expect.stringContaining(c.refused)})
      return
    }
    await writeTfjsModel(out, model, file, {force: false})
    const shape = [3, ...c.input]
    const n = shape.reduce((a, b) => a * b, 1)
    const x = c.int === true
      ? {shape, data: Int32Array.from({length: n}, (_, i) => (i * 5) % 7), dtype: 'int32' as const}
      : {shape, data: Float32Array.from({length: n}, (_, i) => ((i * 37) % 17) / 4 - 2), dtype: 'float32' as const}
    const mine = (await predict(model, file, [x], {backend: 'cpu'})).outputs[0]?.data ?? new Float32Array(0)
    const loaded = await loadFolder(out)
    const theirs = tfjsPredict(loaded, [x])[0] ?? new Float32Array(0)
    loaded.dispose()
    expect(theirs.length).toBe(mine.length)
    const worst = mine.reduce((w, v, j) => Math.max(w, Math.abs(v - (theirs[j] ?? Number.NaN)) / Math.max(1, Math.abs(v))), 0)
    expect(worst).toBeLessThanOrEqual(1e-5)
  })
})
