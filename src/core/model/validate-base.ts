/**
 * The arguments every layer takes through Keras's base `Layer.__init__`, checked per generation:
 * - `name`: Keras 3 (`Operation.__init__`) wants a string without `/`, or None (a name is then generated);
 *   tf-keras (`base_layer.Layer.__init__`) wants a string or None.
 * - `trainable`: a bool in both (Keras 3 ValueError "Expected `trainable` to be a boolean", tf-keras TypeError).
 * - `dtype`: what `dtype_policies.get` (Keras 3) / `Layer._set_dtype_policy` (tf-keras) accept.
 * - arguments the class does not take: Keras 3's base layer raises "Unrecognized keyword arguments passed to X",
 *   tf-keras's `validate_kwargs` raises "Keyword argument not understood"; the few classes that drop unknown
 *   keyword arguments instead (probed with the real Keras) only get a warning.
 */
import type {Warning} from '../errors.js'
import {type Json, type JsonObject, isObject, jsonPath} from '../json.js'
import type {ClassArgs, Generation} from '../layers/args.js'
import {DTYPE_POLICY_NAMES, KNOWN_LAYER_NAMES, unknownArgs} from '../layers/catalog.js'

/** One problem found, located by JSON path. */
export interface Issue {
  path: string
  message: string
}

/** Classes whose constructor drops keyword arguments it does not know (Keras 3 `InputLayer`, `HashedCrossing`). */
const IGNORES_UNKNOWN: Readonly<Record<Generation, ReadonlySet<string>>> = {
  keras3: new Set(['InputLayer', 'HashedCrossing']),
  keras2: new Set(),
}

/** Keras 3 `ALLOWED_DTYPES` plus `"int"` (PYTHON_DTYPES_MAP), less what the quantized-policy prefixes take. */
const KERAS3_DTYPES = new Set([
  'float16', 'float32', 'float64', 'bfloat16', 'uint8', 'uint16', 'uint32', 'uint64', 'int16', 'int32', 'int64',
  'bool', 'string', 'complex64', 'complex128', 'int', 'mixed_float16', 'mixed_bfloat16',
])
const QUANTIZATION_MODES = ['int8', 'float8', 'int4', 'gptq', 'awq']

/** TensorFlow's dtype names (`tf.as_dtype`), each also with `_ref`, and tf-keras's two mixed policies. */
const TF_DTYPES = new Set([
  'bfloat16', 'bool', 'complex128', 'complex64', 'double', 'float', 'float16', 'float32', 'float64', 'half', 'int16', 'int32', 'int64',
  'int8', 'int4', 'int2', 'qint16', 'qint32', 'qint8', 'quint16', 'quint8', 'resource', 'string', 'uint16', 'uint32', 'uint64', 'uint8',
  'uint4', 'uint2', 'variant', 'float8_e4m3fn', 'float8_e5m2', 'float8_e4m3fnuz', 'float8_e5m2fnuz', 'float8_e4m3b11fnuz', 'float4_e2m1fn',
])
const tfDtype = (name: string): boolean => TF_DTYPES.has(name.replace(/_ref$/, ''))

/** `tf.as_dtype(n)` for an int: the DataType enum values 1–33 and their `_ref` forms 101–133. */
const tfDtypeEnum = (n: number): boolean => Number.isInteger(n) && ((n >= 1 && n <= 33) || (n >= 101 && n <= 133))

const policyClasses = (major: '2' | '3'): ReadonlySet<string> =>
  new Set(DTYPE_POLICY_NAMES.filter(([, versions]) => versions.split(' ').some((v) => v.startsWith(`${major}.`))).map(([name]) => name))
const POLICY_CLASSES: Readonly<Record<Generation, ReadonlySet<string>>> = {keras3: policyClasses('3'), keras2: policyClasses('2')}

/** Keras 3 `DTypePolicy(name)` / `_get_quantized_dtype_policy_by_str(name)`. */
function keras3PolicyName(name: string): boolean {
  if (!QUANTIZATION_MODES.some((m) => name.startsWith(m))) return KERAS3_DTYPES.has(name)
  const parts = name.split('_from_')
  return parts.length === 2 && KERAS3_DTYPES.has(parts[1] ?? '')
}

/** tf-keras `Policy(name)`. */
const keras2PolicyName = (name: string): boolean => name === 'mixed_float16' || name === 'mixed_bfloat16' || tfDtype(name)

/** undefined when the generation's Keras takes `value` as a layer's dtype, else what it expects. */
export function dtypeProblem(value: Json, generation: Generation): string | undefined {
  if (value === null) return undefined
  const expected = 'a dtype name ("float32", "mixed_float16", …) or a dtype policy'
  if (isObject(value)) {
    const className = value.class_name
    if (typeof className !== 'string' || !POLICY_CLASSES[generation].has(className)) return expected
    const name = isObject(value.config) ? value.config.name : undefined
    if (typeof name !== 'string') return undefined
    return (generation === 'keras3' ? keras3PolicyName(name) : keras2PolicyName(name)) ? undefined : expected
  }
  if (generation === 'keras3') return typeof value === 'string' && keras3PolicyName(value) ? undefined : expected
  // tf-keras: a falsy value is None; anything else goes through Policy(name) or tf.as_dtype(value)
  if (value === false || value === 0 || value === '' || (Array.isArray(value) && value.length === 0)) return undefined
  if (typeof value === 'string') return keras2PolicyName(value) ? undefined : expected
  if (value === true || (typeof value === 'number' && tfDtypeEnum(value))) return undefined
  return expected
}

