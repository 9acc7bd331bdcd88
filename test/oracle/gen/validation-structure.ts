/**
 * Suite b (validation): the cases that are not one argument's value — unknown or missing keys, the input layer's
 * shape, layer and model names, class names, graph references, shapes merge layers cannot combine, `__proto__`
 * keys, and the other generation's spellings (Keras 2 list-form nodes in a Keras 3 document and back).
 */
import type {Generation} from '../harness.js'
import type {BaseName} from './validation-bases.js'
import {del, rename, set, type Structural, type ValidationEdit} from './validation-edits.js'

const s = (base: BaseName, label: string, edits: ValidationEdit[], valid = false): Structural => ({base, label, edits, ...(valid ? {valid: true as const} : {})})

/** The input layer's shape key: Keras 3 writes batch_shape, Keras 2 batch_input_shape. */
const batchKey = (g: Generation): string => (g === 'keras3' ? 'batch_shape' : 'batch_input_shape')

function keyCases(): Structural[] {
  return [
    s('Dense', 'activation->activaton', [rename('activation', 'activaton')]),
    s('Dense', 'units->unit', [rename('units', 'unit')]),
    s('Dense', 'units->output_dim', [rename('units', 'output_dim')]),
    s('Dense', '+foo=1', [set('foo', '1')]),
    s('Dense', '-units', [del('units')]),
    s('Dense', '-activation', [del('activation')], true),
    s('Dense', '-kernel_initializer', [del('kernel_initializer')], true),
    s('Conv2D', 'filters->nb_filter', [rename('filters', 'nb_filter')]),
    s('Conv2D', 'kernel_size->kernel_sizes', [rename('kernel_size', 'kernel_sizes')]),
    s('Conv2D', '-filters', [del('filters')]),
    s('Conv2D', '-kernel_size', [del('kernel_size')]),
    s('Conv2D', '-strides', [del('strides')], true),
    s('LSTM', 'units->output_dim', [rename('units', 'output_dim')]),
    s('LSTM', '-units', [del('units')]),
    s('Dropout', 'rate->p', [rename('rate', 'p')]),
    s('Dropout', '-rate', [del('rate')]),
    s('Embedding', '-input_dim', [del('input_dim')]),
    s('Embedding', '-output_dim', [del('output_dim')]),
    s('Reshape', '-target_shape', [del('target_shape')]),
    s('RepeatVector', '-n', [del('n')]),
    s('Permute', '-dims', [del('dims')]),
    s('MultiHeadAttention', '-num_heads', [del('num_heads')]),
    s('MultiHeadAttention', '-key_dim', [del('key_dim')]),
    s('Bidirectional', '-layer', [del('layer')]),
    s('TimeDistributed', '-layer', [del('layer')]),
    s('Bidirectional', 'layer.units->unit', [{layer: 'l', path: ['config', 'layer', 'config', 'units'], op: 'rename', to: 'unit'}]),
  ]
}

function protoCases(g: Generation): Structural[] {
  return [
    s('Dense', '__proto__={"polluted": true}', [set('__proto__', '{"polluted": true}')]),
    s('Dense', '__proto__={"units": -5},-units', [del('units'), set('__proto__', '{"units": -5}')]),
    s('Dense', '__proto__={"units": 3},-units', [del('units'), set('__proto__', '{"units": 3}')]),
    s('Dense', 'entry.__proto__={}', [set(['__proto__'], '{}')]),
    s('Dense', 'x.__proto__={...}', [set('__proto__', `{"${batchKey(g)}": [null, -1]}`, 'x')]),
    s('Dense', 'root.__proto__={}', [set(['__proto__'], '{}', null)]),
    s('Dense', 'model.__proto__={"name": 5}', [set(['config', '__proto__'], '{"name": 5}', null)]),
  ]
}

