/**
 * Suite a (fit): short training runs, one per optimizer kmodel trains with × loss it computes (on an MLP whose
 * head fits the loss), then the optimizers' arguments that change the update, the losses' options, and a few
 * model kinds (Conv2D, BatchNormalization + Dropout in training mode, two outputs with per-output losses and
 * loss_weights, regularizers, weight constraints). Each case trains for `epochs` steps of one full batch:
 * history.loss[e] is the loss of step e. Dropout has rate 0: its training-mode mask is random on both sides,
 * so a non-zero rate makes the comparison meaningless; the layer still runs in training mode.
 */
import type {Generation, OracleCase} from '../harness.js'
import type {ModelSpecCase} from './compute.js'

/** How test/oracle/py/suites/fit.py draws an output's targets. */
export type TargetKind = 'uniform' | 'positive' | 'binary' | 'sign' | 'onehot' | 'probs' | 'sparse'

/** A loss as compile() takes it: a name, or a class with arguments. */
export type LossArg = string | {class_name: string; args: Record<string, unknown>}

export interface FitCase extends OracleCase {
  model: ModelSpecCase
  /** `legacy`: tf-keras's pre-2.11 optimizers (keras2 only), the ones old Keras 2 files were trained with. */
  optimizer: {class_name: string; args: Record<string, unknown>; legacy?: boolean}
  /** One loss, or one per output name. */
  loss: LossArg | Record<string, LossArg>
  loss_weights?: Record<string, number>
  /** Per output name. */
  targets: Record<string, TargetKind>
  samples: number
  epochs: number
}

type Args = Record<string, unknown>
const SAMPLES = 6
const EPOCHS = 3

/** The output head a loss needs on the MLP: units, activation, targets. */
interface Head {
  units: number
  activation: string
  targets: TargetKind
}

/** Every loss kmodel computes (src/core/train/names.ts LOSS_NAMES), with a head its targets fit. */
const LOSSES: ReadonlyArray<[string, Head]> = [
  ['mean_squared_error', {units: 3, activation: 'linear', targets: 'uniform'}],
  ['mean_absolute_error', {units: 3, activation: 'linear', targets: 'uniform'}],
  ['mean_absolute_percentage_error', {units: 3, activation: 'linear', targets: 'positive'}],
  ['mean_squared_logarithmic_error', {units: 3, activation: 'softplus', targets: 'positive'}],
  ['huber', {units: 3, activation: 'linear', targets: 'uniform'}],
  ['log_cosh', {units: 3, activation: 'linear', targets: 'uniform'}],
  ['binary_crossentropy', {units: 2, activation: 'sigmoid', targets: 'binary'}],
  ['categorical_crossentropy', {units: 3, activation: 'softmax', targets: 'onehot'}],
  ['sparse_categorical_crossentropy', {units: 3, activation: 'softmax', targets: 'sparse'}],
  ['hinge', {units: 2, activation: 'tanh', targets: 'sign'}],
  ['squared_hinge', {units: 2, activation: 'tanh', targets: 'sign'}],
  ['categorical_hinge', {units: 3, activation: 'linear', targets: 'onehot'}],
  ['kl_divergence', {units: 3, activation: 'softmax', targets: 'probs'}],
  ['poisson', {units: 3, activation: 'softplus', targets: 'positive'}],
  ['cosine_similarity', {units: 3, activation: 'linear', targets: 'uniform'}],
]
const headOf = (loss: string): Head => {
  const found = LOSSES.find(([name]) => name === loss)
  if (found === undefined) throw new Error(`fit generator: no head for loss ${loss}`)
  return found[1]
}

/** Every optimizer kmodel trains with (names.ts OPTIMIZER_NAMES), with a learning rate that moves the weights. */
const OPTIMIZERS: ReadonlyArray<[string, Args]> = [
  ['SGD', {learning_rate: 0.1}],
  ['Adam', {learning_rate: 0.01}],
  ['AdamW', {learning_rate: 0.01}],
  ['RMSprop', {learning_rate: 0.01}],
  ['Adagrad', {learning_rate: 0.1}],
  ['Adadelta', {learning_rate: 1.0}],
  ['Adamax', {learning_rate: 0.01}],
]

