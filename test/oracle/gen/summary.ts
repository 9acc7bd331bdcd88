/**
 * Suite c (summary): models whose `model.summary()` Keras prints and kmodel must print byte for byte. The
 * one-layer family cases (summary-layers.ts), then structures the goldens do not cover: the Connected to column,
 * shared layers, return_state, attention, nested models expanded or not, frozen layers with the Trainable
 * column, long and unicode names, many layers, model-name quirks, explicit line lengths and weight dtypes.
 * Deterministic (the cases are listed, not drawn); models are tiny so the fixtures stay small.
 */
import type {Generation} from '../harness.js'
import type {SummaryOptions} from '../checks/summary.js'
import {
  type Args, type Dims, INT, layer, lstm, makeCase, NESTED, NESTED_FROZEN, sequential, singles, type SummaryCase, type SummaryLayer,
  type SummaryModel, type SummaryNode, TRAINABLE,
} from './summary-layers.js'

export type {SummaryCase} from './summary-layers.js'

const functional = (name: string | undefined, inputs: SummaryModel['inputs'], layers: SummaryLayer[], nodes: SummaryNode[], outputs: string[]): SummaryModel =>
  ({kind: 'functional', ...(name === undefined ? {} : {name}), inputs, layers, nodes, outputs})
const node = (layerName: string, inputs: string | string[], output: string | string[], more: Partial<SummaryNode> = {}): SummaryNode =>
  ({layer: layerName, inputs, output, ...more})
const inp = (name: string, shape: Dims, dtype?: string): SummaryModel['inputs'][number] => ({name, shape, ...(dtype === undefined ? {} : {dtype})})
const dense = (name: string, units = 2, args: Args = {}): SummaryLayer => layer(name, 'Dense', {units, ...args})
const nested = (model: SummaryModel & {name: string}): SummaryLayer => ({name: model.name, class_name: '__model__', model})
/** A chain of layers as a functional graph from one input. */
function chain(name: string | undefined, shape: Dims, layers: SummaryLayer[]): SummaryModel {
  const nodes = layers.map((l, i) => node(l.name, i === 0 ? 'x' : `t${i - 1}`, `t${i}`))
  return functional(name, [inp('x', shape)], layers, nodes, [`t${layers.length - 1}`])
}
/** `inputs` of one shape merged by one layer (`Add`, `Concatenate`, ...). */
function merged(id: string, className: string, count: number, shape: Dims, args: Args = {}): Omit<SummaryCase, 'seed'> {
  const names = Array.from({length: count}, (_, i) => `in_${i + 1}`)
  return makeCase(id, functional('m', names.map((n) => inp(n, shape)), [layer('merge', className, args)], [node('merge', names, 'o')], ['o']))
}

const MERGES: Array<[string, Args]> = [['Add', {}], ['Subtract', {}], ['Multiply', {}], ['Average', {}], ['Maximum', {}], ['Minimum', {}],
  ['Concatenate', {axis: -1}], ['Dot', {axes: 1}], ['Dot', {axes: 1, normalize: true}]]