function inputCases(g: Generation): Structural[] {
  const key = batchKey(g)
  const other = g === 'keras3' ? 'batch_input_shape' : 'batch_shape'
  const bad = ['[null, -4]', '[null, NaN]', '[null, 1e400]', '[null, 9007199254740993]', '[null, 1e300]', '[null, 0]', '[null, 2.5]', '[null, "4"]',
    '[-1, 4]', '[0, 4]', '[null, null]', '[4]', '"4"', 'null', '[null, -0]', '[null, 4.0]', '[]', '[null, 4, 1]', '[null, Infinity]']
  return [
    ...bad.map((v) => s('Dense', `x.${key}=${v}`, [set(key, v, 'x')])),
    s('Dense', `x.${key}=[2, 4]`, [set(key, '[2, 4]', 'x')], true),
    s('Dense', `x.${key}->${other}`, [rename(key, other, 'x')]),
    s('Dense', `x.${key}->input_shape`, [rename(key, 'input_shape', 'x')]),
    s('Dense', `x.-${key}`, [del(key, 'x')]),
    s('Dense', 'x.dtype="float33"', [set('dtype', '"float33"', 'x')]),
    s('Dense', 'x.dtype=5', [set('dtype', '5', 'x')]),
    s('Dense', 'x.dtype="float64"', [set('dtype', '"float64"', 'x')], true),
    s('Dense', 'x.dtype="int32"', [set('dtype', '"int32"', 'x')]),
    s('Dense', 'x.sparse="yes"', [set('sparse', '"yes"', 'x')]),
    s('Dense', 'x.name=""', [set('name', '""', 'x')]),
    s('Conv2D', `x.${key}=[null, 2, 2, 2]`, [set(key, '[null, 2, 2, 2]', 'x')]),
    s('Conv2D', `x.${key}=[null, 6, 6]`, [set(key, '[null, 6, 6]', 'x')]),
    s('LSTM', `x.${key}=[null, null, 3]`, [set(key, '[null, null, 3]', 'x')], true),
    s('LSTM', `x.${key}=[null, 5, null]`, [set(key, '[null, 5, null]', 'x')]),
    s('Embedding', 'x.dtype="float32"', [set('dtype', '"float32"', 'x')], true),
  ]
}

/** Shapes the merge layers cannot combine (the second input's shape edited), and merges of the wrong arity. */
function mergeCases(g: Generation): Structural[] {
  const key = batchKey(g)
  const shapes = (base: BaseName, values: string[], good: string[] = []): Structural[] => [
    ...values.map((v) => s(base, `y.${key}=${v}`, [set(key, v, 'y')])),
    ...good.map((v) => s(base, `y.${key}=${v}`, [set(key, v, 'y')], true)),
  ]
  const elementwise: BaseName[] = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']
  return [
    ...elementwise.flatMap((b) => shapes(b, ['[null, 5]', '[null, 4, 1]'], ['[null, 1]'])),
    ...shapes('Concatenate', ['[null, 3, 4]', '[null, 2, 4, 1]', '[null, 2]'], ['[null, 2, 5]']),
    ...shapes('Dot', ['[null, 5]', '[null, 4, 2]']),
    ...shapes('Attention', ['[null, 5, 3]', '[null, 5]']),
    ...shapes('MultiHeadAttention', ['[null, 5]', '[null, 5, 4, 1]'], ['[null, 5, 3]']),
    s('Add3', 'class_name="Subtract"', [set(['class_name'], '"Subtract"')]),
    s('Add3', 'class_name="Dot"', [set(['class_name'], '"Dot"')]),
    s('Add3', 'class_name="Concatenate"', [set(['class_name'], '"Concatenate"')], true),
    s('Add', 'class_name="Addd"', [set(['class_name'], '"Addd"')]),
  ]
}