/** The arguments that change an update, one variant each (trained with mse on the MLP). */
const VARIANTS: ReadonlyArray<[string, Args]> = [
  ['SGD', {learning_rate: 0.1, momentum: 0.9}],
  ['SGD', {learning_rate: 0.1, momentum: 0.9, nesterov: true}],
  ['SGD', {learning_rate: 0.1, weight_decay: 0.5}],
  ['SGD', {learning_rate: 0.1, clipvalue: 0.02}],
  ['SGD', {learning_rate: 0.1, clipnorm: 0.05}],
  ['SGD', {learning_rate: 0.1, momentum: 0.5, global_clipnorm: 0.05}],
  ['Adam', {learning_rate: 0.01, beta_1: 0.7, beta_2: 0.9}],
  ['Adam', {learning_rate: 0.01, epsilon: 0.1}],
  ['Adam', {learning_rate: 0.01, beta_2: 0.5, amsgrad: true}],
  ['Adam', {learning_rate: 0.01, clipnorm: 0.05}],
  ['AdamW', {learning_rate: 0.01, weight_decay: 0.5}],
  ['AdamW', {learning_rate: 0.01, weight_decay: 0.1, beta_2: 0.5, amsgrad: true}],
  ['RMSprop', {learning_rate: 0.01, rho: 0.5}],
  ['RMSprop', {learning_rate: 0.01, epsilon: 0.1}],
  ['RMSprop', {learning_rate: 0.01, momentum: 0.5}],
  ['RMSprop', {learning_rate: 0.01, centered: true}],
  ['RMSprop', {learning_rate: 0.01, centered: true, momentum: 0.5, epsilon: 0.01}],
  ['Adagrad', {learning_rate: 0.1, initial_accumulator_value: 0.5, epsilon: 0.1}],
  ['Adadelta', {learning_rate: 1.0, rho: 0.5, epsilon: 0.001}],
  ['Adamax', {learning_rate: 0.01, beta_1: 0.7, beta_2: 0.9, epsilon: 0.1}],
]

/**
 * Keras 2 only: tf-keras's legacy optimizers (the defaults before TF 2.11, so every older Keras 2 file's
 * training_config), with Keras 1/2 `decay` and their own ε placement (RMSprop without momentum and Adagrad
 * add ε after the square root).
 */
const LEGACY: ReadonlyArray<[string, Args]> = [
  ['SGD', {learning_rate: 0.1, momentum: 0.9, decay: 0.5}],
  ['Adam', {learning_rate: 0.01, epsilon: 0.1, decay: 0.5}],
  ['RMSprop', {learning_rate: 0.01, epsilon: 0.1}],
  ['RMSprop', {learning_rate: 0.01, momentum: 0.5, epsilon: 0.1}],
  ['Adagrad', {learning_rate: 0.1, epsilon: 0.1}],
  ['Adadelta', {learning_rate: 1.0, epsilon: 0.001}],
  ['Adamax', {learning_rate: 0.01, decay: 0.5}],
]

const fmt = (args: Args): string => Object.entries(args).map(([k, v]) => (k === 'learning_rate' ? `lr=${String(v)}` : v === true ? k : `${k}=${String(v)}`)).join(',')
const lossId = (loss: LossArg): string => (typeof loss === 'string' ? loss : [loss.class_name, fmt(loss.args)].filter((s) => s !== '').join(','))

const dense = (name: string, units: number, activation: string, extra: Args = {}): ModelSpecCase['layers'][number] => ({name, class_name: 'Dense', args: {units, activation, ...extra}})