function graphCases(): Array<Omit<SummaryCase, 'seed'>> {
  return [
    makeCase('structure/mlp', sequential('mlp', [4], [dense('d1', 4, {activation: 'relu'}), layer('drop', 'Dropout', {rate: 0.1}), dense('d2')]), {variants: TRAINABLE}),
    makeCase('structure/cnn', sequential('cnn', [6, 6, 1], [layer('c', 'Conv2D', {filters: 2, kernel_size: 3}), layer('p', 'MaxPooling2D', {}), layer('f', 'Flatten'), dense('d', 3)])),
    makeCase('structure/rnn-stack', sequential('rnn', [5], [layer('e', 'Embedding', {input_dim: 9, output_dim: 3}), layer('l', 'LSTM', {units: 2, return_sequences: true}), layer('g', 'GRU', {units: 2}), dense('d', 1)], INT)),
    makeCase('functional/chain', chain('chain', [4], [dense('a', 3), dense('b', 2)]), {variants: TRAINABLE}),
    makeCase('functional/two-inputs', functional('two_in', [inp('a', [3]), inp('b', [2])], [layer('cat', 'Concatenate'), dense('d')],
      [node('cat', ['a', 'b'], 'j'), node('d', 'j', 'o')], ['o']), {variants: TRAINABLE}),
    makeCase('functional/two-outputs', functional('two_out', [inp('x', [4])], [dense('trunk', 3), dense('head_a', 1), dense('head_b', 2)],
      [node('trunk', 'x', 't'), node('head_a', 't', 'a'), node('head_b', 't', 'b')], ['a', 'b'])),
    makeCase('functional/intermediate-output', functional('mid', [inp('x', [4])], [dense('d1', 3), dense('d2')],
      [node('d1', 'x', 't'), node('d2', 't', 'o')], ['o', 't'])),
    ...MERGES.map(([c, args], i) => merged(`functional/merge-${c}${i === 8 ? '-normalize' : ''}`, c, 2, [3], args)),
    merged('functional/add-of-three', 'Add', 3, [3]),
    merged('functional/concat-of-eight', 'Concatenate', 8, [2]),
    makeCase('functional/shared-dense', functional('shared', [inp('a', [3]), inp('b', [3])], [dense('d'), layer('add', 'Add')],
      [node('d', 'a', 'da'), node('d', 'b', 'db'), node('add', ['da', 'db'], 'o')], ['o']), {variants: TRAINABLE}),
    makeCase('functional/shared-thrice', functional('thrice', [inp('a', [3]), inp('b', [3]), inp('c', [3])], [dense('d'), layer('cat', 'Concatenate')],
      [node('d', 'a', 'da'), node('d', 'b', 'db'), node('d', 'c', 'dc'), node('cat', ['da', 'db', 'dc'], 'o')], ['o'])),
    makeCase('functional/shared-multiple-shapes', functional('multi', [inp('a', [2, 3]), inp('b', [3, 3])], [layer('f', 'Flatten'), layer('cat', 'Concatenate')],
      [node('f', 'a', 'fa'), node('f', 'b', 'fb'), node('cat', ['fa', 'fb'], 'o')], ['o'])),
    makeCase('functional/shared-conv-multiple', functional('conv_multi', [inp('a', [5, 5, 1]), inp('b', [6, 6, 1])],
      [layer('c', 'Conv2D', {filters: 2, kernel_size: 3}), layer('g', 'GlobalAveragePooling2D'), layer('add', 'Add')],
      [node('c', 'a', 'ca'), node('c', 'b', 'cb'), node('g', 'ca', 'ga'), node('g', 'cb', 'gb'), node('add', ['ga', 'gb'], 'o')], ['o'])),
    makeCase('functional/shared-chain', functional('shared_chain', [inp('x', [3])], [dense('d', 3)], [node('d', 'x', 't'), node('d', 't', 'o')], ['o'])),
    makeCase('functional/embeddings-dot', functional('recsys', [inp('user', [1], INT), inp('item', [1], INT)],
      [layer('ue', 'Embedding', {input_dim: 5, output_dim: 3}), layer('ie', 'Embedding', {input_dim: 6, output_dim: 3}), layer('uf', 'Flatten'), layer('if', 'Flatten'), layer('dot', 'Dot', {axes: 1})],
      [node('ue', 'user', 'u'), node('ie', 'item', 'i'), node('uf', 'u', 'u2'), node('if', 'i', 'i2'), node('dot', ['u2', 'i2'], 'o')], ['o'])),
  ]
}

