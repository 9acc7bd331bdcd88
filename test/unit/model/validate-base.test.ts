/**
 * The base-layer checks (validate-base.ts) and the structural rules around them, beyond the oracle suite's cases.
 * Every expectation below is what the real Keras did in the oracle venv (Keras 3.15 `keras`, tf-keras 2.21),
 * probed with `Dense.from_config({...})` called on `Input((3,))` unless said otherwise.
 */
import {describe, expect, it} from 'vitest'
import {checkModelFile, strictCheck, validateRead} from '../../../src/core/check.js'
import {parseKerasYaml} from '../../../src/core/formats/yaml.js'
import {readModel} from '../../../src/core/read.js'
import {didYouMean, dtypeProblem, inputDtypeProblem, nameProblem} from '../../../src/core/model/validate-base.js'
import type {Json} from '../../../src/core/json.js'

const keras2Doc = (dense: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({
  class_name: 'Sequential', keras_version: '2.21.0', backend: 'tensorflow',
  config: {name: 'm', layers: [
    {class_name: 'InputLayer', config: {batch_input_shape: [null, 4], dtype: 'float32', name: 'x'}},
    {class_name: 'Dense', config: {name: 'd', units: 3, ...dense}, ...extra},
  ]},
})
const keras3Doc = (dense: Record<string, unknown>) => JSON.stringify({
  module: 'keras', class_name: 'Sequential', registered_name: null,
  config: {name: 'm', layers: [
    {module: 'keras.layers', class_name: 'InputLayer', config: {batch_shape: [null, 4], dtype: 'float32', name: 'x'}, registered_name: null},
    {module: 'keras.layers', class_name: 'Dense', config: {name: 'd', units: 3, ...dense}, registered_name: null},
  ]},
})
const check = (text: string) => checkModelFile({bytes: new TextEncoder().encode(text), name: 'm.json'})

describe('dtype, per generation', () => {
  // Keras 3: dtype_policies.get — DTypePolicy(name) takes "mixed_*" and standardize_dtype names ("int" too);
  // a name starting with a quantization mode needs "<mode>_from_<policy>"; anything not a string or dict raises.
  it.each([
    [null, true], ['float32', true], ['mixed_bfloat16', true], ['int', true], ['int64', true], ['int8_from_float32', true],
    ['float8_from_mixed_bfloat16', true], ['int8', false], ['float8_e4m3fn', false], ['float', false], ['half', false], ['', false],
    ['float33', false], ['_infer', false], [5, false], [true, false], [{class_name: 'DTypePolicy', config: {name: 'float32'}}, true],
    [{class_name: 'DTypePolicy', config: {name: 'float33'}}, false], [{config: {name: 'float32'}}, false],
  ])('Keras 3 dtype %j → %s', (value, ok) => {
    expect(dtypeProblem(value as never, 'keras3') === undefined).toBe(ok)
  })

  // tf-keras: Policy(name) takes "mixed_*" and every tf.as_dtype name; a falsy value is None; an int is a DataType enum.
  it.each([
    [null, true], ['float32', true], ['half', true], ['double', true], ['mixed_float16', true], ['', true], [0, true], [false, true],
    [1, true], [19, true], [true, true], ['int', false], ['_infer', false], ['float33', false], ['int8_from_float32', false], [100, false],
    [1.5, false], [{class_name: 'Policy', config: {name: 'mixed_float16'}}, true], [{class_name: 'PolicyV1', config: {name: 'mixed_float16', loss_scale: null}}, true],
    [{class_name: 'Policy', config: {name: 'float33'}}, false], [{class_name: 'Foo', config: {name: 'float32'}}, false],
  ])('Keras 2 dtype %j → %s', (value, ok) => {
    expect(dtypeProblem(value as never, 'keras2') === undefined).toBe(ok)
  })
})

describe('name', () => {
  // Keras 3 Operation.__init__: str without "/" or None; tf-keras: str or None.
  it('Keras 3 refuses "/" and non-strings, Keras 2 only non-strings', () => {
    expect(nameProblem('a/b', 'keras3')).toBeDefined()
    expect(nameProblem('a/b', 'keras2')).toBeUndefined()
    expect(nameProblem(5, 'keras2')).toBeDefined()
    expect(nameProblem(null, 'keras3')).toBeUndefined()
    expect(nameProblem('', 'keras3')).toBeUndefined()
  })

  it('gives a layer saved without a name (None, or no key) one, as Keras generates it', async () => {
    const text = JSON.stringify({class_name: 'Sequential', keras_version: '2.21.0', config: {name: 'm', layers: [
      {class_name: 'InputLayer', config: {batch_input_shape: [null, 4], name: 'x'}},
      {class_name: 'Dense', config: {units: 3, name: null}},
      {class_name: 'Dense', config: {units: 2}},
    ]}})
    const {model} = await readModel({bytes: new TextEncoder().encode(text), name: 'm.json'})
    expect(model.root.graph.layers.map((l) => l.name)).toEqual(['x', 'dense', 'dense_1'])
    expect((await check(text)).valid).toBe(true)
  })

  it('warns when an entry name differs from config.name (Keras 3 and 2 accept: the graph uses the entry name)', async () => {
    const text = JSON.stringify({class_name: 'Functional', keras_version: '2.21.0', config: {name: 'm', layers: [
      {class_name: 'InputLayer', name: 'x', config: {batch_input_shape: [null, 4], name: 'x'}, inbound_nodes: []},
      {class_name: 'Dense', name: 'l', config: {units: 3, name: 'other'}, inbound_nodes: [[['x', 0, 0, {}]]]},
    ], input_layers: [['x', 0, 0]], output_layers: [['l', 0, 0]]}})
    const r = await check(text)
    expect(r.valid).toBe(true)
    expect(r.warnings.map((w) => w.message).join('\n')).toContain("config.name 'other'")
  })
})

describe('unknown arguments', () => {
  it('are errors where the generation raises (tf-keras "Keyword argument not understood")', async () => {
    const r = await check(keras2Doc({foo: 1}))
    expect(r.exit).toBe(4)
    expect(r.errors[0]?.path).toBe('$.config.layers[1].config.foo')
  })

  // Keras 3 InputLayer.__init__ takes **kwargs and never passes them on: InputLayer.from_config({..., "zzz": 1}) loads.
  it('are warnings where Keras drops them (Keras 3 InputLayer)', async () => {
    const text = keras3Doc({}).replace('"batch_shape":[null,4]', '"batch_shape":[null,4],"zzz":1')
    const r = await check(text)
    expect(r.valid).toBe(true)
    expect(r.warnings.some((w) => w.path.endsWith('.zzz'))).toBe(true)
    expect(strictCheck(r)).toMatchObject({valid: false, exit: 4})
  })

  it('a `__proto__` key is a key (never a prototype): refused as an argument, its values never read', async () => {
    const r = await check(keras2Doc({units: undefined, ['__proto__']: {units: 3}}).replace('"units":3,', ''))
    expect(r.exit).toBe(4)
    expect(r.errors.map((e) => e.message).join('\n')).toContain('__proto__')
  })

  it('a `__proto__` key of the model config is ignored, as Keras ignores it', async () => {
    const text = keras3Doc({}).replace('"name":"m",', '"name":"m","__proto__":{"name":5},')
    expect((await check(text)).valid).toBe(true)
  })
})

describe('trainable', () => {
  it('must be a bool in both generations', async () => {
    expect((await check(keras2Doc({trainable: 1}))).exit).toBe(4)
    expect((await check(keras3Doc({trainable: null}))).exit).toBe(4)
    expect((await check(keras3Doc({trainable: false}))).exit).toBe(0)
  })
})

describe('validateRead', () => {
  it('refuses with the first problem, its JSON path and how many more there are', async () => {
    const read = await readModel({bytes: new TextEncoder().encode(keras2Doc({units: -5, foo: 1})), name: 'm.json'})
    expect(() => validateRead(read)).toThrow(/m\.json: .*units.* at \$\.config\.layers\[1\]\.config\.units \(and 1 more problem\)\./)
  })
})

describe('YAML ListWrapper (TF 2.4 to_yaml)', () => {
  const tag = '!!python/object/apply:tensorflow.python.training.tracking.data_structures.ListWrapper'
  it('reads a ListWrapper of a list as the list', () => {
    expect(parseKerasYaml(`axis: ${tag}\n- - 3\n`, 'm.yaml')).toEqual({axis: [3]})
  })
  it('refuses every other python object tag', () => {
    expect(() => parseKerasYaml('axis: !!python/object/apply:os.system ["ls"]\n', 'm.yaml')).toThrow(/refuses to construct/)
    expect(() => parseKerasYaml(`axis: ${tag}\n- 3\n`, 'm.yaml')).toThrow()
  })
})

describe('unknown classes', () => {
  // Keras 3 "Could not deserialize 'keras.layers.Dnese'", tf-keras "Unknown layer: 'Densee'": refused unless a
  // custom class is registered, so kmodel warns (a custom layer is legitimate) and names the likely built-in.
  it('suggests the built-in class a typo is close to', () => {
    expect(didYouMean('Dnese')).toBe('Dense')
    expect(didYouMean('dense')).toBe('Dense')
    expect(didYouMean('LSTMM')).toBe('LSTM')
    expect(didYouMean('Sampling')).toBeUndefined()
  })
})

describe('InputLayer dtype (a tensor dtype, not a policy)', () => {
  // Probed with model_from_json on a one-input model whose InputLayer dtype was set (Keras 3.15, tf-keras 2.21).
  it('Keras 3: standardize_dtype names and a DTypePolicy dict', () => {
    for (const ok of ['string', 'bool', 'int64', 'int', 'complex64', null, {module: 'keras', class_name: 'DTypePolicy', config: {name: 'float32'}}]) {
      expect(inputDtypeProblem(ok as Json, 'keras3'), JSON.stringify(ok)).toBeUndefined()
    }
    for (const bad of ['mixed_float16', 'float33', 5, 'float', 'half', 'double', 'qint8', 1, true, '']) {
      expect(inputDtypeProblem(bad, 'keras3'), JSON.stringify(bad)).toBeDefined() // TypeError in model_from_json
    }
  })
  it('tf-keras: TensorFlow names and enum values, falsy values; policies refused', () => {
    for (const ok of ['string', 'int64', 'float', 'half', 'double', 'qint8', 'float8_e4m3fn', 5, 1, true, '', null]) {
      expect(inputDtypeProblem(ok, 'keras2'), JSON.stringify(ok)).toBeUndefined()
    }
    for (const bad of ['mixed_float16', 'float33', 'int', {module: 'keras', class_name: 'DTypePolicy', config: {name: 'float32'}}]) {
      expect(inputDtypeProblem(bad as Json, 'keras2'), JSON.stringify(bad)).toBeDefined() // TypeError in model_from_json
    }
  })
})