/** Input(4) → Dense(5, tanh) → Dense(head). */
function mlp(head: Head, hidden: Args = {}, out: Args = {}): ModelSpecCase {
  return {kind: 'sequential', name: 'm', inputs: [{name: 'x', shape: [4]}], layers: [dense('h', 5, 'tanh', hidden), dense('o', head.units, head.activation, out)]}
}

/** Input(5×5×2) → Conv2D(3, 3×3, tanh) [→ BatchNormalization] → Flatten → Dense(head). */
function conv(head: Head, batchNorm: boolean, convArgs: Args = {}): ModelSpecCase {
  const bn = batchNorm ? [{name: 'bn', class_name: 'BatchNormalization', args: {momentum: 0.8}}] : []
  return {
    kind: 'sequential', name: 'm', inputs: [{name: 'x', shape: [5, 5, 2]}],
    layers: [{name: 'c', class_name: 'Conv2D', args: {filters: 3, kernel_size: [3, 3], activation: 'tanh', ...convArgs}}, ...bn, {name: 'f', class_name: 'Flatten', args: {}}, dense('o', head.units, head.activation)],
  }
}

/**
 * Input(4) → Dense(6, no bias) → BatchNormalization → ReLU → Dropout(0) → Dense(head): training-mode statistics.
 * No bias before the normalization: its gradient is zero up to rounding, and Adam turns rounding noise into
 * full-size steps of arbitrary sign on either side.
 */
function batchNormMlp(head: Head): ModelSpecCase {
  return {
    kind: 'sequential', name: 'm', inputs: [{name: 'x', shape: [4]}],
    layers: [dense('h', 6, 'linear', {use_bias: false}), {name: 'bn', class_name: 'BatchNormalization', args: {momentum: 0.8}}, {name: 'r', class_name: 'Activation', args: {activation: 'relu'}}, {name: 'd', class_name: 'Dropout', args: {rate: 0.0}}, dense('o', head.units, head.activation)],
  }
}

/** A shared trunk and two heads `a` (regression, 2 units) and `b` (3 classes, softmax). */
function twoOutputs(): ModelSpecCase {
  return {
    kind: 'functional', name: 'm', inputs: [{name: 'x', shape: [4]}],
    layers: [dense('h', 6, 'tanh'), dense('a', 2, 'linear'), dense('b', 3, 'softmax')],
    nodes: [{layer: 'h', inputs: 'x', output: 't'}, {layer: 'a', inputs: 't', output: 'ya'}, {layer: 'b', inputs: 't', output: 'yb'}],
    outputs: ['ya', 'yb'],
  }
}

/** One Dense layer on inputs in ±40: its sigmoid/softmax saturates, where Keras's crossentropy uses the logits. */
function saturated(head: Head): ModelSpecCase {
  return {kind: 'sequential', name: 'm', inputs: [{name: 'x', shape: [4], range: [-40, 40]}], layers: [dense('o', head.units, head.activation)]}
}

/** `saturated` with the activation in a layer of its own after a linear Dense (`Activation` or `Softmax`). */
function saturatedSplit(head: Head, layer: ModelSpecCase['layers'][number]): ModelSpecCase {
  return {kind: 'sequential', name: 'm', inputs: [{name: 'x', shape: [4], range: [-40, 40]}], layers: [dense('d', head.units, 'linear'), layer]}
}

/** `saturated` followed by Dropout(0): Keras 3 passes the very tensor on, tf-keras returns tf.identity of it. */
function saturatedDropout(head: Head): ModelSpecCase {
  return {kind: 'sequential', name: 'm', inputs: [{name: 'x', shape: [4], range: [-40, 40]}], layers: [dense('d', head.units, head.activation), {name: 'o', class_name: 'Dropout', args: {rate: 0.0}}]}
}

