/**
 * The name tables behind layers/identifiers.ts: which activation, initializer, regularizer and constraint names
 * each Keras generation resolves, and what the config of each built-in class may hold. Taken from Keras 3.15
 * (`keras/src/{activations,initializers,regularizers,constraints}/__init__.py`, ALL_OBJECTS_DICT) and tf-keras
 * 2.21 (the module dicts its `get` functions search), checked against both with `model_from_json`.
 */
import type {Json, JsonObject} from '../json.js'
import {type Generation, pyInt, pyNumber, numberValue} from './args.js'

/** A problem with one built-in object's config (a phrase), or undefined. */
export type ConfigCheck = (config: JsonObject, generation: Generation) => string | undefined

/** A built-in class an identifier may name: the config keys its constructor takes, and their checks. */
export interface ObjectClass {
  keys: readonly string[]
  /** Keys Keras reads with `config[key]` (a missing one fails). */
  required?: readonly string[]
  check?: ConfigCheck
}

export type ClassTable = Readonly<Record<string, ObjectClass>>

const snake = (name: string): string => name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()

/** `table` plus each class under its snake_case name and the given aliases (Keras's ALL_OBJECTS_DICT). */
function withAliases(table: ClassTable, aliases: Readonly<Record<string, string>>, snakeNames = true): ClassTable {
  const out: Record<string, ObjectClass> = {...table}
  for (const [name, cls] of Object.entries(table)) if (snakeNames) out[snake(name)] = cls
  for (const [alias, target] of Object.entries(aliases)) {
    const cls = table[target]
    if (cls !== undefined) out[alias] = cls
  }
  return out
}

// ---- value checks shared by the class configs ----

const num = (key: string, nullable = false): ConfigCheck => (c) => {
  const v = c[key]
  if (v === undefined || (nullable && v === null) || pyNumber(v)) return undefined
  return `"${key}" must be a number`
}

/** Keras 3 `validate_float_arg`: a finite int or float ≥ 0 (None means the default where the class says so). */
const penalty = (key: string, nullable: boolean): ConfigCheck => (c, g) => {
  const v = c[key]
  if (v === undefined || (nullable && v === null)) return undefined
  if (!pyNumber(v) || !Number.isFinite(numberValue(v))) return `"${key}" must be a finite number`
  return g === 'keras3' && numberValue(v) < 0 ? `"${key}" must be a non-negative float` : undefined
}

const seed: ConfigCheck = (c, g) => {
  const v = c.seed
  if (v === undefined || v === null || pyInt(v) || (g === 'keras3' && typeof v === 'object' && !Array.isArray(v))) return undefined
  return '"seed" must be an integer or None'
}

const among = (key: string, options: readonly string[], lower = false): ConfigCheck => (c) => {
  const v = c[key]
  if (v === undefined) return undefined
  if (typeof v === 'string' && options.includes(lower ? v.toLowerCase() : v)) return undefined
  return `"${key}" must be one of ${options.map((o) => `"${o}"`).join(', ')}`
}

const scale: ConfigCheck = (c) => {
  const v = c.scale
  if (v === undefined) return undefined
  return pyNumber(v) && !(numberValue(v) <= 0) ? undefined : '"scale" must be a positive float'
}

const constantValue: ConfigCheck = (c) => {
  const v: Json | undefined = c.value
  return v === null || typeof v === 'string' ? '"value" must be a number or an array' : undefined
}

const checks = (...list: ConfigCheck[]): ConfigCheck => (c, g) => {
  for (const check of list) {
    const problem = check(c, g)
    if (problem !== undefined) return problem
  }
  return undefined
}

// ---- activations ----

/** Keras 3 `activations.ALL_OBJECTS_DICT` (functions, with the swish / hard_swish aliases). */
export const ACTIVATIONS_K3: ReadonlySet<string> = new Set([
  'celu', 'elu', 'exponential', 'gelu', 'glu', 'hard_shrink', 'hard_sigmoid', 'hard_silu', 'hard_swish', 'hard_tanh',
  'leaky_relu', 'linear', 'log_sigmoid', 'log_softmax', 'mish', 'relu', 'relu6', 'selu', 'sigmoid', 'silu',
  'soft_shrink', 'softmax', 'softplus', 'softsign', 'sparse_plus', 'sparse_sigmoid', 'sparsemax', 'squareplus',
  'swish', 'tanh', 'tanh_shrink', 'threshold',
])

/** tf-keras activation functions (`tf_keras.activations` module callables). */
export const ACTIVATION_FUNCTIONS_K2: ReadonlySet<string> = new Set([
  'elu', 'exponential', 'gelu', 'hard_sigmoid', 'leaky_relu', 'linear', 'log_softmax', 'mish', 'relu', 'relu6', 'selu',
  'sigmoid', 'silu', 'softmax', 'softplus', 'softsign', 'swish', 'tanh',
])

/** tf-keras also resolves its advanced-activation layer classes by name (`"LeakyReLU"` builds the layer). */
export const ACTIVATION_LAYERS_K2: ReadonlySet<string> = new Set(['ELU', 'LeakyReLU', 'PReLU', 'ReLU', 'Softmax', 'ThresholdedReLU'])

/** Keras 3 layers a serialised activation object may be (`{"module": "keras.layers", "class_name": "ReLU", ...}`). */
export const ACTIVATION_LAYERS_K3: ReadonlySet<string> = new Set(['ELU', 'LeakyReLU', 'PReLU', 'ReLU', 'Softmax', 'Activation'])