function rnnAttentionCases(generation: Generation): Array<Omit<SummaryCase, 'seed'>> {
  const x = [inp('x', [4, 3])]
  const qv = [inp('q', [3, 4]), inp('v', [5, 4])]
  const cases = [
    makeCase('rnn/LSTM-return_state', functional('state', x, [layer('l', 'LSTM', {units: 2, return_state: true}), layer('cat', 'Concatenate')],
      [node('l', 'x', ['o', 'h', 'c']), node('cat', ['h', 'c'], 'hc')], ['o', 'hc'])),
    makeCase('rnn/GRU-return_state,sequences', functional('gstate', x, [layer('g', 'GRU', {units: 2, return_state: true, return_sequences: true})],
      [node('g', 'x', ['o', 'h'])], ['o', 'h'])),
    makeCase('rnn/SimpleRNN-return_state', functional('sstate', x, [layer('s', 'SimpleRNN', {units: 2, return_state: true}), dense('d')],
      [node('s', 'x', ['o', 'h']), node('d', 'h', 'y')], ['o', 'y'])),
    makeCase('rnn/Bidirectional-return_state', functional('bstate', x, [layer('b', 'Bidirectional', {layer: lstm({return_state: true})})],
      [node('b', 'x', ['o', 'fh', 'fc', 'bh', 'bc'])], ['o', 'fh', 'fc', 'bh', 'bc'])),
    makeCase('rnn/Bidirectional-merge_mode=None', functional('bnone', x, [layer('b', 'Bidirectional', {layer: lstm(), merge_mode: null})],
      [node('b', 'x', ['f', 'r'])], ['f', 'r'])),
    makeCase('attention/Attention', functional('att', qv, [layer('a', 'Attention')], [node('a', ['q', 'v'], 'o')], ['o'])),
    makeCase('attention/Attention-use_scale,key', functional('att_k', [...qv, inp('k', [5, 4])], [layer('a', 'Attention', {use_scale: true})],
      [node('a', ['q', 'v', 'k'], 'o')], ['o'])),
    makeCase('attention/AdditiveAttention', functional('add_att', qv, [layer('a', 'AdditiveAttention')], [node('a', ['q', 'v'], 'o')], ['o'])),
    makeCase('attention/MultiHeadAttention-cross', functional('mha', qv, [layer('mha', 'MultiHeadAttention', {num_heads: 2, key_dim: 2})],
      [node('mha', 'q', 'o', {extra_args: ['v']})], ['o'])),
    makeCase('attention/MultiHeadAttention-self', functional('mha_self', [inp('x', [3, 4])], [layer('mha', 'MultiHeadAttention', {num_heads: 2, key_dim: 3, use_bias: false})],
      [node('mha', 'x', 'o', {extra_args: ['x']})], ['o'])),
    makeCase('attention/MultiHeadAttention-scores', functional('mha_scores', qv, [layer('mha', 'MultiHeadAttention', {num_heads: 2, key_dim: 2})],
      [node('mha', 'q', ['o', 's'], {extra_args: ['v'], kwargs: {return_attention_scores: true}})], ['o', 's'])),
    makeCase('attention/MultiHeadAttention-value_dim,output_shape', functional('mha_vd', qv,
      [layer('mha', 'MultiHeadAttention', {num_heads: 1, key_dim: 2, value_dim: 3, output_shape: [5]})], [node('mha', 'q', 'o', {extra_args: ['v']})], ['o'])),
  ]
  if (generation === 'keras3') {
    cases.push(makeCase('attention/GroupQueryAttention', functional('gqa', qv, [layer('gqa', 'GroupQueryAttention', {head_dim: 2, num_query_heads: 2, num_key_value_heads: 1})],
      [node('gqa', 'q', 'o', {extra_args: ['v']})], ['o'])))
  }
  return cases
}

const innerSeq = (name: string, layers: SummaryLayer[], shape = [3]): SummaryModel & {name: string} => ({...sequential(name, shape, layers), name})