/** SimpleRNN(sigmoid) on 3 saturated steps: the unrolled loop returns the last step's sigmoid itself, the while loop a copy. */
function saturatedRnn(head: Head, unroll: boolean): ModelSpecCase {
  return {kind: 'sequential', name: 'm', inputs: [{name: 'x', shape: [3, 4], range: [-40, 40]}], layers: [{name: 'o', class_name: 'SimpleRNN', args: {units: head.units, activation: head.activation, unroll}}]}
}

/**
 * Saturated outputs, where Keras's crossentropy reads the sigmoid / softmax's logits (`_keras_logits`): per loss,
 * with label smoothing, with the logits of the other activation (softmax → binary crossentropy), through an
 * Activation / Softmax layer, and where they are lost (tf-keras Dropout, a SimpleRNN's while loop).
 */
function saturatedCases(): FitCase[] {
  const adam = {learning_rate: 0.01}
  const bce = headOf('binary_crossentropy')
  const cce = headOf('categorical_crossentropy')
  const scce = headOf('sparse_categorical_crossentropy')
  const one = (loss: LossArg, head: Head, model: ModelSpecCase, id: string): FitCase => single('Adam', adam, loss, head, model, id)
  return [
    one('binary_crossentropy', bce, saturated(bce), 'saturated'),
    one('categorical_crossentropy', cce, saturated(cce), 'saturated'),
    one('sparse_categorical_crossentropy', scce, saturated(scce), 'saturated'),
    one({class_name: 'BinaryCrossentropy', args: {label_smoothing: 0.2}}, bce, saturated(bce), 'saturated'),
    one('binary_crossentropy', {units: 3, activation: 'softmax', targets: 'binary'}, saturated({units: 3, activation: 'softmax', targets: 'binary'}), 'saturated,softmax'),
    one('categorical_crossentropy', cce, saturatedSplit(cce, {name: 'o', class_name: 'Activation', args: {activation: 'softmax'}}), 'saturated,activation-layer'),
    one('categorical_crossentropy', cce, saturatedSplit(cce, {name: 'o', class_name: 'Softmax', args: {}}), 'saturated,softmax-layer'),
    one('categorical_crossentropy', cce, saturatedDropout(cce), 'saturated,dropout=0'),
    one('binary_crossentropy', bce, saturatedRnn(bce, false), 'saturated,simplernn'),
    one('binary_crossentropy', bce, saturatedRnn(bce, true), 'saturated,simplernn,unroll'),
  ]
}

/** A stable seed from the case id (FNV-1a), so adding a case leaves the others' data as it was. */
function seedOf(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0
  return h % 2_147_483_647
}

interface Parts {
  optimizer: FitCase['optimizer']
  loss: FitCase['loss']
  model: ModelSpecCase
  modelId: string
  targets: Record<string, TargetKind>
  lossWeights?: Record<string, number>
}

function fitCase(p: Parts): FitCase {
  const optimizerId = `${p.optimizer.legacy === true ? 'legacy.' : ''}${p.optimizer.class_name.toLowerCase()}/${fmt(p.optimizer.args)}`
  const loss = typeof p.loss === 'string' || 'class_name' in p.loss ? lossId(p.loss as LossArg) : Object.entries(p.loss).map(([k, l]) => `${k}=${lossId(l as LossArg)}`).join('+')
  const weights = p.lossWeights === undefined ? '' : `,loss_weights=${Object.values(p.lossWeights).join(':')}`
  const id = `${optimizerId}/${loss}${weights}/${p.modelId}`
  return {
    id, seed: seedOf(id), model: p.model, optimizer: p.optimizer, loss: p.loss, targets: p.targets, samples: SAMPLES, epochs: EPOCHS,
    ...(p.lossWeights === undefined ? {} : {loss_weights: p.lossWeights}),
  }
}

/** A single-output case on the MLP (or `model`), the head chosen by the loss. */
function single(className: string, args: Args, loss: LossArg, head: Head, model: ModelSpecCase = mlp(head), modelId = 'mlp', legacy = false): FitCase {
  return fitCase({optimizer: {class_name: className, args, ...(legacy ? {legacy: true} : {})}, loss, model, modelId, targets: {o: head.targets}})
}

