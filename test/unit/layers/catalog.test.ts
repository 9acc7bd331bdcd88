import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {readKerasH5Model} from '../../../src/core/formats/keras-h5.js'
import {readKerasZip} from '../../../src/core/formats/keras-zip.js'
import {parsePythonJson} from '../../../src/core/formats/python-json.js'
import {parseKerasYaml} from '../../../src/core/formats/yaml.js'
import {
  ACTIVATION_NAMES,
  CONSTRAINT_NAMES,
  DTYPE_POLICY_NAMES,
  INITIALIZER_NAMES,
  isKnownLayerClass,
  KNOWN_LAYER_CLASSES,
  layerClass,
  REGULARIZER_NAMES,
  unknownArgs,
} from '../../../src/core/layers/catalog.js'
import {isObject, type Json, type JsonObject} from '../../../src/core/json.js'
import {architectureFiles} from '../../helpers/interop.js'
import {announceSkip, HAVE_INTEROP} from '../../helpers/paths.js'

const names = (rows: ReadonlyArray<readonly [string, string]>): Set<string> => new Set(rows.map(([n]) => n))

describe('layer catalogue (inline)', () => {
  it('knows Dense with units and flags a misspelt key', () => {
    expect(unknownArgs('Dense', {name: 'd', units: 3, activation: 'relu', trainable: true, dtype: 'float32'})).toEqual([])
    expect(unknownArgs('Dense', {name: 'd', unitz: 3})).toEqual(['unitz'])
  })

  it('accepts Keras 3 InputLayer batch_shape but not in Keras 2 mode', () => {
    const config = {batch_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'x', optional: false}
    expect(unknownArgs('InputLayer', config)).toEqual([])
    expect(unknownArgs('InputLayer', config, 3)).toEqual([])
    expect(unknownArgs('InputLayer', config, 2)).toEqual(['batch_shape'])
  })

  it('separates Keras 2 and Keras 3 base keys', () => {
    // tf.keras base Layer accepts batch_input_shape; Keras 3 Layer.__init__ raises "Unrecognized keyword arguments".
    expect(unknownArgs('Dense', {units: 2, batch_input_shape: [null, 3]}, 2)).toEqual([])
    expect(unknownArgs('Dense', {units: 2, batch_input_shape: [null, 3]}, 3)).toEqual(['batch_input_shape'])
    expect(unknownArgs('Dense', {units: 2, lora_rank: 4}, 2)).toEqual(['lora_rank'])
  })

  it('has the Conv2D keys of every generation', () => {
    const info = layerClass('Conv2D')
    expect(info?.category).toBe('convolutional')
    expect(info?.aliases).toContain('Convolution2D')
    for (const key of ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation',
      'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer',
      'kernel_constraint', 'bias_constraint']) expect(info?.configKeys.has(key), key).toBe(true)
    expect(unknownArgs('Conv2D', {filters: 8, kernel_size: [3, 3], nb_filter: 8})).toEqual(['nb_filter'])
    expect(layerClass('Convolution2D')).toBe(info)
  })

  it('records which versions have a class', () => {
    expect(layerClass('Merge')?.keras2).toEqual([{from: '2.0', to: '2.1'}])
    expect(layerClass('Merge')?.keras3).toEqual([])
    expect(layerClass('TFOpLambda')?.keras2).toEqual([{from: '2.6', to: '2.21'}])
    expect(layerClass('GroupQueryAttention')?.className).toBe('GroupedQueryAttention')
    expect(layerClass('Dense')?.keras3).toEqual([{from: '3.0', to: '3.15'}])
  })

  it('covers the required families', () => {
    for (const cls of ['Dense', 'Conv1DTranspose', 'DepthwiseConv2D', 'MaxPooling2D', 'GlobalAveragePooling3D', 'LSTM', 'GRUCell',
      'CuDNNLSTM', 'Bidirectional', 'TimeDistributed', 'ConvLSTM2D', 'Add', 'Subtract', 'Concatenate', 'BatchNormalization',
      'LayerNormalization', 'GroupNormalization', 'Dropout', 'SpatialDropout2D', 'Reshape', 'Flatten', 'Attention',
      'MultiHeadAttention', 'ReLU', 'LeakyReLU', 'Rescaling', 'TextVectorization', 'TFOpLambda', 'SlicingOpLambda',
      'TensorFlowOpLayer', 'LocallyConnected2D', 'InputLayer', 'Sequential', 'Functional', 'Model', 'Lambda', 'EinsumDense']) {
      expect(isKnownLayerClass(cls), cls).toBe(true)
    }
    expect(isKnownLayerClass('Attention2')).toBe(false)
    expect(unknownArgs('ClusteringLayer', {anything: 1})).toEqual([])
    expect(KNOWN_LAYER_CLASSES.length).toBeGreaterThanOrEqual(175)
  })

  it('lists nested-object names of Keras 2 and 3', () => {
    for (const n of ['L1', 'L2', 'L1L2', 'OrthogonalRegularizer']) expect(names(REGULARIZER_NAMES).has(n), n).toBe(true)
    for (const n of ['silu', 'gelu', 'hard_silu', 'leaky_relu', 'relu6', 'log_softmax', 'mish', 'swish', 'relu']) {
      expect(names(ACTIVATION_NAMES).has(n), n).toBe(true)
    }
    for (const n of ['GlorotUniform', 'Orthogonal', 'OrthogonalInitializer', 'VarianceScaling', 'glorot_uniform']) {
      expect(names(INITIALIZER_NAMES).has(n), n).toBe(true)
    }
    for (const n of ['MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm']) expect(names(CONSTRAINT_NAMES).has(n), n).toBe(true)
    for (const n of ['Policy', 'DTypePolicy', 'FloatDTypePolicy', 'QuantizedDTypePolicy']) expect(names(DTYPE_POLICY_NAMES).has(n), n).toBe(true)
  })
})