function nestedCases(): Array<Omit<SummaryCase, 'seed'>> {
  const inner = innerSeq('inner', [dense('i1', 3), dense('i2')])
  const innerFn = {...functional('inner_fn', [inp('u', [3])], [dense('f1', 3), dense('f2', 3), layer('add', 'Add')],
    [node('f1', 'u', 'a'), node('f2', 'u', 'b'), node('add', ['a', 'b'], 'o')], ['o']), name: 'inner_fn'}
  const deep = innerSeq('level1', [dense('l1', 3), nested(innerSeq('level2', [dense('l2', 3), nested(innerSeq('level3', [dense('l3', 2)]))]))])
  return [
    makeCase('nested/sequential-in-sequential', sequential('outer', [4], [dense('pre', 3), nested(inner), dense('post', 1)]), {variants: NESTED}),
    makeCase('nested/sequential-last', sequential('outer_last', [3], [dense('pre', 3), nested(innerSeq('tail', [dense('t1', 2)]))]), {variants: NESTED}),
    makeCase('nested/functional-in-functional', functional('outer_fn', [inp('x', [3])], [nested(innerFn), dense('head')],
      [node('inner_fn', 'x', 'h'), node('head', 'h', 'o')], ['o']), {variants: NESTED}),
    makeCase('nested/functional-in-sequential', sequential('seq_fn', [3], [nested(innerFn), dense('head')]), {variants: NESTED}),
    makeCase('nested/sequential-in-functional-two-inputs', functional('two_fn', [inp('a', [3]), inp('b', [3])], [nested(inner), layer('cat', 'Concatenate')],
      [node('inner', 'a', 'ia'), node('cat', ['ia', 'b'], 'o')], ['o']), {variants: NESTED}),
    makeCase('nested/three-levels', sequential('top', [3], [nested(deep)]), {variants: NESTED}),
    makeCase('nested/shared-inner', functional('siamese', [inp('a', [3]), inp('b', [3])], [nested(inner), layer('sub', 'Subtract')],
      [node('inner', 'a', 'ia'), node('inner', 'b', 'ib'), node('sub', ['ia', 'ib'], 'o')], ['o']), {variants: NESTED}),
    makeCase('nested/inner-batchnorm', sequential('outer_bn', [4], [nested(innerSeq('block', [dense('bd', 3), layer('bn', 'BatchNormalization')], [4])), dense('out', 1)]), {variants: NESTED}),
    makeCase('nested/frozen-inner-layer', sequential('outer_fr', [4], [dense('pre', 3), nested(inner)]), {freeze: ['inner/i1'], variants: NESTED_FROZEN}),
    makeCase('nested/frozen-inner-model', sequential('outer_fm', [4], [dense('pre', 3), nested(inner)]), {freeze: ['inner'], variants: NESTED_FROZEN}),
    makeCase('nested/frozen-functional', functional('outer_ff', [inp('x', [3])], [nested(innerFn), dense('head')],
      [node('inner_fn', 'x', 'h'), node('head', 'h', 'o')], ['o']), {freeze: ['inner_fn'], variants: NESTED_FROZEN}),
  ]
}

function frozenCases(): Array<Omit<SummaryCase, 'seed'>> {
  const mlp = (name: string): SummaryModel => sequential(name, [4], [dense('d1', 3), layer('bn', 'BatchNormalization'), dense('d2')])
  return [
    makeCase('frozen/dense', mlp('fr_dense'), {freeze: ['d1'], variants: TRAINABLE}),
    makeCase('frozen/batchnorm', mlp('fr_bn'), {freeze: ['bn'], variants: TRAINABLE}),
    makeCase('frozen/whole-model', mlp('fr_all'), {freeze: ['.'], variants: TRAINABLE}),
    makeCase('frozen/trainable-arg-functional', functional('fr_fn', [inp('a', [3]), inp('b', [3])], [dense('da', 2, {trainable: false}), dense('db'), layer('add', 'Add')],
      [node('da', 'a', 'x'), node('db', 'b', 'y'), node('add', ['x', 'y'], 'o')], ['o']), {variants: TRAINABLE}),
    makeCase('frozen/weightless-layers', sequential('weightless', [2, 3], [layer('f', 'Flatten'), layer('drop', 'Dropout', {rate: 0.5}, ), dense('d')]), {freeze: ['f'], variants: TRAINABLE}),
    makeCase('frozen/conv-bn-frozen', sequential('cbn', [4, 4, 1], [layer('c', 'Conv2D', {filters: 2, kernel_size: 3}), layer('bn', 'BatchNormalization', {trainable: false}), layer('g', 'GlobalMaxPooling2D')]), {variants: TRAINABLE}),
  ]
}

const LONG = 'a_rather_long_layer_name_that_goes_on_and_on_for_sixty_chars'
/** Layer names tf-keras accepts: TensorFlow's root name-scope pattern (no spaces, quotes, brackets or non-ASCII). */
const TF_SCOPE = /^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$/

const SEQUENTIAL_TOO = new Set(['long-layer', 'very-long-layer', 'cjk', 'emoji', 'rich-markup'])

