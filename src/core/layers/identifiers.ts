/**
 * The object arguments every family shares: activations, initializers, regularizers and constraints, as Keras's
 * `activations.get` / `initializers.get` / `regularizers.get` / `constraints.get` resolve them per generation —
 * a name string (with its aliases), a `{class_name, config}` serialisation (Keras 3 also with `module` /
 * `registered_name`), or None, which every getter accepts (no activation, default initializer, none).
 * Numbers, booleans and lists are refused ("Could not interpret … identifier"). Custom objects (a name Keras does
 * not know, `module: null`, a package `registered_name`) are refused, as Keras does without `custom_objects`.
 * Name tables and class configs: layers/identifier-tables.ts.
 */
import {type Json, type JsonObject, isObject} from '../json.js'
import {type ArgCheck, type Generation, pyTruthy} from './args.js'
import {
  ACTIVATIONS_K3, ACTIVATION_FUNCTIONS_K2, ACTIVATION_LAYERS_K2, ACTIVATION_LAYERS_K3, CONSTRAINTS, type ClassTable,
  INITIALIZERS, REGULARIZERS, REGULARIZER_BAD_NAMES_K2,
} from './identifier-tables.js'

const has = (o: JsonObject, key: string): boolean => Object.hasOwn(o, key)
const keras = (g: Generation): string => (g === 'keras3' ? 'Keras 3' : 'Keras 2')

/**
 * The config of a serialised built-in object: Keras 3 (and tf-keras when `module` is present) reads a missing or
 * None config as `{}`; tf-keras's legacy form (no `module`) needs a dict. Unknown keys fail the constructor.
 */
function configProblem(table: ClassTable, name: string, raw: Json | undefined, legacy: boolean, g: Generation): string | undefined {
  const cls = table[name]
  if (cls === undefined) return `not a built-in name`
  if (raw === undefined || raw === null) {
    if (legacy) return `its "config" must be an object`
  } else if (!isObject(raw)) return `its "config" must be an object`
  const config: JsonObject = isObject(raw) ? raw : {}
  const unknown = Object.keys(config).find((k) => !cls.keys.includes(k))
  if (unknown !== undefined) return `${name} does not take "${unknown}"`
  const missing = (cls.required ?? []).find((k) => !has(config, k))
  if (missing !== undefined) return `${name} needs "${missing}"`
  return cls.check?.(config, g)
}

/**
 * A `{class_name, config}` value resolved against a module's built-in classes (`deserialize_keras_object` with
 * `module_objects`): the class name must be one of them (the `module` is otherwise ignored, but None means a
 * custom class), then its config must fit the constructor.
 */
function serialisedProblem(table: ClassTable, d: JsonObject, g: Generation): string | undefined {
  const legacy = g === 'keras2' && !has(d, 'module')
  if (!has(d, 'class_name') || (legacy && !has(d, 'config'))) return 'an object with "class_name" and "config"'
  const name = d.class_name
  if (typeof name !== 'string' || name === 'function') return 'not a built-in name'
  if (!legacy && has(d, 'module') && d.module === null) return 'a custom class (module None)'
  return configProblem(table, name, d.config, legacy, g)
}

function objectCheck(kind: string, table: Readonly<Record<Generation, ClassTable>>, stringOk: (s: string, g: Generation) => boolean): ArgCheck {
  return (v, ctx) => {
    const g = ctx.generation
    if (v === null) return undefined
    if (typeof v === 'string') return stringOk(v, g) ? undefined : `${kind} name ${keras(g)} knows`
    if (!isObject(v)) return `${kind} name ${keras(g)} knows, an object {"class_name", "config"} or null`
    const problem = serialisedProblem(table[g], v, g)
    return problem === undefined ? undefined : `${kind} ${keras(g)} can build (${problem})`
  }
}

/** The string form: `{"class_name": name, "config": {}}` must build (so Keras 3's "Constant" fails: no value). */
const buildsEmpty = (table: Readonly<Record<Generation, ClassTable>>) => (s: string, g: Generation): boolean =>
  configProblem(table[g], s, {}, false, g) === undefined