/** Outer names against config names, class names, graph references, and the other generation's node form. */
function graphCases(g: Generation): Structural[] {
  const k3Node = '[{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 4], "dtype": "float32", "keras_history": ["x", 0, 0]}}], "kwargs": {}}]'
  const refs = ['[[["zz", 0, 0, {}]]]', '[[["x", 5, 0, {}]]]', '[[["x", 0, 3, {}]]]', '[[["x", -1, 0, {}]]]', '[[["x", 0.5, 0, {}]]]', '[[["l", 0, 0, {}]]]', '"x"']
  return [
    s('DenseFunctional', 'entry.name="other"', [set(['name'], '"other"')]),
    s('DenseFunctional', 'name="other"', [set('name', '"other"')]),
    s('DenseFunctional', 'entry.name,name="other"', [set(['name'], '"other"'), set('name', '"other"')]),
    s('DenseFunctional', 'entry.-name', [del(['name'])]),
    s('DenseFunctional', 'inbound_nodes=keras2 form', [set(['inbound_nodes'], '[[["x", 0, 0, {}]]]')], true),
    s('DenseFunctional', 'inbound_nodes=keras3 form', [set(['inbound_nodes'], k3Node)], g === 'keras3'),
    ...refs.map((v) => s('DenseFunctional', `inbound_nodes=${v}`, [set(['inbound_nodes'], v)])),
    s('DenseFunctional', 'inbound_nodes=[]', [set(['inbound_nodes'], '[]')]),
    s('DenseFunctional', 'output_layers=[["zz", 0, 0]]', [set(['config', 'output_layers'], '[["zz", 0, 0]]', null)]),
    s('DenseFunctional', 'output_layers=[["l", 1, 0]]', [set(['config', 'output_layers'], '[["l", 1, 0]]', null)]),
    s('DenseFunctional', 'input_layers=[]', [set(['config', 'input_layers'], '[]', null)]),
    s('DenseFunctional', 'input_layers=[["l", 0, 0]]', [set(['config', 'input_layers'], '[["l", 0, 0]]', null)]),
    s('Dense', 'class_name="Dnese"', [set(['class_name'], '"Dnese"')]),
    s('Dense', 'class_name="dense"', [set(['class_name'], '"dense"')]),
    s('Dense', 'class_name=5', [set(['class_name'], '5')]),
    s('Dense', 'entry.-config', [del(['config'])]),
    s('Dense', 'entry.config=[]', [set(['config'], '[]')]),
    s('Dense', 'entry.-module', [del(['module'])], true),
    s('Dense', 'root.class_name="Sequentil"', [set(['class_name'], '"Sequentil"', null)]),
    s('Dense', 'root.class_name="Functional"', [set(['class_name'], '"Functional"', null)]),
    s('Dense', 'model.name=5', [set(['config', 'name'], '5', null)]),
    s('Dense', 'model.name=""', [set(['config', 'name'], '""', null)]),
    s('Dense', 'model.layers={}', [set(['config', 'layers'], '{}', null)]),
    s('Dense', 'model.layers=[]', [set(['config', 'layers'], '[]', null)]),
    s('Dense', 'model.-layers', [del(['config', 'layers'], null)]),
    s('Dense', 'root.keras_version="1.2.2"', [set(['keras_version'], '"1.2.2"', null)]),
    s('Dense', 'root.keras_version="3.0.0"', [set(['keras_version'], '"3.0.0"', null)]),
  ]
}

/** Spellings of the same argument that both generations accept (objects against names, the other dtype form). */
function formCases(g: Generation): Structural[] {
  const policy = '{"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}'
  return [
    s('Dense', 'dtype="float32"', [set('dtype', '"float32"')], true),
    s('Dense', 'dtype=DTypePolicy', [set('dtype', policy)], g === 'keras3'),
    s('Dense', 'dtype="float33"', [set('dtype', '"float33"')]),
    s('Dense', 'dtype="mixed_float16"', [set('dtype', '"mixed_float16"')], true),
    s('Dense', 'activation=legacy function', [set('activation', '{"module": "keras.activations", "class_name": "function", "config": "relu", "registered_name": "function"}')], g === 'keras3'),
    s('Conv2D', 'strides=2,dilation_rate=2', [set('strides', '[2, 2]'), set('dilation_rate', '[2, 2]')]),
    s('LSTM', 'return_sequences=true,return_state=true', [set('return_sequences', 'true'), set('return_state', 'true')]),
    s('LSTM', 'return_state=true', [set('return_state', 'true')]),
    s('Embedding', 'input_length=5,mask_zero=true', [set('input_length', '5'), set('mask_zero', 'true')]),
    s('LeakyReLU', g === 'keras3' ? 'negative_slope->alpha' : 'alpha->negative_slope', [g === 'keras3' ? rename('negative_slope', 'alpha') : rename('alpha', 'negative_slope')]),
  ]
}

/** Every spelt-out case for a generation. */
export function structuralCases(g: Generation): Structural[] {
  return [...keyCases(), ...protoCases(g), ...inputCases(g), ...mergeCases(g), ...graphCases(g), ...formCases(g)]
}