function nameCases(generation: Generation): Array<Omit<SummaryCase, 'seed'>> {
  const one = (id: string, modelName: string | undefined, layerName: string): Omit<SummaryCase, 'seed'> =>
    makeCase(`names/${id}`, sequential(modelName, [3], [dense(layerName)]))
  const fn = (id: string, layerName: string, inputName = 'x'): Omit<SummaryCase, 'seed'> =>
    makeCase(`names/${id}-functional`, functional('fn_names', [inp(inputName, [3]), inp('y', [2])], [dense(layerName), layer('cat', 'Concatenate')],
      [node(layerName, inputName, 't'), node('cat', ['t', 'y'], 'o')], ['o']))
  const layerNames: Array<[string, string]> = [
    ['long-layer', LONG], ['very-long-layer', `${LONG}_${LONG}`], ['break-markers', 'd),x],y},z'], ['apostrophe', "it's"],
    ['both-quotes', 'say_"it\'s"'], ['spaces', 'a dense layer'], ['latin-accents', 'couche_dénse_ñ'], ['cjk', '全连接层'],
    ['emoji', 'dense_😀'], ['greek', 'πυκνό'], ['rich-markup', '[bold]d'], ['backslash', 'a\\b'], ['slash-arrow-dot', 'blk.1/conv->x'],
  ]
  // Keras 3 refuses `/` in names; tf-keras refuses what TensorFlow's name scopes refuse.
  const allowed = layerNames.filter(([, n]) => (generation === 'keras3' ? !n.includes('/') : TF_SCOPE.test(n)))
  return [
    // Every name in the Connected to column; the three-column Sequential layout for the ones that wrap or are wide.
    ...allowed.flatMap(([id, n]) => (SEQUENTIAL_TOO.has(id) ? [one(id, 'm', n), fn(id, n)] : [fn(id, n)])),
    fn('long-input', 'd', `input_${LONG}`),
    one('model-default-name', undefined, 'd'),
    makeCase('names/model-default-name-functional', chain(undefined, [3], [dense('d')])),
    one('model-quoted', 'say "hi"', 'd'), one('model-unicode', 'modèle_模型', 'd'), one('model-markup', '[red]m', 'd'),
    one('model-long', `model_${LONG}_${LONG}`, 'd'), one('model-spaces', 'my model', 'd'), one('model-break-markers', "m),'x',", 'd'),
  ]
}

function scaleCases(generation: Generation): Array<Omit<SummaryCase, 'seed'>> {
  const many = Array.from({length: 12}, (_, i) => dense(`d${i + 1}`, 2))
  const branches = Array.from({length: 8}, (_, i) => `b${i}`)
  const lengths: SummaryOptions[] = generation === 'keras3'
    ? [{line_length: 60}, {line_length: 100}, {line_length: 60, show_trainable: true}]
    : [{line_length: 50}, {line_length: 120}, {line_length: 50, show_trainable: true}]
  return [
    makeCase('many/dense-12', sequential('deep', [2], many)),
    makeCase('many/branches-8', functional('wide', branches.map((b) => inp(b, [2])), [...branches.map((b) => dense(`d_${b}`, 1)), layer('cat', 'Concatenate')],
      [...branches.map((b) => node(`d_${b}`, b, `t_${b}`)), node('cat', branches.map((b) => `t_${b}`), 'o')], ['o'])),
    makeCase('many/params-millions', sequential('big', [1000], [dense('wide', 1200), dense('out', 10)])),
    makeCase('line_length/sequential', sequential('ll', [4], [dense('a_long_enough_layer_name', 3), layer('bn', 'BatchNormalization')]), {variants: lengths}),
    makeCase('line_length/functional', functional('ll_fn', [inp('a', [3]), inp('b', [3])], [layer('add', 'Add'), dense('d')],
      [node('add', ['a', 'b'], 's'), node('d', 's', 'o')], ['o']), {variants: lengths}),
    makeCase('dtype/float16', sequential('f16', [4], [dense('d', 3, {dtype: 'float16'})])),
    makeCase('dtype/float64', sequential('f64', [4], [dense('d', 3, {dtype: 'float64'})])),
    makeCase('dtype/mixed_float16', sequential('mixed', [4], [dense('d', 3, {dtype: 'mixed_float16'}), layer('bn', 'BatchNormalization', {dtype: 'mixed_float16'})])),
  ]
}

/** Every case of the suite for one generation, seeded by position. */
export function summaryCases(generation: Generation): SummaryCase[] {
  return [...singles(generation), ...graphCases(), ...rnnAttentionCases(generation), ...nestedCases(), ...frozenCases(), ...nameCases(generation), ...scaleCases(generation)].map((c, i) => ({...c, seed: i + 1}))
}