/** A `*_initializer` value (Keras 3 `initializers.get`, tf-keras `initializers.get`). */
export const initializer: ArgCheck = objectCheck('an initializer', INITIALIZERS, buildsEmpty(INITIALIZERS))

/**
 * A `*_regularizer` value (None allowed). tf-keras keeps a string it does not know as is (never called while
 * loading), so only its module attributes that fail are refused there.
 */
export const regularizer: ArgCheck = objectCheck('a regularizer', REGULARIZERS, (s, g) =>
  g === 'keras2' ? !REGULARIZER_BAD_NAMES_K2.has(s) : buildsEmpty(REGULARIZERS)(s, g))

/** A `*_constraint` value (None allowed). */
export const constraint: ArgCheck = objectCheck('a constraint', CONSTRAINTS, buildsEmpty(CONSTRAINTS))

/**
 * Keras 3 serialised activation: `{"module": "keras.activations" | "builtins", "class_name": "function",
 * "config": "relu"}` (the Keras 2 legacy form Keras 3 writes), `{"module": "keras.activations", "class_name":
 * "relu", ...}`, or a layer object `{"module": "keras.layers", "class_name": "ReLU", "config": {...}}`. Both
 * `class_name` and `config` must be present; a `registered_name` other than the name (or "function") fails.
 */
function activationObjectK3(d: JsonObject): boolean {
  if (!has(d, 'class_name') || !has(d, 'config')) return false
  const isFunction = d.class_name === 'function'
  const name = isFunction ? d.config : d.class_name
  if (typeof name !== 'string') return false
  if (d.registered_name !== undefined && pyTruthy(d.registered_name) && d.registered_name !== name && d.registered_name !== d.class_name) return false
  if (isFunction) return (d.module === 'keras.activations' || d.module === 'builtins') && ACTIVATIONS_K3.has(name)
  if (d.config !== null && !isObject(d.config)) return false
  if (d.module === 'keras.activations') return ACTIVATIONS_K3.has(name)
  return d.module === 'keras.layers' && ACTIVATION_LAYERS_K3.has(name)
}

/**
 * tf-keras serialised activation: without `module` (legacy) only an advanced-activation layer with a config dict
 * builds (a function is called with the config and fails); with `module`, a function by name ("function" entries
 * look up `config` for module "builtins", else `registered_name`, None meaning no activation) or a layer class.
 */
function activationObjectK2(d: JsonObject): boolean {
  const name = d.class_name
  if (!has(d, 'module')) return has(d, 'config') && typeof name === 'string' && ACTIVATION_LAYERS_K2.has(name) && isObject(d.config)
  if (typeof name !== 'string') return false
  if (name === 'function') {
    if (d.module !== 'builtins' && !has(d, 'registered_name')) return false
    const fn = d.module === 'builtins' ? d.config : d.registered_name
    if (d.module !== 'builtins' && typeof fn === 'string' && d.module !== 'keras.activations' && d.module !== null) return false
    return fn === null || fn === undefined || (typeof fn === 'string' && ACTIVATION_FUNCTIONS_K2.has(fn))
  }
  if (d.module === null) return false
  return ACTIVATION_FUNCTIONS_K2.has(name) || (ACTIVATION_LAYERS_K2.has(name) && (d.config === undefined || d.config === null || isObject(d.config)))
}

/** An `activation` / `recurrent_activation` value (Keras 3 `activations.get`, tf-keras `activations.get`). */
export const activation: ArgCheck = (v, ctx) => {
  const g = ctx.generation
  if (v === null) return undefined
  if (typeof v === 'string') {
    const ok = g === 'keras3' ? ACTIVATIONS_K3.has(v) : ACTIVATION_FUNCTIONS_K2.has(v) || ACTIVATION_LAYERS_K2.has(v)
    return ok ? undefined : `an activation name ${keras(g)} knows (such as "relu", "linear")`
  }
  if (isObject(v) && (g === 'keras3' ? activationObjectK3(v) : activationObjectK2(v))) return undefined
  return `an activation ${keras(g)} can build (a name such as "relu", a serialised built-in activation, or null)`
}