/** Custom classes that real files in the corpus define themselves (not Keras built-ins). */
const CUSTOM_CLASSES = new Set(['ClusteringLayer'])
/** Special serialisation markers that carry `class_name` but are not layers (Keras 3 §1.5). */
const NESTED_NAMES = new Set([...names(INITIALIZER_NAMES), ...names(REGULARIZER_NAMES), ...names(CONSTRAINT_NAMES),
  ...names(DTYPE_POLICY_NAMES), '__keras_tensor__', '__tensor__', '__numpy__', '__lambda__', 'function'])

async function readArchitecture(path: string): Promise<Json> {
  if (/\.(h5|hdf5)$/.test(path)) return (await readKerasH5Model(path)).document
  const bytes = readFileSync(path)
  if (path.endsWith('.keras')) return readKerasZip(new Uint8Array(bytes), path).document
  if (/\.ya?ml$/.test(path)) return parseKerasYaml(bytes.toString('utf8'), path)
  return parsePythonJson(bytes.toString('utf8'), path)
}

/** Compile settings (optimizer, metrics) are not layers. */
const SKIP_KEYS = new Set(['compile_config', 'training_config'])

/** Every `class_name` of a layer entry (`{class_name, config}` inside `layers`, `layer`, `cell`, …). */
function classNames(node: Json, out: Set<string>, depth = 0): Set<string> {
  if (depth > 100) return out
  if (Array.isArray(node)) for (const child of node) classNames(child, out, depth + 1)
  else if (isObject(node)) {
    if (typeof node.class_name === 'string' && 'config' in node) out.add(node.class_name)
    for (const [key, value] of Object.entries(node)) if (!SKIP_KEYS.has(key)) classNames(value, out, depth + 1)
  }
  return out
}

describe.runIf(HAVE_INTEROP)('layer catalogue against ../shared/interop', () => {
  it('knows every class in every real architecture file', async () => {
    const unknown: string[] = []
    let files = 0
    for (const row of architectureFiles()) {
      let doc: Json
      try {
        doc = await readArchitecture(row.path)
      } catch {
        continue // tfjs weight manifests and other non-architecture rows are read elsewhere
      }
      files++
      for (const name of classNames(doc, new Set())) {
        if (CUSTOM_CLASSES.has(name) || NESTED_NAMES.has(name)) continue
        if (!isKnownLayerClass(name)) unknown.push(`${row.entry}/${row.file}: ${name}`)
      }
    }
    expect(files).toBeGreaterThan(20)
    expect(unknown).toEqual([])
  })

  it('finds no unknown arguments in the Keras 2/3 layer configs of real files', async () => {
    const flagged: string[] = []
    for (const row of architectureFiles()) {
      if (row.keras_version.startsWith('1.')) continue
      let doc: Json
      try {
        doc = await readArchitecture(row.path)
      } catch {
        continue
      }
      for (const [cls, config] of layerConfigs(doc, [])) {
        const bad = unknownArgs(cls, config)
        if (bad.length > 0) flagged.push(`${row.entry}/${row.file}: ${cls} ${bad.join(',')}`)
      }
    }
    expect(flagged).toEqual([])
  })
})

/** `[class_name, config]` of every nested `{class_name, config}` whose class is a catalogued layer. */
function layerConfigs(node: Json, out: Array<[string, JsonObject]>, depth = 0): Array<[string, JsonObject]> {
  if (depth > 100) return out
  if (Array.isArray(node)) for (const child of node) layerConfigs(child, out, depth + 1)
  else if (isObject(node)) {
    const config = node.config
    if (typeof node.class_name === 'string' && isObject(config) && isKnownLayerClass(node.class_name)) out.push([node.class_name, config])
    for (const [key, value] of Object.entries(node)) if (!SKIP_KEYS.has(key)) layerConfigs(value, out, depth + 1)
  }
  return out
}

if (!HAVE_INTEROP) announceSkip('layer catalogue against ../shared/interop', 'the ../shared/interop folder is absent')
