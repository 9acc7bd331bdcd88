/**
 * What the tfjs writer refuses, and the lists it refuses by checked against the installed tfjs-layers 4.22:
 * its class registry, its activations, and what it does with the configs kmodel translates (L2, LecunNormal).
 */
import {describe, expect, it} from 'vitest'
import {planTfjsModel} from '../../../src/core/formats/write-tfjs.js'
import {TFJS_ACTIVATIONS, TFJS_CLASSES} from '../../../src/core/formats/write-tfjs-check.js'
import type {JsonObject} from '../../../src/core/json.js'
import type {WeightsFile} from '../../../src/core/weights/types.js'
import {readDoc} from '../../helpers/read.js'
import {tfjs} from '../../interop/tfjs-write-load.js'

const noWeights: WeightsFile = {layout: 'keras2', source: 't', keras_version: '2.15.0', backend: 'tensorflow', layers: [], top_level: []}
const input = {class_name: 'InputLayer', config: {name: 'in', batch_input_shape: [null, 4], dtype: 'float32'}}
const seq = (layers: unknown[], version = '2.15.0') => ({class_name: 'Sequential', config: {name: 's', layers}, keras_version: version, backend: 'tensorflow'})

/** The topology tfjs gets for `doc`, or the refusal. */
async function plan(doc: unknown, file: WeightsFile = noWeights): Promise<JsonObject> {
  const {model} = await readDoc(doc)
  return (planTfjsModel(model, file).modelJson.modelTopology as {model_config: JsonObject}).model_config
}

/** tfjs-layers' own verdict on a topology: null when it builds, else its error message. */
async function tfjsBuilds(topology: JsonObject): Promise<string | null> {
  const {layers} = tfjs()
  try {
    const model = await layers.models.modelFromJSON({modelTopology: topology} as never)
    model.dispose()
    return null
  } catch (error) {
    return (error as Error).message
  }
}

describe('the lists match the installed tfjs-layers', () => {
  const {core} = tfjs()
  const registered = Object.keys(core.serialization.SerializationMap.getMap().classNameMap)
  const optimizers = ['Adadelta', 'Adagrad', 'Adam', 'Adamax', 'Momentum', 'RMSProp', 'SGD']

  it('TFJS_CLASSES is the class registry (layers, models, initializers, regularizers, constraints)', () => {
    const classes = registered.filter((n) => /^[A-Z]/.test(n) && !optimizers.includes(n))
    expect([...TFJS_CLASSES].sort()).toEqual(classes.sort())
  })

  it('TFJS_ACTIVATIONS build in tfjs; the Keras names tfjs lacks do not, and are refused', async () => {
    const activation = (name: string) => ({class_name: 'Sequential', config: {name: 's', layers: [{class_name: 'Activation', config: {name: 'a', activation: name, batch_input_shape: [null, 2]}}]}})
    for (const name of TFJS_ACTIVATIONS) expect(await tfjsBuilds(activation(name)), name).toBeNull()
    for (const name of ['gelu_new', 'silu', 'leaky_relu', 'exponential', 'hard_silu', 'softmax_v2']) {
      expect(await tfjsBuilds(activation(name)), name).not.toBeNull()
      await expect(plan(seq([input, {class_name: 'Activation', config: {name: 'act', activation: name}}]))).rejects.toMatchObject({code: 'KM_FORMAT_TFJS_UNSUPPORTED', exit: 4, message: `Layer 'act' (Activation) uses activation '${name}', which TensorFlow.js does not have.`})
    }
  })

  it("translates tf.keras's L2 / L1 and LecunNormal to the tfjs classes of the same meaning, which tfjs builds", async () => {
    const dense = {class_name: 'Dense', config: {name: 'd', units: 2, kernel_regularizer: {class_name: 'L2', config: {l2: 0.5}}, bias_regularizer: {class_name: 'L1', config: {l1: 0.25}}, kernel_initializer: {class_name: 'LecunNormal', config: {seed: null}}}}
    expect(await tfjsBuilds(seq([input, dense]) as unknown as JsonObject)).toContain('Unknown')
    const written = await plan(seq([input, dense]))
    const config = ((written.config as {layers: JsonObject[]}).layers[1]?.config ?? {}) as JsonObject
    expect(config.kernel_regularizer).toEqual({class_name: 'L1L2', config: {l1: 0, l2: 0.5}})
    expect(config.bias_regularizer).toEqual({class_name: 'L1L2', config: {l1: 0.25, l2: 0}})
    expect(config.kernel_initializer).toEqual({class_name: 'LeCunNormal', config: {seed: null}})
    expect(await tfjsBuilds(written)).toBeNull()
  })
})