const linear = (units: number, targets: TargetKind): Head => ({units, activation: 'linear', targets})

/** The losses' options (from_logits, label_smoothing, delta, {0, 1} hinge labels) and saturated outputs. */
function lossOptions(generation: Generation): FitCase[] {
  const adam = {learning_rate: 0.01}
  const obj = (class_name: string, args: Args): LossArg => ({class_name, args})
  return [
    single('Adam', adam, obj('BinaryCrossentropy', {from_logits: true}), linear(2, 'binary')),
    single('Adam', adam, obj('BinaryCrossentropy', {label_smoothing: 0.2}), headOf('binary_crossentropy')),
    single('Adam', adam, obj('CategoricalCrossentropy', {from_logits: true}), linear(3, 'onehot')),
    single('Adam', adam, obj('CategoricalCrossentropy', {label_smoothing: 0.2}), headOf('categorical_crossentropy')),
    single('Adam', adam, obj('SparseCategoricalCrossentropy', {from_logits: true}), linear(3, 'sparse')),
    // Keras 3.15's Huber.get_config() leaves out delta, so a Keras 3 file cannot carry it (suites/fit.py checks)
    ...(generation === 'keras2' ? [single('Adam', adam, obj('Huber', {delta: 0.5}), headOf('huber'))] : []),
    single('Adam', adam, 'hinge', {units: 2, activation: 'tanh', targets: 'binary'}, undefined, 'mlp,labels=01'),
    ...saturatedCases(),
  ]
}

/** Conv2D, BatchNormalization (dense and convolutional), two outputs, regularizers. */
function modelKinds(): FitCase[] {
  const sgd = {learning_rate: 0.1}
  const adam = {learning_rate: 0.01}
  const mse = headOf('mean_squared_error')
  const cce = headOf('categorical_crossentropy')
  return [
    single('SGD', sgd, 'mean_squared_error', mse, conv(mse, false), 'conv2d'),
    single('Adam', adam, 'categorical_crossentropy', cce, conv(cce, false), 'conv2d'),
    single('SGD', sgd, 'mean_squared_error', mse, batchNormMlp(mse), 'batchnorm,dropout=0'),
    single('Adam', adam, 'categorical_crossentropy', cce, batchNormMlp(cce), 'batchnorm,dropout=0'),
    single('SGD', sgd, 'mean_squared_error', linear(2, 'uniform'), conv(linear(2, 'uniform'), true), 'conv2d,batchnorm'),
    fitCase({optimizer: {class_name: 'Adam', args: adam}, loss: {a: 'mean_squared_error', b: 'categorical_crossentropy'}, lossWeights: {a: 1, b: 0.5}, model: twoOutputs(), modelId: 'two-outputs', targets: {a: 'uniform', b: 'onehot'}}),
    fitCase({optimizer: {class_name: 'SGD', args: sgd}, loss: {a: 'mean_absolute_error', b: 'sparse_categorical_crossentropy'}, model: twoOutputs(), modelId: 'two-outputs', targets: {a: 'uniform', b: 'sparse'}}),
    single('Adam', adam, 'mean_squared_error', mse, mlp(mse, {kernel_regularizer: 'l2', bias_regularizer: 'l1'}), 'mlp,kernel_regularizer=l2,bias_regularizer=l1'),
    single('Adam', adam, 'mean_squared_error', mse, mlp(mse, {}, {activity_regularizer: 'l2'}), 'mlp,activity_regularizer=l2'),
  ]
}

/** Input(3×4) → LSTM(3, `lstmArgs`) → Dense(head). */
function lstm(head: Head, lstmArgs: Args): ModelSpecCase {
  return {kind: 'sequential', name: 'm', inputs: [{name: 'x', shape: [3, 4]}], layers: [{name: 'r', class_name: 'LSTM', args: {units: 3, ...lstmArgs}}, dense('o', head.units, head.activation)]}
}