// ---- initializers ----

const NORMAL: ObjectClass = {keys: ['mean', 'stddev', 'seed'], check: checks(num('mean'), num('stddev'), seed)}
const UNIFORM: ObjectClass = {keys: ['minval', 'maxval', 'seed'], check: checks(num('minval'), num('maxval'), seed)}
const varianceChecks = checks(scale, among('mode', ['fan_in', 'fan_out', 'fan_avg']),
  among('distribution', ['normal', 'uniform', 'truncated_normal', 'untruncated_normal'], true), seed)

function initializerClasses(g: Generation): ClassTable {
  const axes = g === 'keras3' ? ['input_axes', 'output_axes'] : []
  const fan: ObjectClass = {keys: ['seed', ...axes], check: seed}
  const table: Record<string, ObjectClass> = {
    Zeros: {keys: []},
    Ones: {keys: []},
    Constant: {keys: ['value'], required: g === 'keras3' ? ['value'] : [], check: constantValue},
    Identity: {keys: ['gain'], check: num('gain')},
    RandomNormal: NORMAL,
    TruncatedNormal: NORMAL,
    RandomUniform: UNIFORM,
    VarianceScaling: {keys: ['scale', 'mode', 'distribution', 'seed', ...axes], check: varianceChecks},
    GlorotNormal: fan, GlorotUniform: fan, HeNormal: fan, HeUniform: fan, LecunNormal: fan, LecunUniform: fan,
    Orthogonal: {keys: ['gain', 'seed'], check: checks(num('gain'), seed)},
  }
  if (g === 'keras3') table.STFT = {keys: ['side', 'window', 'scaling', 'periodic']}
  // tf-keras's Initializer.from_config drops a `dtype` key.
  if (g === 'keras2') for (const [k, v] of Object.entries(table)) table[k] = {...v, keys: [...v.keys, 'dtype']}
  const aliases: Record<string, string> = {normal: 'RandomNormal', uniform: 'RandomUniform', one: 'Ones', zero: 'Zeros'}
  if (g === 'keras3') Object.assign(aliases, {IdentityInitializer: 'Identity', OrthogonalInitializer: 'Orthogonal', STFTInitializer: 'STFT'})
  else {
    for (const name of Object.keys(table)) aliases[`${name}V2`] = name
    for (const name of ['GlorotNormal', 'GlorotUniform', 'HeNormal', 'HeUniform', 'LecunNormal', 'LecunUniform']) aliases[`${snake(name)}V2`] = name
  }
  return withAliases(table, aliases)
}

/** Built-in initializer classes per generation (class names, snake_case names, compatibility aliases). */
export const INITIALIZERS: Readonly<Record<Generation, ClassTable>> = {keras3: initializerClasses('keras3'), keras2: initializerClasses('keras2')}

// ---- regularizers ----

function regularizerClasses(g: Generation): ClassTable {
  const legacyL = g === 'keras2' ? ['l'] : []
  const table: Record<string, ObjectClass> = {
    L1: {keys: ['l1', ...legacyL], check: checks(penalty('l1', true), penalty('l', true))},
    L2: {keys: ['l2', ...legacyL], check: checks(penalty('l2', true), penalty('l', true))},
    L1L2: {keys: ['l1', 'l2'], check: checks(penalty('l1', true), penalty('l2', true))},
    OrthogonalRegularizer: {keys: ['factor', 'mode'], check: checks(penalty('factor', false), among('mode', ['rows', 'columns']))},
    Regularizer: {keys: []},
  }
  if (g === 'keras3') return withAliases(table, {l1l2: 'L1L2'})
  const out = withAliases(table, {l1: 'L1', l2: 'L2', orthogonal_regularizer: 'OrthogonalRegularizer'}, false)
  // tf-keras's `l1_l2(l1=0.01, l2=0.01)` function.
  return {...out, l1_l2: {keys: ['l1', 'l2'], check: checks(penalty('l1', true), penalty('l2', true))}}
}

/** Built-in regularizer classes per generation. */
export const REGULARIZERS: Readonly<Record<Generation, ClassTable>> = {keras3: regularizerClasses('keras3'), keras2: regularizerClasses('keras2')}

/**
 * tf-keras's `regularizers.get("name")` hands back any name it does not know unchanged (Keras never calls it while
 * loading); only these module attributes fail when looked up.
 */
export const REGULARIZER_BAD_NAMES_K2: ReadonlySet<string> = new Set(['backend', 'keras_export', 'legacy_serialization', 'math', 'tf', 'warnings'])

// ---- constraints ----

function constraintClasses(g: Generation): ClassTable {
  const table: Record<string, ObjectClass> = {
    MaxNorm: {keys: ['max_value', 'axis']},
    MinMaxNorm: {keys: ['min_value', 'max_value', 'rate', 'axis']},
    NonNeg: {keys: []},
    UnitNorm: {keys: ['axis']},
    Constraint: {keys: []},
  }
  if (g === 'keras3') return withAliases(table, {})
  table.RadialConstraint = {keys: []}
  const out = withAliases(table, {maxnorm: 'MaxNorm', nonneg: 'NonNeg', unitnorm: 'UnitNorm'})
  const {constraint: _base, ...rest} = out
  return rest
}

/** Built-in constraint classes per generation (tf-keras has no `constraint` alias for the base class). */
export const CONSTRAINTS: Readonly<Record<Generation, ClassTable>> = {keras3: constraintClasses('keras3'), keras2: constraintClasses('keras2')}