/**
 * An InputLayer's dtype is a tensor dtype, not a policy (Keras 3.15 `standardize_dtype`: `mixed_float16` and
 * `float` refused, a DTypePolicy dict taken; tf-keras 2.21 `tf.as_dtype`: TensorFlow names and enum values, falsy
 * values as None, a policy name or dict refused — each probed with model_from_json).
 */
export function inputDtypeProblem(value: Json, generation: Generation): string | undefined {
  if (value === null) return undefined
  const expected = 'a tensor dtype name ("float32", "int32", "string", …)'
  if (generation === 'keras3') {
    if (isObject(value)) return POLICY_CLASSES.keras3.has(String(value.class_name)) ? undefined : expected
    return typeof value === 'string' && KERAS3_DTYPES.has(value) && !value.startsWith('mixed_') ? undefined : expected
  }
  if (value === false || value === 0 || value === '' || value === true) return undefined
  if (typeof value === 'string') return tfDtype(value) ? undefined : expected
  return typeof value === 'number' && tfDtypeEnum(value) ? undefined : expected
}

/** undefined when the generation's Keras takes `value` as a layer or model name, else what it expects. */
export function nameProblem(value: Json, generation: Generation): string | undefined {
  if (value === null) return undefined
  if (generation === 'keras3') return typeof value === 'string' && !value.includes('/') ? undefined : 'a string without "/"'
  return typeof value === 'string' ? undefined : 'a string'
}

const show = (value: Json): string => {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** The one form of an argument error: "'units' of Dense layer 'd' must be a positive integer, found -5." */
export function mustBe(key: string, owner: string, expected: string, value: Json): string {
  return `'${key}' of ${owner} must be ${expected}, found ${show(value)}.`
}

/** One layer config to check, as validate.ts found it. */
export interface BaseArgsInput {
  className: string
  /** The catalogue's canonical name of the class (aliases resolved). */
  canonical: string
  name: string
  config: JsonObject
  configPath: string
  generation: Generation
  schema: ClassArgs | undefined
  /** A Keras 1 file: Keras 2 read it through converters that dropped what they did not know. */
  keras1: boolean
}

/**
 * The base-layer checks of one layer config (a class schema's own check of a base key takes precedence).
 * Unknown arguments are errors where the generation raises, warnings where it drops them.
 */
export function checkBaseArgs(input: BaseArgsInput, out: {errors: Issue[]; warnings: Warning[]}): void {
  const {className, canonical, name, config, configPath, generation, schema} = input
  const own = (key: string): boolean => Object.hasOwn(config, key) && schema?.args?.[key] === undefined
  const fail = (key: string, expected: string): void => {
    out.errors.push({path: jsonPath(configPath, key), message: mustBe(key, `${className} layer '${name}'`, expected, config[key] as Json)})
  }
  const nameIssue = own('name') ? nameProblem(config.name as Json, generation) : undefined
  if (nameIssue !== undefined) fail('name', nameIssue)
  if (own('trainable') && typeof config.trainable !== 'boolean') fail('trainable', 'true or false')
  const dtypeCheck = canonical === 'InputLayer' ? inputDtypeProblem : dtypeProblem
  const dtypeIssue = own('dtype') ? dtypeCheck(config.dtype as Json, generation) : undefined
  if (dtypeIssue !== undefined) fail('dtype', dtypeIssue)
  const ignores = input.keras1 || IGNORES_UNKNOWN[generation].has(canonical)
  const keras = generation === 'keras3' ? 'Keras 3' : 'Keras 2'
  const raises = generation === 'keras3' ? 'Unrecognized keyword arguments' : 'Keyword argument not understood'
  for (const arg of unknownArgs(className, config, generation === 'keras3' ? 3 : 2)) {
    const path = jsonPath(configPath, arg)
    if (ignores) out.warnings.push({path, message: `${className} does not take the argument '${arg}'; ${keras} ignores it.`})
    else out.errors.push({path, message: `${className} layer '${name}' does not take the argument '${arg}' (${keras} raises "${raises}").`})
  }
}

/** Levenshtein distance, stopping early once it exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)))
    if (Math.min(...row) > max) return max + 1
    prev = row
  }
  return prev[b.length] ?? max + 1
}

/**
 * The built-in class an unknown class name is probably a typo of (`Dnese`, `dense` → `Dense`): same letters in
 * another case, or one or two edits away. Keras refuses such a name unless a custom class is registered under it.
 */
export function didYouMean(className: string): string | undefined {
  const lower = className.toLowerCase()
  const same = KNOWN_LAYER_NAMES.find((n) => n.toLowerCase() === lower)
  if (same !== undefined) return same
  const max = className.length <= 4 ? 1 : 2
  let best: {name: string; d: number} | undefined
  for (const name of KNOWN_LAYER_NAMES) {
    const d = distance(className, name, max)
    if (d <= max && (best === undefined || d < best.d)) best = {name, d}
  }
  return best?.name
}