describe('refusals: one line naming the layer, FormatError exit 4, nothing planned', () => {
  const refused = (message: string) => expect.objectContaining({code: 'KM_FORMAT_TFJS_UNSUPPORTED', exit: 4, message: expect.stringContaining(message), hint: expect.any(String)})

  it.each([
    ['a class tfjs does not have', seq([input, {class_name: 'Lambda', config: {name: 'lam', function: 'x'}}]), "Layer 'lam' (Lambda) is a class TensorFlow.js (tfjs-layers 4.22) does not have."],
    ['the same inside a wrapper', seq([input, {class_name: 'TimeDistributed', config: {name: 'td', layer: {class_name: 'Subtract', config: {name: 'sub'}}}}]), "Layer 'sub' (Subtract) is a class"],
    ['a GRU with reset_after inside Bidirectional', seq([{class_name: 'InputLayer', config: {name: 'in', batch_input_shape: [null, 3, 2]}}, {class_name: 'Bidirectional', config: {name: 'bi', layer: {class_name: 'GRU', config: {name: 'gru', units: 2, reset_after: true, recurrent_activation: 'sigmoid'}}}}]), "Layer 'gru' (GRU) has reset_after=True"],
    ['an initializer tfjs does not have', seq([input, {class_name: 'Dense', config: {name: 'd', units: 1, kernel_initializer: {class_name: 'STFTInitializer', config: {}}}}]), "Layer 'd' (Dense) uses STFTInitializer (kernel_initializer), which TensorFlow.js does not have."],
    ['a mixed-precision policy', seq([input, {class_name: 'Dense', config: {name: 'd', units: 1, dtype: {class_name: 'Policy', config: {name: 'mixed_float16'}}}}]), "Layer 'd' (Dense) uses Policy (dtype)"],
    ['a non-finite number', JSON.stringify(seq([input, {class_name: 'ReLU', config: {name: 'r', max_value: '__inf__'}}])).replace('"__inf__"', 'Infinity'), "Layer 'r' (ReLU) has Infinity in 'max_value', which a model.json cannot hold"],
    ['a Sequential without an input shape', seq([{class_name: 'Dense', config: {name: 'd', units: 1}}]), "Layer 's' (Sequential) does not say the shape of its input"],
  ])('%s', async (_name, doc, message) => {
    await expect(plan(doc)).rejects.toEqual(refused(message))
  })

  it("refuses Keras 3's hard_sigmoid (the keras2 dialect conversion refuses it: same name, other numbers)", async () => {
    const doc = {module: 'keras', class_name: 'Sequential', registered_name: null, config: {name: 's', layers: [{module: 'keras.layers', class_name: 'InputLayer', config: {name: 'in', batch_shape: [null, 4], dtype: 'float32'}, registered_name: null}, {module: 'keras.layers', class_name: 'Activation', config: {name: 'hs', activation: 'hard_sigmoid'}, registered_name: null}]}}
    await expect(plan(doc)).rejects.toEqual(expect.objectContaining({code: 'KM_FORMAT_NO_LEGACY_FORM', exit: 4, message: expect.stringContaining("Layer 'hs' (Activation): activation=\"hard_sigmoid\""), hint: expect.any(String)}))
  })

  it("allows Keras 2's hard_sigmoid, which tfjs computes as Keras 2 does", async () => {
    await expect(plan(seq([input, {class_name: 'Activation', config: {name: 'hs', activation: 'hard_sigmoid'}}]))).resolves.toBeDefined()
  })

  it('refuses a Keras 3 part with no legacy form', async () => {
    const lambda = {class_name: '__lambda__', config: {code: 'abc', defaults: null, closure: null}}
    const doc = {module: 'keras', class_name: 'Sequential', registered_name: null, config: {name: 's', layers: [{module: 'keras.layers', class_name: 'InputLayer', config: {name: 'in', batch_shape: [null, 4], dtype: 'float32'}, registered_name: null}, {module: 'keras.layers', class_name: 'Dense', config: {name: 'd', units: 1, activation: lambda}, registered_name: null}]}}
    await expect(plan(doc)).rejects.toEqual(refused("Layer 'd' has no form TensorFlow.js can read: 'activation' holds a Keras 3 __lambda__ object with no legacy form."))
  })

  it('refuses weights the model itself owns and duplicate weight names', async () => {
    const doc = seq([input, {class_name: 'Dense', config: {name: 'd', units: 1}}, {class_name: 'Dense', config: {name: 'e', units: 1}}])
    const w = (name: string, n: number) => ({name, shape: [n], dtype: 'float32' as const, data: new Float32Array(n)})
    const ownWeights = {...noWeights, top_level: [w('step:0', 1)]}
    await expect(plan(doc, ownWeights)).rejects.toEqual(refused("The model itself owns 1 weight(s) ('step:0')"))
    const sub = (name: string) => ({class_name: 'Sequential', config: {name, layers: [{class_name: 'Dense', config: {name: 'dense', units: 1, batch_input_shape: [null, 1]}}]}})
    const twoNested = seq([{class_name: 'InputLayer', config: {name: 'in', batch_input_shape: [null, 1]}}, sub('a'), sub('b')])
    const inner = (name: string) => ({name, path: `/${name}`, name_is_layer_name: true, weights: [{...w('dense/kernel:0', 1), shape: [1, 1]}, w('dense/bias:0', 1)]})
    await expect(plan(twoNested, {...noWeights, layers: [inner('a'), inner('b')]})).rejects.toEqual(refused("Weight name 'dense/kernel' occurs twice (layers 'a' and 'b')"))
    const flat = seq([{class_name: 'InputLayer', config: {name: 'in', batch_input_shape: [null, 1]}}, {class_name: 'Dense', config: {name: 'd', units: 1}}, {class_name: 'Dense', config: {name: 'e', units: 1}}])
    await expect(plan(flat, {...noWeights, layers: [inner('d'), inner('e')]})).resolves.toBeDefined() // not nested: renamed d/… and e/…
  })
})