/**
 * Weight constraints, which Keras's optimizers apply after every update: every kind by its string and by its
 * class with arguments (max_value, min_value, rate, axis as an integer and as a list), on Dense kernels and
 * biases, a Conv2D kernel and an LSTM's recurrent kernel; Keras 2 also through a legacy optimizer. The class
 * arguments are chosen so the projections move the weights by more than the tolerance (the string defaults
 * max_norm = 2 and min_max_norm = [0, 1] barely touch these small weights: they check the spellings).
 */
function constraintCases(generation: Generation): FitCase[] {
  const sgd = {learning_rate: 0.1}
  const adam = {learning_rate: 0.01}
  const mse = headOf('mean_squared_error')
  const cls = (class_name: string, config: Args): Args => ({class_name, config})
  const maxNorm = {kernel_constraint: cls('MaxNorm', {max_value: 0.5, axis: 0}), bias_constraint: cls('MaxNorm', {max_value: 0.3, axis: 0})}
  const one = (className: string, args: Args, model: ModelSpecCase, id: string, legacy = false): FitCase => single(className, args, 'mean_squared_error', mse, model, id, legacy)
  return [
    one('SGD', sgd, mlp(mse, {kernel_constraint: 'max_norm'}, {kernel_constraint: 'max_norm'}), 'mlp,kernel_constraint=max_norm'),
    one('SGD', sgd, mlp(mse, maxNorm), 'mlp,kernel_constraint=MaxNorm(0.5),bias_constraint=MaxNorm(0.3)'),
    one('Adam', adam, mlp(mse, {kernel_constraint: 'non_neg', bias_constraint: 'non_neg'}, {kernel_constraint: cls('NonNeg', {})}), 'mlp,kernel_constraint=non_neg,bias_constraint=non_neg'),
    one('SGD', sgd, mlp(mse, {kernel_constraint: 'unit_norm'}, {kernel_constraint: cls('UnitNorm', {axis: 1})}), 'mlp,kernel_constraint=unit_norm'),
    one('Adam', adam, mlp(mse, {kernel_constraint: 'min_max_norm'}, {kernel_constraint: cls('MinMaxNorm', {min_value: 1.5, max_value: 2, rate: 0.7, axis: [0]})}), 'mlp,kernel_constraint=min_max_norm'),
    one('SGD', sgd, conv(mse, false, {kernel_constraint: cls('MaxNorm', {max_value: 0.6, axis: [0, 1, 2]}), bias_constraint: 'non_neg'}), 'conv2d,kernel_constraint=MaxNorm(0.6)'),
    one('Adam', adam, lstm(mse, {recurrent_constraint: 'unit_norm', kernel_constraint: cls('MaxNorm', {max_value: 0.7, axis: 0})}), 'lstm,recurrent_constraint=unit_norm'),
    ...(generation === 'keras2' ? [one('SGD', {learning_rate: 0.1, momentum: 0.9}, mlp(mse, maxNorm), 'mlp,kernel_constraint=MaxNorm(0.5),bias_constraint=MaxNorm(0.3)', true)] : []),
  ]
}

/** The fit cases of a generation (Keras 2 adds the legacy optimizers and Huber's delta). */
export function fitCases(generation: Generation): FitCase[] {
  const product = OPTIMIZERS.flatMap(([opt, args]) => LOSSES.map(([loss, head]) => single(opt, args, loss, head)))
  const mse = headOf('mean_squared_error')
  const variants = VARIANTS.map(([opt, args]) => single(opt, args, 'mean_squared_error', mse))
  const legacy = generation === 'keras2' ? LEGACY.map(([opt, args]) => single(opt, args, 'mean_squared_error', mse, mlp(mse), 'mlp', true)) : []
  return [...product, ...variants, ...legacy, ...lossOptions(generation), ...modelKinds(), ...constraintCases(generation)]
}
